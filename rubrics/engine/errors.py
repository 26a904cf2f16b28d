"""The engine's exceptions. Every message is Chinese and says where the problem is."""

from __future__ import annotations


class RubricFormatError(ValueError):
    """A rubric file that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class InputError(ValueError):
    """One bad input value. Rule readers raise it without ``item_key``; the sheet
    reader re-raises it with the item named in the message."""

    def __init__(self, message: str, *, item_key: str | None = None):
        self.message = message
        self.item_key = item_key
        super().__init__(message)


class SheetInputError(ValueError):
    """Every input problem of one sheet (or of a whole cycle), raised together."""

    def __init__(self, errors: list[InputError]):
        self.errors = list(errors)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [error.message for error in self.errors]
