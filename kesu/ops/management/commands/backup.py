from pathlib import Path

from django.core.management.base import BaseCommand

from kesu.ops.backup import backup_create


class Command(BaseCommand):
    requires_system_checks = []
    help = "Back up the database and attachments into a new directory (D4)."

    def add_arguments(self, parser):
        parser.add_argument("out_dir", nargs="?", default="var/backups")

    def handle(self, *args, out_dir, **options):
        target = backup_create(out_dir=Path(out_dir))
        self.stdout.write(str(target))
