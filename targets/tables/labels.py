"""Reading the words of a table: headers, indicator names, total and note labels."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from org.naming import normalize_name

# A totals row or column. 目标任务 heads the totals column of 如皋 附件2.
TOTAL_WORDS = ("合计", "总计", "汇总", "任务数", "目标任务", "全市", "全区", "全县", "全镇")
# Columns that never hold a unit's target.
IGNORED_HEADERS = ("序号", "编号", "分值", "评分标准", "评分细则", "考核内容", "备注", "说明")
SERIAL_HEADERS = ("序号", "编号")
# What may stand in the last parentheses of an indicator name as its unit of measure.
MEASURES = (
    "人", "人次", "户", "个", "家", "家次", "项", "次", "名", "件", "万人", "元", "万元",
    "亿元", "%", "‰", "天", "小时", "期", "场", "场次", "平方米", "个百分点",
)  # fmt: skip
UNIT_SUFFIXES = ("镇", "乡", "街道", "社区", "村", "区", "园区", "本级", "管委会", "公司", "场")

_CJK_SPACE = re.compile(r"\s*([^\x00-\x7f])\s*")
_SPACES = re.compile(r"\s+")
_ANY_SPACE = re.compile(r"\s")
_TRAILING_GROUP = re.compile(r"\(([^()]*)\)$")


def clean_label(text: str) -> str:
    """A header or name for display: line breaks and stretched spaces gone, （） full width.

    「东      陈       镇 」 → 「东陈镇」; 「保费金额     ( 万元 )」 → 「保费金额（万元）」.
    """
    return _clean_label(str(text or ""))


@lru_cache(maxsize=65536)
def _clean_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not _ANY_SPACE.search(text):  # nothing to squeeze: only the parentheses change
        return text.replace("(", "（").replace(")", "）")
    text = _CJK_SPACE.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    text = text.replace(" (", "(").replace("( ", "(").replace(" )", ")")
    return text.replace("(", "（").replace(")", "）")


def _half(text: str) -> str:
    return text.replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class IndicatorName:
    name: str  # 技能提升培训
    measure: str  # 人
    sub_label: str  # 其中鉴定取证

    @property
    def key(self) -> str:
        return normalize_name(self.name)


def split_indicator(label: str) -> IndicatorName:
    """「技能提升培训（其中鉴定取证）(人)」 → 技能提升培训 / 人 / 其中鉴定取证.

    Trailing parentheses are read from the right: a unit of measure, then a 「其中…」 part.
    Anything else in parentheses belongs to the name (「职工社会保险净增人数（五险扩面）」).
    """
    text = _half(_clean_path(label))
    measure = sub = ""
    while True:
        match = _TRAILING_GROUP.search(text)
        if not match:
            break
        inner = match.group(1).strip()
        if not measure and not sub and inner in MEASURES:
            measure = inner
        elif not sub and inner.startswith("其中"):
            sub = inner
        else:
            break
        text = text[: match.start()].rstrip(" /")
    if not measure:
        # 「（%）」 may also stand unparenthesised at the very end: 「完成率%」.
        if text.endswith("%") and len(text) > 1:
            measure, text = "%", text[:-1]
    return IndicatorName(_clean_path(text), measure, sub)


def _clean_path(text: str) -> str:
    """「居民养老保险 / 参保缴费\n人数」 → 「居民养老保险 / 参保缴费人数」 (parts of a merged header)."""
    return " / ".join(p for p in (clean_label(part) for part in str(text).split(" / ")) if p)


def sub_label_for(header: str, parent: IndicatorName) -> tuple[str, str]:
    """A 其中 column's label and measure: 「其中省内新增转移农村劳动力（人）」 → 其中省内."""
    split = split_indicator(header)
    label = split.name
    parent_name = parent.name.split(" / ")[-1]
    if label.endswith(parent_name) and label != parent_name:
        label = label[: -len(parent_name)]
    return label, split.measure


def is_total_label(text: str) -> bool:
    compact = normalize_name(text)
    if not compact or len(compact) > 8:
        return False
    return any(word in compact for word in TOTAL_WORDS[:5]) or compact in TOTAL_WORDS


def is_sub_label(text: str) -> bool:
    return normalize_name(text).startswith("其中")


def header_word_in(parts: list[str], words) -> bool:
    return any(normalize_name(p) in words for p in parts)


def looks_like_unit(text: str) -> bool:
    compact = re.sub(r"\([^()]*\)", "", normalize_name(text))
    return 1 < len(compact) <= 20 and compact.endswith(UNIT_SUFFIXES)
