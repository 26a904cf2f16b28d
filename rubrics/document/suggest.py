"""A suggested rule kind, with parameters, read from an item's printed rule text.

Only explicit patterns, tried in this order; the first that matches wins, and ``words`` is
the text it matched (shown to the person who decides). No pattern: ``suggest`` returns
``None`` — the importer says so and the person chooses; nothing is guessed.

1. 一票否决 → ``veto``;
2. 每低于（降低）1个百分点扣N分 → ``rate_below`` (a 「低于N%」 before it is the threshold);
3. 国家级/省级/市级/县级/区级 N 分 → bonus levels: ``highest_level`` when the text says
   取最高 / 最高级, else ``additive_bonus``;
4. 最高加N分 / N分封顶 without levels → ``discretionary`` up to that cap (the note says the
   document gives no levels);
5. 每少N人（个、户）扣M分 → ``shortfall_step``;
6. two parts or more 「…得N分」 adding up to the item's points, nothing deducted, no
   比例 → ``checklist``;
7. with no 「扣N分」 clause: 按比例得分 → ``proportional``; 未完成…不得分 →
   ``all_or_nothing``;
8. 评议…给分 → ``peer_average``; with no 「扣N分」 clause, 酌情 → ``discretionary``;
9. clauses 「…扣N分」 (and 「…不得分」 other than 未完成): one clause saying 每 / 一次 →
   ``deduct_per_occurrence`` with that step; otherwise ``fixed_deductions``, each clause a
   deduction (「每…」 ones counted), each 「…不得分」 a zero condition;
10. 酌情 (beside deductions that did not read) → ``discretionary``.

Parameter names are those the kind declares in ``rubrics/engine/rules``; values are decimal
strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

_N = r"(\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class Suggestion:
    kind: str
    params: dict = field(default_factory=dict)
    words: str = ""
    note: str = ""


def _num(text: str) -> str:
    return str(Decimal(text).normalize()) if "." in text else text


VETO = re.compile(r"一票否决")
RATE = re.compile(
    r"(?:低于"
    + _N
    + r"%[^，。；]*?)?每(?:低于|降低|下降|少)\s*1\s*个百分点[^，。；]*?扣"
    + _N
    + "分"
)
LEVEL_WORDS = {
    "国家级": "national",
    "省级": "province",
    "市级": "city",
    "本市级": "city",
    "县级": "county",
    "区级": "district",
    "县（区）级": "county",
    "镇级": "town",
}
LEVEL = re.compile(
    r"(国家级|省级|本市级|市级|县（区）级|县级|区级|镇级)[^，。；、\d]{0,8}?" + _N + r"\s*分"
)
CAP = re.compile(r"(?:最高|最多)加\s*" + _N + r"\s*分|" + _N + r"\s*分封顶")
SHORTFALL = re.compile(r"每少\s*" + _N + r"\s*(人|个|户|家|名)[^，。；]*?扣\s*" + _N + r"\s*分")
CLAUSE = re.compile(r"([^，。；,;：:]*?)扣\s*" + _N + r"\s*分")
ZERO_CLAUSE = re.compile(r"([^，。；,;：:]*?)不得分")
EARN = re.compile(r"([^，。；,;：:]+?)得\s*" + _N + r"\s*分")
PER_WORDS = re.compile(r"每|一次|缺一次|发现一次|一人次|每次|每项|每人")
PROPORTIONAL = re.compile(
    r"按比例[^，。；]*?(?:得分|计分|给分)|按[^，。；]{0,6}比例[^，。；]{0,4}得分|按实际情况给分"
)
ALL_OR_NOTHING = re.compile(r"未完成[^，。；]{0,12}?不得分")
PEER = re.compile(r"评议[^，。；]*?给分")
DISCRETIONARY = re.compile(r"酌情(?:给分|扣分|加分|得分|计分)?")


def _levels(text: str) -> tuple[list[dict], str] | None:
    levels = []
    seen = set()
    first = last = None
    for match in LEVEL.finditer(text):
        word, points = match.group(1), match.group(2)
        key = LEVEL_WORDS[word]
        if key in seen:
            continue
        seen.add(key)
        levels.append({"key": key, "label": word, "points": _num(points)})
        first = match.start() if first is None else first
        last = match.end()
    if not levels:
        return None
    return levels, text[first:last]


def _checklist(text: str, max_points: Decimal | None) -> Suggestion | None:
    """Two parts or more 「…得N分」 adding up to the item's points, nothing deducted."""
    parts = list(EARN.finditer(text))
    if len(parts) < 2 or CLAUSE.search(text) or "比例" in text or max_points is None:
        return None
    if sum(Decimal(m.group(2)) for m in parts) != max_points:
        return None
    rows = [
        {"key": f"p{i}", "label": m.group(1).strip(), "points": _num(m.group(2))}
        for i, m in enumerate(parts, start=1)
    ]
    words = text[parts[0].start() : parts[-1].end()]
    return Suggestion("checklist", {"parts": rows}, words)


def _deductions(text: str) -> Suggestion | None:
    clauses = [m for m in CLAUSE.finditer(text) if m.group(1).strip() or True]
    zeros = [
        m
        for m in ZERO_CLAUSE.finditer(text)
        if not ALL_OR_NOTHING.search(m.group(0)) and m.group(1).strip()
    ]
    if not clauses and not zeros:
        return None
    spans = [m.span() for m in clauses] + [m.span() for m in zeros]
    words = text[min(s for s, _ in spans) : max(e for _, e in spans)]
    if len(clauses) == 1 and not zeros and PER_WORDS.search(clauses[0].group(1)):
        label = re.sub(r"^(每|一次|每次)", "", clauses[0].group(1).strip()).strip()
        params = {"per": _num(clauses[0].group(2))}
        if label:
            params["label"] = label
        return Suggestion("deduct_per_occurrence", params, clauses[0].group(0).strip())
    deductions = []
    for index, m in enumerate(clauses, start=1):
        label = m.group(1).strip() or f"扣分情形 {index}"
        deductions.append(
            {
                "key": f"d{index}",
                "label": label,
                "points": _num(m.group(2)),
                "each": bool(PER_WORDS.search(label)),
            }
        )
    zero_if = [{"key": f"z{i}", "label": m.group(1).strip()} for i, m in enumerate(zeros, 1)]
    note = f"读到 {len(deductions)} 条扣分、{len(zero_if)} 条不得分的情形，请逐条核对。"
    return Suggestion(
        "fixed_deductions", {"deductions": deductions, "zero_if": zero_if}, words.strip(), note
    )


def suggest(rule_text: str, max_points: Decimal | None = None) -> Suggestion | None:
    text = (rule_text or "").replace(" ", "").replace("\u3000", "")
    if not text:
        return None
    if m := VETO.search(text):
        return Suggestion("veto", {}, m.group(0))
    if m := RATE.search(text):
        params = {"threshold": _num(m.group(1) or "100"), "points_per_point": _num(m.group(2))}
        return Suggestion("rate_below", params, m.group(0))
    levels = _levels(text)
    cap = CAP.search(text)
    if levels:
        found, words = levels
        kind = "highest_level" if re.search(r"取最高|最高级|最高一级", text) else "additive_bonus"
        note = ""
        if cap:
            top = cap.group(1) or cap.group(2)
            note = f"上限 {top} 分（本项分值）。"
            if max_points is not None and Decimal(top) != max_points:
                note += f"表上分值为 {max_points} 分，请核对。"
        return Suggestion(kind, {"levels": found}, words, note)
    if cap:
        top = cap.group(1) or cap.group(2)
        note = f"文件只写了上限 {top} 分，没有写各级分值；按酌情加分处理，可改为按级别加分。"
        return Suggestion("discretionary", {"step": "0.5"}, cap.group(0), note)
    if m := SHORTFALL.search(text):
        params = {"step": _num(m.group(1)), "points": _num(m.group(3)), "unit": m.group(2)}
        return Suggestion("shortfall_step", params, m.group(0))
    if found := _checklist(text, max_points):
        return found
    if PROPORTIONAL.search(text) and not CLAUSE.search(text):
        m = PROPORTIONAL.search(text)
        return Suggestion("proportional", {}, m.group(0))
    if (m := ALL_OR_NOTHING.search(text)) and not CLAUSE.search(text):
        return Suggestion("all_or_nothing", {}, m.group(0))
    if m := PEER.search(text):
        return Suggestion("peer_average", {"step": "0.5"}, m.group(0))
    if (m := DISCRETIONARY.search(text)) and not CLAUSE.search(text):
        return Suggestion("discretionary", {"step": "0.5"}, m.group(0))
    if found := _deductions(text):
        return found
    if m := PEER.search(text):
        return Suggestion("peer_average", {"step": "0.5"}, m.group(0))
    if m := DISCRETIONARY.search(text):
        return Suggestion("discretionary", {"step": "0.5"}, m.group(0))
    return None
