"""The complaint list's filter form (GET). It only parses the query string;
filtering itself is `kesu.complaints.api_list.apply_filters`, the same code
the JSON API uses, so the page and the API always agree."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.classification.models import CodeTable
from kesu.complaints.models import Grade, Source, State

from .choices import code_choices, company_choices, department_choices

YES_NO = [("", _("全部")), ("1", _("是")), ("0", _("否"))]
SORTS = [
    ("-received_at", _("收到时间（新→旧）")),
    ("received_at", _("收到时间（旧→新）")),
    ("due_date", _("答复时限（近→远）")),
    ("-due_date", _("答复时限（远→近）")),
    ("-number", _("编号（大→小）")),
    ("number", _("编号（小→大）")),
]


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("编号、保单号或事实/诉求中的文字"),
            }
        ),
    )
    state = forms.MultipleChoiceField(
        label=_("状态"),
        required=False,
        choices=State.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    company = forms.TypedChoiceField(
        label=_("处理机构"), required=False, coerce=int, empty_value=None
    )
    subtree = forms.ChoiceField(
        label=_("含下级机构"),
        required=False,
        choices=[("", _("是")), ("0", _("否"))],
    )
    department = forms.TypedChoiceField(
        label=_("涉案部门"), required=False, coerce=int, empty_value=None
    )
    grade = forms.MultipleChoiceField(
        label=_("等级"),
        required=False,
        choices=Grade.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.MultipleChoiceField(
        label=_("来源"),
        required=False,
        choices=Source.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.ChoiceField(label=_("投诉渠道"), required=False)
    overdue = forms.ChoiceField(label=_("已超期"), required=False, choices=YES_NO)
    escalated = forms.ChoiceField(label=_("升级投诉"), required=False, choices=YES_NO)
    supervised = forms.ChoiceField(
        label=_("总公司督办"), required=False, choices=YES_NO
    )
    mine = forms.ChoiceField(label=_("我处理的"), required=False, choices=YES_NO)
    answered = forms.ChoiceField(
        label=_("调查已反馈待审核"), required=False, choices=YES_NO
    )
    received_from = forms.DateField(
        label=_("收到日期从"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = forms.DateField(
        label=_("收到日期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_after = forms.DateField(
        label=_("时限从"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = forms.DateField(
        label=_("时限至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORTS)

    def __init__(self, data, *, user):
        super().__init__(data, label_suffix="")
        self.user = user
        self.fields["company"].choices = company_choices(user, blank=_("全部"))
        self.fields["department"].choices = department_choices(user, blank=_("全部"))
        self.fields["channel"].choices = code_choices(
            CodeTable.CHANNEL, blank=_("全部")
        )

    def filters(self) -> dict:
        """Arguments for ComplaintFilters (only what was given)."""
        data = self.cleaned_data
        out: dict = {}
        for name in ("state", "grade", "source"):
            if data.get(name):
                out[name] = data[name]
        for name in (
            "company",
            "department",
            "received_from",
            "received_to",
            "due_after",
            "due_before",
        ):
            if data.get(name) is not None:
                out[name] = data[name]
        if data.get("channel"):
            out["channel"] = [data["channel"]]
        for name in ("overdue", "escalated", "supervised", "mine", "answered"):
            if data.get(name) in ("0", "1"):
                out[name] = data[name] == "1"
        if data.get("subtree") == "0":
            out["subtree"] = False
        if data.get("q"):
            out["q"] = data["q"]
        if data.get("sort"):
            out["sort"] = data["sort"]
        return out

    def active(self) -> list[tuple[str, str, str]]:
        """(label, shown value, query string without it) of each filter in use."""
        chips = []
        for name, field in self.fields.items():
            if name == "sort":
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            rest = self.data.copy()
            for key in (name, "cursor"):
                rest.pop(key, None)
            chips.append(
                (str(field.label), self._display(field, value), "?" + rest.urlencode())
            )
        return chips

    @staticmethod
    def _display(field, value) -> str:
        choices = dict(_flatten(getattr(field, "choices", [])))
        if isinstance(value, list):
            return "、".join(str(choices.get(v, v)) for v in value)
        return str(choices.get(str(value), choices.get(value, value)))


def _flatten(choices):
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield key, label
