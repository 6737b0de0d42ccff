"""Reporting benchmarks (issue #11). Ratios against baselines measured in this run; nothing is
asserted on time. `--quick` runs smaller sizes for development; `--only consumption` runs the
first alone (the other two fill and read a million rows; `make bench` runs all three).

1. consumption keeps up: 20,000 public events (inventory `ShipmentDispatched`, sales
   `SalesOrderConfirmed`) appended to the producers' stores and published by their real
   relays (events/s published); reporting, run as its runtime runs it, reads them from the
   beginning: copies kept in its store per second (the inbox stage) and events per second
   until every read model is up to date. Ratio: consumed ÷ published (goal ≥ 1: reporting
   is no bottleneck behind the producers). See `bench.reporting_consumption`.
2. grouped report over 1,000,000 `sales_daily` rows: `GET /reports/sales` grouped by month
   and sku over a year — the query function the route runs (p50/p99 over 20 runs; the route
   through the ASGI app is shown too) ÷ the same `GROUP BY` by hand in raw asyncpg (goal
   ≤ 1.5×). See `bench.reporting_queries`.
3. CSV export of the 1,000,000 rows: rows/s streamed to the client and resident memory
   (start → peak sampled while sending), against PostgreSQL's own `COPY … TO STDOUT` CSV of
   the same rows (ratio shown, no goal: it says what our row-by-row path costs). See
   `bench.reporting_export`.
"""

import argparse
import asyncio
import sys
from dataclasses import dataclass

from bench.common import console, report
from bench.eventkit_bench import raw_dsn
from bench.reporting_consumption import ADMIN, ConsumptionResult, bench_consumption
from bench.reporting_export import ExportResult, bench_export
from bench.reporting_queries import GroupedResult, bench_grouped, fill_sales
from eventkit.testing.databases import create_test_database, drop_test_database, prepare_template
from eventkit.testing.infrastructure import started_infrastructure
from eventkit.testing.service import running_service
from reporting.bootstrap import blueprint

ANALYST = "bench-analyst"


@dataclass(frozen=True)
class Sizes:
    events: int
    rows: int
    runs: int
    #: Seconds reporting may consume after its first copy; a slower consumer is measured over
    #: this window (the row then says how many of the events it reached).
    window: float


FULL = Sizes(events=20_000, rows=1_000_000, runs=20, window=180.0)
QUICK = Sizes(events=2_000, rows=100_000, runs=5, window=30.0)


async def bench_read_models(
    url: str, bootstrap: str, sizes: Sizes
) -> tuple[GroupedResult, ExportResult]:
    """Benchmarks 2 and 3 against one running reporting service and one filled table."""
    async with running_service(
        blueprint(), url, bootstrap, admin_token=ADMIN, tokens=f"{ANALYST}=bench:analyst"
    ) as service:
        dsn = raw_dsn(url)
        console.print(f"filling rm_report_sales.sales_daily with {sizes.rows:,} rows …")
        await fill_sales(dsn, sizes.rows)
        authorization = f"Bearer {ANALYST}"
        headers = {"Authorization": authorization}
        engine = service.runtime.engine
        grouped = await bench_grouped(engine, service.client, headers, dsn, sizes.rows, sizes.runs)
        app = service.client._transport.app  # type: ignore[attr-defined]
        exported = await bench_export(app, authorization, dsn, sizes.rows)
    return grouped, exported


def consumption_row(c: ConsumptionResult) -> tuple[str, str, str, str]:
    reached = "" if c.projected == c.events else f" (in the window: {c.kept:,} kept, "
    reached += "" if c.projected == c.events else f"{c.projected:,} in read models)"
    return (
        f"consumption, {c.events:,} events{reached}",
        f"{c.consumed_per_s:,.0f}/s kept, {c.projected_per_s:,.0f}/s in read models"
        f" (join {c.startup_s:.1f} s, not counted)",
        f"{c.published_per_s:,.0f}/s published by the relays",
        f"kept {c.consumed_per_s / c.published_per_s:.3f}, read models "
        f"{c.projected_per_s / c.published_per_s:.3f} (≥ 1)",
    )


def rows_of(
    c: ConsumptionResult, g: GroupedResult, e: ExportResult
) -> list[tuple[str, str, str, str]]:
    return [
        consumption_row(c),
        (
            f"sales by month × sku over 2023, {g.rows:,} rows, {g.groups:,} groups",
            f"query p50 {g.ours.p50_ms:,.0f} / p99 {g.ours.p99_ms:,.0f} ms;"
            f" route p50 {g.route.p50_ms:,.0f} / p99 {g.route.p99_ms:,.0f} ms",
            f"raw p50 {g.raw.p50_ms:,.0f} / p99 {g.raw.p99_ms:,.0f} ms",
            f"query {g.ours.p50_ms / g.raw.p50_ms:.2f}×, "
            f"route {g.route.p50_ms / g.raw.p50_ms:.2f}× (≤ 1.5)",
        ),
        (
            f"CSV export, {e.rows:,} rows, {e.megabytes:,.0f} MB",
            f"{e.rows_per_s:,.0f} rows/s; RSS {e.rss_start_mb:,.0f} → {e.rss_peak_mb:,.0f} MB"
            f" (+{e.rss_peak_mb - e.rss_start_mb:,.1f})",
            f"{e.raw_rows_per_s:,.0f} rows/s raw COPY CSV",
            f"{e.rows_per_s / e.raw_rows_per_s:.2f} (no goal)",
        ),
    ]


async def main(sizes: Sizes, only: str | None = None) -> None:
    with started_infrastructure() as infra:
        server = infra.database_server_url
        bootstrap = infra.kafka_bootstrap_servers
        await prepare_template(server)
        names = ("inventory", "sales", "reporting", "read_models")
        urls = {name: await create_test_database(server) for name in names}
        console.print(
            f"[bold]reporting benchmarks[/] — {sizes.events:,} events consumed, "
            f"{sizes.rows:,} sales rows, {sizes.runs} query runs"
        )
        try:
            consumption = await bench_consumption(urls, bootstrap, sizes.events, sizes.window)
            rows = [consumption_row(consumption)]
            if only != "consumption":
                grouped, exported = await bench_read_models(urls["read_models"], bootstrap, sizes)
                rows = rows_of(consumption, grouped, exported)
        finally:
            for url in urls.values():
                await drop_test_database(server, url)
    report("reporting", rows)
    for row in rows:  # the same figures unwrapped, for logs and the docs
        print(" | ".join(row))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for development")
    parser.add_argument(
        "--only",
        choices=["consumption"],
        help="run only this benchmark (make bench runs all three)",
    )
    args = parser.parse_args()
    sys.exit(asyncio.run(main(QUICK if args.quick else FULL, args.only)))
