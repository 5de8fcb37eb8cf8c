"""C4: delete audit rows older than AUDIT_RETENTION_DAYS (never < 183 days)."""

from django.core.management.base import BaseCommand

from kesu.audit.services import audit_purge


class Command(BaseCommand):
    help = "Purge audit rows past their retention (floor 183 days, default 3 years)."

    def handle(self, *args, **options):
        count = audit_purge()
        self.stdout.write(f"purged {count} audit rows")
