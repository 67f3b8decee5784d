"""factory_boy factories. Reference data (regions, the 14 WM councils, the ASCOF catalogue) comes from
the data migrations, so tests use the real councils; extra councils here are fictional ("Borsetshire")."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from councils.models import Council, Membership, Region, User
from peerchallenge.models import Summit

PASSWORD = "correct-horse-battery"  # every factory user's
# The persona fixtures of tests/conftest.py, one per role (and a user with none).
PERSONAS = ["admin", "sli_lead", "coordinator", "dass", "delegate", "no_role_user"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password(PASSWORD)


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Borsetshire {n}")
    slug = factory.Sequence(lambda n: f"borsetshire-{n}")
    gss_code = factory.Sequence(lambda n: f"E06{900000 + n:06d}")
    cassr_code = factory.Sequence(lambda n: 9000 + n)  # clear of the real CASSR codes (to 916)
    council_type = Council.CouncilType.UNITARY
    region = factory.LazyFunction(lambda: Region.objects.get(gss_code="E12000005"))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.DASS


def make_summit(region: Region, *, councils=None, date=dt.date(2026, 3, 12), rooms=8, **kwargs) -> Summit:  # type: ignore[no-untyped-def]
    """A draft summit of ``councils`` (default: the region's), with ``rooms`` rooms and a plenary room."""
    summit = Summit.objects.create(
        region=region,
        name=kwargs.pop("name", "Spring summit"),
        date=date,
        venue="Council House",
        rooms="\n".join(f"Room {i}" for i in range(1, rooms + 1)),
        plenary_room="Chamber",
        **kwargs,
    )
    summit.participants.set(councils if councils is not None else region.councils.all())
    return summit
