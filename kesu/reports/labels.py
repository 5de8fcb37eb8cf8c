"""Display names of codes in reports: the classification code tables (R3.2)
plus the model choices, looked up in one query per report."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kesu.classification.models import CodeEntry
from kesu.complaints.models import Source
from kesu.organisation.models import DepartmentKind

TABLES = (
    "channel",
    "product_type",
    "sales_channel",
    "business_category",
    "cause",
    "responsible_link",
)


class Labels:
    """labels.name("cause", "claims") → "理赔"; unknown codes show as themselves."""

    def __init__(self) -> None:
        english = (get_language() or "").startswith("en")
        self._names: dict[tuple[str, str], str] = {}
        self.cause_groups: dict[str, str] = {}
        rows = CodeEntry.objects.filter(table__in=TABLES).values_list(
            "table", "code", "name_zh", "name_en", "group"
        )
        for table, code, zh, en, group in rows:
            self._names[(table, code)] = en if english and en else zh
            if table == "cause":
                self.cause_groups[code] = group
        for value, label in Source.choices:
            self._names[("source", value)] = str(label)
        for value, label in DepartmentKind.choices:
            self._names[("department_kind", value)] = str(label)

    def name(self, table: str, code: str | None) -> str:
        if not code:
            return _("未填写")
        return self._names.get((table, code), code)
