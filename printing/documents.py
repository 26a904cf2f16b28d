"""Pieces shared by the documents of every app (the documents themselves live in their
apps' ``print_documents`` modules; see ``printing.registry``).

Dates may be given as ``datetime.date`` or as text already written the way it should be
printed; ``None`` or ``""`` prints the blank 「　　年　　月　　日」 of the paper form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DateLike = date | str | None


@dataclass
class Opinion:
    """An opinion block of a form: the text, who signed it and when."""

    text: str = ""
    signer: str = ""
    date: DateLike = None
