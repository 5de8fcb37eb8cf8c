"""The complaint case and its parts (DESIGN §2–§4). Rules live in lifecycle.py
and services/; these are fields, constraints and small derived properties."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.choicelabels import ChoiceLabels
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


class Complainant(ChoiceLabels, models.Model):
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


class Complaint(ChoiceLabels, models.Model):
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


# The case's parts live in parts.py (module size); imported at the end, after
# Complaint exists, so `from kesu.complaints.models import Investigation` works.
from .parts import Attachment as Attachment  # noqa: E402
from .parts import Breach as Breach  # noqa: E402
from .parts import Decision as Decision  # noqa: E402
from .parts import Event as Event  # noqa: E402
from .parts import Extension as Extension  # noqa: E402
from .parts import FollowUp as FollowUp  # noqa: E402
from .parts import IdempotencyKey as IdempotencyKey  # noqa: E402
from .parts import Investigation as Investigation  # noqa: E402
from .parts import NumberSequence as NumberSequence  # noqa: E402
from .parts import Pause as Pause  # noqa: E402
from .parts import Referral as Referral  # noqa: E402
