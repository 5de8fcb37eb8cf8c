"""Indexes for the pages measured at a million complaints (issue 8 §4),
found with EXPLAIN ANALYZE on the benchmark data (bench/RESULTS.md):

- complaint_handler_open_due: the workbench's "my open cases" queue
  (handler = me, open, by due date) walked the due-date index over every
  case of every handler: 2.4 s at 1M, now an index range of 50 rows;
- complaint_state_received: the case list filtered by state, newest first,
  and its deep (keyset) pages;
- complaint_open_company_due: the dashboard's open / overdue / due-soon
  counts per company, read from this small index alone.

Plain SQL both databases accept (partial indexes exist on SQLite too); kept
out of the model's Meta so the lifecycle's models stay as they are."""

from django.db import migrations

OPEN = "('registered', 'accepted', 'investigating', 'reviewing', 'replied', 'closure_proposed')"
INDEXES = {
    "complaint_handler_open_due":
        f"(handler_id, due_date, id) WHERE state IN {OPEN}",
    "complaint_state_received": "(state, received_at DESC, id DESC)",
    "complaint_open_company_due":
        f"(owning_company_id, due_date) WHERE state IN {OPEN}",
}

operations = [
    migrations.RunSQL(
        f"CREATE INDEX IF NOT EXISTS {name} ON complaints_complaint {definition}",
        f"DROP INDEX IF EXISTS {name}",
    )
    for name, definition in INDEXES.items()
]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_sweep_partial_indexes")]
    operations = operations
