"""The parts of a complaint case: investigations, referrals, extensions,
pauses, decisions, follow-ups, attachments, events, breaches, and the
bookkeeping behind idempotent creation and numbering. Imported by
models.py, so Django registers them with the complaints app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.choicelabels import ChoiceLabels

from .models import Complaint

USER = settings.AUTH_USER_MODEL


class Investigation(ChoiceLabels, models.Model):
    """转办: one involved department's investigation of a complaint."""

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("调查中")
        ANSWERED = "answered", _("已反馈")
        RETURNED = "returned", _("退回重新调查")
        ACCEPTED = "accepted", _("已采纳")
        CANCELLED = "cancelled", _("已撤回")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="investigations"
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        related_name="investigations",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DISPATCHED, db_index=True
    )
    instructions = models.TextField(_("转办说明"), blank=True)
    dispatched_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField()
    due_date = models.DateField(_("调查时限"), db_index=True)
    due_provisional = models.BooleanField(default=False)
    # set when the due date is the default (D, R4.4) so a provisional one can
    # be recomputed once the year's calendar is known
    due_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    coordinator = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finding = models.TextField(_("调查结果"), blank=True)
    proposed_resolution = models.TextField(_("处理建议"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(default=0)  # S6.7
    guidance = models.TextField(_("重新调查指导意见"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("调查")
        verbose_name_plural = _("调查")
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            # the deadline sweep's candidates: open investigations by due date
            models.Index(
                fields=["due_date", "id"],
                name="investigation_open_due",
                condition=models.Q(status__in=["dispatched", "returned"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}·{self.department_id}·{self.status}"


class Referral(ChoiceLabels, models.Model):
    """上报 (refer up, for guidance or handling) and 转办 (hand down)."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", _("上报请求指导")
        HANDLING = "handling", _("上报请求处理")
        HAND_DOWN = "hand_down", _("下转处理")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="referrals"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    to_company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("说明"))
    opinion = models.TextField(_("上级意见"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.complaint_id}·{self.kind}"


class Extension(ChoiceLabels, models.Model):
    """延期 (R1.8): tier 1 to 30 days (CS head), tier 2 to 60 (parent company)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="extensions"
    )
    tier = models.PositiveSmallIntegerField()
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    complainant_notified = models.BooleanField(_("已告知投诉人"), default=False)
    new_due_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.complaint_id}·tier {self.tier}·{self.status}"


class Pause(models.Model):
    """R1.9: time of outside appraisal, testing or evaluation does not count."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="pauses"
    )
    reason = models.TextField(_("暂停理由"))
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.complaint_id}·{self.started_at:%Y-%m-%d}"


class Decision(models.Model):
    """处理决定 with the content R1.11 requires, and its delivery."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="decisions"
    )
    findings = models.TextField(_("核查结果"))
    basis = models.TextField(_("处理依据及理由"))
    result = models.TextField(_("处理决定"))
    remedies = models.JSONField(_("救济途径"), default=list)  # 核查/调解/仲裁/诉讼
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    delivery_method = models.CharField(_("送达方式"), max_length=32, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.complaint_id}·{self.decided_at:%Y-%m-%d}"


class FollowUp(ChoiceLabels, models.Model):
    """回访 (S5.1, S7.7), with retries when the complainant is unreachable."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY_SATISFIED = "fairly_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")
        UNREACHABLE = "unreachable", _("未联系上")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="follow_ups"
    )
    attempt = models.PositiveSmallIntegerField()
    result = models.CharField(max_length=20, choices=Result.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}·#{self.attempt}·{self.result}"


class Attachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="attachments"
    )
    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """Every action on a case (DESIGN §3.12): the case's audit trail."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=40, db_index=True)
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["complaint", "at", "id"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}·{self.action}"


class Breach(ChoiceLabels, models.Model):
    """A missed deadline, recorded once (DESIGN §4)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("答复超时")
        INVESTIGATION = "investigation", _("调查超时")
        REVIEW = "review", _("核查超时")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="breaches"
    )
    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="breaches",
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due_date = models.DateField()
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "due_date"],
                condition=models.Q(investigation__isnull=True),
                name="one_case_breach_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["investigation", "due_date"],
                condition=models.Q(investigation__isnull=False),
                name="one_investigation_breach_per_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}·{self.kind}·{self.due_date}"


class IdempotencyKey(models.Model):
    """G3: a retried create returns the first result."""

    key = models.CharField(max_length=100)
    owner = models.CharField(max_length=64)  # "user:<id>" or "client:<id>"
    request_hash = models.CharField(max_length=64)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"], name="unique_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"


class NumberSequence(models.Model):
    """Per company and day counter behind TS-<code>-<yyyymmdd>-<seq>."""

    company_code = models.CharField(max_length=20)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company_code", "day"], name="unique_number_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_code}-{self.day:%Y%m%d}:{self.last}"
