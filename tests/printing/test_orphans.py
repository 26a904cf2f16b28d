"""Hole 7 of the security issue: a killed print runner left its render processes running
(two orphans of about 250 MB each). Render processes die with the process that started
them (``printing.parent_death``), and the job of a killed worker is failed (tests/jobs/test_jobs.py, TestAWorkerThatDied)."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from printing.parent_death import ORPHAN_EXIT_CODE

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process from /proc, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def descendants(pid: int) -> dict[int, int]:
    """Every process below ``pid``: {pid: start time}."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = stat
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (_, ppid, start) in parents.items():
            if ppid == parent and child not in found:
                found[child] = start
                todo.append(child)
    return found


def alive(processes: dict[int, int]) -> list[int]:
    """Those of ``processes`` still running (a zombie or a reused pid counts as gone)."""
    living = []
    for pid, start in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[0] not in "ZX" and stat[2] == start:
            living.append(pid)
    return living


def wait_until(condition, timeout: float, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    return condition()


class TestRenderProcessesDieWithTheirRunner:
    @pytest.mark.parametrize("method", ["fork", "spawn"])
    def test_killing_the_runner_mid_render_leaves_no_render_process(self, method, tmp_path):
        progress = tmp_path / "progress"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "LOG_LEVEL": "WARNING",
        }
        runner = subprocess.Popen(
            [sys.executable, "-m", "tests.printing.killable_render", method, str(progress)],
            cwd=ROOT,
            env=env,
        )
        children = {}
        try:
            # Kill it while the pool renders: a chunk is done, so both workers are up.
            def rendering():
                assert runner.poll() is None, f"the runner stopped by itself ({runner.returncode})"
                words = progress.read_text().split() if progress.exists() else []
                return words if words and int(words[1]) >= 1 else None

            # A few seconds on a quiet machine; the bound only stops a stuck run.
            started = wait_until(rendering, timeout=90)
            assert started, "the runner never got a chunk rendered"
            assert started[0] == method
            children = descendants(runner.pid)
            assert len(children) >= 2
            runner.send_signal(signal.SIGKILL)
            runner.wait(timeout=5)

            wait_until(lambda: not alive(children), timeout=5)
            assert alive(children) == [], "render processes outlived their runner"
        finally:
            runner.kill()
            runner.wait()
            for pid in alive(children):  # leave nothing behind when the test fails
                os.kill(pid, signal.SIGKILL)


# A reaper (this script) sets itself as the subreaper of its descendants, starts a parent
# that starts a child, and reports how the child ended once the parent is gone: the child
# is handed to the reaper, which can wait for it.
FAMILY = textwrap.dedent(
    """
    import ctypes, os, sys, time
    from printing.parent_death import die_with_parent

    mode = sys.argv[1]
    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    ready_r, ready_w = os.pipe()
    parent = os.fork()
    if parent == 0:
        me = os.getpid()
        child = os.fork()
        if child == 0:
            if mode == "late":  # the parent is gone before the child protects itself
                while os.getppid() == me:
                    time.sleep(0.01)
            die_with_parent(me, use_prctl=(mode != "watchdog"))
            os.write(ready_w, str(os.getpid()).encode())
            time.sleep(30)
            os._exit(0)
        if mode == "late":
            os._exit(0)
        os.read(ready_r, 32)
        os.kill(os.getpid(), 9)
    os.waitpid(parent, 0)
    started = time.monotonic()
    pid, status = os.wait()
    print(os.waitstatus_to_exitcode(status), round(time.monotonic() - started, 2))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux subreaper")
class TestDieWithParent:
    def family(self, mode: str) -> tuple[int, float]:
        result = subprocess.run(
            [sys.executable, "-c", FAMILY, mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert result.returncode == 0, result.stderr
        code, seconds = result.stdout.split()
        return int(code), float(seconds)

    def test_on_linux_the_kernel_kills_the_child_with_its_parent(self):
        code, seconds = self.family("prctl")
        assert code == -signal.SIGKILL
        assert seconds < 1

    def test_a_child_whose_parent_died_before_it_was_protected_exits_at_once(self):
        code, seconds = self.family("late")
        assert code == ORPHAN_EXIT_CODE
        assert seconds < 1

    def test_without_prctl_a_watchdog_thread_ends_the_orphan(self):
        code, seconds = self.family("watchdog")
        assert code == ORPHAN_EXIT_CODE
        assert seconds < 2
