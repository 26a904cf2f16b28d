"""What the cycle page shows of deadlines: the dates, the present stage's days left, and
for those who may see it, how many sheets are overdue."""

from assessments import deadlines, overdue
from assessments.policy import may_administer, may_see_overdue
from org.scope import scope_for


def deadline_panel(user, cycle) -> dict:
    scope = scope_for(user)
    today = deadlines.today()
    shown = may_see_overdue(scope)
    stages = deadlines.stage_deadlines(cycle, on=today)
    return {
        # (name, date, its Deadline with the days left, or why none is counted, or None)
        "cycle_dates": [
            (label, getattr(cycle, field), stages.get(field))
            for field, label in deadlines.CYCLE_DATES.items()
            if getattr(cycle, field)
        ],
        "overdue_shown": shown,
        "overdue_count": overdue.overdue_sheets(user, cycle, on=today).count() if shown else 0,
        "dates_editable": may_administer(scope),
    }
