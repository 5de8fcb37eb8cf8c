"""Issue 8 §4: the SQL statements per request are the same at 30 and at 300
complaints, for every page the benchmark measures — so they are the same at
10,000 and at 1,000,000 (no query per row, no N+1). The counts are pinned
too, so a new query on any of these pages is a conscious change.

The data comes from the synthetic generator (the same code that loads a
million cases for the benchmark): cases in every state, with events and
investigations, spread over a year, assigned to the handlers below."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kesu.complaints.lifecycle import Action, allowed_actions
from kesu.complaints.models import Complaint, State
from kesu.complaints.synthetic import Generator
from kesu.organisation.models import DepartmentKind
from kesu.organisation.tests.factories import department
from kesu.web.queues import queues_for

# What each page costs in SQL statements (session, user, roles included).
# Every page: +1 for the top bar's unread-notification count. The workbench:
# +8 more for the supervision reminders (issue 5 item 9), fixed per user.
PINNED = {
    "list, first page": 6,
    "list, deep page": 6,
    "text search": 6,
    "detail": 14,
    "events": 6,
    # + the notifications badge, supervision reminders (8) and head
    # office's 总公司督办案件 queue (S5.5)
    "workbench": 20,
    "complaint page": 21,
    "dashboard": 12,
}
SMALL, LARGE = 30, 300


@pytest.fixture
def world(org, head_office_handler, province_handler, province_cs_head, city_handler):
    """An organisation with every investigating department, and the people
    the generator assigns cases to."""
    for company in org.values():
        for kind in DepartmentKind.values:
            department(company, kind)
    return head_office_handler


def _generate(count: int, seed: int) -> None:
    Generator(seed=seed, days=120).run(count, batch=100)


def _paths(client: Client) -> dict[str, str]:
    """The benchmark's pages, over a case that exists at both sizes (the
    oldest closed case with an investigation: generated first)."""
    case = (
        Complaint.objects.filter(state=State.CLOSED, investigations__isnull=False)
        .order_by("id")
        .first()
    )
    first = "/api/complaints/?" + urlencode({"limit": 5})
    cursor = client.get(first).json()["next_cursor"]
    cursor = client.get(f"{first}&cursor={cursor}").json()["next_cursor"]
    assert cursor, "the deep page needs at least three pages of cases"
    return {
        "list, first page": "/api/complaints/?state=investigating&limit=25",
        "list, deep page": f"{first}&cursor={cursor}",
        "text search": "/api/complaints/?" + urlencode({"q": case.facts[2:4]}),
        "detail": f"/api/complaints/{case.pk}",
        "events": f"/api/complaints/{case.pk}/events",
        "workbench": "/",
        "complaint page": f"/complaints/{case.number}/",
        "dashboard": "/dashboard/",
    }


def _count_queries(client: Client) -> dict[str, int]:
    counts = {}
    for name, path in _paths(client).items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_every_measured_page_costs_the_same_queries_at_30_and_at_300_complaints(world):
    client = Client()
    client.force_login(world)  # head office: every case is in scope

    _generate(SMALL, seed=8)
    small = _count_queries(client)
    _generate(LARGE - SMALL, seed=88)
    assert Complaint.objects.count() == LARGE
    large = _count_queries(client)

    assert large == small
    assert small == PINNED, small


@pytest.mark.django_db
def test_a_province_head_s_workbench_costs_the_same_queries_at_both_sizes(
    world, province_cs_head
):
    """A province's customer-service head also confirms the closures its
    cities propose (S6.9): that queue must not cost a query per case."""
    client = Client()
    client.force_login(province_cs_head)

    _generate(SMALL, seed=8)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    _generate(LARGE - SMALL, seed=88)
    assert Complaint.objects.filter(state=State.CLOSURE_PROPOSED).exists()
    with CaptureQueriesContext(connection) as large:
        assert client.get("/").status_code == 200

    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_the_province_head_s_closure_queue_lists_exactly_what_the_lifecycle_allows(
    world, org, province_cs_head, head_office_handler
):
    _generate(LARGE, seed=88)
    proposed = Complaint.objects.filter(state=State.CLOSURE_PROPOSED)
    expected = {
        c.pk
        for c in proposed
        if Action.CONFIRM_CLOSURE in allowed_actions(province_cs_head, c)
    }
    assert expected, "the generated data should hold a city's proposed closure"

    queue = next(q for q in queues_for(province_cs_head) if q.key == "closures")
    head_office_queue = next(
        q for q in queues_for(head_office_handler) if q.key == "closures"
    )

    assert {i.complaint.pk for i in queue.items} == expected
    assert head_office_queue.items == []  # S6.9: the province confirms
