"""Demo cycles from the seed documents, scored with plausible, repeatable inputs.

- 湖塘镇 2014: the 湖塘 community standard over its 44 communities, reviewed and computed;
- 湖塘镇 2015: the same communities on the standard's next version (2), reviewed less
  leniently, computed and published: units move up and down between the two years;
- 常州 community standard, 2015, over the same communities (湖塘 is in 常州): open for
  self-assessment, with one veto failure and more than 30% of units at 90 or above; the
  demo coordinators' own sheets are left for them to fill in;
- 新建区 2021: the window standard over 区本级 and the 17 towns, 30% process + 70% annual,
  towns without a 退捕渔民 task (附件5) scored with the average; published.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import compute, publicity, services
from assessments.linked import linked_inputs
from assessments.models import Cycle
from assessments.quota_decisions import quota_decide
from assessments.sides import Side
from org.models import Unit
from rubrics.engine.rules import sample_input
from rubrics.models import Rubric
from rubrics.selectors import engine_rubric_for

# 新建 附件5: the towns with a 退捕渔民 task (矶山（二轻公司） is not a town).
XINJIAN_FISHERS = {"大塘坪乡", "昌邑乡", "铁河乡", "象山镇", "联圩镇", "南矶乡", "厚田乡"}
DEMO_COORDINATOR_UNITS = {"淹城社区", "何留社区"}


def load_demo_cycles() -> str:
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("id").first()
    made = []
    hutang = Unit.objects.filter(name="湖塘镇", kind=Unit.Kind.TOWN).first()
    if hutang and not Cycle.objects.filter(title__startswith="湖塘镇2014").exists():
        units = list(hutang.children.filter(active=True).order_by("sort_order"))
        _hutang(admin, units)
        made.append("湖塘镇2014")
    if hutang and not Cycle.objects.filter(title__startswith="常州市2015").exists():
        units = list(hutang.children.filter(active=True).order_by("sort_order"))
        _changzhou(admin, units)
        made.append("常州市2015")
    bureau = Unit.objects.filter(name="新建区人力资源和社会保障局").first()
    if bureau and not Cycle.objects.filter(title__startswith="新建区2021").exists():
        _xinjian(admin, list(bureau.children.filter(active=True).order_by("sort_order")))
        made.append("新建区2021")
    # Made last, so the earlier demo cycles keep their numbers.
    if hutang and not Cycle.objects.filter(title__startswith="湖塘镇2015").exists():
        units = list(hutang.children.filter(active=True).order_by("sort_order"))
        _hutang_next_year(admin, units)
        made.append("湖塘镇2015")
    return f"考核周期：新建 {len(made)} 个{('（' + '、'.join(made) + '）') if made else ''}。"


def _dates(**days_from_today) -> dict:
    """The cycle's dates, each so many days from the day the demo is loaded."""
    today = timezone.localdate()
    return {name: today + timedelta(days=n) for name, n in days_from_today.items()}


def _rubric(code, version=None):
    rubrics = Rubric.objects.filter(code=code)
    if version is not None:
        rubrics = rubrics.filter(version=version)
    return rubrics.order_by("-version").first()


@transaction.atomic
def _hutang(admin, units):
    cycle = services.cycle_create(
        title="湖塘镇2014年度社区人社工作考核",
        year=2014,
        rubric=_rubric("hutang-2014-community", version=1),
        units=units,
        user=admin,
        # In review: the self-assessment closed ten days ago, the review is due in a week.
        deadlines=_dates(self_deadline=-10, review_deadline=7),
    )
    _run(cycle, admin, finish="computed")


@transaction.atomic
def _hutang_next_year(admin, units):
    cycle = services.cycle_create(
        title="湖塘镇2015年度社区人社工作考核",
        year=2015,
        rubric=_rubric("hutang-2014-community", version=2),
        units=units,
        user=admin,
    )
    # A stricter review than 2014's: some communities fall to 合格 or below, a few rise.
    _run(cycle, admin, finish="published", quality=(0.70, 1.0))


@transaction.atomic
def _changzhou(admin, units):
    cycle = services.cycle_create(
        title="常州市2015年度社区人社公共服务平台评估",
        year=2015,
        rubric=_rubric("changzhou-community"),
        units=units,
        user=admin,
        base_subsidy=Decimal("10000"),
        # Self-assessment open and due in three days: the first reminder is due.
        deadlines=_dates(self_deadline=3, review_deadline=17),
    )
    _run(cycle, admin, finish="self_open", veto_unit=units[5].name if len(units) > 5 else None)


@transaction.atomic
def _xinjian(admin, units):
    cycle = services.cycle_create(
        title="新建区2021年度乡镇基层人社服务专窗目标管理考核",
        year=2021,
        rubric=_rubric("xinjian-2021-window"),
        units=units,
        user=admin,
        process_weight=Decimal("30"),
        annual_weight=Decimal("70"),
        base_subsidy=Decimal("90000"),
    )
    _run(cycle, admin, finish="published", has_task=lambda unit, item: unit.name in XINJIAN_FISHERS)


def _run(cycle, admin, *, finish, veto_unit=None, has_task=None, quality=(0.80, 1.0)):
    parsed = engine_rubric_for(cycle.rubric)
    services.cycle_step(cycle=cycle, action="open_self", user=admin)
    sheets = list(cycle.assessments.select_related("unit__parent", "cycle__rubric", "coordinator"))
    has_self = parsed.columns.self is not None
    left_open = {
        s.pk for s in sheets if finish == "self_open" and s.unit.name in DEMO_COORDINATOR_UNITS
    }

    def inputs_for(sheet):
        rng = random.Random(f"{cycle.title}/{sheet.unit.name}/{sheet.phase}")
        level = rng.uniform(*quality)
        inputs = {item.key: _input(item, rng, level, sheet, has_task) for item in parsed.items}
        if veto_unit and sheet.unit.name == veto_unit:
            inputs["2"] = {"passed": False}
        return inputs, rng

    for sheet in sheets:
        if sheet.pk in left_open:
            continue
        inputs, rng = inputs_for(sheet)
        linked = linked_inputs(sheet)
        if has_self:
            _save(sheet, admin, Side.SELF, _jitter(inputs, rng, parsed), linked)
            services.assessment_submit(sheet=sheet, user=admin)
            sheet.refresh_from_db()
    if finish != "self_open":
        services.cycle_step(cycle=cycle, action="open_review", user=admin)
    # Towns review what was submitted (reviewing may start while self-assessment is open).
    for sheet in sheets:
        if sheet.pk in left_open:
            continue
        inputs, _rng = inputs_for(sheet)
        sheet.refresh_from_db()
        _save(sheet, admin, Side.REVIEW, inputs, linked_inputs(sheet))
        services.assessment_mark_reviewed(sheet=sheet, user=admin)
    compute.cycle_compute(cycle=cycle, user=admin)
    if finish == "published":
        waiting = list(cycle.results.filter(needs_confirmation=True, quota_decision=""))
        if waiting:
            quota_decide(
                cycle=cycle,
                results=waiting,
                decision="keep",
                reason="演示数据：考核小组研究后保持原等次",
                user=admin,
            )
        services.cycle_step(cycle=cycle, action="finalise", user=admin)
        today = timezone.localdate()
        publicity.cycle_publish(
            cycle=cycle,
            user=admin,
            start=today,
            end=today + timedelta(days=7),
            scope=Cycle.PublicityScope.CYCLE,
        )


def _save(sheet, user, side, inputs, linked):
    outcome = services.sheet_save(
        sheet=sheet,
        user=user,
        side=side,
        inputs=inputs,
        notes={},
        expected_version=sheet.version,
        linked=linked,
    )
    if not outcome.saved:
        raise RuntimeError(f"demo {sheet}: {outcome.errors or outcome.conflict}")
    return outcome


def _jitter(inputs, rng, parsed):
    """Coordinators rate themselves a little higher than the reviewers do."""
    out = dict(inputs)
    for item in parsed.items:
        if item.kind == "discretionary" and "score" in out.get(item.key, {}):
            out[item.key] = {"score": str(item.max_points)}
    return out


def _input(item, rng, quality, sheet, has_task):
    if item.na_policy == "average" and has_task is not None and not has_task(sheet.unit, item):
        return {"na": True}
    # Each rule kind draws its own sample (``RuleKind.sample``).
    return sample_input(item.kind, item.params or {}, item.max_points, rng, quality)
