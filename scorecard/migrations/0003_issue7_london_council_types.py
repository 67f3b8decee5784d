# Issue 7: the five ASCOF council-type groups (inner and outer London apart).

from django.db import migrations, models


def link_london_types(apps, schema_editor):
    """Published "Inner London" / "Outer London" comparator areas now match a council type."""
    Area = apps.get_model("scorecard", "Area")
    for key, council_type in (("type:inner-london", "inner_london"), ("type:outer-london", "outer_london")):
        Area.objects.filter(key=key, council_type="").update(council_type=council_type)


class Migration(migrations.Migration):

    dependencies = [
        ('scorecard', '0002_load_catalogue'),
    ]

    operations = [
        migrations.AlterField(
            model_name='area',
            name='council_type',
            field=models.CharField(blank=True, choices=[('metropolitan_district', 'Metropolitan district'), ('unitary', 'Unitary authority'), ('county', 'County council'), ('inner_london', 'Inner London borough'), ('outer_london', 'Outer London borough'), ('london_borough', 'London borough')], help_text='For council-type areas that match one of our council types', max_length=32),
        ),
        migrations.RunPython(link_london_types, migrations.RunPython.noop),
    ]
