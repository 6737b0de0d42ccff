"""Steps a clerk (or the other services) take, in test form."""

import uuid
from decimal import Decimal
from uuid import UUID

from erp_contracts.events.purchasing import PurchaseOrderLine, PurchaseOrderPlaced
from erp_contracts.events.sales import SalesOrderLine, SalesOrderPlaced

from .support import ADMIN, InventoryUnderTest, auth, eventually


async def register(
    inv: InventoryUnderTest, sku: str, warehouse: str = "WH-1", **item: object
) -> None:
    await inv.client.post(
        "/warehouses", json={"warehouse_id": warehouse, "name": warehouse}, headers=auth(ADMIN)
    )
    response = await inv.client.post(
        "/items",
        json={"sku": sku, "name": f"Item {sku}", "uom": "pcs", **item},
        headers=auth(ADMIN),
    )
    assert response.status_code in (201, 409), response.text


async def place_po(
    inv: InventoryUnderTest, warehouse: str, lines: list[tuple[str, str, str]]
) -> UUID:
    """Purchasing places a PO (qty, unit price per sku); wait until inventory has recorded it."""
    po_id = uuid.uuid4()
    before = await inv.event_count("PurchaseOrderRecorded")
    event = PurchaseOrderPlaced(
        po_id=po_id,
        po_number=f"PO-{po_id.hex[:6]}",
        supplier_id="SUP-1",
        warehouse_id=warehouse,
        lines=tuple(
            PurchaseOrderLine(sku=sku, qty=Decimal(qty), unit_price=Decimal(price))
            for sku, qty, price in lines
        ),
    )
    await inv.publish_event("purchasing", f"po-{po_id}", event)

    async def recorded() -> bool:
        return await inv.event_count("PurchaseOrderRecorded") > before

    assert await eventually(recorded), "inventory never recorded the purchase order"
    return po_id


async def receive(
    inv: InventoryUnderTest,
    po_id: UUID,
    warehouse: str,
    lines: list[dict[str, object]],
    **extra: object,
) -> dict[str, object]:
    response = await inv.client.post(
        "/receipts",
        json={"po_id": str(po_id), "warehouse_id": warehouse, "lines": lines, **extra},
        headers=auth(),
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def stock_in(inv: InventoryUnderTest, sku: str, warehouse: str, qty: str, price: str) -> None:
    po_id = await place_po(inv, warehouse, [(sku, qty, price)])
    await receive(inv, po_id, warehouse, [{"sku": sku, "qty_accepted": qty}])


def sales_order(warehouse: str, lines: list[tuple[str, str]]) -> tuple[UUID, SalesOrderPlaced]:
    order_id = uuid.uuid4()
    return order_id, SalesOrderPlaced(
        order_id=order_id,
        order_number=f"SO-{order_id.hex[:6]}",
        customer_id="CUST-1",
        warehouse_id=warehouse,
        lines=tuple(
            SalesOrderLine(sku=sku, qty=Decimal(qty), unit_price=Decimal("99"))
            for sku, qty in lines
        ),
    )


async def settled_stock(
    inv: InventoryUnderTest, sku: str, warehouse: str, expect: dict[str, str], **params: str
) -> dict[str, object]:
    """Poll GET /stock until the projection shows `expect` (it trails the commit slightly)."""
    last: dict[str, object] | None = None

    async def matches() -> bool:
        nonlocal last
        last = await inv.stock(sku, warehouse, **params)
        return last is not None and all(
            Decimal(str(last[k])) == Decimal(v) for k, v in expect.items()
        )

    assert await eventually(matches, timeout=30), f"stock never matched {expect}: {last}"
    assert last is not None
    return last
