"""Who gets what on every named URL.

Each entry: URL name → (how to build its args from the world, method, expected answer
per persona). Answers: 200, 302 (a redirect that is not to the login page), "login"
(redirect to the login page), 403, 404, 405. A named URL missing here fails the suite.
"""

ALL = ("admin", "reviewer_a", "reviewer_b", "coordinator_a", "coordinator_b", "viewer")


def everyone(answer, anonymous="login"):
    return {**{p: answer for p in ALL}, "anonymous": anonymous}


def scoped(*, admin, reviewer_a, reviewer_b, coordinator_a, coordinator_b, viewer):
    return {
        "admin": admin,
        "reviewer_a": reviewer_a,
        "reviewer_b": reviewer_b,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "viewer": viewer,
        "anonymous": "login",
    }


NO_ARGS = lambda w: []  # noqa: E731
UNIT_A = lambda w: [w.unit_a.pk]  # noqa: E731

TABLE = {
    "home": (NO_ARGS, "get", everyone(200)),
    "healthz": (NO_ARGS, "get", everyone(200, anonymous=200)),
    "accounts:login": (NO_ARGS, "get", everyone(302, anonymous=200)),
    "accounts:logout": (NO_ARGS, "post", everyone(302, anonymous=302)),
    "accounts:password_change": (NO_ARGS, "get", everyone(200)),
    "accounts:password_change_done": (NO_ARGS, "get", everyone(200)),
    "targets:unit_list": (NO_ARGS, "get", everyone(200)),
    "targets:unit_detail": (
        UNIT_A,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=404,
            coordinator_a=200,
            coordinator_b=404,
            viewer=200,
        ),
    ),
    "targets:unit_edit": (
        UNIT_A,
        "get",
        scoped(
            admin=200,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=403,
            coordinator_b=404,
            viewer=403,
        ),
    ),
}

# Django's admin guards itself (staff only); its index is checked separately.
EXCLUDED_NAMESPACES = ("admin",)
