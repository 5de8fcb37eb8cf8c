"""The organisation tree (DESIGN §1, S4–S7): companies and their departments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.choicelabels import ChoiceLabels


class Level(models.IntegerChoices):
    HEAD_OFFICE = 1, _("总公司")
    PROVINCE = 2, _("省级分公司")
    CITY = 3, _("地市分公司")
    COUNTY = 4, _("县支公司")


class DepartmentKind(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("客户服务")
    UNDERWRITING = "underwriting", _("核保")
    CLAIMS = "claims", _("核赔/理赔")
    POLICY_SERVICE = "policy_service", _("保全")
    RENEWAL = "renewal", _("续期收费")
    INDIVIDUAL_SALES = "individual_sales", _("个险销售")
    BANCASSURANCE = "bancassurance", _("银保")
    GROUP_SALES = "group_sales", _("团险")
    CALL_CENTRE = "call_centre", _("电话中心")
    OPERATIONS = "operations", _("运营")
    FINANCE = "finance", _("财务")
    LEGAL_COMPLIANCE = "legal_compliance", _("法律合规")
    MANAGEMENT_OFFICE = "management_office", _("总经理室")


# Businesses a province may centralise (S6.5, S7.5).
CENTRALISABLE = (
    DepartmentKind.UNDERWRITING,
    DepartmentKind.CLAIMS,
    DepartmentKind.POLICY_SERVICE,
    DepartmentKind.RENEWAL,
)


class Company(ChoiceLabels, models.Model):
    """机构. `path` is a materialised path of codes ("HO/GD/GZ/") so that
    "this company and everything below it" is one indexed prefix query."""

    code = models.CharField(_("机构代码"), max_length=20, unique=True)
    name = models.CharField(_("机构名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    # S6.5/S7.5: businesses centralised at this province (department kinds).
    centralised = models.JSONField(_("省级集中业务"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_head_office(self) -> bool:
        return self.level == Level.HEAD_OFFICE

    def is_within(self, other: "Company") -> bool:
        """True if self is `other` or below it."""
        return self.path.startswith(other.path)

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]


class Department(ChoiceLabels, models.Model):
    """部门 of a company, of one kind."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    kind = models.CharField(
        _("部门类型"), max_length=32, choices=DepartmentKind.choices
    )
    name = models.CharField(_("部门名称"), max_length=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["company__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind"], name="one_department_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company.name}·{self.name}"
