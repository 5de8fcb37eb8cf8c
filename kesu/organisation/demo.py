"""The demo company (issue 2 item 6): head office, three provinces with
different centralised businesses, their cities, every department kind, and
people in every role. Loaded through the services, so it is built exactly
as an administrator would build it; idempotent."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from kesu.accounts.models import User
from kesu.accounts.roles import Role
from kesu.accounts.services import user_create, user_set_roles
from kesu.organisation.models import Company, Level
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.services import company_create, department_ensure

DEMO_PASSWORD = "Kesu-Demo-2026!"  # 15 chars, 4 classes (A2)

# (code, name, parent code, centralised businesses)
COMPANIES = [
    ("HO", "总公司", None, []),
    ("GD", "广东分公司", "HO", [K.UNDERWRITING, K.CLAIMS]),
    ("GDGZ", "广州分公司", "GD", []),
    ("GDSZ", "深圳分公司", "GD", []),
    ("GDFS", "佛山分公司", "GD", []),
    ("JS", "江苏分公司", "HO", []),
    ("JSNJ", "南京分公司", "JS", []),
    ("JSSZ", "苏州分公司", "JS", []),
    ("SC", "四川分公司", "HO", [K.CLAIMS]),
    ("SCCD", "成都分公司", "SC", []),
    ("SCMY", "绵阳分公司", "SC", []),
]

R = Role
# (username, full name, company code, department kind, roles)
PEOPLE = [
    ("zhoujianguo", "周建国", "HO", K.CUSTOMER_SERVICE, [R.CS_HEAD, R.HANDLER]),
    ("sunli", "孙丽", "HO", K.CUSTOMER_SERVICE, [R.HANDLER, R.CLERK]),
    ("qianweimin", "钱卫民", "HO", K.MANAGEMENT_OFFICE, [R.MANAGEMENT]),
    ("fengyaqin", "冯雅琴", "HO", K.LEGAL_COMPLIANCE, [R.COMMITTEE_MEMBER]),
    ("linzhiyuan", "林志远", "HO", K.OPERATIONS, [R.SYSTEM_ADMIN]),
    ("hanxue", "韩雪", "HO", K.OPERATIONS, [R.SECURITY_ADMIN]),
    ("caomin", "曹敏", "HO", K.LEGAL_COMPLIANCE, [R.AUDIT_ADMIN]),
    ("chenhaiyan", "陈海燕", "GD", K.CUSTOMER_SERVICE, [R.CS_HEAD, R.COMMITTEE_MEMBER]),
    ("liuyang", "刘洋", "GD", K.CUSTOMER_SERVICE, [R.HANDLER]),
    ("wuqiang", "吴强", "GD", K.CLAIMS, [R.COORDINATOR]),
    ("zhengli", "郑莉", "GD", K.UNDERWRITING, [R.COORDINATOR]),
    ("huangwei", "黄伟", "GD", K.CLAIMS, [R.DEPT_HEAD]),
    (
        "heguoqing",
        "何国庆",
        "GD",
        K.MANAGEMENT_OFFICE,
        [R.MANAGEMENT, R.COMMITTEE_MEMBER],
    ),
    ("lina", "李娜", "GDGZ", K.CUSTOMER_SERVICE, [R.CLERK]),
    ("wangfang", "王芳", "GDGZ", K.CUSTOMER_SERVICE, [R.HANDLER]),
    ("zhaolei", "赵磊", "GDGZ", K.CUSTOMER_SERVICE, [R.CS_HEAD]),
    ("zhengxiaodong", "郑晓东", "GDGZ", K.INDIVIDUAL_SALES, [R.COORDINATOR]),
    ("xuming", "徐明", "GDGZ", K.BANCASSURANCE, [R.COORDINATOR]),
    ("yangjing", "杨静", "GDSZ", K.CUSTOMER_SERVICE, [R.CLERK, R.HANDLER]),
    ("zhuhong", "朱红", "GDSZ", K.POLICY_SERVICE, [R.COORDINATOR]),
    ("luojun", "罗军", "GDFS", K.CUSTOMER_SERVICE, [R.CLERK, R.HANDLER]),
    ("jiangtao", "蒋涛", "JS", K.CUSTOMER_SERVICE, [R.CS_HEAD, R.HANDLER]),
    ("shenyan", "沈艳", "JS", K.GROUP_SALES, [R.COORDINATOR]),
    ("gaofeng", "高峰", "JSNJ", K.CUSTOMER_SERVICE, [R.CLERK, R.HANDLER, R.CS_HEAD]),
    ("maxiaoyu", "马晓宇", "JSNJ", K.CLAIMS, [R.COORDINATOR]),
    ("songjie", "宋杰", "JSNJ", K.UNDERWRITING, [R.COORDINATOR]),
    ("tangli", "唐丽", "JSSZ", K.CUSTOMER_SERVICE, [R.CLERK, R.HANDLER]),
    ("dengyu", "邓宇", "SC", K.CUSTOMER_SERVICE, [R.CS_HEAD, R.HANDLER]),
    ("xiemei", "谢梅", "SC", K.CLAIMS, [R.COORDINATOR]),
    ("fanbin", "范斌", "SCCD", K.CUSTOMER_SERVICE, [R.CLERK, R.HANDLER, R.CS_HEAD]),
    ("pengli", "彭莉", "SCCD", K.UNDERWRITING, [R.COORDINATOR]),
    ("yuanhui", "袁辉", "SCCD", K.INDIVIDUAL_SALES, [R.DEPT_HEAD]),
    ("dufang", "杜芳", "SCMY", K.CUSTOMER_SERVICE, [R.CLERK, R.HANDLER]),
]

# DESIGN §1: the management office is 总裁室 at head office.
DEPARTMENT_NAMES = {("HO", K.MANAGEMENT_OFFICE): "总裁室"}


def load_companies() -> dict[str, Company]:
    companies: dict[str, Company] = {}
    for code, name, parent_code, centralised in COMPANIES:
        company = Company.objects.filter(code=code).first()
        if company is None:
            parent = companies[parent_code] if parent_code else None
            company = company_create(
                code=code,
                name=name,
                parent=parent,
                centralised=centralised,
                level=Level.HEAD_OFFICE if parent is None else parent.level + 1,
            )
        companies[code] = company
        for kind in K.values:
            department_ensure(
                company=company, kind=kind, name=DEPARTMENT_NAMES.get((code, kind))
            )
    return companies


def load_people(companies: dict[str, Company]) -> list[User]:
    """Missing people are created with the demo password; existing ones are
    left as they are (a demo user may have changed their password)."""
    people = []
    hashed = make_password(DEMO_PASSWORD)
    for username, full_name, code, kind, roles in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            company = companies[code]
            user = user_create(
                actor=None,
                username=username,
                full_name=full_name,
                company=company,
                department=department_ensure(company=company, kind=kind),
                email=f"{username}@demo.kesu.invalid",
                # One shared demo password: hashed once (Argon2 is slow on purpose).
                password_hash=hashed,
            )
            user_set_roles(user=user, roles=set(roles))
        people.append(user)
    return people
