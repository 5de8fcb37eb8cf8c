"""Roles (DESIGN §5) and what each may do, as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("受理员")
    HANDLER = "handler", _("投诉处理人员")
    CS_HEAD = "cs_head", _("客服负责人")
    COORDINATOR = "coordinator", _("协调员")
    DEPT_HEAD = "dept_head", _("部门负责人")
    COMMITTEE_MEMBER = "committee_member", _("协调委员会委员")
    MANAGEMENT = "management", _("总经理室")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三权分立 (B1): a user holds at most one of these.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Roles whose members work on complaints of their company's scope.
CASE_ROLES = frozenset(
    {
        Role.CLERK,
        Role.HANDLER,
        Role.CS_HEAD,
        Role.COORDINATOR,
        Role.DEPT_HEAD,
        Role.COMMITTEE_MEMBER,
        Role.MANAGEMENT,
    }
)
# Roles that see only cases involving their own department (DESIGN §5).
DEPARTMENT_ROLES = frozenset({Role.COORDINATOR, Role.DEPT_HEAD})


class Perm(models.TextChoices):
    """Permissions checked by access.can(); services name them."""

    COMPLAINT_VIEW = "complaint.view"
    COMPLAINT_REGISTER = "complaint.register"
    COMPLAINT_HANDLE = "complaint.handle"  # opinion, dispatch, review, reply, close…
    COMPLAINT_APPROVE = "complaint.approve"  # extensions, closures
    INVESTIGATION_ANSWER = "investigation.answer"
    PI_REVEAL = "pi.reveal"
    SUPERVISION_MANAGE = "supervision.manage"  # notices, sampling, registers
    COMMITTEE_ACT = "committee.act"
    REPORT_VIEW = "report.view"
    ORG_ADMIN = "org.admin"  # companies, departments, users, calendar
    SECURITY_ADMIN = "security.admin"  # policies, locks, role grants
    AUDIT_READ = "audit.read"


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset(
        {Perm.COMPLAINT_VIEW, Perm.COMPLAINT_REGISTER, Perm.PI_REVEAL}
    ),
    Role.HANDLER: frozenset(
        {
            Perm.COMPLAINT_VIEW,
            Perm.COMPLAINT_REGISTER,
            Perm.COMPLAINT_HANDLE,
            Perm.PI_REVEAL,
            Perm.REPORT_VIEW,
        }
    ),
    Role.CS_HEAD: frozenset(
        {
            Perm.COMPLAINT_VIEW,
            Perm.COMPLAINT_REGISTER,
            Perm.COMPLAINT_HANDLE,
            Perm.COMPLAINT_APPROVE,
            Perm.PI_REVEAL,
            Perm.SUPERVISION_MANAGE,
            Perm.REPORT_VIEW,
        }
    ),
    Role.COORDINATOR: frozenset({Perm.COMPLAINT_VIEW, Perm.INVESTIGATION_ANSWER}),
    Role.DEPT_HEAD: frozenset({Perm.COMPLAINT_VIEW, Perm.REPORT_VIEW}),
    Role.COMMITTEE_MEMBER: frozenset(
        {
            Perm.COMPLAINT_VIEW,
            Perm.COMMITTEE_ACT,
            Perm.REPORT_VIEW,
        }
    ),
    Role.MANAGEMENT: frozenset({Perm.COMPLAINT_VIEW, Perm.REPORT_VIEW}),
    Role.SYSTEM_ADMIN: frozenset({Perm.ORG_ADMIN}),
    Role.SECURITY_ADMIN: frozenset({Perm.SECURITY_ADMIN}),
    Role.AUDIT_ADMIN: frozenset({Perm.AUDIT_READ}),
}
