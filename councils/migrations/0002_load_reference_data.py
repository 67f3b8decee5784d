"""Load the nine English regions and the committed councils (fixtures/*.csv). Idempotent."""

from django.db import migrations


def load(apps, schema_editor):
    from councils.services import reference_data_load

    reference_data_load(region_model=apps.get_model("councils", "Region"),
                        council_model=apps.get_model("councils", "Council"))


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
