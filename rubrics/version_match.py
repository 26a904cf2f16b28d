"""Which section (or item) of one rubric version is which of another.

Rubric versions share a code (``rubrics.services.rubric_new_version`` copies a rubric as the
next version of the same code): they are versions of one another, and their sections can be
put side by side. A section is matched by its title, without the points the title may
state (「促进就业创业(20分)」 and 「促进就业创业（22分）」 are one section), and where no title
matches, by its position. Items are matched by title, then by key.

Plain Python: no Django import.
"""

import re

_POINTS_IN_TITLE = re.compile(r"[（(]\s*[\d.]+\s*分\s*[)）]")


def plain_title(title: str) -> str:
    """A title without the points it states and without spaces: what stays from year to year."""
    return re.sub(r"\s+", "", _POINTS_IN_TITLE.sub("", title or ""))


def match_sections(earlier: list[str], later: list[str]) -> dict[int, int]:
    """{index in ``later``: index in ``earlier``} for the section titles of two versions: by
    title first, then the sections left over by position."""
    by_title: dict[str, int] = {}
    for i, title in enumerate(earlier):
        by_title.setdefault(plain_title(title), i)
    matched: dict[int, int] = {}
    for j, title in enumerate(later):
        i = by_title.get(plain_title(title))
        if i is not None and i not in matched.values():
            matched[j] = i
    taken = set(matched.values())
    for j in range(len(later)):
        if j not in matched and j < len(earlier) and j not in taken:
            matched[j] = j
            taken.add(j)
    return matched


def match_items(earlier: list[tuple[str, str]], later: list[tuple[str, str]]) -> dict[str, str]:
    """{key in ``later``: key in ``earlier``} for the (key, title) items of two versions: by
    title first, then by the same key."""
    by_title = {}
    for key, title in earlier:
        by_title.setdefault(plain_title(title), key)
    keys = {key for key, _ in earlier}
    matched: dict[str, str] = {}
    for key, title in later:
        found = by_title.get(plain_title(title))
        if found is not None and found not in matched.values():
            matched[key] = found
    taken = set(matched.values())
    for key, _title in later:
        if key not in matched and key in keys and key not in taken:
            matched[key] = key
            taken.add(key)
    return matched


def side_by_side(versions: list[list[str]]) -> list[list[int | None]]:
    """Rows of section indices across versions (oldest first): each row holds, per version,
    the index of that section in it or None. Each version is matched with the one before it,
    so a section followed along the chain of versions stays on one row; a section new in a
    version starts a row of its own."""
    rows: list[list[int | None]] = []
    row_of_previous: dict[int, int] = {}  # index in the previous version → row
    for v, titles in enumerate(versions):
        matched = match_sections(versions[v - 1], titles) if v else {}
        row_of_current: dict[int, int] = {}
        for j in range(len(titles)):
            if j in matched and matched[j] in row_of_previous:
                row = row_of_previous[matched[j]]
            else:
                rows.append([None] * len(versions))
                row = len(rows) - 1
            rows[row][v] = j
            row_of_current[j] = row
        row_of_previous = row_of_current
    return rows
