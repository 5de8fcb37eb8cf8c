"""The case file (casefile.py) reads a complaint's parts in one statement
(issue 8). It must hold exactly what the ORM reads — every field of every
part, on SQLite and on PostgreSQL — and the actions it lets the lifecycle
offer must be those the conditions offer when they ask the database."""

import pytest
from django.utils import timezone

from kesu.accounts.models import User
from kesu.complaints.casefile import case_file
from kesu.complaints.demo import load_demo_cases
from kesu.complaints.lifecycle import allowed_actions
from kesu.complaints.models import Attachment, Complaint, State

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(
    city_clerk,
    city_handler,
    city_cs_head,
    province_handler,
    province_cs_head,
    head_office_handler,
    claims_coordinator,
    city_sales_coordinator,
    outsider_in_another_province,
):
    """The demo cases (every state, referrals, extensions, decisions,
    follow-ups, merges), plus what these lack: an attachment of an
    investigation, staff complained about (R1.4), a review request (R1.12)."""
    load_demo_cases(count=60)
    investigation = Complaint.objects.exclude(investigations=None).first()
    investigation = investigation.investigations.first()
    Attachment.objects.create(
        complaint=investigation.complaint,
        investigation=investigation,
        file="attachments/2026/03/evidence.pdf",
        original_name="证据.pdf",
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
        uploaded_by=city_handler,
        uploaded_at=timezone.now(),
    )
    Complaint.objects.filter(state=State.REGISTERED).first().complained_staff.add(
        city_handler
    )
    closed = Complaint.objects.filter(state=State.CLOSED).first()
    parent = closed.owning_company.parent or closed.owning_company
    ComplaintFactory(owning_company=parent, review_of=closed)


def _values(objects) -> list[dict]:
    return [
        {f.attname: getattr(o, f.attname) for f in o._meta.concrete_fields}
        for o in objects
    ]


def _orm_parts(c: Complaint) -> dict:
    return {
        "investigations": c.investigations.select_related(
            "department__company", "coordinator"
        ).order_by("dispatched_at", "id"),
        "referrals": c.referrals.order_by("created_at", "id"),
        "extensions": c.extensions.order_by("requested_at", "id"),
        "decisions": c.decisions.order_by("decided_at", "id"),
        "follow_ups": c.follow_ups.order_by("attempt"),
        "attachments": c.attachments.order_by("uploaded_at", "id"),
    }


def test_the_case_file_holds_every_part_as_the_orm_reads_it(demo):
    seen = dict.fromkeys(
        [
            "investigations",
            "referrals",
            "extensions",
            "decisions",
            "follow_ups",
            "attachments",
            "staff",
            "merged",
            "reviews",
        ],
        0,
    )
    for c in Complaint.objects.all():
        parts = case_file(c)
        for name, orm in _orm_parts(c).items():
            assert _values(getattr(parts, name)) == _values(orm), (c.number, name)
            seen[name] += len(orm)
        for mine, orm in zip(
            parts.investigations, _orm_parts(c)["investigations"], strict=True
        ):
            assert _values([mine.department]) == _values([orm.department])
            assert _values([mine.department.company]) == _values(
                [orm.department.company]
            )
            assert str(mine.coordinator or "") == str(orm.coordinator or "")
        for r in parts.referrals:
            assert (r.from_company.code, r.to_company.code) == (
                c.referrals.get(pk=r.pk).from_company.code,
                c.referrals.get(pk=r.pk).to_company.code,
            )
        for a in parts.attachments:
            assert a.uploaded_by.pk == a.uploaded_by_id
            assert a.investigation.department.name
        staff = set(c.complained_staff.values_list("id", flat=True))
        assert parts.complained_staff_ids == staff
        merged = set(
            Complaint.objects.filter(merged_into=c).values_list("pk", flat=True)
        )
        assert set(parts.merged_case_ids) == merged
        reviews = set(c.review_requests.values_list("pk", flat=True))
        assert set(parts.review_request_ids) == reviews
        if c.closed_by_id:
            assert str(parts.complaint.closed_by) == str(
                User.objects.get(pk=c.closed_by_id)
            )
        seen["staff"] += len(staff)
        seen["merged"] += len(merged)
        seen["reviews"] += len(reviews)
    assert all(seen.values()), seen  # the data exercised every part


def test_the_case_file_offers_the_same_actions_as_the_database(demo):
    for user in User.objects.filter(is_active=True).exclude(company=None):
        for pk in Complaint.objects.values_list("pk", flat=True):
            from_file = Complaint.objects.get(pk=pk)
            from_database = Complaint.objects.get(pk=pk)
            assert allowed_actions(user, from_file, case_file(from_file)) == (
                allowed_actions(user, from_database)
            ), (user.username, pk)


def test_a_review_request_at_the_parent_is_linked_only_for_those_who_see_it(
    client, org, city_handler, province_handler
):
    """R1.12: the review request is a case at the parent company; the city
    that owns the reviewed case does not see it, so it is not linked."""
    case = ComplaintFactory(owning_company=org["gz"])
    review = ComplaintFactory(owning_company=org["gd"], review_of=case)
    merged = ComplaintFactory(
        owning_company=org["gz"], merged_into=case, state=State.MERGED
    )

    client.force_login(city_handler)
    city = client.get(f"/api/complaints/{case.pk}").json()["links"]
    client.force_login(province_handler)
    province = client.get(f"/api/complaints/{case.pk}").json()["links"]

    assert city["review_requests"] == []
    assert province["review_requests"] == [{"id": review.pk, "number": review.number}]
    assert city["merged_cases"] == [{"id": merged.pk, "number": merged.number}]
    client.force_login(city_handler)
    back = client.get(f"/api/complaints/{merged.pk}").json()["links"]
    assert back["merged_into"] == {"id": case.pk, "number": case.number}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_case_file_is_prepared_once_per_connection(
    org, city_handler, django_assert_num_queries
):
    """Parsing and planning the case file's union cost more than running it:
    PostgreSQL prepares it once per connection; a new connection (Django
    closes old ones) prepares it again, and answers the same."""
    from django.db import connection

    from .factories import advance

    case = advance(
        ComplaintFactory(owning_company=org["gz"]), State.CLOSED, handler=city_handler
    )
    first = _values(case_file(case).investigations)
    assert first
    with django_assert_num_queries(1):  # EXECUTE only
        again = case_file(case)
    assert _values(again.investigations) == first
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s",
            ["kesu_case_file"],
        )
        assert cursor.fetchone() == (1,)

    connection.close()  # a new session, without the prepared statement
    assert _values(case_file(case).investigations) == first
