# Every English council with adult social services duties (fixtures/councils.csv).

from django.db import migrations, models


def load(apps, schema_editor):
    """Councils created by an earlier national import (region blank) get their region, type and status."""
    from councils.services import reference_data_load

    reference_data_load(
        region_model=apps.get_model("councils", "Region"), council_model=apps.get_model("councils", "Council")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0004_nearestneighbour_is_demo'),
    ]

    operations = [
        migrations.AddField(
            model_name='council',
            name='status',
            field=models.CharField(choices=[('current', 'Current'), ('former', 'Former (abolished; its figures are kept as history)')], default='current', max_length=8),
        ),
        migrations.AddField(
            model_name='council',
            name='successors',
            field=models.ManyToManyField(blank=True, help_text='For a former council: the council(s) that took over its duties', related_name='predecessors', to='councils.council'),
        ),
        migrations.AlterField(
            model_name='council',
            name='council_type',
            field=models.CharField(choices=[('metropolitan_district', 'Metropolitan district'), ('unitary', 'Unitary authority'), ('county', 'County council'), ('inner_london', 'Inner London borough'), ('outer_london', 'Outer London borough'), ('london_borough', 'London borough')], max_length=32),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
