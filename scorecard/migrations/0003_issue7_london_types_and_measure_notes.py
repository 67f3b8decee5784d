# The five ASCOF council-type groups; each measure's definition, what is counted, source, caveats.

from django.db import migrations, models


def link_london_types(apps, schema_editor):
    """Published "Inner London" / "Outer London" comparator areas now match a council type."""
    Area = apps.get_model("scorecard", "Area")
    for key, council_type in (("type:inner-london", "inner_london"), ("type:outer-london", "outer_london")):
        Area.objects.filter(key=key, council_type="").update(council_type=council_type)


def load_notes(apps, schema_editor):
    from scorecard.catalogue import measure_notes_load

    measure_notes_load(measure_model=apps.get_model("scorecard", "Measure"))


class Migration(migrations.Migration):

    dependencies = [
        ('scorecard', '0002_load_catalogue'),
    ]

    operations = [
        migrations.AddField(
            model_name='measure',
            name='caveats',
            field=models.TextField(blank=True, help_text='Gaps (e.g. the 2020-21 survey), changes between framework versions, quirks'),
        ),
        migrations.AddField(
            model_name='measure',
            name='counted',
            field=models.TextField(blank=True, help_text='Numerator, denominator, population', verbose_name='what is counted'),
        ),
        migrations.AddField(
            model_name='measure',
            name='source_basis',
            field=models.TextField(blank=True, help_text='The collection or survey the figures come from', verbose_name='source and survey basis'),
        ),
        migrations.AlterField(
            model_name='area',
            name='council_type',
            field=models.CharField(blank=True, choices=[('metropolitan_district', 'Metropolitan district'), ('unitary', 'Unitary authority'), ('county', 'County council'), ('inner_london', 'Inner London borough'), ('outer_london', 'Outer London borough'), ('london_borough', 'London borough')], help_text='For council-type areas that match one of our council types', max_length=32),
        ),
        migrations.AlterField(
            model_name='measure',
            name='description',
            field=models.TextField(blank=True, help_text='The definition, as the national tools give it'),
        ),
        migrations.RunPython(link_london_types, migrations.RunPython.noop),
        migrations.RunPython(load_notes, migrations.RunPython.noop),
    ]
