"""A 常州 community cycle over five towns of two communities each, scored through the sheets
and computed, with 湖塘镇 made lenient: its reviewer gives 98 and 95 where the other towns
get 77–91.

Every unit scores itself 98 (the best answers). Review totals, from the 常州 items set to 0
(6→3, 7→3, 8→4, 23→3, 24→4, 25→4, 27→4, 28→4 points off 98):

    town     units (review totals)   mean    self − review   优秀 (≥90)
    湖塘镇   98, 95                  96.5     1.5            2 of 2 = 100%
    东陈镇   77, 88                  82.5    15.5            0
    礼嘉镇   77, 91                  84      14              1 of 2 = 50%
    雪堰镇   69, 88                  78.5    19.5            0
    前黄镇   77, 88                  82.5    15.5            0

Cycle mean 848 / 10 = 84.8; the town means' deviations from their mean 84.8 are 11.7, −2.3,
−0.8, −6.3, −2.3, squares summing to 187.8, σ² = 37.56, 2.25 σ² = 84.51: only 湖塘镇
(11.7² = 136.89) is flagged 偏高 (雪堰镇: 6.3² = 39.69 is not). The gaps mirror the means
(cycle gap 98 − 84.8 = 13.2, the same σ): 湖塘镇 is 偏低. 优秀 shares 100, 0, 50, 0, 0
around the cycle's 3 / 10 = 30 %: σ² = (70² + 30² + 20² + 30² + 30²) / 5 = 1600, σ = 40,
1.5 σ = 60: 湖塘镇 (70 above) is 偏高; 湖塘镇 and 礼嘉镇 are over the 30 % quota.
"""

from assessments import compute, services
from assessments.models import Assessment
from assessments.sheet_page import read_form
from org.models import Unit
from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import best_answers
from tests.conftest import import_seed_rubric

SEVENTY_SEVEN = ["6", "7", "8", "23", "24", "25"]
ZEROS = {
    98: [],
    95: ["6"],
    91: ["8", "6"],
    88: ["6", "7", "8"],
    77: SEVENTY_SEVEN,
    69: [*SEVENTY_SEVEN, "27", "28"],
}
TOWNS = {  # town → review totals of its two communities
    "湖塘镇": (98, 95),
    "东陈镇": (77, 88),
    "礼嘉镇": (77, 91),
    "雪堰镇": (69, 88),
    "前黄镇": (77, 88),
}


def _town(world, name, order):
    if name == world.town_a.name:
        return world.town_a
    if name == world.town_b.name:
        return world.town_b
    return Unit.objects.create(
        name=name, kind=Unit.Kind.TOWN, parent=world.bureau, sort_order=order
    )


def _save(sheet, parsed, side, prefix, data, user):
    inputs, notes = read_form(parsed, data, side)
    outcome = services.sheet_save(
        sheet=sheet,
        user=user,
        side=side,
        inputs=inputs,
        notes=notes,
        expected_version=sheet.version,
    )
    assert outcome.saved, outcome.errors


def lenient_cycle(world, towns=TOWNS):
    """The cycle above, computed; returns it."""
    admin = world.users["admin"]
    rubric = import_seed_rubric("changzhou-community")
    units, review_of = [], {}
    for order, (name, totals) in enumerate(towns.items(), start=10):
        town = _town(world, name, order)
        town.sort_order = order
        town.save(update_fields=["sort_order"])
        for i, total in enumerate(totals):
            unit = Unit.objects.create(
                name=f"{name[:2]}{i + 1}社区", kind=Unit.Kind.COMMUNITY, parent=town, sort_order=i
            )
            units.append(unit)
            review_of[unit.pk] = total
    cycle = services.cycle_create(
        title="校准测试", year=2026, rubric=rubric, units=units, user=admin
    )
    services.cycle_step(cycle=cycle, action="open_self", user=admin)
    parsed = engine_rubric_for(rubric)
    for sheet in cycle.assessments.select_related("unit", "cycle__rubric"):
        _save(sheet, parsed, "self", "s", best_answers(parsed, "s"), admin)
    cycle.assessments.update(state=Assessment.State.SUBMITTED)
    services.cycle_step(cycle=cycle, action="open_review", user=admin)
    for sheet in cycle.assessments.select_related("unit", "cycle__rubric"):
        zeros = ZEROS[review_of[sheet.unit_id]]
        data = best_answers(
            parsed, "r", score_of=lambda item, z=zeros: 0 if item.key in z else None
        )
        _save(sheet, parsed, "review", "r", data, admin)
    compute.cycle_compute(cycle=cycle, user=admin)
    cycle.refresh_from_db()
    return cycle
