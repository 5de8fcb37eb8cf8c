"""The complaint case and its parts (DESIGN §2–§4). Rules live in lifecycle.py
and services/; these are fields, constraints and small derived properties."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.crypto_fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class State(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    INVESTIGATING = "investigating", _("调查中")
    REVIEWING = "reviewing", _("审核中")
    REPLIED = "replied", _("已答复")
    CLOSURE_PROPOSED = "closure_proposed", _("待确认结案")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("已撤诉")
    MERGED = "merged", _("已合并")


class Grade(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    MAJOR = "major", _("重大")
    DIFFICULT = "difficult", _("疑难")
    GROUP = "group", _("群体")


class Source(models.TextChoices):
    DIRECT = "direct", _("公司自收")
    REGULATOR = "regulator", _("监管转办")
    HANDED_DOWN = "handed_down", _("上级转办")
    MEDIA = "media", _("媒体")


class ComplainantKind(models.TextChoices):
    PERSON = "person", _("个人")
    ORGANISATION = "organisation", _("单位")


class Relation(models.TextChoices):
    APPLICANT = "applicant", _("投保人")
    INSURED = "insured", _("被保险人")
    BENEFICIARY = "beneficiary", _("受益人")
    AGENT = "agent", _("代理人")
    OTHER = "other", _("其他")


class Liability(models.TextChoices):
    LIABLE = "liable", _("有责")
    NOT_LIABLE = "not_liable", _("无责")


class Complainant(models.Model):
    """投诉人. Personal-data fields are masked on display (DESIGN §5)."""

    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=ComplainantKind.choices,
        default=ComplainantKind.PERSON,
    )
    name = models.CharField(_("姓名/名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, default="resident_id")
    # D2: encrypted at rest (kesu/crypto.py); search through the blind indexes.
    id_number = EncryptedTextField(_("证件号码"), blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    address = EncryptedTextField(_("联系地址"), blank=True)
    # organisation complainants (R1.6)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=32, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    # HMAC blind index of the ID number so exact search and repeat detection
    # work without reading the value (E/D2).
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("投诉人")
        verbose_name_plural = _("投诉人")

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    number = models.CharField(_("投诉编号"), max_length=40, unique=True)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=State.choices,
        default=State.REGISTERED,
        db_index=True,
    )
    version = models.PositiveIntegerField(default=1)  # compare-and-set (G1)

    # who has it (R1.16 first contact owns the case; referral moves the owner)
    owning_company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="owned_complaints",
        verbose_name=_("处理机构"),
    )
    registered_company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="registered_complaints",
        verbose_name=_("受理机构"),
    )
    registered_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    handler = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("处理人"),
    )
    api_client = models.ForeignKey(
        "accounts.ApiClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # intake (S6, R1.5–R1.7)
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    channel = models.CharField(_("投诉渠道"), max_length=32)
    source = models.CharField(
        _("来源"),
        max_length=16,
        choices=Source.choices,
        default=Source.DIRECT,
        db_index=True,
    )
    sender_reference = models.CharField(_("来文编号"), max_length=64, blank=True)
    sender_due_date = models.DateField(_("来文时限"), null=True, blank=True)
    complainant = models.ForeignKey(
        Complainant,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("投诉人"),
    )
    relation = models.CharField(
        _("与保单关系"),
        max_length=16,
        choices=Relation.choices,
        default=Relation.APPLICANT,
    )
    agent_name = models.CharField(_("代理人姓名"), max_length=50, blank=True)
    agent_phone = EncryptedTextField(_("代理人电话"), blank=True)  # D2
    agent_authority = models.CharField(_("授权情况"), max_length=255, blank=True)
    policy_number = models.CharField(
        _("保单号"), max_length=32, blank=True, db_index=True
    )
    product_type = models.CharField(_("险种"), max_length=32, blank=True)
    sales_channel = models.CharField(_("销售渠道"), max_length=32, blank=True)
    business_category = models.CharField(_("业务类别"), max_length=32, blank=True)
    facts = models.TextField(_("投诉事实"))
    demand = models.TextField(_("投诉诉求"))
    grade = models.CharField(
        _("等级"),
        max_length=16,
        choices=Grade.choices,
        default=Grade.ORDINARY,
        db_index=True,
    )
    group_size = models.PositiveIntegerField(_("投诉人数"), default=1)
    representatives = models.PositiveSmallIntegerField(_("代表人数"), default=1)  # R1.5
    escalated = models.BooleanField(_("升级投诉"), default=False, db_index=True)
    # S5.5: a finding that differs greatly from the complaint, or an escalated
    # complaint, is supervised by head office's customer service.
    supervised_by_head_office = models.BooleanField(
        _("总公司督办"), default=False, db_index=True
    )
    complained_staff = models.ManyToManyField(
        USER, blank=True, related_name="+", verbose_name=_("被投诉人员")
    )  # R1.4
    complained_staff_names = models.CharField(
        _("被投诉人员（外部）"), max_length=255, blank=True
    )

    # handling
    preliminary_opinion = models.TextField(_("初步处理意见"), blank=True)
    decline_ground = models.CharField(
        _("不予受理理由"), max_length=32, blank=True
    )  # R2.5
    decline_reason = models.TextField(_("告知投诉人的理由"), blank=True)
    # S7.8: the province authorised the lower company to close this case itself
    closure_authorised = models.BooleanField(_("授权结案"), default=False)

    # time limits (DESIGN §4): stored when set, moved by extensions and pauses
    due_date = models.DateField(_("答复时限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(default=False)
    extension_tier = models.PositiveSmallIntegerField(default=0)  # R1.8: 0, 1, 2
    paused_since = models.DateTimeField(null=True, blank=True)  # R1.9
    paused_days = models.PositiveIntegerField(default=0)
    clock_started_at = models.DateTimeField(null=True, blank=True)  # R1.10 restart
    breached_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    # decision and closing (R1.11, S6.9, S7.8)
    replied_at = models.DateTimeField(null=True, blank=True)
    liability = models.CharField(
        _("责任认定"), max_length=16, choices=Liability.choices, blank=True
    )
    responsible_link = models.CharField(_("责任环节"), max_length=32, blank=True)
    cause = models.CharField(_("原因归类"), max_length=32, blank=True, db_index=True)
    ruled_by_committee = models.BooleanField(default=False)  # S3.4: final
    ruling_company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    satisfaction = models.CharField(_("满意度"), max_length=20, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    retention_until = models.DateField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)

    # links
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
    )
    escalated_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    review_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_requests",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投诉案件")
        verbose_name_plural = _("投诉案件")
        indexes = [
            models.Index(fields=["owning_company", "state", "due_date"]),
            models.Index(fields=["registered_company", "received_at"]),
            models.Index(fields=["-received_at", "-id"]),
            # the deadline sweep's candidates: running clocks by due date
            models.Index(
                fields=["due_date", "id"],
                name="complaint_clock_running_due",
                condition=models.Q(
                    state__in=["registered", "accepted", "investigating", "reviewing"],
                    paused_since__isnull=True,
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Investigation(models.Model):
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


class Referral(models.Model):
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


class Extension(models.Model):
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


class FollowUp(models.Model):
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


class Breach(models.Model):
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
