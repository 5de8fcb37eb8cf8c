"""What one synthetic case looks like: its company, dates, final state and
the events that led there. Older cases are mostly closed and archived,
recent ones are still open, a few are overdue (DESIGN §3, §4)."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from kesu.organisation.models import DepartmentKind as K
from kesu.sla.calendar import SHANGHAI, add_calendar_days, add_working_days

from . import synthetic_text as text
from .lifecycle import Action as A
from .models import Grade, Investigation, Liability, Source, State

# The main road of a case: (action, state after it). Optional steps are
# dropped first when fewer events per case are asked for.
ROAD = [(A.REGISTER, State.REGISTERED), (A.ACCEPT, State.ACCEPTED),
        (A.ASSIGN, None), (A.PRELIMINARY_OPINION, None),
        (A.DISPATCH, State.INVESTIGATING), (A.ANSWER, State.REVIEWING),
        (A.ACCEPT_FINDING, None), (A.REPLY, State.REPLIED),
        (A.CLOSE, State.CLOSED), (A.RECORD_FOLLOW_UP, None),
        (A.ARCHIVE, State.ARCHIVED)]
OPTIONAL = (A.RECORD_FOLLOW_UP, A.ASSIGN, A.ACCEPT_FINDING, A.PRELIMINARY_OPINION)
SIDE_EXITS = {State.DECLINED: (1, A.DECLINE), State.WITHDRAWN: (5, A.WITHDRAW),
              State.MERGED: (1, A.MERGE),
              State.CLOSURE_PROPOSED: (8, A.PROPOSE_CLOSURE)}
RECENT = [(State.REGISTERED, 12), (State.ACCEPTED, 13), (State.INVESTIGATING, 35),
          (State.REVIEWING, 20), (State.REPLIED, 15), (State.WITHDRAWN, 3),
          (State.DECLINED, 2)]
MIDDLE = [(State.INVESTIGATING, 6), (State.REVIEWING, 4), (State.REPLIED, 15),
          (State.CLOSURE_PROPOSED, 5), (State.CLOSED, 62), (State.WITHDRAWN, 4),
          (State.DECLINED, 2), (State.MERGED, 2)]
OLD = [(State.ARCHIVED, 72), (State.CLOSED, 18), (State.DECLINED, 4),
       (State.WITHDRAWN, 4), (State.MERGED, 2)]
GRADES = [(Grade.ORDINARY, 90), (Grade.MAJOR, 4), (Grade.DIFFICULT, 4),
          (Grade.GROUP, 2)]
SOURCES = [(Source.DIRECT, 80), (Source.REGULATOR, 12), (Source.HANDED_DOWN, 5),
           (Source.MEDIA, 3)]
DIRECT_CHANNELS = ["phone", "95519", "visit", "letter", "email", "web", "sms", "app"]
CHANNEL_OF = {Source.REGULATOR: "regulator", Source.HANDED_DOWN: "hand_down",
              Source.MEDIA: "media"}
# business category -> (department kind that investigates, cause, responsible link)
BUSINESS = [("sales", K.INDIVIDUAL_SALES, "mis_selling", "sales"),
            ("claims", K.CLAIMS, "claims", "claims"),
            ("underwriting", K.UNDERWRITING, "underwriting", "underwriting"),
            ("policy_service", K.POLICY_SERVICE, "policy_service", "policy_service"),
            ("renewal", K.RENEWAL, "renewal", "renewal"),
            ("surrender", K.POLICY_SERVICE, "surrender", "policy_service"),
            ("bancassurance", K.BANCASSURANCE, "mis_selling", "bancassurance"),
            ("call_centre", K.CALL_CENTRE, "call_centre", "call_centre")]
PRODUCTS = ["ordinary_life", "participating", "universal", "annuity", "health",
            "medical", "accident"]
SALES_CHANNELS = ["individual", "bancassurance", "group", "telemarketing"]
OPINION = "请相关部门核实销售及服务过程，依据合同条款提出处理意见。"


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


@lru_cache(maxsize=8192)
def _decision_due(day: date) -> date:
    return add_calendar_days(day, 15).date  # R1.8, R6.1


@lru_cache(maxsize=8192)
def _investigation_due(day: date) -> date:
    return add_working_days(day, 5).date  # D (R4.4)


@dataclass
class CaseShape:
    company: dict
    received_at: datetime
    state: str
    road: list
    grade: str
    source: str
    business: tuple
    handler_id: int | None
    department_id: int | None
    facts: str
    demand: str
    steps: list = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.received_at.astimezone(SHANGHAI).date()

    def at(self, action) -> datetime | None:
        return next((t for a, _, t in self.steps if a == action), None)

    def complaint_row(self, pk: int, complainant_id: int, number: str) -> dict:
        closed = self.at(A.CLOSE)
        row = {
            "id": pk, "number": number, "state": self.state,
            "owning_company_id": self.company["pk"],
            "registered_company_id": self.company["pk"], "handler_id": self.handler_id,
            "registered_by_id": self.handler_id, "received_at": self.received_at,
            "channel": CHANNEL_OF.get(self.source) or DIRECT_CHANNELS[pk % 8],
            "source": self.source, "complainant_id": complainant_id,
            "policy_number": f"P{2015 + pk % 11}{pk:010d}",
            "product_type": PRODUCTS[pk % len(PRODUCTS)],
            "sales_channel": SALES_CHANNELS[pk % 4],
            "business_category": self.business[0], "facts": self.facts,
            "demand": self.demand, "grade": self.grade,
            "group_size": 20 if self.grade == Grade.GROUP else 1,
            "representatives": 3 if self.grade == Grade.GROUP else 1,
            "due_date": _decision_due(self.day), "clock_started_at": self.received_at,
            "replied_at": self.at(A.REPLY), "closed_at": closed,
            "closed_by_id": self.handler_id if closed else None,
            "archived_at": self.at(A.ARCHIVE),
            "created_at": self.received_at, "updated_at": self.steps[-1][2],
        }
        if self.source == Source.REGULATOR:
            row["sender_reference"] = f"JG-{self.day:%Y}-{pk % 100000:05d}"
        if self.at(A.PRELIMINARY_OPINION):
            row["preliminary_opinion"] = OPINION
        if closed:
            liable = pk % 3 == 0
            row.update(liability=Liability.LIABLE if liable else Liability.NOT_LIABLE,
                       cause=self.business[2], responsible_link=self.business[3],
                       satisfaction="satisfied" if pk % 4 else "fairly_satisfied")
        if self.state == State.DECLINED:
            row.update(decline_ground="outside_remit",
                       decline_reason="不属于本机构处理范围，已告知投诉人。")
        return row

    def investigation_rows(self, complaint_id: int) -> list[dict]:
        dispatched = self.at(A.DISPATCH)
        if not dispatched or self.department_id is None or self.handler_id is None:
            return []
        answered = self.at(A.ANSWER)
        status = (Investigation.Status.DISPATCHED if not answered else
                  Investigation.Status.ACCEPTED if self.at(A.ACCEPT_FINDING)
                  else Investigation.Status.ANSWERED)
        return [{
            "complaint_id": complaint_id, "department_id": self.department_id,
            "status": status, "dispatched_by_id": self.handler_id,
            "dispatched_at": dispatched,
            "due_date": _investigation_due(dispatched.astimezone(SHANGHAI).date()),
            "due_working_days": 5, "answered_at": answered,
            "finding": (text.FINDINGS[complaint_id % len(text.FINDINGS)]
                        if answered else ""),
        }]

    def event_rows(self, complaint_id: int, number: str) -> list[dict]:
        rows, state = [], ""
        for action, after, at in self.steps:
            rows.append({"complaint_id": complaint_id, "action": action,
                         "actor_id": self.handler_id, "at": at, "from_state": state,
                         "to_state": after, "note": "",
                         "data": {"number": number} if action == A.REGISTER else {}})
            state = after
        return rows


def _road(state: str, max_events: int) -> list:
    """(action, state after) from registration to `state`."""
    if state in SIDE_EXITS:
        keep, exit_action = SIDE_EXITS[state]
        road = ROAD[:keep] + [(exit_action, state)]
    else:
        end = next(i for i, (_, s) in enumerate(ROAD) if s == state)
        road = ROAD[:end + 1]
    road = [(a, s) for a, s in road]
    for optional in OPTIONAL:
        if len(road) <= max_events:
            break
        road = [(a, s) for a, s in road if a != optional]
    current, out = "", []
    for action, after in road:
        current = after or current
        out.append((action, current))
    return out


def case_shape(gen, rng: random.Random) -> CaseShape:
    age = 1 + int(rng.random() ** 1.6 * gen.days)  # more recent cases than old ones
    day = gen.today - timedelta(days=age)
    received = datetime.combine(day, time(8 + rng.randrange(10), rng.randrange(60)),
                                SHANGHAI)
    state = _pick(rng, RECENT if age <= 15 else MIDDLE if age <= 60 else OLD)
    company = rng.choice(gen.companies)
    business = rng.choice(BUSINESS)
    handlers = gen.handlers.get(company["pk"])
    facts, demand = text.complaint_text(rng)
    shape = CaseShape(
        company=company, received_at=received, state=state,
        road=_road(state, gen.max_events), grade=_pick(rng, GRADES),
        source=_pick(rng, SOURCES), business=business,
        handler_id=rng.choice(handlers) if handlers else None,
        department_id=gen.departments.get((company["pk"], business[1])),
        facts=facts, demand=demand)
    # spread the events over the case's life so far (at most 40 days)
    span = min(age, 40) * 86400
    step = span / (len(shape.road) + 1)
    shape.steps = [(a, s, received + timedelta(seconds=int(step * i)))
                   for i, (a, s) in enumerate(shape.road)]
    return shape
