"""`erp up` restarts a service that died (kill -9, a crash), with back-off if it keeps dying."""

import sys
import time
from pathlib import Path

from erpctl.supervisor import ServiceSpec, Supervisor


def wait_exited(supervisor: Supervisor, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while any(p.exit_code is None for p in supervisor.processes):
        assert time.monotonic() < deadline, "the service did not exit"
        time.sleep(0.05)


def test_a_dead_service_is_restarted_at_once_then_with_growing_back_off(tmp_path: Path) -> None:
    crashing = ServiceSpec("crashy", 1, [sys.executable, "-c", "raise SystemExit(3)"])
    supervisor = Supervisor(tmp_path)
    supervisor.start([crashing])
    try:
        wait_exited(supervisor)
        assert supervisor.newly_exited() == [("crashy", 3)]
        first = supervisor.processes[0]
        assert supervisor.restart_exited(now=100.0) == ["crashy"]
        assert supervisor.processes[0] is not first  # a new process
        wait_exited(supervisor)
        assert supervisor.newly_exited() == [("crashy", 3)]  # reported again after a restart
        assert supervisor.restart_exited(now=100.5) == []  # dies again: wait 1 s first
        assert supervisor.restart_exited(now=101.0) == ["crashy"]
        wait_exited(supervisor)
        assert supervisor.restart_exited(now=102.5) == []  # then 2 s
        assert supervisor.restart_exited(now=103.0) == ["crashy"]
    finally:
        supervisor.stop()


def test_a_running_service_is_left_alone(tmp_path: Path) -> None:
    sleeping = ServiceSpec("sleepy", 1, [sys.executable, "-c", "import time; time.sleep(30)"])
    supervisor = Supervisor(tmp_path, stop_timeout=2.0)
    supervisor.start([sleeping])
    try:
        assert supervisor.restart_exited(now=0.0) == []
        assert supervisor.processes[0].exit_code is None
    finally:
        supervisor.stop()
