"""Every view that accepts POST, with a valid-looking body and the answer per persona.

Each entry: URL name → ``Case(args, body, answers)``. ``args(world)`` builds the URL's
arguments (and whatever the request needs, e.g. a leave request waiting for approval);
``body(world, persona)`` the form as the page would send it, with the form's real field
names. Answers, for each of the ten personas of ``PERSONAS``:

- ``SAVED``: a redirect (not to the log-in page) and the database changed;
- ``MOVED``: a redirect and the database unchanged (sent back with a message);
- ``SHOWN``: the page again (200: a preview, or the form with its errors), nothing written;
- 403, 404, ``LOGIN`` (redirect to the log-in page): refused, the database unchanged;
- 200, 302: the status only (log-in and log-out write the session and ``last_login``).

A view that accepts POST and has no entry here fails ``test_post_tamper``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.assessments.publicity_world import (
    evidence_file,
    finalised,
    objection_a,
    publicised,
    result_a,
)
from tests.conftest import MORE_PERSONAS, PERSONA_NAMES, PNG_BYTES
from tests.staff import world as staff_world

PERSONAS = (*PERSONA_NAMES[:-1], *MORE_PERSONAS, "anonymous")
SAVED, MOVED, SHOWN, LOGIN = "saved", "moved", "shown", "login"
REFUSALS = (403, 404, LOGIN)


@dataclass(frozen=True)
class Case:
    args: Callable
    body: Callable
    answers: dict


def answers(default=403, anonymous=LOGIN, **given):
    unknown = set(given) - set(PERSONAS)
    assert not unknown, unknown
    return {p: given.get(p, default) for p in PERSONAS[:-1]} | {"anonymous": anonymous}


# -------------------------------------------------------------------------- builders

NO_ARGS = lambda w: []  # noqa: E731
EMPTY = lambda w, p: {}  # noqa: E731
TODAY = timezone.localdate


def _iso(day: date) -> str:
    return day.isoformat()


def _staff(name, *args, **kwargs):
    return lambda w: [getattr(staff_world, name)(w, *args, **kwargs).pk]


def item_fields(world, prefix: str, key: str = "6", score: str = "2.5") -> dict:
    """The sheet fields of one item filled in, named as the sheet page names them."""
    from rubrics.input_fields import form_values
    from rubrics.selectors import engine_rubric_for

    item = engine_rubric_for(world.cycle.rubric).item(key)
    return form_values([item], {key: {"score": score}}, prefix)


def reviewing(world):
    """The cycle in review, both sheets submitted: sheet A (reloaded)."""
    from assessments.models import Assessment, Cycle

    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.REVIEW)
    world.cycle.assessments.update(state=Assessment.State.SUBMITTED)
    return world.sheet_a


def self_filled(world):
    """Sheet A with every item of its self-assessment answered (ready to submit)."""
    from assessments import services
    from assessments.sheet_page import read_form
    from rubrics.selectors import engine_rubric_for
    from tests.assessments.forms import best_answers

    sheet = world.sheet_a
    parsed = engine_rubric_for(sheet.cycle.rubric)
    inputs, notes = read_form(parsed, best_answers(parsed, "s"), "self")
    outcome = services.sheet_save(
        sheet=sheet,
        user=world.users["coordinator_a"],
        side="self",
        inputs=inputs,
        notes=notes,
        expected_version=sheet.version,
    )
    assert outcome.saved, outcome.errors
    return world.sheet_a


def _self_submitted(world):
    """Sheet A with its self-assessment answered and submitted, the cycle in review."""
    from assessments.models import Assessment, Cycle

    sheet = self_filled(world)
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.REVIEW)
    Assessment.objects.filter(pk=sheet.pk).update(state=Assessment.State.SUBMITTED)
    return world.sheet_a


def target_csv() -> bytes:
    return "单位,社保扩面人数\n淹城社区,41\n".encode()


def pending_targets(world, persona="admin") -> str:
    """A target table uploaded by ``persona`` and waiting for confirmation (its token)."""
    from kit.imports.uploads import save_pending

    options = {"year": 2025, "mode": "targets", "create_units": False, "orientation": None}
    return save_pending(
        data=target_csv(),
        file_name="t.csv",
        options={**options, "sheet": None, "as_of": None},
        user=world.users[persona],
    )


def roster_xlsx(unit_name="淹城社区", name="周新") -> bytes:
    import io

    from openpyxl import Workbook

    from staff.roster import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    row = [name, "男", "1991-05", "群众", "本科", "协理员", "13700001111", unit_name]
    sheet.append(row + [""] * (len(HEADERS) - len(row)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pending_roster(world, persona="reviewer_a", unit_name="淹城社区") -> str:
    """A roster previewed by ``persona`` and waiting for confirmation (its token)."""
    from kit.imports import uploads
    from staff import services

    data = roster_xlsx(unit_name)
    user = world.users[persona]
    plan = services.roster_import(user=user, data=data, filename="花名册.xlsx", dry_run=True)
    assert plan.ok, plan.errors
    return uploads.save_pending(
        data=data, file_name="花名册.xlsx", options={}, user=user, fingerprint=plan.fingerprint()
    )


def coordinator_body(world, at, **changes) -> dict:
    """Coordinator A's record form as filled in, at unit ``at``, with ``changes``."""
    body = {
        "name": "陈静",
        "gender": "女",
        "birth_month": "1990-09",
        "political_status": "",
        "education": "",
        "position": "协理员",
        "phone": "13900000000",
        "unit": str(at.pk),
        "joined_on": "2016-03",
        "certificate_no": "JS-2018-001",
        "certificate_date": "",
        "contract_start": "",
        "contract_end": "",
        "account": "",
    }
    return body | changes


def _password(world, persona):
    return {
        "old_password": "pw-" + persona,
        "new_password1": "Kq7!wEnd-2026-tamper",
        "new_password2": "Kq7!wEnd-2026-tamper",
    }


def _sheet_save(world, side, prefix):
    sheet = world.sheet_a
    return {"version": str(sheet.version), **item_fields(world, prefix)}


def _grid_args(world):
    reviewing(world)
    return [world.cycle.pk, world.cycle.rubric.items.get(key="6").pk]


def _grid_body(world, persona):
    sheet = world.sheet_a
    return {f"g{sheet.pk}-version": str(sheet.version), **item_fields(world, f"g{sheet.pk}")}


def _score_upload(world, persona):
    from tests.assessments.test_offline_import_side import upload

    return {"side": "review", "file": upload(world.cycle)}


def _over_quota_result(world):
    """Result A beyond an advisory quota, waiting for a decision."""
    result = world.cycle.results.get(unit=world.unit_a)
    result.needs_confirmation = True
    result.quota_position = "over"
    result.save()
    return [world.cycle.pk, result.pk]


def _keep_body(world, persona):
    pk = world.cycle.results.get(unit=world.unit_a).pk
    return {
        "row": str(pk),
        f"decision_{pk}": "keep",
        f"reason_{pk}": "全年无投诉，考核小组同意保持",
    }


def started_leave(world):
    """Coordinator A's approved two-day leave that began five days ago."""
    leave = staff_world.leave_of(world, state="approved")
    leave.start_date = TODAY() - timedelta(days=5)
    leave.end_date = leave.start_date + timedelta(days=1)
    leave.save()
    return leave


def _leave_dates(w, p):
    start = TODAY() + timedelta(days=10)
    return {
        "kind": "personal",
        "start_date": _iso(start),
        "end_date": _iso(start + timedelta(days=1)),
        "reason": "",
        "phone": "13912345678",
    }


# -------------------------------------------------------------------------- the table

ADMIN_ONLY = answers(admin=SAVED)
# Kept by the town centre of town A (reviewer A) and the administrators; read by others.
KEPT_BY_TOWN_A = dict(admin=SAVED, reviewer_a=SAVED, reviewer_b=404, coordinator_b=404)
# Filed or followed up by coordinator A, the town centre of town A and the administrators.
OWN_OR_TOWN_A = KEPT_BY_TOWN_A | {"coordinator_a": SAVED}
# Withdrawn by the applicant (coordinator A) or an administrator only.
OWN_OR_ADMIN = dict(admin=SAVED, reviewer_b=404, coordinator_a=SAVED, coordinator_b=404)
SHEET_A_WRITER = dict(reviewer_b=404, coordinator_b=404)

TABLE: dict[str, Case] = {
    # --- accounts
    "accounts:login": Case(
        NO_ARGS,
        lambda w, p: {"username": "viewer", "password": "pw-viewer"},
        answers(302, anonymous=302),
    ),
    "accounts:logout": Case(NO_ARGS, EMPTY, answers(302, anonymous=302)),
    "accounts:password_change": Case(NO_ARGS, _password, answers(SAVED)),
    # The session warning's 「继续使用」: the answer only (the session is not in the snapshot).
    "accounts:keep_alive": Case(NO_ARGS, EMPTY, answers(200)),
    # Two-factor pages. The admin and the auditor have bound an authenticator and passed it,
    # so enrolling or verifying again sends them on with a message; the other roles do not
    # use the second factor and are sent on too. Nobody's authenticator changes.
    "accounts:two_factor_enrol": Case(NO_ARGS, lambda w, p: {"code": "000000"}, answers(MOVED)),
    "accounts:two_factor_verify": Case(NO_ARGS, lambda w, p: {"code": "000000"}, answers(MOVED)),
    # New recovery codes for those who have an authenticator; the others have none to renew.
    "accounts:recovery_codes_regenerate": Case(
        NO_ARGS, EMPTY, answers(MOVED, admin=SAVED, auditor=SAVED)
    ),
    # --- targets
    "targets:unit_edit": Case(
        lambda w: [w.unit_a.pk],
        lambda w, p: {"name": "淹城社区居委会", "active": "on", "aliases": "淹城"},
        answers(admin=SAVED, reviewer_b=404, coordinator_b=404),
    ),
    "targets:target_import": Case(
        NO_ARGS,
        lambda w, p: {
            "file": SimpleUploadedFile("t.csv", target_csv()),
            "year": "2025",
            "mode": "targets",
        },
        answers(admin=MOVED),  # the file waits on the server; the preview comes next
    ),
    "targets:target_import_preview": Case(lambda w: [pending_targets(w)], EMPTY, ADMIN_ONLY),
    "targets:actual_entry": Case(
        lambda w: [_indicator(w).pk, w.town_a.pk],
        lambda w, p: {"as_of": _iso(TODAY()), f"actual_{w.unit_a.pk}": "12"},
        answers(
            admin=SAVED,
            reviewer_a=SAVED,
            reviewer_b=404,
            coordinator_a=404,
            coordinator_b=404,
            village_head=404,
            # the audit administrator is refused by the gate before any fetch (403)
        ),
    ),
    # --- staff
    "staff:coordinator_create": Case(
        NO_ARGS,
        lambda w, p: coordinator_body(w, w.unit_a, name="周新", certificate_no=""),
        # Town B's centre may register coordinators, but not in town A: its form has no unit A.
        answers(admin=SAVED, reviewer_a=SAVED, reviewer_b=SHOWN),
    ),
    "staff:coordinator_edit": Case(
        _staff("coordinator_of"),
        lambda w, p: coordinator_body(w, w.unit_a),
        answers(**KEPT_BY_TOWN_A),
    ),
    "staff:roster_import": Case(
        NO_ARGS,
        lambda w, p: {"file": SimpleUploadedFile("花名册.xlsx", roster_xlsx())},
        # A preview (or, for town B, the rows it may not import listed): nothing written yet.
        answers(admin=SHOWN, reviewer_a=SHOWN, reviewer_b=SHOWN),
    ),
    # The token is reviewer A's: anybody else's confirmation finds no upload.
    "staff:roster_import_confirm": Case(
        NO_ARGS,
        lambda w, p: {"token": w._made.setdefault("roster", pending_roster(w))},
        answers(admin=MOVED, reviewer_a=SAVED, reviewer_b=MOVED),
    ),
    "staff:window_staff_edit": Case(
        lambda w: [w.town_a.pk],
        lambda w, p: {"windows": "2", "window_staff": "4", "village_coordinators": "1"},
        answers(**KEPT_BY_TOWN_A, coordinator_a=404, village_head=404),
    ),
    "staff:attendance_add": Case(
        _staff("coordinator_of"),
        lambda w, p: {"date": _iso(TODAY()), "status": "absent", "days": "1"},
        answers(**KEPT_BY_TOWN_A),
    ),
    "staff:attendance_month": Case(
        _staff("coordinator_of"),
        lambda w, p: {
            "month": f"{TODAY():%Y-%m}",
            "present_days": "20",
            "absent_days": "1",
            "leave_days": "0",
            "off_post_days": "0",
        },
        answers(**KEPT_BY_TOWN_A),
    ),
    "staff:attendance_delete": Case(_staff("entry_of"), EMPTY, answers(**KEPT_BY_TOWN_A)),
    "staff:attendance_month_delete": Case(_staff("month_of"), EMPTY, answers(**KEPT_BY_TOWN_A)),
    "staff:leave_create": Case(_staff("coordinator_of"), _leave_dates, answers(**OWN_OR_TOWN_A)),
    # The village step: the head approves; the town centre may record the head's signature.
    "staff:leave_decide": Case(
        _staff("leave_of"),
        lambda w, p: {"decision": "approve", "signer_name": "王村长", "confirmed": "1"},
        answers(**KEPT_BY_TOWN_A, village_head=SAVED),
    ),
    "staff:leave_return": Case(
        lambda w: [started_leave(w).pk],
        lambda w, p: {"returned_on": _iso(TODAY())},
        answers(**OWN_OR_TOWN_A),
    ),
    "staff:leave_extend": Case(
        _staff("leave_of", state="approved"),
        lambda w, p: {
            "end_date": _iso(TODAY() + timedelta(days=8)),
            "reason": "病情未愈",
            "phone": "13912345678",
        },
        answers(**OWN_OR_TOWN_A),
    ),
    # Withdrawing is the applicant's (coordinator A filed it) or an administrator's; the
    # town centre decides instead (驳回 with a reason).
    "staff:leave_withdraw": Case(
        _staff("leave_of"),
        lambda w, p: {"note": "不请了", "confirmed": "1"},
        answers(**OWN_OR_ADMIN),
    ),
    "staff:departure_create": Case(
        _staff("coordinator_of"),
        lambda w, p: {"kind": "resign", "departure_date": _iso(TODAY() + timedelta(days=30))},
        answers(**OWN_OR_TOWN_A),
    ),
    "staff:departure_decide": Case(
        _staff("departure_of"),
        lambda w, p: {"decision": "approve", "signer_name": "王村长", "confirmed": "1"},
        answers(**KEPT_BY_TOWN_A, village_head=SAVED),
    ),
    "staff:departure_withdraw": Case(
        _staff("departure_of"),
        lambda w, p: {"note": "不走了", "confirmed": "1"},
        answers(**OWN_OR_ADMIN),
    ),
    # --- assessments
    "assessments:cycle_create": Case(
        NO_ARGS,
        lambda w, p: {
            "title": "2027年社区平台考核",
            "year": "2027",
            "rubric": str(w.cycle.rubric_id),
            "towns": [str(w.town_a.pk)],
            "level": "grassroots",
            "process_weight": "0",
            "annual_weight": "100",
        },
        ADMIN_ONLY,
    ),
    # A guarded step is taken on its confirmation page: the plain action sends the
    # administrator there, nothing changed.
    "assessments:cycle_action": Case(
        lambda w: [w.cycle.pk], lambda w, p: {"action": "open_review"}, answers(admin=MOVED)
    ),
    # 结束自评 with both sheets unsubmitted, all recorded as 未提交.
    "assessments:cycle_close": Case(
        lambda w: [w.cycle.pk, "open_review"], lambda w, p: {"all_absent": "1"}, ADMIN_ONLY
    ),
    "assessments:quota_decisions": Case(
        lambda w: [_over_quota_result(w)[0]], _keep_body, ADMIN_ONLY
    ),
    "assessments:grade_override": Case(
        lambda w: [w.cycle.pk, w.cycle.results.get(unit=w.unit_a).pk],
        lambda w, p: {"grade": "合格", "reason": "复核发现台账缺失，调整为合格"},
        ADMIN_ONLY,
    ),
    "assessments:cycle_deadlines": Case(
        lambda w: [w.cycle.pk],
        lambda w, p: {"self_deadline": _iso(TODAY() + timedelta(days=10)), "review_deadline": ""},
        ADMIN_ONLY,
    ),
    # The confirmed extension of sheet A's self-assessment deadline.
    "assessments:deadline_extend": Case(
        lambda w: [_with_self_deadline(w).pk],
        lambda w, p: {
            "side": "self",
            "new_date": _iso(TODAY() + timedelta(days=5)),
            "reason": "社区换届",
            "confirm": "1",
        },
        answers(**SHEET_A_WRITER, admin=SAVED),
    ),
    # 公布: the finalised cycle published with its 公示 dates.
    "assessments:publish": Case(
        lambda w: [finalised(w).pk],
        lambda w, p: {
            "start": _iso(TODAY()),
            "end": _iso(TODAY() + timedelta(days=5)),
            "scope": "town",
        },
        ADMIN_ONLY,
    ),
    # 异议: only unit A's own coordinator files one against unit A's result.
    "assessments:objection_file": Case(
        lambda w: [publicised(w).pk, result_a(w).pk],
        lambda w, p: {"reason": "第6项评分有误，请复核。", "evidence": evidence_file()},
        answers(
            403,
            coordinator_a=SAVED,
            reviewer_b=404,
            coordinator_b=404,
            auditor=403,
        ),
    ),
    # Its answer: town A's reviewer and the administrators.
    "assessments:objection_answer": Case(
        lambda w: [objection_a(w).pk],
        lambda w, p: {"decision": "reject", "answer": "经核查，维持原评分。"},
        answers(403, admin=SAVED, reviewer_a=SAVED, reviewer_b=404, coordinator_b=404),
    ),
    # Enqueues the export job (and records the export in the security log).
    "assessments:results_export": Case(
        lambda w: [w.cycle.pk], lambda w, p: {"format": "xlsx"}, ADMIN_ONLY
    ),
    # One item across a town: the posted sheet is town A's, so town B's reviewer saves nothing.
    "assessments:item_grid": Case(
        _grid_args,
        _grid_body,
        answers(
            404,
            admin=SAVED,
            reviewer_a=SAVED,
            reviewer_b=MOVED,
            auditor=403,
        ),
    ),
    "assessments:score_import": Case(
        lambda w: [w.cycle.pk],
        _score_upload,
        # The preview; town B's reviewer is shown that the workbook's unit is not theirs.
        answers(admin=SHOWN, reviewer_a=SHOWN, reviewer_b=SHOWN),
    ),
    "assessments:cycle_print": Case(
        lambda w: [w.cycle.pk],
        lambda w, p: {"town": str(w.town_a.pk)},
        answers(admin=SAVED, reviewer_a=SAVED),
    ),
    "assessments:sheet_self": Case(
        lambda w: [w.sheet_a.pk],
        lambda w, p: _sheet_save(w, "self", "s"),
        answers(**SHEET_A_WRITER, admin=SAVED, coordinator_a=SAVED),
    ),
    "assessments:sheet_review": Case(
        lambda w: [reviewing(w).pk],
        lambda w, p: _sheet_save(w, "review", "r"),
        answers(**SHEET_A_WRITER, admin=SAVED, reviewer_a=SAVED),
    ),
    "assessments:sheet_action": Case(
        lambda w: [self_filled(w).pk],
        lambda w, p: {"action": "submit"},
        answers(**SHEET_A_WRITER, admin=SAVED, coordinator_a=SAVED),
    ),
    "assessments:evidence_upload": Case(
        lambda w: [w.sheet_a.pk],
        lambda w, p: {
            "side": "self",
            "item": "6",
            "file": SimpleUploadedFile("台账.png", PNG_BYTES, content_type="image/png"),
        },
        answers(**SHEET_A_WRITER, admin=SAVED, coordinator_a=SAVED),
    ),
    "assessments:evidence_remove": Case(
        lambda w: [w.sheet_a.pk, w.evidence_a.pk],
        lambda w, p: {"side": "self"},
        answers(**SHEET_A_WRITER, admin=SAVED, coordinator_a=SAVED),
    ),
    "assessments:evidence_replace": Case(
        lambda w: [w.sheet_a.pk, w.evidence_a.pk],
        lambda w, p: {
            "side": "self",
            "file": SimpleUploadedFile("新台账.png", PNG_BYTES, content_type="image/png"),
        },
        answers(**SHEET_A_WRITER, admin=SAVED, coordinator_a=SAVED),
    ),
    # 采纳自评 for the whole sheet: town A's reviewer (and the administrator) copy the
    # submitted self-assessment into the review side.
    "assessments:sheet_adopt_review": Case(
        lambda w: [_self_submitted(w).pk],
        lambda w, p: {"version": str(w.sheet_a.version)},
        answers(**SHEET_A_WRITER, admin=SAVED, reviewer_a=SAVED),
    ),
    # Large files are started by a POST from the page a link lands on (a GET writes nothing).
    # (reviewers: the whole cycle's summary is not theirs; a one-town workbook, a small
    # roster are the file itself; the world has no targets to export)
    "assessments:summary_pdf": Case(
        lambda w: [_computed(w).pk],
        EMPTY,
        answers(404, admin=SAVED, reviewer_a=403, reviewer_b=403, auditor=403),
    ),
    "assessments:score_workbook": Case(
        lambda w: [w.cycle.pk], EMPTY, answers(403, admin=SAVED, reviewer_a=200, reviewer_b=200)
    ),
    "targets:target_export": Case(lambda w: [2024, "xlsx"], EMPTY, answers(404, auditor=403)),
    "staff:roster_export": Case(
        NO_ARGS,
        EMPTY,
        answers(
            403,
            admin=200,
            reviewer_a=200,
            reviewer_b=200,
            viewer=200,
            village_head=200,
            city_office=200,
        ),
    ),
    # A failed job is resubmitted by its requester only (a new job); everyone else: 404.
    "jobs:resubmit": Case(
        lambda w: [_failed_job(w).pk],
        EMPTY,
        answers(404, reviewer_a=SAVED, auditor=403),
    ),
    # Marking one's own notices read: everyone who has an inbox.
    "notices:mark_all_read": Case(
        lambda w: _notices_for_all(w) or [],
        EMPTY,
        answers(SAVED, auditor=403),
    ),
    # --- rubrics: 复制为新版本 (the cycle's rubric, frozen) makes the next draft.
    "rubrics:copy": Case(lambda w: [w.cycle.rubric.pk], EMPTY, ADMIN_ONLY),
    # The rubric editor: administrators only; writes go to a draft.
    "rubrics:create": Case(
        NO_ARGS,
        lambda w, p: {"title": "新评分标准", "year": "2026", "subject": "unit"},
        answers(admin=SAVED),
    ),
    "rubrics:edit": Case(
        lambda w: [_draft_rubric(w).pk],
        lambda w, p: {"action": "section_add", "new-title": "二、业务经办"},
        answers(admin=SAVED),
    ),
    "rubrics:item_add": Case(
        lambda w: [(r := _draft_rubric(w)).pk, r.sections.get().pk],
        lambda w, p: _item_body(w),
        answers(admin=SAVED),
    ),
    "rubrics:item_edit": Case(
        lambda w: [(r := _draft_rubric(w)).pk, r.items.get().pk],
        lambda w, p: _item_body(w, title="台账（改）"),
        answers(admin=SAVED),
    ),
}


def _draft_rubric(w):
    from tests.access_table import _draft_rubric as draft

    return draft(w)


def _item_body(w, title="工作记录"):
    """An item form as the editor sends it: a capped bonus by level."""
    from rubrics.models import Rubric

    section = Rubric.objects.filter(title="草稿评分标准").latest("pk").sections.get()
    return {
        "section": str(section.pk),
        "title": title,
        "max_points": "2",
        "bonus": "on",
        "na_policy": "none",
        "kind": "additive_bonus",
        "p-additive_bonus-levels-0-label": "省级",
        "p-additive_bonus-levels-0-points": "2",
        "p-additive_bonus-levels-1-label": "市级",
        "p-additive_bonus-levels-1-points": "1",
    }


def _notices_for_all(w):
    """An unread notice for every user of the world."""
    from accounts.models import User
    from notices.models import Notice

    for user in User.objects.all():
        Notice.objects.create(recipient=user, event="sheet_reviewed", title="通知", key="t")


def _with_self_deadline(w):
    """Sheet A, its cycle's self-assessment due tomorrow."""
    from assessments.models import Cycle

    Cycle.objects.filter(pk=w.cycle.pk).update(self_deadline=TODAY() + timedelta(days=1))
    w.cycle.refresh_from_db()
    return w.sheet_a


def _computed(w):
    from assessments.compute import cycle_compute

    cycle_compute(cycle=w.cycle, user=w.users["admin"])
    return w.cycle


def _failed_job(w):
    """A batch print of reviewer A that failed (its worker died)."""
    from jobs.models import Job
    from jobs.runner import INTERRUPTED

    return Job.objects.create(
        kind="cycle_sheets",
        title="评分表",
        params={"cycle": w.cycle.pk, "town": w.town_a.pk, "blank": False},
        requested_by=w.users["reviewer_a"],
        state=Job.State.FAILED,
        error=INTERRUPTED,
    )


def _indicator(w):
    from tests.access_table import _indicator as indicator

    return indicator(w)


def _draft_cycle(w):
    from tests.access_table import draft_cycle

    return draft_cycle(w)


def pending_rubric_document(world, persona="admin") -> str:
    """A rubric table pasted by ``persona`` and waiting for review (its token)."""
    from kit.imports.uploads import save_pending

    text = "序号\n考核内容\n分值\n评分办法\n1\n设立工作平台\n5\n未设立的一票否决"
    return save_pending(
        data=text.encode("utf-8"),
        file_name="粘贴的表格",
        options={"kind": "rubric_document", "format": "text", "title": "导入测试"},
        user=world.users[persona],
    )


TABLE.update(
    {
        # 试算 stores nothing: the page again with the result.
        "rubrics:trial": Case(
            lambda w: [w.cycle.rubric.pk], lambda w, p: {"t-6-score": "2"}, answers(admin=SHOWN)
        ),
        # 开放自评 of a draft cycle whose rubric has a self column and no errors.
        "assessments:cycle_open": Case(
            lambda w: [_draft_cycle(w).pk], lambda w, p: {"confirm": "1"}, ADMIN_ONLY
        ),
        # The upload waits on the server; the review page comes next.
        "rubrics:import": Case(
            NO_ARGS,
            lambda w, p: {"text": "序号\n考核内容\n分值\n评分办法\n1\n设立平台\n5\n一票否决"},
            answers(admin=MOVED),
        ),
        "rubrics:import_review": Case(
            lambda w: [pending_rubric_document(w)],
            lambda w, p: {"kind_0": "veto"},
            ADMIN_ONLY,
        ),
    }
)
