"""Labels of the events supervision and the committee write on a case, for
the case history (the ui's event label can look them up here)."""

from django.utils.translation import gettext_lazy as _

CASE_EVENT_LABELS = {
    "satisfaction_sampled": _("满意度抽查回访"),
    "not_liable_confirmed": _("无责真实性抽查：确认无责"),
    "liability_revised": _("无责真实性抽查：改判有责"),
    "deliberation_proposed": _("提请协调委员会审议"),
    "committee_opinion_given": _("部门向协调委员会提交意见"),
    "committee_decided": _("协调委员会作出最终决定"),
    "committee_decision_followed_up": _("协调委员会跟进决定落实"),
    "committee_decision_implemented": _("协调委员会决定已落实"),
}


def case_event_label(action: str) -> str:
    return str(CASE_EVENT_LABELS.get(action, action))
