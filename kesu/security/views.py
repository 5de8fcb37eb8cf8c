"""Login in two steps (A5), TOTP enrolment with a server-side QR code, the
forced password change (A2) and the lockout page (A3).

Step 1 checks the password; for a user who needs a second factor it does
NOT log in: it keeps a short-lived pre-authentication in the session and
asks for the code. Only step 2 calls `login()`, so a password alone never
gives a session (A5)."""

import time

import django_otp
from django.conf import settings
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from kesu.accounts.models import User
from kesu.audit.models import Result
from kesu.audit.services import audit_record

from . import services, twofactor
from .forms import LoginForm, TokenForm
from .middleware import PASSWORD_EXPIRED

PRE_AUTH = "kesu_pre_auth"
PRE_AUTH_SECONDS = 300


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if services.two_factor_required(user):
            self.request.session.cycle_key()
            self.request.session[PRE_AUTH] = {
                "uid": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_redirect_url(),
            }
            return redirect("security:two_factor")
        complete_login(self.request, user, user.backend)
        return redirect(self.get_success_url())


def complete_login(request, user, backend, device=None) -> None:
    login(request, user, backend=backend)  # cycles the session key (A4)
    if device is not None:
        django_otp.login(request, device)
    if services.password_expired(user):
        request.session[PASSWORD_EXPIRED] = True


def _pending_user(request) -> tuple[User | None, dict]:
    pre = request.session.get(PRE_AUTH) or {}
    if not pre or time.time() - pre.get("at", 0) > PRE_AUTH_SECONDS:
        return None, {}
    return User.objects.filter(pk=pre["uid"], is_active=True).first(), pre


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def two_factor(request):
    """Step 2: the TOTP code, or enrolment when the user has no device yet."""
    user, pre = _pending_user(request)
    if user is None:
        request.session.pop(PRE_AUTH, None)
        return redirect(settings.LOGIN_URL)
    device = twofactor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = twofactor.enrolment_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(device, form.cleaned_data["token"]):
            if enrolling:
                twofactor.confirm(device)
                audit_record(action="auth.2fa_enrolled", request=request, user=user)
            del request.session[PRE_AUTH]
            complete_login(request, user, pre["backend"], device)
            return redirect(_safe_next(request, pre.get("next")))
        audit_record(
            action="auth.2fa_failed",
            request=request,
            username=user.username,
            result=Result.FAILURE,
        )
        form.add_error("token", _("验证码错误或已使用，请输入新的验证码"))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context.update(qr_svg=twofactor.qr_svg(device), secret=twofactor.secret(device))
    return render(request, "security/two_factor.html", context)


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "security/password_change.html"
    success_url = reverse_lazy(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        self.request.session.pop(PASSWORD_EXPIRED, None)
        services.user_sessions_end(
            user=form.user, keep=self.request.session.session_key
        )
        audit_record(
            action="auth.password_changed", request=self.request, user=form.user
        )
        return response


password_change = login_required(PasswordChangeView.as_view())
