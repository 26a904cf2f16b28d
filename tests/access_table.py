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
CYCLE = lambda w: [w.cycle.pk]  # noqa: E731
SHEET_A = lambda w: [w.sheet_a.pk]  # noqa: E731
RESULT_A = lambda w: [w.cycle.pk, w.cycle.results.get(unit=w.unit_a).pk]  # noqa: E731
FIRST_ITEM = lambda w: [w.cycle.pk, w.cycle.rubric.items.order_by("id").first().pk]  # noqa: E731
ADMIN_ONLY = {
    "admin": 200, "reviewer_a": 403, "reviewer_b": 403,
    "coordinator_a": 403, "coordinator_b": 403, "viewer": 403, "anonymous": "login",
}
SHEET_A_SEEN = dict(
    admin=200, reviewer_a=200, reviewer_b=404, coordinator_a=200, coordinator_b=404, viewer=200
)

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
    # Assessments. The world's cycle is open for self-assessment; sheet A is a draft.
    "assessments:cycle_list": (NO_ARGS, "get", everyone(200)),
    "assessments:cycle_create": (NO_ARGS, "get", ADMIN_ONLY),
    "assessments:cycle_detail": (CYCLE, "get", everyone(200)),
    "assessments:cycle_action": (CYCLE, "post", {**ADMIN_ONLY, "admin": 302}),
    "assessments:results": (
        CYCLE,
        "get",
        scoped(
            admin=200, reviewer_a=200, reviewer_b=200,
            coordinator_a=404, coordinator_b=404, viewer=404,
        ),
    ),
    "assessments:result_confirm": (RESULT_A, "post", {**ADMIN_ONLY, "admin": 302}),
    "assessments:item_grid": (
        FIRST_ITEM,
        "get",
        scoped(
            admin=200, reviewer_a=200, reviewer_b=200,
            coordinator_a=404, coordinator_b=404, viewer=404,
        ),
    ),
    "assessments:results_export": (CYCLE, "get", ADMIN_ONLY),
    "assessments:score_workbook": (
        CYCLE,
        "get",
        scoped(
            admin=200, reviewer_a=200, reviewer_b=200,
            coordinator_a=403, coordinator_b=403, viewer=403,
        ),
    ),
    "assessments:score_import": (
        CYCLE,
        "get",
        scoped(
            admin=200, reviewer_a=200, reviewer_b=200,
            coordinator_a=403, coordinator_b=403, viewer=403,
        ),
    ),
    "assessments:evidence_upload": (
        SHEET_A,
        "post",
        scoped(
            admin=302, reviewer_a=403, reviewer_b=404,
            coordinator_a=302, coordinator_b=404, viewer=403,
        ),
        {"side": "self", "item": "6"},
    ),
    "assessments:evidence_download": (
        lambda w: [w.sheet_a.pk, w.evidence_a.pk], "get", scoped(**SHEET_A_SEEN)
    ),
    "assessments:sheet_detail": (SHEET_A, "get", scoped(**SHEET_A_SEEN)),
    "assessments:sheet_history": (SHEET_A, "get", scoped(**SHEET_A_SEEN)),
    "assessments:sheet_self": (
        SHEET_A,
        "get",
        scoped(
            admin=200, reviewer_a=403, reviewer_b=404,
            coordinator_a=200, coordinator_b=404, viewer=403,
        ),
    ),
    # A draft cannot be reviewed yet: those who may review are sent back to the sheet.
    "assessments:sheet_review": (
        SHEET_A,
        "get",
        scoped(
            admin=302, reviewer_a=302, reviewer_b=404,
            coordinator_a=403, coordinator_b=404, viewer=403,
        ),
    ),
    "assessments:sheet_action": (
        SHEET_A,
        "post",
        scoped(
            admin=302, reviewer_a=403, reviewer_b=404,
            coordinator_a=302, coordinator_b=404, viewer=403,
        ),
        {"action": "submit"},
    ),
}

# Django's admin guards itself (staff only); its index is checked separately.
EXCLUDED_NAMESPACES = ("admin",)
