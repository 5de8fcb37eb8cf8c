"""Two people acting at the same moment (G1): one wins, the other gets a
Conflict, nothing is doubled. Real threads and PostgreSQL transactions;
skipped (not faked) on SQLite."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection

from kesu.committee.models import Deliberation, Ruling
from kesu.committee.services.deliberations import (
    deliberation_decide,
    deliberation_propose,
)
from kesu.complaints.models import Event
from kesu.errors import Conflict
from kesu.notifications.models import Outbox
from kesu.supervision.models import PublicNotice
from kesu.supervision.services.notices import public_notice_draft, public_notice_publish
from kesu.supervision.tests.factories import closed_case, investigation

on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _race(calls):
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


def test_two_heads_publishing_one_notice_at_once_publish_and_copy_it_once(
    org, province_cs_head, city_handler, gd_sales
):
    case = closed_case(org["gd"], closed_on=dt.date(2026, 11, 2))
    investigation(
        case,
        gd_sales,
        dispatched=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 9),
        by=city_handler,
    )
    notice = public_notice_draft(
        user=province_cs_head,
        department_id=gd_sales.pk,
        title="公示",
        body="拖延",
        complaint_ids=[case.pk],
    )
    results = _race(
        [
            lambda: public_notice_publish(
                user=province_cs_head, notice=PublicNotice.objects.get(pk=notice.pk)
            )
            for _ in range(2)
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "PublicNotice"]
    assert Outbox.objects.filter(kind="public_notice_copy").count() == 1


def test_two_committee_members_ruling_at_once_rule_once(
    org, province_cs_head, committee_member, gd_claims, gd_sales
):
    from kesu.accounts.roles import Role
    from kesu.accounts.tests.factories import make_user

    other = make_user(
        "gd_committee_2",
        org["gd"],
        [Role.COMMITTEE_MEMBER],
        department=committee_member.department,
    )
    case = closed_case(org["gd"], closed_on=dt.date(2026, 11, 2), cause="claims")
    item = deliberation_propose(
        user=province_cs_head,
        complaint_id=case.pk,
        kind="liability_dispute",
        question="争议",
        department_ids=[gd_claims.pk, gd_sales.pk],
    )

    def rule(user, liability):
        return lambda: deliberation_decide(
            user=user,
            deliberation=Deliberation.objects.get(pk=item.pk),
            decision="裁定",
            liability=liability,
            cause="mis_selling",
            responsible_link="sales",
        )

    results = _race([rule(committee_member, "liable"), rule(other, "not_liable")])
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert Ruling.objects.count() == 1
    assert Event.objects.filter(complaint=case, action="apply_ruling").count() == 1
