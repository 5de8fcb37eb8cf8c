"""Thin django-ninja endpoints for complaints (issue 3 item 6): list, detail,
events, reveal and create here; actions in api_actions.py, attachments in
api_attachments.py. Every read goes through access/selectors, so a case
outside the user's companies is 404 on every endpoint."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, Query, Router, Status

from . import api_present as present
from .access import complaint_get_for, complaint_scope
from .api_json import json_response
from .api_list import ComplaintFilters, list_plan, paginate
from .casefile import CaseFile, case_file, new_case_file
from .idempotency import create_once, owner_of
from .lifecycle import allowed_actions
from .schemas import (
    ComplaintCreated,
    ComplaintCreateIn,
    ComplaintDetail,
    ComplaintPage,
    Error,
    EventOut,
    RevealIn,
    RevealOut,
)
from .selectors import (
    complaint_file_for,
    complaint_history_for,
    complaint_summaries_for,
)
from .services.register import complaint_register
from .services.reveal import complaint_reveal_personal_data
from .summary_rows import page_reader

router = Router()

ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def no_store(response: HttpResponse) -> None:
    """D5: responses carrying personal data are not cached anywhere."""
    response["Cache-Control"] = "no-store"


@router.get("/", response={200: ComplaintPage, **ERRORS}, url_name="complaint_list")
def complaint_list(request: HttpRequest, filters: Query[ComplaintFilters]):
    """Cases in your scope, newest first by default. Pass `next_cursor` back
    as `cursor` for the next page; `count` stops at 1000 (`count_is_capped`)."""
    qs, counted = list_plan(
        complaint_summaries_for(request.user), request.user, filters
    )
    rows, next_cursor = paginate(qs, filters, page_reader(counted, qs))
    count, capped = counted.result()  # run with the page unless it was empty
    now, labels = timezone.now(), present.state_labels()
    return json_response(
        {  # a ComplaintPage (api_json.py)
            "items": [present.list_item(c, now, labels) for c in rows],
            "next_cursor": next_cursor,
            "count": count,
            "count_is_capped": capped,
        }
    )


def detail_payload(user, case: CaseFile) -> dict:
    """The case as the detail shows it, from its case file: no further query
    unless it has linked cases (shown only if in scope)."""
    now = timezone.now()
    c = case.complaint
    return {
        "id": c.pk,
        "number": c.number,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "version": c.version,
        "owning_company": present.company_ref(c.owning_company),
        "registered_company": present.company_ref(c.registered_company),
        "handler": present.user_ref(c.handler),
        "received_at": c.received_at,
        "channel": c.channel,
        "source": c.source,
        "sender_reference": c.sender_reference,
        "sender_due_date": c.sender_due_date,
        "complainant": present.complainant_payload(c),
        "relation": c.relation,
        "agent_name": present.masking.mask_name(c.agent_name),
        "agent_phone": present.masking.mask_phone(c.agent_phone),
        "agent_authority": c.agent_authority,
        "policy_number": c.policy_number,
        "product_type": c.product_type,
        "sales_channel": c.sales_channel,
        "business_category": c.business_category,
        "facts": c.facts,
        "demand": c.demand,
        "grade": c.grade,
        "group_size": c.group_size,
        "representatives": c.representatives,
        "escalated": c.escalated,
        "supervised_by_head_office": c.supervised_by_head_office,
        "preliminary_opinion": c.preliminary_opinion,
        "deadline": present.case_deadline(c, now),
        "extension_tier": c.extension_tier,
        "investigations": [
            present.investigation_payload(i, now) for i in case.investigations
        ],
        "referrals": [present.referral_payload(r) for r in case.referrals],
        "extensions": [present.extension_payload(x) for x in case.extensions],
        "decisions": [present.decision_payload(d) for d in case.decisions],
        "follow_ups": [present.follow_up_payload(f) for f in case.follow_ups],
        "closing": present.closing_payload(c),
        "links": present.links_payload(case, complaint_scope(user)),
        "attachments": [present.attachment_payload(a) for a in case.attachments],
        "allowed_actions": allowed_actions(user, c, case),
    }


@router.get(
    "/{int:complaint_id}",
    response={200: ComplaintDetail, **ERRORS},
    url_name="complaint_detail",
)
def complaint_detail(request: HttpRequest, complaint_id: int):
    """The case with its investigations, deadlines (time left), decision,
    closing data, links and the actions you may take now. Personal data is
    masked; use `reveal` to see it in full."""
    case = complaint_file_for(request.user, pk=complaint_id)
    response = json_response(detail_payload(request.user, case))  # api_json.py
    no_store(response)
    response["ETag"] = f'"{case.complaint.version}"'  # send back as If-Match (G1)
    return response


@router.get(
    "/{int:complaint_id}/events",
    response={200: list[EventOut], **ERRORS},
    url_name="complaint_events",
)
def complaint_events(request: HttpRequest, complaint_id: int):
    """The case's history (DESIGN §3.12), oldest first."""
    return json_response(
        [  # EventOut (api_json.py)
            {
                "id": e.pk,
                "action": e.action,
                "actor": present.user_ref(e.actor),
                "at": e.at,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "note": e.note,
                "data": e.data,
            }
            for e in complaint_history_for(request.user, complaint_id=complaint_id)
        ]
    )


@router.post(
    "/{int:complaint_id}/reveal",
    response={200: RevealOut, **ERRORS},
    url_name="complaint_reveal",
)
def complaint_reveal(
    request: HttpRequest, response: HttpResponse, complaint_id: int, payload: RevealIn
):
    """E3: the complainant's full personal data, for roles with `pi.reveal`,
    with a reason that is recorded as an event and in the audit log."""
    complaint = complaint_reveal_personal_data(
        complaint_id=complaint_id,
        actor=request.user,
        reason=payload.reason,
        request=request,
    )
    no_store(response)
    return present.revealed_payload(complaint)


def _register(request, payload: ComplaintCreateIn):
    data = payload.dict()
    staff = data.pop("complained_staff_ids")
    data["received_at"] = data["received_at"] or timezone.now()
    return complaint_register(
        actor=request.user,
        api_client=getattr(request, "api_client", None),
        complained_staff=staff,
        **data,
    )


@router.post(
    "/",
    response={201: ComplaintCreated, 200: ComplaintCreated, **ERRORS},
    url_name="complaint_create",
)
def complaint_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: ComplaintCreateIn,
    idempotency_key: Header[str | None] = None,
):
    """Register a complaint at your company (S6, R1.5–R1.7, R1.16). With an
    `Idempotency-Key` header a retry returns the first result (200, same id);
    the same key with a different body is a 422 (G3)."""
    if idempotency_key is None:
        registered, created = _register(request, payload), True
    else:
        registered, created = create_once(
            key=idempotency_key,
            owner=owner_of(request),
            payload=payload.dict(),
            create=lambda: _register(request, payload),
            complaint_of=lambda r: r.complaint,
        )
    if created:  # just written: nothing to read back
        case = new_case_file(registered.complaint, registered.complained_staff_ids)
        warnings = registered.warnings
    else:
        case = case_file(complaint_get_for(request.user, pk=registered.pk))
        warnings = []
    no_store(response)
    body = detail_payload(request.user, case)
    body.update(warnings=[_warning(w) for w in warnings], replayed=not created)
    return Status(201 if created else 200, body)


def _warning(w: dict) -> dict:
    return {
        "kind": w.get("kind", ""),
        "message": w.get("message", ""),
        "number": w.get("number", ""),
    }


def _mount_parts() -> None:
    from . import api_actions, api_attachments, api_closing

    router.add_router("", api_actions.router)
    router.add_router("", api_closing.router)
    router.add_router("", api_attachments.router)


_mount_parts()
