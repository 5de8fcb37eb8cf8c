"""Issue 5 item 9 (S4): pending supervision work on the workbench, and the
in-app notifications in the top bar and on /notifications/."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.notifications.models import Notification
from kesu.notifications.services.enqueue import notification_enqueue
from kesu.notifications.services.relay import outbox_drain
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.supervision.models import Rectification

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)


@pytest.fixture
def gz_case(org):
    return ComplaintFactory(owning_company=org["gz"])


def rectification(company, dept, owner, action, due):
    return Rectification.objects.create(
        company=company,
        department=dept,
        owner=owner,
        action=action,
        due_date=due,
        opened_by=owner,
        opened_at=timezone.now(),
    )


def notify(user, subject, **payload):
    notification_enqueue(kind="test", subject=subject, user=user, payload=payload)
    outbox_drain()
    return Notification.objects.get(user=user, subject=subject)


@time_machine.travel(NOW, tick=False)
def test_a_province_head_sees_the_missed_joint_meeting_on_the_workbench(
    client, province_cs_head
):
    client.force_login(province_cs_head)
    page = client.get(reverse("web:workbench")).content.decode()
    assert 'data-testid="queue-supervision"' in page
    assert 'data-testid="counter-supervision"' in page
    assert "上一半年度未召开联席会议" in page
    # the missed meeting is overdue (red) and links to the meetings page
    row = page.split('data-kind="joint_meeting_missed"')[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row
    assert reverse("committee:meetings") in page
    assert "2026-06-30" in page  # due at the end of the last half-year


@time_machine.travel(NOW, tick=False)
def test_a_coordinator_sees_only_their_own_company_s_rectifications(
    client, org, city_sales_coordinator
):
    gz_sales = city_sales_coordinator.department
    rectification(org["gz"], gz_sales, city_sales_coordinator, "广州整改销售话术",
                  dt.date(2026, 11, 10))
    sz_sales = department(org["sz"], K.INDIVIDUAL_SALES)
    sz_coordinator = make_user("sz_sales", org["sz"], [Role.COORDINATOR],
                               department=sz_sales)
    rectification(org["sz"], sz_sales, sz_coordinator, "深圳整改回访流程",
                  dt.date(2026, 11, 10))

    client.force_login(city_sales_coordinator)
    page = client.get(reverse("web:workbench")).content.decode()
    assert "广州整改销售话术" in page
    assert "深圳整改回访流程" not in page
    assert reverse("supervision:rectifications") in page


def test_a_user_without_supervision_work_has_no_supervision_section(
    client, city_clerk
):
    client.force_login(city_clerk)
    page = client.get(reverse("web:workbench")).content.decode()
    assert 'data-testid="queue-supervision"' not in page


def test_the_top_bar_shows_the_unread_count(client, city_handler):
    notify(city_handler, "案件即将超时")
    notify(city_handler, "调查待反馈")
    client.force_login(city_handler)
    page = client.get(reverse("web:workbench")).content.decode()
    assert 'data-testid="unread-count">2<' in page


def test_the_notifications_page_lists_and_marks_read_by_post(
    client, city_handler, gz_case
):
    first = notify(city_handler, "案件即将超时", number=gz_case.number)
    second = notify(city_handler, "调查待反馈")
    client.force_login(city_handler)
    url = reverse("web:notifications")

    page = client.get(url).content.decode()
    assert "案件即将超时" in page and "调查待反馈" in page
    assert reverse("web:complaint_detail", args=[gz_case.number]) in page
    first.refresh_from_db()
    assert first.read_at is None  # looking never marks anything read

    read = reverse("web:notification_read", args=[first.pk])
    assert client.get(read).status_code == 405  # GET never changes state
    response = client.post(read)
    assert response.status_code == 302 and response["Location"] == url
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None

    client.post(reverse("web:notifications_read_all"))
    second.refresh_from_db()
    assert second.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(url).content.decode()


def test_marking_needs_a_csrf_token(city_handler):
    from django.test import Client

    note = notify(city_handler, "案件即将超时")
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_handler)
    response = client.post(reverse("web:notification_read", args=[note.pk]))
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


def test_another_user_s_notification_cannot_be_marked_read(
    client, city_handler, city_clerk
):
    theirs = notify(city_clerk, "登记待补正")
    client.force_login(city_handler)
    response = client.post(reverse("web:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "登记待补正" not in client.get(reverse("web:notifications")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_supervision_section_and_notifications_are_in_english_too(
    client, province_cs_head
):
    notify(province_cs_head, "案件即将超时")
    client.force_login(province_cs_head)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("web:workbench")).content.decode()
    assert "Supervision work" in page
    page = client.get(reverse("web:notifications")).content.decode()
    assert "Mark as read" in page and "Mark all as read" in page
