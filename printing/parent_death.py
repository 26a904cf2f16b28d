"""A render process dies with the process that started it.

The render pool's workers (``printing.render``) hold about 250 MB each. When their parent
— a task worker (``manage.py db_worker``) — is killed (``kill -9``, the
OOM killer, a systemd stop), nothing closes the pool: a busy worker finishes its chunk and
then waits forever on a queue no one reads. ``die_with_parent(parent_pid)`` is called first
thing in each worker and makes it go too:

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker when its
  parent goes. The signal follows the *thread* that started the worker; the pool is
  created, used and shut down inside one ``render_pdf`` call, so that thread outlives it.
  A parent killed between the start of the worker and the ``prctl`` call would be missed,
  so the worker then checks that its parent is still the expected pid (an orphan has
  been handed to init or a subreaper) and exits if not;
- elsewhere (or if ``prctl`` is refused), a daemon thread that compares ``os.getppid()``
  with the expected pid every half second.

No Django here: the workers import ``printing.pdf`` and this module only.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5
ORPHAN_EXIT_CODE = 70


def die_with_parent(parent_pid: int, *, use_prctl: bool = True) -> str:
    """Make this process end when ``parent_pid`` does; returns how (``prctl``/``watchdog``)."""
    if use_prctl and _set_death_signal(signal.SIGKILL):
        how = "prctl"
    else:
        _start_watchdog(parent_pid)
        how = "watchdog"
    if os.getppid() != parent_pid:  # the parent went before the line above took effect
        os._exit(ORPHAN_EXIT_CODE)
    return how


def _set_death_signal(signum: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _start_watchdog(parent_pid: int) -> None:
    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(POLL_SECONDS):
            if os.getppid() != parent_pid:
                os._exit(ORPHAN_EXIT_CODE)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
