"""Summits and question banks name the self-assessment cycle in its own app: the same table, so only the
migration state changes (the foreign keys in the database already point at it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('peerchallenge', '0008_summit_period_question_demo'),
        ('selfassessment', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='questionbankitem',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='question_bank', to='selfassessment.selfassessmentcycle'),
                ),
                migrations.AlterField(
                    model_name='summit',
                    name='cycle',
                    field=models.ForeignKey(blank=True, help_text='The self-assessments the challenge packs and the pairing use', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='summits', to='selfassessment.selfassessmentcycle', verbose_name='self-assessment cycle'),
                ),
            ],
        ),
    ]
