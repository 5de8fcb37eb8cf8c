"""Intake checks (DESIGN §3.1; F3, R1.5): what complaint_register refuses
before anything is saved, each refusal a 400 that names the field."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.classification.models import CodeTable
from kesu.classification.selectors import code_require
from kesu.errors import DomainValidationError

from ..models import ComplainantKind, Grade, Relation, Source
from ..validators import validate_phone, validate_resident_id

COMPLAINANT_FIELDS = (
    "kind",
    "name",
    "id_type",
    "id_number",
    "phone",
    "address",
    "credit_code",
    "legal_representative",
)
CLOCK_SKEW = dt.timedelta(minutes=10)


def check_complainant(data: dict) -> dict:
    unknown = set(data) - set(COMPLAINANT_FIELDS)
    if unknown:
        raise DomainValidationError(
            _("投诉人信息含未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))},
            field="complainant",
        )
    clean = {k: (data.get(k) or "").strip() for k in COMPLAINANT_FIELDS if data.get(k)}
    if not clean.get("name"):
        raise DomainValidationError(
            _("请填写投诉人姓名或单位名称"), field="complainant.name"
        )
    if clean.get("kind", ComplainantKind.PERSON) not in ComplainantKind.values:
        raise DomainValidationError(_("投诉人类型无效"), field="complainant.kind")
    if not (clean.get("phone") or clean.get("address")):
        raise DomainValidationError(
            _("请至少填写一种联系方式（电话或地址）"), field="complainant.phone"
        )
    # F3: the same format checks as the intake form, for every channel.
    if clean.get("id_number") and clean.get("id_type", "resident_id") == "resident_id":
        clean["id_number"] = _valid(
            validate_resident_id, clean["id_number"], "id_number"
        )
    if clean.get("phone"):
        clean["phone"] = _valid(validate_phone, clean["phone"], "phone")
    return clean


def _valid(check, value: str, name: str) -> str:
    try:
        return check(value)
    except ValidationError as exc:
        message = exc.messages[0]
        raise DomainValidationError(message, field=f"complainant.{name}") from exc


def check_case(
    *,
    received_at,
    facts,
    demand,
    grade,
    source,
    relation,
    representatives,
    group_size,
    sender_due_date,
    channel,
    product_type,
    sales_channel,
    business_category,
) -> None:
    if timezone.is_naive(received_at):
        raise DomainValidationError(_("收到时间须带时区"), field="received_at")
    if received_at > timezone.now() + CLOCK_SKEW:
        raise DomainValidationError(_("收到时间不能晚于当前时间"), field="received_at")
    if not (facts or "").strip():
        raise DomainValidationError(_("请填写投诉事实"), field="facts")
    if not (demand or "").strip():
        raise DomainValidationError(_("请填写投诉诉求"), field="demand")
    for value, choices, name in (
        (grade, Grade, "grade"),
        (source, Source, "source"),
        (relation, Relation, "relation"),
    ):
        if value not in choices.values:
            raise DomainValidationError(_("取值无效：%(v)s") % {"v": value}, field=name)
    if group_size < 1:
        raise DomainValidationError(_("投诉人数至少为1"), field="group_size")
    limit = settings.KESU["MAX_REPRESENTATIVES"]
    if not 1 <= representatives <= limit:  # R1.5
        raise DomainValidationError(
            _("集体投诉推选代表不得超过%(n)d人（R1.5）") % {"n": limit},
            field="representatives",
        )
    if sender_due_date and sender_due_date < timezone.localtime(received_at).date():
        raise DomainValidationError(
            _("来文时限不能早于收到日期"), field="sender_due_date"
        )
    code_require(CodeTable.CHANNEL, channel, field="channel")
    code_require(
        CodeTable.PRODUCT_TYPE, product_type, field="product_type", required=False
    )
    code_require(
        CodeTable.SALES_CHANNEL, sales_channel, field="sales_channel", required=False
    )
    code_require(
        CodeTable.BUSINESS_CATEGORY,
        business_category,
        field="business_category",
        required=False,
    )
