"""Rule kinds: one module per family, joined in ``registry.KINDS``."""

from .base import ItemOutcome
from .registry import KINDS, RuleKind, score_item

__all__ = ["KINDS", "ItemOutcome", "RuleKind", "score_item"]
