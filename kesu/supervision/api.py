"""Thin django-ninja endpoints of supervision (S4, S5.1, S6.10, S6.11, R1.12a).
Sampling and checks are in api_sampling.py, the register in api_registers.py.
Every read goes through a scoped selector: out of scope is 404."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from . import present
from .access import company_get_for, require_figures
from .api_registers import router as registers_router
from .api_sampling import router as sampling_router
from .periods import period_make
from .schemas import (
    Error,
    FeedOut,
    FigureOut,
    NoticeIn,
    NoticeOut,
    PeriodQuery,
    RectificationIn,
    RectificationOut,
    ReminderOut,
    TextIn,
)
from .selectors.feed import supervision_feed_for
from .selectors.figures import department_figures
from .selectors.notices import public_notice_get_for, public_notice_list_for
from .selectors.registers import rectification_get_for, rectification_list_for
from .selectors.reminders import supervision_reminders_for
from .services import notices, rectification

router = Router()
router.add_router("", sampling_router)
router.add_router("", registers_router)

ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@router.get("/figures", response={200: list[FigureOut], **ERRORS})
def figures(request: HttpRequest, q: Query[PeriodQuery]):
    """S4: per department of a company in your scope (yours by default) and
    period (this month by default): cases, on-time answers, returns, breaches."""
    company = company_get_for(request.user, pk=q.company)
    require_figures(request.user, company)
    rows = department_figures(companies=[company], period=period_make(q.start, q.end))
    return [f.as_dict() for f in rows]


@router.get("/feed", response={200: FeedOut, **ERRORS})
def feed(request: HttpRequest, q: Query[PeriodQuery]):
    """S4: the supervision feed for the management office of a company."""
    company = company_get_for(request.user, pk=q.company)
    data = supervision_feed_for(
        request.user, company=company, period=period_make(q.start, q.end)
    )
    return {
        "company": present.ref(company),
        "start": data["period"].start,
        "end": data["period"].end,
        "totals": data["totals"],
        "figures": [f.as_dict() for f in data["figures"]],
        "notices": [present.notice(n) for n in data["notices"]],
        "rectifications": [present.rectification(r) for r in data["rectifications"]],
    }


@router.get("/reminders", response={200: list[ReminderOut], **ERRORS})
def reminders(request: HttpRequest):
    """S4: your pending supervision work (the workbench shows it too)."""
    return [r.__dict__ for r in supervision_reminders_for(request.user)]


@router.get("/notices", response={200: list[NoticeOut], **ERRORS})
def notice_list(request: HttpRequest, status: str = ""):
    rows = public_notice_list_for(request.user, status=status).prefetch_related(
        "complaints"
    )[:200]
    return [present.notice(n) for n in rows]


@router.post("/notices", response={201: NoticeOut, **ERRORS})
def notice_draft(request: HttpRequest, data: NoticeIn):
    """S4: draft a public notice naming a department, with cases as evidence."""
    notice = notices.public_notice_draft(
        user=request.user,
        department_id=data.department,
        title=data.title,
        body=data.body,
        complaint_ids=data.complaints,
    )
    return Status(201, present.notice(notice))


@router.get("/notices/{int:notice_id}", response={200: NoticeOut, **ERRORS})
def notice_detail(request: HttpRequest, notice_id: int):
    return present.notice(public_notice_get_for(request.user, pk=notice_id))


@router.post("/notices/{int:notice_id}/publish", response={200: NoticeOut, **ERRORS})
def notice_publish(request: HttpRequest, notice_id: int):
    """S4: publish to the company's scope, copy the parent's customer service."""
    notice = public_notice_get_for(request.user, pk=notice_id)
    return present.notice(
        notices.public_notice_publish(user=request.user, notice=notice)
    )


@router.get("/rectifications", response={200: list[RectificationOut], **ERRORS})
def rectification_list(request: HttpRequest, status: str = "", overdue: bool = False):
    rows = rectification_list_for(request.user, status=status, overdue=overdue)
    return [present.rectification(r) for r in rows.prefetch_related("complaints")[:500]]


@router.post("/rectifications", response={201: RectificationOut, **ERRORS})
def rectification_open(request: HttpRequest, data: RectificationIn):
    """R1.12a: open a rectification item from a liable case or a cause cluster."""
    item = rectification.rectification_open(
        user=request.user,
        department_id=data.department,
        complaint_ids=data.complaints,
        owner_id=data.owner,
        action=data.action,
        due_date=data.due_date,
    )
    return Status(201, present.rectification(item))


@router.get("/rectifications/{int:item_id}", response={200: RectificationOut, **ERRORS})
def rectification_detail(request: HttpRequest, item_id: int):
    return present.rectification(rectification_get_for(request.user, pk=item_id))


@router.post(
    "/rectifications/{int:item_id}/report", response={200: RectificationOut, **ERRORS}
)
def rectification_report(request: HttpRequest, item_id: int, data: TextIn):
    item = rectification_get_for(request.user, pk=item_id)
    return present.rectification(
        rectification.rectification_report_done(
            user=request.user, item=item, report=data.text
        )
    )


@router.post(
    "/rectifications/{int:item_id}/close", response={200: RectificationOut, **ERRORS}
)
def rectification_close(request: HttpRequest, item_id: int, data: TextIn):
    item = rectification_get_for(request.user, pk=item_id)
    return present.rectification(
        rectification.rectification_close(user=request.user, item=item, note=data.text)
    )


@router.post(
    "/rectifications/{int:item_id}/return", response={200: RectificationOut, **ERRORS}
)
def rectification_return(request: HttpRequest, item_id: int, data: TextIn):
    item = rectification_get_for(request.user, pk=item_id)
    return present.rectification(
        rectification.rectification_return(user=request.user, item=item, note=data.text)
    )
