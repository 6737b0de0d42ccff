"""销售退货 against the RMA: inventory learns RMAs from sales' SalesReturnRequested and takes
goods back only against one, never more than it authorised; a refusal writes nothing."""

import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from erp_contracts.events.sales import SalesOrderLine, SalesReturnRequested

from .scenario import register, sales_order, settled_stock, stock_in
from .support import InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def shipped_order(inv: InventoryUnderTest, qty: str) -> UUID:
    """Sales places an order for `qty` of RET; inventory reserves it and the clerk ships it."""
    order_id, placed = sales_order("WH-1", [("RET", qty)])
    await inv.publish_event("sales", f"sales-order-{order_id}", placed)

    async def shipped() -> bool:
        response = await inv.client.post(
            "/shipments", json={"order_id": str(order_id)}, headers=auth()
        )
        return response.status_code == 201

    assert await eventually(shipped), "the order was never reserved to ship"
    return order_id


async def authorised(inv: InventoryUnderTest, order_id: UUID, qty: str) -> UUID:
    """Sales authorises the return (the RMA); wait until inventory recorded it."""
    rma = SalesReturnRequested(
        return_id=uuid.uuid4(),
        return_number="SR-20261130-0001",
        order_id=order_id,
        order_number="SO-1",
        customer_id="CUST-1",
        warehouse_id="WH-1",
        lines=(SalesOrderLine(sku="RET", qty=Decimal(qty), unit_price=Decimal(99)),),
        reason="damaged",
    )
    before = await inv.event_count("ReturnAuthorised")
    await inv.publish_event("sales", f"sales-order-{order_id}", rma)
    await inv.publish_event("sales", f"sales-order-{order_id}", rma)  # redelivered

    async def recorded() -> bool:
        return await inv.event_count("ReturnAuthorised") > before

    assert await eventually(recorded), "inventory never recorded the RMA"
    return rma.return_id


async def customer_return(inv: InventoryUnderTest, body: dict[str, Any]) -> Any:
    return await inv.client.post("/customer-returns", json=body, headers=auth())


async def test_customer_returns_without_a_covering_rma_are_refused_and_write_nothing(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "RET")
    await stock_in(inventory, "RET", "WH-1", "10", "4")
    order_id = await shipped_order(inventory, "3")
    stock = await settled_stock(inventory, "RET", "WH-1", {"on_hand": "7"})
    events = await inventory.event_count()
    back = {"order_id": str(order_id), "lines": [{"sku": "RET", "qty": "1"}]}

    no_rma = await customer_return(inventory, back)
    assert no_rma.status_code == 409, no_rma.text
    assert no_rma.json()["error"] == "rma_not_found"

    unheard_of = await customer_return(inventory, back | {"rma_id": str(uuid.uuid4())})
    assert unheard_of.status_code == 409, unheard_of.text
    assert unheard_of.json()["error"] == "rma_not_found"
    assert unheard_of.headers["Retry-After"] == "1"  # it may still be on its way from sales

    rma_id = await authorised(inventory, order_id, "2")
    events = await inventory.event_count()
    too_many = back | {"rma_id": str(rma_id), "lines": [{"sku": "RET", "qty": "3"}]}
    exceeded = await customer_return(inventory, too_many)
    assert exceeded.status_code == 409, exceeded.text
    assert exceeded.json()["error"] == "rma_exceeded"
    assert exceeded.json()["details"]["receivable"] == "2"

    other_order = back | {"rma_id": str(rma_id), "order_id": str(uuid.uuid4())}
    assert (await customer_return(inventory, other_order)).json()["error"] == "rma_not_found"

    assert await inventory.event_count() == events
    assert (
        await inventory.scalar(
            "SELECT count(*) FROM events WHERE stream_id = 'stock-RET@WH-1'"
            " AND event_type = 'StockAdjusted'"
        )
        == 0
    )
    assert await inventory.stock("RET", "WH-1") == stock


async def test_goods_come_back_against_the_rma_in_two_deliveries_and_no_more(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "RET")
    await stock_in(inventory, "RET", "WH-1", "10", "4")
    order_id = await shipped_order(inventory, "5")
    rma_id = await authorised(inventory, order_id, "3")
    base = {"order_id": str(order_id), "rma_id": str(rma_id)}

    first = await customer_return(inventory, base | {"lines": [{"sku": "RET", "qty": "1"}]})
    assert first.status_code == 201, first.text
    assert first.json()["rma_id"] == str(rma_id)
    rest = await customer_return(inventory, base | {"lines": [{"sku": "RET", "qty": "2"}]})
    assert rest.status_code == 201, rest.text
    assert first.json()["return_number"] != rest.json()["return_number"]
    more = await customer_return(inventory, base | {"lines": [{"sku": "RET", "qty": "1"}]})
    assert more.json()["error"] == "rma_exceeded"

    await settled_stock(inventory, "RET", "WH-1", {"on_hand": "8", "value": "32.00"})
    assert await inventory.event_count("CustomerReturnReceived") == 2
    against_rma = await inventory.scalar(
        "SELECT count(*) FROM events WHERE event_type = 'CustomerReturnReceived'"
        " AND payload->>'rma_id' = :rma_id",
        rma_id=str(rma_id),
    )
    assert against_rma == 2  # each receipt names the RMA for finance, sales and auditors
