"""The one way a service changes a case: lock it, check scope and the
transition table, write the change with a compare-and-set on `version` and
`state`, and record exactly one event (STYLE.md rule 1).

Race: two people act on the same case at once. On PostgreSQL the row is
locked (SELECT … FOR UPDATE) so the second waits and then sees the new
state; on every database the UPDATE … WHERE id AND version AND state makes
the loser's write touch no row, which raises Conflict (409)."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.errors import Conflict, Forbidden, NotFound

from ..access import complaint_in_scope
from ..lifecycle import SAME, TRANSITIONS, failed_condition, has_role
from ..models import Complaint, State
from .events import event_record


@dataclass
class Step:
    """A transition in progress: the locked case and what will change."""

    complaint: Complaint
    actor: object
    action: str
    from_state: str
    to_state: str
    changes: dict = field(default_factory=dict)


def lock(complaint: Complaint | int) -> Complaint:
    pk = complaint if isinstance(complaint, int) else complaint.pk
    qs = Complaint.objects.select_related("owning_company", "registered_company")
    if connection.features.has_select_for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("未找到该投诉案件"))
    return found


def begin(
    *,
    complaint: Complaint | int,
    actor,
    action: str,
    expected_version: int | None = None,
    check: bool = True,
) -> Step:
    """Lock the case and check the action against the table for `actor`.
    `check=False` skips role and conditions (system actions, sub-steps
    whose service checks a more specific rule itself)."""
    case = lock(complaint)
    if actor is not None and not complaint_in_scope(actor, case.pk):
        raise NotFound(_("未找到该投诉案件"))
    if case.state == State.ARCHIVED:
        raise Conflict(_("案件已归档，不能再修改"))
    if expected_version is not None and int(expected_version) != case.version:
        raise Conflict(
            _("案件已被他人修改，请刷新后重试"), current_version=case.version
        )
    transition = TRANSITIONS[action]
    if case.state not in transition.sources:
        raise Conflict(
            _("案件当前状态为“%(state)s”，不能执行“%(action)s”")
            % {"state": State(case.state).label, "action": transition.label},
            state=case.state,
        )
    if check:
        if not has_role(actor, transition):
            raise Forbidden(
                _("您的角色不能执行“%(action)s”") % {"action": transition.label}
            )
        message = failed_condition(actor, case, transition)
        if message:
            raise Forbidden(message)
    to_state = case.state if transition.target == SAME else transition.target
    return Step(case, actor, action, case.state, to_state)


def commit(
    step: Step, *, note: str = "", data: dict | None = None, to_state: str | None = None
):
    """Write the changes if nobody else did first, then the one event."""
    case = step.complaint
    if to_state is not None:
        step.to_state = to_state
    values = dict(step.changes)
    values.update(
        state=step.to_state, version=F("version") + 1, updated_at=timezone.now()
    )
    won = Complaint.objects.filter(
        pk=case.pk, version=case.version, state=step.from_state
    ).update(**values)
    if not won:
        raise Conflict(_("案件已被他人修改，请刷新后重试"))
    for name, value in step.changes.items():
        setattr(case, name, value)
    case.state = step.to_state
    case.version += 1
    return event_record(
        complaint=case,
        actor=step.actor,
        action=step.action,
        from_state=step.from_state,
        to_state=step.to_state,
        note=note,
        data=data,
    )
