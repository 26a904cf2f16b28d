"""Reading the office's rubric document: its table → sections and items → suggested rule
kinds. Plain Python except where a bound comes from the settings (``reading``).

- ``cells``: a .docx table, an .xlsx sheet (through ``kit.imports``) or pasted text → rows
  of cell text;
- ``table``: rows → ``DocumentTable`` (sections, items with their points and rule text);
- ``suggest``: a rule text → ``Suggestion`` by explicit patterns, or none.
"""

from .cells import DocumentError, docx_rows, text_rows, xlsx_rows
from .suggest import Suggestion, suggest
from .table import DocumentItem, DocumentSection, DocumentTable, read_rows

__all__ = [
    "DocumentError",
    "DocumentItem",
    "DocumentSection",
    "DocumentTable",
    "Suggestion",
    "docx_rows",
    "read_rows",
    "suggest",
    "text_rows",
    "xlsx_rows",
]
