"""试算: a rubric scored on example inputs, nothing stored.

One reading for every page that offers it (the rubric pages' 试算 panel and the Django
admin's trial view): the rows to show with each item's input fields, the inputs read back
from the form, and the engine's result. With no form submitted, each item is filled in with
its kind's sample input (the registry's ``sample``), so the panel shows a worked result at
once and the administrator changes what they want.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from rubrics import engine
from rubrics.engine.rules import sample_input
from rubrics.input_fields import fields_for, form_values, read_inputs
from rubrics.models import Rubric
from rubrics.selectors import engine_rubric_for

PREFIX = "t"
SAMPLE_QUALITY = 0.85  # a good unit, not a perfect one: some items lose points


@dataclass
class Trial:
    rubric: Rubric
    parsed: engine.Rubric | None = None
    rows: list = field(default_factory=list)  # [(section, [(item, fields)])]
    posted: dict = field(default_factory=dict)  # the form's values (sample or submitted)
    result: engine.SheetResult | None = None
    errors: list[str] = field(default_factory=list)  # inputs the engine refused
    format_errors: list[str] = field(default_factory=list)  # the rubric cannot be loaded
    sampled: bool = False  # the inputs are the kinds' samples, not the user's

    @property
    def results_by_key(self) -> dict:
        return {r.key: r for r in self.result.items} if self.result else {}

    @property
    def sections_by_key(self) -> dict:
        return {s.key: s for s in self.result.sections} if self.result else {}


def sample_inputs(parsed: engine.Rubric, seed: int = 0) -> dict:
    """{item key: input}: each item's kind's sample, drawn the same way every time."""
    rng = random.Random(seed)
    out = {}
    for item in parsed.items:
        value = sample_input(item.kind, item.params or {}, item.max_points, rng, SAMPLE_QUALITY)
        if value:
            out[item.key] = value
    return out


def rubric_trial(rubric: Rubric, data=None) -> Trial:
    """The trial of ``rubric`` on the submitted form ``data``, or on sample inputs."""
    trial = Trial(rubric)
    try:
        parsed = engine_rubric_for(rubric)
    except engine.RubricFormatError as exc:
        trial.format_errors = list(exc.errors)
        return trial
    trial.parsed = parsed
    trial.rows = [
        (section, [(item, fields_for(item, PREFIX)) for item in section.items])
        for section in parsed.sections
    ]
    if data is None:
        # Read back through the form, as a submission of the shown values would be.
        trial.posted = form_values(parsed.items, sample_inputs(parsed, rubric.pk or 0), PREFIX)
        trial.sampled = True
    else:
        trial.posted = data
    inputs = read_inputs(parsed.items, trial.posted, PREFIX)
    try:
        trial.result = engine.evaluate(parsed, {"subject": "试算", "items": inputs})
    except engine.SheetInputError as exc:
        trial.errors = [str(e) for e in exc.errors]
    return trial
