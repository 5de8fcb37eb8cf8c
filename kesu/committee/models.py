"""The complaint coordination committee (DESIGN §6, S3): circulars, joint
meetings, deliberations and rulings. Rules live in services/."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class CommitteeEvent(models.Model):
    """The audit row of every committee action (a case-related one is also
    written to the case's event history)."""

    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(max_length=40)
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


class Circular(models.Model):
    """通报 (S3.2) on escalated complaints and complaints of major impact."""

    class Kind(models.TextChoices):
        ESCALATION = "escalation", _("升级投诉通报")
        MAJOR_IMPACT = "major_impact", _("重大影响投诉通报")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已发布")

    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="circulars",
        verbose_name=_("发文机构"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="circulars",
        verbose_name=_("涉及部门"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("通报内容"))
    complaints = models.ManyToManyField(
        "complaints.Complaint", related_name="+", verbose_name=_("通报案件")
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-drafted_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committee:circular", args=[self.pk])


class JointMeeting(models.Model):
    """联席会议 (S3.1): one per company and half-year."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已召开")

    company = models.ForeignKey(
        "organisation.Company", on_delete=models.PROTECT, related_name="joint_meetings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    half = models.PositiveSmallIntegerField(
        _("半年"), choices=[(1, _("上半年")), (2, _("下半年"))]
    )
    scheduled_for = models.DateTimeField(_("会议时间"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    figures = models.JSONField(_("本期数据"), default=list, blank=True)
    figures_prepared_at = models.DateTimeField(null=True, blank=True)
    attendees = models.ManyToManyField(
        USER, blank=True, related_name="+", verbose_name=_("出席人员")
    )
    departments = models.ManyToManyField(
        "organisation.Department",
        blank=True,
        related_name="+",
        verbose_name=_("出席部门"),
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("会议决定"), blank=True)
    scheduled_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-year", "-half", "company__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year", "half"],
                name="one_joint_meeting_per_half_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.year}-H{self.half}"

    def get_absolute_url(self) -> str:
        return reverse("committee:meeting", args=[self.pk])


class Deliberation(models.Model):
    """协调会议 (S3.3, S3.4, S6.8, S6.10): a case put before the committee."""

    class Kind(models.TextChoices):
        MAJOR_DIFFICULT = "major_difficult", _("重大疑难案件")
        LIABILITY_DISPUTE = "liability_dispute", _("责任/原因争议")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审议")
        DECIDED = "decided", _("已作出最终决定")
        IMPLEMENTED = "implemented", _("已落实")

    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="deliberations",
        verbose_name=_("委员会所属机构"),
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="deliberations"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    question = models.TextField(_("提请事项"))
    departments = models.ManyToManyField(
        "organisation.Department",
        blank=True,
        related_name="+",
        verbose_name=_("征求意见部门"),
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decision = models.TextField(_("最终决定"), blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    implementation = models.TextField(_("落实情况"), blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("协调会议")
        verbose_name_plural = _("协调会议")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "complaint", "kind"],
                condition=models.Q(status="proposed"),
                name="one_open_deliberation_per_committee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("committee:deliberation", args=[self.pk])


class Opinion(models.Model):
    """A department's opinion on a deliberation."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="opinions"
    )
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见"))
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "department"], name="one_opinion_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} #{self.deliberation_id}"


class Ruling(models.Model):
    """最终裁定 (S3.4, S6.10): sets the case's liability and cause for good."""

    deliberation = models.OneToOneField(
        Deliberation, on_delete=models.PROTECT, related_name="ruling"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="rulings"
    )
    liability = models.CharField(
        _("责任认定"),
        max_length=16,
        choices=[("liable", _("有责")), ("not_liable", _("无责"))],
    )
    responsible_link = models.CharField(_("责任环节"), max_length=32, blank=True)
    cause = models.CharField(_("原因归类"), max_length=32)
    reasoning = models.TextField(_("裁定理由"))
    ruled_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ruled_at = models.DateTimeField()

    class Meta:
        verbose_name = _("最终裁定")
        verbose_name_plural = _("最终裁定")

    def __str__(self) -> str:
        return f"{self.liability} / {self.cause}"
