"""Who sees which pack and question set, for every role, through the rules and the pages."""

import pytest
from django.test import Client

from councils.models import Council, Membership, Region
from peerchallenge.challengers import challenged_council_ids
from peerchallenge.models import Summit
from peerchallenge.packs import services
from peerchallenge.packs.models import Question
from peerchallenge.packs.selectors import PackSubject
from peerchallenge.services import summit_transition
from tests.factories import MembershipFactory, UserFactory
from tests.pack_helpers import BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL, small_summit
from tests.selfassessment_helpers import make_cycle, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    wm = Region.objects.get(gss_code="E12000005")
    london = Region.objects.get(gss_code="E12000007")
    councils = {
        c.gss_code: c for c in Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL])
    }
    users = {
        "admin": UserFactory(username="p.admin", is_staff=True, is_superuser=True),
        "no_role": UserFactory(username="p.none"),
    }
    for name, role, scope in [
        ("wm_lead", Membership.Role.SLI_LEAD, {"region": wm}),
        ("wm_coordinator", Membership.Role.COORDINATOR, {"region": wm}),
        ("london_lead", Membership.Role.SLI_LEAD, {"region": london}),
        ("london_coordinator", Membership.Role.COORDINATOR, {"region": london}),
        ("birmingham_dass", Membership.Role.DASS, {"council": councils[BIRMINGHAM]}),
        ("birmingham_delegate", Membership.Role.DELEGATE, {"council": councils[BIRMINGHAM]}),
        ("coventry_dass", Membership.Role.DASS, {"council": councils[COVENTRY]}),
        ("dudley_dass", Membership.Role.DASS, {"council": councils[DUDLEY]}),
    ]:
        users[name] = MembershipFactory(user=UserFactory(username=f"p.{name}"), role=role, **scope).user
    cycle = make_cycle()
    submitted(cycle=cycle, council=councils[BIRMINGHAM])
    # Birmingham and Coventry challenge each other; Dudley and Sandwell are another pair.
    summit = small_summit(cycle=cycle, councils=(BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL))
    return {"users": users, "councils": councils, "summit": summit, "cycle": cycle}


def pairs(summit: Summit) -> dict[str, str]:
    from peerchallenge.packs.selectors import summit_sessions

    return {s.challenged.gss_code: s.challenger.gss_code for s in summit_sessions(summit=summit)}


# Birmingham's pack in the published summit: who may download it.
PACK_READERS = {
    "admin": True,
    "wm_lead": True,
    "wm_coordinator": True,
    "birmingham_dass": True,  # their own council's pack, as others see it
    "birmingham_delegate": True,
    "london_lead": False,
    "london_coordinator": False,
    "no_role": False,
}


@pytest.mark.parametrize("role", [*PACK_READERS, "coventry_dass", "dudley_dass"])
def test_who_may_download_a_pack(people, role):
    summit = people["summit"]
    birmingham = people["councils"][BIRMINGHAM]
    challenger = pairs(summit)[BIRMINGHAM]
    expected = PACK_READERS.get(role)
    if role in ("coventry_dass", "dudley_dass"):
        # Only the DASS of the council that challenges Birmingham.
        expected = {"coventry_dass": COVENTRY, "dudley_dass": DUDLEY}[role] == challenger
    user = people["users"][role]
    assert (
        user.has_perm("peerchallenge.view_pack", PackSubject(council=birmingham, summit=summit)) is expected
    )
    assert user.has_perm("peerchallenge.view_pack", PackSubject(council=birmingham)) is expected


def test_a_dass_gets_no_pack_from_a_draft_summit_and_nobody_another_regions(people):
    summit = people["summit"]
    summit_transition(summit=summit, to=Summit.State.DRAFT)
    summit.refresh_from_db()
    birmingham = people["councils"][BIRMINGHAM]
    challenger = pairs(summit)[BIRMINGHAM]
    name = {COVENTRY: "coventry_dass", DUDLEY: "dudley_dass"}.get(challenger)
    if name:
        user = people["users"][name]
        assert not user.has_perm("peerchallenge.view_pack", PackSubject(council=birmingham, summit=summit))
        assert challenged_council_ids(user=user) == set()
    barking = Council.objects.get(gss_code="E09000002")
    for role in ("wm_lead", "wm_coordinator", "birmingham_dass", "coventry_dass"):
        assert not people["users"][role].has_perm("peerchallenge.view_pack", PackSubject(council=barking))


@pytest.mark.parametrize(
    ("state", "readers"),
    [
        (Summit.State.PUBLISHED, {"admin", "wm_coordinator", "challenger"}),
        (
            Summit.State.HELD,
            {"admin", "wm_coordinator", "challenger", "birmingham_dass", "birmingham_delegate"},
        ),
    ],
)
def test_a_question_set_is_shared_with_the_challenged_council_only_after_the_summit(people, state, readers):
    summit = people["summit"]
    birmingham = people["councils"][BIRMINGHAM]
    challenger = people["councils"][pairs(summit)[BIRMINGHAM]]
    question_set = services.question_set_get_or_create(
        summit=summit, challenger=challenger, challenged=birmingham
    )
    if state == Summit.State.HELD:
        summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
        question_set.summit.refresh_from_db()
    challenger_role = {COVENTRY: "coventry_dass", DUDLEY: "dudley_dass"}.get(challenger.gss_code)
    for role, user in people["users"].items():
        name = "challenger" if role == challenger_role else role
        assert user.has_perm("peerchallenge.view_questionset", question_set) is (name in readers), role
        # Superusers hold every permission (Django); otherwise only the challenger, before the summit.
        editable = name == "admin" or (name == "challenger" and state == Summit.State.PUBLISHED)
        assert user.has_perm("peerchallenge.change_questionset", question_set) is editable, role


def test_pages_answer_404_to_other_regions_and_403_to_a_council_not_challenging(
    people, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: b"%PDF-1.7 fake")
    summit = people["summit"]
    challenger = pairs(summit)[BIRMINGHAM]
    other = "dudley_dass" if challenger == COVENTRY else "coventry_dass"
    mine = "coventry_dass" if challenger == COVENTRY else "dudley_dass"

    def status(role: str, path: str) -> int:
        client = Client()
        client.force_login(people["users"][role])
        return client.get(path).status_code

    pdf = f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf"
    docx = f"/summits/{summit.pk}/packs/{BIRMINGHAM}-pro-forma.docx"
    questions = f"/summits/{summit.pk}/questions/{BIRMINGHAM}/"
    assert status(mine, pdf) == status(mine, docx) == status(mine, questions) == 200
    assert status(other, pdf) == 403 and status(other, questions) == 403
    assert status("birmingham_dass", pdf) == 200 and status("birmingham_dass", questions) == 403
    assert status("london_coordinator", pdf) == 404 and status("no_role", pdf) == 404
    assert status(mine, f"/summits/{summit.pk}/packs/E09000002.pdf") == 404  # not at this summit
    assert status("wm_coordinator", questions) == 200


def test_the_question_edit_flow_through_the_page(people, settings, tmp_path):
    from tests.selfassessment_helpers import hand_made_values

    settings.MEDIA_ROOT = tmp_path
    hand_made_values()  # figures to raise questions from (none is ever asked about a figure never due)
    summit = people["summit"]
    challenger = pairs(summit)[BIRMINGHAM]
    role = "coventry_dass" if challenger == COVENTRY else "dudley_dass"
    client = Client(enforce_csrf_checks=False)
    client.force_login(people["users"][role])
    url = f"/summits/{summit.pk}/questions/{BIRMINGHAM}/"
    page = client.get(url)
    assert page.status_code == 200 and "Start the question set" in page.content.decode()
    assert client.post(url, {"action": "start"}).status_code == 302
    questions = list(Question.objects.order_by("position"))
    assert questions and questions[0].source == Question.Source.TRIGGER and questions[0].evidence
    # Add (an empty question is refused with an error summary), edit, move, mark top five, delete.
    bad = client.post(url, {"action": "add", "text": "  "})
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    assert (
        client.post(
            url, {"action": "add", "text": "How do you plan for winter?", "evidence": "Own"}
        ).status_code
        == 302
    )
    added = Question.objects.get(text="How do you plan for winter?")
    assert added.position == len(questions) + 1 and added.source == Question.Source.OWN
    client.post(url, {"action": "up", "question": added.pk})
    added.refresh_from_db()
    assert added.position == len(questions)
    client.post(
        url, {"action": "edit", "question": added.pk, "text": "What is your winter plan?", "evidence": "Own"}
    )
    added.refresh_from_db()
    assert added.text == "What is your winter plan?"
    client.post(url, {"action": "top", "question": added.pk})
    added.refresh_from_db()
    assert added.is_top
    client.post(url, {"action": "delete", "question": questions[0].pk})
    assert not Question.objects.filter(pk=questions[0].pk).exists()
    assert list(Question.objects.order_by("position").values_list("position", flat=True)) == list(
        range(1, Question.objects.count() + 1)
    )
    assert client.post(url, {"action": "delete", "question": "999999"}).status_code == 404
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    # The coordinator reads but cannot edit; once the summit is held nobody edits.
    coordinator = Client()
    coordinator.force_login(people["users"]["wm_coordinator"])
    assert coordinator.get(url).status_code == 200
    assert coordinator.post(url, {"action": "add", "text": "x"}).status_code == 403
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    assert client.post(url, {"action": "add", "text": "Late"}).status_code == 403


def test_the_top_five_is_at_most_five(people):
    summit = people["summit"]
    birmingham = people["councils"][BIRMINGHAM]
    challenger = people["councils"][pairs(summit)[BIRMINGHAM]]
    question_set = services.question_set_get_or_create(
        summit=summit, challenger=challenger, challenged=birmingham
    )
    for i in range(7):
        services.question_add(question_set=question_set, text=f"Question {i}?")
    added = list(question_set.questions.order_by("-position")[:6])
    for question in added[:5]:
        services.question_top_set(question=question, top=True)
    with pytest.raises(services.QuestionSetError, match="top five"):
        services.question_top_set(question=added[5], top=True)
    services.question_top_set(question=added[0], top=False)
    services.question_top_set(question=added[5], top=True)
    assert question_set.questions.filter(is_top=True).count() == 5


def test_the_bank_feeds_new_question_sets(people):
    from scorecard.models import Domain

    summit = people["summit"]
    domain = Domain.objects.first()
    services.bank_question_add(cycle=people["cycle"], domain=domain, text="How do you hear from carers?")
    birmingham = people["councils"][BIRMINGHAM]
    challenger = people["councils"][pairs(summit)[BIRMINGHAM]]
    question_set = services.question_set_get_or_create(
        summit=summit, challenger=challenger, challenged=birmingham
    )
    bank = question_set.questions.get(source=Question.Source.BANK)
    assert bank.text == "How do you hear from carers?" and bank.domain == domain
    assert bank.position == question_set.questions.count()  # after the generated questions


def test_the_coordinator_builds_every_pack_in_the_background_and_downloads_the_zip(
    people, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: b"%PDF-1.7 fake")
    summit = people["summit"]
    client = Client()
    client.force_login(people["users"]["wm_coordinator"])
    page = client.get(f"/summits/{summit.pk}/packs/").content.decode()
    assert "Build every pack (ZIP)" in page and page.count("Pack (PDF)") == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/summits/{summit.pk}/packs/build/")
    assert response.status_code == 302
    from peerchallenge.packs.models import PackBuild

    build = PackBuild.objects.get(summit=summit)
    status = client.get(f"/summits/{summit.pk}/packs/builds/{build.pk}/status.json").json()
    assert status["state"] == "done" and status["done"] == status["total"] == 4 and status["finished"]
    download = client.get(f"/summits/{summit.pk}/packs/builds/{build.pk}.zip")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert len(archive.namelist()) == 8
    assert (
        "download every pack and pro-forma (ZIP)"
        in client.get(f"/summits/{summit.pk}/packs/").content.decode()
    )
    # A DASS sees only the packs they may download, and no build button.
    dass = Client()
    dass.force_login(people["users"]["birmingham_dass"])
    mine = dass.get(f"/summits/{summit.pk}/packs/").content.decode()
    assert (
        "Build every pack" not in mine and mine.count("Pack (PDF)") == 2
    )  # their own and the one they challenge


def test_a_summit_without_a_cycle_still_gets_questions_from_the_data(people):
    summit = small_summit(councils=(BIRMINGHAM, COVENTRY), name="No cycle")
    birmingham = people["councils"][BIRMINGHAM]
    question_set = services.question_set_get_or_create(
        summit=summit, challenger=people["councils"][COVENTRY], challenged=birmingham
    )
    triggers = list(question_set.questions.values_list("trigger", flat=True))
    assert triggers and triggers[-1] == "no_evidence"  # "No self-assessment was submitted: …"


def test_admins_keep_the_question_bank_in_the_admin_site(admin_client):
    for path in (
        "/admin/peerchallenge/questionbankitem/",
        "/admin/peerchallenge/questionbankitem/add/",
        "/admin/peerchallenge/questionset/",
        "/admin/peerchallenge/packbuild/",
    ):
        assert admin_client.get(path).status_code == 200, path


def test_after_a_re_pairing_the_new_challenger_starts_their_own_set_and_the_old_one_is_not_theirs(people):
    """Question sets belong to a (challenger, challenged) pair: re-pairing a summit hands nobody another
    council's questions, and the pack prints the new challenger's set."""
    from peerchallenge.packs import selectors
    from peerchallenge.services import summit_swap

    summit = people["summit"]
    birmingham = people["councils"][BIRMINGHAM]
    first = people["councils"][pairs(summit)[BIRMINGHAM]]
    old = services.question_set_get_or_create(summit=summit, challenger=first, challenged=birmingham)
    services.question_add(question_set=old, text="The old challenger's question", user=None)
    summit_transition(summit=summit, to=Summit.State.DRAFT)
    others = [people["councils"][c] for c in (COVENTRY, DUDLEY, SANDWELL) if c != first.gss_code]
    summit_swap(summit=summit, first=first, second=others[0])
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    second = people["councils"][pairs(summit)[BIRMINGHAM]]
    assert second != first
    assert selectors.question_set_get(summit=summit, challenger=second, challenged=birmingham) is None
    new = services.question_set_get_or_create(summit=summit, challenger=second, challenged=birmingham)
    assert new.pk != old.pk
    pack = selectors.pack_build_data(council=birmingham, summit=summit)
    assert "The old challenger's question" not in [q.text for q in pack.questions]


@pytest.mark.parametrize("reader", ["wm_coordinator", "birmingham_dass"])
def test_the_summit_packs_page_reads_the_same_number_of_queries_whatever_the_number_of_rows(
    people, reader, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(people["users"][reader])
    two = small_summit(cycle=people["cycle"], councils=(BIRMINGHAM, COVENTRY), name="Two councils")
    services.question_set_get_or_create(
        summit=people["summit"],
        challenger=people["councils"][COVENTRY],
        challenged=people["councils"][BIRMINGHAM],
    )
    client.get(f"/summits/{two.pk}/packs/")  # the session and the user's memberships are read once
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/summits/{two.pk}/packs/").status_code == 200
    with django_assert_max_num_queries(len(small)):
        page = client.get(f"/summits/{people['summit'].pk}/packs/")
    assert page.status_code == 200
    assert page.content.decode().count("Pack (PDF)") == (4 if reader == "wm_coordinator" else 2)
