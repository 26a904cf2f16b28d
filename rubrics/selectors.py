from rubrics import engine
from rubrics.convert import engine_rubric
from rubrics.models import Rubric

_FROZEN_CACHE: dict[int, engine.Rubric] = {}


def engine_rubric_for(rubric: Rubric) -> engine.Rubric:
    """The engine's view of a stored rubric. A frozen version never changes, so it is parsed
    once per process; an unfrozen one is read afresh."""
    if not rubric.frozen:
        return engine_rubric(rubric)
    cached = _FROZEN_CACHE.get(rubric.pk)
    if cached is None:
        cached = _FROZEN_CACHE[rubric.pk] = engine_rubric(rubric)
    return cached
