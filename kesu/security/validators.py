"""Password rules (A2). Length ≥ 12 and Django's list of 20,000 common
passwords are Django's own validators (settings). These add the rules the
level-3 audit checks: three of four character classes and no reuse of the
last five passwords. Each is switchable in settings (A2 conflict with
ASVS 5.0: see security.md open point 1)."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    """At least `min_classes` of: upper case, lower case, digits, others."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_too_few_classes",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


class PasswordHistoryValidator:
    """Refuses the last `count` passwords; records every new one."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordRecord

        recent = PasswordRecord.objects.filter(user=user).order_by("-set_at")
        for encoded in recent.values_list("encoded", flat=True)[: self.count]:
            if check_password(password, encoded):
                raise ValidationError(
                    _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.count},
                    code="password_reused",
                )

    def password_changed(self, password, user=None):
        """Called by User.save() after set_password(): remember the hash."""
        if user is None or user.pk is None or not user.password:
            return
        from .models import PasswordRecord

        PasswordRecord.objects.create(
            user=user, encoded=user.password, set_at=timezone.now()
        )

    def get_help_text(self):
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.count}
