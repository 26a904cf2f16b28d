"""Rule kinds: one module per family, each describing its kinds; joined in ``registry``."""

from .base import ItemOutcome
from .kind import InputField, Param, RuleKind, Sample
from .registry import KINDS, choices, register, registered, sample_input, score_item, unregister

__all__ = [
    "KINDS",
    "InputField",
    "ItemOutcome",
    "Param",
    "RuleKind",
    "Sample",
    "choices",
    "register",
    "registered",
    "sample_input",
    "score_item",
    "unregister",
]
