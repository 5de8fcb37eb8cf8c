"""What every action endpoint shares: the optimistic-concurrency version
(`If-Match` header or `version` in the body → 409 when someone else changed
the case first, G1), the small result of an action, and resolving ids in
the body to objects (a wrong id is a 400 naming the field)."""

import re

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from kesu.accounts.models import User
from kesu.errors import DomainValidationError
from kesu.organisation.models import Company, Department

from .access import complaint_get_for, complaint_in_scope
from .lifecycle import allowed_actions
from .models import Complaint
from .schemas import Error, Input

ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
NOTE = Field("", max_length=5000)
TEXT = Field(min_length=1, max_length=20000)


class ActionIn(Input):
    version: int | None = Field(
        None, ge=1, description="the case version you saw; or send `If-Match`")


class NoteIn(ActionIn):
    note: str = NOTE


class ReasonIn(ActionIn):
    reason: str = Field(min_length=1, max_length=5000)


class ActionResult(Schema):
    id: int
    number: str
    state: str
    state_label: str
    version: int
    allowed_actions: list[str]
    investigation_id: int | None = None
    referral_id: int | None = None
    extension_id: int | None = None
    new_case_id: int | None = None


_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def expected_version(request, body: ActionIn) -> int | None:
    """`If-Match: "3"` (or `3`) wins over `version` in the body."""
    header = request.headers.get("If-Match")
    if header:
        match = _IF_MATCH.match(header)
        if not match:
            raise DomainValidationError(_("If-Match 应为案件版本号，例如 \"3\""),
                                        field="If-Match")
        return int(match.group(1))
    return body.version


def case_for(request, complaint_id: int) -> Complaint:
    """404 before anything else for a case outside the user's scope."""
    return complaint_get_for(request.user, pk=complaint_id)


def result(request, complaint: Complaint, **extra) -> dict:
    """The case's new state and version; the actions offered only while the
    user still sees it (a referral up for handling may move it away)."""
    complaint.refresh_from_db()
    visible = complaint_in_scope(request.user, complaint.pk)
    return {
        "id": complaint.pk, "number": complaint.number, "state": complaint.state,
        "state_label": str(complaint.get_state_display()),
        "version": complaint.version,
        "allowed_actions": allowed_actions(request.user, complaint) if visible else [],
        **extra,
    }


def company_or_400(pk: int, field: str) -> Company:
    company = Company.objects.filter(pk=pk, is_active=True).first()
    if company is None:
        raise DomainValidationError(_("机构不存在"), field=field)
    return company


def department_or_400(pk: int, field: str = "department_id") -> Department:
    department = Department.objects.select_related("company").filter(pk=pk).first()
    if department is None:
        raise DomainValidationError(_("部门不存在"), field=field)
    return department


def user_or_400(pk: int, field: str) -> User:
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise DomainValidationError(_("人员不存在"), field=field)
    return user
