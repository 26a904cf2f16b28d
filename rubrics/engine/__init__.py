"""The scoring engine: pure Python, no Django. Dataclasses in, dataclasses out.

The rubric format and every rule are described in ``docs/rubric-format.md``; where that
contract is silent, each module's docstring says which reading was chosen.
"""

from .absence import AbsenceOutcome, absence_outcome
from .cycle import (
    AverageTally,
    CycleResult,
    PhaseOutcome,
    QuotaDecision,
    RankedSheet,
    SubsidyLine,
    SubsidyOutcome,
    apply_quota,
    evaluate_cycle,
    evaluate_in_cycle,
    rank,
    subsidy_amounts,
    tie_rule_text,
    tie_values,
    weight_phases,
)
from .errors import InputError, RubricFormatError, SheetInputError
from .inputs import canonical_input, check_inputs
from .loader import rubric_from_dict, rubric_to_dict
from .model import Columns, GradeBand, Item, Quota, Rubric, Section
from .results import ItemResult, SectionResult, SheetResult, VetoFinding
from .rounding import NumberError, round_points, round_yuan, to_decimal
from .rules import KINDS, ItemOutcome, RuleKind
from .sheet import Memo, evaluate
from .validation import Finding, check, validate

__all__ = [
    "AbsenceOutcome",
    "absence_outcome",
    "tie_rule_text",
    "tie_values",
    "AverageTally",
    "Columns",
    "CycleResult",
    "Finding",
    "GradeBand",
    "InputError",
    "KINDS",
    "Memo",
    "Item",
    "ItemOutcome",
    "ItemResult",
    "NumberError",
    "PhaseOutcome",
    "Quota",
    "QuotaDecision",
    "RankedSheet",
    "Rubric",
    "RubricFormatError",
    "RuleKind",
    "Section",
    "SectionResult",
    "SheetInputError",
    "SheetResult",
    "SubsidyLine",
    "SubsidyOutcome",
    "VetoFinding",
    "apply_quota",
    "canonical_input",
    "check",
    "check_inputs",
    "evaluate",
    "evaluate_cycle",
    "evaluate_in_cycle",
    "rank",
    "round_points",
    "round_yuan",
    "rubric_from_dict",
    "rubric_to_dict",
    "subsidy_amounts",
    "to_decimal",
    "validate",
    "weight_phases",
]
