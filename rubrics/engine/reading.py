"""Reading one mapping of a rubric file, appending every problem to a shared list.

The loader reads the file's own fields with it (``loader._Fields``) and each rule kind its
parameters (``rules.base.ParamReader``); the two differ only in how messages name a key:
「未知的字段「foo」」 and 「「bonus」应为 true 或 false」 for fields, 「未知的参数「foo」」
and 「参数「each」应为 true 或 false」 for parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ABSENT = object()


class MappingReader:
    noun = "字段"  # what the mapping's keys are called in messages
    whole = ""  # how messages name the mapping itself: 「参数应为键值对」
    none_is_empty = False  # whether an absent mapping (None) reads as {}

    def __init__(self, raw: object, where: str, errors: list[str], allowed: Iterable[str]):
        self.where = where
        self.errors = errors
        if raw is None and self.none_is_empty:
            raw = {}
        if not isinstance(raw, Mapping):
            self.error(f"{self.whole}应为键值对")
            raw = {}
        self.raw = raw
        allowed = set(allowed)
        for key in raw:
            if key not in allowed:
                self.error(f"未知的{self.noun}「{key}」")

    def named(self, name: str) -> str:
        return f"「{name}」"

    def error(self, message: str) -> None:
        self.errors.append(f"{self.where}：{message}" if self.where else message)

    def text(self, name: str, default: Any = ABSENT, *, what: str = "") -> Any:
        value = self.raw.get(name)
        if value is None:
            if default is ABSENT:
                self.error(f"缺少{what or self.noun}「{name}」")
                return ""
            return default
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(f"{self.named(name)}应为文字")
            return "" if default is ABSENT else default
        return str(value)

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(f"{self.named(name)}应为 true 或 false")
            return default
        return value

    def choice(self, name: str, options: tuple[str, ...], default: str, what: str = "") -> str:
        value = self.raw.get(name)
        if value is None:
            return default
        if value not in options:
            problem = (
                f"未知的{what}「{value}」" if what else f"{self.named(name)}的值「{value}」无效"
            )
            self.error(f"{problem}，应为 {'、'.join(options)} 之一")
            return default
        return value
