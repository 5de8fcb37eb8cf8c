"""The workbench's "findings back, waiting for review" queue at a million
complaints (issue 8 §4), found with EXPLAIN ANALYZE on the benchmark data:
the handler's cases under investigation by due date, each probed in the
index of answered investigations (34,000 of 915,000 rows), instead of
intersecting the handler's open cases with the 93,000 cases in those
states (a bitmap over the state index: 25-100 ms for one count).

- complaint_handler_review_due: (handler, due date, id) of the cases in
  investigation or review — the queue's rows in order, and its capped count;
- investigation_answered: the cases with an answered investigation,
  read from the index alone (index-only probes).

Partial indexes: a case outside those states or an investigation not
answered costs nothing to insert."""

from django.db import migrations

INDEXES = {
    "complaint_handler_review_due": (
        "complaints_complaint (handler_id, due_date, id) "
        "WHERE state IN ('investigating', 'reviewing')"
    ),
    "investigation_answered": (
        "complaints_investigation (complaint_id) WHERE status = 'answered'"
    ),
}


class Migration(migrations.Migration):
    dependencies = [("ops", "0002_dashboard_covering_indexes")]
    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
