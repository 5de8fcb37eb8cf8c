"""Login and second-factor forms (A3, A5)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

# A3: one message for an unknown user, a wrong password, an inactive account
# and a locked account, so none of them can be told apart.
GENERIC_LOGIN_ERROR = _("用户名或密码错误。连续多次失败后账户将被暂时锁定。")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": GENERIC_LOGIN_ERROR,
        "inactive": GENERIC_LOGIN_ERROR,
    }

    def get_invalid_login_error(self):
        return forms.ValidationError(GENERIC_LOGIN_ERROR, code="invalid_login")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("验证码为 6 位数字"))
        return token
