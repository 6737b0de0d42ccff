"""`erp status`: is every service of the local stack up, and how far behind is it?

Per service (ports from `erpctl.stack.service_ports()`: 8101-8105, each overridable with
`ERP_<SERVICE>_HTTP_PORT`; host `--host`, default `ERP_HTTP_HOST` or 127.0.0.1) it fetches
`GET /health` and `GET /metrics`, parses the Prometheus text and prints one row: state, relay
lag, the largest Kafka consumer lag and projection lag, messages dead-lettered since the
service started, and background tasks that stopped. The metric names come from
`eventkit.metrics`, which renders them.

States: **down** — `/health` does not answer; **degraded** — it answers but not 200, or
`/metrics` cannot be read, or a background task stopped, or the service could not read one of
its metric sources (e.g. its database); **healthy** otherwise. Lags and DLQ counts are shown,
not judged: how much lag is too much is the operator's call. Exit code 0 when every service is
healthy, 1 otherwise.
"""

import asyncio
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

import httpx
import typer
from prometheus_client.parser import text_string_to_metric_families
from rich.markup import escape
from rich.table import Table

from erp_contracts.topics import SERVICES
from erpctl.errors import StackError
from erpctl.ops import check_services, console, fail
from erpctl.stack import service_ports
from erpctl.supervisor import installed_services
from erpctl.sync import run_coroutine
from eventkit.metrics import (
    M_BACKGROUND_TASK_UP,
    M_CONSUMER_LAG,
    M_DLQ_MESSAGES,
    M_LAG_COUNT_CAP,
    M_PROJECTION_LAG_EVENTS,
    M_PROJECTION_LAG_SECONDS,
    M_RELAY_LAG_EVENTS,
    M_RELAY_LAG_SECONDS,
    M_SOURCE_UP,
)

State = Literal["healthy", "degraded", "down"]

#: Hosts a service binds to but a client cannot connect to, and where to connect instead.
_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


@dataclass(frozen=True)
class MetricsSummary:
    """What `erp status` shows of one service's `/metrics`; None = the metric is absent."""

    relay_lag_events: float | None = None
    relay_lag_seconds: float | None = None
    max_consumer_lag: float | None = None
    max_projection_lag_events: float | None = None
    max_projection_lag_seconds: float | None = None
    dlq_messages: float | None = None
    dead_tasks: tuple[str, ...] = ()
    failed_sources: tuple[str, ...] = ()
    #: The service's cap on lag counts: a count equal to it means "at least".
    count_cap: float | None = None


def summarize_metrics(body: str) -> MetricsSummary:
    """Parse Prometheus text; raises ValueError if it is not the text format."""
    values: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            values.setdefault(sample.name, []).append((sample.labels, float(sample.value)))

    def single(name: str) -> float | None:
        found = values.get(name)
        return found[0][1] if found else None

    def largest(name: str) -> float | None:
        found = [v for _, v in values.get(name, ()) if not math.isnan(v)]
        return max(found) if found else None

    dlq = values.get(M_DLQ_MESSAGES)
    return MetricsSummary(
        relay_lag_events=single(M_RELAY_LAG_EVENTS),
        relay_lag_seconds=single(M_RELAY_LAG_SECONDS),
        max_consumer_lag=largest(M_CONSUMER_LAG),
        max_projection_lag_events=largest(M_PROJECTION_LAG_EVENTS),
        max_projection_lag_seconds=largest(M_PROJECTION_LAG_SECONDS),
        dlq_messages=sum(v for _, v in dlq) if dlq is not None else None,
        dead_tasks=tuple(
            sorted(
                labels.get("task", "?")
                for labels, v in values.get(M_BACKGROUND_TASK_UP, ())
                if v == 0
            )
        ),
        failed_sources=tuple(
            sorted(labels.get("source", "?") for labels, v in values.get(M_SOURCE_UP, ()) if v == 0)
        ),
        count_cap=single(M_LAG_COUNT_CAP),
    )


@dataclass(frozen=True)
class Probe:
    """One GET: the status code and body, or why there was no answer."""

    status_code: int | None = None
    body: str = ""
    error: str | None = None


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    url: str
    state: State
    metrics: MetricsSummary | None = None
    problems: tuple[str, ...] = ()


def judge(service: str, url: str, health: Probe, metrics: Probe) -> ServiceStatus:
    """The service's state from its two answers (rules in the module docstring)."""
    if health.status_code is None:
        return ServiceStatus(service, url, "down", None, (f"not answering: {health.error}",))
    problems: list[str] = []
    if health.status_code != httpx.codes.OK:
        problems.append(f"/health answered {health.status_code}: {_first_line(health.body)}")
    summary: MetricsSummary | None = None
    if metrics.status_code is None:
        problems.append(f"/metrics not answering: {metrics.error}")
    elif metrics.status_code != httpx.codes.OK:
        problems.append(f"/metrics answered {metrics.status_code}: {_first_line(metrics.body)}")
    else:
        try:
            summary = summarize_metrics(metrics.body)
        except ValueError as error:
            problems.append(f"/metrics is not Prometheus text: {error}")
    if summary is not None:
        if summary.dead_tasks:
            problems.append(f"background task stopped: {', '.join(summary.dead_tasks)}")
        if summary.failed_sources:
            problems.append(f"metrics could not read: {', '.join(summary.failed_sources)}")
    return ServiceStatus(
        service, url, "degraded" if problems else "healthy", summary, tuple(problems)
    )


def _first_line(body: str) -> str:
    lines = body.strip().splitlines()
    return lines[0][:200] if lines else "(empty body)"


async def _get(client: httpx.AsyncClient, url: str) -> Probe:
    try:
        response = await client.get(url)
    except httpx.HTTPError as error:
        return Probe(error=str(error) or type(error).__name__)
    return Probe(response.status_code, response.text)


async def probe_service(client: httpx.AsyncClient, service: str, url: str) -> ServiceStatus:
    health, metrics = await asyncio.gather(
        _get(client, f"{url}/health"), _get(client, f"{url}/metrics")
    )
    return judge(service, url, health, metrics)


async def probe_all(urls: dict[str, str], timeout: float) -> list[ServiceStatus]:
    async with httpx.AsyncClient(timeout=timeout) as client:
        return list(
            await asyncio.gather(*(probe_service(client, name, url) for name, url in urls.items()))
        )


def service_urls(services: Iterable[str], host: str) -> dict[str, str]:
    """`http://host:port` of each service, ports as `erp up` uses them."""
    try:
        ports = service_ports()
    except StackError as error:
        fail(str(error))
    connect_to = _WILDCARD_HOSTS.get(host, host)
    if ":" in connect_to and not connect_to.startswith("["):
        connect_to = f"[{connect_to}]"  # IPv6 literal
    return {name: f"http://{connect_to}:{ports[name]}" for name in services}


# --- formatting ---------------------------------------------------------------------------------


def format_count(value: float | None, cap: float | None = None) -> str:
    if value is None:
        return "–"
    text = f"{int(value):,}"
    return f"≥{text}" if cap is not None and value >= cap else text


def format_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 60:
        return f"{value:.1f} s"
    minutes, seconds = divmod(int(value), 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def format_lag(events: float | None, seconds: float | None, cap: float | None) -> str:
    if events is None:
        return "–"
    if events == 0:
        return "0"
    return f"{format_count(events, cap)} / {format_seconds(seconds)}"


_STATES = {
    "healthy": "[green]✓ healthy[/]",
    "degraded": "[yellow]! degraded[/]",
    "down": "[red]✗ down[/]",
}


def status_table(statuses: Sequence[ServiceStatus]) -> Table:
    table = Table(
        title="erp status",
        title_justify="left",
        caption="lags: events / age of the oldest one; ≥ = capped count; DLQ: since start",
        caption_justify="left",
    )
    table.add_column("service")
    table.add_column("state")
    table.add_column("relay lag", justify="right")
    table.add_column("max consumer lag", justify="right")
    table.add_column("max projection lag", justify="right")
    table.add_column("DLQ", justify="right")
    table.add_column("dead tasks", overflow="fold")
    for status in statuses:
        m = status.metrics or MetricsSummary()
        dlq = format_count(m.dlq_messages)
        if m.dlq_messages:
            dlq = f"[yellow]{dlq}[/]"
        table.add_row(
            status.service,
            _STATES[status.state],
            format_lag(m.relay_lag_events, m.relay_lag_seconds, m.count_cap),
            format_count(m.max_consumer_lag),
            format_lag(m.max_projection_lag_events, m.max_projection_lag_seconds, m.count_cap),
            dlq,
            f"[red]{escape(', '.join(m.dead_tasks))}[/]" if m.dead_tasks else "–",
        )
    return table


# --- the command --------------------------------------------------------------------------------


def status(
    services: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SERVICE",
            help=f"Services to check. Default: every installed one (of {', '.join(SERVICES)}).",
            callback=check_services,
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            envvar="ERP_HTTP_HOST",
            help="Host the services listen on (ports: 8101-8105 or ERP_<SERVICE>_HTTP_PORT).",
        ),
    ] = "127.0.0.1",
    timeout: Annotated[
        float, typer.Option(help="Seconds each request may take before the service is down.")
    ] = 5.0,
) -> None:
    """Show each service's health, relay/consumer/projection lag, DLQ count and dead tasks.

    Reads GET /health and GET /metrics of every service of the local stack. A service is down
    when /health does not answer, degraded when it answers but not 200, when /metrics cannot be
    read, or when a background task stopped. Exit code 0 when every service is healthy, 1
    otherwise.
    """
    names = services or installed_services(SERVICES) or list(SERVICES)
    statuses = run_coroutine(probe_all(service_urls(names, host), timeout))
    console.print(status_table(statuses))
    for entry in statuses:
        for problem in entry.problems:
            console.print(
                f"[red]✗[/] {entry.service} ({entry.url}): {escape(problem)}",
                soft_wrap=True,
                highlight=False,
            )
    unhealthy = [s for s in statuses if s.state != "healthy"]
    if unhealthy:
        console.print(
            f"[bold red]not healthy[/]: {', '.join(s.service for s in unhealthy)} "
            f"({len(unhealthy)} of {len(statuses)})"
        )
        raise typer.Exit(1)
    console.print(f"[bold green]all {len(statuses)} services healthy[/]")
