"""Supervision reads. Contracts used by other apps:
- `vexatious_record_for(complainant | id, *, id_number_index, phone_index)`
  (intake, S6.11)
- `supervision_reminders_for(user)` (workbench, S4)
- `revisions_count(company, period)` and `rectification_counts(company, period)`,
  `public_notices_count(company, period)` (assessment)
- `department_figures(companies=, period=)` (reports, joint meetings)."""

from .figures import DepartmentFigures, department_figures
from .notices import public_notices_count
from .registers import (
    rectification_counts,
    vexatious_record_for,
    vexatious_records_for,
)
from .reminders import Reminder, supervision_reminders_for
from .sampling import revisions_count

__all__ = [
    "DepartmentFigures",
    "Reminder",
    "department_figures",
    "public_notices_count",
    "rectification_counts",
    "revisions_count",
    "supervision_reminders_for",
    "vexatious_record_for",
    "vexatious_records_for",
]
