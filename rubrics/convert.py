"""Between the stored rubric (models) and the rubric file format (docs/rubric-format.md).

The file format is also what the engine loads, so every rubric reaches the engine the same
way: models → dict → ``rubric_from_dict``.
"""

from decimal import Decimal

from kit.formatting import plain
from rubrics import engine
from rubrics.engine.loader import write_rubric
from rubrics.models import GradeBand, Item, Rubric, Section


def _num(value: Decimal | None) -> str | None:
    """A stored decimal as the file writes it: 「3」, 「0.5」 (no trailing zeros)."""
    return None if value is None else plain(value)


def rubric_as_dict(rubric: Rubric) -> dict:
    """The file form of a stored rubric (sections and items in their order)."""
    sections = rubric.sections.all().prefetch_related("items")
    quota = None
    if rubric.quota_grade:
        quota = engine.Quota(
            rubric.quota_grade,
            rubric.quota_percent,
            rubric.quota_scope,
            rubric.quota_enforced,
            tuple(rubric.quota_tie_break or ()),
        )
    return write_rubric(
        rubric,
        columns=rubric.columns or {},
        grades=[
            engine.GradeBand(b.label, b.min_score, b.subsidy_percent)
            for b in rubric.grade_bands.all()
        ],
        fallback=engine.GradeBand(rubric.fallback_grade, None, rubric.fallback_subsidy_percent),
        quota=quota,
        sections=[(s, s.items.all()) for s in sections],
        number=_num,
    )


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
        quota_tie_break=list(quota.get("tie_break") or []),
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
