"""`erp status`: parsing a service's /metrics, judging its state, the table, and the command
against small HTTP servers that answer like services."""

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from rich.console import Console
from typer.testing import CliRunner

from erpctl.main import app
from erpctl.status import (
    MetricsSummary,
    Probe,
    ServiceStatus,
    format_lag,
    format_seconds,
    judge,
    status_table,
    summarize_metrics,
)
from eventkit.metrics import ReaderLag, ScrapeSnapshot, ServiceMetrics

runner = CliRunner()

#: What a service's /metrics looks like (abridged): relay 42 events / 95 s behind, two
#: projections, two consumer partitions, DLQ writes by two consumers, one dead task.
CANNED = """\
# HELP erp_dlq_messages_total Messages an inbox consumer wrote to the service's DLQ topic.
# TYPE erp_dlq_messages_total counter
erp_dlq_messages_total{consumer="sales.stock"} 2.0
erp_dlq_messages_total{consumer="sales.payments"} 1.0
# HELP erp_lag_count_cap The cap on the counts of the lag and inbox gauges.
# TYPE erp_lag_count_cap gauge
erp_lag_count_cap 100000.0
# HELP erp_relay_lag_events Events the outbox relay has not yet published.
# TYPE erp_relay_lag_events gauge
erp_relay_lag_events 42.0
# HELP erp_relay_lag_seconds Age of the oldest event the outbox relay has not yet published.
# TYPE erp_relay_lag_seconds gauge
erp_relay_lag_seconds 95.5
# HELP erp_projection_lag_events Events a store-fed projection has not yet applied.
# TYPE erp_projection_lag_events gauge
erp_projection_lag_events{projection="sales.orders"} 3.0
erp_projection_lag_events{projection="sales.customers"} 100000.0
# HELP erp_projection_lag_seconds Age of the oldest event a projection has not yet applied.
# TYPE erp_projection_lag_seconds gauge
erp_projection_lag_seconds{projection="sales.orders"} 0.4
erp_projection_lag_seconds{projection="sales.customers"} 7300.0
# HELP erp_consumer_lag Messages a Kafka consumer group has not yet consumed.
# TYPE erp_consumer_lag gauge
erp_consumer_lag{group="sales.stock",partition="0",topic="erp.inventory.events"} 7.0
erp_consumer_lag{group="sales.stock",partition="1",topic="erp.inventory.events"} 19.0
# HELP erp_background_task_up 1 while a background task of the service runs.
# TYPE erp_background_task_up gauge
erp_background_task_up{task="relay"} 1.0
erp_background_task_up{task="projection:sales.orders"} 0.0
# HELP erp_metrics_source_up 1 if the scrape could read this source.
# TYPE erp_metrics_source_up gauge
erp_metrics_source_up{source="database"} 1.0
erp_metrics_source_up{source="tasks"} 1.0
"""

HEALTHY = """\
# TYPE erp_relay_lag_events gauge
erp_relay_lag_events 0.0
# TYPE erp_relay_lag_seconds gauge
erp_relay_lag_seconds 0.0
# TYPE erp_background_task_up gauge
erp_background_task_up{task="relay"} 1.0
"""


def test_the_canned_metrics_are_summarised() -> None:
    summary = summarize_metrics(CANNED)
    assert summary == MetricsSummary(
        relay_lag_events=42,
        relay_lag_seconds=95.5,
        max_consumer_lag=19,
        max_projection_lag_events=100_000,
        max_projection_lag_seconds=7300,
        dlq_messages=3,
        dead_tasks=("projection:sales.orders",),
        failed_sources=(),
        count_cap=100_000,
    )


def test_absent_metrics_stay_absent() -> None:
    assert summarize_metrics("") == MetricsSummary()


def test_what_the_kernel_renders_is_what_status_reads() -> None:
    metrics = ServiceMetrics("sales", process_metrics=False)
    metrics.declare_consumer("sales.stock")
    metrics.record_inbox_outcome("sales.stock", "dead_lettered")
    metrics.record_inbox_outcome("sales.stock", "dead_lettered")
    metrics.snapshot = ScrapeSnapshot(
        relay=ReaderLag(events=5, seconds=12.5),
        projections={"sales.orders": ReaderLag(8, 3.0), "sales.customers": ReaderLag(1, 9.0)},
        consumer_lag={("sales.stock", "erp.inventory.events", 0): 4},
        tasks={"relay": True, "consumers": False},
        sources_up={"database": False, "tasks": True},
        count_cap=1000,
    )
    summary = summarize_metrics(metrics.render().decode())
    assert summary == MetricsSummary(
        relay_lag_events=5,
        relay_lag_seconds=12.5,
        max_consumer_lag=4,
        max_projection_lag_events=8,
        max_projection_lag_seconds=9,
        dlq_messages=2,
        dead_tasks=("consumers",),
        failed_sources=("database",),
        count_cap=1000,
    )


def test_a_service_is_down_degraded_or_healthy() -> None:
    url = "http://127.0.0.1:8103"
    down = judge("sales", url, Probe(error="connection refused"), Probe(error="refused"))
    assert down.state == "down"
    assert down.problems == ("not answering: connection refused",)

    ok = judge("sales", url, Probe(200, '{"status":"ok"}'), Probe(200, HEALTHY))
    assert ok.state == "healthy"
    assert ok.problems == ()
    assert ok.metrics is not None
    assert ok.metrics.relay_lag_events == 0

    unhealthy = judge("sales", url, Probe(503, '{"dead": ["relay"]}'), Probe(200, HEALTHY))
    assert unhealthy.state == "degraded"
    assert unhealthy.problems == ('/health answered 503: {"dead": ["relay"]}',)

    dead_task = judge("sales", url, Probe(200, "{}"), Probe(200, CANNED))
    assert dead_task.state == "degraded"
    assert dead_task.problems == ("background task stopped: projection:sales.orders",)

    no_metrics = judge("sales", url, Probe(200, "{}"), Probe(404, '{"detail":"Not Found"}'))
    assert no_metrics.state == "degraded"
    assert no_metrics.problems == ('/metrics answered 404: {"detail":"Not Found"}',)

    garbage = judge("sales", url, Probe(200, "{}"), Probe(200, "this is { not prometheus"))
    assert garbage.state == "degraded"
    assert garbage.problems[0].startswith("/metrics is not Prometheus text")


def test_lags_are_formatted_with_the_cap_and_a_readable_age() -> None:
    assert format_seconds(0.42) == "0.4 s"
    assert format_seconds(95.5) == "1m 35s"
    assert format_seconds(7300) == "2h 01m"
    assert format_lag(None, None, None) == "–"
    assert format_lag(0, 0, 100_000) == "0"
    assert format_lag(1234, 95.5, 100_000) == "1,234 / 1m 35s"
    assert format_lag(100_000, 7300, 100_000) == "≥100,000 / 2h 01m"


def test_the_table_shows_one_row_per_service() -> None:
    statuses = [
        ServiceStatus("sales", "u", "degraded", summarize_metrics(CANNED), ("x",)),
        ServiceStatus("finance", "u", "down", None, ("not answering",)),
    ]
    console = Console(record=True, width=250)
    console.print(status_table(statuses))
    rows = [line for line in console.export_text().splitlines() if "│" in line]
    sales = next(row for row in rows if "sales" in row)
    cells = [cell.strip() for cell in sales.split("│")[1:-1]]
    assert cells == [
        "sales",
        "! degraded",
        "42 / 1m 35s",
        "19",
        "≥100,000 / 2h 01m",
        "3",
        "projection:sales.orders",
    ]
    finance = next(row for row in rows if "finance" in row)
    assert [cell.strip() for cell in finance.split("│")[1:-1]] == [
        "finance",
        "✗ down",
        "–",
        "–",
        "–",
        "–",
        "–",
    ]


# --- the command against HTTP servers that answer like services ---------------------------------


@contextmanager
def fake_service(port: int, answers: dict[str, tuple[int, str]]) -> Iterator[None]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code, body = answers.get(self.path, (404, "not found"))
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; version=1.0.0; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def invoke(ports: dict[str, int], *services: str) -> tuple[int, str]:
    env = {f"ERP_{name.upper()}_HTTP_PORT": str(port) for name, port in ports.items()}
    env["COLUMNS"] = "250"
    result = runner.invoke(
        app, ["status", *services, "--host", "127.0.0.1", "--timeout", "3"], env=env
    )
    return result.exit_code, result.output


def test_status_exits_0_when_every_service_is_healthy(free_port: Callable[[], int]) -> None:
    ports = {"inventory": free_port(), "sales": free_port()}
    healthy = {"/health": (200, '{"status":"ok"}'), "/metrics": (200, HEALTHY)}
    with fake_service(ports["inventory"], healthy), fake_service(ports["sales"], healthy):
        code, output = invoke(ports, "inventory", "sales")
    assert code == 0, output
    assert output.count("✓ healthy") == 2
    assert "all 2 services healthy" in output


def test_status_exits_1_and_says_why_when_a_service_is_degraded_or_down(
    free_port: Callable[[], int],
) -> None:
    ports = {"inventory": free_port(), "sales": free_port(), "finance": free_port()}
    with (
        fake_service(ports["inventory"], {"/health": (200, "{}"), "/metrics": (200, HEALTHY)}),
        fake_service(ports["sales"], {"/health": (200, "{}"), "/metrics": (200, CANNED)}),
    ):
        code, output = invoke(ports, "inventory", "sales", "finance")  # finance: nobody there
    assert code == 1, output
    assert "✓ healthy" in output
    assert "! degraded" in output
    assert "✗ down" in output
    assert "42 / 1m 35s" in output
    assert "background task stopped: projection:sales.orders" in output
    assert f"finance (http://127.0.0.1:{ports['finance']}): not answering" in output
    assert "not healthy: sales, finance (2 of 3)" in output


def test_status_refuses_an_unknown_service() -> None:
    result = runner.invoke(app, ["status", "payroll"])
    assert result.exit_code == 2
    assert "unknown service" in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "localhost"])  # noqa: S104 - a bind address
def test_a_wildcard_bind_host_is_reached_on_loopback(
    host: str, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with fake_service(port, {"/health": (200, "{}"), "/metrics": (200, HEALTHY)}):
        result = runner.invoke(
            app,
            ["status", "inventory"],
            env={"ERP_INVENTORY_HTTP_PORT": str(port), "ERP_HTTP_HOST": host, "COLUMNS": "250"},
        )
    assert result.exit_code == 0, result.output
