"""Console benchmarks: how long people wait for their screens.

1. Server time of every screen with the demo company loaded (26 weeks of history): the time
   from the browser's request to the page's HTML (Navigation Timing in a real Chromium),
   p50/p99 over repeated page loads, signed in as
   the administrator (who sees every form). Goal: p99 < 300 ms. Baseline in the same run: the
   raw service call behind the busiest list (`GET /stock?limit=51` on inventory).
2. The stock screen with 10,000 SKUs: time to first row in a real Chromium (from navigation
   start to the first row of `stock-table`), against the raw `GET /stock?limit=51` call.

Run: `uv run python -m bench.console_bench [--quick]` (part of `make bench`).
"""

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.common import console, percentile, report
from erpctl.imports import upload
from erpctl.status import summarize_metrics
from tests.browser.chromium import ensure_chromium, headless_chromium
from tests.browser.screens import SCREENS as BROWSER_SCREENS
from tests.browser.stack import Stack, erp_up_demo
from tests.browser.support import Person

SCREENS = (*BROWSER_SCREENS, "/users")
SKUS = 10_000
FIRST_ROW = (
    "return document.querySelectorAll('[data-testid=\"stock-table\"] tbody tr td').length > 1"
)


def timed_ms(call: Callable[[], httpx.Response]) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.url}: {response.status_code}")
    return elapsed


#: Navigation Timing of the page just loaded: request sent → its HTML fully received.
SERVER_TIME = (
    "const n = performance.getEntriesByType('navigation')[0];"
    " return n.responseEnd - n.requestStart;"
)


def screen_times(stack: Stack, runs: int) -> dict[str, list[float]]:
    """Each screen's server time as a real Chromium sees it (Navigation Timing), signed in as
    the administrator: every page's NiceGUI client then lives as it does for a person — it
    connects, and is let go once the browser has moved on. Timed with a bare HTTP client
    instead, no page ever connects, and every page's client (its whole element tree) stays in
    the console's memory until NiceGUI prunes it a minute later: 500 requests in 13 s pile up
    hundreds, and garbage-collector pauses grow with them (150 → 540 ms), a load no browser
    makes."""
    times: dict[str, list[float]] = {path: [] for path in SCREENS}
    driver = headless_chromium(Path(tempfile.mkdtemp(prefix="erp-bench-")))
    try:
        person = Person(driver, stack.console_url)
        person.sign_in("admin", stack.admin_password)
        for path in SCREENS:
            person.open(path)  # warm: first render imports and caches
            for _ in range(runs):
                person.open(path)
                if "/login" in driver.current_url:
                    raise RuntimeError(f"{path}: signed out")
                times[path].append(float(driver.execute_script(SERVER_TIME)))
    finally:
        driver.quit()
    return times


def raw_stock_times(stack: Stack, runs: int) -> list[float]:
    with stack.api("inventory") as inventory:
        inventory.get("/stock", params={"limit": 51})
        return [
            timed_ms(lambda: inventory.get("/stock", params={"limit": 51})) for _ in range(runs)
        ]


def add_skus(stack: Stack, count: int) -> None:
    """`count` more items, each with 10 in stock in WH-SH at 5.00, loaded as a shop moving in
    would: two imports (items, then opening stock), then wait for the read models."""
    started = time.perf_counter()
    items = "sku,name,uom\n" + "".join(f"BENCH-{n:05d},压测商品 {n},pcs\n" for n in range(count))
    stock = "sku,warehouse_id,qty,unit_cost\n" + "".join(
        f"BENCH-{n:05d},WH-SH,10,5\n" for n in range(count)
    )
    with (
        tempfile.TemporaryDirectory(prefix="erp-bench-import-") as folder,
        stack.api("inventory") as inventory,
    ):
        inventory.timeout = httpx.Timeout(600.0, connect=10.0)
        for kind, table in (("items", items), ("opening_stock", stock)):
            file = Path(folder) / f"{kind}.csv"
            file.write_text(table, encoding="utf-8")
            # As `erp import` does: the second file waits (503 + Retry-After) until the read
            # models have taken the first one's events.
            upload(inventory, kind, file).raise_for_status()
        # Every read waits for the read models (503 + Retry-After while they catch up).
        while inventory.get("/stock", params={"limit": 1}).status_code == 503:
            time.sleep(1)
    console.print(f"added {count:,} skus with stock in {time.perf_counter() - started:.0f} s")


def settle(stack: Stack, timeout: float = 900) -> None:
    """Wait until every service has published, consumed and projected all it has (three
    readings of `/metrics` in a row with no relay, consumer or projection lag). When `erp up
    --demo` says it is up, finance and reporting are still taking in the demo's history, and a
    screen timed meanwhile would measure that catch-up, not the screen."""
    started = time.perf_counter()
    quiet = 0
    with httpx.Client(timeout=10) as client:
        while quiet < 3:
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"the stack still had lag after {timeout:.0f} s")
            lags = []
            for url in stack.service_urls.values():
                metrics = summarize_metrics(client.get(f"{url}/metrics").text)
                lags += [
                    metrics.relay_lag_events,
                    metrics.max_consumer_lag,
                    metrics.max_projection_lag_events,
                ]
            quiet = quiet + 1 if not any(lags) else 0
            time.sleep(1)
    console.print(f"settled: no lag anywhere after {time.perf_counter() - started:.0f} s")


def first_row_times(stack: Stack, runs: int) -> list[float]:
    driver = headless_chromium(Path(tempfile.mkdtemp(prefix="erp-bench-")))
    try:
        person = Person(driver, stack.console_url)
        person.sign_in("admin", stack.admin_password)
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            person.open("/stock")
            person.wait_for(
                lambda: driver.execute_script(FIRST_ROW),
                what="first stock row",
            )
            times.append((time.perf_counter() - started) * 1000)
        return times[1:]
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="8 weeks of demo, 1,000 skus, fewer runs"
    )
    args = parser.parse_args()
    weeks, skus, runs = (8, 1_000, 10) if args.quick else (26, SKUS, 30)
    problem = ensure_chromium()
    if problem:
        raise SystemExit(problem)
    with erp_up_demo(weeks) as stack:
        settle(stack)
        raw = raw_stock_times(stack, runs)
        times = screen_times(stack, runs)
        rows = []
        for path, values in times.items():
            p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
            verdict = "✓" if p99 < 300 else "✗"
            rows.append(
                (
                    f"screen {path}",
                    f"p50 {p50:.0f} / p99 {p99:.0f} ms",
                    f"raw /stock p50 {percentile(raw, 0.5):.0f} ms",
                    f"p99 {verdict} (< 300 ms); p50 ×{p50 / percentile(raw, 0.5):.1f}",
                )
            )
        add_skus(stack, skus)
        settle(stack)
        raw_big = raw_stock_times(stack, runs)
        first = first_row_times(stack, max(5, runs // 3))
        rows.append(
            (
                f"stock screen, {skus:,} skus: time to first row",
                f"p50 {percentile(first, 0.5):.0f} / max {max(first):.0f} ms",
                f"raw /stock p50 {percentile(raw_big, 0.5):.0f} ms",
                f"×{percentile(first, 0.5) / percentile(raw_big, 0.5):.1f}",
            )
        )
        report(f"console benchmarks ({weeks} weeks of demo history)", rows)


if __name__ == "__main__":
    main()
