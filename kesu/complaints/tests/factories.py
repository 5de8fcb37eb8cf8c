"""Complaint factories for every app's tests.

- `ComplaintFactory`: a valid registered complaint written straight to the
  table (fast, for lists, reports and bulk); it has its register event.
- `register(actor, **overrides)`: the same through `complaint_register`.
- `advance(complaint, to=State.X, ...)`: walks a case into any state through
  the real services, creating the people it needs at the right companies."""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.organisation.models import DepartmentKind
from kesu.organisation.selectors import province_of
from kesu.organisation.tests.factories import department, make_company

from ..deadlines import decision_due
from ..identity import blind_index
from ..lifecycle import needs_province_confirmation
from ..models import Complainant, Complaint, Event, FollowUp, Investigation, State
from ..validators import id_check_digit

_seq = itertools.count(1)


def _default_company():
    return make_company("HO", "总公司")


class ComplainantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complainant

    name = factory.Sequence(lambda n: f"投诉人{n}")
    id_number = factory.Sequence(lambda n: f"44010119800101{n % 10000:04d}")
    phone = factory.Sequence(lambda n: f"138{n % 100000000:08d}")
    address = "广东省广州市天河区体育西路1号"
    id_number_index = factory.LazyAttribute(lambda o: blind_index("id", o.id_number))
    phone_index = factory.LazyAttribute(lambda o: blind_index("phone", o.phone))


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A registered complaint with its due date and register event."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    owning_company = factory.LazyFunction(_default_company)
    registered_company = factory.SelfAttribute("owning_company")
    number = factory.LazyAttribute(
        lambda o: (
            f"TS-{o.owning_company.code}-{timezone.localdate():%Y%m%d}-"
            f"F{next(_seq):05d}"
        )
    )
    received_at = factory.LazyFunction(timezone.now)
    clock_started_at = factory.SelfAttribute("received_at")
    channel = "phone"
    complainant = factory.SubFactory(ComplainantFactory)
    policy_number = factory.Sequence(lambda n: f"P{n:010d}")
    product_type = "participating"
    sales_channel = "individual"
    business_category = "sales"
    facts = "业务员销售时夸大收益，未说明退保损失。"
    demand = "全额退还已交保费。"
    state = State.REGISTERED

    @factory.post_generation
    def deadline_and_event(self, create, extracted, **kwargs):
        due = decision_due(self)
        self.due_date, self.due_provisional = due.date, due.provisional
        if create:
            Complaint.objects.filter(pk=self.pk).update(
                due_date=due.date, due_provisional=due.provisional
            )
            Event.objects.create(
                complaint=self,
                action="register",
                actor=self.registered_by,
                at=timezone.now(),
                from_state="",
                to_state=self.state,
                data={"number": self.number, "factory": True},
            )


def _resident_id(n: int) -> str:
    """A valid resident ID (GB 11643 check digit) unique to `n`."""
    first17 = f"4401011980{n % 10**7:07d}"
    return first17 + id_check_digit(first17)


def register(actor, **overrides):
    """Register through the service; returns the Registered result."""
    from ..services import complaint_register

    n = next(_seq)
    fields = dict(
        received_at=timezone.now() - dt.timedelta(hours=1),
        channel="phone",
        complainant={
            "name": f"张{n}",
            "id_number": _resident_id(n),
            "phone": f"1390000{n % 10000:04d}",
        },
        facts="业务员销售时夸大收益。",
        demand="退还保费。",
        policy_number=f"PX{n:08d}",
        product_type="participating",
        sales_channel="individual",
        business_category="sales",
    )
    fields.update(overrides)
    return complaint_register(actor=actor, **fields)


# --- walking a case through the services ----------------------------------------


def person(company, role: str, kind: str = DepartmentKind.CUSTOMER_SERVICE):
    """A (new) user with `role` at `company`, in its `kind` department."""
    return make_user(
        f"{role}_{company.code}_{kind}_{next(_seq)}".lower(),
        company,
        [role],
        department=department(company, kind),
    )


def advance(
    complaint: Complaint,
    to: str,
    *,
    handler=None,
    coordinator=None,
    department_kind: str = DepartmentKind.INDIVIDUAL_SALES,
) -> Complaint:
    """Put `complaint` into state `to` through the services. Cases that need
    the province's confirmation are confirmed by a new province cs_head."""
    from .. import services as s

    owner = complaint.owning_company
    handler = handler or person(owner, Role.HANDLER)
    case = Complaint.objects.get(pk=complaint.pk)
    if to == State.REGISTERED:
        return case
    if to == State.DECLINED:
        return s.complaint_decline(
            complaint=case,
            actor=handler,
            ground="not_by_consumer",
            reason="非本人或代理人提出",
        )
    if to == State.MERGED:
        target = ComplaintFactory(
            owning_company=owner,
            complainant=case.complainant,
            policy_number=case.policy_number,
        )
        return s.complaint_merge(
            complaint=case, actor=handler, into=target, reason="重复投诉，有新事实"
        )
    case = s.complaint_accept(complaint=case, actor=handler)
    if to == State.WITHDRAWN:
        return s.complaint_withdraw(
            complaint=case, actor=handler, reason="投诉人来电撤诉"
        )
    if to == State.ACCEPTED:
        return case
    dept = department(owner, department_kind)
    coordinator = coordinator or person(owner, Role.COORDINATOR, department_kind)
    case, inv = s.investigation_dispatch(
        complaint=case, actor=handler, department=dept, instructions="请核实销售过程"
    )
    if to == State.INVESTIGATING:
        return case
    case = s.investigation_answer(
        investigation=inv,
        actor=coordinator,
        finding="经核实，业务员未充分说明",
        proposed_resolution="协商退费",
    )
    if to == State.REVIEWING:
        return case
    case = s.investigation_accept_finding(investigation=inv, actor=handler)
    case = s.complaint_reply(complaint=case, actor=handler, **decision_fields())
    if to == State.REPLIED:
        return case
    return _close(case, to, handler)


def decision_fields() -> dict:
    return dict(
        findings="经核实，业务员销售时未充分说明退保损失。",
        basis="依据保险合同第五条及销售管理规定。",
        result="同意退还部分保费。",
        remedies=["review", "mediation", "arbitration", "litigation"],
        delivery_method="phone",
    )


def closing_fields() -> dict:
    return dict(liability="liable", responsible_link="sales", cause="mis_selling")


def _close(case: Complaint, to: str, handler) -> Complaint:
    from .. import services as s

    if needs_province_confirmation(case):
        case = s.complaint_propose_closure(
            complaint=case, actor=handler, **closing_fields()
        )
        if to == State.CLOSURE_PROPOSED:
            return case
        head = person(province_of(case.owning_company), Role.CS_HEAD)
        case = s.complaint_confirm_closure(complaint=case, actor=head)
    else:
        if to == State.CLOSURE_PROPOSED:
            raise ValueError("this case closes directly; it cannot be proposed")
        case = s.complaint_close(complaint=case, actor=handler, **closing_fields())
    if to == State.CLOSED:
        return case
    s.complaint_record_follow_up(
        complaint=case, actor=handler, result=FollowUp.Result.SATISFIED
    )
    return s.complaint_archive(
        complaint=Complaint.objects.get(pk=case.pk), actor=handler
    )


def open_investigation(complaint: Complaint) -> Investigation:
    return complaint.investigations.filter(
        status__in=(Investigation.Status.DISPATCHED, Investigation.Status.RETURNED)
    ).first()
