"""Supervision of departments and companies (DESIGN §6, S4, S5.1, S6.10, S6.11,
S7.7, R1.12a): public notices, satisfaction sampling, not-liable authenticity
checks, the vexatious complainant register and root-cause rectification.
Rules live in services/; these are fields and constraints."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class SupervisionEvent(models.Model):
    """The audit row of every supervision action that is not about one case
    (those go to the case's own event history as well)."""

    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(max_length=40)  # model name, e.g. "public_notice"
    subject_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=40, db_index=True)
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject", "subject_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action}#{self.subject_id}"


class PublicNotice(models.Model):
    """公示 (S4): a department that obviously delayed cases through dereliction."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公示")

    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="public_notices",
        verbose_name=_("公示机构"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        related_name="public_notices",
        verbose_name=_("被公示部门"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("公示内容"))
    complaints = models.ManyToManyField(
        "complaints.Complaint", related_name="+", verbose_name=_("涉及案件")
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    published_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-drafted_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:notice", args=[self.pk])


class SatisfactionSample(models.Model):
    """满意度抽查 (S5.1, S7.7): a reproducible random draw of closed cases."""

    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="satisfaction_samples",
        verbose_name=_("抽查机构"),
    )
    period_start = models.DateField(_("结案起始日"))
    period_end = models.DateField(_("结案截止日"))
    seed = models.BigIntegerField(_("随机种子"))
    rate = models.DecimalField(
        _("抽样比例"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    size = models.PositiveIntegerField(_("抽样数量"), null=True, blank=True)
    population = models.PositiveIntegerField(_("总体数量"), default=0)
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("满意度抽查")
        verbose_name_plural = _("满意度抽查")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:sample", args=[self.pk])


class SampleItem(models.Model):
    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY_SATISFIED = "fairly_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")
        UNREACHABLE = "unreachable", _("未联系上")

    sample = models.ForeignKey(
        SatisfactionSample, on_delete=models.CASCADE, related_name="items"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    note = models.TextField(blank=True)
    called_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "complaint"], name="one_sample_item_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.sample_id}/{self.complaint_id}"


class LiabilityAudit(models.Model):
    """无责真实性抽查 (S6.10): a province checks its cities' not-liable closures."""

    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="liability_audits",
        verbose_name=_("抽查机构"),
    )
    period_start = models.DateField(_("结案起始日"))
    period_end = models.DateField(_("结案截止日"))
    seed = models.BigIntegerField(_("随机种子"))
    size = models.PositiveIntegerField(_("抽样数量"))
    population = models.PositiveIntegerField(default=0)
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("无责真实性抽查")
        verbose_name_plural = _("无责真实性抽查")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:audit", args=[self.pk])


class LiabilityAuditItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("待核实")
        CONFIRMED = "confirmed", _("确认无责")
        REVISED = "revised", _("改判有责")

    audit = models.ForeignKey(
        LiabilityAudit, on_delete=models.CASCADE, related_name="items"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "complaint"], name="one_audit_item_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.audit_id}/{self.complaint_id}"


class VexatiousRecord(models.Model):
    """无理缠访 (S6.11): a complainant marked as vexatious, shared with sales."""

    complainant = models.ForeignKey(
        "complaints.Complainant",
        on_delete=models.PROTECT,
        related_name="vexatious_records",
        verbose_name=_("投诉人"),
    )
    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="vexatious_records",
        verbose_name=_("登记机构"),
    )
    reasons = models.TextField(_("认定理由"))
    evidence = models.TextField(_("证据"))
    complaints = models.ManyToManyField(
        "complaints.Complaint", related_name="+", blank=True, verbose_name=_("相关案件")
    )
    is_active = models.BooleanField(default=True, db_index=True)
    marked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()
    unmarked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmarked_at = models.DateTimeField(null=True, blank=True)
    unmark_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("无理缠访登记")
        verbose_name_plural = _("无理缠访登记")
        ordering = ["-marked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complainant"],
                condition=models.Q(is_active=True),
                name="one_active_vexatious_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complainant} ({self.company})"


class Rectification(models.Model):
    """溯源整改 (R1.12a): a department's corrective action for a cause."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        REPORTED = "reported", _("已报告完成")
        CLOSED = "closed", _("已验收关闭")

    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="rectifications"
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("整改部门"),
    )
    complaints = models.ManyToManyField(
        "complaints.Complaint", related_name="+", verbose_name=_("来源案件")
    )
    cause = models.CharField(_("原因归类"), max_length=32, blank=True)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改责任人")
    )
    action = models.TextField(_("整改措施"))
    due_date = models.DateField(_("整改期限"), db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    report = models.TextField(_("整改情况"), blank=True)
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    check_note = models.TextField(_("验收意见"), blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("溯源整改")
        verbose_name_plural = _("溯源整改")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.department}: {self.action[:30]}"
