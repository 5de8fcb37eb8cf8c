"""Issue 8 (workbench at a million complaints): each queue shows its most
urgent rows, a count and a link to the whole queue on the list page; the
queues stay live while the supervision reminders are reused for a minute
unless a supervision write makes them stale."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kesu.complaints.services.intake import complaint_accept
from kesu.complaints.tests.factories import ComplaintFactory, advance
from kesu.supervision.models import Rectification
from kesu.supervision.services.rectification import rectification_report_done
from kesu.web import queues

pytestmark = pytest.mark.django_db


def _queue(user, key):
    return next(q for q in queues.queues_for(user) if q.key == key)


def _page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("web:workbench")).content.decode()


def test_a_long_queue_shows_the_most_urgent_cases_a_count_and_a_link(
    client, org, city_handler, monkeypatch
):
    monkeypatch.setattr(queues, "SHOWN", 2)
    today = timezone.localdate()
    cases = [ComplaintFactory(owning_company=org["gz"]) for _ in range(3)]
    for days, case in zip((5, 1, 3), cases, strict=True):
        case.due_date = today + dt.timedelta(days=days)
        case.save(update_fields=["due_date"])

    queue = _queue(city_handler, "new")
    page = _page(client, city_handler)

    assert [i.complaint.pk for i in queue.items] == [cases[1].pk, cases[2].pk]
    assert (queue.count, queue.capped, queue.more) == (3, False, True)
    assert cases[0].number not in page  # the least urgent waits on the list
    assert "（3，显示最紧急的 2 件）" in page
    listed = client.get(queue.more_url)
    assert listed.status_code == 200
    assert {c.pk for c in listed.context["rows"]} == {c.pk for c in cases}


def test_a_queue_longer_than_the_cap_counts_to_the_cap_and_says_so(
    client, org, city_handler, monkeypatch
):
    monkeypatch.setattr(queues, "SHOWN", 1)
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    for _ in range(4):
        ComplaintFactory(owning_company=org["gz"])

    queue = _queue(city_handler, "new")

    assert (queue.count, queue.capped) == (2, True)
    assert "（2+，显示最紧急的 1 件）" in _page(client, city_handler)


def test_the_handler_s_queues_link_to_the_same_cases_on_the_list_page(
    client, org, city_handler
):
    mine = advance(
        ComplaintFactory(owning_company=org["gz"]), to="accepted", handler=city_handler
    )
    review = advance(
        ComplaintFactory(owning_company=org["gz"]), to="reviewing", handler=city_handler
    )
    ComplaintFactory(owning_company=org["gz"])  # waiting, nobody's yet
    client.force_login(city_handler)

    for key, expected in (("mine", {mine.pk, review.pk}), ("review", {review.pk})):
        queue = _queue(city_handler, key)
        listed = client.get(queue.more_url).context["rows"]
        assert {c.pk for c in listed} == expected, key
        assert {i.complaint.pk for i in queue.items} == expected, key


def test_a_case_the_handler_accepts_leaves_waiting_for_acceptance_at_once(
    client, org, city_handler
):
    case = ComplaintFactory(owning_company=org["gz"])
    assert case.number in _page(client, city_handler)

    complaint_accept(complaint=case, actor=city_handler)

    page = _page(client, city_handler)
    new = page.split('data-testid="queue-new"')[1].split("</section>")[0]
    mine = page.split('data-testid="queue-mine"')[1].split("</section>")[0]
    assert case.number not in new
    assert case.number in mine


def test_a_reported_rectification_leaves_the_reminders_at_once(
    client, org, city_sales_coordinator, django_capture_on_commit_callbacks
):
    """The reminders are cached for a minute, but a supervision write starts
    a new generation (kesu.freshness): the user who just acted sees it."""
    item = Rectification.objects.create(
        company=org["gz"],
        department=city_sales_coordinator.department,
        owner=city_sales_coordinator,
        action="整改销售话术",
        due_date=timezone.localdate() + dt.timedelta(days=5),
        opened_by=city_sales_coordinator,
        opened_at=timezone.now(),
    )
    assert "整改销售话术" in _page(client, city_sales_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        rectification_report_done(
            user=city_sales_coordinator, item=item, report="已完成"
        )

    assert "整改销售话术" not in _page(client, city_sales_coordinator)


def test_the_extension_queue_asks_the_lifecycle_s_approver_rule_in_sql(
    org, head_office_handler, province_cs_head, city_cs_head
):
    """R1.8: extension_approver_q (the queue's filter) picks exactly the
    requests extension_approver_ok (the transition's condition) allows."""
    from kesu.complaints.conditions import extension_approver_ok, extension_approver_q
    from kesu.complaints.models import Extension

    requests = [
        Extension.objects.create(
            complaint=ComplaintFactory(owning_company=org[company]),
            tier=tier,
            reason="需外部鉴定",
            requested_by=head_office_handler,
            requested_at=timezone.now(),
        )
        for company in ("ho", "gd", "gz", "js", "nj")
        for tier in (1, 2)
    ]
    for user in (head_office_handler, province_cs_head, city_cs_head):
        expected = {
            x.pk
            for x in requests
            if extension_approver_ok(user, x.complaint.owning_company, x.tier)
        }
        found = set(
            Extension.objects.filter(extension_approver_q(user)).values_list(
                "pk", flat=True
            )
        )
        assert found == expected, user.username
        assert expected, user.username
