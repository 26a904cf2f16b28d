"""Filling a sheet form the way a person would, item by item."""


def _answer(kind, params, base, max_points, score) -> dict:
    p = params or {}
    if kind == "veto":
        return {f"{base}-passed": "yes"}
    if kind == "discretionary":
        return {f"{base}-score": str(score if score is not None else max_points)}
    if kind == "peer_average":
        value = score if score is not None else max_points
        return {f"{base}-ratings": f"{value} {value}"}
    if kind == "checklist":
        return {f"{base}-flag-{part['key']}": "on" for part in p["parts"]}
    if kind in ("brackets",):
        return {f"{base}-value": "100"}
    if kind in ("rate_below",):
        return {f"{base}-rate": "100"}
    if kind in ("deduct_per_occurrence", "penalty"):
        return {f"{base}-count": "0"}
    if kind in ("proportional", "all_or_nothing", "shortfall_step"):
        return {
            f"{base}-target": "10",
            f"{base}-actual": "10",
            f"{base}-sub_target": "10",
            f"{base}-sub_actual": "10",
        }
    if kind == "composite":
        data = {}
        for comp in p["components"]:
            data.update(
                _answer(
                    comp["kind"],
                    comp.get("params"),
                    f"{base}-c-{comp['key']}",
                    comp["max_points"],
                    None,
                )
            )
        return data
    return {f"{base}-entered": "1"}  # deductions and bonuses: nothing to report


def answer(item, prefix: str, *, score_of=None) -> dict:
    """Form data giving ``item`` the best answer its rule allows, or for discretionary and
    peer items the score ``score_of(item)`` when it returns one."""
    score = score_of(item) if score_of else None
    return _answer(item.kind, item.params, f"{prefix}-{item.key}", item.max_points, score)


def best_answers(parsed, prefix: str, *, score_of=None, skip=()) -> dict:
    data = {}
    for item in parsed.items:
        if item.key not in skip:
            data.update(answer(item, prefix, score_of=score_of))
    return data
