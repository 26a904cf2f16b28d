"""Form fields for what each rule kind needs, and reading them back into engine inputs.

Used by every page where someone enters scores (the trial calculation, self-assessment,
review), so a rule kind's inputs look the same everywhere. Field names are
``<prefix>-<item key>-<name>``; a composite's components nest their names under theirs.
"""

from dataclasses import dataclass

TARGET_KINDS = ("all_or_nothing", "proportional", "shortfall_step")
LIST_KINDS = ("fixed_deductions", "checklist", "highest_level", "additive_bonus")


@dataclass(frozen=True)
class Field:
    name: str  # full form field name
    label: str
    widget: str  # number | integer | checkbox | passfail | text
    step: str = ""
    help: str = ""


def fields_for(item, prefix: str) -> list[Field]:
    """The fields an item shows. ``item`` is an engine Item (or a component view of one)."""
    base = f"{prefix}-{item.key}"
    out = _kind_fields(item.kind, item.params, base, item)
    if item.kind in LIST_KINDS:
        # Boxes left unticked are an answer too (nothing to deduct, no level reached).
        out.append(Field(f"{base}-entered", "", "hidden"))
    if getattr(item, "na_policy", "none") != "none":
        out.append(Field(f"{base}-na", "无此项任务", "checkbox"))
    return out


def _kind_fields(kind: str, params: dict, base: str, item) -> list[Field]:
    p = params or {}
    if kind in ("discretionary",):
        return [Field(f"{base}-score", "得分", "number", str(p.get("step", "0.5")))]
    if kind in ("deduct_per_occurrence", "penalty"):
        return [Field(f"{base}-count", p.get("label") or "发生次数", "integer")]
    if kind == "fixed_deductions":
        fields = [
            Field(f"{base}-flag-{d['key']}", d["label"], "integer" if d.get("each") else "checkbox")
            for d in p.get("deductions", [])
        ]
        fields += [
            Field(f"{base}-flag-{z['key']}", f"{z['label']}（不得分）", "checkbox")
            for z in p.get("zero_if", [])
        ]
        return fields
    if kind == "checklist":
        return [
            Field(f"{base}-flag-{part['key']}", part["label"], "checkbox")
            for part in p.get("parts", [])
        ]
    if kind in TARGET_KINDS:
        fields = [
            Field(f"{base}-target", "目标", "number"),
            Field(f"{base}-actual", "完成", "number"),
        ]
        if kind == "proportional" and p.get("source") == "sub":
            fields = [
                Field(f"{base}-sub_target", "其中目标", "number"),
                Field(f"{base}-sub_actual", "其中完成", "number"),
            ]
        if kind != "shortfall_step":
            fields.append(Field(f"{base}-rate", "或：完成率（%）", "number", help="无目标数时填写"))
        return fields
    if kind == "rate_below":
        return [Field(f"{base}-rate", "比率（%）", "number")]
    if kind == "brackets":
        return [Field(f"{base}-value", "比率（%）", "number")]
    if kind in ("highest_level", "additive_bonus"):
        word = "项目数（按最高级别）" if kind == "highest_level" else "次数"
        return [
            Field(f"{base}-level-{lv['key']}", f"{lv['label']}{word}", "integer")
            for lv in p.get("levels", [])
        ]
    if kind == "veto":
        return [Field(f"{base}-passed", "是否符合", "passfail")]
    if kind == "peer_average":
        return [Field(f"{base}-ratings", "各评议人打分（用逗号或空格分隔）", "text")]
    if kind == "composite":
        fields = []
        for comp in p.get("components", []):
            sub = _kind_fields(comp["kind"], comp.get("params"), f"{base}-c-{comp['key']}", item)
            fields += [
                Field(f.name, f"{comp['label']}：{f.label}", f.widget, f.step, f.help) for f in sub
            ]
        if any(c["kind"] in TARGET_KINDS for c in p.get("components", [])):
            fields += [
                Field(f"{base}-target", "目标", "number"),
                Field(f"{base}-actual", "完成", "number"),
                Field(f"{base}-sub_target", "其中目标", "number"),
                Field(f"{base}-sub_actual", "其中完成", "number"),
            ]
        return fields
    return [Field(f"{base}-score", "得分", "number")]


def read_inputs(items, data, prefix: str) -> dict:
    """Engine inputs from submitted form data: {item key: input}. Items left blank are absent.

    Values are passed through as typed, so the engine's own checks produce the messages.
    """
    out = {}
    for item in items:
        value = _read_kind(item.kind, item.params, f"{prefix}-{item.key}", data)
        if getattr(item, "na_policy", "none") != "none" and data.get(f"{prefix}-{item.key}-na"):
            value = {"na": True}
        if value:
            out[item.key] = value
    return out


def _text(data, name):
    return (data.get(name) or "").strip()


def _one(key, field):
    def read(p, base, data):
        value = _text(data, f"{base}-{field}")
        return {key: value} if value else {}

    return read


def _targets(p, base, data):
    keys = ("target", "actual", "sub_target", "sub_actual", "rate")
    return {k: v for k in keys if (v := _text(data, f"{base}-{k}"))}


def _flags(p, base, data):
    flags, touched = {}, False
    for entry in p.get("deductions", []) + p.get("zero_if", []) + p.get("parts", []):
        raw = _text(data, f"{base}-flag-{entry['key']}")
        if entry.get("each"):
            flags[entry["key"]] = raw or "0"
            touched |= bool(raw)
        else:
            flags[entry["key"]] = raw in ("on", "1", "true")
            touched |= flags[entry["key"]]
    # An untouched list of failures means nothing was found wrong only if the person said so.
    return {"flags": flags} if touched or data.get(f"{base}-entered") else {}


def _levels(kind):
    def read(p, base, data):
        claims = []
        for level in p.get("levels", []):
            raw = _text(data, f"{base}-level-{level['key']}")
            if not raw:
                continue
            if kind == "additive_bonus":
                claims.append({"level": level["key"], "count": raw})
            else:
                # One claim per project, each at the highest level it reached.
                count = int(raw) if raw.isdigit() else raw
                if isinstance(count, str):
                    return {"claims": [{"project": "1", "level": level["key"], "count": raw}]}
                claims += [
                    {"project": f"{level['key']}-{n}", "level": level["key"]} for n in range(count)
                ]
        return {"claims": claims} if claims or data.get(f"{base}-entered") else {}

    return read


def _veto(p, base, data):
    raw = _text(data, f"{base}-passed")
    return {"passed": raw == "yes"} if raw in ("yes", "no") else {}


def _ratings(p, base, data):
    raw = _text(data, f"{base}-ratings")
    for sep in ("，", "、", ","):
        raw = raw.replace(sep, " ")
    ratings = raw.split()
    return {"ratings": ratings} if ratings else {}


def _composite(p, base, data):
    out = _targets(p, base, data)
    components = {}
    for comp in p.get("components", []):
        sub = _read_kind(comp["kind"], comp.get("params"), f"{base}-c-{comp['key']}", data)
        if sub:
            components[comp["key"]] = sub
    if components:
        out["components"] = components
    return out


_READERS = {
    "discretionary": _one("score", "score"),
    "deduct_per_occurrence": _one("count", "count"),
    "penalty": _one("count", "count"),
    "fixed_deductions": _flags,
    "checklist": _flags,
    "all_or_nothing": _targets,
    "proportional": _targets,
    "shortfall_step": _targets,
    "rate_below": _one("rate", "rate"),
    "brackets": _one("value", "value"),
    "highest_level": _levels("highest_level"),
    "additive_bonus": _levels("additive_bonus"),
    "veto": _veto,
    "peer_average": _ratings,
    "composite": _composite,
}


def _read_kind(kind, params, base, data) -> dict:
    return _READERS.get(kind, _one("score", "score"))(params or {}, base, data)


def form_values(items, inputs: dict, prefix: str) -> dict:
    """The inverse of ``read_inputs``: stored inputs as form field values."""
    out: dict[str, str] = {}
    for item in items:
        value = inputs.get(item.key)
        if not value:
            continue
        base = f"{prefix}-{item.key}"
        if value.get("na"):
            out[f"{base}-na"] = "on"
            continue
        _fill(item.kind, item.params or {}, base, value, out)
    return out


def _fill(kind, p, base, value, out) -> None:
    for key in ("score", "count", "rate", "value", "target", "actual", "sub_target", "sub_actual"):
        if key in value and value[key] not in (None, ""):
            out[f"{base}-{key}"] = str(value[key])
    for key, flag in (value.get("flags") or {}).items():
        if flag is True:
            out[f"{base}-flag-{key}"] = "on"
        elif flag not in (False, None, "0", 0, ""):
            out[f"{base}-flag-{key}"] = str(flag)
    if "passed" in value:
        out[f"{base}-passed"] = "yes" if value["passed"] else "no"
    if value.get("ratings"):
        out[f"{base}-ratings"] = " ".join(str(r) for r in value["ratings"])
    if "claims" in value:
        counts: dict[str, int] = {}
        for claim in value["claims"]:
            n = int(claim.get("count", 1)) if str(claim.get("count", 1)).isdigit() else 1
            counts[claim["level"]] = counts.get(claim["level"], 0) + n
        for level, n in counts.items():
            out[f"{base}-level-{level}"] = str(n)
    for comp in p.get("components", []):
        sub = (value.get("components") or {}).get(comp["key"])
        if sub:
            _fill(comp["kind"], comp.get("params") or {}, f"{base}-c-{comp['key']}", sub, out)
