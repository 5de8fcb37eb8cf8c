"""One small form per action of the transition table: what the action needs,
nothing else. Field names are the service's keyword arguments, so the view
passes `cleaned_data` straight through. Which actions a user sees comes only
from `kesu.complaints.lifecycle.allowed_actions`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.accounts.models import User
from kesu.accounts.roles import Role
from kesu.classification.models import CodeTable
from kesu.complaints.models import FollowUp, Grade, Investigation, Liability
from kesu.organisation.models import Company, Department

from .choices import code_choices

TEXT = {"rows": 3}
REMEDIES = [
    ("review", _("向上级机构申请核查")),
    ("mediation", _("申请调解")),
    ("arbitration", _("申请仲裁")),
    ("litigation", _("向人民法院提起诉讼")),
]
DELIVERY = [
    ("phone", _("电话告知")),
    ("letter", _("书面函件")),
    ("sms", _("短信")),
    ("email", _("电子邮件")),
    ("visit", _("当面送达")),
]


class ActionForm(forms.Form):
    """Base: the case's version goes along, so a stale page gets a clear 409."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, complaint=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.user = user
        if complaint is not None and not self.is_bound:
            self.initial["expected_version"] = complaint.version
        self.setup()

    def setup(self) -> None:
        pass

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs=TEXT)
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs=TEXT))


class ConfirmForm(ActionForm):
    pass


class DeclineForm(ActionForm):
    ground = forms.ChoiceField(label=_("不予受理理由"))
    reason = forms.CharField(
        label=_("告知投诉人的说明"), widget=forms.Textarea(attrs=TEXT)
    )

    def setup(self):
        self.fields["ground"].choices = code_choices(
            CodeTable.DECLINE_GROUND, blank="—"
        )


class CompanyReasonForm(ActionForm):
    to_company = forms.ModelChoiceField(
        label=_("接收机构"), queryset=Company.objects.none()
    )
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs=TEXT))

    def setup(self):
        qs = Company.objects.filter(is_active=True).exclude(
            pk=self.complaint.owning_company_id
        )
        self.fields["to_company"].queryset = qs.order_by("path")


class HandDownForm(CompanyReasonForm):
    authorise_closure = forms.BooleanField(label=_("授权下级直接结案"), required=False)

    def setup(self):
        self.fields["to_company"].queryset = Company.objects.filter(
            is_active=True, parent_id=self.complaint.owning_company_id
        ).order_by("path")


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(label=_("处理人"), queryset=User.objects.none())

    def setup(self):
        self.fields["handler"].queryset = (
            User.objects.filter(
                company_id=self.complaint.owning_company_id,
                is_active=True,
                roles__role__in=[Role.HANDLER, Role.CS_HEAD],
            )
            .distinct()
            .order_by("username")
        )


class ReopenForm(ActionForm):
    reason = forms.CharField(
        label=_("重新处理的理由"), widget=forms.Textarea(attrs=TEXT)
    )


class RegradeForm(ActionForm):
    grade = forms.ChoiceField(label=_("等级"), choices=Grade.choices)
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def setup(self):
        self.initial.setdefault("grade", self.complaint.grade)


class OpinionForm(ActionForm):
    opinion = forms.CharField(
        label=_("初步处理意见"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def setup(self):
        self.initial.setdefault("opinion", self.complaint.preliminary_opinion)


class SupervisionRequestForm(ActionForm):
    """S5.5: why the finding differs greatly from the complaint."""

    reason = forms.CharField(
        label=_("调查结果与投诉情况的差异"), widget=forms.Textarea(attrs=TEXT)
    )


class SupervisionOpinionForm(ActionForm):
    opinion = forms.CharField(
        label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DispatchForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("涉案部门"),
        queryset=Department.objects.none(),
        help_text=_("每次转办一个部门；需多个部门调查时请分别转办"),
    )
    instructions = forms.CharField(
        label=_("转办说明"), widget=forms.Textarea(attrs=TEXT)
    )
    due_date = forms.DateField(
        label=_("调查时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则为5个工作日"),
    )

    def setup(self):
        self.fields["department"].queryset = (
            Department.objects.filter(
                company_id=self.complaint.owning_company_id,
                is_active=True,
            )
            .exclude(kind__in=["customer_service", "management_office"])
            .order_by("kind")
        )
        self.fields["department"].label_from_instance = lambda d: d.name


class InvestigationChoiceForm(ActionForm):
    """Pick one investigation of the case in the given statuses."""

    investigation = forms.ModelChoiceField(
        label=_("调查"), queryset=Investigation.objects.none()
    )
    statuses: tuple[str, ...] = (Investigation.Status.ANSWERED,)

    def setup(self):
        qs = self.complaint.investigations.filter(status__in=self.statuses)
        self.fields["investigation"].queryset = qs.select_related("department")
        self.fields["investigation"].label_from_instance = lambda i: i.department.name
        if len(qs) == 1:
            self.initial.setdefault("investigation", qs[0].pk)


class ReturnForm(InvestigationChoiceForm):
    guidance = forms.CharField(
        label=_("重新调查指导意见"), widget=forms.Textarea(attrs=TEXT)
    )
    due_date = forms.DateField(
        label=_("新的调查时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则为5个工作日"),
    )


class AcceptFindingForm(InvestigationChoiceForm):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs=TEXT)
    )


class AnswerForm(ActionForm):
    """The coordinator answers their own department's open investigation."""

    finding = forms.CharField(
        label=_("调查结果"), widget=forms.Textarea(attrs={"rows": 5})
    )
    proposed_resolution = forms.CharField(
        label=_("处理建议"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def service_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        kwargs["investigation"] = self.own_investigation()
        return kwargs

    def own_investigation(self):
        return (
            self.complaint.investigations.filter(
                department_id=self.user.department_id,
                status__in=(
                    Investigation.Status.DISPATCHED,
                    Investigation.Status.RETURNED,
                ),
            )
            .select_related("department")
            .first()
        )


class ReferUpForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("上报类型"),
        choices=[
            ("guidance", _("请求指导（本机构继续处理）")),
            ("handling", _("请求上级处理（上级接管）")),
        ],
    )
    reason = forms.CharField(label=_("上报说明"), widget=forms.Textarea(attrs=TEXT))


class AnswerReferralForm(ActionForm):
    opinion = forms.CharField(
        label=_("上级意见"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def service_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        kwargs["referral"] = self.complaint.referrals.filter(
            to_company_id=self.user.company_id, answered_at__isnull=True
        ).first()
        return kwargs


class ApproveExtensionForm(ActionForm):
    complainant_notified = forms.BooleanField(
        label=_("已告知投诉人延期及理由"), required=True
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs=TEXT)
    )


class RejectForm(ActionForm):
    note = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs=TEXT))


class ExtensionForm(ActionForm):
    reason = forms.CharField(
        label=_("延期理由"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("复杂案件可延至30日；再次延期须上级机构批准（R1.8）"),
    )


class MergeForm(ActionForm):
    into_number = forms.CharField(label=_("并入案件编号"), max_length=40)
    reason = forms.CharField(label=_("合并理由"), widget=forms.Textarea(attrs=TEXT))

    def clean_into_number(self):
        from kesu.complaints.access import complaint_get_for
        from kesu.errors import NotFound

        number = self.cleaned_data["into_number"].strip()
        try:
            self.into = complaint_get_for(self.user, number=number)
        except NotFound:
            raise forms.ValidationError(_("未找到该投诉案件")) from None
        return number

    def service_kwargs(self) -> dict:
        return {
            "into": self.into,
            "reason": self.cleaned_data["reason"],
            "expected_version": self.cleaned_data.get("expected_version"),
        }


class ReplyForm(ActionForm):
    findings = forms.CharField(
        label=_("核查结果"), widget=forms.Textarea(attrs={"rows": 4})
    )
    basis = forms.CharField(
        label=_("处理依据及理由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.CharField(
        label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3})
    )
    remedies = forms.MultipleChoiceField(
        label=_("告知的救济途径"),
        choices=REMEDIES,
        widget=forms.CheckboxSelectMultiple,
        initial=[r for r, _ in REMEDIES],
        help_text=_("R1.11：须告知投诉人可采取的救济途径"),
    )
    delivery_method = forms.ChoiceField(label=_("送达方式"), choices=DELIVERY)
    delivered_at = forms.DateTimeField(
        label=_("送达时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("已送达时填写；留空表示尚未送达"),
    )

    def clean_delivered_at(self):
        from django.utils import timezone

        value = self.cleaned_data.get("delivered_at")
        return (
            timezone.make_aware(value) if value and timezone.is_naive(value) else value
        )


class CloseForm(ActionForm):
    liability = forms.ChoiceField(label=_("责任认定"), choices=Liability.choices)
    responsible_link = forms.ChoiceField(label=_("责任环节"), required=False)
    cause = forms.ChoiceField(label=_("原因归类"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def setup(self):
        self.fields["responsible_link"].choices = code_choices(
            CodeTable.RESPONSIBLE_LINK, blank="—"
        )
        self.fields["cause"].choices = code_choices(CodeTable.CAUSE, blank="—")

    def clean(self):
        data = super().clean()
        if data.get("liability") == Liability.LIABLE and not data.get(
            "responsible_link"
        ):
            self.add_error("responsible_link", _("有责案件须填写责任环节"))
        return data


class FollowUpForm(ActionForm):
    result = forms.ChoiceField(
        label=_("回访结果"), choices=FollowUp.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("回访记录"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
