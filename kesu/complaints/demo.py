"""Demo cases (issue 3 §7): a few hundred complaints over every state,
source, grade and company, driven through the real lifecycle services so
their events, investigations, decisions and deadlines are genuine.

The services act "now"; cases are received in the past (`received_at`),
and afterwards each case's history is spread between its receipt and now
(`_spread_history`), so lists, deadlines and monthly reports look lived-in.
Some old open cases are overdue on purpose: the first sweep records their
breaches. Called by `load_demo`; loads only into an empty complaint table."""

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kesu.accounts.models import UserRole
from kesu.accounts.roles import Role
from kesu.errors import DomainError
from kesu.organisation.models import Company, Department, Level
from kesu.organisation.models import DepartmentKind as K

from . import services as s
from . import synthetic_text as text
from .deadlines import investigation_due
from .lifecycle import needs_province_confirmation
from .models import Complaint, Event, FollowUp, Grade, Investigation, Source, State
from .services.aftercare import retention_until
from .services.investigation import check_routing

log = logging.getLogger("kesu.demo")
DEMO_CASES = 240
# facts template (synthetic_text.FACTS index) -> business category, investigating
# department kind, cause, responsible link
TEMPLATE_BUSINESS = [
    ("bancassurance", K.BANCASSURANCE, "mis_selling", "bancassurance"),
    ("claims", K.CLAIMS, "claims", "claims"),
    ("claims", K.CLAIMS, "claims", "claims"),
    ("renewal", K.RENEWAL, "renewal", "renewal"),
    ("sales", K.INDIVIDUAL_SALES, "forged_signature", "sales"),
    ("policy_service", K.POLICY_SERVICE, "policy_service", "policy_service"),
    ("policy_service", K.POLICY_SERVICE, "maturity", "policy_service"),
    ("call_centre", None, "call_centre", "call_centre"),
    ("group", K.GROUP_SALES, "claims", "group"),
    ("sales", K.INDIVIDUAL_SALES, "mis_selling", "sales"),
]
TARGETS = [State.REGISTERED, State.ACCEPTED, State.INVESTIGATING, State.ARCHIVED,
           State.REVIEWING, State.REPLIED, State.CLOSED, State.DECLINED,
           State.INVESTIGATING, State.CLOSURE_PROPOSED, State.ARCHIVED, State.CLOSED,
           State.WITHDRAWN, State.MERGED, State.ARCHIVED, State.REPLIED]
OPEN = {State.REGISTERED, State.ACCEPTED, State.INVESTIGATING, State.REVIEWING}
DIRECT_CHANNELS = ["phone", "95519", "visit", "letter", "email", "web", "sms", "app"]


@dataclass
class Cast:
    """Who acts where: staff by company and role, coordinators by department."""

    staff: dict = field(default_factory=dict)  # (company_id, role) -> [users]
    coordinators: dict = field(default_factory=dict)  # department_id -> user
    coordinator_companies: set = field(default_factory=set)

    @classmethod
    def load(cls) -> "Cast":
        cast = cls()
        roles = UserRole.objects.filter(user__is_active=True).select_related(
            "user", "user__company", "user__department").order_by("user_id")
        for grant in roles:
            user = grant.user
            cast.staff.setdefault((user.company_id, grant.role), []).append(user)
            if grant.role == Role.COORDINATOR and user.department_id:
                cast.coordinators.setdefault(user.department_id, user)
                cast.coordinator_companies.add(user.company_id)
        return cast

    def one(self, company, *roles):
        for role in roles:
            found = self.staff.get((getattr(company, "pk", None), role))
            if found:
                return found[0]
        return None


@dataclass
class Plan:
    n: int
    company: Company
    target: str
    source: str
    grade: str
    template: int
    received_at: datetime


def load_demo_cases(*, count: int = DEMO_CASES, seed: int = 2026) -> int:
    """Create the demo cases; returns how many (0 if there are cases already)."""
    if Complaint.objects.exists():
        return 0
    cast = Cast.load()
    companies = [c for c in Company.objects.filter(is_active=True).order_by("path")
                 if cast.one(c, Role.HANDLER, Role.CS_HEAD)]
    if not companies:
        return 0
    rng = random.Random(seed)
    made = 0
    investigating = [c for c in companies if c.pk in cast.coordinator_companies]
    for n in range(count):
        plan = _plan(n, companies, investigating, rng)
        case = _register(plan, cast, rng)
        if case is None:
            continue
        made += 1
        try:
            _drive(plan, case, cast, rng)
        except DomainError as exc:  # the case keeps the state it reached
            log.info("demo case %s stopped early: %s", case.number, exc.message)
        _spread_history(Complaint.objects.get(pk=case.pk))
    return made


def _plan(n: int, companies: list, investigating: list, rng: random.Random) -> Plan:
    company = companies[n % len(companies)]
    target = TARGETS[(n // len(companies) + n) % len(TARGETS)]
    if target in (State.INVESTIGATING, State.REVIEWING) and investigating:
        company = investigating[n % len(investigating)]  # where a coordinator answers
    if target in OPEN:
        age = rng.randrange(0, 24)
    elif target in (State.CLOSED, State.ARCHIVED):
        age = rng.randrange(20, 200)
    else:
        age = rng.randrange(3, 90)
    day = timezone.localdate() - timedelta(days=age)
    received = timezone.make_aware(datetime.combine(day, time(8 + rng.randrange(10),
                                                              rng.randrange(60))))
    received = min(received, timezone.now() - timedelta(minutes=30))
    source = {0: Source.REGULATOR, 1: Source.HANDED_DOWN, 2: Source.MEDIA}.get(
        n % 10, Source.DIRECT)
    if target == State.CLOSURE_PROPOSED:  # S7.8: a city's regulator case
        cities = [c for c in companies if c.level >= Level.CITY]
        company = cities[n % len(cities)] if cities else company
        source = Source.REGULATOR
    grades = {0: Grade.MAJOR, 1: Grade.DIFFICULT, 2: Grade.GROUP}
    grade = grades.get(n % 17, Grade.ORDINARY)
    return Plan(n=n, company=company, target=target, source=source, grade=grade,
                template=rng.randrange(len(text.FACTS)), received_at=received)


def _register(plan: Plan, cast: Cast, rng: random.Random) -> Complaint | None:
    company, parent = plan.company, plan.company.parent
    hand_down = plan.source == Source.HANDED_DOWN and parent and cast.one(
        parent, Role.HANDLER, Role.CS_HEAD)
    at = parent if hand_down else company
    clerk = cast.one(at, Role.CLERK, Role.HANDLER, Role.CS_HEAD)
    rng_text = random.Random(plan.n)
    facts, demand = text.FACTS[plan.template], text.DEMANDS[plan.template]
    values = _text_values(rng_text)
    business = TEMPLATE_BUSINESS[plan.template]
    fields = dict(
        actor=clerk, company=at, received_at=plan.received_at,
        channel={Source.REGULATOR: "regulator", Source.HANDED_DOWN: "hand_down",
                 Source.MEDIA: "media"}.get(plan.source, DIRECT_CHANNELS[plan.n % 8]),
        complainant={"name": text.person_name(rng), "phone": text.phone(rng),
                     "id_number": text.id_number(rng),
                     "address": "广东省广州市天河区体育西路" + str(plan.n) + "号"},
        facts=facts.format(**values), demand=demand.format(**values),
        policy_number=text.policy_number(rng), product_type="participating",
        sales_channel=("bancassurance" if business[0] == "bancassurance"
                       else "individual"),
        business_category=business[0], grade=plan.grade, source=plan.source,
        group_size=30 if plan.grade == Grade.GROUP else 1,
        representatives=3 if plan.grade == Grade.GROUP else 1,
    )
    if plan.source == Source.REGULATOR:
        reference = f"监管转〔{plan.received_at:%Y}〕{plan.n + 100}号"
        fields.update(sender_reference=reference,
                      sender_due_date=plan.received_at.date() + timedelta(days=10))
    try:
        case = s.complaint_register(**fields).complaint
        if hand_down:  # S5.4, S6.4: the parent hands it down and keeps following it
            case, _ = s.complaint_hand_down(complaint=case, actor=clerk,
                                            to_company=company,
                                            reason="请贵司按规定处理并反馈结果")
        return case
    except DomainError as exc:
        log.info("demo case %s not registered: %s", plan.n, exc.message)
        return None


def _text_values(rng: random.Random) -> dict:
    return {"year": rng.randrange(2012, 2026), "bank": rng.choice(text.BANKS),
            "product": rng.choice(text.PRODUCTS),
            "premium": rng.randrange(3, 100) * 1000,
            "rate": rng.choice([4.5, 5, 6, 8]), "cash": rng.randrange(5, 80) * 1000,
            "relative": rng.choice(["父亲", "母亲", "配偶", "儿子"]),
            "hospital": rng.choice(text.HOSPITALS),
            "amount": rng.randrange(2, 300) * 1000,
            "days": rng.randrange(20, 90), "month": rng.randrange(1, 13),
            "times": rng.randrange(3, 7), "count": rng.randrange(5, 40)}


# --- driving a case to its target state ---------------------------------------


def _drive(plan: Plan, case: Complaint, cast: Cast, rng: random.Random) -> None:
    target, n = plan.target, plan.n
    owner = case.owning_company
    handler = cast.one(owner, Role.HANDLER, Role.CS_HEAD)
    if target == State.REGISTERED:
        return
    if target == State.DECLINED:
        s.complaint_decline(complaint=case, actor=handler,
                            ground="not_consumer_complaint",
                            reason="所反映事项不属于保险消费投诉，已电话告知投诉人。")
        return
    if target == State.MERGED:
        _merge(case, handler)
        return
    case = s.complaint_accept(complaint=case, actor=handler, note="材料齐全，予以受理")
    if target == State.WITHDRAWN:
        s.complaint_withdraw(complaint=case, actor=handler,
                             reason="投诉人来电表示问题已解决，撤回投诉")
        return
    if target == State.ACCEPTED:
        return
    case = s.complaint_record_opinion(
        complaint=case, actor=handler,
        opinion="根据投诉人诉求，请涉案部门核实业务办理过程并提出处理建议。")
    if n % 11 == 0 and owner.parent_id:  # S7.2: refer up for guidance
        case = _refer_up_for_guidance(case, handler, cast)
    case, inv = _dispatch(case, handler, plan, cast)
    if n % 5 == 0:  # R1.8: a complex case gets the first extension
        case = _extend(case, handler, cast)
    if target == State.INVESTIGATING:
        if n % 7 == 0:  # R1.9: waiting for an outside appraisal
            s.complaint_pause(complaint=case, actor=handler,
                              reason="等待第三方医学鉴定结论")
        return
    if inv is not None:
        case = _investigate(case, inv, handler, cast, reinvestigate=n % 6 == 0)
    if target == State.REVIEWING and inv is not None:
        return
    case = _reply(case, handler, plan)
    if target == State.REPLIED:
        if n % 9 == 0 and owner.parent_id:  # R1.12
            s.complaint_request_review(complaint=case, actor=handler,
                                       reason="投诉人对处理决定不满意，申请上级机构核查")
        return
    _close(case, handler, plan, cast)


def _merge(case: Complaint, handler) -> None:
    into = (Complaint.objects.filter(owning_company=case.owning_company,
                                     state__in=[State.ACCEPTED, State.INVESTIGATING])
            .exclude(pk=case.pk).order_by("-pk").first())
    if into is not None:  # R1.10: a repeat with new facts restarts the clock
        s.complaint_merge(complaint=case, actor=handler, into=into,
                          reason="同一投诉人就同一事项重复投诉，补充了新的事实，合并处理")


def _refer_up_for_guidance(case, handler, cast):
    parent = case.owning_company.parent
    senior = cast.one(parent, Role.HANDLER, Role.CS_HEAD)
    case, referral = s.complaint_refer_up(complaint=case, actor=handler,
                                          kind="guidance",
                                          reason="案情复杂，请上级机构给予处理意见")
    if senior is not None:
        case = s.referral_answer(referral=referral, actor=senior,
                                 opinion="建议调取双录资料核实，依据合同条款妥善处理。")
    return case


def _dispatch(case, handler, plan: Plan, cast: Cast):
    kind = TEMPLATE_BUSINESS[plan.template][1]
    if kind is None:  # S6.6: customer service handles it itself
        return case, None
    dept = _department_for(case, kind, cast)
    if dept is None:  # e.g. S7.5: centralised at the province, decided on its opinion
        return case, None
    return s.investigation_dispatch(complaint=case, actor=handler, department=dept,
                                    instructions="请于时限内核实并反馈调查结果及处理建议。")


def _department_for(case, kind: str, cast: Cast):
    """The department of `kind` at the owning company, else any of its
    departments that has a coordinator and may be dispatched to."""
    departments = sorted(
        Department.objects.filter(company=case.owning_company, is_active=True),
        key=lambda d: d.kind != kind)
    for dept in departments:
        if dept.pk not in cast.coordinators:
            continue
        try:
            check_routing(case, dept)
        except DomainError:
            continue
        return dept
    return None


def _extend(case, handler, cast):
    head = cast.one(case.owning_company, Role.CS_HEAD)
    case, _ = s.extension_request(complaint=case, actor=handler,
                                  reason="案情复杂，需调取银行及医院资料")
    if head is not None and head.pk != handler.pk:
        case, _ = s.extension_approve(complaint=case, actor=head,
                                      complainant_notified=True,
                                      note="同意延期至30日")
    return case


def _investigate(case, inv, handler, cast, *, reinvestigate: bool):
    coordinator = cast.coordinators[inv.department_id]
    rng = random.Random(inv.pk)
    s.investigation_answer(investigation=inv, actor=coordinator,
                           finding=rng.choice(text.FINDINGS),
                           proposed_resolution="建议与投诉人协商，按合同约定处理。")
    if reinvestigate:  # S6.7: the finding does not answer the complainant's evidence
        s.investigation_return(investigation=inv, actor=handler,
                               guidance="调查结果未回应投诉人提供的录音证据，请补充核实。")
        s.investigation_answer(investigation=inv, actor=coordinator,
                               finding="补充核实：录音显示业务员确有不当承诺。",
                               proposed_resolution="建议退还部分保费。")
    return s.investigation_accept_finding(investigation=inv, actor=handler)


def _reply(case, handler, plan: Plan):
    rng = random.Random(plan.n)
    return s.complaint_reply(
        complaint=case, actor=handler, findings=rng.choice(text.FINDINGS),
        basis="依据保险合同条款、《保险消费投诉处理管理办法》及公司相关制度。",
        result=rng.choice(text.REPLIES),
        remedies=["review", "mediation", "arbitration", "litigation"],
        delivery_method=["phone", "letter", "sms"][plan.n % 3])


def _close(case, handler, plan: Plan, cast: Cast) -> None:
    _, _, cause, link = TEMPLATE_BUSINESS[plan.template]
    values = dict(liability="liable" if plan.n % 3 else "not_liable",
                  responsible_link=link, cause=cause)
    if needs_province_confirmation(case):  # S6.9, S7.8
        case = s.complaint_propose_closure(complaint=case, actor=handler, **values)
        from kesu.organisation.selectors import province_of

        head = cast.one(province_of(case.owning_company), Role.CS_HEAD)
        if plan.target == State.CLOSURE_PROPOSED or head is None:
            return
        case = s.complaint_confirm_closure(complaint=case, actor=head)
    elif plan.target == State.CLOSURE_PROPOSED:
        return
    else:
        case = s.complaint_close(complaint=case, actor=handler, **values)
    result = (FollowUp.Result.DISSATISFIED if plan.n % 13 == 0
              else FollowUp.Result.SATISFIED)
    case, _ = s.complaint_record_follow_up(complaint=case, actor=handler, result=result,
                                           note="电话回访投诉人")
    if plan.target == State.ARCHIVED and result == FollowUp.Result.SATISFIED:
        s.complaint_archive(complaint=case, actor=handler)


# --- making the history look lived-in ---------------------------------------------


@transaction.atomic
def _spread_history(case: Complaint) -> None:
    """Spread the case's events between its receipt and now, and move the
    stored times (reply, close, archive, investigations) with them."""
    events = list(Event.objects.filter(complaint=case).order_by("id"))
    start, end = case.received_at, timezone.now()
    span = min(end - start, timedelta(days=40))
    if not events or span <= timedelta(0):
        return
    step = span / (len(events) + 1)
    for i, event in enumerate(events):
        event.at = start + step * i
    Event.objects.bulk_update(events, ["at"])
    when = {e.action: e.at for e in events}  # the last of each action
    changes = {f: when[a] for f, a in (("replied_at", "reply"), ("closed_at", "close"),
                                       ("archived_at", "archive")) if a in when}
    if "closed_at" not in changes and "confirm_closure" in when:
        changes["closed_at"] = when["confirm_closure"]
    if "closed_at" in changes:
        changes["retention_until"] = retention_until(changes["closed_at"])
    if changes:
        Complaint.objects.filter(pk=case.pk).update(**changes)
    replied = when.get("reply", end)
    case.decisions.update(decided_at=replied, delivered_at=replied)
    case.follow_ups.update(recorded_at=when.get("record_follow_up", end))
    for inv in Investigation.objects.filter(complaint=case):
        dispatched = when.get("dispatch", inv.dispatched_at)
        Investigation.objects.filter(pk=inv.pk).update(
            dispatched_at=dispatched, due_date=investigation_due(dispatched).date,
            answered_at=when.get("answer") if inv.answered_at else None)
