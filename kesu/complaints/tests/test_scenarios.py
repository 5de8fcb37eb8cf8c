"""Scenarios of DESIGN §3 and §4, in the domain's words, at the service layer."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.complaints import services as s
from kesu.complaints.lifecycle import allowed_actions
from kesu.complaints.models import Complaint, Investigation, Source, State
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

from .factories import advance, closing_fields, decision_fields, person, register

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def test_a_regulator_transferred_claims_complaint_is_investigated_by_the_province(
    org, province_handler, claims_coordinator
):
    with time_machine.travel(dt.datetime(2025, 5, 6, 10, 0, tzinfo=SH), tick=False):
        case = register(
            province_handler,
            received_at=timezone.now(),
            channel="regulator",
            source=Source.REGULATOR,
            sender_reference="粤金监转〔2025〕88号",
            sender_due_date=dt.date(2025, 5, 16),
            business_category="claims",
        ).complaint
        assert case.due_date == dt.date(2025, 5, 16)  # R1.18: the regulator's, earlier
        case = s.complaint_accept(complaint=case, actor=province_handler)
        case, inv = s.investigation_dispatch(
            complaint=case,
            actor=province_handler,
            department=department(org["gd"], K.CLAIMS),
        )
        assert inv.due_date == dt.date(2025, 5, 13)  # 5 working days
    case = s.investigation_answer(
        investigation=inv, actor=claims_coordinator, finding="理赔材料齐全，应予赔付"
    )
    assert case.state == State.REVIEWING
    s.investigation_accept_finding(investigation=inv, actor=province_handler)
    case = s.complaint_reply(
        complaint=case, actor=province_handler, **decision_fields()
    )
    # S7.8: the province closes cases transferred by the regulator itself
    case = s.complaint_close(complaint=case, actor=province_handler, **closing_fields())
    assert case.state == State.CLOSED


def test_a_city_cannot_dispatch_a_claims_complaint_the_province_centralises(
    org, city_clerk, city_handler, province_handler
):
    case = register(city_clerk, business_category="claims").complaint
    case = s.complaint_accept(complaint=case, actor=city_handler)
    with pytest.raises(DomainValidationError) as err:
        s.investigation_dispatch(
            complaint=case,
            actor=city_handler,
            department=department(org["gz"], K.CLAIMS),
        )
    assert "上报" in str(err.value.message) and err.value.data["refer_up"]
    case, _ = s.complaint_refer_up(
        complaint=case, actor=city_handler, kind="handling", reason="核赔集中在省公司"
    )
    assert case.owning_company == org["gd"]
    case, inv = s.investigation_dispatch(
        complaint=case,
        actor=province_handler,
        department=department(org["gd"], K.CLAIMS),
    )
    assert inv.department.company == org["gd"]
    # the city that registered it still follows it
    assert Complaint.objects.filter(pk=case.pk).exists()
    from kesu.complaints.access import complaint_get_for

    assert complaint_get_for(city_handler, pk=case.pk).owning_company == org["gd"]


def test_a_city_investigates_underwriting_itself_where_it_is_not_centralised(org):
    clerk = person(org["nj"], Role.CLERK)
    handler = person(org["nj"], Role.HANDLER)
    coordinator = person(org["nj"], Role.COORDINATOR, K.UNDERWRITING)
    case = register(clerk, business_category="underwriting").complaint
    case = s.complaint_accept(complaint=case, actor=handler)
    case, inv = s.investigation_dispatch(
        complaint=case, actor=handler, department=department(org["nj"], K.UNDERWRITING)
    )
    s.investigation_answer(investigation=inv, actor=coordinator, finding="核保无误")
    case = s.investigation_accept_finding(investigation=inv, actor=handler)
    case = s.complaint_reply(complaint=case, actor=handler, **decision_fields())
    case = s.complaint_close(complaint=case, actor=handler, **closing_fields())
    assert case.state == State.CLOSED and case.owning_company == org["nj"]


def test_a_finding_returned_twice_counts_two_returns(
    org, city_handler, city_sales_coordinator
):
    case = advance(
        register(city_handler).complaint,
        State.INVESTIGATING,
        handler=city_handler,
        coordinator=city_sales_coordinator,
    )
    inv = case.investigations.get()
    for n in (1, 2):
        s.investigation_answer(
            investigation=inv,
            actor=city_sales_coordinator,
            finding=f"第{n}次调查：业务员已说明",
        )
        case = s.investigation_return(
            investigation=inv, actor=city_handler, guidance=f"第{n}次退回：请调取双录"
        )
        assert case.state == State.INVESTIGATING
    inv.refresh_from_db()
    assert inv.return_count == 2 and inv.status == Investigation.Status.RETURNED
    assert case.events.filter(action="return_for_reinvestigation").count() == 2
    case = s.investigation_answer(
        investigation=inv,
        actor=city_sales_coordinator,
        finding="双录显示未说明退保损失",
    )
    assert case.state == State.REVIEWING


def test_a_city_cannot_close_a_case_the_province_handed_down(
    org, province_handler, province_cs_head, city_handler, city_cs_head
):
    case = register(province_handler).complaint
    case, _ = s.complaint_hand_down(
        complaint=case, actor=province_handler, to_company=org["gz"], reason="属地处理"
    )
    case = advance(case, State.REPLIED, handler=city_handler)
    for closer in (city_handler, city_cs_head):
        with pytest.raises(Forbidden) as err:
            s.complaint_close(complaint=case, actor=closer, **closing_fields())
        assert "省级" in str(err.value.message)
    case = s.complaint_propose_closure(
        complaint=case, actor=city_handler, **closing_fields()
    )
    assert case.state == State.CLOSURE_PROPOSED
    with pytest.raises(Forbidden):
        s.complaint_confirm_closure(complaint=case, actor=city_cs_head)
    assert "confirm_closure" in allowed_actions(province_cs_head, case)
    case = s.complaint_confirm_closure(complaint=case, actor=province_cs_head)
    assert case.state == State.CLOSED and case.closed_by == province_cs_head


def test_a_city_closes_a_handed_down_case_the_province_authorised(
    org, province_handler, city_handler
):
    case = register(province_handler).complaint
    case, _ = s.complaint_hand_down(
        complaint=case,
        actor=province_handler,
        to_company=org["gz"],
        reason="属地处理",
        authorise_closure=True,
    )
    case = advance(case, State.CLOSED, handler=city_handler)
    assert case.closed_by == city_handler


def test_an_extension_past_30_days_needs_the_parent_company(
    org, city_clerk, city_handler, city_cs_head, province_cs_head
):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        case = advance(
            register(city_clerk, received_at=timezone.now()).complaint,
            State.ACCEPTED,
            handler=city_handler,
        )
        assert case.due_date == dt.date(2025, 3, 18)
        case, _ = s.extension_request(complaint=case, actor=city_handler, reason="复杂")
        with pytest.raises(DomainValidationError):  # R1.8: complainant must be told
            s.extension_approve(
                complaint=case, actor=city_cs_head, complainant_notified=False
            )
        case, ext = s.extension_approve(
            complaint=case, actor=city_cs_head, complainant_notified=True
        )
        assert case.due_date == dt.date(2025, 4, 2) and case.extension_tier == 1
        case, _ = s.extension_request(
            complaint=case, actor=city_handler, reason="特别复杂"
        )
        with pytest.raises(Forbidden) as err:
            s.extension_approve(
                complaint=case, actor=city_cs_head, complainant_notified=True
            )
        assert "上级" in str(err.value.message)
        case, ext = s.extension_approve(
            complaint=case, actor=province_cs_head, complainant_notified=True
        )
    assert case.extension_tier == 2 and case.due_date == dt.date(2025, 5, 6)
    with pytest.raises(Forbidden):
        s.extension_request(complaint=case, actor=city_handler, reason="再延")


def test_a_user_of_another_province_cannot_see_or_touch_the_case(
    org, city_clerk, outsider_in_another_province
):
    from kesu.complaints.access import complaint_get_for

    case = register(city_clerk).complaint
    with pytest.raises(NotFound):
        complaint_get_for(outsider_in_another_province, pk=case.pk)
    with pytest.raises(NotFound):
        s.complaint_accept(complaint=case, actor=outsider_in_another_province)
    assert case.events.count() == 1


def test_a_person_complained_about_is_recused(
    org, city_clerk, city_handler, city_sales_coordinator
):
    other = person(org["gz"], Role.HANDLER)
    case = register(
        city_clerk, complained_staff=[other, city_sales_coordinator]
    ).complaint
    with pytest.raises(Forbidden):
        s.complaint_accept(complaint=case, actor=other)
    case = s.complaint_accept(complaint=case, actor=city_handler)
    with pytest.raises(DomainValidationError) as err:
        s.complaint_assign(complaint=case, actor=city_handler, handler=other)
    assert err.value.field == "handler"
    case, inv = s.investigation_dispatch(
        complaint=case,
        actor=city_handler,
        department=department(org["gz"], K.INDIVIDUAL_SALES),
    )
    with pytest.raises(Forbidden) as err:
        s.investigation_answer(
            investigation=inv, actor=city_sales_coordinator, finding="无问题"
        )
    assert "回避" in str(err.value.message)


def test_pausing_for_an_appraisal_moves_the_deadline(org, city_clerk, city_handler):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        case = advance(
            register(city_clerk, received_at=timezone.now()).complaint,
            State.ACCEPTED,
            handler=city_handler,
        )
        case = s.complaint_pause(complaint=case, actor=city_handler, reason="伤残鉴定")
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, 0, tzinfo=SH), tick=False):
        case = s.complaint_resume(complaint=case, actor=city_handler)
    assert case.paused_days == 7 and case.due_date == dt.date(2025, 3, 25)


def test_merging_a_repeat_complaint_restarts_the_clock(org, city_clerk, city_handler):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        first = advance(
            register(
                city_clerk, received_at=timezone.now(), policy_number="P9"
            ).complaint,
            State.ACCEPTED,
            handler=city_handler,
        )
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, 0, tzinfo=SH), tick=False):
        repeat = register(city_clerk, received_at=timezone.now(), policy_number="P9")
        repeat = s.complaint_merge(
            complaint=repeat.complaint,
            actor=city_handler,
            into=first,
            reason="补充了新证据",
        )
    first.refresh_from_db()
    assert repeat.state == State.MERGED and repeat.merged_into == first
    assert first.due_date == dt.date(
        2025, 3, 25
    )  # R1.10: 15 days from the new material
    assert first.events.filter(action="merge_received").exists()


def test_a_review_request_opens_a_linked_case_at_the_parent_within_30_days(
    org, city_clerk, city_handler, province_handler
):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        case = advance(
            register(city_clerk, received_at=timezone.now()).complaint,
            State.REPLIED,
            handler=city_handler,
        )
    with time_machine.travel(dt.datetime(2025, 3, 20, 10, 0, tzinfo=SH), tick=False):
        case, review = s.complaint_request_review(
            complaint=case, actor=province_handler, reason="不服处理决定"
        )
    assert review.owning_company == org["gd"] and review.review_of == case
    assert review.state == State.ACCEPTED and review.due_date == dt.date(2025, 4, 21)
    with pytest.raises(Forbidden):  # one review only
        s.complaint_request_review(
            complaint=case, actor=province_handler, reason="再次"
        )


def test_a_review_request_after_30_days_is_refused(org, city_clerk, city_handler):
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH), tick=False):
        case = advance(
            register(city_clerk).complaint, State.REPLIED, handler=city_handler
        )
    with time_machine.travel(dt.datetime(2025, 4, 3, 10, 0, tzinfo=SH), tick=False):
        with pytest.raises(Forbidden) as err:
            s.complaint_request_review(
                complaint=case, actor=city_handler, reason="不服"
            )
    assert "30" in str(err.value.message)


def test_an_archived_case_is_read_only(org, city_clerk, city_handler):
    case = advance(register(city_clerk).complaint, State.ARCHIVED, handler=city_handler)
    assert case.retention_until.year == timezone.localdate().year + 3
    for call in (
        lambda: s.complaint_record_follow_up(
            complaint=case, actor=city_handler, result="satisfied"
        ),
        lambda: s.complaint_reopen(complaint=case, actor=city_handler, reason="x"),
        lambda: s.complaint_withdraw(complaint=case, actor=city_handler, reason="x"),
    ):
        with pytest.raises(Conflict) as err:
            call()
        assert "归档" in str(err.value.message)


def test_a_committee_ruling_cannot_be_overridden_below_it(
    org, city_clerk, city_handler, committee_member, province_cs_head
):
    case = advance(register(city_clerk).complaint, State.REPLIED, handler=city_handler)
    case = s.complaint_apply_ruling(
        complaint=case,
        actor=committee_member,
        liability="not_liable",
        responsible_link="other",
        cause="service",
    )
    with pytest.raises(DomainValidationError) as err:
        s.complaint_close(complaint=case, actor=city_handler, **closing_fields())
    assert "S3.4" in str(err.value.message)
    case = s.complaint_close(complaint=case, actor=city_handler)
    assert (case.liability, case.cause) == ("not_liable", "service")


def test_a_city_committee_cannot_rule_again_on_a_province_ruling(
    org, city_clerk, city_handler, committee_member
):
    from kesu.accounts.roles import Role
    from kesu.accounts.tests.factories import make_user

    city_member = make_user("gz_committee", org["gz"], [Role.COMMITTEE_MEMBER])
    case = advance(register(city_clerk).complaint, State.REPLIED, handler=city_handler)
    ruling = dict(responsible_link="other", cause="service")
    case = s.complaint_apply_ruling(complaint=case, actor=committee_member,
                                    liability="liable", **ruling)
    with pytest.raises(Conflict):
        s.complaint_apply_ruling(complaint=case, actor=city_member,
                                 liability="not_liable", **ruling)
    case.refresh_from_db()
    assert case.liability == "liable"


def test_an_unreachable_follow_up_is_retried_and_dissatisfaction_reopens(
    org, city_clerk, city_handler
):
    case = advance(register(city_clerk).complaint, State.CLOSED, handler=city_handler)
    case, first = s.complaint_record_follow_up(
        complaint=case, actor=city_handler, result="unreachable"
    )
    assert "reopen" not in allowed_actions(city_handler, case)
    case, second = s.complaint_record_follow_up(
        complaint=case, actor=city_handler, result="dissatisfied"
    )
    assert (first.attempt, second.attempt) == (1, 2)
    case = s.complaint_reopen(complaint=case, actor=city_handler, reason="客户不满意")
    assert case.state == State.REVIEWING and case.closed_at is None


def test_a_complaint_outside_the_remit_goes_to_the_right_company(
    org, city_clerk, city_handler
):
    case = register(city_clerk).complaint
    case = s.complaint_decline(
        complaint=case,
        actor=city_handler,
        ground="outside_remit",
        reason="保单由南京分公司承保",
        transfer_to=org["nj"],
    )
    assert case.state == State.REGISTERED and case.owning_company == org["nj"]
    with pytest.raises(DomainValidationError):
        s.complaint_decline(
            complaint=case, actor=city_handler, ground="because", reason="x"
        )


def test_a_call_centre_complaint_is_answered_by_customer_service_itself(
    org, city_clerk, city_handler
):
    case = advance(
        register(city_clerk, business_category="call_centre").complaint,
        State.ACCEPTED,
        handler=city_handler,
    )
    assert "dispatch" not in allowed_actions(city_handler, case)
    with pytest.raises(Forbidden):
        s.investigation_dispatch(
            complaint=case,
            actor=city_handler,
            department=department(org["gz"], K.CALL_CENTRE),
        )
    case = s.complaint_reply(complaint=case, actor=city_handler, **decision_fields())
    assert case.state == State.REPLIED


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    org, city_clerk, city_handler
):
    case = register(city_clerk).complaint
    with pytest.raises(Conflict):
        s.complaint_accept(complaint=case, actor=city_handler, expected_version=7)
    s.complaint_accept(
        complaint=case, actor=city_handler, expected_version=case.version
    )
    with pytest.raises(Conflict):  # the stale copy of the case
        s.complaint_decline(
            complaint=case,
            actor=city_handler,
            ground="not_by_consumer",
            reason="x",
            expected_version=1,
        )


def test_a_reply_must_carry_the_r1_11_content(org, city_clerk, city_handler):
    case = advance(register(city_clerk).complaint, State.ACCEPTED, handler=city_handler)
    fields = decision_fields() | {"remedies": []}
    with pytest.raises(DomainValidationError) as err:
        s.complaint_reply(complaint=case, actor=city_handler, **fields)
    assert err.value.field == "remedies"
    with pytest.raises(DomainValidationError) as err:
        s.complaint_reply(
            complaint=case, actor=city_handler, **(decision_fields() | {"basis": ""})
        )
    assert err.value.field == "basis"


def test_a_withdrawal_cancels_open_investigations(org, city_clerk, city_handler):
    case = advance(
        register(city_clerk).complaint, State.INVESTIGATING, handler=city_handler
    )
    case = s.complaint_withdraw(complaint=case, actor=city_handler, reason="来电撤诉")
    assert case.state == State.WITHDRAWN
    assert case.investigations.get().status == Investigation.Status.CANCELLED
