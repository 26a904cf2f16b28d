"""Who gets what on every named URL.

Each entry: URL name → (how to build its args from the world, method, expected answer
per persona). Answers: 200, 302 (a redirect that is not to the login page), "login"
(redirect to the login page), 403, 404, 405. A named URL missing here fails the suite.

The audit administrator (三员分立) opens the security log, home and their own account pages
only: everywhere else the answer is 403 unless an entry says otherwise.
"""

from tests.assessments.publicity_world import objection_a, publicised, result_a

ALL = ("admin", "reviewer_a", "reviewer_b", "coordinator_a", "coordinator_b", "viewer")


def everyone(answer, anonymous="login", auditor=403):
    return {**{p: answer for p in ALL}, "auditor": auditor, "anonymous": anonymous}


def scoped(*, admin, reviewer_a, reviewer_b, coordinator_a, coordinator_b, viewer, auditor=403):
    return {
        "admin": admin,
        "reviewer_a": reviewer_a,
        "reviewer_b": reviewer_b,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "viewer": viewer,
        "auditor": auditor,
        "anonymous": "login",
    }


NO_ARGS = lambda w: []  # noqa: E731
UNIT_A = lambda w: [w.unit_a.pk]  # noqa: E731
CYCLE = lambda w: [w.cycle.pk]  # noqa: E731
SHEET_A = lambda w: [w.sheet_a.pk]  # noqa: E731
RESULT_A = lambda w: [w.cycle.pk, w.cycle.results.get(unit=w.unit_a).pk]  # noqa: E731
FIRST_ITEM = lambda w: [w.cycle.pk, w.cycle.rubric.items.order_by("id").first().pk]  # noqa: E731
PUBLICISED = lambda w: [publicised(w).pk]  # noqa: E731
OBJECTION_A = lambda w: [objection_a(w).pk]  # noqa: E731
ADMIN_ONLY = {
    "admin": 200,
    "reviewer_a": 403,
    "reviewer_b": 403,
    "coordinator_a": 403,
    "coordinator_b": 403,
    "viewer": 403,
    "auditor": 403,
    "anonymous": "login",
}
SHEET_A_SEEN = dict(
    admin=200, reviewer_a=200, reviewer_b=404, coordinator_a=200, coordinator_b=404, viewer=200
)

TABLE = {
    "home": (NO_ARGS, "get", everyone(200, auditor=200)),
    "healthz": (NO_ARGS, "get", everyone(200, anonymous=200, auditor=200)),
    "accounts:login": (NO_ARGS, "get", everyone(302, anonymous=200, auditor=302)),
    "accounts:logout": (NO_ARGS, "post", everyone(302, anonymous=302, auditor=302)),
    "accounts:keep_alive": (NO_ARGS, "post", everyone(200, auditor=200)),
    "accounts:password_change": (NO_ARGS, "get", everyone(200, auditor=200)),
    "accounts:password_change_done": (NO_ARGS, "get", everyone(200, auditor=200)),
    # The security log: the audit administrator's, nobody else's (the admin neither).
    "audit:log": (NO_ARGS, "get", everyone(403, auditor=200)),
    "audit:export": (lambda w: ["xlsx"], "get", everyone(403, auditor=200)),
    # Two-factor pages. The admin and auditor personas have bound an authenticator and
    # passed it; the other personas' roles do not use the second factor, so enrolment and
    # verification send them on, and only those two have recovery codes to regenerate.
    "accounts:security": (NO_ARGS, "get", everyone(200, auditor=200)),
    "accounts:two_factor_enrol": (NO_ARGS, "get", everyone(302, auditor=302)),
    "accounts:two_factor_verify": (NO_ARGS, "get", everyone(302, auditor=302)),
    "accounts:recovery_codes": (NO_ARGS, "get", everyone(200, auditor=200)),
    "accounts:recovery_codes_regenerate": (
        NO_ARGS,
        "get",
        scoped(
            admin=200,
            reviewer_a=302,
            reviewer_b=302,
            coordinator_a=302,
            coordinator_b=302,
            viewer=302,
            auditor=200,
        ),
    ),
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
    "assessments:cycle_deadlines": (CYCLE, "get", ADMIN_ONLY),
    # Overdue sheets: administrators (every town) and reviewers (their own town's).
    "assessments:overdue": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=403,
            coordinator_b=403,
            viewer=403,
        ),
    ),
    # Extending one sheet's deadline is the bureau's.
    "assessments:deadline_extend": (
        SHEET_A,
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
    "assessments:results": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
    ),
    # Calibration across towns: the bureau's (the world's viewer would see it once the
    # results are published); town reviewers never, coordinators neither.
    "assessments:calibration": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=404,
            reviewer_b=404,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
    ),
    # 公布 and 公示 (tests.assessments.publicity_world). The world's cycle is not finalised:
    # the administrator is sent back to the cycle page with the reason.
    "assessments:publish": (CYCLE, "get", {**ADMIN_ONLY, "admin": 302}),
    "assessments:publicity": (PUBLICISED, "get", everyone(200)),
    "assessments:publicity_pdf": (PUBLICISED, "get", everyone(200)),
    # Unit A's result: its coordinator files; others who see the row are told why not.
    "assessments:objection_file": (
        lambda w: [publicised(w).pk, result_a(w).pk],
        "get",
        scoped(
            admin=403,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=200,
            coordinator_b=404,
            viewer=403,
        ),
    ),
    "assessments:objection_detail": (OBJECTION_A, "get", scoped(**SHEET_A_SEEN)),
    "assessments:objection_evidence": (OBJECTION_A, "get", scoped(**SHEET_A_SEEN)),
    # An empty answer shows the form again with what is missing.
    "assessments:objection_answer": (
        OBJECTION_A,
        "post",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=404,
            coordinator_a=403,
            coordinator_b=404,
            viewer=403,
        ),
    ),
    # The guarded steps' confirmation page, the quota decisions and a grade override.
    "assessments:cycle_close": (lambda w: [w.cycle.pk, "open_review"], "get", ADMIN_ONLY),
    "assessments:quota_decisions": (CYCLE, "get", ADMIN_ONLY),
    "assessments:grade_override": (RESULT_A, "get", ADMIN_ONLY),
    # The history of result versions is seen by whoever sees the results page; one unit's
    # history only within the person's units.
    "assessments:results_history": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
    ),
    "assessments:result_history": (
        RESULT_A,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=404,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
    ),
    # Against the previous cycle: whoever sees the results page.
    "assessments:results_compare": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
    ),
    # A unit's results across the years: whoever may see that unit's results (each cycle's
    # row only where its results are visible to them).
    "assessments:unit_years": (
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
    "assessments:item_grid": (
        FIRST_ITEM,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
    ),
    "assessments:results_export": (CYCLE, "post", {**ADMIN_ONLY, "admin": 302}),
    # An administrator's workbook covers both towns: the page asks to start a job.
    "assessments:score_workbook": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=403,
            coordinator_b=403,
            viewer=403,
        ),
    ),
    "assessments:score_import": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            coordinator_a=403,
            coordinator_b=403,
            viewer=403,
        ),
    ),
    "assessments:evidence_upload": (
        SHEET_A,
        "post",
        scoped(
            admin=302,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=302,
            coordinator_b=404,
            viewer=403,
        ),
        {"side": "self", "item": "6"},
    ),
    "assessments:evidence_download": (
        lambda w: [w.sheet_a.pk, w.evidence_a.pk],
        "get",
        scoped(**SHEET_A_SEEN),
    ),
    "assessments:sheet_pdf": (SHEET_A, "get", scoped(**SHEET_A_SEEN)),
    # A file is removed or replaced by a writer of the side it was posted for (self here).
    "assessments:evidence_remove": (
        lambda w: [w.sheet_a.pk, w.evidence_a.pk],
        "post",
        scoped(
            admin=302,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=302,
            coordinator_b=404,
            viewer=403,
        ),
        {"side": "self"},
    ),
    "assessments:evidence_replace": (
        lambda w: [w.sheet_a.pk, w.evidence_a.pk],
        "post",
        scoped(
            admin=302,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=302,
            coordinator_b=404,
            viewer=403,
        ),
        {"side": "self"},
    ),
    # The question before submitting: the self side's writers.
    "assessments:sheet_submit": (
        SHEET_A,
        "get",
        scoped(
            admin=200,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=200,
            coordinator_b=404,
            viewer=403,
        ),
    ),
    # 采纳自评 for the whole sheet: a draft cannot be reviewed yet, so reviewers are sent back.
    "assessments:sheet_adopt_review": (
        SHEET_A,
        "get",
        scoped(
            admin=302,
            reviewer_a=302,
            reviewer_b=404,
            coordinator_a=403,
            coordinator_b=404,
            viewer=403,
        ),
    ),
    "assessments:cycle_print": (
        CYCLE,
        "post",
        scoped(
            admin=302,
            reviewer_a=302,
            reviewer_b=403,
            coordinator_a=403,
            coordinator_b=403,
            viewer=403,
        ),
        lambda w: {"town": str(w.town_a.pk)},
    ),
    # Results are not published: reviewers print their own town's summary only.
    "assessments:summary_pdf": (
        CYCLE,
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=403,
            coordinator_a=404,
            coordinator_b=404,
            viewer=404,
        ),
        {"town": "湖塘镇"},
    ),
    # The world's cycle scores units: there is no coordinator registration form to print.
    "assessments:registration_pdf": (RESULT_A, "get", everyone(404)),
    "assessments:town_summary_pdf": (
        lambda w: [w.cycle.pk, w.town_a.pk],
        "get",
        scoped(
            admin=200,
            reviewer_a=200,
            reviewer_b=404,
            coordinator_a=404,
            coordinator_b=404,
            viewer=200,
        ),
    ),
    "assessments:sheet_detail": (SHEET_A, "get", scoped(**SHEET_A_SEEN)),
    "assessments:sheet_history": (SHEET_A, "get", scoped(**SHEET_A_SEEN)),
    "assessments:sheet_self": (
        SHEET_A,
        "get",
        scoped(
            admin=200,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=200,
            coordinator_b=404,
            viewer=403,
        ),
    ),
    # A draft cannot be reviewed yet: those who may review are sent back to the sheet.
    "assessments:sheet_review": (
        SHEET_A,
        "get",
        scoped(
            admin=302,
            reviewer_a=302,
            reviewer_b=404,
            coordinator_a=403,
            coordinator_b=404,
            viewer=403,
        ),
    ),
    "assessments:sheet_action": (
        SHEET_A,
        "post",
        scoped(
            admin=302,
            reviewer_a=403,
            reviewer_b=404,
            coordinator_a=302,
            coordinator_b=404,
            viewer=403,
        ),
        {"action": "submit"},
    ),
}


def _indicator(w):
    from targets.models import Indicator, TargetAllocation

    indicator, _ = Indicator.objects.get_or_create(name="社保扩面人数")
    TargetAllocation.objects.get_or_create(
        year=2024, indicator=indicator, unit=w.unit_a, defaults={"target": 40}
    )
    return indicator


def _batch(w):
    from targets.models import ImportBatch

    return ImportBatch.objects.create(kind="targets", year=2024, source="t.xlsx")


ADMIN_ONLY = scoped(
    admin=200, reviewer_a=403, reviewer_b=403, coordinator_a=403, coordinator_b=403, viewer=403
)
TABLE.update(
    {
        "targets:target_index": (NO_ARGS, "get", everyone(200)),
        # Exports hold the visible units only; nothing visible → 404.
        "targets:target_export": (
            lambda w: [_indicator(w) and 2024, "json"],
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
        "targets:target_import": (NO_ARGS, "get", ADMIN_ONLY),
        # A token nobody uploaded: the admin gets 404, everyone else is refused first.
        "targets:target_import_preview": (
            lambda w: ["x" * 24],
            "get",
            scoped(
                admin=404,
                reviewer_a=403,
                reviewer_b=403,
                coordinator_a=403,
                coordinator_b=403,
                viewer=403,
            ),
        ),
        "targets:import_history": (NO_ARGS, "get", ADMIN_ONLY),
        "targets:import_batch": (lambda w: [_batch(w).pk], "get", ADMIN_ONLY),
        # Everyone logged in sees the completion of the units in their scope.
        "targets:completion": (lambda w: [_indicator(w).pk], "get", everyone(200)),
        # Actuals of a town: its reviewer and the administrators write; others may not.
        "targets:actual_entry": (
            lambda w: [_indicator(w).pk, w.town_a.pk],
            "get",
            scoped(
                admin=200,
                reviewer_a=200,
                reviewer_b=404,
                coordinator_a=404,
                coordinator_b=404,
                viewer=403,
            ),
        ),
    }
)


# --- staff (协理员): coordinator A belongs to unit A and is linked to coordinator_a ---------


def _staff(name, *args, **kwargs):
    def build(w):
        from tests.staff import world as staff_world

        return [getattr(staff_world, name)(w, *args, **kwargs).pk]

    return build


COORD_A = _staff("coordinator_of")
TOWN_A = lambda w: [w.town_a.pk]  # noqa: E731
# Seen by whoever sees unit A; coordinator_a sees it as their own record.
COORD_A_SEEN = scoped(
    admin=200, reviewer_a=200, reviewer_b=404, coordinator_a=200, coordinator_b=404, viewer=200
)
# Kept by the town centre of town A and the administrators.
COORD_A_KEPT = lambda answer: scoped(  # noqa: E731
    admin=answer,
    reviewer_a=answer,
    reviewer_b=404,
    coordinator_a=403,
    coordinator_b=404,
    viewer=403,
)
# Filed or followed up by coordinator A themself, the town centre, the administrators.
COORD_A_OWN = lambda answer: scoped(  # noqa: E731
    admin=answer,
    reviewer_a=answer,
    reviewer_b=404,
    coordinator_a=answer,
    coordinator_b=404,
    viewer=403,
)
# Withdrawn by the applicant (coordinator A) or an administrator only.
WITHDRAWN_BY = lambda answer: scoped(  # noqa: E731
    admin=answer,
    reviewer_a=403,
    reviewer_b=404,
    coordinator_a=answer,
    coordinator_b=404,
    viewer=403,
)
MANAGERS = lambda answer: scoped(  # noqa: E731
    admin=answer,
    reviewer_a=answer,
    reviewer_b=answer,
    coordinator_a=403,
    coordinator_b=403,
    viewer=403,
)
TOWN_A_SEEN = scoped(
    admin=200, reviewer_a=200, reviewer_b=404, coordinator_a=404, coordinator_b=404, viewer=200
)
TOWN_A_KEPT = scoped(
    admin=200, reviewer_a=200, reviewer_b=404, coordinator_a=404, coordinator_b=404, viewer=403
)

TABLE.update(
    {
        "staff:coordinator_list": (NO_ARGS, "get", everyone(200)),
        "staff:coordinator_create": (NO_ARGS, "get", MANAGERS(200)),
        "staff:coordinator_detail": (COORD_A, "get", COORD_A_SEEN),
        "staff:coordinator_edit": (COORD_A, "get", COORD_A_KEPT(200)),
        "staff:roster_export": (
            NO_ARGS,
            "get",
            scoped(
                admin=200,
                reviewer_a=200,
                reviewer_b=200,
                coordinator_a=403,
                coordinator_b=403,
                viewer=200,
            ),
        ),
        "staff:roster_import": (NO_ARGS, "get", MANAGERS(200)),
        # No upload behind the token: managers are sent back to the upload page.
        "staff:roster_import_confirm": (NO_ARGS, "post", MANAGERS(302)),
        "staff:town_staffing": (TOWN_A, "get", TOWN_A_SEEN),
        "staff:window_staff_edit": (TOWN_A, "get", TOWN_A_KEPT),
        "staff:attendance": (COORD_A, "get", COORD_A_SEEN),
        "staff:attendance_add": (COORD_A, "get", COORD_A_KEPT(200)),
        "staff:attendance_month": (COORD_A, "get", COORD_A_KEPT(200)),
        "staff:attendance_delete": (_staff("entry_of"), "post", COORD_A_KEPT(302)),
        "staff:attendance_month_delete": (_staff("month_of"), "post", COORD_A_KEPT(302)),
        "staff:approvals": (NO_ARGS, "get", everyone(200)),
        "staff:leave_list": (NO_ARGS, "get", everyone(200)),
        "staff:leave_create": (COORD_A, "get", COORD_A_OWN(200)),
        "staff:leave_detail": (_staff("leave_of"), "get", COORD_A_SEEN),
        # At the village step the town centre records the head's signature (代录); the
        # empty form comes back with a message. The coordinator never decides their own.
        "staff:leave_decide": (_staff("leave_of"), "post", COORD_A_KEPT(302)),
        "staff:leave_return": (_staff("leave_of", state="approved"), "get", COORD_A_OWN(200)),
        "staff:leave_extend": (_staff("leave_of", state="approved"), "get", COORD_A_OWN(200)),
        # The first press of 撤回 shows what will happen (200); the town centre may not.
        "staff:leave_withdraw": (_staff("leave_of"), "post", WITHDRAWN_BY(200)),
        "staff:leave_slip": (_staff("leave_of"), "get", COORD_A_SEEN),
        "staff:departure_create": (COORD_A, "get", COORD_A_OWN(200)),
        "staff:departure_detail": (_staff("departure_of"), "get", COORD_A_SEEN),
        "staff:departure_decide": (_staff("departure_of"), "post", COORD_A_KEPT(302)),
        "staff:departure_withdraw": (_staff("departure_of"), "post", WITHDRAWN_BY(200)),
        "staff:departure_report": (_staff("departure_of"), "get", COORD_A_SEEN),
    }
)


def _print_job(w):
    """A finished print job of reviewer A, with its file."""
    from django.core.files.base import ContentFile

    from jobs.models import Job

    job = Job.objects.create(
        kind="cycle_sheets",
        title="评分表",
        requested_by=w.users["reviewer_a"],
        state=Job.State.DONE,
    )
    job.result.save(f"job-{job.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
    return job


# A background job is its requester's; administrators see all; everyone else gets 404.
PRINT_JOB = (
    lambda w: [_print_job(w).pk],
    "get",
    scoped(
        admin=200,
        reviewer_a=200,
        reviewer_b=404,
        coordinator_a=404,
        coordinator_b=404,
        viewer=404,
    ),
)
TABLE.update(
    {
        "jobs:list": (NO_ARGS, "get", everyone(200)),
        "jobs:status": PRINT_JOB,
        "jobs:status_json": PRINT_JOB,
        "jobs:download": PRINT_JOB,
        # Resubmitting: the requester only (a finished job is not resubmitted: 404 for all).
        "jobs:resubmit": (
            lambda w: [_print_job(w).pk],
            "post",
            scoped(
                admin=404,
                reviewer_a=404,
                reviewer_b=404,
                coordinator_a=404,
                coordinator_b=404,
                viewer=404,
            ),
        ),
    }
)


def _notice(w):
    """A notice of reviewer A pointing at the home page."""
    from notices.models import Notice

    return Notice.objects.create(
        recipient=w.users["reviewer_a"], event="sheet_reviewed", title="通知", link="/", key="t"
    )


TABLE.update(
    {
        # The inbox is everyone's own; a notice opens for its recipient only.
        "notices:inbox": (NO_ARGS, "get", everyone(200)),
        "notices:open": (
            lambda w: [_notice(w).pk],
            "get",
            scoped(
                admin=404,
                reviewer_a=302,
                reviewer_b=404,
                coordinator_a=404,
                coordinator_b=404,
                viewer=404,
            ),
        ),
        "notices:mark_all_read": (NO_ARGS, "post", everyone(302)),
    }
)


def draft_cycle(w):
    """A cycle of the world's rubric not yet opened (开放自评 is its next step)."""
    from assessments import services

    return services.cycle_create(
        title="2027年社区平台考核",
        year=2027,
        rubric=w.cycle.rubric,
        units=[w.unit_a, w.unit_b],
        user=w.users["admin"],
    )


RUBRIC = lambda w: [w.cycle.rubric.pk]  # noqa: E731

TABLE.update(
    {
        # Rubric versions and export: the bureau's administrators only.
        "rubrics:compare": (lambda w: RUBRIC(w) and [], "get", ADMIN_ONLY),
        "rubrics:copy": (RUBRIC, "get", ADMIN_ONLY),
        "rubrics:export": (lambda w: [*RUBRIC(w), "xlsx"], "get", ADMIN_ONLY),
        # Live checks and 试算 of a rubric, and the 开放自评 page: administrators only.
        "rubrics:checks": (RUBRIC, "get", ADMIN_ONLY),
        "rubrics:trial": (RUBRIC, "get", ADMIN_ONLY),
        "assessments:cycle_open": (lambda w: [draft_cycle(w).pk], "get", ADMIN_ONLY),
    }
)

# Importing a rubric from the office's document (administrators only). A token nobody
# uploaded: the admin gets 404, everyone else is refused first.
TABLE.update(
    {
        "rubrics:import": (NO_ARGS, "get", ADMIN_ONLY),
        "rubrics:import_review": (
            lambda w: ["x" * 24],
            "get",
            scoped(
                admin=404,
                reviewer_a=403,
                reviewer_b=403,
                coordinator_a=403,
                coordinator_b=403,
                viewer=403,
            ),
        ),
    }
)

# Django's admin guards itself (staff only); its index is checked separately.
EXCLUDED_NAMESPACES = ("admin",)


# --- rubric editor (评分标准): the bureau's administrators only -----------------------------


def _draft_rubric(w):
    """A draft rubric with one section and one item (the world's cycle rubric may be frozen)."""
    from rubrics import services

    rubric = services.rubric_create(title="草稿评分标准", year=2025, subject="unit")
    section = services.section_add(rubric=rubric, title="一、组织机构")
    values = {
        "number": "1",
        "title": "台账",
        "requirement": "",
        "rule_text": "缺一次扣1分",
        "max_points": 3,
        "kind": "deduct_per_occurrence",
        "params": {"per": "1"},
        "bonus": False,
        "penalty": False,
        "na_policy": "none",
        "indicator": "",
    }
    services.item_save(rubric=rubric, section=section, values=values)
    return rubric


TABLE.update(
    {
        "rubrics:list": (NO_ARGS, "get", ADMIN_ONLY),
        "rubrics:create": (NO_ARGS, "get", ADMIN_ONLY),
        "rubrics:edit": (lambda w: [w.cycle.rubric.pk], "get", ADMIN_ONLY),
        "rubrics:item_edit": (
            lambda w: [w.cycle.rubric.pk, w.cycle.rubric.items.order_by("id").first().pk],
            "get",
            ADMIN_ONLY,
        ),
        "rubrics:item_add": (
            lambda w: [(r := _draft_rubric(w)).pk, r.sections.get().pk],
            "get",
            ADMIN_ONLY,
        ),
        "rubrics:item_describe": (lambda w: [w.cycle.rubric.pk], "get", ADMIN_ONLY),
    }
)
