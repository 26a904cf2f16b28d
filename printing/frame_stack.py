"""Room on Python's frame stack for WeasyPrint's deep recursion.

CPython (3.11 and later) keeps the frames of a thread in chunks of 16 KiB obtained with
``mmap``, and frees a chunk as soon as the last frame in it returns. Layout in WeasyPrint
recurses down and up through boxes, lines and text hundreds of thousands of times per
batch; when a chunk boundary falls where it goes up and down most, every crossing is an
``mmap``, a page fault and a ``munmap``. Where the boundary falls depends on how deep the
caller already is, so the same rendering was fast from one script and a quarter slower
from another: on the 200-sheet benchmark, 895,000 ``mmap`` calls per 100 sheets, 2.2
million page faults and 12 s of system time instead of 1.2 s (see BENCHMARKS.md).

``call_with_room(call, *args)`` calls ``call`` from a function whose frame has 70,000
local slots (never used). A frame that does not fit in a 16 KiB chunk gets a chunk of its
own, rounded up to a power of two — here 1 MiB for its 560 KB — and the frames called
from it fill the rest (about 480 KB, thousands of frames), so the rendering never crosses
a chunk boundary. The function is compiled once per process (~0.15 s) on first use; the
call costs ~0.3 ms. Where the interpreter keeps a spare chunk (``THRASHES`` is false) it is
just a call.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

LOCAL_SLOTS = 70_000

# CPython gh-142183 (https://github.com/python/cpython/issues/142183): from 3.13.13, 3.14.4
# (assumed: the first 3.14 release after the March 2026 backport) and 3.15 the thread keeps
# one freed chunk for reuse, so crossing a boundary no longer maps memory; 3.11 and 3.12 are
# security-only and keep the thrashing, which this module avoids where it still happens.
THRASHES = sys.version_info < (3, 13, 13) or (3, 14) <= sys.version_info < (3, 14, 4)

_roomy: Callable | None = None


def _compile() -> Callable:
    # ``if never:`` is false at run time, but the compiler still gives every name a slot.
    names = "=".join(f"_{n}" for n in range(LOCAL_SLOTS))
    source = (
        "def roomy(call, args, never=False):\n"
        "    if never:\n"
        f"        {names} = None\n"
        "    return call(*args)\n"
    )
    namespace: dict = {}
    exec(compile(source, "<printing.frame_stack>", "exec"), namespace)
    return namespace["roomy"]


def call_with_room(call: Callable[..., T], *args) -> T:
    """``call(*args)``, with room for deep recursion in the current frame-stack chunk
    (a plain call on an interpreter that does not thrash)."""
    if not THRASHES:
        return call(*args)
    global _roomy
    if _roomy is None:
        _roomy = _compile()
    return _roomy(call, args)
