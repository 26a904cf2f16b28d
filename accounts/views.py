"""The accounts pages that are not Django's own: the password change (also the page a person
who must change their password is held on) and the session warning's keep-alive."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy, services, session_clock


class PasswordChangeView(auth_views.PasswordChangeView):
    """The person's own password change; also the one page open to someone who must
    change their password first (``PasswordChangeRequiredMiddleware``)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_reason"] = policy.password_change_message(
            policy.password_change_reason(self.request.user)
        )
        return context

    def form_valid(self, form):
        services.password_change(
            user=form.user, password=form.cleaned_data["new_password1"], request=self.request
        )
        # Keep this session signed in; every other session of the account ends, as its
        # stored password hash no longer matches.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return HttpResponseRedirect(self.get_success_url())


@require_POST
@login_required
def keep_alive(request):
    """「继续使用」 on the session warning: the request itself counts as activity (the
    session middleware noted it); the answer tells the page how long it now has."""
    idle, absolute = session_clock.seconds_left(request.session, session_clock.now())
    return JsonResponse({"idle_seconds": idle, "absolute_seconds": absolute})
