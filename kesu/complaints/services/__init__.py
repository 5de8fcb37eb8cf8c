"""Writes on complaints: one service per action of the transition table
(lifecycle.py), each in its use-case module, re-exported here."""

from .aftercare import (
    complaint_archive,
    complaint_record_follow_up,
    complaint_reopen,
    complaint_request_review,
    complaint_withdraw,
)
from .clock import (
    complaint_merge,
    complaint_pause,
    complaint_resume,
    extension_approve,
    extension_reject,
    extension_request,
)
from .closing import (
    complaint_apply_ruling,
    complaint_close,
    complaint_confirm_closure,
    complaint_propose_closure,
    complaint_reject_closure,
    complaint_reply,
)
from .events import event_record
from .handling import complaint_assign, complaint_record_opinion, complaint_regrade
from .intake import complaint_accept, complaint_decline, complaint_transfer
from .investigation import (
    investigation_accept_finding,
    investigation_answer,
    investigation_dispatch,
    investigation_return,
)
from .referral import complaint_hand_down, complaint_refer_up, referral_answer
from .register import Registered, complaint_register
from .supervision import (
    complaint_give_supervision_opinion,
    complaint_request_supervision,
)

__all__ = [
    "Registered",
    "complaint_accept",
    "complaint_apply_ruling",
    "complaint_archive",
    "complaint_assign",
    "complaint_close",
    "complaint_confirm_closure",
    "complaint_decline",
    "complaint_give_supervision_opinion",
    "complaint_hand_down",
    "complaint_merge",
    "complaint_pause",
    "complaint_propose_closure",
    "complaint_record_follow_up",
    "complaint_record_opinion",
    "complaint_refer_up",
    "complaint_regrade",
    "complaint_register",
    "complaint_reject_closure",
    "complaint_reopen",
    "complaint_reply",
    "complaint_request_review",
    "complaint_request_supervision",
    "complaint_resume",
    "complaint_transfer",
    "complaint_withdraw",
    "event_record",
    "extension_approve",
    "extension_reject",
    "extension_request",
    "investigation_accept_finding",
    "investigation_answer",
    "investigation_dispatch",
    "investigation_return",
    "referral_answer",
]
