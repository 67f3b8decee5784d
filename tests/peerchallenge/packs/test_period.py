"""A pack is for a year that has figures: on the real-shaped extract (2018-19 and 2019-20 only) with a
self-assessment cycle for 2023-24, the summit offers only the loaded years, starts at the latest, says what
the packs will lack and asks for a confirmation; ``build_packs`` refuses a year a council has no figures for.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Council, Region
from peerchallenge.models import Summit
from peerchallenge.packs import services
from peerchallenge.selectors import summit_period
from scorecard.models import Period, Value
from tests.pack_helpers import BIRMINGHAM, COVENTRY, WEST_MIDLANDS, small_summit

pytestmark = pytest.mark.django_db

STAFFORDSHIRE = "E10000028"


@pytest.fixture
def real(settings, tmp_path, monkeypatch):
    """The shared extract imported, Staffordshire's 2018-19 figures removed (a council with none for a
    year), and the region's self-assessment cycle for 2023-24 (a year with no figures at all)."""
    from core.cache import rows_written
    from tests.files import import_real_file
    from tests.selfassessment_helpers import make_cycle

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: b"%PDF-1.7 fake")
    import_real_file()
    Value.objects.filter(period__label="2018-19", area__council__gss_code=STAFFORDSHIRE).delete()
    rows_written(Value)
    return make_cycle()  # 2023-24


def _summit_data(region: Region, cycle, **extra) -> dict:  # type: ignore[no-untyped-def]
    day = dt.date.today() + dt.timedelta(days=30)
    day += dt.timedelta(days=(0 - day.weekday()) % 7)  # a Monday
    return {
        "region": region.pk,
        "name": "Spring summit",
        "date": day.isoformat(),
        "venue": "Council House",
        "cycle": cycle.pk,
        "start_time": "09:30",
        "session_minutes": 60,
        "break_minutes": 15,
        "plenary_break_minutes": 30,
        "plenary_minutes": 60,
        "rooms": "Room 1\nRoom 2",
        "lookback_years": 3,
        "seed": 1,
        "participants": list(
            Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY, STAFFORDSHIRE]).values_list(
                "pk", flat=True
            )
        ),
        **extra,
    }


def test_the_summit_offers_only_years_with_figures_and_confirms_what_the_packs_lack(real, client_for):
    region = Region.objects.get(gss_code=WEST_MIDLANDS)
    client = client_for("coordinator")
    page = client.get("/summits/new/")
    body = page.content.decode()
    field = page.context["form"].fields["period"]
    assert [p.label for p in field.queryset] == ["2019-20", "2018-19"]  # not 2023-24: no figures
    assert page.context["form"].initial["period"] == Period.objects.get(label="2019-20").pk
    # Before anything is sent it says the cycle's year has no figures to set the self-ratings beside.
    assert "The self-assessments are for 2023-24, which has no figures" in body

    latest, older = (Period.objects.get(label=label) for label in ("2019-20", "2018-19"))
    refused = client.post("/summits/new/", _summit_data(region, real, period=older.pk))
    text = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in text
    assert "The packs for 2018-19 will lack figures: confirm" in text
    assert "Staffordshire: no figures for 2018-19, so its pack will show none." in text
    assert 'href="#id_confirm_gaps"' in text and 'id="id_confirm_gaps"' in text  # the summary links to it
    assert not Summit.objects.exists()
    never = client.post(
        "/summits/new/", _summit_data(region, real, period=Period.objects.get(label="2023-24").pk)
    )
    assert "Choose one of the years listed" in never.content.decode() or "Select a valid choice" in (
        never.content.decode()
    )

    confirmed = client.post("/summits/new/", _summit_data(region, real, period=older.pk, confirm_gaps="on"))
    assert confirmed.status_code == 302
    summit = Summit.objects.get()
    assert summit.period == older and summit_period(summit=summit) == older
    # The latest year still needs a confirmation here, for the cycle's year without figures.
    Summit.objects.all().delete()
    assert client.post("/summits/new/", _summit_data(region, real, period=latest.pk)).status_code == 200
    assert (
        client.post(
            "/summits/new/", _summit_data(region, real, period=latest.pk, confirm_gaps="on")
        ).status_code
        == 302
    )


def test_a_summit_planned_before_the_choice_uses_the_latest_year_with_figures(real, client_for):
    """A summit with no year chosen and a cycle for 2023-24 (no figures): its packs and question sets are
    for 2019-20, not 13 pages of "No data"; the packs page says what it lacks."""
    from peerchallenge.packs import selectors

    summit = small_summit(cycle=real, councils=(BIRMINGHAM, COVENTRY))
    assert summit.period is None and summit_period(summit=summit).label == "2019-20"
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    target = services.pack_target(council=birmingham, summit=summit)
    assert target.period.label == "2019-20"
    pack = selectors.pack_build_data(council=birmingham, summit=summit)
    assert pack.period.label == "2019-20"
    assert sum(row.value is not None for row in pack.card.rows) > 10
    question_set = services.question_set_get_or_create(
        summit=summit, challenger=Council.objects.get(gss_code=COVENTRY), challenged=birmingham
    )
    generated = list(question_set.questions.filter(source="trigger"))
    assert generated and not any("2023-24" in q.evidence for q in generated)
    page = client_for("coordinator").get(f"/summits/{summit.pk}/packs/").content.decode()
    assert "for 2019-20" in page
    assert "The self-assessments are for 2023-24, which has no figures" in page


def test_build_packs_refuses_a_year_without_figures_and_defaults_to_each_councils_latest(real, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=r"Staffordshire \(E10000028\): no figures for 2018-19"):
        call_command(
            "build_packs",
            "--council",
            BIRMINGHAM,
            "--council",
            STAFFORDSHIRE,
            "--period",
            "2018-19",
            "--out",
            str(out),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="no figures for 2023-24"):
        call_command(
            "build_packs",
            "--council",
            BIRMINGHAM,
            "--period",
            "2023-24",
            "--out",
            str(out),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    call_command(
        "build_packs",
        "--council",
        BIRMINGHAM,
        "--council",
        STAFFORDSHIRE,
        "--out",
        str(out),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "E08000025-birmingham-2019-20-pro-forma.docx",
        "E08000025-birmingham-2019-20.pdf",
        "E10000028-staffordshire-2019-20-pro-forma.docx",
        "E10000028-staffordshire-2019-20.pdf",
    ]
    summit = small_summit(councils=(BIRMINGHAM, STAFFORDSHIRE))
    Summit.objects.filter(pk=summit.pk).update(period=Period.objects.get(label="2018-19"))
    with pytest.raises(CommandError, match="Staffordshire"):
        call_command(
            "build_packs",
            "--summit",
            str(summit.pk),
            "--out",
            str(tmp_path / "s"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    call_command(
        "build_packs",
        "--summit",
        str(summit.pk),
        "--allow-missing",
        "--out",
        str(tmp_path / "s"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert "E10000028-staffordshire-2018-19.pdf" in {p.name for p in (tmp_path / "s").iterdir()}


def test_a_refused_build_exits_with_status_1(tmp_path):
    """manage.py turns the command's refusal (a CommandError) into exit status 1 with the message on stderr,
    as the checks outside the test suite run it (a separate process: it cannot see this test's database, so
    the refusal here is the missing --summit/--council)."""
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(  # noqa: S603 (the project's own manage.py)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "build_packs", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 1 and "Give either --summit ID or one or more --council GSS" in result.stderr


def test_a_pack_outside_a_summit_offers_years_with_figures_and_confirms_an_empty_one(real, client_for):
    client = client_for("coordinator")
    page = client.get("/packs/")
    choices = [value for value, _ in page.context["form"].fields["period"].choices]
    assert choices == ["2019-20", "2018-19"] and page.context["form"].fields["period"].initial == "2019-20"
    empty = client.get(f"/packs/?council={STAFFORDSHIRE}&period=2018-19")
    text = empty.content.decode()
    assert empty.status_code == 400 and "There is a problem" in text
    assert (
        "Staffordshire has no figures for 2018-19: confirm" in text
        and "/packs/E10000028/2018-19.pdf" not in text
    )
    confirmed = client.get(f"/packs/?council={STAFFORDSHIRE}&period=2018-19&confirm=1").content.decode()
    assert "/packs/E10000028/2018-19.pdf" in confirmed
    fine = client.get(f"/packs/?council={BIRMINGHAM}&period=2018-19").content.decode()
    assert "/packs/E08000025/2018-19.pdf" in fine and "has no figures" not in fine
    response = client.get(f"/packs/{BIRMINGHAM}/2019-20.pdf")  # the address keeps working
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="E08000025-birmingham-2019-20.pdf"'
