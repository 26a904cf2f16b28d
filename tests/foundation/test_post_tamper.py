"""Every view that accepts POST, posted as every persona, and with its body tampered with.

The table of views and answers is ``tests/foundation/post_cases.py``. Each request runs
inside a savepoint that is rolled back afterwards, so every persona posts to the same
database; a refusal must leave the whole database (``tests/dbstate.py``) as it was.
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import dbstate
from tests.conftest import add_more_personas
from tests.foundation.post_cases import (
    LOGIN,
    MOVED,
    PERSONAS,
    REFUSALS,
    SAVED,
    SHOWN,
    TABLE,
    TODAY,
    coordinator_body,
    item_fields,
    pending_roster,
    pending_targets,
    reviewing,
    roster_xlsx,
    self_filled,
)


def accepted_methods(view) -> set[str] | None:
    """The HTTP methods a view accepts, read from its decorators (``require_POST``,
    ``require_http_methods``) or its class; None when nothing restricts them."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m for m in view_class.http_method_names if hasattr(view_class, m)} - {
            "options",
            "head",
        }
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return {m.lower() for m in cell.cell_contents}
        view = getattr(view, "__wrapped__", None)
    return None


def url_patterns(patterns=None, prefix=""):
    """(namespaced name, pattern) of every URL pattern, the admin's included."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            yield from url_patterns(entry.url_patterns, prefix + (ns + ":" if ns else ""))
        elif isinstance(entry, URLPattern):
            yield prefix + (entry.name or ""), entry


def post_views():
    """Names of the application's views that accept POST (the admin is tested apart)."""
    names = set()
    for name, pattern in url_patterns():
        if name.startswith("admin:"):
            continue
        methods = accepted_methods(pattern.callback)
        if methods is None or "post" in methods:
            assert name, f"a view accepting POST has no name: {pattern.pattern}"
            names.add(name)
    return names


class TestEveryPostIsInTheTable:
    def test_every_view_accepting_post_has_an_entry(self):
        missing = sorted(post_views() - set(TABLE))
        assert missing == [], f"views accepting POST without a tamper-table entry: {missing}"

    def test_every_entry_is_a_view_accepting_post(self):
        assert sorted(set(TABLE) - post_views()) == []

    def test_every_entry_names_every_persona(self):
        for name, case in TABLE.items():
            assert set(case.answers) == set(PERSONAS), name

    def test_views_not_in_the_table_refuse_post(self, world, client_for):
        """The decorators read above are the ones that answer: a POST to any other named
        view is 405 (checked as the administrator, who may see everything)."""
        from tests.access_table import TABLE as ACCESS

        client = client_for("admin")
        for name in sorted(set(ACCESS) - set(TABLE)):
            args_of, *_rest = ACCESS[name]
            response = client.post(reverse(name, args=args_of(world)))
            assert response.status_code == 405, name


# ------------------------------------------------------------------ posting as everyone


def check(name, persona, expected, response, changed, new_successes) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    location = response.get("Location", "")
    login = reverse("accounts:login")
    # A refusal sends to the log-in page with ?next=; logging out lands on the bare page.
    wrong_place = (
        not location.startswith(login) if expected == LOGIN else location.startswith(login + "?")
    )
    wants_status = {SAVED: 302, MOVED: 302, SHOWN: 200, LOGIN: 302}.get(expected, expected)
    if status != wants_status or (status == 302 and wrong_place):
        return f"{persona}: expected {expected}, got {status} {location}"
    if expected == SAVED and not changed:
        return f"{persona}: answered {status} but saved nothing"
    if expected in (*REFUSALS, MOVED, SHOWN) and changed:
        return f"{persona}: {expected}, yet changed {sorted(changed)}"
    if expected in REFUSALS and new_successes:
        return f"{persona}: refused, yet the security log records a success"
    return None


def post_as(client_for, world, persona, url, body):
    """POST as ``persona`` in a savepoint rolled back afterwards: (response, tables changed,
    successes added to the security log)."""
    sid = transaction.savepoint()
    try:
        client = client_for(persona)
        before, logged = dbstate.snapshot(), dbstate.audit_successes()
        response = client.post(url, body)
        changed = dbstate.changed_tables(before, dbstate.snapshot())
        return response, changed, dbstate.audit_successes() - logged
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_persona_posting_gets_its_answer_and_refusals_change_nothing(name, world, client_for):
    add_more_personas(world)
    case = TABLE[name]
    url = reverse(name, args=case.args(world))
    problems = []
    for persona in PERSONAS:
        response, changed, successes = post_as(
            client_for, world, persona, url, case.body(world, persona)
        )
        problem = check(name, persona, case.answers[persona], response, changed, successes)
        if problem:
            problems.append(problem)
    assert problems == [], f"{name}:\n" + "\n".join(problems)


# ------------------------------------------------------------------ the Django admin

ADMIN_BODY = {
    "post": "yes",
    "action": "delete_selected",
    "name": "篡改",
    "username": "intruder",
    "password1": "Kq7!wEnd-2026-tamper",
    "password2": "Kq7!wEnd-2026-tamper",
    "is_superuser": "on",
    "is_staff": "on",
    "role": "admin",
}
# Pages of the admin that anyone may open: its log-in and log-out, its translations.
ADMIN_OPEN = ("admin:login", "admin:logout", "admin:jsi18n")


def admin_urls(world):
    """Every URL of the admin site, each object URL at a real object where one exists."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    urls = []
    for name, pattern in url_patterns():
        if not name.startswith("admin:"):
            continue
        if not name[len("admin:") :]:
            continue  # the unnamed catch-all redirects
        keys = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        model, pk = None, "1"
        for candidate in apps.get_models():
            label = f"{candidate._meta.app_label}_{candidate._meta.model_name}_"
            if name.startswith("admin:" + label):
                model = candidate
        if model is not None:
            first = model.objects.order_by("pk").first()
            pk = str(first.pk) if first is not None else "1"
        kwargs = {}
        for key in keys:
            if key in ("object_id", "pk", "id"):
                kwargs[key] = pk
            elif key == "app_label":
                kwargs[key] = "staff"
            elif key == "content_type_id":
                kwargs[key] = str(ContentType.objects.get_for_model(type(world.unit_a)).pk)
        if name == "admin:view_on_site":
            kwargs["object_id"] = str(world.unit_a.pk)
        urls.append((name, reverse(name, kwargs=kwargs), pk))
    return urls


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_non_administrators_posting_to_the_admin_change_nothing(persona, world, client_for):
    add_more_personas(world)
    assert world.cycle.pk  # a rubric, a cycle and its sheets to aim at
    from tests.staff.world import coordinator_of, leave_of

    leave_of(world)
    coordinator_of(world, "b")
    # One snapshot around all of them (each is refused the same way); logging out last.
    urls = sorted(admin_urls(world), key=lambda u: u[0] == "admin:logout")
    client = client_for(persona)
    before = dbstate.snapshot()
    problems = []
    for name, url, pk in urls:
        response = client.post(url, {**ADMIN_BODY, "_selected_action": [pk]})
        if persona == "auditor":
            # Staff, to read the log in the admin: everything else there is refused (403)
            # or shows nothing to change; the snapshot below proves nothing changed.
            ok = response.status_code in (200, 302, 403, 405)
        elif name in ADMIN_OPEN:
            ok = response.status_code in (200, 302)
        elif name == "admin:password_change":
            # The admin's own password link leads to the site's change page (the rules and
            # the history apply there); the link takes no POST.
            ok = response.status_code == 405
        else:
            ok = response.status_code == 302 and "/admin/login/" in response["Location"]
        if not ok:
            problems.append(f"{name}: {response.status_code} {response.get('Location', '')}")
    changed = dbstate.changed_tables(before, dbstate.snapshot())
    assert problems == [] and not changed, (problems, sorted(changed))


# ------------------------------------------------------------------ tampered bodies
#
# An allowed persona posts a body whose fields name another object or side: the request
# is refused with the database unchanged, or the tampered field is ignored and exactly
# what the page is for changes.


def post_and_diff(client_for, persona, url, body):
    client = client_for(persona)
    before = dbstate.snapshot()
    response = client.post(url, body)
    return response, dbstate.changed_tables(before, dbstate.snapshot())


def scores_of(sheet):
    from assessments.models import ItemScore

    return sorted(
        ItemScore.objects.filter(assessment=sheet).values_list("item__key", "side", "score")
    )


def evidence_body(side, item="6"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PNG_BYTES

    upload = SimpleUploadedFile("台账.png", PNG_BYTES, content_type="image/png")
    return {"side": side, "item": item, "file": upload}


SCORE_TABLES = {"assessments_itemscore", "assessments_sidetotal", "assessments_assessment",
                "assessments_change"}  # fmt: skip


class TestSideTampered:
    def test_review_fields_posted_on_the_self_page_are_ignored(self, world, client_for):
        from decimal import Decimal

        sheet = world.sheet_a
        body = {
            "version": str(sheet.version),
            **item_fields(world, "s", score="2.5"),
            **item_fields(world, "r", score="1"),
        }
        url = reverse("assessments:sheet_self", args=[sheet.pk])
        response, changed = post_and_diff(client_for, "coordinator_a", url, body)
        assert response.status_code == 302
        assert changed <= SCORE_TABLES
        assert scores_of(sheet) == [("6", "self", Decimal("2.5"))]

    @pytest.mark.parametrize(
        ("persona", "side"),
        [("coordinator_a", "review"), ("coordinator_a", "spot_check"), ("reviewer_a", "self")],
    )
    def test_evidence_for_a_side_the_persona_may_not_write_is_refused(
        self, persona, side, world, client_for
    ):
        if persona == "reviewer_a":
            reviewing(world)
        url = reverse("assessments:evidence_upload", args=[world.sheet_a.pk])
        response, changed = post_and_diff(client_for, persona, url, evidence_body(side))
        assert response.status_code == 403
        assert changed == set()

    @pytest.mark.parametrize("action", ["reopen", "reviewed", "return"])
    def test_coordinator_taking_the_reviewers_or_admins_step_is_refused(
        self, action, world, client_for
    ):
        sheet = self_filled(world)
        url = reverse("assessments:sheet_action", args=[sheet.pk])
        response, changed = post_and_diff(
            client_for, "coordinator_a", url, {"action": action, "reason": "改"}
        )
        assert response.status_code == 403
        assert changed == set()


class TestItemTampered:
    def test_evidence_for_an_item_the_rubric_lacks_is_refused(self, world, client_for):
        url = reverse("assessments:evidence_upload", args=[world.sheet_a.pk])
        response, changed = post_and_diff(
            client_for, "coordinator_a", url, evidence_body("self", "999")
        )
        assert response.status_code == 404
        assert changed == set()

    def test_item_grid_of_an_item_of_another_rubric_is_refused(self, world, client_for):
        from tests.conftest import import_seed_rubric

        other = import_seed_rubric("xinjian-2021-window").items.order_by("pk").first()
        reviewing(world)
        url = reverse("assessments:item_grid", args=[world.cycle.pk, other.pk])
        sheet = world.sheet_a
        body = {f"g{sheet.pk}-version": str(sheet.version), **item_fields(world, f"g{sheet.pk}")}
        response, changed = post_and_diff(client_for, "reviewer_a", url, body)
        assert response.status_code == 404
        assert changed == set()


class TestHiddenIdsTampered:
    def test_item_grid_ignores_fields_of_another_towns_sheet(self, world, client_for):
        from decimal import Decimal

        sheet_a = reviewing(world)
        sheet_b = world.sheet_b
        body = {}
        for sheet in (sheet_a, sheet_b):
            prefix = f"g{sheet.pk}"
            body |= {f"{prefix}-version": str(sheet.version), **item_fields(world, prefix)}
        item = world.cycle.rubric.items.get(key="6")
        url = reverse("assessments:item_grid", args=[world.cycle.pk, item.pk])
        response, changed = post_and_diff(client_for, "reviewer_a", url, body)
        assert response.status_code == 302
        assert changed <= SCORE_TABLES
        assert scores_of(sheet_a) == [("6", "review", Decimal("2.5"))]
        assert scores_of(sheet_b) == []

    @pytest.mark.parametrize("version", ["999", "-1", "x"])
    def test_a_sheet_saved_with_another_version_changes_nothing(self, version, world, client_for):
        sheet = world.sheet_a
        url = reverse("assessments:sheet_self", args=[sheet.pk])
        body = {"version": version, **item_fields(world, "s")}
        response, changed = post_and_diff(client_for, "coordinator_a", url, body)
        assert response.status_code == 409
        assert changed == set()

    @pytest.mark.parametrize("town", ["b", "", "all", "0"])
    def test_reviewer_printing_another_town_or_every_town_is_refused(self, town, world, client_for):
        value = str(world.town_b.pk) if town == "b" else town
        url = reverse("assessments:cycle_print", args=[world.cycle.pk])
        response, changed = post_and_diff(client_for, "reviewer_a", url, {"town": value})
        assert response.status_code == 403
        assert changed == set()

    def test_actuals_of_another_towns_unit_posted_with_ones_own_are_ignored(
        self, world, client_for
    ):
        from targets.models import Achievement
        from tests.access_table import _indicator

        indicator = _indicator(world)
        url = reverse("targets:actual_entry", args=[indicator.pk, world.town_a.pk])
        body = {
            "as_of": TODAY().isoformat(),
            f"actual_{world.unit_a.pk}": "12",
            f"actual_{world.unit_b.pk}": "99",
            f"actual_{world.town_b.pk}": "99",
        }
        response, _changed = post_and_diff(client_for, "reviewer_a", url, body)
        assert response.status_code == 302
        saved = dict(Achievement.objects.values_list("unit__name", "actual"))
        assert saved == {"淹城社区": 12}


class TestUnitTampered:
    def test_coordinator_registered_in_another_towns_unit_is_refused(self, world, client_for):
        body = coordinator_body(world, world.unit_b, name="周新", certificate_no="")
        url = reverse("staff:coordinator_create")
        response, changed = post_and_diff(client_for, "reviewer_a", url, body)
        assert response.status_code == 200 and response.context["form"].errors
        assert changed == set()

    @pytest.mark.parametrize(
        "tamper",
        [
            {"unit": "unit_b"},
            {"account": "coordinator_b"},  # another town's coordinator account
            {"account": "admin"},
            {"account": "reviewer_b"},
        ],
    )
    def test_coordinator_edit_moving_or_linking_outside_the_town_is_refused(
        self, tamper, world, client_for
    ):
        from tests.staff.world import coordinator_of

        person = coordinator_of(world)
        person.user = None
        person.save()
        value = next(iter(tamper.values()))
        changes = {"unit": str(world.unit_b.pk)} if value == "unit_b" else {"account": value}
        url = reverse("staff:coordinator_edit", args=[person.pk])
        body = coordinator_body(world, world.unit_a, **changes)
        response, changed = post_and_diff(client_for, "reviewer_a", url, body)
        assert response.status_code == 200 and response.context["form"].errors
        assert changed == set()

    def test_roster_naming_another_towns_unit_is_refused_at_preview(self, world, client_for):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("花名册.xlsx", roster_xlsx(unit_name="东陈村"))
        url = reverse("staff:roster_import")
        response, changed = post_and_diff(client_for, "reviewer_a", url, {"file": upload})
        assert response.status_code == 200
        assert response.context["plan"] is not None and not response.context["plan"].ok
        assert "token" not in response.context
        assert changed == set()


class TestTokensTampered:
    def score_token(self, world, client_for, persona="reviewer_a"):
        from tests.assessments.test_offline_import_side import upload

        cycle = reviewing(world).cycle
        url = reverse("assessments:score_import", args=[cycle.pk])
        response = client_for(persona).post(url, {"side": "review", "file": upload(cycle)})
        assert response.status_code == 200 and response.context["report"].ok
        return response.context["token"]

    def test_confirming_another_reviewers_score_upload_changes_nothing(self, world, client_for):
        from staff.models import Coordinator

        token = self.score_token(world, client_for)
        # Reviewer B sees the same cycle; the upload is reviewer A's.
        url = reverse("assessments:score_import", args=[world.cycle.pk])
        response, changed = post_and_diff(
            client_for, "reviewer_b", url, {"token": token, "confirm": "1"}
        )
        assert response.status_code == 302
        assert changed == set()
        assert Coordinator.objects.count() == 0

    def test_a_roster_token_confirmed_as_a_score_import_changes_nothing(self, world, client_for):
        token = pending_roster(world, "reviewer_a")
        url = reverse("assessments:score_import", args=[world.cycle.pk])
        response, changed = post_and_diff(
            client_for, "reviewer_a", url, {"token": token, "confirm": "1", "side": "self"}
        )
        assert response.status_code == 302
        assert changed == set()

    def test_a_score_token_confirmed_as_a_roster_import_changes_nothing(self, world, client_for):
        token = self.score_token(world, client_for)
        url = reverse("staff:roster_import_confirm")
        response, changed = post_and_diff(client_for, "reviewer_a", url, {"token": token})
        assert response.status_code in (200, 302)
        assert changed == set()

    def test_another_administrators_target_upload_cannot_be_confirmed(self, world, client_for):
        from tests.staff.world import make_user

        other = make_user("admin2", "admin")
        world.users["admin2"] = other
        token = pending_targets(world, "admin2")
        url = reverse("targets:target_import_preview", args=[token])
        response, changed = post_and_diff(client_for, "admin", url, {})
        assert response.status_code == 404
        assert changed == set()

    def test_a_roster_token_confirmed_as_a_target_import_changes_nothing(self, world, client_for):
        token = pending_roster(world, "admin")
        url = reverse("targets:target_import_preview", args=[token])
        response, changed = post_and_diff(client_for, "admin", url, {})
        assert response.status_code == 404
        assert changed == set()


class TestDecisionTampered:
    def test_handover_posted_by_the_village_head_is_ignored(self, world, client_for):
        from staff.models import DepartureReport
        from tests.staff.world import departure_of

        add_more_personas(world)
        report = departure_of(world)
        body = {
            "decision": "approve",
            "handover_shown": "on",
            "handover_files": "on",
            "handover_equipment": "on",
            "handover_note": "已移交",
            "confirmed": "1",
        }
        url = reverse("staff:departure_decide", args=[report.pk])
        response, _changed = post_and_diff(client_for, "village_head", url, body)
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.state == DepartureReport.State.PENDING_TOWN
        assert (report.handover_files, report.handover_equipment, report.handover_note) == (
            False,
            False,
            "",
        )

    @pytest.mark.parametrize("decision", ["withdraw", "return", "handover", ""])
    def test_a_decision_that_is_not_approve_or_reject_changes_nothing(
        self, decision, world, client_for
    ):
        from tests.staff.world import leave_of

        leave = leave_of(world)
        url = reverse("staff:leave_decide", args=[leave.pk])
        response, changed = post_and_diff(
            client_for, "reviewer_a", url, {"decision": decision, "signer_name": "王村长"}
        )
        assert response.status_code == 302
        assert changed == set()
