"""Calibration across towns: does one town's review score its units more leniently (or more
strictly) than the others?

Per town of a cycle's current results: the distribution of totals, the mean review total,
the self-vs-review gap and the share of the top grade, each set against the cycle and
flagged by one rule (``spread_flags``):

    a town's figure x is flagged 偏高 (偏低) when x − c > 1.5 σ (c − x > 1.5 σ), where
    c is the cycle's figure over all its units (or sheets) and σ is the population standard
    deviation of the towns' figures, each town counted once (σ² = Σ (x_t − x̄)² / n, x̄ the
    plain mean of the n town figures).

The comparison is exact: (x − c)² > 2.25 σ² in Decimal arithmetic, nothing rounded before
it; σ and the figures are rounded half-up (``rubrics.engine.rounding``) only for display.
With every town at the same figure σ is 0 and nothing is flagged; with fewer than two towns
there is nothing to compare.

Reads are bounded in the number of results: the per-town figures are SQL aggregates
(GROUP BY town over the current ``Result`` rows, and over the sheets' ``SideTotal`` rows
for the gap); the boxplot needs every total, so ``town_totals`` streams one
(town name, total) pair per current result in chunks of ``CHUNK`` and keeps only the
Decimals (20,000 of them for a 20,000-unit cycle), never a result row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)

from assessments.models import Cycle, Result, SideTotal
from assessments.sides import RESULT_SIDE, Side
from org.models import Unit
from rubrics.engine.rounding import ENGINE_CONTEXT, round_points

K = Decimal("1.5")  # how many standard deviations away a town is flagged
HIGH, LOW = "偏高", "偏低"
HUNDRED = Decimal(100)
PLACES = 2  # figures on the page
CHUNK = 2000  # totals read per round trip for the boxplot
NO_TOWN = "（未归属镇）"
DEFAULT_TOP_GRADE = "优秀"


# ---------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Spread:
    """The rule applied to one measure: the cycle's figure, the towns' spread, the flags."""

    centre: Decimal | None  # the cycle's figure (c)
    sd: Decimal | None  # population standard deviation of the town figures (σ), exact
    flags: dict  # town → HIGH, LOW or ""

    @property
    def threshold(self) -> Decimal | None:
        """1.5 σ, for display."""
        return None if self.sd is None else round_points(K * self.sd, PLACES)

    @property
    def centre_shown(self) -> Decimal | None:
        return shown(self.centre)

    @property
    def sd_shown(self) -> Decimal | None:
        return None if self.sd is None else round_points(self.sd, PLACES)


def spread_flags(values: dict, centre: Decimal | None) -> Spread:
    """Apply the module's rule to ``values`` (town → figure; None: the town has none) around
    ``centre`` (the cycle's figure)."""
    known = {t: v for t, v in values.items() if v is not None}
    flags = {t: "" for t in values}
    if centre is None or len(known) < 2:
        return Spread(centre, None, flags)
    with localcontext(ENGINE_CONTEXT):
        n = Decimal(len(known))
        mean = sum(known.values(), Decimal(0)) / n
        variance = sum(((v - mean) ** 2 for v in known.values()), Decimal(0)) / n
        limit = K * K * variance
        for town, v in known.items():
            if variance and (v - centre) ** 2 > limit:
                flags[town] = HIGH if v > centre else LOW
        sd = variance.sqrt()
    return Spread(centre, sd, flags)


def mean(total: Decimal | None, count: int) -> Decimal | None:
    """An exact mean (34 significant digits), None over nothing."""
    if not count or total is None:
        return None
    with localcontext(ENGINE_CONTEXT):
        return Decimal(total) / Decimal(count)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, exact; None over nothing."""
    if not whole:
        return None
    with localcontext(ENGINE_CONTEXT):
        return Decimal(part) * HUNDRED / Decimal(whole)


def shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_points(value, PLACES)


# ------------------------------------------------------------------ spot checks (later)


def spot_check_deviations(cycle: Cycle, towns: list[str]) -> dict:
    """Town → mean deviation of its review totals from the city's spot checks (抽查).

    Spot checks are not recorded yet, so every town has None and the page says
    「未开展抽查」; once they are, this returns the mean (review − spot check) per town."""
    return {town: None for town in towns}


# ---------------------------------------------------------------------------- reading


def _town_of_unit(prefix: str):
    """The town of a sheet's or a result's unit, in SQL: the unit itself when it is a town,
    otherwise its parent (as ``assessments.compute`` names ``Result.town_name``)."""
    return Case(
        When(**{f"{prefix}kind__in": Unit.TOWN_KINDS}, then=F(f"{prefix}name")),
        default=F(f"{prefix}parent__name"),
        output_field=CharField(),
    )


def _town_order():
    return Min(
        Case(
            When(unit__kind__in=Unit.TOWN_KINDS, then=F("unit__sort_order")),
            default=F("unit__parent__sort_order"),
        )
    )


def top_grade(cycle: Cycle) -> tuple[str, Decimal | None]:
    """(the grade whose share is compared, the rubric's quota in percent or None)."""
    rubric = cycle.rubric
    return (rubric.quota_grade or DEFAULT_TOP_GRADE), rubric.quota_percent


def town_result_figures(cycle: Cycle, grade: str) -> list[dict]:
    """Per town, in tree order, one GROUP BY over the current results: ``town``, ``n``,
    ``total_sum`` and ``top`` (results whose grade before the quota is ``grade``)."""
    rows = (
        Result.objects.filter(cycle=cycle)
        .values("town_name")
        .annotate(
            n=Count("id"),
            total_sum=Sum("total"),
            top=Count("id", filter=Q(grade_before_quota=grade)),
            order=_town_order(),
        )
        .order_by("order", "town_name")
    )
    return [{**r, "town": r["town_name"] or NO_TOWN} for r in rows]


def town_gap_figures(cycle: Cycle) -> dict:
    """Town → (sheets with both a self and a review total, Σ self, Σ review), one GROUP BY
    over the cycle's sheets."""

    def side_total(side):
        return Subquery(
            SideTotal.objects.filter(assessment=OuterRef("pk"), side=side).values("total")[:1],
            output_field=DecimalField(max_digits=7, decimal_places=2),
        )

    rows = (
        cycle.assessments.annotate(
            town=_town_of_unit("unit__"), own=side_total(Side.SELF), review=side_total(RESULT_SIDE)
        )
        .filter(own__isnull=False, review__isnull=False)
        .values("town")
        .annotate(n=Count("id"), own_sum=Sum("own"), review_sum=Sum("review"))
        .order_by()
    )
    return {(r["town"] or NO_TOWN): (r["n"], r["own_sum"], r["review_sum"]) for r in rows}


def town_totals(cycle: Cycle) -> dict:
    """Town → every current total of the town, ascending: streamed, ``CHUNK`` at a time."""
    out: dict = {}
    rows = (
        Result.objects.filter(cycle=cycle)
        .order_by("town_name", "total")
        .values_list("town_name", "total")
        .iterator(chunk_size=CHUNK)
    )
    for town, total in rows:
        out.setdefault(town or NO_TOWN, []).append(total)
    return out


# ------------------------------------------------------------------------------ page


@dataclass
class TownRow:
    town: str
    count: int
    mean: Decimal | None
    gap: Decimal | None
    gap_count: int
    top: int
    share: Decimal | None
    spot_check: Decimal | None
    flags: dict = field(default_factory=dict)  # measure → HIGH, LOW or ""
    over_quota: bool = False

    @property
    def mean_shown(self):
        return shown(self.mean)

    @property
    def gap_shown(self):
        return shown(self.gap)

    @property
    def share_shown(self):
        return shown(self.share)

    @property
    def flagged(self) -> bool:
        return any(self.flags.values())


@dataclass
class Calibration:
    towns: list  # TownRow, in tree order
    count: int  # current results
    mean: Spread
    gap: Spread
    share: Spread
    grade: str  # the grade whose share is compared
    quota: Decimal | None  # its quota in percent (None: the rubric sets none)
    totals: dict  # town → its totals, ascending (the boxplot)
    gap_count: int = 0

    @property
    def empty(self) -> bool:
        return not self.count

    @property
    def flagged_towns(self) -> list:
        return [t for t in self.towns if t.flagged]


def calibration(cycle: Cycle) -> Calibration:
    """Everything the calibration page shows: three aggregate queries and one stream of
    totals, whatever the number of units."""
    grade, quota = top_grade(cycle)
    figures = town_result_figures(cycle, grade)
    gaps = town_gap_figures(cycle)
    names = [f["town"] for f in figures]
    checks = spot_check_deviations(cycle, names)
    rows = []
    for f in figures:
        n_gap, own, review = gaps.get(f["town"], (0, None, None))
        gap = None
        if n_gap:
            with localcontext(ENGINE_CONTEXT):
                gap = mean(own - review, n_gap)
        town_share = share(f["top"], f["n"])
        rows.append(
            TownRow(
                town=f["town"],
                count=f["n"],
                mean=mean(f["total_sum"], f["n"]),
                gap=gap,
                gap_count=n_gap,
                top=f["top"],
                share=town_share,
                spot_check=checks.get(f["town"]),
                over_quota=quota is not None and town_share is not None and town_share > quota,
            )
        )
    count = sum(r.count for r in rows)
    total_sum = sum((f["total_sum"] for f in figures), Decimal(0))
    gap_n = sum(n for n, _o, _r in gaps.values())
    with localcontext(ENGINE_CONTEXT):
        gap_diff = sum((o - r for _n, o, r in gaps.values()), Decimal(0))
    spreads = {
        "mean": spread_flags({r.town: r.mean for r in rows}, mean(total_sum, count)),
        "gap": spread_flags({r.town: r.gap for r in rows}, mean(gap_diff, gap_n)),
        "share": spread_flags(
            {r.town: r.share for r in rows}, share(sum(r.top for r in rows), count)
        ),
    }
    for r in rows:
        r.flags = {measure: s.flags.get(r.town, "") for measure, s in spreads.items()}
    return Calibration(
        towns=rows,
        count=count,
        mean=spreads["mean"],
        gap=spreads["gap"],
        share=spreads["share"],
        grade=grade,
        quota=quota,
        totals=town_totals(cycle) if count else {},
        gap_count=gap_n,
    )
