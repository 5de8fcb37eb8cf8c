"""The intake form (DESIGN §3.1): every field of the complaint, code tables
as selects, clear messages next to each field. The form parses and checks
formats; the rules of registering are `complaint_register`'s."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.classification.models import CodeTable
from kesu.complaints import uploads
from kesu.complaints.models import ComplainantKind, Grade, Relation, Source
from kesu.complaints.services.intake_checks import COMPLAINANT_FIELDS
from kesu.complaints.validators import (
    validate_phone,
    validate_policy_number,
    validate_resident_id,
)
from kesu.errors import DomainValidationError

from .choices import code_choices

ID_TYPES = [
    ("resident_id", _("居民身份证")),
    ("passport", _("护照")),
    ("hk_macao_pass", _("港澳居民来往内地通行证")),
    ("taiwan_pass", _("台湾居民来往大陆通行证")),
    ("foreign_permanent", _("外国人永久居留身份证")),
    ("other", _("其他证件")),
]
MAX_FILES = 20  # F4


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _date(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs})


class IntakeForm(forms.Form):
    # --- complainant (R1.5–R1.7) ---
    kind = forms.ChoiceField(
        label=_("投诉人类型"),
        choices=ComplainantKind.choices,
        initial=ComplainantKind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("投诉人姓名/单位名称"), max_length=100)
    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=ID_TYPES, initial="resident_id"
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("联系地址"), max_length=255, required=False)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=32, required=False
    )
    legal_representative = forms.CharField(
        label=_("法定代表人"), max_length=50, required=False
    )
    relation = forms.ChoiceField(
        label=_("与保单关系"), choices=Relation.choices, initial=Relation.APPLICANT
    )
    agent_name = forms.CharField(label=_("代理人姓名"), max_length=50, required=False)
    agent_phone = forms.CharField(label=_("代理人电话"), max_length=64, required=False)
    agent_authority = forms.CharField(
        label=_("授权情况"),
        max_length=255,
        required=False,
        help_text=_("如：授权委托书，已核验"),
    )
    # --- how it came in ---
    received_at = forms.DateTimeField(
        label=_("收到时间"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    channel = forms.ChoiceField(label=_("投诉渠道"))
    source = forms.ChoiceField(
        label=_("来源"), choices=Source.choices, initial=Source.DIRECT
    )
    sender_reference = forms.CharField(
        label=_("来文编号"),
        max_length=64,
        required=False,
        help_text=_("监管转办或上级转办时填写"),
    )
    sender_due_date = forms.DateField(
        label=_("来文时限"),
        required=False,
        widget=_date(),
        help_text=_("监管机构要求的办结日期（R1.18）"),
    )
    # --- the policy and business ---
    policy_number = forms.CharField(
        label=_("保单号"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    product_type = forms.ChoiceField(label=_("险种"), required=False)
    sales_channel = forms.ChoiceField(label=_("销售渠道"), required=False)
    business_category = forms.ChoiceField(label=_("业务类别"), required=False)
    # --- the complaint ---
    facts = forms.CharField(
        label=_("投诉事实"), widget=forms.Textarea(attrs={"rows": 5})
    )
    demand = forms.CharField(
        label=_("投诉诉求"), widget=forms.Textarea(attrs={"rows": 3})
    )
    grade = forms.ChoiceField(
        label=_("等级"), choices=Grade.choices, initial=Grade.ORDINARY
    )
    group_size = forms.IntegerField(label=_("投诉人数"), min_value=1, initial=1)
    representatives = forms.IntegerField(
        label=_("代表人数"),
        min_value=1,
        initial=1,
        help_text=_("集体投诉推选代表不超过5人（R1.5）"),
    )
    escalated = forms.BooleanField(
        label=_("升级投诉"), required=False, help_text=_("曾在下级或其他渠道投诉未果")
    )
    complained_staff_names = forms.CharField(
        label=_("被投诉人员"),
        max_length=255,
        required=False,
        help_text=_("姓名及工号，多人用逗号分隔"),
    )
    attachments = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = "—"
        self.fields["channel"].choices = code_choices(
            CodeTable.CHANNEL, blank=_("请选择")
        )
        self.fields["product_type"].choices = code_choices(
            CodeTable.PRODUCT_TYPE, blank=blank
        )
        self.fields["sales_channel"].choices = code_choices(
            CodeTable.SALES_CHANNEL, blank=blank
        )
        self.fields["business_category"].choices = code_choices(
            CodeTable.BUSINESS_CATEGORY, blank=blank
        )
        if not self.is_bound:
            self.initial["received_at"] = timezone.localtime().strftime(
                "%Y-%m-%dT%H:%M"
            )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip()
        if value and self.data.get("id_type", "resident_id") == "resident_id":
            return validate_resident_id(value)
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return validate_phone(value) if value else value

    def clean_agent_phone(self):
        value = self.cleaned_data["agent_phone"].strip()
        return validate_phone(value) if value else value

    def clean_policy_number(self):
        value = self.cleaned_data["policy_number"].strip()
        return validate_policy_number(value) if value else value

    def clean_received_at(self):
        value: dt.datetime = self.cleaned_data["received_at"]
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("附件最多 %(n)d 个") % {"n": MAX_FILES})
        errors = []
        for f in files:
            try:  # the same type and size checks the service applies
                if f.size > uploads.max_bytes():
                    raise uploads._too_big()
                f.seek(0)
                uploads.check_type(uploads.clean_original_name(f.name), f.read(2048))
                f.seek(0)
            except DomainValidationError as exc:
                errors.append(f"{f.name}：{exc.message}")
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        if (
            data.get("representatives")
            and data.get("group_size")
            and data["representatives"] > data["group_size"]
        ):
            self.add_error("representatives", _("代表人数不能多于投诉人数"))
        return data

    def register_kwargs(self) -> dict:
        """Arguments for complaint_register from the cleaned form."""
        d = self.cleaned_data
        complainant = {
            k: d[k]
            for k in COMPLAINANT_FIELDS
            if d.get(k)
        }
        case = {
            k: d[k]
            for k in (
                "received_at",
                "channel",
                "source",
                "sender_reference",
                "sender_due_date",
                "relation",
                "agent_name",
                "agent_phone",
                "agent_authority",
                "policy_number",
                "product_type",
                "sales_channel",
                "business_category",
                "facts",
                "demand",
                "grade",
                "group_size",
                "representatives",
                "escalated",
                "complained_staff_names",
            )
        }
        return {"complainant": complainant, **case}


# Service field names ("complainant.phone") → form field names.
def form_field(service_field: str | None) -> str | None:
    if not service_field:
        return None
    return service_field.split(".")[-1]
