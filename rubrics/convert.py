"""Between the stored rubric (models) and the rubric file format (docs/rubric-format.md).

The file format is also what the engine loads, so every rubric reaches the engine the same
way: models → dict → ``rubric_from_dict``.
"""

from decimal import Decimal

from kit.formatting import plain
from rubrics import engine
from rubrics.models import GradeBand, Item, Rubric, Section


def _num(value: Decimal | None) -> str | None:
    """A stored decimal as the file writes it: 「3」, 「0.5」 (no trailing zeros)."""
    return None if value is None else plain(value)


def rubric_as_dict(rubric: Rubric) -> dict:
    """The file form of a stored rubric (sections and items in their order)."""
    sections = list(rubric.sections.all().prefetch_related("items"))
    bands = list(rubric.grade_bands.all())
    return {
        "code": rubric.code,
        "version": rubric.version,
        "title": rubric.title,
        "issuer": rubric.issuer,
        "year": rubric.year,
        "subject": rubric.subject,
        "declared_total": _num(rubric.declared_total),
        "columns": rubric.columns or {},
        "rounding": rubric.rounding,
        "grades": [
            {"label": b.label, "min": _num(b.min_score), "subsidy_percent": _num(b.subsidy_percent)}
            for b in bands
        ],
        "fallback_grade": {
            "label": rubric.fallback_grade,
            "subsidy_percent": _num(rubric.fallback_subsidy_percent),
        },
        "veto_grade": rubric.veto_grade,
        "quota": (
            {
                "grade": rubric.quota_grade,
                "percent": _num(rubric.quota_percent),
                "scope": rubric.quota_scope,
                "enforced": rubric.quota_enforced,
            }
            if rubric.quota_grade
            else None
        ),
        "bonus_cap": _num(rubric.bonus_cap),
        "notes": rubric.notes,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "declared_points": _num(s.declared_points),
                "items": [_item_dict(i) for i in s.items.all()],
            }
            for s in sections
        ],
    }


def _item_dict(item: Item) -> dict:
    return {
        "key": item.key,
        "number": item.number,
        "title": item.title,
        "requirement": item.requirement,
        "rule_text": item.rule_text,
        "max_points": _num(item.max_points),
        "kind": item.kind,
        "params": item.params or {},
        "bonus": item.bonus,
        "penalty": item.penalty,
        "na_policy": item.na_policy,
        "indicator": item.indicator or None,
    }


def engine_rubric(rubric: Rubric) -> engine.Rubric:
    return engine.rubric_from_dict(rubric_as_dict(rubric))


def unsaved_objects(parsed: engine.Rubric):
    """Model instances for a parsed rubric, not yet saved: (rubric, bands, [(section, items)])."""
    data = engine.rubric_to_dict(parsed)
    quota = data.get("quota") or {}
    rubric = Rubric(
        code=data["code"],
        version=data["version"],
        title=data["title"],
        issuer=data.get("issuer") or "",
        year=data.get("year"),
        subject=data["subject"],
        declared_total=data.get("declared_total"),
        columns=data.get("columns") or {},
        rounding=data.get("rounding", 2),
        fallback_grade=data["fallback_grade"]["label"],
        fallback_subsidy_percent=data["fallback_grade"].get("subsidy_percent") or 0,
        veto_grade=data["veto_grade"],
        quota_grade=quota.get("grade") or "",
        quota_percent=quota.get("percent"),
        quota_scope=quota.get("scope") or "cycle",
        quota_enforced=bool(quota.get("enforced", False)),
        bonus_cap=data.get("bonus_cap"),
        notes=data.get("notes") or "",
    )
    bands = [
        GradeBand(
            order=i, label=g["label"], min_score=g["min"], subsidy_percent=g["subsidy_percent"]
        )
        for i, g in enumerate(data["grades"])
    ]
    sections = []
    for s_order, s in enumerate(data["sections"]):
        section = Section(
            order=s_order, key=s["key"], title=s["title"], declared_points=s.get("declared_points")
        )
        items = [
            Item(
                order=i_order,
                key=i["key"],
                number=i.get("number") or "",
                title=i["title"],
                requirement=i.get("requirement") or "",
                rule_text=i.get("rule_text") or "",
                max_points=i["max_points"],
                kind=i["kind"],
                params=i.get("params") or {},
                bonus=bool(i.get("bonus")),
                penalty=bool(i.get("penalty")),
                na_policy=i.get("na_policy") or "none",
                indicator=i.get("indicator") or "",
            )
            for i_order, i in enumerate(s["items"])
        ]
        sections.append((section, items))
    return rubric, bands, sections
