"""Labels follow the data: the demo summit's packs and question sets call their figures synthetic while they
are, and stop once a real import has replaced them; what is still made up (the summit, its self-assessments,
questions generated from the old figures) stays labelled. Cached packs are rebuilt: the data version is in
their key."""

import pytest
from django.core.files.storage import default_storage

from councils.models import Council
from peerchallenge.models import Summit
from peerchallenge.packs import docx_export, pdf, selectors, services
from tests.pack_helpers import BIRMINGHAM, docx_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_demo_summit(settings, tmp_path, monkeypatch):
    from peerchallenge.services import seed_demo_summits
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: pdf.pack_html(pack=pack).encode())
    demo_values_seed()
    self_assessment_demo_seed()
    seed_demo_summits(region_gss_code="E12000005")
    return Summit.objects.get(is_demo=True, state=Summit.State.PUBLISHED)


def _session(summit):  # type: ignore[no-untyped-def]
    return next(s for s in selectors.summit_sessions(summit=summit) if s.challenged.gss_code == BIRMINGHAM)


def _text(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return " ".join(handle.read().decode().split())


def test_after_a_real_import_the_demo_summits_packs_call_the_figures_real(published_demo_summit, client_for):
    from tests.files import import_real_file

    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    session = _session(published_demo_summit)
    question_set = services.question_set_get_or_create(
        summit=published_demo_summit, challenger=session.challenger, challenged=birmingham
    )
    assert question_set.questions.filter(source="trigger", quotes_demo_figures=True).exists()
    before = services.pack_files_get_or_build(council=birmingham, summit=published_demo_summit)
    cover = _text(before.pdf)
    assert "Demo data: the figures in this pack are synthetic" in cover and "DEMO DATA (synthetic)" in cover
    coordinator = client_for("coordinator")
    packs_page = coordinator.get(f"/summits/{published_demo_summit.pk}/packs/").content.decode()
    assert "These packs are built from synthetic demo figures" in packs_page

    import_real_file()  # real 2018-19 and 2019-20 figures replace every demo one

    after = services.pack_files_get_or_build(council=birmingham, summit=published_demo_summit)
    assert after.built and after.pdf != before.pdf  # a new data version: built again, not served from cache
    pack = selectors.pack_build_data(council=birmingham, summit=published_demo_summit)
    assert pack.period.label == "2019-20" and not pack.figures_are_demo
    cover = _text(after.pdf)
    assert "figures in this pack are synthetic" not in cover and "DEMO DATA" not in cover
    assert "The figures are real published statistics." in cover
    assert "made up for demonstration" in cover  # the summit itself is still a demo one
    # The questions generated from the synthetic figures say so, in the pack and on their page.
    assert "their evidence quotes figures that are not real" in cover
    paragraphs, _ = docx_text(docx_export.pro_forma_docx(pack=pack))
    words = " ".join(text for _, text in paragraphs)
    assert "The figures are real published statistics." in words and "the figures behind" not in words
    packs_page = coordinator.get(f"/summits/{published_demo_summit.pk}/packs/").content.decode()
    assert "synthetic demo figures" not in packs_page and "Demo summit" in packs_page
    questions = coordinator.get(
        f"/summits/{published_demo_summit.pk}/questions/{BIRMINGHAM}/"
    ).content.decode()
    assert "generated from synthetic demo figures loaded before the real ones" in questions
    assert "The figures, and the evidence the questions quote, are synthetic" not in questions


def test_a_question_set_started_after_the_real_import_quotes_no_demo_figure(
    published_demo_summit, client_for
):
    from tests.files import import_real_file

    import_real_file()
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    session = _session(published_demo_summit)
    question_set = services.question_set_get_or_create(
        summit=published_demo_summit, challenger=session.challenger, challenged=birmingham
    )
    assert question_set.questions.filter(source="trigger").exists()
    assert not question_set.questions.filter(quotes_demo_figures=True).exists()
    page = client_for("coordinator").get(f"/summits/{published_demo_summit.pk}/questions/{BIRMINGHAM}/")
    body = page.content.decode()
    assert "synthetic demo figures" not in body and "Demo summit" in body
    assert not page.context["shows_demo_data"]  # no "Demo data" banner: the figures are real


def test_real_figures_in_a_real_summit_carry_no_demo_label(settings, tmp_path):
    from tests.files import import_real_file
    from tests.pack_helpers import COVENTRY, small_summit

    settings.MEDIA_ROOT = tmp_path / "media"
    import_real_file()
    summit = small_summit(councils=(BIRMINGHAM, COVENTRY))
    pack = selectors.pack_build_data(council=Council.objects.get(gss_code=BIRMINGHAM), summit=summit)
    assert pack.demo_parts == [] and pack.demo_note == ""
    html = pdf.pack_html(pack=pack)
    assert "Demo" not in html and "DEMO" not in html and "demo example" not in html
