"""Pages of the second factor: bind an authenticator, verify a session, 「账号安全」."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import user_has_device

from accounts import policy, services
from accounts.qr import qr_svg
from accounts.selectors import two_factor_state
from accounts.two_factor_forms import EnrolForm, VerifyForm

CODES_SESSION_KEY = "accounts_new_recovery_codes"
NEXT_SESSION_KEY = "accounts_after_recovery_codes"


def _next_url(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def show_code(code: str) -> str:
    """Recovery codes are shown as two groups of four (``abcd-efgh``); typed either way."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def _keep_codes_for_showing(request, codes, after):
    request.session[CODES_SESSION_KEY] = [show_code(c) for c in codes]
    request.session[NEXT_SESSION_KEY] = after


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def enrol(request):
    user = request.user
    if not policy.may_enrol(user):
        messages.info(request, _("您的角色无需双因素认证，不用绑定身份验证器。"))
        return redirect("accounts:security")
    if user_has_device(user, confirmed=True):
        if not user.is_verified():
            return redirect(reverse("accounts:two_factor_verify") + f"?{request.GET.urlencode()}")
        messages.info(
            request, _("您已绑定身份验证器；如需更换，请联系人社局管理员解除后重新绑定。")
        )
        return redirect("accounts:security")
    device = services.authenticator_for_enrolment(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enrol(
                request=request, user=user, token=form.cleaned_data["code"]
            )
        except services.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            _keep_codes_for_showing(request, codes, _next_url(request))
            messages.success(request, _("双因素认证已开启：身份验证器已绑定，本次登录已通过验证。"))
            return redirect("accounts:recovery_codes")
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr": qr_svg(device.config_url, title=_("用身份验证器扫描此二维码")),
            "secret": _grouped(secret),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": policy.enrolment_required(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def verify(request):
    user = request.user
    if not policy.role_uses_two_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect(reverse("accounts:two_factor_enrol") + f"?{request.GET.urlencode()}")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.two_factor_verify(
                request=request, user=user, token=form.cleaned_data["code"]
            )
        except services.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            if verified.by_recovery_code:
                messages.warning(
                    request,
                    _(
                        "已用恢复码通过验证，该恢复码已作废，还剩 %(left)s 个。"
                        "若身份验证器已遗失，请在「账号安全」重新生成恢复码，并联系管理员重新绑定。"
                    )
                    % {"left": verified.recovery_codes_left},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@never_cache
@require_GET
@login_required
def recovery_codes(request):
    """The new recovery codes, shown once: they leave the session as the page is made."""
    codes = request.session.pop(CODES_SESSION_KEY, None)
    after = request.session.pop(NEXT_SESSION_KEY, None) or reverse("home")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "after": after})


@never_cache
@require_GET
@login_required
def security(request):
    return render(request, "accounts/security.html", {"state": two_factor_state(request.user)})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def recovery_codes_regenerate(request):
    state = two_factor_state(request.user)
    if not state.enrolled:
        messages.info(request, _("您还没有绑定身份验证器，没有恢复码可以重新生成。"))
        return redirect("accounts:security")
    if request.method == "POST":
        codes = services.recovery_codes_regenerate(request=request, user=request.user)
        _keep_codes_for_showing(request, codes, reverse("accounts:security"))
        messages.success(
            request, _("已重新生成 %(n)s 个恢复码，原有的恢复码已全部作废。") % {"n": len(codes)}
        )
        return redirect("accounts:recovery_codes")
    return render(request, "accounts/recovery_codes_regenerate.html", {"state": state})
