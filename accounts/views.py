from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.selectors import home_panels


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def home(request):
    user: User = request.user
    context = {"panels": home_panels(user)}
    return render(request, "accounts/home.html", context)
