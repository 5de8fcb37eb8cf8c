"""Typical cases (S5.3, S6.1): nominated by a handler, approved by a head,
stored without personal data, tagged and searchable."""

import pytest

from kesu.complaints.models import Event
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound
from kesu.reports.deidentify import scrub
from kesu.reports.models import TypicalCase
from kesu.reports.selectors.typical_cases import typical_case_search
from kesu.reports.services.typical_cases import (
    typical_case_approve,
    typical_case_nominate,
    typical_case_reject,
)

from .conftest import at, make_complaint

pytestmark = pytest.mark.django_db
FACTS = (
    "投诉人张三丰（身份证 44010619800101123X，电话 13812345678，"
    "住广州市天河区体育西路 100 号 3 楼）称代理人李四误导其购买分红险，"
    "保单号 P2026000123，联系座机 020-87654321，邮箱 zsf@example.com。"
)


@pytest.fixture
def closed_case(org):
    complaint = make_complaint(
        org["gz"],
        at(2026, 3, 3),
        state="closed",
        complainant_name="张三丰",
        facts=FACTS,
        demand="要求张三丰的保单全额退保",
        agent_name="李四",
        policy_number="P2026000123",
        cause="mis_selling",
        liability="liable",
    )
    complainant = complaint.complainant
    complainant.id_number = "44010619800101123X"
    complainant.address = "广州市天河区体育西路 100 号 3 楼"
    complainant.save()
    return complaint


def nominate(user, complaint, **kw):
    return typical_case_nominate(
        user=user,
        complaint_id=complaint.pk,
        title=kw.pop("title", "张三丰销售误导案"),
        lesson="加强双录",
        tags="销售误导, 分红险",
        **kw,
    )


def test_the_stored_case_has_no_personal_data(closed_case, city_handler):
    case = nominate(city_handler, closed_case)
    stored = " ".join(
        [case.title, case.facts, case.demand, case.lesson, case.complainant_label]
    )
    for secret in (
        "张三丰",
        "李四",
        "44010619800101123X",
        "13812345678",
        "体育西路",
        "P2026000123",
        "87654321",
        "zsf@example.com",
    ):
        assert secret not in stored, secret
    assert "张**" in case.facts and "李*" in case.facts
    assert case.complainant_label == "张**"
    assert sorted(t.name for t in case.tags.all()) == ["分红险", "销售误导"]
    assert (
        Event.objects.filter(
            complaint=closed_case, action="typical_case_nominated"
        ).count()
        == 1
    )


def test_scrub_removes_patterns_even_without_known_values():
    text = "客户 13900001111 和 110101199003077777 以及 6222020202020202020 来电"
    assert scrub(text) == "客户 ［已删除］ 和 ［已删除］ 以及 ［已删除］ 来电"


def test_a_head_approves_and_the_case_joins_the_library(
    closed_case, city_handler, city_cs_head, province_handler
):
    case = nominate(city_handler, closed_case)
    assert typical_case_approve(user=city_cs_head, case_id=case.pk).status == "approved"
    found = typical_case_search(province_handler, text="双录", tag="分红险")
    assert [c.pk for c in found] == [case.pk]
    assert (
        Event.objects.filter(
            complaint=closed_case, action="typical_case_approved"
        ).count()
        == 1
    )


def test_approved_cases_are_shared_down_the_tree_nominations_are_not(
    org, city_handler, province_handler, province_cs_head
):
    province_case = make_complaint(org["gd"], at(2026, 3, 3), state="archived")
    case = nominate(province_handler, province_case, title="省级案例")
    assert not typical_case_search(city_handler).filter(pk=case.pk).exists()
    typical_case_approve(user=province_cs_head, case_id=case.pk)
    assert typical_case_search(city_handler).filter(pk=case.pk).exists()


def test_an_open_case_cannot_be_nominated(org, city_handler):
    open_case = make_complaint(org["gz"], at(2026, 3, 3), state="investigating")
    with pytest.raises(Conflict):
        nominate(city_handler, open_case)


def test_a_case_is_nominated_once_until_rejected(
    closed_case, city_handler, city_cs_head
):
    case = nominate(city_handler, closed_case)
    with pytest.raises(Conflict):
        nominate(city_handler, closed_case)
    with pytest.raises(DomainValidationError):
        typical_case_reject(user=city_cs_head, case_id=case.pk, note=" ")
    typical_case_reject(user=city_cs_head, case_id=case.pk, note="代表性不足")
    assert nominate(city_handler, closed_case).status == TypicalCase.Status.NOMINATED


def test_a_handler_cannot_approve_and_nobody_approves_their_own(
    org, closed_case, city_handler, head_office_handler
):
    case = nominate(city_handler, closed_case)
    with pytest.raises(Forbidden):
        typical_case_approve(user=city_handler, case_id=case.pk)
    ho_case = make_complaint(org["ho"], at(2026, 3, 3), state="closed")
    own = nominate(head_office_handler, ho_case)
    with pytest.raises(Forbidden):
        typical_case_approve(user=head_office_handler, case_id=own.pk)


def test_out_of_scope_cases_are_not_found(
    closed_case, city_handler, outsider_in_another_province
):
    with pytest.raises(NotFound):
        nominate(outsider_in_another_province, closed_case)
    case = nominate(city_handler, closed_case)
    with pytest.raises(NotFound):
        typical_case_approve(user=outsider_in_another_province, case_id=case.pk)


def test_nominate_page_keeps_the_form_on_error(closed_case, city_handler, client):
    client.force_login(city_handler)
    response = client.post(
        "/reports/cases/nominate/", {"number": "NOPE", "title": "我的标题"}
    )
    assert response.status_code == 400
    assert "我的标题" in response.content.decode()
    ok = client.post(
        "/reports/cases/nominate/",
        {"number": closed_case.number, "title": "案例", "tags": "理赔"},
    )
    assert ok.status_code == 302
