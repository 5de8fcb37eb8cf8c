"""Two people acting on one case at the same moment (issue 3 item 4, G1): one
wins, the other gets Conflict (409) and nothing is lost or doubled. Real
threads, real PostgreSQL transactions; skipped (not faked) on SQLite."""

import threading

import pytest
from django.db import connection

from kesu.audit.chain import verify
from kesu.audit.models import AuditRecord
from kesu.complaints import services as s
from kesu.complaints.models import Complaint, Event, NumberSequence, State
from kesu.errors import Conflict

from .factories import advance, closing_fields, person, register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _race(calls):
    """Run the calls in threads released together; return results/errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_handlers_closing_at_once_one_wins_the_other_gets_a_conflict(
    org, city_clerk
):
    from kesu.accounts.roles import Role

    first, second = person(org["gz"], Role.HANDLER), person(org["gz"], Role.HANDLER)
    case = advance(register(city_clerk).complaint, State.REPLIED, handler=first)
    results = _race(
        [
            lambda: s.complaint_close(complaint=case, actor=first, **closing_fields()),
            lambda: s.complaint_close(
                complaint=case,
                actor=second,
                liability="not_liable",
                responsible_link="other",
                cause="other",
            ),
        ]
    )
    winners = [r for r in results if isinstance(r, Complaint)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.version == winners[0].version
    closes = Event.objects.filter(complaint=case, action="close")
    assert closes.count() == 1 and closes.get().actor == case.closed_by


def test_many_handlers_racing_with_the_same_version_only_one_wins(org, city_clerk):
    from kesu.accounts.roles import Role

    handlers = [person(org["gz"], Role.HANDLER) for _ in range(5)]
    case = register(city_clerk).complaint
    results = _race(
        [
            (
                lambda h=h: s.complaint_accept(
                    complaint=case, actor=h, expected_version=case.version
                )
            )
            for h in handlers
        ]
    )
    assert sum(isinstance(r, Complaint) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 4
    assert Event.objects.filter(complaint=case, action="accept").count() == 1


def test_registrations_at_the_same_moment_get_distinct_numbers(org, city_clerk):
    results = _race([lambda: register(city_clerk).complaint for _ in range(6)])
    numbers = [r.number for r in results]
    assert len(set(numbers)) == 6, results
    assert NumberSequence.objects.get(company_code="GDGZ").last == 6
    # C3: each case's audit row committed with it, one after another
    rows = AuditRecord.objects.filter(action="case.register")
    assert sorted(int(r.object_id) for r in rows) == sorted(r.pk for r in results)
    assert verify(AuditRecord.objects.order_by("seq")) is None
