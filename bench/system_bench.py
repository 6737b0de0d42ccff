"""System benchmark (issue #14): complete order-to-cash flows through the whole stack.

The stack is `tests/faults/stack.py`'s `FaultStack` (imported, not copied): an embedded
PostgreSQL with one database per service, the Tansu broker, and all five services as separate
OS processes, in a temporary directory on free ports. Master data is `tests/faults/load.py`'s
`setup_world` on a world of 16 skus and 16 customers. Flows are in `bench/system_flows.py`,
what is read off the processes in `bench/system_probe.py`, the tables in `system_report.py`:
order → confirmed → shipment → invoice issued → customer receipt (allocated to that invoice)
→ completed, all over HTTP with Idempotency-Keys, polling every `--poll-ms` (default 5 ms).
Stock is kept up by a background client using inventory adjustments (`POST /adjustments`,
reason `found`) rather than PO + goods receipt: simpler, and not part of what is measured.

Measured, in order, in one run:
1. the raw PostgreSQL ceiling: pgbench (the embedded server's own binary), 16 clients, one
   single-row INSERT per transaction into a scratch table of a scratch database, the stack idle;
2. closed loop: `--clients` workers each running flows back to back for `--seconds` after a
   warm-up; flows/s = flows completed inside the window ÷ its length; latency p50/p99 from
   placement to confirmed, to invoice issued, to completed; CPU seconds per process tree
   (each service, PostgreSQL with its backends, the broker) during the window;
3. open loop at half the closed loop's rate (a flow started every 1/rate s whatever the others
   do; latency from the scheduled start);
4. optional `--clients-sweep 1,4,8,16`: a short closed loop at each client count;
5. at the end: relay/consumer/projection lags from each service's `/metrics` (as `erp status`)
   and peak RSS (VmHWM) per process tree.
Flows/s ÷ pgbench tps is reported against the issue's moonshot goal (≥ 1/40), not asserted.

    python3 -m uv run python -m bench.system_bench [--clients 16] [--seconds 60] [--out PATH]
"""

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import percentile
from bench.system_flows import FlowStats, OrderToCash, closed_loop, open_loop, replenish
from bench.system_probe import (
    cpu_snapshot,
    cpu_used,
    peak_rss_mib,
    pgbench_inserts,
    read_lags,
    stack_pids,
)
from bench.system_report import print_report
from tests.faults.load import LoadStats, World, setup_world
from tests.faults.stack import FaultStack, remove_template, running_stack

WORLD = World(
    warehouse="WH-B",
    skus=tuple(f"B-{i:03d}" for i in range(1, 17)),
    canary_sku="B-CANARY",
    customers=tuple(f"BC-{i:02d}" for i in range(1, 17)),
    canary_customer="BC-CANARY",
    supplier="BS-1",
    opening_qty=2000,
)
PGBENCH_CLIENTS = 16


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.system_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=None, help="default: seconds/4, ≤ 10")
    parser.add_argument("--poll-ms", type=float, default=5.0)
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--clients-sweep", default="", help="e.g. 1,4,8,16")
    parser.add_argument("--sweep-seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=Path(".erp/bench/system.json"))
    parser.add_argument(
        "--replicas",
        default="",
        help="services to run a second process of (same database and consumer groups), "
        "e.g. inventory,sales — docs/scaling.md",
    )
    return parser.parse_args(argv)


def latencies(stats: FlowStats) -> dict[str, dict[str, float | None]]:
    """p50/p99 in milliseconds from placement to each step (None without completed flows)."""
    result: dict[str, dict[str, float | None]] = {}
    for step in ("confirmed", "invoiced", "completed"):
        values = [getattr(t, step) * 1000 for t in stats.done]
        result[step] = {
            "p50_ms": percentile(values, 0.5) if values else None,
            "p99_ms": percentile(values, 0.99) if values else None,
        }
    return result


def loop_result(stats: FlowStats, seconds: float) -> dict[str, Any]:
    return {
        "seconds": seconds,
        "flows_completed": len(stats.done),
        "flows_per_second": len(stats.done) / seconds,
        "flows_failed": len(stats.failed),
        "failures_sample": stats.failed[:5],
        "polls": stats.polls,
        "request_mean_ms": {
            kind: {"count": int(n), "mean_ms": total * 1000 / n}
            for kind, (n, total) in stats.requests.items()
        },
        "latency": latencies(stats),
    }


async def measure(stack: FaultStack, args: argparse.Namespace) -> dict[str, Any]:
    replicated = [name.strip() for name in args.replicas.split(",") if name.strip()]
    for service in replicated:
        stack.add_replica(service)
    if replicated:
        await stack.wait_healthy_async(*replicated)
    await setup_world(stack, LoadStats(), WORLD)
    tps = await pgbench_inserts(stack, PGBENCH_CLIENTS, args.pgbench_seconds)
    warmup = args.warmup if args.warmup is not None else min(10.0, args.seconds / 4)
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    async with httpx.AsyncClient(timeout=10.0, limits=limits) as client:
        flows = OrderToCash(stack, WORLD, client, args.poll_ms / 1000)
        stop = asyncio.Event()
        restocker = asyncio.create_task(replenish(flows, stop))
        await closed_loop(flows, args.clients, warmup, args.seed)
        pids = stack_pids(stack)
        before = cpu_snapshot(pids)
        # The window ends at the deadline, not when the flows still in flight have drained.
        after = asyncio.create_task(_snapshot_after(pids, args.seconds))
        closed, seconds = await closed_loop(flows, args.clients, args.seconds, args.seed + 1)
        cpu = cpu_used(before, await after)
        closed_rate = len(closed.done) / seconds
        opened: dict[str, Any] | None = None
        if closed_rate > 0:
            open_stats = await open_loop(flows, closed_rate / 2, args.seconds, args.seed + 2)
            opened = {"rate": closed_rate / 2, **loop_result(open_stats, args.seconds)}
        sweep = []
        for clients in [int(c) for c in args.clients_sweep.split(",") if c.strip()]:
            stats, length = await closed_loop(flows, clients, args.sweep_seconds, clients)
            sweep.append({"clients": clients, **loop_result(stats, length)})
        stop.set()
        restocks = await restocker
        lags = await read_lags(stack)
    return {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "poll_interval_ms": args.poll_ms,
        "clients": args.clients,
        "replicas": {service: len(stack.urls(service)) for service in stack.replicas},
        "warmup_seconds": warmup,
        "pgbench": {"clients": PGBENCH_CLIENTS, "seconds": args.pgbench_seconds, "tps": tps},
        "closed_loop": loop_result(closed, seconds),
        "ratio_flows_to_pgbench": closed_rate / tps,
        "ratio_goal": 1 / 40,
        "open_loop": opened,
        "clients_sweep": sweep,
        "cpu_seconds": cpu,
        "cpu_ms_per_flow": {k: v * 1000 / max(1, len(closed.done)) for k, v in cpu.items()},
        "peak_rss_mib": peak_rss_mib(pids),
        "lags_at_end": lags,
        "restock_adjustments": restocks,
        "commands": flows.load.summary(),
    }


async def _snapshot_after(pids: dict[str, int], seconds: float) -> dict[str, dict[int, float]]:
    await asyncio.sleep(seconds)
    return cpu_snapshot(pids)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with running_stack("bench") as stack:
            result = asyncio.run(measure(stack, args))
    finally:
        remove_template()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print_report(result)
    print(f"JSON written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
