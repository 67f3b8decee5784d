"""Load the shipped frameworks (the six domains; CQC's 4 themes and 9 quality statements) and put every cycle
opened before frameworks existed on the six domains, which is what it was written against."""

from django.db import migrations


def frameworks_load_and_assign(apps, schema_editor):  # type: ignore[no-untyped-def]
    from selfassessment.frameworks import SIX_DOMAINS, frameworks_load

    frameworks_load(apps=apps)
    framework = apps.get_model("selfassessment", "SelfAssessmentFramework").objects.get(slug=SIX_DOMAINS)
    apps.get_model("selfassessment", "SelfAssessmentCycle").objects.filter(framework__isnull=True).update(
        framework=framework
    )


class Migration(migrations.Migration):
    dependencies = [("selfassessment", "0002_self_assessment_frameworks")]

    operations = [migrations.RunPython(frameworks_load_and_assign, migrations.RunPython.noop)]
