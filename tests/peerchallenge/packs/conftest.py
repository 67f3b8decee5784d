"""Fixtures the challenge-pack tests share: a folder of the test's own for built packs, and a small summit over
the demo figures and self-assessments (seeded once for a module that asks for it)."""

import pytest

from tests.pack_helpers import self_assessed_demo_seed, small_summit
from tests.worlds import once_per_module, seeded_once_per_module


@pytest.fixture
def storage(settings, tmp_path):
    """Built packs go to the test's own folder (``tmp_path / "media"``); returns ``tmp_path``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture(scope="module")
def self_assessed_demo_once_per_module(django_db_setup, django_db_blocker):
    """``self_assessed_demo_seed`` run once for the module's tests (``pytestmark = pytest.mark.usefixtures(…)``),
    each test rolled back to it."""
    yield from seeded_once_per_module(django_db_blocker, self_assessed_demo_seed)


@pytest.fixture
def demo_summit(request, db):  # type: ignore[no-untyped-def]
    """A published summit pairing Birmingham and Coventry in the region's latest self-assessment cycle, over the
    demo figures and self-assessments."""
    from selfassessment.models import SelfAssessmentCycle

    if once_per_module(request, "self_assessed_demo_once_per_module") is None:
        self_assessed_demo_seed()
    cycle = SelfAssessmentCycle.objects.filter(region__gss_code="E12000005").order_by("-closes_on").first()
    return small_summit(cycle=cycle)
