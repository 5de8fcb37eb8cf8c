"""Code tables (DESIGN §7, R3.1–R3.5): channels, product types, sales
channels, business categories, causes, responsible links and decline grounds
are data, loaded from CSV files, so GB/T 43568 Annex A can be loaded later."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeTable(models.TextChoices):
    CHANNEL = "channel", _("投诉渠道")
    PRODUCT_TYPE = "product_type", _("险种")
    SALES_CHANNEL = "sales_channel", _("销售渠道")
    BUSINESS_CATEGORY = "business_category", _("业务类别")
    CAUSE = "cause", _("原因归类")
    RESPONSIBLE_LINK = "responsible_link", _("责任环节")
    DECLINE_GROUND = "decline_ground", _("不予受理理由")


class CodeEntry(models.Model):
    """One code of one table. `group` is the regulator's cause group for
    causes (R1.18, R2.8), the department kind for business categories."""

    table = models.CharField(_("代码表"), max_length=32, choices=CodeTable.choices)
    code = models.CharField(_("代码"), max_length=32)
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    group = models.CharField(_("分组"), max_length=64, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("代码")
        verbose_name_plural = _("代码表")
        ordering = ["table", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "code"], name="unique_code_per_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table}:{self.code} {self.name_zh}"
