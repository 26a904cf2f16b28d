"""The attendance and leave rules of 《新沂市村（社区）人社基层服务平台协理员管理制度》,
五、考勤制度. Plain Python, no Django import: data in, data out.

- 第3条: leave is applied for in advance; in an emergency it may be reported orally first and
  the paperwork done afterwards (事后补办); an overrun needs an extension (续假) afterwards.
- 第4条: 三天（含三天）以上 also needs 市就业处 approval.
- 第5条: 全年累计旷工五天（含五天）以上 → the year's appraisal is 不合格.
- 第6条: 未按规定履行请假手续、擅离工作岗位（脱岗）、请假未归且未办续假手续 → 按旷工论处;
  a full-time coordinator away from the post for more than 7 days → contract termination.

Days are calendar days, counted inclusively (1 March to 3 March is 3 days), as the slip's
「自…至…共…天」 reads. See docs/staff.md.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kit import formatting

ABSENCE_VETO_DAYS = Decimal("5")  # 第5条: 五天（含五天）以上
AWAY_LIMIT_DAYS = 7  # 第6条: 超过7天
CITY_APPROVAL_DAYS = 3  # 第4条: 三天（含三天）以上
AFTER_THE_FACT_MAX_DAYS = 30  # how far back 事后补办 may reach (our choice, see docs)

ABSENT = "absent"
OFF_POST = "off_post"
AWAY_STATUSES = (ABSENT, OFF_POST)


def leave_days(start: date, end: date) -> int:
    """Inclusive calendar days: 3月1日至3月3日 is 3 days."""
    return (end - start).days + 1


def needs_city_approval(days: int) -> bool:
    return days >= CITY_APPROVAL_DAYS


def fmt_days(value) -> str:
    """5 → 「5」, 4.5 → 「4.5」."""
    return formatting.plain(Decimal(value))


def fmt_date(value: date) -> str:
    return formatting.month_day(value)


def fmt_full_date(value: date) -> str:
    return formatting.day(value)


@dataclass(frozen=True)
class DayEntry:
    """A daily attendance line: ``days`` from ``date`` on (0.5 for half a day)."""

    date: date
    status: str
    days: Decimal

    def dates(self) -> list[date]:
        span = max(1, math.ceil(self.days))
        return [self.date + timedelta(days=i) for i in range(span)]


@dataclass(frozen=True)
class MonthSummary:
    month: date  # the 1st
    absent_days: Decimal
    off_post_days: Decimal


@dataclass(frozen=True)
class LeaveSpan:
    """The last approved piece of a leave (the original, or its latest approved extension)."""

    label: str  # 「事假 3月1日至3月3日」
    start: date
    end: date
    returned_on: date | None  # first day back at work (销假), None while not returned
    covered_until: date | None = None  # end of a pending extension filed for the overrun


@dataclass(frozen=True)
class Overrun:
    """Days after a leave ended, before the coordinator came back, with no extension:
    请假未归，未办续假手续者，按旷工论处 (第6条)."""

    leave: LeaveSpan
    first: date
    last: date
    returned: bool

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def text(self) -> str:
        how = "后才销假" if self.returned else "仍未销假"
        return (
            f"{self.leave.label}期满{how}，{fmt_date(self.first)}至{fmt_date(self.last)}"
            f"共 {self.days} 天未办续假手续"
        )


def overrun_of(leave: LeaveSpan, *, today: date) -> Overrun | None:
    covered = max(leave.end, leave.covered_until or leave.end)
    back = leave.returned_on or today
    first, last = covered + timedelta(days=1), back - timedelta(days=1)
    if last < first:
        return None
    return Overrun(leave, first, last, returned=leave.returned_on is not None)


@dataclass(frozen=True)
class AwaySpell:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def away_spells(days: set[date]) -> list[AwaySpell]:
    """Runs of consecutive calendar days."""
    spells: list[AwaySpell] = []
    for day in sorted(days):
        if spells and spells[-1].last + timedelta(days=1) == day:
            spells[-1] = AwaySpell(spells[-1].first, day)
        else:
            spells.append(AwaySpell(day, day))
    return spells


@dataclass
class Tally:
    """One coordinator's absences without leave in one year, with where each day came from."""

    year: int
    absent: Decimal = Decimal("0")  # 旷工 (daily entries)
    off_post: Decimal = Decimal("0")  # 脱岗 (daily entries), 按旷工论处
    monthly_absent: Decimal = Decimal("0")  # 旷工 in monthly summaries
    monthly_off_post: Decimal = Decimal("0")  # 脱岗 in monthly summaries
    overruns: list[Overrun] = field(default_factory=list)
    spells: list[AwaySpell] = field(default_factory=list)
    long_months: list[tuple[date, Decimal]] = field(default_factory=list)
    fulltime: bool = True

    @property
    def overrun_days(self) -> int:
        return sum(o.days for o in self.overruns)

    @property
    def total(self) -> Decimal:
        return (
            self.absent
            + self.off_post
            + self.monthly_absent
            + self.monthly_off_post
            + Decimal(self.overrun_days)
        )

    @property
    def longest_spell(self) -> AwaySpell | None:
        return max(self.spells, key=lambda s: s.days, default=None)

    def parts(self) -> list[str]:
        parts = []
        if self.absent or self.monthly_absent:
            parts.append(f"旷工 {fmt_days(self.absent + self.monthly_absent)} 天")
        if self.off_post or self.monthly_off_post:
            parts.append(f"脱岗 {fmt_days(self.off_post + self.monthly_off_post)} 天")
        if self.overrun_days:
            parts.append(f"请假期满未销假、未续假 {self.overrun_days} 天")
        return parts

    def explanation(self) -> str:
        """「全年累计旷工 3 天」 with its parts, whether or not it reaches the veto."""
        text = f"{self.year} 年全年累计旷工 {fmt_days(self.total)} 天"
        parts = self.parts()
        if len(parts) > 1 or (parts and not parts[0].startswith("旷工")):
            text += "（" + "、".join(parts) + "；脱岗、请假未归按旷工论处，考勤制度第6条）"
        return text

    @property
    def veto(self) -> str | None:
        """第5条, worded as the appraisal shows it; None below five days."""
        if self.total < ABSENCE_VETO_DAYS:
            return None
        text = f"全年累计旷工 {fmt_days(self.total)} 天（含五天以上为不合格，考勤制度第5条）"
        parts = self.parts()
        if len(parts) > 1 or (parts and not parts[0].startswith("旷工")):
            text += (
                "：" + "、".join(parts) + "；擅离工作岗位、请假未归未办续假手续的按旷工论处"
                "（考勤制度第6条）"
            )
        return text

    @property
    def termination_flag(self) -> str | None:
        """第6条: away from the post more than 7 days → flagged for contract termination."""
        if not self.fulltime:
            return None
        reasons = []
        for spell in self.spells:
            if spell.days > AWAY_LIMIT_DAYS:
                reasons.append(
                    f"{fmt_date(spell.first)}至{fmt_date(spell.last)}连续脱离岗位 {spell.days} 天"
                )
        for month, days in self.long_months:
            reasons.append(
                f"{month.month}月汇总记旷工、脱岗共 {fmt_days(days)} 天（是否连续请核实）"
            )
        if not reasons:
            return None
        return (
            "；".join(reasons)
            + f"，超过 {AWAY_LIMIT_DAYS} 天：专职协理员脱离本职岗位超过7天的，依法解除劳动合同"
            "（考勤制度第6条），请镇（街道）社会事业服务中心核实处理"
        )


def tally(
    *,
    year: int,
    entries: list[DayEntry],
    months: list[MonthSummary],
    leaves: list[LeaveSpan],
    today: date,
    fulltime: bool = True,
) -> Tally:
    result = Tally(year=year, fulltime=fulltime)
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    away: set[date] = set()
    for entry in entries:
        if entry.date.year != year or entry.status not in AWAY_STATUSES:
            continue
        if entry.status == ABSENT:
            result.absent += entry.days
        else:
            result.off_post += entry.days
        away.update(entry.dates())
    for month in months:
        if month.month.year != year:
            continue
        result.monthly_absent += month.absent_days
        result.monthly_off_post += month.off_post_days
        if month.absent_days + month.off_post_days > AWAY_LIMIT_DAYS:
            result.long_months.append((month.month, month.absent_days + month.off_post_days))
    for leave in leaves:
        overrun = overrun_of(leave, today=today)
        if overrun is None:
            continue
        first, last = max(overrun.first, first_day), min(overrun.last, last_day)
        if last < first:
            continue
        clipped = Overrun(leave, first, last, overrun.returned)
        result.overruns.append(clipped)
        away.update(first + timedelta(days=i) for i in range(clipped.days))
    result.spells = away_spells(away)
    return result
