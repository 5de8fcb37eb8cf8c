"""Kept statements (prepared.run_kept, issue 8): a statement run again and
again with the same values, such as the workbench's queues, answers what
running it plainly answers, at every run (nothing but its plan is kept); on
PostgreSQL it is prepared once per connection and the oldest are let go."""

import pytest
from django.db import connection

from kesu import prepared
from kesu.accounts.models import User
from kesu.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAMED = 'SELECT "username" FROM "accounts_user" WHERE "username" LIKE %s ORDER BY 1'


def _plain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_kept_statement_answers_as_a_plain_one_and_sees_every_change():
    UserFactory(username="wang%1")
    params = ("wang%",)

    assert prepared.run_kept(NAMED, params) == _plain(NAMED, params) == [("wang%1",)]

    UserFactory(username="wang'2")  # quotes and percent signs are plain values
    assert prepared.run_kept(NAMED, params) == [("wang%1",), ("wang'2",)]
    User.objects.filter(username="wang%1").delete()
    assert prepared.run_kept(NAMED, params) == [("wang'2",)]


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_prepares_it_once_and_lets_the_oldest_go(monkeypatch):
    monkeypatch.setattr(prepared, "KEPT_PER_CONNECTION", 2)
    names = []
    for n in range(3):
        params = (f"kept{n}%",)
        prepared.run_kept(NAMED, params)
        prepared.run_kept(NAMED, params)  # the second run prepares nothing
        names.append(prepared._kept_text(NAMED, params)[0])

    assert len(set(names)) == 3
    present = _prepared_names()
    assert names[0] not in present
    assert {names[1], names[2]} <= present
    # the first is prepared again when it is needed again
    assert prepared.run_kept(NAMED, ("kept0%",)) == []
    assert names[0] in _prepared_names()
