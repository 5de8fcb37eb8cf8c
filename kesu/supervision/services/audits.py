"""Authenticity checks of not-liable cases (S6.10): a province samples its
cities' not-liable closures and confirms or revises each one. A revision is
an event on the case, and counts against the city (`revisions_count`)."""

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.classification.models import CodeTable
from kesu.classification.selectors import code_require
from kesu.complaints.models import Complaint, Liability, State
from kesu.complaints.services.events import event_record
from kesu.errors import Conflict, DomainValidationError, Forbidden
from kesu.organisation.models import Level

from .. import sampling
from ..access import company_get_for, require_manage
from ..models import LiabilityAudit, LiabilityAuditItem
from ..periods import Period
from .events import supervision_event_record
from .sampling import closed_population


@transaction.atomic
def liability_audit_draw(
    *, user, period: Period, size: int, seed: int | None = None
) -> LiabilityAudit:
    """S6.10: draw `size` not-liable closures of the companies below the
    user's province, stratified by company, reproducibly from `seed`."""
    company = company_get_for(user, pk=None)
    require_manage(user, company)
    if company.level != Level.PROVINCE:
        raise Forbidden(_("只有省级分公司可以抽查下级机构的无责案件"))
    seed = secrets.randbelow(2**31) if seed is None else seed
    population = closed_population(
        user,
        period,
        state=State.CLOSED,  # archived cases are read-only (DESIGN §3.11)
        liability=Liability.NOT_LIABLE,
        owning_company__level__gt=company.level,
    )
    drawn = sampling.draw(population, seed=seed, size=size)
    if not any(drawn.values()):
        raise DomainValidationError(_("该期间下级机构没有无责结案案件"), field="start")
    audit = LiabilityAudit.objects.create(
        company=company,
        period_start=period.start,
        period_end=period.end,
        seed=seed,
        size=size,
        population=sum(len(v) for v in population.values()),
        drawn_by=user,
        drawn_at=timezone.now(),
    )
    LiabilityAuditItem.objects.bulk_create(
        LiabilityAuditItem(audit=audit, complaint_id=pk, city_id=stratum)
        for stratum, pks in drawn.items()
        for pk in pks
    )
    supervision_event_record(
        company=company,
        subject="liability_audit",
        subject_id=audit.pk,
        action="liability_audit_drawn",
        actor=user,
        data={"seed": seed, **period.as_dict()},
    )
    return audit


def _check(item: LiabilityAuditItem, *, user, outcome: str, note: str) -> None:
    require_manage(user, item.audit.company)
    changed = LiabilityAuditItem.objects.filter(
        pk=item.pk, outcome=LiabilityAuditItem.Outcome.PENDING
    ).update(outcome=outcome, note=note, checked_by=user, checked_at=timezone.now())
    if not changed:
        raise Conflict(_("该案件已核实"))
    item.refresh_from_db()


@transaction.atomic
def liability_audit_confirm(
    *, user, item: LiabilityAuditItem, note: str = ""
) -> LiabilityAuditItem:
    _check(item, user=user, outcome=LiabilityAuditItem.Outcome.CONFIRMED, note=note)
    complaint = item.complaint
    event_record(
        complaint=complaint,
        actor=user,
        action="not_liable_confirmed",
        from_state=complaint.state,
        to_state=complaint.state,
        note=note,
        data={"liability_audit": item.audit_id},
    )
    return item


def _set_liable(complaint: Complaint, *, responsible_link: str, cause: str) -> dict:
    """Write the revised closing data if nobody changed the case meanwhile;
    returns what it was before."""
    before = {
        "liability": complaint.liability,
        "cause": complaint.cause,
        "responsible_link": complaint.responsible_link,
    }
    changed = Complaint.objects.filter(
        pk=complaint.pk,
        version=complaint.version,
        state=State.CLOSED,
        ruled_by_committee=False,
    ).update(
        liability=Liability.LIABLE,
        responsible_link=responsible_link,
        cause=cause,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not changed:
        raise Conflict(_("案件已被他人修改，请刷新后重试"))
    return before


@transaction.atomic
def liability_audit_revise(
    *, user, item: LiabilityAuditItem, responsible_link: str, cause: str, note: str
) -> LiabilityAuditItem:
    """S6.10: the province finds the case liable after all. A committee
    ruling is final (S3.4) and an archived case read-only: neither is revised."""
    if not note.strip():
        raise DomainValidationError(_("请说明改判理由"), field="note")
    link = code_require(
        CodeTable.RESPONSIBLE_LINK, responsible_link.strip(), field="responsible_link"
    )
    cause = code_require(CodeTable.CAUSE, cause.strip(), field="cause")
    complaint = Complaint.objects.select_for_update().get(pk=item.complaint_id)
    if complaint.ruled_by_committee:
        raise Conflict(_("该案责任已由协调委员会裁定，不能改判"))
    if complaint.state != State.CLOSED:
        raise Conflict(_("案件已归档或已重新处理，不能在此改判"))
    _check(item, user=user, outcome=LiabilityAuditItem.Outcome.REVISED, note=note)
    before = _set_liable(complaint, responsible_link=link, cause=cause)
    after = {"liability": Liability.LIABLE, "cause": cause, "responsible_link": link}
    event_record(
        complaint=complaint,
        actor=user,
        action="liability_revised",
        from_state=complaint.state,
        to_state=complaint.state,
        note=note,
        data={"liability_audit": item.audit_id, "before": before, "after": after},
    )
    return item
