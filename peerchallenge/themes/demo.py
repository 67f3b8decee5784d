"""Demo themes, work programme and findings for the past (held) demo summit: deterministic, marked is_demo
(so ``manage.py remove_demo_data`` removes them), and labelled as synthetic wherever they are shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from peerchallenge.models import LessonLearnt, Summit
from peerchallenge.selectors import group_councils, group_sessions, summit_groups
from peerchallenge.themes import services
from peerchallenge.themes.models import Recommendation, SessionFinding, Theme, WorkItem, WorkProgramme
from scorecard.models import Domain, Measure

# (title, description, domain name, every n-th council raised it, what was said)
DEMO_THEMES = [
    (
        "Reliance on agency social workers",
        "Agency spend is high and teams turn over; a regional approach to pay and career paths could help.",
        "Resources and Workforce Management",
        1,
        "Most councils said recruitment to experienced posts is the hardest problem.",
    ),
    (
        "Using reablement outcomes data in front-line teams",
        "The 91-day figure is reported but front-line teams do not see or use it.",
        "Performance and Outcomes",
        2,
        "Teams asked for a simple monthly view of their own outcomes.",
    ),
    (
        "Links with community health services",
        "Hospital discharge works well; links with community health are weaker.",
        "National Priorities and Partnerships",
        3,
        "Shared records and joint triage were suggested.",
    ),
    (
        "Market position statements out of date",
        "Several market position statements are more than three years old.",
        "Commissioning and Quality",
        4,
        "A shared regional template was offered.",
    ),
    (
        "Evaluating strengths-based practice",
        "Programmes are in place but few have been evaluated.",
        "Culture and Change",
        5,
        "Universities in the region could help evaluate.",
    ),
]
# Work-programme items from the first three themes: (status, lead, priority, months to due, updates)
DEMO_ITEMS = [
    (
        WorkItem.Status.IN_PROGRESS,
        "Regional workforce network",
        WorkItem.Priority.HIGH,
        9,
        [("agreed", "Agreed by the region's directors."), ("in_progress", "Pay benchmarking under way.")],
    ),
    (
        WorkItem.Status.AGREED,
        "SLI lead",
        WorkItem.Priority.MEDIUM,
        6,
        [("agreed", "Agreed: a monthly outcomes view for teams.")],
    ),
    (WorkItem.Status.PROPOSED, "Partnerships network", WorkItem.Priority.LOW, 12, []),
]
DEMO_RECOMMENDATIONS = [
    ("Publish a workforce plan with the local NHS.", Recommendation.FollowUp.IN_PROGRESS),
    ("Share outcome figures with team managers monthly.", Recommendation.FollowUp.DONE),
]


@dataclass
class DemoThemesSummary:
    themes: int = 0
    items: int = 0
    findings: int = 0


@transaction.atomic
def seed_demo_themes(*, summit: Summit) -> DemoThemesSummary:
    """Themes, a published work programme for the summit's year, and findings with six-month follow-up
    (idempotent: nothing is added when the summit already has demo themes)."""
    summary = DemoThemesSummary()
    if Theme.objects.filter(summit=summit, is_demo=True).exists():
        return summary
    councils = list(summit.participants.order_by("name"))
    groups = summit_groups(summit=summit)
    domains = {d.name: d for d in Domain.objects.all()}
    themes = []
    for i, (title, description, domain_name, every, note) in enumerate(DEMO_THEMES):
        raised = councils[i % every :: every] if every > 1 else councils
        domain = domains.get(domain_name)
        measures = list(Measure.objects.filter(domain=domain).exclude(framework="local").order_by("code")[:1])
        sessions = [g for g in groups if any(c in raised for c in group_councils(g))]
        data = services.ThemeInput(
            title=title,
            description=description + " (Demo theme, not from a real summit.)",
            note=note,
            domains=[domain] if domain else [],
            councils=raised,
            measures=measures,
            sessions=sessions,
        )
        theme = services.theme_create(summit=summit, data=data, by=None, client_id=f"demo-{i}").theme
        themes.append(theme)
        summary.themes += 1
    services.themes_publish(summit=summit, by=None)
    WorkProgramme.objects.get_or_create(
        region=summit.region, year=summit.date.year, defaults={"is_demo": True, "is_published": True}
    )
    for theme, (status, lead, priority, months, updates) in zip(themes, DEMO_ITEMS, strict=False):
        item = services.work_item_from_theme(theme=theme)
        item.lead, item.priority = lead, priority
        item.due_date = summit.date + dt.timedelta(days=30 * months)
        item.is_demo = True
        item.save()
        for n, (to, text) in enumerate(updates, start=1):
            services.work_item_update(
                item=item,
                text=f"{text} (Demo update.)",
                status=to,
                by=None,
                date=summit.date + dt.timedelta(days=21 * n),
            )
        item.updates.update(is_demo=True)
        assert item.status == status
        summary.items += 1
    for group in groups[:4]:
        for _challenger, challenged, _observer in group_sessions(group_councils(group))[:1]:
            finding = services.finding_save(
                summit=summit,
                council=challenged,
                key_findings=lesson.key_findings
                if (lesson := LessonLearnt.objects.filter(summit=summit, host=challenged).first())
                else f"{challenged.name}: clear leadership; workforce pressures. (Demo finding, not a real review.)",
                recommendations=[text for text, _ in DEMO_RECOMMENDATIONS],
            )
            for recommendation, (_, follow_up) in zip(
                finding.recommendations.order_by("pk"), DEMO_RECOMMENDATIONS, strict=False
            ):
                services.recommendation_follow_up(
                    recommendation=recommendation,
                    status=follow_up,
                    note="Demo follow-up.",
                    on=summit.date + dt.timedelta(days=182),
                )
            SessionFinding.objects.filter(pk=finding.pk).update(is_demo=True)
            Recommendation.objects.filter(finding=finding).update(is_demo=True)
            summary.findings += 1
    return summary
