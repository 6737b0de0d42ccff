"""Child processes of the `erp` command: they die with it and stop in an orderly way."""

import ctypes
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: signal.Signals) -> Callable[[], None] | None:
    """A `preexec_fn` that asks Linux to send `sig` to the child when we die, even by SIGKILL.

    The kernel ties this to the *thread* that forks, so it is only used from the main thread
    (a worker thread exiting would otherwise take the child down with it). Elsewhere, and on
    other systems, children are only stopped by our own shutdown code.
    """
    if not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def set_parent_death_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, int(sig))

    return set_parent_death_signal


@dataclass(frozen=True)
class ChildLifetime:
    """`Popen` arguments that tie a child's life to ours.

    When the kernel guarantees the child dies with us, the child also gets its own process group:
    a Ctrl-C in the terminal then reaches only `erp`, which stops the children in reverse start
    order (services before the broker and the database) and signals each exactly once. Without
    that guarantee the child stays in our group so the terminal's Ctrl-C still reaches it.
    """

    preexec_fn: Callable[[], None] | None
    process_group: int | None


def bound_to_us(sig: signal.Signals) -> ChildLifetime:
    """The lifetime arguments for a child that gets `sig` if we die without stopping it."""
    on_our_death = die_with_parent(sig)
    return ChildLifetime(on_our_death, 0 if on_our_death is not None else None)


def stop_child(process: subprocess.Popen[bytes], sig: signal.Signals, timeout: float) -> int | None:
    """Send `sig`, wait up to `timeout` seconds, then SIGKILL. Returns the exit code."""
    if process.poll() is not None:
        return process.returncode
    try:
        process.send_signal(sig)
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
    except ProcessLookupError:
        return process.wait()


def log_tail(path: Path, lines: int = 5, width: int = 200) -> str:
    """The last non-empty lines of a log file as one line (`a | b | c`), for one-line errors."""
    try:
        with path.open(encoding="utf-8", errors="replace") as log:
            last = deque((line.rstrip() for line in log if line.strip()), maxlen=lines)
    except FileNotFoundError:
        return "(no log yet)"
    if not last:
        return "(log is empty)"
    return " | ".join(line[:width] for line in last)
