"""Writes of the audit log: one append function and the retention purge."""

from .purge import audit_purge
from .record import audit_case_event, audit_record

__all__ = ["audit_record", "audit_case_event", "audit_purge"]
