from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.panels import home_panels


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def home(request):
    return render(request, "portal/home.html", {"panels": home_panels(request.user)})
