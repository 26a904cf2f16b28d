"""公布 and 公示: publishing a finalised cycle's results opens its 公示期; when the 公示 has
ended with no 异议 waiting, the results are final (已终结).

``cycle_publish`` is the ``publish`` step of ``assessments.transitions`` with its dates and
scope; ``publicity_tick`` (periodic, ``jobs.schedule``) tells everyone when a 公示 that was
set to begin later begins, and marks the cycles whose 公示 ended. ``publicity_doc`` fills the
printed 公示 list.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import selectors
from assessments.models import Change, Cycle
from assessments.print_documents import PublicityDoc, PublicityRow
from assessments.services import WorkflowError, cycle_step
from assessments.transitions import CYCLE_TRANSITIONS
from jobs.schedule import periodic
from kit.formatting import day
from notices.services import notify

# The longest 公示 the page accepts; the documents speak of 5 to 7 working days.
LONGEST_DAYS = 60


class PublishError(WorkflowError):
    """A refused publication: ``errors`` maps a form field (or None) to what is wrong."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("；".join(errors.values()))


@dataclass
class PublishPreview:
    """What publishing will do, said on the confirmation page."""

    units: int
    towns: list = field(default_factory=list)  # [{"town_name", "n"}]
    audience: int = 0
    stale: int = 0  # score changes after the last computation


def publish_preview(cycle: Cycle) -> PublishPreview:
    return PublishPreview(
        units=cycle.results.count(),
        towns=selectors.publicity_towns_count(cycle),
        audience=selectors.publicity_audience(cycle).count(),
        stale=_stale_changes(cycle),
    )


def _stale_changes(cycle: Cycle) -> int:
    """Score changes saved after the results were last computed."""
    if not cycle.computed_at:
        return 0
    return Change.objects.filter(
        cycle=cycle, item__isnull=False, what__endswith="_score", at__gt=cycle.computed_at
    ).count()


def publish_refused(cycle: Cycle, *, start: date | None, end: date | None, today: date) -> dict:
    """{field or None: why not}, empty when the cycle may be published with these dates."""
    errors = {}
    if (cycle.state, "publish") not in CYCLE_TRANSITIONS:
        errors[None] = (
            f"考核周期「{cycle.title}」当前为「{cycle.get_state_display()}」，定稿后才能公布结果。"
        )
        return errors
    stale = _stale_changes(cycle)
    if stale:
        errors[None] = (
            f"最近一次计算结果之后，考核表又有 {stale} 处评分修改。"
            "请先回到审核、重新计算结果并定稿，再公布。"
        )
    if start is None:
        errors["start"] = "请填写公示开始日期。"
    elif start < today:
        errors["start"] = f"公示开始日期 {start:%Y-%m-%d} 早于今天，请填今天或以后的日期。"
    if end is None:
        errors["end"] = "请填写公示截止日期。"
    elif start is not None and end < start:
        errors["end"] = f"公示截止日期 {end:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}。"
    elif start is not None and (end - start).days > LONGEST_DAYS:
        errors["end"] = f"公示期最长 {LONGEST_DAYS} 天（现为 {(end - start).days} 天）。"
    return errors


@dataclass
class Published:
    cycle: Cycle
    units: int
    told: int


@transaction.atomic
def cycle_publish(*, cycle: Cycle, user, start: date, end: date, scope: str) -> Published:
    """Publish the finalised results and open their 公示 from ``start`` to ``end`` (both
    days included); ``scope``: each town sees its own list, or everyone the whole cycle's."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    today = timezone.localdate()
    errors = publish_refused(cycle, start=start, end=end, today=today)
    if scope not in Cycle.PublicityScope.values:
        errors["scope"] = "请选择公示范围。"
    if errors:
        raise PublishError(errors)
    cycle.publicity_start, cycle.publicity_end = start, end
    cycle.publicity_scope = scope
    cycle.publicity_round += 1
    cycle.results_final_at = None
    cycle.save(
        update_fields=[
            "publicity_start",
            "publicity_end",
            "publicity_scope",
            "publicity_round",
            "results_final_at",
        ]
    )
    cycle = cycle_step(cycle=cycle, action="publish", user=user)
    Change.objects.create(
        cycle=cycle,
        user=user,
        what="publicity_set",
        new=f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}，{cycle.get_publicity_scope_display()}",
    )
    audience = list(selectors.publicity_audience(cycle))
    link = reverse("assessments:publicity", args=[cycle.pk])
    dates = f"{day(start)}至{day(end)}"
    told = notify(
        audience,
        event="results_published",
        title=f"「{cycle.title}」考核结果已公布",
        body=f"公示期：{dates}。公示期间，对本单位结果有异议的，可由本单位协理员在公示页面提出。",
        link=link,
        key=f"results_published:{cycle.pk}:{cycle.publicity_round}",
    )
    if start <= today:
        _announce_start(cycle, audience)
    return Published(cycle=cycle, units=cycle.results.count(), told=len(told))


def _announce_start(cycle: Cycle, audience=None) -> int:
    """Tell the 公示's audience it has begun, once per round (recorded as a Change)."""
    marker = str(cycle.publicity_round)
    if Change.objects.filter(cycle=cycle, what="publicity_started", new=marker).exists():
        return 0
    Change.objects.create(cycle=cycle, what="publicity_started", new=marker)
    told = notify(
        audience if audience is not None else selectors.publicity_audience(cycle),
        event="publicity_started",
        title=f"「{cycle.title}」考核结果开始公示",
        body=f"公示截止 {day(cycle.publicity_end)}。",
        link=reverse("assessments:publicity", args=[cycle.pk]),
        key=f"publicity_started:{cycle.pk}:{cycle.publicity_round}",
    )
    return len(told)


@transaction.atomic
def publicity_close(*, cycle: Cycle, today: date) -> bool:
    """Mark the results final when the cycle's 公示 ended before ``today`` and no 异议
    waits for its answer; True if it did."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if (
        cycle.state != Cycle.State.PUBLISHED
        or cycle.results_final_at is not None
        or cycle.publicity_end is None
        or cycle.publicity_end >= today
        or selectors.waiting_objections(cycle).exists()
    ):
        return False
    cycle.results_final_at = timezone.now()
    cycle.save(update_fields=["results_final_at"])
    Change.objects.create(
        cycle=cycle,
        what="results_final",
        old=cycle.get_state_display(),
        new="公示结束，结果终结",
    )
    notify(
        selectors.publicity_audience(cycle),
        event="publicity_ended",
        title=f"「{cycle.title}」公示结束，考核结果已终结",
        body=f"公示于 {day(cycle.publicity_end)} 截止，结果不再变动。",
        link=reverse("assessments:publicity", args=[cycle.pk]),
        key=f"publicity_ended:{cycle.pk}:{cycle.publicity_round}",
    )
    return True


@periodic("assessments_publicity", every=timedelta(hours=1))
def publicity_tick(today: date | None = None) -> str:
    """Announce the 公示 that began today (set to begin later when published); mark final
    the results whose 公示 ended."""
    today = today or timezone.localdate()
    running = Cycle.objects.filter(
        state=Cycle.State.PUBLISHED, results_final_at__isnull=True, publicity_start__lte=today
    )
    started = final = waiting = 0
    for cycle in running.iterator():
        started += bool(_announce_start(cycle))
        if cycle.publicity_end and cycle.publicity_end < today:
            if publicity_close(cycle=cycle, today=today):
                final += 1
            else:
                waiting += 1
    return f"公示开始 {started} 个，结果终结 {final} 个，因异议未答复暂不终结 {waiting} 个。"


# --------------------------------------------------------------------------- printing


def _issuer(cycle: Cycle) -> str:
    """The bureau above the cycle's units, which issues the 公示."""
    from django.db.models import Q

    from org.models import Unit

    parents = Unit.objects.filter(pk__in=cycle.assessments.values("unit_id")).values("parent_id")
    grandparents = Unit.objects.filter(pk__in=parents).values("parent_id")
    name = (
        Unit.objects.filter(kind=Unit.Kind.BUREAU)
        .filter(Q(pk__in=parents) | Q(pk__in=grandparents))
        .values_list("name", flat=True)
        .first()
    )
    return name or "人力资源和社会保障局"


def publicity_doc(cycle: Cycle, rows, *, scope_text: str) -> PublicityDoc:
    """The printed 公示 list of ``rows`` (current results, rank order)."""
    return PublicityDoc(
        title=f"{cycle.title}结果公示",
        year=cycle.year,
        scope_text=scope_text,
        start=cycle.publicity_start,
        end=cycle.publicity_end,
        date_text=timezone.localdate(),
        show_amount=cycle.base_subsidy is not None,
        final=cycle.results_final_at is not None,
        issuer=_issuer(cycle),
        rows=[
            PublicityRow(
                rank=r.rank,
                unit=f"{r.coordinator.name}（{r.unit.name}）" if r.coordinator_id else r.unit.name,
                town=r.town_name,
                total=r.total,
                grade=r.grade,
                subsidy_percent=r.subsidy_percent,
                amount=r.subsidy_amount,
            )
            for r in rows
        ],
    )
