"""A measure's page with no figures, and with real ones: no demo notice."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scorecard.areas import area_for_council
from scorecard.models import Measure, Value
from scorecard.periods import period_get_or_create

pytestmark = pytest.mark.django_db


def _detail(key: str) -> str:
    return reverse("scorecard:measure-detail", kwargs={"key": key})


def test_measure_without_figures(client_for, west_midlands):
    response = client_for("sli_lead").get(_detail("ascof-2014-1a"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No figures have been loaded" in html
    assert "plotly.min.js" not in html
    assert "app-demo-notice" not in html


def test_real_figures_carry_no_demo_notice(client_for, west_midlands, birmingham):
    Value.objects.create(
        measure=Measure.objects.get(key="ascof-2014-1a"),
        period=period_get_or_create(start_year=2019),
        area=area_for_council(council=birmingham),
        value=Decimal("19.3"),
    )
    html = client_for("sli_lead").get(_detail("ascof-2014-1a")).content.decode()
    assert "19.3 out of 24" in html
    assert "app-demo-notice" not in html
