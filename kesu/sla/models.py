"""The working-day calendar's own data (DESIGN §4): overrides entered by an
administrator when the State Council publishes a year's schedule, which win
over `chinesecalendar`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One date's status from an official notice: a public holiday or a
    (make-up) working day. Overrides win over chinesecalendar."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    name = models.CharField(
        _("名称"), max_length=50, blank=True, help_text=_("例如：春节、国庆节调休上班")
    )
    source_notice = models.TextField(
        _("依据通知"),
        blank=True,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose whole official schedule has been entered as overrides.
    Every date of such a year is known: the overrides are the exceptions and
    Monday–Friday is the rule. Without this row only the override dates
    themselves are known (DESIGN §4)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source_notice = models.TextField(_("依据通知"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("已录入的年度安排")
        verbose_name_plural = _("已录入的年度安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
