"""Satisfaction sampling (S5.1, S7.7): head office and provinces draw a
reproducible random sample of closed cases in their scope, stratified by
company, and record the result of each call."""

import secrets
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.access import complaint_scope
from kesu.complaints.models import State
from kesu.complaints.services.events import event_record
from kesu.errors import Conflict, DomainValidationError

from .. import sampling
from ..access import require_manage, require_sampling_company
from ..models import SampleItem, SatisfactionSample
from ..periods import Period
from .events import supervision_event_record

CLOSED_STATES = (State.CLOSED, State.ARCHIVED)


def closed_population(user, period: Period, **filters) -> dict[int, list[int]]:
    """Closed cases of the period in the user's scope, by owning company."""
    lo, hi = period.bounds()
    rows = (
        complaint_scope(user)
        .filter(state__in=CLOSED_STATES, closed_at__gte=lo, closed_at__lt=hi, **filters)
        .values_list("pk", "owning_company_id")
    )
    population: dict[int, list[int]] = defaultdict(list)
    for pk, company_id in rows:
        population[company_id].append(pk)
    return dict(population)


@transaction.atomic
def satisfaction_sample_draw(
    *,
    user,
    period: Period,
    rate: Decimal | None = None,
    size: int | None = None,
    seed: int | None = None,
) -> SatisfactionSample:
    company = require_sampling_company(user)
    seed = secrets.randbelow(2**31) if seed is None else seed
    population = closed_population(user, period)
    drawn = sampling.draw(population, seed=seed, rate=rate, size=size)
    if not any(drawn.values()):
        raise DomainValidationError(_("该期间没有可抽查的已结案案件"), field="start")
    sample = SatisfactionSample.objects.create(
        company=company,
        period_start=period.start,
        period_end=period.end,
        seed=seed,
        rate=rate,
        size=size,
        population=sum(len(v) for v in population.values()),
        drawn_by=user,
        drawn_at=timezone.now(),
    )
    SampleItem.objects.bulk_create(
        SampleItem(sample=sample, complaint_id=pk, stratum_id=stratum)
        for stratum, pks in drawn.items()
        for pk in pks
    )
    supervision_event_record(
        company=company,
        subject="satisfaction_sample",
        subject_id=sample.pk,
        action="satisfaction_sample_drawn",
        actor=user,
        data={"seed": seed, **period.as_dict()},
    )
    return sample


@transaction.atomic
def sample_item_record_result(
    *, user, item: SampleItem, result: str, note: str = ""
) -> SampleItem:
    """Record the call result of one sampled case (an event on the case)."""
    require_manage(user, item.sample.company)
    if result not in SampleItem.Result.values:
        raise DomainValidationError(_("请选择回访结果"), field="result")
    now = timezone.now()
    changed = SampleItem.objects.filter(pk=item.pk, result="").update(
        result=result, note=note, called_by=user, called_at=now
    )
    if not changed:
        raise Conflict(_("该案件的抽查结果已登记"))
    item.refresh_from_db()
    complaint = item.complaint
    event_record(
        complaint=complaint,
        actor=user,
        action="satisfaction_sampled",
        from_state=complaint.state,
        to_state=complaint.state,
        note=note,
        data={"sample": item.sample_id, "result": result},
    )
    return item
