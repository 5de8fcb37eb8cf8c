"""Assessment settings and history (考核; S5.1, S5.3, S6.1; issue 6.2)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.access import can, in_scope
from kesu.accounts.roles import Perm
from kesu.errors import DomainValidationError, Forbidden, NotFound
from kesu.organisation.models import Company

from ..access import ALL, can_manage_assessment, system_scoped
from ..figures import scorecards_load
from ..models import (
    AssessmentMetric,
    AssessmentSnapshot,
    Formula,
    Metric,
    StoredFigures,
)
from ..periods import Period
from ..selectors.scorecard import company_scorecards, department_scorecards
from .figures import (
    is_ready,
    stored_figures_compute_now,
    stored_figures_entry,
    stored_figures_recount,
)

COUNT_METRICS = (Metric.BREACHES, Metric.PUBLIC_NOTICES, Metric.REVISIONS)


def _decimal(value, field: str, top: int) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainValidationError(_("请输入数字"), field=field) from None
    if not number.is_finite() or not Decimal(0) <= number <= top:
        raise DomainValidationError(
            _("数值应在 0 到 %(top)d 之间") % {"top": top}, field=field
        )
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def assessment_metric_update(
    *, user, metric: str, weight, formula: str, points_per_unit=0
) -> AssessmentMetric:
    """Head office sets one metric's weight and formula (issue 6.2)."""
    if not can_manage_assessment(user):
        raise Forbidden(_("只有总公司客服负责人可以调整考核权重"))
    setting = AssessmentMetric.objects.select_for_update().filter(metric=metric).first()
    if setting is None:
        raise NotFound(_("考核指标不存在"))
    if formula not in Formula.values:
        raise DomainValidationError(_("计分公式无效"), field="formula")
    is_count = metric in COUNT_METRICS
    if is_count != (formula == Formula.DEDUCTION):
        raise DomainValidationError(
            _("件数类指标只能用扣分公式，比率类指标只能用比率公式"), field="formula"
        )
    setting.weight = _decimal(weight, "weight", 100)
    setting.formula = formula
    setting.points_per_unit = _decimal(points_per_unit or 0, "points_per_unit", 100)
    setting.updated_by = user
    setting.save(
        update_fields=[
            "weight",
            "formula",
            "points_per_unit",
            "updated_by",
            "updated_at",
        ]
    )
    return setting


def _weights() -> dict:
    return {
        m.metric: {
            "weight": str(m.weight),
            "formula": m.formula,
            "points_per_unit": str(m.points_per_unit),
        }
        for m in AssessmentMetric.objects.all()
    }


def _jsonable(metrics: dict) -> dict:
    return {str(k): v for k, v in metrics.items()}


def assessment_snapshot_take(*, user, company: Company, period: Period) -> int:
    """Store the period's scorecards of `company`'s lower companies and of its
    own departments, replacing an earlier snapshot of the same period. `user`
    None: the scheduler. Computed over the company's whole scope so that
    history is the same whoever looks at it."""
    if user is not None and not (
        can(user, Perm.SUPERVISION_MANAGE) and in_scope(user, company)
    ):
        raise Forbidden(_("您没有生成考核结果的权限"))
    cards = _scorecards(user, company, period)
    return _snapshot_store(user=user, company=company, period=period, cards=cards)


def _scorecards(user, company: Company, period: Period) -> list:
    """The stored scorecards of the company's whole scope (services/figures.py):
    the scheduler counts them first; a person's request never counts (issue
    6.5): it uses them when fresh, else starts their count and asks again."""
    kind = StoredFigures.Kind.SCORECARDS
    entry = stored_figures_entry(kind=kind, company=company, period=period, scope=ALL)
    if not is_ready(entry, period):
        if user is not None:
            stored_figures_recount(entry)
            raise DomainValidationError(
                _("本期考核数据正在统计，请在页面显示结果后再保存")
            )
        entry = stored_figures_compute_now(kind=kind, company=company, period=period)
    if not is_ready(entry, period):  # being counted elsewhere right now
        scoped = system_scoped(company)
        return company_scorecards(
            scoped=scoped, company=company, period=period
        ) + department_scorecards(scoped=scoped, company=company, period=period)
    companies, departments = scorecards_load(entry)
    return companies + departments


@transaction.atomic
def _snapshot_store(*, user, company: Company, period: Period, cards: list) -> int:
    weights, now = _weights(), timezone.now()
    for card in cards:
        key = (
            {"department": card.department}
            if card.department
            else {"company": card.company, "ranked_within": company, "department": None}
        )
        AssessmentSnapshot.objects.update_or_create(
            period_key=period.key,
            **key,
            defaults={
                "period_kind": period.kind,
                "company": card.company,
                "ranked_within": company,
                "metrics": _jsonable(card.metrics),
                "weights": weights,
                "score": card.score,
                "rank": card.rank,
                "computed_at": now,
                "computed_by": user,
            },
        )
    return len(cards)
