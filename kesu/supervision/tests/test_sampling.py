"""S5.1, S7.7: satisfaction sampling; S6.10: not-liable authenticity checks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kesu.complaints.models import Complaint, Event
from kesu.errors import Conflict, DomainValidationError, Forbidden
from kesu.supervision import sampling
from kesu.supervision.models import LiabilityAuditItem
from kesu.supervision.periods import Period
from kesu.supervision.selectors.sampling import (
    revisions_count,
    satisfaction_sample_statistics,
)
from kesu.supervision.services.audits import (
    liability_audit_confirm,
    liability_audit_draw,
    liability_audit_revise,
)
from kesu.supervision.services.sampling import (
    sample_item_record_result,
    satisfaction_sample_draw,
)

from .factories import closed_case

pytestmark = pytest.mark.django_db

OCT = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def closed_in_october(org):
    cases = {"gz": [], "sz": [], "gd": []}
    for key, n in (("gz", 10), ("sz", 6), ("gd", 4)):
        for i in range(n):
            cases[key].append(closed_case(org[key], closed_on=dt.date(2026, 10, 1 + i)))
    closed_case(org["gz"], closed_on=dt.date(2026, 11, 3))  # outside the period
    closed_case(org["nj"], closed_on=dt.date(2026, 10, 5))  # outside the scope
    return cases


def test_the_same_seed_draws_the_same_sample():
    population = {1: list(range(100)), 2: list(range(100, 130))}
    a = sampling.draw(population, seed=42, size=13)
    assert a == sampling.draw(population, seed=42, size=13)
    assert a != sampling.draw(population, seed=43, size=13)
    assert {k: len(v) for k, v in a.items()} == {1: 10, 2: 3}  # proportional


def test_a_rate_draws_from_every_company_rounding_up():
    sizes = sampling.sample_sizes({1: 10, 2: 3, 3: 0}, rate=Decimal("0.1"), size=None)
    assert sizes == {1: 1, 2: 1, 3: 0}


def test_rate_and_size_are_exclusive():
    with pytest.raises(DomainValidationError):
        sampling.sample_sizes({1: 3}, rate=Decimal("0.5"), size=2)
    with pytest.raises(DomainValidationError):
        sampling.sample_sizes({1: 3}, rate=None, size=None)


def test_province_sample_is_stratified_by_company_and_reproducible(
    org, province_cs_head, closed_in_october
):
    sample = satisfaction_sample_draw(
        user=province_cs_head, period=OCT, size=10, seed=7
    )
    items = list(sample.items.values_list("stratum__code", "complaint_id"))
    per_company = {
        code: sum(1 for c, _ in items if c == code) for code in ("GDGZ", "GDSZ", "GD")
    }
    assert per_company == {"GDGZ": 5, "GDSZ": 3, "GD": 2}
    assert sample.population == 20
    again = satisfaction_sample_draw(user=province_cs_head, period=OCT, size=10, seed=7)
    assert sorted(c for _, c in items) == sorted(
        again.items.values_list("complaint_id", flat=True)
    )


def test_recording_call_results_writes_an_event_and_feeds_the_statistics(
    org, province_cs_head, closed_in_october
):
    sample = satisfaction_sample_draw(
        user=province_cs_head, period=OCT, rate=Decimal("0.2"), seed=1
    )
    items = list(sample.items.all())
    results = ["satisfied", "fairly_satisfied", "dissatisfied", "unreachable"]
    for item, result in zip(items, results, strict=False):
        sample_item_record_result(user=province_cs_head, item=item, result=result)
    stats = satisfaction_sample_statistics(sample)
    assert stats["size"] == len(items) and stats["called"] == 4
    assert stats["satisfaction_rate"] == round(2 / 3, 4)  # unreachable excluded
    assert (
        Event.objects.filter(
            complaint=items[0].complaint, action="satisfaction_sampled"
        ).count()
        == 1
    )
    with pytest.raises(Conflict):
        sample_item_record_result(
            user=province_cs_head, item=items[0], result="dissatisfied"
        )


def test_a_city_does_not_sample(city_cs_head, closed_in_october):
    with pytest.raises(Forbidden):
        satisfaction_sample_draw(user=city_cs_head, period=OCT, size=3)


def test_an_empty_period_is_a_clear_error(province_cs_head):
    with pytest.raises(DomainValidationError):
        satisfaction_sample_draw(
            user=province_cs_head,
            period=Period(dt.date(2020, 1, 1), dt.date(2020, 1, 2)),
            size=3,
        )


def test_sample_http(
    client, province_cs_head, closed_in_october, outsider_in_another_province
):
    client.force_login(province_cs_head)
    r = client.post(
        "/api/supervision/samples",
        {"start": "2026-10-01", "end": "2026-10-31", "size": 4, "seed": 3},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    item = body["items"][0]["id"]
    r = client.post(
        f"/api/supervision/samples/{body['id']}/items/{item}/result",
        {"result": "satisfied"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["statistics"]["called"] == 1
    r = client.post(
        f"/api/supervision/samples/{body['id']}/items/{item}/result",
        {"result": "happy"},
        content_type="application/json",
    )
    assert r.status_code == 422
    client.force_login(outsider_in_another_province)
    assert client.get(f"/api/supervision/samples/{body['id']}").status_code == 404


# --- S6.10 authenticity checks ----------------------------------------------------


def test_province_checks_only_its_cities_not_liable_closures(
    org, province_cs_head, closed_in_october
):
    closed_case(org["gz"], closed_on=dt.date(2026, 10, 9), liability="liable")
    audit = liability_audit_draw(user=province_cs_head, period=OCT, size=100, seed=5)
    cities = set(audit.items.values_list("city__code", flat=True))
    assert cities == {"GDGZ", "GDSZ"}
    assert audit.items.count() == 16  # 10 + 6 not-liable city closures


def test_a_revision_makes_the_case_liable_writes_an_event_and_counts_against_the_city(
    org, province_cs_head, closed_in_october
):
    audit = liability_audit_draw(user=province_cs_head, period=OCT, size=2, seed=5)
    first, second = audit.items.all()
    liability_audit_confirm(user=province_cs_head, item=first, note="属实")
    liability_audit_revise(
        user=province_cs_head,
        item=second,
        responsible_link="sales",
        cause="mis_selling",
        note="录音显示业务员误导",
    )
    case = Complaint.objects.get(pk=second.complaint_id)
    assert (case.liability, case.responsible_link) == ("liable", "sales")
    event = Event.objects.get(complaint=case, action="liability_revised")
    assert event.data["before"]["liability"] == "not_liable"
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    assert revisions_count(second.city, period) == 1
    assert revisions_count(org["gd"], period) == 0
    with pytest.raises(Conflict):
        liability_audit_confirm(user=province_cs_head, item=second)


def test_a_case_ruled_by_the_committee_is_not_revised(
    org, province_cs_head, closed_in_october
):
    audit = liability_audit_draw(user=province_cs_head, period=OCT, size=1, seed=5)
    item = audit.items.get()
    Complaint.objects.filter(pk=item.complaint_id).update(ruled_by_committee=True)
    with pytest.raises(Conflict):
        liability_audit_revise(
            user=province_cs_head,
            item=item,
            responsible_link="sales",
            cause="mis_selling",
            note="改判",
        )
    item.refresh_from_db()
    assert item.outcome == LiabilityAuditItem.Outcome.PENDING


def test_a_revision_needs_valid_codes(province_cs_head, closed_in_october):
    audit = liability_audit_draw(user=province_cs_head, period=OCT, size=1, seed=5)
    with pytest.raises(DomainValidationError):
        liability_audit_revise(
            user=province_cs_head,
            item=audit.items.get(),
            responsible_link="sales",
            cause="no_such",
            note="x",
        )


def test_head_office_and_cities_do_not_run_authenticity_checks(
    head_office_handler, city_cs_head
):
    for user in (head_office_handler, city_cs_head):
        with pytest.raises(Forbidden):
            liability_audit_draw(user=user, period=OCT, size=1)


def test_audit_http(client, province_cs_head, closed_in_october, city_handler):
    client.force_login(province_cs_head)
    r = client.post(
        "/api/supervision/liability-audits",
        {"start": "2026-10-01", "end": "2026-10-31", "size": 2},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    audit = r.json()
    item = audit["items"][0]["id"]
    r = client.post(
        f"/api/supervision/liability-audits/{audit['id']}/items/{item}/revise",
        {"responsible_link": "sales", "cause": "mis_selling", "note": "改判"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["items"][0]["outcome"] == "revised"
    client.force_login(city_handler)
    assert (
        client.get(f"/api/supervision/liability-audits/{audit['id']}").status_code
        == 404
    )


def test_archived_closures_are_not_drawn_for_authenticity_checks(org, province_cs_head):
    from kesu.complaints.models import State

    closed_case(org["gz"], closed_on=dt.date(2026, 10, 3), state=State.ARCHIVED)
    with pytest.raises(DomainValidationError):
        liability_audit_draw(user=province_cs_head, period=OCT, size=1)
