"""manage.py load_demo: the demo company, its people and (when the
complaints app provides them) demo cases. Idempotent: a second run changes
nothing."""

import unicodedata

from django.core.management.base import BaseCommand
from django.db import transaction

from kesu.organisation.demo import DEMO_PASSWORD, PEOPLE, load_companies, load_people
from kesu.sla.selectors import calendar_missing_years


class Command(BaseCommand):
    help = "Load the demo company (organisation, people in every role, demo cases)."

    def handle(self, *args, **options):
        with transaction.atomic():
            companies = load_companies()
            people = load_people(companies)
        self._cases()
        for missing in calendar_missing_years():  # DESIGN §4: never a silent guess
            self.stdout.write(self.style.WARNING(missing.message))
        self._logins(people)

    def _cases(self) -> None:
        try:
            from kesu.complaints.demo import load_demo_cases
        except ImportError:
            self.stdout.write("(no demo cases: kesu.complaints.demo is not available)")
            return
        load_demo_cases()

    def _logins(self, people) -> None:
        roles = {username: roles for username, _n, _c, _k, roles in PEOPLE}
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("kesu demo: http://127.0.0.1:8000/"))
        self.stdout.write(
            f"password for every demo login / 所有演示账号的密码: {DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"{pad('username', 15)} {pad('name', 8)} {pad('company', 12)} roles"
        )
        for user in people:
            labels = "、".join(str(r.label) for r in roles[user.username])
            self.stdout.write(
                f"{pad(user.username, 15)} {pad(user.full_name, 8)} "
                f"{pad(user.company.name, 12)} {labels}"
            )


def pad(text: str, width: int) -> str:
    """Left-align for a terminal, where Chinese characters are two columns wide."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)
