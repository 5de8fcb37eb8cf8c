from django.db import migrations


def load(apps, schema_editor):
    from kesu.classification.loading import load_defaults

    load_defaults(apps.get_model("classification", "CodeEntry"))


class Migration(migrations.Migration):

    dependencies = [
        ("classification", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
