"""The prepared lookups (lookup.py, issue 8) read exactly what the ORM
reads through complaint_scope(user): the same cases for every kind of user
(head office, province, city, department roles, inactive, without roles),
every field of the case and of what it joins, the same events; and a bad
identifier is "not found", never an error — on SQLite and on PostgreSQL."""

import pytest
from django.test import Client

from kesu.accounts.models import User
from kesu.accounts.tests.factories import make_user
from kesu.apiauth import api_client_create
from kesu.complaints.access import RELATED, complaint_scope, scope_of
from kesu.complaints.lookup import case_row, event_rows
from kesu.complaints.models import Complaint, Event

from .test_casefile import demo  # noqa: F401 (the demo cases)

pytestmark = pytest.mark.django_db


def _values(obj) -> dict | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def users(demo, org):  # noqa: F811
    make_user("idle", org["gd"], [])
    gone = make_user("gone", org["gz"], ["handler"])
    gone.is_active = False
    gone.save()
    return list(User.objects.all())


def test_a_case_is_found_exactly_when_the_scope_holds_it(users):
    cases = list(Complaint.objects.values_list("pk", "number"))
    for user in users:
        scope = scope_of(user)
        visible = set(complaint_scope(user).values_list("pk", flat=True))
        for pk, number in cases:
            found = case_row(scope, pk=pk)
            assert (found is not None) == (pk in visible), (user.username, pk)
            by_number = case_row(scope, number=number)
            assert (by_number is not None) == (pk in visible), (user.username, number)
    kinds = {scope_of(u)[0] for u in users}
    assert kinds == {"all", "companies", "department", "none"}, kinds


def test_a_case_and_what_it_joins_are_read_as_the_orm_reads_them(users):
    user = next(u for u in users if scope_of(u)[0] == "all")
    for c in Complaint.objects.select_related(*RELATED):
        mine = case_row(scope_of(user), pk=c.pk, related=RELATED)
        assert _values(mine) == _values(c), c.number
        for name in RELATED:
            assert _values(getattr(mine, name)) == _values(getattr(c, name)), name
        assert mine.complainant.phone == c.complainant.phone  # decrypted (D2)


def test_a_case_s_events_are_read_as_the_orm_reads_them(users):
    fields = ("id", "action", "actor_id", "at", "from_state", "to_state", "note",
              "data")  # fmt: skip
    for user in users:
        visible = set(complaint_scope(user).values_list("pk", flat=True))
        for pk in Complaint.objects.values_list("pk", flat=True):
            mine = event_rows(scope_of(user), pk)
            if pk not in visible:
                assert mine == [], (user.username, pk)
                continue
            orm = Event.objects.filter(complaint_id=pk).order_by("at", "id")
            assert [[getattr(e, f) for f in fields] for e in mine] == [
                [getattr(e, f) for f in fields] for e in orm
            ]
            assert [str(e.actor or "") for e in mine] == [
                str(e.actor or "") for e in orm
            ]


def test_an_impossible_identifier_is_not_found(users):
    scope = scope_of(next(u for u in users if scope_of(u)[0] == "all"))
    assert case_row(scope, pk=2**63) is None
    assert case_row(scope, pk=-(2**63) - 1) is None
    assert case_row(scope, number="TS\x00X") is None
    assert event_rows(scope, 10**30) == []


def test_the_api_answers_404_for_an_id_beyond_the_column(users):
    user = next(u for u in users if scope_of(u)[0] == "all")
    _client, token = api_client_create(name="t", acting_user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for path in ("/api/complaints/99999999999999999999",
                 "/api/complaints/99999999999999999999/events"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, (path, response.content)
        assert "detail" in response.json()
