"""Deep recursion inside ``call_with_room`` does not map and unmap frame-stack chunks."""

import resource

import pytest

from printing import frame_stack
from printing.frame_stack import call_with_room


def dive(depth: int) -> int:
    return 0 if depth == 0 else 1 + dive(depth - 1)


def dives(times: int, depth: int) -> int:
    return sum(dive(depth) for _ in range(times))


def page_faults(call, *args) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    call(*args)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_the_call_returns_what_the_function_returns():
    assert call_with_room(dives, 3, 10) == 30
    assert call_with_room(divmod, 7, 2) == (3, 1)


def test_exceptions_pass_through():
    with pytest.raises(ZeroDivisionError):
        call_with_room(divmod, 1, 0)


@pytest.mark.skipif(
    not frame_stack.THRASHES,
    reason="this interpreter keeps a spare frame-stack chunk (CPython gh-142183)",
)
def test_going_down_and_up_300_frames_faults_pages_only_without_room():
    # 300 frames of ``dive`` take more than one 16 KiB chunk, so each dive maps a new
    # chunk and unmaps it on the way back: at least one page fault per dive.
    call_with_room(dives, 1, 300)  # compile the trampoline first
    without = page_faults(dives, 2000, 300)
    inside = page_faults(call_with_room, dives, 2000, 300)
    assert without >= 2000
    assert inside < 500  # the trampoline's own 560 KB frame is ~140 fresh pages
