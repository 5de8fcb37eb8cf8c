"""The complaint page's complainant and case-information lists as HTML,
built in Python (issue 8), as web/timeline.py builds the history.

In the template the two lists cost some hundred variable lookups per
request. Here each value is formatted as the template did (localized,
escaped; dates through the same `date` filter) and personal data goes
through the same masking filters (kesu_web.masked_name and mask, D2/E3):
masked unless this response is the logged reveal. Same markup and
information as before."""

from django.template.defaultfilters import date
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from .templatetags.kesu_web import mask, masked_name


def _v(value) -> str:
    """{{ value }}: localized, then escaped unless safe."""
    return conditional_escape(localize(value))


def _dl(lines: list[str]) -> str:
    """The <dl> with one template line per item ("" where the template's
    condition was false), as the template laid it out."""
    body = "".join(f"      {line}\n" for line in lines)
    return f'<dl class="kv">\n{body}    </dl>'


def _date(value, fmt: str) -> str:
    """{{ value|date:fmt }}: in the current time zone, as templates do."""
    return _v(date(template_localtime(value), fmt))


def complainant_html(c, *, revealed: bool) -> SafeString:
    p = c.complainant

    def shown(value, kind: str) -> str:  # D2: masked unless revealed (E3)
        return _v(value) if revealed else _v(mask(value, kind))

    name = _v(p.name) if revealed else _v(masked_name(p))
    lines = [
        f"<dt>{_('姓名/名称')}</dt><dd>{name} "
        f'<span class="muted">（{_v(p.get_kind_display())}，'
        f"{_v(c.get_relation_display())}）</span></dd>"
    ]
    lines.append(
        f'<dt>{_("证件号码")}</dt><dd class="mono">{shown(p.id_number, "id")}</dd>'
        if p.id_number
        else ""
    )
    lines.append(
        f'<dt>{_("联系电话")}</dt><dd class="mono">{shown(p.phone, "phone")}</dd>'
        if p.phone
        else ""
    )
    lines.append(
        f"<dt>{_('联系地址')}</dt><dd>{shown(p.address, 'address')}</dd>"
        if p.address
        else ""
    )
    lines.append(
        f"<dt>{_('统一社会信用代码')}</dt><dd>{_v(p.credit_code)}</dd>"
        if p.credit_code
        else ""
    )
    agent = ""
    if c.agent_name:
        authority = (
            f'<br><span class="muted small">{_v(c.agent_authority)}</span>'
            if c.agent_authority
            else ""
        )
        agent = (
            f"<dt>{_('代理人')}</dt><dd>"
            f"{shown(c.agent_name, 'name')} {shown(c.agent_phone, 'phone')}"
            f"{authority}</dd>"
        )
    lines.append(agent)
    return mark_safe(f"\n    {_dl(lines)}\n    ")  # inside its {% with %}


def case_info_html(c, code_labels: dict[str, str]) -> SafeString:
    def item(label: str, value: str, dd: str = "<dd>") -> str:
        # a translation is shown as {% translate %} shows it: not escaped
        return f"<dt>{label}</dt>{dd}{value}</dd>"

    source = _v(c.get_source_display())
    if c.sender_reference:
        source += f"（{_v(c.sender_reference)}）"
    liability = ""
    if c.liability:
        liability = (
            item(_("责任认定"), _v(c.get_liability_display()))
            + "\n      "
            + item(_("责任环节"), _v(code_labels["responsible_link"]))
            + "\n      "
            + item(_("原因归类"), _v(code_labels["cause"]))
        )
    lines = [
        item(_("投诉渠道"), _v(code_labels["channel"])),
        item(_("来源"), source),
        item(_("来文时限"), _date(c.sender_due_date, "Y-m-d"))
        if c.sender_due_date
        else "",
        item(_("保单号"), _v(c.policy_number or "—"), '<dd class="mono">'),
        item(_("险种"), _v(code_labels["product_type"])),
        item(_("销售渠道"), _v(code_labels["sales_channel"])),
        item(_("业务类别"), _v(code_labels["business_category"])),
        item(_("投诉人数"), _v(c.group_size)),
        item(_("被投诉人员"), _v(c.complained_staff_names))
        if c.complained_staff_names
        else "",
        item(_("受理机构"), _v(c.registered_company.name)),
        liability,
        item(_("结案时间"), _date(c.closed_at, "Y-m-d H:i")) if c.closed_at else "",
        item(_("满意度"), _v(c.satisfaction)) if c.satisfaction else "",
    ]
    return mark_safe(_dl(lines))
