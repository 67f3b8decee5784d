"""Demo themes, work programme and follow-up for the past demo summit, and the follow-up pages."""

import pytest
from django.core.management import call_command

from peerchallenge.models import (
    Recommendation,
    SessionFinding,
    Summit,
    Theme,
    WorkItem,
    WorkItemUpdate,
    WorkProgramme,
)
from peerchallenge.themes import services
from scorecard.demo import demo_data_remove


@pytest.mark.django_db
def test_seed_demo_summits_adds_themes_and_a_work_programme_deterministically(settings, client):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    call_command("seed_demo_summits")
    first = sorted(
        (t.title, tuple(sorted(t.councils.values_list("gss_code", flat=True)))) for t in Theme.objects.all()
    )
    call_command("seed_demo_summits")  # idempotent
    past = Summit.objects.get(is_demo=True, state=Summit.State.HELD)
    themes = Theme.objects.filter(summit=past)
    assert themes.count() == 5 and all(t.is_demo and t.is_published for t in themes)
    assert first == sorted(
        (t.title, tuple(sorted(t.councils.values_list("gss_code", flat=True)))) for t in Theme.objects.all()
    )
    programme = WorkProgramme.objects.get(region=past.region, year=past.date.year)
    assert programme.is_demo and programme.is_published
    assert sorted(programme.items.values_list("status", flat=True)) == ["agreed", "in_progress", "proposed"]
    assert WorkItem.objects.filter(is_demo=False).count() == 0
    assert WorkItemUpdate.objects.filter(is_demo=False).count() == 0
    assert SessionFinding.objects.filter(summit=past, is_demo=True).count() == 4
    assert not Recommendation.objects.filter(follow_up="").exists()
    # Shown with the demo banner to the region's DASS.
    assert client.login(username="dass.birmingham", password="demo-password-2026")
    response = client.get(f"/regions/{past.region.gss_code}/work-programme/{past.date.year}/")
    assert response.status_code == 200 and response.context["shows_demo_data"]
    assert "Reliance on agency social workers" in response.content.decode()
    # A theme linked to a measure shows its councils' figures then and now (read through the measure page's selector).
    theme = themes.exclude(measures=None).order_by("title").first()
    page = client.get(f"/summits/{past.pk}/themes/{theme.pk}/")
    assert page.status_code == 200 and page.context["shows_demo_data"]
    movement = page.context["movements"][0]
    assert movement.rows and movement.is_demo and movement.raised_period
    assert "How the linked measures have moved since it was raised" in page.content.decode()
    summary = demo_data_remove()
    assert summary.other_rows > 0
    assert not Theme.objects.exists() and not WorkProgramme.objects.exists()
    assert not SessionFinding.objects.exists()


@pytest.mark.django_db
def test_findings_and_six_month_follow_up(client_for, coordinator, west_midlands):
    from councils.models import Council
    from tests.factories import make_summit

    birmingham = Council.objects.get(gss_code="E08000025")
    summit = make_summit(
        west_midlands, councils=[birmingham, Council.objects.get(gss_code="E08000026")], rooms=2
    )
    client = client_for("coordinator")
    response = client.post(
        f"/summits/{summit.pk}/findings/E08000025/",
        {
            "key_findings": "Strong leadership",
            "recommendations": "Refresh the market position\n\nPublish a workforce plan",
        },
    )
    assert response.status_code == 302
    finding = SessionFinding.objects.get()
    recommendations = list(finding.recommendations.order_by("pk"))
    assert [r.text for r in recommendations] == ["Refresh the market position", "Publish a workforce plan"]
    response = client.post(
        f"/summits/{summit.pk}/recommendations/{recommendations[0].pk}/follow-up/",
        {"follow_up": "done", "follow_up_note": "Published in May"},
    )
    assert response.status_code == 302
    recommendations[0].refresh_from_db()
    assert recommendations[0].follow_up == "done" and recommendations[0].followed_up_on is not None
    page = client.get(f"/summits/{summit.pk}/findings/").content.decode()
    assert "Strong leadership" in page and "Done: Published in May" in page and "Not yet reviewed" in page
    with pytest.raises(services.ThemeError):
        services.recommendation_follow_up(recommendation=recommendations[1], status="bogus")
    assert client.get(f"/summits/{summit.pk}/findings/E09000002/").status_code == 404  # not taking part


@pytest.mark.django_db
def test_findings_become_a_lesson_only_when_published_as_one(client_for, coordinator, west_midlands):
    from councils.models import Council
    from peerchallenge.models import LessonLearnt
    from peerchallenge.services import summit_pair
    from tests.factories import make_summit

    birmingham, coventry = (Council.objects.get(gss_code=c) for c in ("E08000025", "E08000026"))
    summit = make_summit(west_midlands, councils=[birmingham, coventry], rooms=2)
    summit_pair(summit=summit)
    services.finding_save(summit=summit, council=birmingham, key_findings="Good data use", recommendations=[])
    assert not LessonLearnt.objects.exists()
    services.finding_save(
        summit=summit,
        council=birmingham,
        key_findings="Good data use",
        recommendations=[],
        publish_as_lesson=True,
    )
    lesson = LessonLearnt.objects.get(summit=summit, host=birmingham)
    assert lesson.challenger == coventry and lesson.key_findings == "Good data use"
    services.finding_save(
        summit=summit,
        council=birmingham,
        key_findings="Better data use",
        recommendations=[],
        publish_as_lesson=True,
    )
    assert LessonLearnt.objects.get(summit=summit, host=birmingham).key_findings == "Better data use"
    assert "Better data use" in client_for("coordinator").get("/lessons/").content.decode()
    services.finding_save(
        summit=summit, council=birmingham, key_findings="Better data use", recommendations=[]
    )
    assert LessonLearnt.objects.exists()  # None: the lessons are left as they are
    services.finding_save(
        summit=summit,
        council=birmingham,
        key_findings="Better data use",
        recommendations=[],
        publish_as_lesson=False,
    )
    assert not LessonLearnt.objects.exists()
