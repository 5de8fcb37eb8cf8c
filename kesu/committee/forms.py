"""Forms of the committee pages (parse and type; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.accounts.models import User
from kesu.classification.models import CodeTable
from kesu.complaints.models import Liability
from kesu.organisation.models import Department
from kesu.supervision.forms import DATE, CaseNumbersField, UserForm
from kesu.web.forms.choices import code_choices, department_choices

from .models import Circular, Deliberation

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class CircularForm(UserForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Circular.Kind.choices)
    department = forms.ChoiceField(label=_("涉及部门"), required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("通报内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    cases = CaseNumbersField(label=_("通报案件编号"))
    start = forms.DateField(label=_("期间起始"), required=False, widget=DATE)
    end = forms.DateField(label=_("期间截止"), required=False, widget=DATE)


class MeetingForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("会议时间"), widget=DATETIME)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)


class MeetingRecordForm(forms.Form):
    attendees = forms.MultipleChoiceField(
        label=_("出席人员"), required=False, widget=forms.CheckboxSelectMultiple
    )
    departments = forms.MultipleChoiceField(
        label=_("出席部门"), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5})
    )
    decisions = forms.CharField(
        label=_("会议决定"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [
            (str(u.pk), str(u))
            for u in User.objects.filter(company=company, is_active=True)
        ]
        self.fields["departments"].choices = [
            (str(d.pk), d.name)
            for d in Department.objects.filter(company=company, is_active=True)
        ]


class DeliberationForm(UserForm):
    case = forms.CharField(label=_("案件编号"), max_length=40)
    kind = forms.ChoiceField(label=_("类型"), choices=Deliberation.Kind.choices)
    question = forms.CharField(
        label=_("提请事项"), widget=forms.Textarea(attrs={"rows": 3})
    )
    departments = forms.MultipleChoiceField(
        label=_("征求意见部门"),
        required=False,
        help_text=_("责任争议须选择至少两个争议部门"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["departments"].choices = department_choices(user)


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("部门意见"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(forms.Form):
    decision = forms.CharField(
        label=_("最终决定"), widget=forms.Textarea(attrs={"rows": 3})
    )
    liability = forms.ChoiceField(
        label=_("责任认定"),
        required=False,
        choices=[("", "—")] + list(Liability.choices),
    )
    responsible_link = forms.ChoiceField(label=_("责任环节"), required=False)
    cause = forms.ChoiceField(label=_("原因归类"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_link"].choices = code_choices(
            CodeTable.RESPONSIBLE_LINK, blank="—"
        )
        self.fields["cause"].choices = code_choices(CodeTable.CAUSE, blank="—")


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 2})
    )
    done = forms.BooleanField(label=_("已落实完毕"), required=False)
