"""The world's cycle brought to its 公示: finalised, published, a 异议 filed.

Used by the publicity tests and by the access and tamper tables. Unit A (淹城社区, 湖塘镇) and
unit B (东陈村, 东陈镇) are its two units.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import compute, publicity, services
from assessments.models import Assessment, Cycle
from rubrics.selectors import engine_rubric_for
from tests.conftest import PNG_BYTES

REASON = "第6项台账已按时建立，评分时漏看，请复核。"


def _reload(world):
    cycle = Cycle.objects.select_related("rubric").get(pk=world.cycle.pk)
    world._made["cycle"] = cycle
    return cycle


def finalised(world):
    """Both sheets submitted and reviewed, the results computed and finalised."""
    cycle = world.cycle
    if cycle.state == Cycle.State.FINALISED:
        return cycle
    admin = world.users["admin"]
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    cycle.assessments.update(state=Assessment.State.SUBMITTED)
    cycle = _reload(world)
    compute.cycle_compute(cycle=cycle, user=admin)
    cycle = _reload(world)
    for result in cycle.results.filter(needs_confirmation=True, confirmed_by__isnull=True):
        services.result_confirm(result=result, user=admin)
    services.cycle_step(cycle=cycle, action="finalise", user=admin)
    return _reload(world)


def publicised(world, *, scope=Cycle.PublicityScope.TOWN, start=None, end=None):
    """Published, its 公示 running from today (or ``start``) for five days."""
    cycle = world.cycle
    if cycle.state == Cycle.State.PUBLISHED:
        return cycle
    cycle = finalised(world)
    today = timezone.localdate()
    start = start or today
    publicity.cycle_publish(
        cycle=cycle,
        user=world.users["admin"],
        start=start,
        end=end or start + timedelta(days=5),
        scope=scope,
    )
    return _reload(world)


def result_a(world):
    return world.cycle.results.get(unit=world.unit_a)


def evidence_file(name="核查记录.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def objection_a(world, *, evidence=True):
    """Coordinator A's 异议 against unit A's result, waiting for its answer."""
    from assessments import objections
    from assessments.models import Objection

    found = Objection.objects.filter(unit=world.unit_a).first()
    if found:
        return found
    cycle = publicised(world)
    return objections.objection_file(
        cycle=cycle,
        result=result_a(world),
        user=world.users["coordinator_a"],
        reason=REASON,
        upload=evidence_file() if evidence else None,
    )


def review_item_6(world, score: str, user=None):
    """Town A's reviewer (or ``user``) gives sheet A's item 6 ``score`` points."""
    from assessments.sheet_page import read_form

    sheet = Assessment.objects.select_related("cycle__rubric", "unit__parent").get(
        cycle=world.cycle, unit=world.unit_a
    )
    parsed = engine_rubric_for(sheet.cycle.rubric)
    inputs, notes = read_form(parsed, {"r-6-score": score}, "review", only=[parsed.item("6")])
    outcome = services.sheet_save(
        sheet=sheet,
        user=user or world.users["reviewer_a"],
        side="review",
        inputs=inputs,
        notes=notes,
        expected_version=sheet.version,
    )
    assert outcome.saved, outcome.errors + outcome.conflict
    return outcome
