"""manage.py export_organisation <file.xlsx>"""

from django.core.management.base import BaseCommand

from kesu.organisation.importexport import organisation_export


class Command(BaseCommand):
    help = "Export the organisation tree to an Excel file (sheets 机构, 部门)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        with open(file, "wb") as handle:
            handle.write(organisation_export())
        self.stdout.write(f"written {file}")
