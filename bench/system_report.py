"""The system benchmark's tables, printed from the same result dict that goes to the JSON."""

from typing import Any

from rich.table import Table

from bench.common import console, report


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def _num(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def print_report(result: dict[str, Any]) -> None:
    closed, opened = result["closed_loop"], result["open_loop"]
    pgbench = result["pgbench"]
    console.print(
        f"[bold]system benchmark[/] — {result['clients']} clients, "
        f"{closed['seconds']:.0f} s after {result['warmup_seconds']:.0f} s warm-up, "
        f"poll every {result['poll_interval_ms']:g} ms"
    )
    report(
        "order-to-cash throughput",
        [
            (
                f"closed loop flows/s ({result['clients']} clients)",
                f"{closed['flows_per_second']:,.2f}",
                f"{pgbench['tps']:,.0f} pgbench insert tps ({pgbench['clients']} clients)",
                f"1/{1 / max(result['ratio_flows_to_pgbench'], 1e-9):,.0f} (≥ 1/40)",
            ),
            (
                "flows completed / failed",
                f"{closed['flows_completed']} / {closed['flows_failed']}",
                "open loop: "
                + (
                    f"{opened['flows_completed']} / {opened['flows_failed']}"
                    f" at {opened['rate']:.2f}/s"
                    if opened
                    else "not run"
                ),
                "—",
            ),
        ],
    )
    latency = Table(title="latency from placement (client side)")
    for name in ("to", "closed p50", "closed p99", "open p50", "open p99"):
        latency.add_column(name)
    for step in ("confirmed", "invoiced", "completed"):
        c = closed["latency"][step]
        o = opened["latency"][step] if opened else {"p50_ms": None, "p99_ms": None}
        latency.add_row(
            step, _ms(c["p50_ms"]), _ms(c["p99_ms"]), _ms(o["p50_ms"]), _ms(o["p99_ms"])
        )
    console.print(latency)
    _print_requests(closed["request_mean_ms"])
    _print_processes(result)
    _print_lags(result["lags_at_end"])
    _print_sweep(result["clients_sweep"])
    console.print(f"commands: {result['commands']}; restocks: {result['restock_adjustments']}")
    for failure in closed["failures_sample"]:
        console.print(f"[yellow]failed flow:[/] {failure}")


def _print_processes(result: dict[str, Any]) -> None:
    table = Table(title="processes during the closed-loop window")
    for name in ("process", "CPU s", "CPU ms / flow", "peak RSS MiB"):
        table.add_column(name)
    for name, seconds in result["cpu_seconds"].items():
        table.add_row(
            name,
            _num(seconds, 1),
            _num(result["cpu_ms_per_flow"][name], 1),
            _num(result["peak_rss_mib"].get(name), 0),
        )
    console.print(table)


def _print_lags(lags: dict[str, dict[str, Any]]) -> None:
    table = Table(title="lags at the end (/metrics)")
    for name in ("service", "relay events", "relay s", "consumer max", "projection max", "DLQ"):
        table.add_column(name)
    for service, lag in lags.items():
        if "error" in lag:
            table.add_row(service, lag["error"], "", "", "", "")
            continue
        table.add_row(
            service,
            _num(lag["relay_lag_events"]),
            _num(lag["relay_lag_seconds"], 2),
            _num(lag["max_consumer_lag"]),
            _num(lag["max_projection_lag_events"]),
            _num(lag["dlq_messages"]),
        )
    console.print(table)


def _print_sweep(sweep: list[dict[str, Any]]) -> None:
    if not sweep:
        return
    table = Table(title="clients sweep (closed loop)")
    for name in ("clients", "flows/s", "completed p50", "completed p99", "failed"):
        table.add_column(name)
    for row in sweep:
        done = row["latency"]["completed"]
        table.add_row(
            str(row["clients"]),
            f"{row['flows_per_second']:,.2f}",
            _ms(done["p50_ms"]),
            _ms(done["p99_ms"]),
            str(row["flows_failed"]),
        )
    console.print(table)


def _print_requests(requests: dict[str, dict[str, float]]) -> None:
    table = Table(title="HTTP requests of the closed loop (answer time as the client waits)")
    for name in ("request", "count", "mean"):
        table.add_column(name)
    for kind, figures in requests.items():
        table.add_row(kind, f"{figures['count']:,.0f}", f"{figures['mean_ms']:,.1f} ms")
    console.print(table)
