"""Loading code tables from CSV (DESIGN §7). Used by the data migration (with
the historical model) and by `manage.py load_code_tables <file>`.

A file has the columns code, name_zh, name_en, group, order[, active] and
either a `table` column or takes its table from the file name
(`cause.csv` → table `cause`), so GB/T 43568 Annex A can be loaded as one file."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRUE = {"1", "true", "yes", "y", "是", ""}


def read_rows(path: Path, table: str | None = None) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "name_zh"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                f"{path.name}: missing columns {', '.join(sorted(missing))}"
            )
        rows = []
        for n, row in enumerate(reader, start=2):
            row_table = (row.get("table") or table or path.stem).strip()
            code = (row.get("code") or "").strip()
            if not code or not (row.get("name_zh") or "").strip():
                raise ValueError(f"{path.name}:{n}: code and name_zh are required")
            rows.append(
                {
                    "table": row_table,
                    "code": code,
                    "name_zh": row["name_zh"].strip(),
                    "name_en": (row.get("name_en") or "").strip(),
                    "group": (row.get("group") or "").strip(),
                    "order": int((row.get("order") or "0").strip() or 0),
                    "active": (row.get("active") or "").strip().lower() in TRUE,
                }
            )
        return rows


def load_rows(model, rows: list[dict]) -> tuple[int, int]:
    """Upsert by (table, code). Returns (created, updated)."""
    created = updated = 0
    for row in rows:
        _, was_created = model.objects.update_or_create(
            table=row["table"],
            code=row["code"],
            defaults={k: v for k, v in row.items() if k not in ("table", "code")},
        )
        created += was_created
        updated += not was_created
    _forget_cached()
    return created, updated


def _forget_cached() -> None:
    from .selectors import invalidate

    invalidate()


def load_defaults(model) -> int:
    total = 0
    for path in sorted(DATA_DIR.glob("*.csv")):
        created, updated = load_rows(model, read_rows(path))
        total += created + updated
    return total
