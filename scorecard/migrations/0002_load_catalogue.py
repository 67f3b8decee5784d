"""Seed the six balanced-scorecard domains and both ASCOF frameworks' measures (fixtures/*.csv)."""

from django.db import migrations


def load(apps, schema_editor):
    from scorecard.catalogue import catalogue_load

    catalogue_load(domain_model=apps.get_model("scorecard", "Domain"),
                   measure_model=apps.get_model("scorecard", "Measure"))


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
