"""List endpoints do not grow their query count with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.committee.services.deliberations import (
    deliberation_give_opinion,
    deliberation_propose,
)
from kesu.supervision.services.notices import public_notice_draft
from kesu.supervision.tests.factories import closed_case, investigation

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_deliberation_list_query_count_is_flat(
    client, org, province_cs_head, claims_coordinator, gd_claims, gd_sales
):
    def add():
        case = closed_case(org["gd"], closed_on=dt.date(2026, 11, 2))
        item = deliberation_propose(
            user=province_cs_head,
            complaint_id=case.pk,
            kind="liability_dispute",
            question="争议",
            department_ids=[gd_claims.pk, gd_sales.pk],
        )
        deliberation_give_opinion(
            user=claims_coordinator, deliberation=item, text="意见"
        )

    client.force_login(province_cs_head)
    add()
    few = _queries(client, "/api/committee/deliberations")
    add(), add(), add()
    assert _queries(client, "/api/committee/deliberations") == few


def test_notice_list_query_count_is_flat(
    client, org, province_cs_head, city_handler, gd_sales
):
    def add():
        case = closed_case(org["gd"], closed_on=dt.date(2026, 11, 2))
        investigation(
            case,
            gd_sales,
            dispatched=dt.date(2026, 11, 2),
            due=dt.date(2026, 11, 9),
            by=city_handler,
        )
        public_notice_draft(
            user=province_cs_head,
            department_id=gd_sales.pk,
            title="t",
            body="b",
            complaint_ids=[case.pk],
        )

    client.force_login(province_cs_head)
    add()
    few = _queries(client, "/api/supervision/notices")
    add(), add(), add()
    assert _queries(client, "/api/supervision/notices") == few
    few = _queries(client, "/supervision/notices/")
    add()
    assert _queries(client, "/supervision/notices/") == few
