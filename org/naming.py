"""Matching of unit names as people type them in spreadsheets.

One function family, used by every importer: 「东      陈       镇」 is 东陈镇; full-width
spaces, line breaks and both widths of parentheses are the same; a name written with a
second name in parentheses (「如皋工业园区（如城街道）」) is known by either part. No Django
import: the matcher is built from plain (id, name, aliases) tuples.
"""

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

_SPACE = re.compile(r"\s+")
_PAREN = re.compile(r"\(([^()]*)\)")


def normalize_name(name: str) -> str:
    """The comparable form of a name: NFKC (full-width → half-width), no whitespace at all."""
    return _normalized(str(name or ""))


@lru_cache(maxsize=65536)
def _normalized(text: str) -> str:  # an import asks for the same few thousand names often
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def name_variants(name: str) -> list[str]:
    """The normalized name, the name without its parenthesised parts, and each part inside."""
    full = normalize_name(name)
    if not full:
        return []
    variants = [full]
    outside = _PAREN.sub("", full)
    if outside and outside not in variants:
        variants.append(outside)
    for inside in _PAREN.findall(full):
        if inside and inside not in variants:
            variants.append(inside)
    return variants


@dataclass
class MatchResult:
    key: object | None
    query: str
    ambiguous: list[object] = field(default_factory=list)
    closest: Callable[[str], list[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def found(self) -> bool:
        return self.key is not None

    @cached_property
    def suggestions(self) -> list[str]:
        """The closest known names of a name not found, worked out when first asked for:
        an importer asks "is this a unit?" of every header word and needs no suggestions
        for them."""
        return self.closest(self.query) if self.closest is not None else []


class NameMatcher:
    """Finds a unit by any of its names.

    Exact normalized names and aliases win over parenthesis variants, so 「长江镇」 as a unit
    and 「长江镇（如皋港区）」 as another unit's full name never shadow each other.
    """

    def __init__(self, entries):
        # entries: iterable of (key, display_name, aliases)
        self._exact: dict[str, set] = {}
        self._loose: dict[str, set] = {}
        self._display: dict[object, str] = {}
        for key, display, aliases in entries:
            self._display[key] = display
            for name in [display, *aliases]:
                variants = name_variants(name)
                if not variants:
                    continue
                self._exact.setdefault(variants[0], set()).add(key)
                for variant in variants[1:]:
                    self._loose.setdefault(variant, set()).add(key)

    def match(self, query: str) -> MatchResult:
        variants = name_variants(query)
        for table in (self._exact, self._loose):
            for variant in variants:
                keys = table.get(variant)
                if keys and len(keys) == 1:
                    return MatchResult(key=next(iter(keys)), query=query)
                if keys:
                    return MatchResult(key=None, query=query, ambiguous=sorted(keys, key=str))
        return MatchResult(key=None, query=query, closest=self.closest)

    @cached_property
    def _names(self) -> dict[str, str]:
        return {normalize_name(d): d for d in self._display.values()}

    def closest(self, query: str, n: int = 3) -> list[str]:
        names = self._names
        close = difflib.get_close_matches(normalize_name(query), list(names), n=n, cutoff=0.4)
        return [names[c] for c in close]
