"""Items that fill themselves from other parts of the system.

- Items with an ``indicator`` read the target and the actual of the cycle's year from the
  targets app (目标任务分解表 and the actuals entered or imported there). Its numbers are
  authoritative: where it has a value, that value is used, also over what was typed.
- Two staffing facts are offered to the rubrics that score them, named by the item's
  ``indicator``: 「专窗工作人员超出数」 (新建 五.3: +0.5 per window staff beyond 3) and
  「持证专职协理员」 (常州 一票否决 2). They only fill an item nobody has answered.
"""

from targets.selectors import targets_and_actuals

STAFF_INDICATORS = ("专窗工作人员超出数", "持证专职协理员")


def _target_values(row) -> dict:
    target, sub_target, actual, sub_actual = row
    values = {
        "target": target,
        "sub_target": sub_target,
        "actual": actual,
        "sub_actual": sub_actual,
    }
    return {k: str(v) for k, v in values.items() if v is not None}


def _staff_value(indicator: str, unit, year: int) -> dict | None:
    from staff.selectors import certified_fulltime_coordinator, extra_window_staff

    if indicator == "专窗工作人员超出数":
        extra = extra_window_staff(unit, year)
        return {"claims": [{"level": "extra_staff", "count": extra}]} if extra else None
    if indicator == "持证专职协理员":
        return {"passed": certified_fulltime_coordinator(unit)}
    return None


def linked_items(cycle):
    return [i for i in cycle.rubric.items.exclude(indicator="")]


def linked_inputs(sheet) -> dict:
    """{item key: values} for one sheet: target values to apply, staffing suggestions."""
    cycle = sheet.cycle
    out = {}
    for item in linked_items(cycle):
        if item.indicator in STAFF_INDICATORS:
            value = _staff_value(item.indicator, sheet.unit, cycle.year)
            if value is not None:
                out[item.key] = {"suggested": value}
            continue
        row = targets_and_actuals(
            year=cycle.year, indicator=item.indicator, units=[sheet.unit_id]
        ).get(sheet.unit_id)
        if row is not None:
            values = _target_values(row)
            if values:
                out[item.key] = {"authoritative": values}
    return out


def linked_inputs_for_cycle(cycle) -> dict:
    """{unit id: {item key: target values}} for every target-linked item: two queries per
    indicator, whatever the number of units."""
    out: dict = {}
    for item in linked_items(cycle):
        if item.indicator in STAFF_INDICATORS:
            continue
        for unit_id, row in targets_and_actuals(year=cycle.year, indicator=item.indicator).items():
            values = _target_values(row)
            if values:
                out.setdefault(unit_id, {})[item.key] = values
    return out


def apply_linked(inputs: dict, linked: dict) -> dict:
    """Inputs with linked values applied: authoritative ones over what is there, suggestions
    only where nothing is."""
    merged = dict(inputs)
    for key, value in linked.items():
        current = merged.get(key) or {}
        if "authoritative" in value:
            if current.get("na"):
                continue
            combined = {**current, **value["authoritative"]}
            # A target alone scores nothing yet: wait for an actual rather than fail the save.
            if current or "actual" in combined:
                merged[key] = combined
        elif "suggested" in value and not current:
            merged[key] = value["suggested"]
    return merged
