"""Reports, assessment, regulator statistics and typical cases (DESIGN §8).
Figures are computed by the database (selectors/), in the background, and
kept: the figures of report pages (StoredFigures), dated snapshots
(assessment history) and the files of finished jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .periods import PeriodKind

USER = settings.AUTH_USER_MODEL


class ReportJob(models.Model):
    """A long export or report built in the background, with progress (issue 6.5)."""

    class Kind(models.TextChoices):
        COMPLAINT_REPORT_XLSX = "complaint_report_xlsx", _("投诉情况报告（Excel）")
        COMPLAINT_REPORT_PDF = "complaint_report_pdf", _("投诉情况报告（PDF）")
        REGULATOR_XLSX = "regulator_xlsx", _("监管统计报表（Excel）")
        COMPLAINT_LIST_XLSX = "complaint_list_xlsx", _("投诉明细导出（Excel）")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
    )
    period_key = models.CharField(_("报告期"), max_length=10)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # null: generated on schedule by the system (S5.2, S6.2, S7.3)
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started

    class Meta:
        verbose_name = _("报表任务")
        verbose_name_plural = _("报表任务")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_key}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StoredFigures(models.Model):
    """The figures behind a report page for one company, period and scope
    (access.report_scope), computed in the background and kept, so that
    opening a page never counts a million cases in the request (issue 6.5).
    In the database, not the cache: shared by every web process, and there
    is no shared cache in the embedded default. `figures` holds the last
    complete result; `status` the latest computation of it."""

    class Kind(models.TextChoices):
        COMPLAINT_REPORT = "complaint_report", _("投诉情况报告")
        SCORECARDS = "scorecards", _("考核")
        REGULATOR = "regulator", _("监管统计")

    Status = ReportJob.Status

    kind = models.CharField(max_length=20, choices=Kind.choices)
    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(max_length=10)
    scope = models.CharField(max_length=40)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    figures = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)  # of `figures`
    requested_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # of this computation

    class Meta:
        verbose_name = _("报表统计结果")
        verbose_name_plural = _("报表统计结果")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "company", "period_key", "scope"],
                name="one_stored_figures_per_scope",
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.company_id}:{self.period_key}:{self.scope}"

    @property
    def is_computing(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class PeriodicReportRun(models.Model):
    """Marks a scheduled report as sent, so a re-run of the schedule is a no-op."""

    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(max_length=10)
    job = models.ForeignKey(ReportJob, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "period_key"], name="one_periodic_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.period_key}"


class Metric(models.TextChoices):
    """Assessment metrics (S5.1, S5.3, S6.1)."""

    ON_TIME_RATE = "on_time_rate", _("按时办结率")
    REINVESTIGATION_RATE = "reinvestigation_rate", _("退回重新调查率")
    ESCALATION_RATE = "escalation_rate", _("升级投诉率")
    LIABLE_RATE = "liable_rate", _("有责率")
    SATISFACTION_RATE = "satisfaction_rate", _("满意率")
    BREACHES = "breaches", _("超时件数")
    PUBLIC_NOTICES = "public_notices", _("被公示次数")
    REVISIONS = "revisions", _("真实性抽查改判件数")


class Formula(models.TextChoices):
    RATE = "rate", _("比率×100（越高越好）")
    INVERSE_RATE = "inverse_rate", _("(1−比率)×100（越低越好）")
    DEDUCTION = "deduction", _("100−件数×每件扣分（不低于0）")


class AssessmentMetric(models.Model):
    """One metric's weight and formula, set by head office (issue 6.2)."""

    metric = models.CharField(
        _("指标"), max_length=32, choices=Metric.choices, unique=True
    )
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=0)
    formula = models.CharField(_("计分公式"), max_length=16, choices=Formula.choices)
    points_per_unit = models.DecimalField(
        _("每件扣分"), max_digits=6, decimal_places=2, default=0
    )
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考核指标权重")
        verbose_name_plural = _("考核指标权重")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_metric_display()


class AssessmentSnapshot(models.Model):
    """考核 history: the scorecard of a company (or one of its departments) for a
    period, as computed then, with the weights used."""

    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_key = models.CharField(_("考核期"), max_length=10, db_index=True)
    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门"),
    )
    ranked_within = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    metrics = models.JSONField(default=dict)
    weights = models.JSONField(default=dict)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"))
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["period_key", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_key", "company", "ranked_within"],
                condition=models.Q(department__isnull=True),
                name="one_company_snapshot_per_period",
            ),
            models.UniqueConstraint(
                fields=["period_key", "department"],
                condition=models.Q(department__isnull=False),
                name="one_department_snapshot_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} #{self.rank}"


class RegulatorFigures(models.Model):
    """Premium, policies and insured of a company for a period (R1.13, R1.18):
    the denominators of the regulator's ratios. Entered per company for the
    business booked at that company; reports add up a company's subtree."""

    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
    )
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_key = models.CharField(_("统计期"), max_length=10)
    premium = models.DecimalField(_("保费收入（元）"), max_digits=18, decimal_places=2)
    policies = models.PositiveBigIntegerField(_("有效保单件数"))
    insured = models.PositiveBigIntegerField(_("被保险人数"))
    entered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监管统计基数")
        verbose_name_plural = _("监管统计基数")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "period_key"],
                name="one_regulator_figures_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.period_key}"


class CaseTag(models.Model):
    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("案例标签")
        verbose_name_plural = _("案例标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TypicalCase(models.Model):
    """典型案例 (S5.3, S6.1): a closed case with personal data removed."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("待审批")
        APPROVED = "approved", _("已入库")
        REJECTED = "rejected", _("未通过")

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.NOMINATED,
        db_index=True,
    )
    title = models.CharField(_("标题"), max_length=200)
    # de-identified copies, written once at nomination
    facts = models.TextField(_("案情"))
    demand = models.TextField(_("诉求"))
    handling = models.TextField(_("处理经过与结果"), blank=True)
    lesson = models.TextField(_("启示与改进"), blank=True)
    complainant_label = models.CharField(_("投诉人"), max_length=20)
    channel = models.CharField(_("投诉渠道"), max_length=32, blank=True)
    product_type = models.CharField(_("险种"), max_length=32, blank=True)
    cause = models.CharField(_("原因归类"), max_length=32, blank=True)
    liability = models.CharField(_("责任认定"), max_length=16, blank=True)
    received_on = models.DateField(_("收到日期"))
    tags = models.ManyToManyField(
        CaseTag, blank=True, related_name="cases", verbose_name=_("标签")
    )
    nominated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-nominated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=~models.Q(status="rejected"),
                name="one_live_typical_case_per_complaint",
            )
        ]

    def __str__(self) -> str:
        return self.title
