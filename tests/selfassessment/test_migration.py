"""A database holding self-assessments, migrated across the move into the selfassessment app, keeps them.

The database is taken back to the last state before the move (the models were scorecard's), a self-assessment is
written there with the models of that state (its history, its linked measures and the history of those, a
question bank item pointing at its cycle), and the database is migrated forward to the latest state.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

BEFORE_THE_MOVE = [
    ("scorecard", "0011_import_kinds_for_cqc_and_mapped_files"),
    ("peerchallenge", "0008_summit_period_question_demo"),
    ("selfassessment", None),
]


def _migrate(targets=None):  # type: ignore[no-untyped-def]
    """Migrate to ``targets`` (None: the latest); the app registry of the state reached."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps


def _write_before_the_move(apps) -> dict[str, int]:  # type: ignore[no-untyped-def]
    def model(name: str):  # type: ignore[no-untyped-def]
        return apps.get_model("scorecard", name)

    content_type = apps.get_model("contenttypes", "ContentType")
    # A database from before the move holds content types under the scorecard label only.
    content_type.objects.filter(app_label="selfassessment").delete()
    assessment_type = content_type.objects.get_or_create(app_label="scorecard", model="selfassessment")[0]

    region = apps.get_model("councils", "Region").objects.get(gss_code="E12000005")
    council = apps.get_model("councils", "Council").objects.get(gss_code="E08000025")
    period = model("Period").objects.get_or_create(label="2023-24", defaults={"start_year": 2023})[0]
    domain = model("Domain").objects.order_by("position").first()
    measure = model("Measure").objects.order_by("pk").first()
    cycle = model("SelfAssessmentCycle").objects.create(
        region=region,
        name="Before the move",
        slug="before-the-move",
        closes_on=dt.date(2026, 3, 31),
        period=period,
    )
    assessment = model("SelfAssessment").objects.create(
        cycle=cycle, council=council, status="submitted", version=3, top_risk_1="Waiting lists"
    )
    rating = model("DomainAssessment").objects.create(
        self_assessment=assessment, domain=domain, rating="amber", strengths="Strong front door"
    )
    rating.measures.add(measure)
    now = timezone.now()
    model("HistoricalSelfAssessment").objects.create(
        id=assessment.pk,
        cycle=cycle,
        council=council,
        status="draft",
        version=1,
        top_risk_1="Waiting lists",
        updated_at=now,
        history_date=now,
        history_type="+",
    )
    history = model("HistoricalDomainAssessment").objects.create(
        id=rating.pk,
        self_assessment=assessment,
        domain=domain,
        rating="amber",
        strengths="Strong front door",
        history_date=now,
        history_type="+",
    )
    link = model("DomainAssessment").measures.through.objects.get(domainassessment=rating, measure=measure)
    model("HistoricalDomainAssessment_measures").objects.create(
        id=link.pk, history=history, domainassessment=rating, measure=measure
    )
    apps.get_model("peerchallenge", "QuestionBankItem").objects.create(
        cycle=cycle, domain=domain, text="How do you know?"
    )
    return {
        "cycle": cycle.pk,
        "assessment": assessment.pk,
        "rating": rating.pk,
        "measure": measure.pk,
        "domain": domain.pk,
        "content_type": assessment_type.pk,
    }


def test_a_self_assessment_keeps_its_rows_history_and_links_through_the_move(reference_data):
    written = _write_before_the_move(_migrate(BEFORE_THE_MOVE))
    _migrate()

    from django.contrib.contenttypes.models import ContentType

    from peerchallenge.packs.models import QuestionBankItem
    from selfassessment.models import DomainAssessment, SelfAssessment, SelfAssessmentCycle

    cycle = SelfAssessmentCycle.objects.get(pk=written["cycle"])
    assert (cycle.name, cycle.slug, cycle.region.gss_code) == (
        "Before the move",
        "before-the-move",
        "E12000005",
    )
    assessment = SelfAssessment.objects.get(pk=written["assessment"])
    assert (assessment.cycle, assessment.council.gss_code) == (cycle, "E08000025")
    assert (assessment.status, assessment.version, assessment.top_risk_1) == ("submitted", 3, "Waiting lists")
    assert [h.status for h in assessment.history.all()] == ["draft"]

    rating = DomainAssessment.objects.get(pk=written["rating"])
    assert (rating.self_assessment, rating.domain_id, rating.rating) == (
        assessment,
        written["domain"],
        "amber",
    )
    assert [m.pk for m in rating.measures.all()] == [written["measure"]]
    (history,) = rating.history.all()
    assert history.strengths == "Strong front door"
    assert [row.measure_id for row in history.measures.all()] == [written["measure"]]

    assert QuestionBankItem.objects.get(cycle=cycle).text == "How do you know?"
    # The admin's log and granted permissions follow the model: its content type was relabelled, not replaced.
    assert ContentType.objects.get_for_model(SelfAssessment).pk == written["content_type"]

    # The moved models write to the same tables as before.
    assert SelfAssessment._meta.db_table == "scorecard_selfassessment"
    assert rating.measures.through._meta.db_table == "scorecard_domainassessment_measures"
