"""FIFO vs moving-average issue cost (issue #13): an issue on a stock item with 10,000 open
FIFO layers ÷ the same issue on a moving-average stock item with the same 10,000 receipts
(goal ≤ 2×). Domain only — the decision the aggregate makes per issue, which is where FIFO
could grow with history; loading and saving the stream is the same for both methods.

`python -m bench.costing_bench` prints it alone; `bench.inventory_bench` reports it too.
"""

import gc
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench.common import median, report
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import CostingMethod

OPEN_LAYERS = 10_000
ROUNDS = 20
ISSUES_PER_ROUND = 100
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def stocked(method: CostingMethod) -> StockItem:
    """10,000 receipts of one unit each at distinct costs: 10,000 open FIFO layers."""
    stock = StockItem.open("SKU", "WH", StockPolicy(), occurred_at=T0, costing_method=method)
    for n in range(OPEN_LAYERS):
        cost = Decimal(10) + Decimal(n % 500) / 100
        stock.receive(Decimal(1), cost, document=f"GR-{n}", occurred_at=T0)
    stock.collect_events()
    return stock


def timed_round(stock: StockItem, round_no: int) -> float:
    """Seconds per issue of 0.5 units (each takes a slice of one or two layers)."""
    at = T0 + timedelta(days=1 + round_no)
    started = time.perf_counter()
    for n in range(ISSUES_PER_ROUND):
        stock.issue(Decimal("0.5"), document=f"SH-{round_no}-{n}", occurred_at=at)
    elapsed = time.perf_counter() - started
    stock.collect_events()
    return elapsed / ISSUES_PER_ROUND


def fifo_vs_average() -> tuple[float, float]:
    """Median seconds per issue, FIFO and moving average. Rounds alternate between the two
    stock items so machine noise (and the garbage collector) hits both alike."""
    fifo, average = stocked(CostingMethod.FIFO), stocked(CostingMethod.MOVING_AVERAGE)
    gc.collect()
    fifo_rounds, average_rounds = [], []
    for round_no in range(ROUNDS):
        fifo_rounds.append(timed_round(fifo, round_no))
        average_rounds.append(timed_round(average, round_no))
    return median(fifo_rounds), median(average_rounds)


def row(fifo: float, average: float) -> tuple[str, str, str, str]:
    return (
        f"issue cost, {OPEN_LAYERS:,} open layers",
        f"FIFO {fifo * 1e6:.0f} µs/issue",
        f"moving average {average * 1e6:.0f} µs/issue",
        f"{fifo / average:.2f} (≤ 2)",
    )


def main() -> None:
    report("inventory costing", [row(*fifo_vs_average())])


if __name__ == "__main__":
    main()
