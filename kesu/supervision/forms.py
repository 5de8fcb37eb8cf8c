"""Forms of the supervision pages: they parse and type the input; the
services decide. Case evidence is typed as case numbers and resolved within
the user's scope (an unknown or out-of-scope number is one error)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.accounts.access import scope_companies
from kesu.accounts.models import User
from kesu.classification.models import CodeTable
from kesu.complaints.access import complaint_scope
from kesu.web.forms.choices import code_choices, company_choices, department_choices

from .models import SampleItem

DATE = forms.DateInput(attrs={"type": "date"})


class CaseNumbersField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("案件编号"))
        kwargs.setdefault("help_text", _("多个编号用空格、逗号或换行分隔"))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [n for n in re.split(r"[\s,，、;；]+", text) if n]


def case_ids(user, numbers: list[str]) -> list[int]:
    """Ids of the numbered cases in scope; raises ValidationError otherwise."""
    found = dict(
        complaint_scope(user).filter(number__in=numbers).values_list("number", "pk")
    )
    missing = [n for n in numbers if n not in found]
    if missing:
        raise forms.ValidationError(_("未找到案件：%(n)s") % {"n": "、".join(missing)})
    return [found[n] for n in numbers]


class UserForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            self.fields["department"].choices = department_choices(user, blank="")
        if "company" in self.fields:
            self.fields["company"].choices = company_choices(user)

    def clean_cases(self):
        return case_ids(self.user, self.cleaned_data["cases"])


class PeriodForm(UserForm):
    company = forms.ChoiceField(label=_("机构"), required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)


class NoticeForm(UserForm):
    department = forms.ChoiceField(label=_("被公示部门"))
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("公示内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    cases = CaseNumbersField()


class SampleForm(forms.Form):
    start = forms.DateField(label=_("结案起始日"), widget=DATE)
    end = forms.DateField(label=_("结案截止日"), widget=DATE)
    rate = forms.DecimalField(
        label=_("抽样比例"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("如 0.1 表示 10%；与抽样数量二选一"),
    )
    size = forms.IntegerField(
        label=_("抽样数量"), required=False, min_value=1, max_value=5000
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        help_text=_("留空则随机生成；相同种子可复现同一样本"),
    )


class AuditForm(forms.Form):
    start = forms.DateField(label=_("结案起始日"), widget=DATE)
    end = forms.DateField(label=_("结案截止日"), widget=DATE)
    size = forms.IntegerField(label=_("抽样数量"), min_value=1, max_value=5000)
    seed = forms.IntegerField(label=_("随机种子"), required=False, min_value=0)


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("回访结果"), choices=SampleItem.Result.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=5000)


class ReviseForm(forms.Form):
    responsible_link = forms.ChoiceField(label=_("责任环节"))
    cause = forms.ChoiceField(label=_("原因归类"))
    note = forms.CharField(label=_("改判理由"), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_link"].choices = code_choices(
            CodeTable.RESPONSIBLE_LINK
        )
        self.fields["cause"].choices = code_choices(CodeTable.CAUSE)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VexatiousForm(forms.Form):
    case = forms.CharField(label=_("投诉人所涉案件编号"), max_length=40)
    reasons = forms.CharField(
        label=_("认定理由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("证据"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_case(self):
        number = self.cleaned_data["case"].strip()
        case = complaint_scope(self.user).filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("未找到案件：%(n)s") % {"n": number})
        return case


class RectificationForm(UserForm):
    department = forms.ChoiceField(label=_("整改部门"))
    cases = CaseNumbersField(
        label=_("来源案件编号"), help_text=_("一件有责案件，或同一原因归类的多件案件")
    )
    owner = forms.ChoiceField(label=_("整改责任人"))
    action = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label=_("整改期限"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        people = (
            User.objects.filter(
                company__in=scope_companies(user),
                is_active=True,
                department__isnull=False,
            )
            .select_related("department")
            .order_by("department__company__path", "department__kind")
        )
        self.fields["owner"].choices = [("", "")] + [
            (str(p.pk), f"{p} · {p.department}") for p in people
        ]
