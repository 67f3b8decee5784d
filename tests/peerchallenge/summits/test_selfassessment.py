"""The summit uses a self-assessment cycle: its self-ratings feed the pairing, and a published pairing lets the
challenging council read the submitted self-assessment of the council it challenges (and nobody else more)."""

from councils.models import Council
from peerchallenge.models import GroupMember, Summit, SummitGroup
from peerchallenge.selectors import summit_self_ratings
from tests.factories import make_summit
from tests.selfassessment_helpers import BIRMINGHAM, drafted, submitted

BASE = f"/councils/{BIRMINGHAM}/self-assessment/2026-27-peer-challenge/"


def _grouped(summit: Summit, *rotations: list[Council]) -> None:
    """Record the summit's groups by hand: each member challenges the next, the last the first."""
    for position, members in enumerate(rotations, start=1):
        group = SummitGroup.objects.create(summit=summit, position=position)
        for index, council in enumerate(members):
            GroupMember.objects.create(group=group, council=council, position=index)


def test_self_ratings_of_the_cycle_reach_the_pairing_keyed_by_domain_name(west_midlands, birmingham, cycle):
    submitted(cycle=cycle, council=birmingham, rating="green", **{"culture-and-change": "red"})
    summit = make_summit(west_midlands, cycle=cycle)
    ratings = summit_self_ratings(summit=summit)
    assert ratings[BIRMINGHAM]["Culture and Change"] == "red"
    assert ratings[BIRMINGHAM]["Governance and Leadership"] == "green"
    assert summit_self_ratings(summit=make_summit(west_midlands, name="No cycle")) == {}


def test_a_published_pairing_lets_the_challenger_read_the_submitted_self_assessment(
    west_midlands, birmingham, coventry, cycle, client_for
):
    summit = make_summit(west_midlands, councils=[birmingham, coventry], cycle=cycle)
    _grouped(summit, [coventry, birmingham])
    drafted(cycle=cycle, council=birmingham)
    Summit.objects.filter(pk=summit.pk).update(state=Summit.State.PUBLISHED)
    # A draft stays the council's own, whatever the pairing.
    assert client_for("other_dass").get(BASE).status_code == 403
    submitted_one = birmingham.self_assessments.get()
    submitted_one.status = "submitted"
    submitted_one.save()
    assert client_for("other_dass").get(BASE).status_code == 200
    # Not while the summit is a draft, nor for a summit that uses another cycle.
    Summit.objects.filter(pk=summit.pk).update(state=Summit.State.DRAFT)
    assert client_for("other_dass").get(BASE).status_code == 403
    Summit.objects.filter(pk=summit.pk).update(state=Summit.State.PUBLISHED, cycle=None)
    assert client_for("other_dass").get(BASE).status_code == 403


def test_in_a_triad_only_the_council_before_in_the_rotation_challenges(west_midlands, cycle, client_for):
    from councils.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    a, b, c = Council.objects.filter(region=west_midlands).order_by("gss_code")[:3]
    summit = make_summit(west_midlands, councils=[a, b, c], cycle=cycle, state=Summit.State.PUBLISHED)
    _grouped(summit, [a, b, c])
    submitted(cycle=cycle, council=b)
    url = f"/councils/{b.gss_code}/self-assessment/{cycle.slug}/"
    for council, allowed in ((a, True), (c, False)):
        user = UserFactory(username=f"dass.{council.slug}")
        MembershipFactory(user=user, role=Membership.Role.DASS, council=council)
        client = client_for("no_role_user")
        client.force_login(user)
        assert (client.get(url).status_code == 200) is allowed, council


def test_summit_form_offers_only_the_regions_cycles(west_midlands, cycle, client_for):
    page = client_for("coordinator").get("/summits/new/")
    assert page.status_code == 200
    assert cycle.name in page.content.decode()
