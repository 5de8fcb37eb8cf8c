"""Load or update code tables from a CSV file (DESIGN §7), e.g. GB/T 43568
Annex A once obtained: `manage.py load_code_tables annex_a.csv --table cause`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kesu.classification.loading import load_defaults, load_rows, read_rows
from kesu.classification.models import CodeEntry, CodeTable


class Command(BaseCommand):
    help = (
        "Load code tables from a CSV file "
        "(columns: [table,]code,name_zh,name_en,group,order[,active])"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file; omit with --defaults")
        parser.add_argument("--table", help="table for files without a `table` column")
        parser.add_argument(
            "--defaults",
            action="store_true",
            help="(re)load the default tables shipped with kesu",
        )

    def handle(self, *args, file=None, table=None, defaults=False, **options):
        if defaults:
            self.stdout.write(f"loaded {load_defaults(CodeEntry)} default codes")
            return
        if not file:
            raise CommandError("give a CSV file or --defaults")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            rows = read_rows(path, table)
        except (ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        unknown = {r["table"] for r in rows} - set(CodeTable.values)
        if unknown:
            raise CommandError(
                f"unknown tables: {', '.join(sorted(unknown))} "
                f"(known: {', '.join(CodeTable.values)})"
            )
        with transaction.atomic():
            created, updated = load_rows(CodeEntry, rows)
        self.stdout.write(f"{created} created, {updated} updated")
