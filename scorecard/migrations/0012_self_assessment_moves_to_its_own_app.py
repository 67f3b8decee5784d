"""Self-assessment moves to its own app: scorecard forgets its models; the tables stay (state only).

``selfassessment/migrations/0001_initial.py`` declares the same models over the same tables first, and
peer challenge points its foreign keys at them (``peerchallenge/migrations/0009_…``), so no row moves.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('scorecard', '0011_import_kinds_for_cqc_and_mapped_files'),
        ('selfassessment', '0001_initial'),
        ('peerchallenge', '0009_self_assessment_cycle_in_its_own_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicaldomainassessment_measures',
                    name='domainassessment',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainassessment',
                    name='domain',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainassessment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainassessment',
                    name='self_assessment',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainassessment_measures',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicaldomainassessment_measures',
                    name='measure',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='reopen_requested_by',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='reopened_by',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessment',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessmentcycle',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessmentcycle',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessmentcycle',
                    name='period',
                ),
                migrations.RemoveField(
                    model_name='historicalselfassessmentcycle',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='reopen_requested_by',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='reopened_by',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='selfassessment',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='selfassessmentcycle',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='selfassessmentcycle',
                    name='period',
                ),
                migrations.RemoveField(
                    model_name='selfassessmentcycle',
                    name='region',
                ),
                migrations.DeleteModel(
                    name='DomainAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalDomainAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalDomainAssessment_measures',
                ),
                migrations.DeleteModel(
                    name='HistoricalSelfAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalSelfAssessmentCycle',
                ),
                migrations.DeleteModel(
                    name='SelfAssessment',
                ),
                migrations.DeleteModel(
                    name='SelfAssessmentCycle',
                ),
            ],
        ),
    ]
