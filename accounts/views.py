from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from accounts import session_clock


@require_POST
@login_required
def keep_alive(request):
    """「继续使用」 on the session warning: the request itself counts as activity (the
    session middleware noted it); the answer tells the page how long it now has."""
    idle, absolute = session_clock.seconds_left(request.session, session_clock.now())
    return JsonResponse({"idle_seconds": idle, "absolute_seconds": absolute})
