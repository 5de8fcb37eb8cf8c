"""Issue 8: the workbench's rows come from one statement kept per user
(web/queue_sql.py) and are built in Python (web/rows.py). They show what
the template showed — notes, the answer link, masked names — and the kept
statement follows the user's scope."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kesu.complaints.models import Investigation, Referral
from kesu.complaints.tests.factories import ComplainantFactory, ComplaintFactory
from kesu.organisation.tests.factories import make_company
from kesu.web import queue_sql, queues

pytestmark = pytest.mark.django_db


def _section(client, user, key) -> str:
    client.force_login(user)
    page = client.get(reverse("web:workbench")).content.decode()
    return page.split(f'data-testid="queue-{key}"')[1].split("</section>")[0]


def test_a_department_s_investigation_shows_its_instructions_and_answer_link(
    client, org, city_sales_coordinator, city_handler
):
    person = ComplainantFactory(name="张三丰")
    case = ComplaintFactory(owning_company=org["gz"], complainant=person)
    case.state = "investigating"
    case.save(update_fields=["state"])
    investigation = Investigation.objects.create(
        complaint=case,
        department=city_sales_coordinator.department,
        instructions="请核实销售过程",
        dispatched_by=city_handler,
        dispatched_at=timezone.now(),
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )

    row = _section(client, city_sales_coordinator, "investigations")

    assert case.number in row
    assert reverse("web:complaint_detail", args=[case.number]) in row
    assert reverse("web:investigation_answer", args=[investigation.pk]) in row
    assert "请核实销售过程" in row
    assert "张**" in row and "张三丰" not in row  # D: names masked in lists
    assert 'class="overdue"' in row and "超期 2 天" in row


def test_a_referral_shows_who_sent_it_and_how(client, org, province_handler):
    case = ComplaintFactory(owning_company=org["gz"])
    Referral.objects.create(
        complaint=case,
        kind=Referral.Kind.GUIDANCE,
        from_company=org["gz"],
        to_company=org["gd"],
        reason="请指导",
        created_by=province_handler,
        created_at=timezone.now(),
    )

    row = _section(client, province_handler, "referrals")

    assert case.number in row
    assert f"{org['gz'].name}：上报请求指导" in row


def test_the_kept_statement_follows_a_company_added_below_the_user_s(org, city_handler):
    def mine():
        return {i.complaint.pk for i in queues.queues_for(city_handler)[0].items}

    assert mine() == set()
    kept = len(queue_sql._statements)
    below = make_company("GDGZTH", "天河支公司", org["gz"])
    case = ComplaintFactory(owning_company=below, handler=city_handler)
    case.state = "accepted"
    case.save(update_fields=["state"])
    city_handler._kesu_companies_below = None  # a new request reads it again

    assert mine() == {case.pk}
    assert len(queue_sql._statements) == kept + 1


def test_the_top_bar_s_links_follow_the_user_the_page_and_the_language(
    client, city_clerk, city_handler
):
    """The links are rendered once per permissions, page and language
    (kesu_web.fragment) and reused: never another user's or page's."""

    def nav(user, name, language="zh-hans"):
        client.force_login(user)
        client.cookies["django_language"] = language
        page = client.get(reverse(f"web:{name}")).content.decode()
        return page.split("<nav")[1].split("</nav>")[0]

    for _ in range(2):  # the second time from the kept fragments
        clerk, handler = nav(city_clerk, "workbench"), nav(city_handler, "workbench")
        assert "登记投诉" in clerk and "部门调查" not in clerk
        assert 'class="active" href="/"' in handler
        listed = nav(city_handler, "complaint_list")
        assert 'class="active" href="/complaints/"' in listed
        assert 'class="active" href="/"' not in listed
        assert "My work" in nav(city_handler, "workbench", "en")
