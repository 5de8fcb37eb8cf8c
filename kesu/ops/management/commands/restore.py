from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from kesu.errors import DomainError
from kesu.ops.backup import backup_restore


class Command(BaseCommand):
    requires_system_checks = []  # a restore targets an empty database
    help = ("Restore a backup directory into the configured (empty) database and "
            "MEDIA_ROOT, then verify counts and attachment hashes.")

    def add_arguments(self, parser):
        parser.add_argument("source")

    def handle(self, *args, source, **options):
        connections.close_all()
        try:
            manifest = backup_restore(source=Path(source),
                                      database=settings.DATABASES["default"],
                                      media_root=Path(settings.MEDIA_ROOT))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        from django.apps import apps

        for label, expected in manifest["counts"].items():
            found = apps.get_model(label).objects.count()
            if found != expected:
                raise CommandError(f"{label}: expected {expected} rows, found {found}")
            self.stdout.write(f"{label}: {found}")
        self.stdout.write(self.style.SUCCESS("restore verified"))
