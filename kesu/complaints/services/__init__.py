"""Writes on complaints: one service per action of the transition table
(lifecycle.py), each in its use-case module, re-exported here."""

from .events import event_record
from .handling import complaint_assign, complaint_record_opinion, complaint_regrade
from .intake import complaint_accept, complaint_decline, complaint_transfer
from .investigation import (
    investigation_accept_finding, investigation_answer, investigation_dispatch,
    investigation_return,
)
from .register import Registered, complaint_register

__all__ = [
    "Registered", "complaint_accept", "complaint_assign", "complaint_decline",
    "complaint_record_opinion", "complaint_regrade", "complaint_register",
    "complaint_transfer", "event_record", "investigation_accept_finding",
    "investigation_answer", "investigation_dispatch", "investigation_return",
]
