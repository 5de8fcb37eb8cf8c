"""Forms of the report pages: parsing only; rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Formula, ReportJob, StoredFigures, TypicalCase


class ReportQueryForm(forms.Form):
    company = forms.CharField(label=_("机构代码"), required=False, max_length=20)
    period = forms.CharField(
        label=_("报告期"),
        required=False,
        max_length=10,
        help_text=_("如 2026-03、2026-Q1、2026-H1、2026"),
    )


class JobForm(forms.Form):
    kind = forms.ChoiceField(choices=ReportJob.Kind.choices)
    company = forms.CharField(required=False, max_length=20)
    period = forms.CharField(max_length=10)


class RecountForm(forms.Form):
    kind = forms.ChoiceField(choices=StoredFigures.Kind.choices)
    company = forms.CharField(required=False, max_length=20)
    period = forms.CharField(max_length=10)


class MetricForm(forms.Form):
    weight = forms.DecimalField(
        label=_("权重"), min_value=0, max_value=100, decimal_places=2
    )
    formula = forms.ChoiceField(label=_("计分公式"), choices=Formula.choices)
    points_per_unit = forms.DecimalField(
        label=_("每件扣分"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )


class RegulatorFiguresForm(forms.Form):
    company = forms.CharField(label=_("机构代码"), max_length=20)
    period = forms.CharField(label=_("统计期"), max_length=10)
    premium = forms.DecimalField(
        label=_("保费收入（元）"), min_value=0, max_digits=18, decimal_places=2
    )
    policies = forms.IntegerField(label=_("有效保单件数"), min_value=0)
    insured = forms.IntegerField(label=_("被保险人数"), min_value=0)


class NominateForm(forms.Form):
    number = forms.CharField(label=_("投诉编号"), max_length=40)
    title = forms.CharField(label=_("案例标题"), max_length=200)
    lesson = forms.CharField(
        label=_("启示与改进"), widget=forms.Textarea, required=False
    )
    tags = forms.CharField(label=_("标签（逗号分隔）"), max_length=300, required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("通过")), ("reject", _("不通过"))]
    )
    note = forms.CharField(label=_("审批意见"), widget=forms.Textarea, required=False)


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    tag = forms.CharField(label=_("标签"), required=False, max_length=30)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *TypicalCase.Status.choices],
    )
