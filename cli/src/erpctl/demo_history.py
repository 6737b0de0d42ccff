"""Half a year of trade for the demo tea shop, so every report has something to show.

What it writes, through the public HTTP APIs like the rest of the demo:

- six customers (credit limits, the price list, one with a discount), one order per customer
  per six weeks, shipped week by week over the past `weeks` (default 26) with a slow trend, a
  13-week season and seeded noise; one customer return; customer receipts that leave recent,
  overdue and one partly paid invoice open (AR aging);
- a backdated opening balance, purchase orders received in the past (one line with rejects),
  supplier invoices dated two days after each receipt and payments for the old ones (AP aging);
  a transfer to Beijing, whose Pu'er runs low (transfer suggestions), and a few gaiwan sets
  there that never sell (slow movers).

Limits — only some APIs take a business date: inventory's movements (`occurred_at`) and the
supplier invoice's `invoice_date`. Sales orders, purchase orders, payments and receipts happen
*now*: orders are placed today and shipped in the past, POs placed today were received months
ago (so every receipt is "on time"), customers' recency is today and the cash report has one day.
Finance dates a customer invoice (and posts its 6001 revenue) on the shipment's business date,
and reporting dates the sale by it, so the revenue reconciliation of `erp verify` holds.

Deterministic and idempotent: the plan is a pure function of the anchor date (the day the demo
first ran, read back from the anchor PO's expected date) and a fixed random seed, and every POST
carries an Idempotency-Key derived from it, so starting the stack again writes nothing new.
"""

import asyncio
import time
from datetime import UTC, date, datetime, timedelta

import httpx

from erpctl.demo_plan import (
    DEFAULT_WEEKS,
    RECEIPT_EVERY,
    Calendar,
    sales_orders,
    shipped_per_week,
    stock_in,
)
from erpctl.demo_purchases import (
    ANCHOR_SUPPLIER,
    Offer,
    anchor_po_id,
    invoice_and_pay,
    opening_stock,
    place_and_receive,
    receipts_plan,
)
from erpctl.demo_sales import (
    collect,
    place_orders,
    register_customers,
    return_goods,
    ship_in_time_order,
)

NEEDED = ("purchasing", "inventory", "sales", "finance")
#: sku → unit cost of the opening balance.
Costs = dict[str, str]


async def seed_history(
    urls: dict[str, str],
    token: str,
    *,
    costs: Costs,
    offers: dict[str, Offer],
    weeks: int = DEFAULT_WEEKS,
) -> float:
    """Write the history; returns the seconds it took. Skipped unless the four writing
    services run (reporting only reads)."""
    if weeks <= RECEIPT_EVERY or any(name not in urls for name in NEEDED):
        return 0.0
    started = time.monotonic()
    headers = {"Authorization": f"Bearer {token}"}
    clients = {
        name: httpx.AsyncClient(base_url=urls[name], headers=headers, timeout=30) for name in NEEDED
    }
    try:
        await _seed(clients, costs, offers, weeks)
    finally:
        for client in clients.values():
            await client.aclose()
    return time.monotonic() - started


async def _seed(
    http: dict[str, httpx.AsyncClient], costs: Costs, offers: dict[str, Offer], weeks: int
) -> None:
    lead = offers[next(s for s, o in offers.items() if o.supplier_id == ANCHOR_SUPPLIER)]
    calendar = Calendar(await _anchor(http["purchasing"], weeks, lead.lead_time_days), weeks)
    orders = sales_orders(calendar)
    shanghai = shipped_per_week(orders, "WH-SH")
    beijing = {sku: sum(qty) + 2 for sku, qty in shipped_per_week(orders, "WH-BJ").items()}
    stock = stock_in(shanghai)
    receipts = receipts_plan(calendar, stock, offers)
    await asyncio.gather(
        register_customers(http["sales"]),
        opening_stock(http["inventory"], calendar, stock, costs, beijing),
    )
    await place_and_receive(http["purchasing"], http["inventory"], calendar, receipts, offers)

    async def sell() -> None:
        await place_orders(http["sales"], orders)
        await ship_in_time_order(http["inventory"], orders)
        await asyncio.gather(
            return_goods(http["sales"], http["inventory"], calendar, orders),
            collect(http["finance"], calendar, orders),
        )

    await asyncio.gather(sell(), invoice_and_pay(http["finance"], calendar, receipts, offers))


async def _anchor(purchasing: httpx.AsyncClient, weeks: int, lead_time_days: int) -> date:
    """The day the history was first written: its anchor PO promised delivery that day + the
    supplier's lead time. A first run anchors today."""
    response = await purchasing.get(f"/purchase-orders/{anchor_po_id(weeks, RECEIPT_EVERY)}")
    if response.status_code == 404:
        return datetime.now(UTC).date()
    if response.status_code >= 400:
        raise RuntimeError(f"demo anchor PO → {response.status_code}: {response.text}")
    expected = date.fromisoformat(str(response.json()["expected_date"]))
    return expected - timedelta(days=lead_time_days)
