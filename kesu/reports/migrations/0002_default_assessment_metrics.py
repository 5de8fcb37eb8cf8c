"""Default weights and formulas (D-): head office edits them afterwards."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # metric, weight, formula, points per unit
    ("on_time_rate", "25", "rate", "0"),
    ("reinvestigation_rate", "10", "inverse_rate", "0"),
    ("escalation_rate", "15", "inverse_rate", "0"),
    ("liable_rate", "10", "inverse_rate", "0"),
    ("satisfaction_rate", "20", "rate", "0"),
    ("breaches", "10", "deduction", "5"),
    ("public_notices", "5", "deduction", "20"),
    ("revisions", "5", "deduction", "10"),
]


def seed(apps, schema_editor):
    AssessmentMetric = apps.get_model("reports", "AssessmentMetric")
    for metric, weight, formula, points in DEFAULTS:
        AssessmentMetric.objects.get_or_create(
            metric=metric, defaults={"weight": Decimal(weight), "formula": formula,
                                     "points_per_unit": Decimal(points)})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
