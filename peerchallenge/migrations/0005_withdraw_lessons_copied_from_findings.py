"""Lessons learnt are what the coordinator chooses to publish; saving findings used to copy them there.

Withdraw the copies: a (non-demo) lesson of a summit whose text is exactly the key findings of that
council's session. Nothing is lost: the findings keep the text, and the coordinator can publish it as a
lesson from the findings page.
"""

from django.db import migrations


def withdraw_copies(apps, schema_editor):  # type: ignore[no-untyped-def]
    LessonLearnt = apps.get_model("peerchallenge", "LessonLearnt")
    SessionFinding = apps.get_model("peerchallenge", "SessionFinding")
    findings = {
        (summit_id, council_id): text
        for summit_id, council_id, text in SessionFinding.objects.values_list(
            "summit_id", "council_id", "key_findings"
        )
    }
    copies = [
        lesson.pk
        for lesson in LessonLearnt.objects.filter(summit__isnull=False, is_demo=False).only(
            "pk", "summit_id", "host_id", "key_findings"
        )
        if findings.get((lesson.summit_id, lesson.host_id)) == lesson.key_findings
    ]
    LessonLearnt.objects.filter(pk__in=copies).delete()


class Migration(migrations.Migration):
    dependencies = [("peerchallenge", "0004_issue15_themes")]

    operations = [migrations.RunPython(withdraw_copies, migrations.RunPython.noop)]
