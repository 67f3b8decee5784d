"""The two frameworks shipped as data: the six domains and CQC's quality statements for local authorities.

CQC's themes and statements are written once, in ``scorecard.scoring.CQC_STATEMENTS`` (the published-outcome
register reads them too); this module copies them into rows, which the admin may then correct or add to. A
framework of a region's own, or CQC's next revision, is added as rows (admin or fixture), never as code.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as installed_apps

from scorecard.scoring import CQC_FRAMEWORK_URL, CQC_STATEMENTS

SIX_DOMAINS = "six-domains"
CQC_LOCAL_AUTHORITY = "cqc-local-authority"

SHIPPED = (
    {
        "slug": SIX_DOMAINS,
        "name": "The six domains",
        "kind": "domains",
        "description": (
            "The regional balanced scorecard's six risk domains, each rated green, amber or red and set beside "
            "the council's data."
        ),
        "url": "",
        "compared_with_cqc": False,
        "position": 1,
    },
    {
        "slug": CQC_LOCAL_AUTHORITY,
        "name": "CQC's assessment of local authorities: 4 themes, 9 quality statements",
        "kind": "statements",
        "description": (
            "The Care Quality Commission's framework for assessing how a council meets its duties under Part 1 "
            "of the Care Act, each quality statement scored 1 to 4 in CQC's words; the overall rating follows "
            "CQC's thresholds."
        ),
        "url": CQC_FRAMEWORK_URL,
        "compared_with_cqc": True,
        "position": 2,
    },
)


def frameworks_load(*, apps: Any = None) -> int:
    """Create the shipped frameworks and CQC's statements where missing (rows already there are left as the
    admin made them). ``apps``: a migration's app registry. Returns how many rows were created."""
    registry = apps or installed_apps
    framework_model = registry.get_model("selfassessment", "SelfAssessmentFramework")
    statement_model = registry.get_model("selfassessment", "FrameworkStatement")
    created = 0
    for spec in SHIPPED:
        framework, made = framework_model.objects.get_or_create(
            slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"}
        )
        created += made
        if spec["slug"] != CQC_LOCAL_AUTHORITY:
            continue
        for statement in CQC_STATEMENTS:
            _, made = statement_model.objects.get_or_create(
                framework=framework,
                number=statement.number,
                defaults={"theme": statement.theme, "name": statement.name, "url": statement.url},
            )
            created += made
    return created
