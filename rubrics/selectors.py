from rubrics import engine
from rubrics.convert import engine_rubric
from rubrics.models import Rubric

_FROZEN_CACHE: dict[tuple, engine.Rubric] = {}


def engine_rubric_for(rubric: Rubric) -> engine.Rubric:
    """The engine's view of a stored rubric. A frozen version never changes, so it is parsed
    once per process; an unfrozen one is read afresh."""
    if not rubric.frozen:
        return engine_rubric(rubric)
    # The key names the row completely: a deleted rubric's id may be given to a new one.
    key = (rubric.pk, rubric.code, rubric.version, rubric.created_at)
    cached = _FROZEN_CACHE.get(key)
    if cached is None:
        cached = _FROZEN_CACHE[key] = engine_rubric(rubric)
    return cached
