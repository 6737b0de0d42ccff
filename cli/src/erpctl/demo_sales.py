"""The demo's sales side: customers, orders placed now and shipped week by week in the past
(finance invoices each shipment on its dispatch date), one customer return, and receipts that
leave recent, overdue and partly paid invoices open for the aging."""

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from erpctl.demo_http import get, post, wait_for
from erpctl.demo_plan import CUSTOMERS, PRICES, Calendar, Customer, Order, Shipment
from erpctl.demo_purchases import demo_id

#: Orders placed (and confirmed) at the same time; each is a few requests.
CONCURRENT_ORDERS = 10
#: Invoices older than this many days at the anchor are paid; `None`: only the due ones.
PAID_BEFORE_DAYS: dict[str, int] = {"C-LUYU": 75, "C-CAFE": 120}
#: This customer pays half of its oldest unpaid invoice as well (a partly paid invoice).
PARTLY_PAYS = "C-CAFE"
#: The customer return: the first order of this customer sends back a few boxes.
RETURNING, RETURNED_SKU, RETURNED_QTY = "C-LAOSHE", "TEA-LJ-250", 2
CONFIRMED = {"confirmed", "partially_shipped", "shipped", "invoiced", "completed"}


async def register_customers(sales: httpx.AsyncClient) -> None:
    for customer in CUSTOMERS:
        body: dict[str, Any] = {
            "customer_id": customer.customer_id,
            "name": customer.name,
            "credit_limit": customer.credit_limit,
            "payment_terms_days": customer.terms_days,
            "prices": [{"sku": sku, "unit_price": price} for sku, price in PRICES.items()],
        }
        if customer.customer_id == "C-TMALL":
            body["discount_rate"] = "0.05"  # the platform's volume discount off the list
        await post(sales, "/customers", body, allow_exists=True)


async def place_orders(sales: httpx.AsyncClient, orders: list[Order]) -> None:
    """Place every order now (bounded), then wait until inventory reserved each one."""
    limit = asyncio.Semaphore(CONCURRENT_ORDERS)

    async def place(order: Order) -> None:
        order_id = demo_id(f"order-{order.key}")
        lines = [{"sku": sku, "qty": str(qty)} for sku, qty in sorted(order.lines.items())]
        body: dict[str, Any] = {"customer_id": order.customer.customer_id, "order_id": order_id}
        body |= {"warehouse_id": order.customer.warehouse_id, "lines": lines}
        async with limit:
            await post(sales, "/orders", body, key=f"demo-order-{order.key}")

            async def confirmed() -> bool:
                status = (await get(sales, f"/orders/{order_id}"))["status"]
                if status == "backordered":
                    raise RuntimeError(f"demo order {order.key} was backordered: stock is short")
                return status in CONFIRMED

            await wait_for(f"inventory confirming demo order {order.key}", confirmed)

    await asyncio.gather(*(place(order) for order in orders))


async def ship_in_time_order(inventory: httpx.AsyncClient, orders: list[Order]) -> None:
    """Oldest first, one at a time per warehouse: a shipment is never dated before another of
    its stock (which would re-cost it), and shipments of one stock item never race (which
    would make inventory retry them). The two warehouses ship side by side."""
    lanes: dict[str, list[tuple[Order, Shipment]]] = {}
    for order in orders:
        for shipment in order.shipments:
            lanes.setdefault(order.customer.warehouse_id, []).append((order, shipment))

    async def ship_all(lane: list[tuple[Order, Shipment]]) -> None:
        for order, shipment in sorted(lane, key=lambda pair: (pair[1].at, pair[0].key)):
            await _ship(inventory, order, shipment)

    await asyncio.gather(*(ship_all(lane) for lane in lanes.values()))


async def return_goods(
    sales: httpx.AsyncClient, inventory: httpx.AsyncClient, calendar: Calendar, orders: list[Order]
) -> None:
    """A few boxes of a shipment three weeks back come back at the end of the next week: late
    in the history, so it re-costs few later shipments."""
    order, shipment = [
        (o, s)
        for o in orders
        if o.customer.customer_id == RETURNING
        for s in o.shipments
        if RETURNED_SKU in s.lines and s.week <= calendar.weeks - 3
    ][-1]
    at = calendar.at(shipment.week + 1, day=4, hour=17)
    await _return_goods(sales, inventory, order, shipment.lines[RETURNED_SKU], at)


async def _ship(inventory: httpx.AsyncClient, order: Order, shipment: Shipment) -> None:
    key = f"{order.key}-w{shipment.week:02d}"
    lines = [{"sku": sku, "qty": str(qty)} for sku, qty in sorted(shipment.lines.items())]
    body: dict[str, Any] = {"order_id": demo_id(f"order-{order.key}")}
    body["shipment_id"] = demo_id(f"shipment-{key}")
    body |= {"lines": lines, "occurred_at": shipment.at.isoformat()}
    await post(inventory, "/shipments", body, key=f"demo-shipment-{key}")


async def _return_goods(
    sales: httpx.AsyncClient,
    inventory: httpx.AsyncClient,
    order: Order,
    shipped: int,
    at: datetime,
) -> None:
    """The RMA is authorised now (sales, once it has learned of the shipment); the goods
    came back at `at` (inventory, against the RMA once it has learned of it from sales)."""
    order_id, rma_id = demo_id(f"order-{order.key}"), demo_id(f"return-{order.key}")
    lines = [{"sku": RETURNED_SKU, "qty": str(min(RETURNED_QTY, shipped))}]
    rma = {"lines": lines, "reason": "damaged tins", "return_id": rma_id}
    path = f"/orders/{order_id}/returns"
    await post(sales, path, rma, key=f"demo-rma-{order.key}", retry=("return_exceeds_shipped",))
    back = {"order_id": order_id, "rma_id": rma_id, "lines": lines}
    back |= {"return_id": demo_id(f"customer-return-{order.key}"), "occurred_at": at.isoformat()}
    key = f"demo-return-{order.key}"
    await post(inventory, "/customer-returns", back, key=key, retry=("rma_not_found",))


async def collect(finance: httpx.AsyncClient, calendar: Calendar, orders: list[Order]) -> None:
    """Wait for finance's invoices (one per shipment), then each customer pays some of them."""
    await asyncio.gather(*(_collect_from(finance, c, calendar, orders) for c in CUSTOMERS))


async def _collect_from(
    finance: httpx.AsyncClient, customer: Customer, calendar: Calendar, orders: list[Order]
) -> None:
    expected = sum(len(o.shipments) for o in orders if o.customer is customer)
    invoices: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    wants_note = customer.customer_id == RETURNING

    async def issued() -> bool:
        params = {"customer_id": customer.customer_id}
        invoices[:] = await get(finance, "/receivables/invoices", **params)
        notes[:] = await get(finance, "/receivables/credit-notes", **params)
        return len(invoices) >= expected and (bool(notes) or not wants_note)

    await wait_for(f"finance invoicing {expected} shipments to {customer.customer_id}", issued)
    amount = receipt_amount(customer, calendar, invoices, notes)
    if amount > 0:
        receipt_id = demo_id(f"receipt-{customer.customer_id}")
        body = {"customer_id": customer.customer_id, "amount": str(amount)}
        body["receipt_id"] = receipt_id
        await post(finance, "/receivables/receipts", body, key=f"demo-{receipt_id}")


def receipt_amount(
    customer: Customer,
    calendar: Calendar,
    invoices: list[dict[str, Any]],
    notes: list[dict[str, Any]],
) -> Decimal:
    """Oldest first (as finance allocates a receipt without allocations): every invoice dated
    before the customer's cut-off, less what its credit notes already settled."""
    days = PAID_BEFORE_DAYS.get(customer.customer_id, customer.terms_days)
    cutoff = (calendar.anchor - timedelta(days=days)).isoformat()
    ordered = sorted(invoices, key=lambda i: (i["invoice_date"], i["invoice_number"]))
    paid = [i for i in ordered if i["invoice_date"] < cutoff]
    amount = sum((Decimal(i["total"]) for i in paid), Decimal(0))
    amount -= sum((Decimal(n["applied"]) for n in notes), Decimal(0))
    rest = ordered[len(paid) :]
    if customer.customer_id == PARTLY_PAYS and rest:
        amount += (Decimal(rest[0]["total"]) / 2).quantize(Decimal("0.01"))
    return amount
