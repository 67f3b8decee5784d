"""Self-assessment's models, moved from the scorecard app over the tables they already had (state only).

A database migrated before the move keeps every row: the tables keep their ``scorecard_…`` names (``db_table``),
history and many-to-many tables too, and nothing here touches them. The content types of the moved models are
relabelled, so the admin's log and any granted permission follow them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = (
    "selfassessmentcycle",
    "selfassessment",
    "domainassessment",
    "historicalselfassessmentcycle",
    "historicalselfassessment",
    "historicaldomainassessment",
    "historicaldomainassessment_measures",
)


def _relabel(apps, source, target):  # type: ignore[no-untyped-def]
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=target, model__in=MOVED).values_list("model", flat=True))
    content_type.objects.filter(app_label=source, model__in=[m for m in MOVED if m not in taken]).update(
        app_label=target
    )


def content_types_relabel(apps, schema_editor):  # type: ignore[no-untyped-def]
    _relabel(apps, "scorecard", "selfassessment")


def content_types_unlabel(apps, schema_editor):  # type: ignore[no-untyped-def]
    _relabel(apps, "selfassessment", "scorecard")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('councils', '0006_user_previous_login'),
        ('scorecard', '0011_import_kinds_for_cqc_and_mapped_files'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='DomainAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rating', models.CharField(blank=True, choices=[('green', 'Green'), ('amber', 'Amber'), ('red', 'Red')], max_length=5)),
                        ('strengths', models.TextField(blank=True, max_length=5000)),
                        ('improvements', models.TextField(blank=True, max_length=5000)),
                        ('evidence', models.TextField(blank=True, max_length=5000)),
                        ('domain', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scorecard.domain')),
                        ('measures', models.ManyToManyField(blank=True, db_table='scorecard_domainassessment_measures', related_name='+', to='scorecard.measure')),
                    ],
                    options={
                        'db_table': 'scorecard_domainassessment',
                        'ordering': ['self_assessment', 'domain__position'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalDomainAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('rating', models.CharField(blank=True, choices=[('green', 'Green'), ('amber', 'Amber'), ('red', 'Red')], max_length=5)),
                        ('strengths', models.TextField(blank=True, max_length=5000)),
                        ('improvements', models.TextField(blank=True, max_length=5000)),
                        ('evidence', models.TextField(blank=True, max_length=5000)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('domain', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='scorecard.domain')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical domain assessment',
                        'verbose_name_plural': 'historical domain assessments',
                        'db_table': 'scorecard_historicaldomainassessment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalDomainAssessment_measures',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('domainassessment', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='selfassessment.domainassessment')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='selfassessment.historicaldomainassessment')),
                        ('measure', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='scorecard.measure')),
                    ],
                    options={
                        'verbose_name': 'HistoricalDomainAssessment_measures',
                        'db_table': 'scorecard_historicaldomainassessment_measures',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSelfAssessmentCycle',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('slug', models.SlugField(max_length=100)),
                        ('closes_on', models.DateField(help_text='The date self-assessments are due')),
                        ('state', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=8)),
                        ('prompts', models.JSONField(blank=True, default=dict, help_text="Domain slug → the 'areas to consider' shown with that domain")),
                        ('is_demo', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('period', models.ForeignKey(blank=True, db_constraint=False, help_text='The data period each self-rating is compared with', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='scorecard.period')),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='councils.region')),
                    ],
                    options={
                        'verbose_name': 'historical self assessment cycle',
                        'verbose_name_plural': 'historical self assessment cycles',
                        'db_table': 'scorecard_historicalselfassessmentcycle',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SelfAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('reopened', 'Reopened')], default='draft', max_length=10)),
                        ('version', models.PositiveIntegerField(default=0, help_text='Raised by one on every save')),
                        ('top_risk_1', models.TextField(blank=True, max_length=500)),
                        ('top_risk_2', models.TextField(blank=True, max_length=500)),
                        ('top_risk_3', models.TextField(blank=True, max_length=500)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('reopened_at', models.DateTimeField(blank=True, null=True)),
                        ('reopen_reason', models.TextField(blank=True, max_length=500)),
                        ('reopen_requested_at', models.DateTimeField(blank=True, null=True)),
                        ('reopen_request_reason', models.TextField(blank=True, max_length=500)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('is_demo', models.BooleanField(default=False)),
                        ('council', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='self_assessments', to='councils.council')),
                        ('reopen_requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reopened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'scorecard_selfassessment',
                        'ordering': ['cycle', 'council__name'],
                    },
                ),
                migrations.AddField(
                    model_name='historicaldomainassessment',
                    name='self_assessment',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='selfassessment.selfassessment'),
                ),
                migrations.AddField(
                    model_name='domainassessment',
                    name='self_assessment',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='domains', to='selfassessment.selfassessment'),
                ),
                migrations.CreateModel(
                    name='SelfAssessmentCycle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('slug', models.SlugField(max_length=100)),
                        ('closes_on', models.DateField(help_text='The date self-assessments are due')),
                        ('state', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=8)),
                        ('prompts', models.JSONField(blank=True, default=dict, help_text="Domain slug → the 'areas to consider' shown with that domain")),
                        ('is_demo', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('period', models.ForeignKey(help_text='The data period each self-rating is compared with', on_delete=django.db.models.deletion.PROTECT, related_name='self_assessment_cycles', to='scorecard.period')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='self_assessment_cycles', to='councils.region')),
                    ],
                    options={
                        'db_table': 'scorecard_selfassessmentcycle',
                        'ordering': ['region', '-closes_on', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='selfassessment',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='selfassessment.selfassessmentcycle'),
                ),
                migrations.CreateModel(
                    name='HistoricalSelfAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('reopened', 'Reopened')], default='draft', max_length=10)),
                        ('version', models.PositiveIntegerField(default=0, help_text='Raised by one on every save')),
                        ('top_risk_1', models.TextField(blank=True, max_length=500)),
                        ('top_risk_2', models.TextField(blank=True, max_length=500)),
                        ('top_risk_3', models.TextField(blank=True, max_length=500)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('reopened_at', models.DateTimeField(blank=True, null=True)),
                        ('reopen_reason', models.TextField(blank=True, max_length=500)),
                        ('reopen_requested_at', models.DateTimeField(blank=True, null=True)),
                        ('reopen_request_reason', models.TextField(blank=True, max_length=500)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('is_demo', models.BooleanField(default=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('council', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='councils.council')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reopen_requested_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reopened_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cycle', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='selfassessment.selfassessmentcycle')),
                    ],
                    options={
                        'verbose_name': 'historical self assessment',
                        'verbose_name_plural': 'historical self assessments',
                        'db_table': 'scorecard_historicalselfassessment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='domainassessment',
                    constraint=models.UniqueConstraint(fields=('self_assessment', 'domain'), name='one_rating_per_domain'),
                ),
                migrations.AddConstraint(
                    model_name='selfassessmentcycle',
                    constraint=models.UniqueConstraint(fields=('region', 'slug'), name='unique_cycle_slug_in_region'),
                ),
                migrations.AddConstraint(
                    model_name='selfassessment',
                    constraint=models.UniqueConstraint(fields=('cycle', 'council'), name='one_self_assessment_per_cycle'),
                ),
            ],
        ),
        migrations.RunPython(content_types_relabel, content_types_unlabel, elidable=True),
    ]
