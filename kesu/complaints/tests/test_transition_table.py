"""Walks the whole transition table (STYLE.md rule 2): for every action, in
every state, every case role either succeeds and writes exactly one event
(when the table allows that state and role), or is refused with a domain
error and nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.accounts.roles import CASE_ROLES, Role
from kesu.complaints import services as s
from kesu.complaints.lifecycle import SAME, TRANSITIONS, Action
from kesu.complaints.models import (
    Complaint,
    Event,
    Extension,
    FollowUp,
    Pause,
    Referral,
    Source,
    State,
)
from kesu.errors import DomainError
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

from .factories import (
    ComplaintFactory,
    advance,
    closing_fields,
    decision_fields,
    person,
)

pytestmark = pytest.mark.django_db

SALES = K.INDIVIDUAL_SALES
WALKABLE = [st for st in State.values]


def _answered(case):
    return case.investigations.filter(status="answered").first()


def _investigating_with_an_answer(case, handler):
    """Two investigations, one answered: the case stays investigating."""
    if case.state != State.INVESTIGATING:
        return
    coord = person(case.owning_company, Role.COORDINATOR, K.POLICY_SERVICE)
    _, second = s.investigation_dispatch(
        complaint=case,
        actor=handler,
        department=department(case.owning_company, K.POLICY_SERVICE),
    )
    s.investigation_answer(investigation=second, actor=coord, finding="已核实")


def _pending_extension(case, handler):
    Extension.objects.create(
        complaint=case,
        tier=1,
        reason="案情复杂",
        requested_by=handler,
        requested_at=timezone.now(),
    )


def _pending_referral(case, handler):
    Referral.objects.create(
        complaint=case,
        kind=Referral.Kind.GUIDANCE,
        from_company=case.owning_company,
        to_company=case.owning_company.parent,
        reason="请指导",
        created_by=handler,
        created_at=timezone.now(),
    )


def _paused(case, handler):
    Pause.objects.create(
        complaint=case, reason="鉴定", started_at=timezone.now(), started_by=handler
    )
    Complaint.objects.filter(pk=case.pk).update(
        paused_since=timezone.now() - dt.timedelta(days=3)
    )


def _dissatisfied(case, handler):
    FollowUp.objects.create(
        complaint=case,
        attempt=1,
        result="dissatisfied",
        recorded_by=handler,
        recorded_at=timezone.now(),
    )


def _supervised(case, handler):
    Complaint.objects.filter(pk=case.pk).update(supervised_by_head_office=True)


def _other_case(case):
    return ComplaintFactory(
        owning_company=case.owning_company,
        complainant=case.complainant,
        policy_number=case.policy_number,
    )


# action → (case kind, where the actor sits, setup(case, handler),
#            perform(case, actor, ctx))
SPECS = {
    Action.ACCEPT: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_accept(complaint=c, actor=a),
    ),
    Action.DECLINE: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_decline(
            complaint=c, actor=a, ground="not_consumer_complaint", reason="咨询，非投诉"
        ),
    ),
    Action.TRANSFER: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_transfer(
            complaint=c, actor=a, to_company=x["org"]["sz"], reason="保单属深圳"
        ),
    ),
    Action.ASSIGN: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_assign(
            complaint=c, actor=a, handler=person(c.owning_company, Role.HANDLER)
        ),
    ),
    Action.REGRADE: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_regrade(
            complaint=c, actor=a, grade="difficult", reason="案情复杂"
        ),
    ),
    Action.PRELIMINARY_OPINION: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_record_opinion(
            complaint=c, actor=a, opinion="建议核实销售过程"
        ),
    ),
    Action.DISPATCH: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.investigation_dispatch(
            complaint=c, actor=a, department=department(c.owning_company, K.RENEWAL)
        ),
    ),
    Action.ANSWER: (
        "city",
        "dept",
        None,
        lambda c, a, x: s.investigation_answer(
            investigation=c.investigations.filter(department=a.department).first() or 0,
            actor=a,
            finding="已核实",
        ),
    ),
    Action.RETURN_FOR_REINVESTIGATION: (
        "city",
        "owner",
        _investigating_with_an_answer,
        lambda c, a, x: s.investigation_return(
            investigation=_answered(c) or 0, actor=a, guidance="请补充录音"
        ),
    ),
    Action.ACCEPT_FINDING: (
        "city",
        "owner",
        _investigating_with_an_answer,
        lambda c, a, x: s.investigation_accept_finding(
            investigation=_answered(c) or 0, actor=a
        ),
    ),
    Action.REFER_UP: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_refer_up(
            complaint=c, actor=a, kind="guidance", reason="请省公司指导"
        ),
    ),
    Action.ANSWER_REFERRAL: (
        "city",
        "parent",
        _pending_referral,
        lambda c, a, x: s.referral_answer(
            referral=c.referrals.first() or 0, actor=a, opinion="按合同条款处理"
        ),
    ),
    Action.HAND_DOWN: (
        "province",
        "owner",
        None,
        lambda c, a, x: s.complaint_hand_down(
            complaint=c, actor=a, to_company=x["org"]["gz"], reason="属地处理"
        ),
    ),
    Action.REQUEST_EXTENSION: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.extension_request(complaint=c, actor=a, reason="需调取录音"),
    ),
    Action.APPROVE_EXTENSION: (
        "city",
        "owner",
        _pending_extension,
        lambda c, a, x: s.extension_approve(
            complaint=c, actor=a, complainant_notified=True
        ),
    ),
    Action.REJECT_EXTENSION: (
        "city",
        "owner",
        _pending_extension,
        lambda c, a, x: s.extension_reject(complaint=c, actor=a, note="理由不足"),
    ),
    Action.PAUSE: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_pause(complaint=c, actor=a, reason="委托司法鉴定"),
    ),
    Action.RESUME: (
        "city",
        "owner",
        _paused,
        lambda c, a, x: s.complaint_resume(complaint=c, actor=a),
    ),
    Action.MERGE: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_merge(
            complaint=c, actor=a, into=_other_case(c), reason="重复投诉，有新事实"
        ),
    ),
    Action.REPLY: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_reply(complaint=c, actor=a, **decision_fields()),
    ),
    Action.PROPOSE_CLOSURE: (
        "city_regulator",
        "owner",
        None,
        lambda c, a, x: s.complaint_propose_closure(
            complaint=c, actor=a, **closing_fields()
        ),
    ),
    Action.CONFIRM_CLOSURE: (
        "city_regulator",
        "province",
        None,
        lambda c, a, x: s.complaint_confirm_closure(complaint=c, actor=a),
    ),
    Action.REJECT_CLOSURE: (
        "city_regulator",
        "province",
        None,
        lambda c, a, x: s.complaint_reject_closure(
            complaint=c, actor=a, note="责任认定依据不足"
        ),
    ),
    Action.CLOSE: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_close(complaint=c, actor=a, **closing_fields()),
    ),
    Action.APPLY_RULING: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_apply_ruling(
            complaint=c,
            actor=a,
            liability="not_liable",
            responsible_link="other",
            cause="other",
        ),
    ),
    Action.RECORD_FOLLOW_UP: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_record_follow_up(
            complaint=c, actor=a, result="unreachable"
        ),
    ),
    Action.REOPEN: (
        "city",
        "owner",
        _dissatisfied,
        lambda c, a, x: s.complaint_reopen(complaint=c, actor=a, reason="回访不满意"),
    ),
    Action.REQUEST_REVIEW: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_request_review(
            complaint=c, actor=a, reason="对处理决定有异议"
        ),
    ),
    Action.WITHDRAW: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_withdraw(
            complaint=c, actor=a, reason="投诉人来电撤诉"
        ),
    ),
    Action.ARCHIVE: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_archive(complaint=c, actor=a),
    ),
    Action.REQUEST_SUPERVISION: (
        "city",
        "owner",
        None,
        lambda c, a, x: s.complaint_request_supervision(
            complaint=c, actor=a, reason="调查结果与投诉情况差异较大"
        ),
    ),
    Action.GIVE_SUPERVISION_OPINION: (
        "city",
        "head_office",
        _supervised,
        lambda c, a, x: s.complaint_give_supervision_opinion(
            complaint=c, actor=a, opinion="请调取销售录音后重新认定"
        ),
    ),
}


def test_every_action_of_the_table_has_a_walk():
    assert set(SPECS) == set(TRANSITIONS)


def _case_in(state: str, kind: str, org, handler_for):
    if state == State.CLOSURE_PROPOSED:  # only a case the province confirms gets here
        company, source = org["gz"], Source.REGULATOR
    elif kind == "province":
        company, source = org["gd"], Source.DIRECT
    else:
        company = org["gz"]
        source = Source.REGULATOR if kind == "city_regulator" else Source.DIRECT
    case = ComplaintFactory(owning_company=company, source=source)
    handler = handler_for(company)
    return advance(case, state, handler=handler, department_kind=SALES), handler


def _actor(role: str, where: str, case: Complaint, org):
    company = {
        "owner": case.owning_company,
        "parent": case.owning_company.parent,
        "province": org["gd"],
        "head_office": org["ho"],
    }.get(where, case.owning_company)
    kind = SALES if role in (Role.COORDINATOR, Role.DEPT_HEAD) else K.CUSTOMER_SERVICE
    return person(company, role, kind)


def _combinations():
    for action in TRANSITIONS:
        for state in WALKABLE:
            yield pytest.param(action, state, id=f"{action}-{state}")


@pytest.mark.parametrize("action,state", list(_combinations()))
def test_transition_table(action, state, org):
    """Every role that may not is refused on one case (nothing written); each
    role that may succeeds on a fresh case with exactly one event."""
    transition = TRANSITIONS[action]
    allowed_here = state in transition.sources
    refused = [
        r for r in sorted(CASE_ROLES) if not (allowed_here and r in transition.roles)
    ]
    case, perform, ctx = _prepare(action, state, org)
    for role in refused:
        _assert_refused(case, perform, _actor(role, SPECS[action][1], case, org), ctx)
    for role in sorted(transition.roles) if allowed_here else []:
        case, perform, ctx = _prepare(action, state, org)
        _assert_succeeds(
            case, perform, _actor(role, SPECS[action][1], case, org), ctx, transition
        )


def _prepare(action, state, org):
    kind, where, setup, perform = SPECS[action]
    handlers = {}

    def handler_for(company):
        return handlers.setdefault(company.pk, person(company, Role.HANDLER))

    case, handler = _case_in(state, kind, org, handler_for)
    if setup:
        setup(case, handler)
    return Complaint.objects.get(pk=case.pk), perform, {"org": org}


def _assert_refused(case, perform, actor, ctx):
    before = Event.objects.filter(complaint=case).count()
    with pytest.raises(DomainError):
        perform(case, actor, ctx)
    after = Complaint.objects.get(pk=case.pk)
    assert Event.objects.filter(complaint=case).count() == before, actor.role_set
    assert (after.state, after.version) == (case.state, case.version)


def _assert_succeeds(case, perform, actor, ctx, transition):
    before = Event.objects.filter(complaint=case).count()
    perform(case, actor, ctx)
    after = Complaint.objects.get(pk=case.pk)
    events = list(Event.objects.filter(complaint=case).order_by("-id"))
    assert len(events) == before + 1
    assert events[0].action == transition.action and events[0].actor == actor
    assert events[0].from_state == case.state
    expected = case.state if transition.target == SAME else transition.target
    assert after.state == events[0].to_state == expected
    assert after.version == case.version + 1
