"""Endpoints of the vexatious complainant register (S6.11)."""

from django.http import HttpRequest
from ninja import Router, Status

from . import present
from .schemas import Error, TextIn, VexatiousCheckOut, VexatiousIn, VexatiousOut
from .selectors.registers import (
    vexatious_get_for,
    vexatious_list_for,
    vexatious_record_for,
)
from .services import vexatious

router = Router()
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@router.get("/vexatious", response={200: list[VexatiousOut], **ERRORS})
def vexatious_list(request: HttpRequest, active: bool | None = True):
    return [
        present.vexatious(v)
        for v in vexatious_list_for(request.user, active=active)[:500]
    ]


@router.post("/vexatious", response={201: VexatiousOut, **ERRORS})
def vexatious_mark(request: HttpRequest, data: VexatiousIn):
    """S6.11: mark a complainant; the company's sales departments are told."""
    record = vexatious.vexatious_mark(
        user=request.user,
        complainant_id=data.complainant,
        reasons=data.reasons,
        evidence=data.evidence,
        complaint_ids=data.complaints,
    )
    return Status(201, present.vexatious(record))


@router.get("/vexatious/check", response={200: VexatiousCheckOut, **ERRORS})
def vexatious_check(request: HttpRequest, complainant: int):
    """S6.11: is this complainant (of a case you can see) marked?"""
    person = vexatious.complainant_get_for(request.user, pk=complainant)
    record = vexatious_record_for(person)
    return {
        "vexatious": record is not None,
        "record": present.vexatious(record) if record else None,
    }


@router.post(
    "/vexatious/{int:record_id}/unmark", response={200: VexatiousOut, **ERRORS}
)
def vexatious_unmark(request: HttpRequest, record_id: int, data: TextIn):
    record = vexatious_get_for(request.user, pk=record_id)
    return present.vexatious(
        vexatious.vexatious_unmark(user=request.user, record=record, reason=data.text)
    )
