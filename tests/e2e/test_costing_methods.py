"""FIFO and 月末一次加权平均 through inventory's real handlers and finance's real posting, on the
real broker: the worked example of docs/inventory.md ("Costing methods") — receipts 100@10,
100@12, issue 150, receipt 100@14, a customer return of 20, issue 100, month end (finance
closes October) — and after it GL 1405 equals inventory's valuation, 6401 holds the hand-computed
COGS and the trial balance is zero."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import pytest

from erp_contracts.events.purchasing import PurchaseOrderLine, PurchaseOrderPlaced
from erp_contracts.events.sales import SalesOrderLine, SalesOrderPlaced, SalesReturnRequested
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, eventually
from finance.bootstrap import blueprint as finance_blueprint
from inventory.bootstrap import blueprint as inventory_blueprint

from .conftest import get, post, services_in_one_namespace

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
D = Decimal
OCTOBER = "2026-10-{:02d}T09:00:00Z"


@asynccontextmanager
async def costing_stack(
    infra: Infrastructure, databases: list[str]
) -> AsyncIterator[tuple[ServiceUnderTest, ServiceUnderTest]]:
    """Inventory and finance, with a FIFO item and a periodic-average item in WH-1."""
    async with services_in_one_namespace(
        infra, databases, inventory_blueprint(), finance_blueprint()
    ) as (inventory, finance):
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "上海仓"})
        for sku, method in (("FIFO-TEA", "fifo"), ("AVG-TEA", "periodic_average")):
            item = {"sku": sku, "name": sku, "uom": "pcs", "costing_method": method}
            await post(inventory, "/items", item)
        yield inventory, finance


async def published_and_recorded(
    inventory: ServiceUnderTest, producer: str, stream: str, event: Any, recorded_as: str
) -> None:
    before = await inventory.event_count(recorded_as)
    await inventory.publish_event(producer, stream, event)

    async def recorded() -> bool:
        return await inventory.event_count(recorded_as) > before

    assert await eventually(recorded), f"inventory never recorded {recorded_as}"


async def receive(inventory: ServiceUnderTest, sku: str, qty: str, price: str, day: int) -> str:
    """A PO for `qty` @ `price` received in full on `day`: the PO's id."""
    po_id = uuid.uuid4()
    line = PurchaseOrderLine(sku=sku, qty=D(qty), unit_price=D(price))
    po = PurchaseOrderPlaced(
        po_id=po_id,
        po_number=f"PO-{po_id.hex[:6]}",
        supplier_id="SUP-1",
        warehouse_id="WH-1",
        lines=(line,),
    )
    await published_and_recorded(
        inventory, "purchasing", f"po-{po_id}", po, "PurchaseOrderRecorded"
    )
    receipt = {
        "po_id": str(po_id),
        "warehouse_id": "WH-1",
        "lines": [{"sku": sku, "qty_accepted": qty}],
        "occurred_at": OCTOBER.format(day),
    }
    await post(inventory, "/receipts", receipt)
    return str(po_id)


async def ship(inventory: ServiceUnderTest, sku: str, qty: str, day: int) -> tuple[str, Decimal]:
    """A sales order reserved and shipped on `day`: (order id, the shipment's cost)."""
    order_id = uuid.uuid4()
    order = SalesOrderPlaced(
        order_id=order_id,
        order_number=f"SO-{order_id.hex[:6]}",
        customer_id="CUST-1",
        warehouse_id="WH-1",
        lines=(SalesOrderLine(sku=sku, qty=D(qty), unit_price=D(99)),),
    )
    await published_and_recorded(inventory, "sales", f"order-{order_id}", order, "StockReserved")
    body = {"order_id": str(order_id), "occurred_at": OCTOBER.format(day)}
    shipped = await post(inventory, "/shipments", body)
    return str(order_id), D(shipped["lines"][0]["value"])


async def return_authorised(inventory: ServiceUnderTest, order_id: str, sku: str, qty: str) -> str:
    """Sales authorises the return (the RMA inventory receives customer returns against)."""
    rma_id = uuid.uuid4()
    rma = SalesReturnRequested(
        return_id=rma_id,
        return_number=f"SR-{rma_id.hex[:6]}",
        order_id=uuid.UUID(order_id),
        order_number="SO-RETURN",
        customer_id="CUST-1",
        warehouse_id="WH-1",
        lines=(SalesOrderLine(sku=sku, qty=D(qty), unit_price=D(99)),),
        reason="damaged",
    )
    await published_and_recorded(inventory, "sales", f"return-{rma_id}", rma, "ReturnAuthorised")
    return str(rma_id)


async def worked_example(inventory: ServiceUnderTest, sku: str) -> list[Decimal]:
    """The example's movements in October; the two shipments' costs as first recorded."""
    await receive(inventory, sku, "100", "10", 1)
    await receive(inventory, sku, "100", "12", 2)
    order_id, first = await ship(inventory, sku, "150", 3)
    await receive(inventory, sku, "100", "14", 4)
    rma_id = await return_authorised(inventory, order_id, sku, "20")
    returned = {
        "order_id": order_id,
        "rma_id": rma_id,
        "lines": [{"sku": sku, "qty": "20"}],
        "occurred_at": OCTOBER.format(5),
    }
    await post(inventory, "/customer-returns", returned)
    _, second = await ship(inventory, sku, "100", 6)
    return [first, second]


async def books_show(
    inventory: ServiceUnderTest, finance: ServiceUnderTest, stock: dict[str, str], cogs: str
) -> None:
    """Wait until finance has posted everything: GL 1405 = inventory's valuation = Σ the
    expected stock values (and per sku in finance's own valuation), 6401 = cogs, and the
    trial balance is zero."""
    seen: dict[str, Any] = {}
    total = sum((D(value) for value in stock.values()), D(0))

    async def settled() -> bool:
        seen["recon"] = await get(finance, "/reconciliation/inventory")
        seen["valuation"] = await get(inventory, "/valuation")
        seen["trial"] = trial = await get(finance, "/ledger/trial-balance")
        balances = {a["code"]: D(a["debit"]) - D(a["credit"]) for a in trial["accounts"]}
        by_sku = {row["sku"]: D(row["value"]) for row in seen["recon"]["stock"]}
        return (
            D(seen["recon"]["gl_1405"]) == D(seen["valuation"]["total"]) == total
            and by_sku == {sku: D(value) for sku, value in stock.items()}
            and balances.get("6401", D(0)) == D(cogs)
        )

    assert await eventually(settled, timeout=60), f"books never settled: {seen}"
    assert seen["recon"]["reconciled"] is True
    assert D(seen["trial"]["total_debit"]) == D(seen["trial"]["total_credit"])


async def ledger_restated(inventory: ServiceUnderTest) -> bool:
    """库存流水 shows the restatement: one row per restated movement (−150.00 for the first
    issue, +20.00 for the return, +76.47 for the second issue), and its signed values sum to
    the 840.00 in stock."""
    page = await get(inventory, "/ledger", sku="AVG-TEA", warehouse_id="WH-1")
    rows = page["movements"]
    restated = [
        (row["reason"], D(str(row["value"])))
        for row in rows
        if row["event_type"] == "StockCostAdjusted"
    ]
    expected = [(reason, D(v)) for reason, v in RESTATED]
    return restated == expected and sum(D(str(r["value"])) for r in rows) == D("840.00")


RESTATED = [("month_end_average", "-150.00"), ("month_end_average", "20.00")]
RESTATED += [("month_end_average", "76.47")]


async def test_fifo_and_periodic_average_worked_examples_keep_gl_1405_equal_to_the_valuation(
    infra: Infrastructure, two_databases: list[str]
) -> None:
    async with costing_stack(infra, two_databases) as (inventory, finance):
        # FIFO: 150 = 100@10 + 50@12 = 1600.00; 100 = 50@12 + 50@14 = 1300.00; the return of
        # 20 comes back at the shipped cost (1600/150) = 213.33 as a layer of its own.
        assert await worked_example(inventory, "FIFO-TEA") == [D("1600.00"), D("1300.00")]
        # Periodic average, provisional (running average): 150 @ 11 = 1650.00 and
        # 100 @ 12.764706 = 1276.47; the return comes back at 11 = 220.00.
        assert await worked_example(inventory, "AVG-TEA") == [D("1650.00"), D("1276.47")]
        # FIFO stock 50@14 + 213.33 = 913.33, COGS 1600 + 1300 − 213.33 = 2686.67;
        # periodic stock 893.53, COGS 1650 + 1276.47 − 220 = 2706.47.
        before = {"FIFO-TEA": "913.33", "AVG-TEA": "893.53"}
        await books_show(inventory, finance, before, "5393.14")

        await post(finance, "/periods/2026-10/close", {})

        # Month average (1000 + 1200 + 1400) ÷ 300 = 12: periodic stock 70 @ 12 = 840.00 and
        # COGS (150 + 100 − 20) × 12 = 2760.00 — the adjustment moves 53.53 from 1405 to
        # 6401. FIFO is untouched by the month end.
        after = {"FIFO-TEA": "913.33", "AVG-TEA": "840.00"}
        await books_show(inventory, finance, after, "5446.67")
        assert await inventory.event_count("StockCostAdjusted") == 1
        assert await eventually(lambda: ledger_restated(inventory), timeout=30)
        [stock] = await get(inventory, "/stock", sku="AVG-TEA", warehouse_id="WH-1")
        assert (D(stock["on_hand"]), D(stock["value"]), D(stock["unit_cost"])) == (
            D(70),
            D("840.00"),
            D(12),
        )


async def test_a_fifo_return_to_the_supplier_leaves_at_its_receipts_cost_with_no_variance(
    infra: Infrastructure, two_databases: list[str]
) -> None:
    """采购退货 of a FIFO item: 100@10 (PO 1) and 100@12 (PO 2) received, 30 of PO 2 sent back.
    The 30 leave GR-2's layer at 12 = 360.00 — what GRNI was accrued at — so finance posts no
    cost variance to 6401 (the oldest layer would have sent them at 10 and booked a 60.00
    gain that does not exist); 1405 = the valuation = 100@10 + 70@12 = 1840.00."""
    async with costing_stack(infra, two_databases) as (inventory, finance):
        await receive(inventory, "FIFO-TEA", "100", "10", 1)
        second_po = await receive(inventory, "FIFO-TEA", "100", "12", 2)
        body = {
            "po_id": second_po,
            "warehouse_id": "WH-1",
            "lines": [{"sku": "FIFO-TEA", "qty": "30"}],
            "occurred_at": OCTOBER.format(3),
        }
        await post(inventory, "/supplier-returns", body)

        await books_show(inventory, finance, {"FIFO-TEA": "1840.00"}, cogs="0")
