"""manage.py import_organisation <file.xlsx>: all or nothing (see importexport)."""

from django.core.management.base import BaseCommand, CommandError

from kesu.errors import DomainValidationError
from kesu.organisation.importexport import organisation_import


class Command(BaseCommand):
    help = "Import companies and departments from an Excel file (sheets 机构, 部门)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                result = organisation_import(file=handle)
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except DomainValidationError as exc:
            raise CommandError(
                "\n".join(exc.data.get("errors") or [str(exc.message)])
            ) from None
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}"
        )
