"""Steps a clerk (or inventory) takes, in test form."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from erp_contracts.events.inventory import GoodsReceived, ReceivedLine

from .support import PurchasingUnderTest, auth, envelope_of, eventually


async def register_supplier(
    svc: PurchasingUnderTest, supplier_id: str, prices: dict[str, str], lead_time_days: int = 7
) -> None:
    response = await svc.client.post(
        "/suppliers",
        json={
            "supplier_id": supplier_id,
            "name": f"Supplier {supplier_id}",
            "payment_terms_days": 30,
            "lead_time_days": lead_time_days,
            "prices": [{"sku": sku, "unit_price": price} for sku, price in prices.items()],
        },
        headers=auth(),
    )
    assert response.status_code == 201, response.text


async def offers_visible(svc: PurchasingUnderTest, sku: str, count: int) -> None:
    """Wait until the price list read model knows `count` offers for the sku."""

    async def ready() -> bool:
        rows = await svc.get("/price-history", sku=sku)
        return len([r for r in rows if r["source"] == "price_list"]) >= count

    assert await eventually(ready, timeout=30), "price list never reached the read model"


async def place_po(
    svc: PurchasingUnderTest, supplier_id: str, lines: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    response = await svc.client.post(
        "/purchase-orders",
        json={"supplier_id": supplier_id, "warehouse_id": "WH-1", "lines": lines, **extra},
        headers=auth(),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def receive(
    svc: PurchasingUnderTest,
    po_id: UUID,
    sku: str,
    accepted: str,
    rejected: str = "0",
    *,
    occurred_at: datetime,
) -> UUID:
    """Inventory receives goods against the PO and publishes `GoodsReceived`."""
    receipt_id = uuid4()
    event = GoodsReceived(
        occurred_at=occurred_at,
        receipt_id=receipt_id,
        receipt_number=f"GR-{receipt_id.hex[:6]}",
        po_id=po_id,
        warehouse_id="WH-1",
        lines=(
            ReceivedLine(
                sku=sku,
                qty_accepted=Decimal(accepted),
                qty_rejected=Decimal(rejected),
                unit_cost=Decimal(12),
                value=Decimal(accepted) * 12,
            ),
        ),
    )
    await svc.publish(envelope_of("inventory", f"purchase-order-{po_id}", event))
    return receipt_id


async def po_matches(svc: PurchasingUnderTest, po_id: UUID | str, **expect: str) -> dict[str, Any]:
    """Poll GET /purchase-orders/{id} until every expected field (top level or first line)
    has the value."""
    last: dict[str, Any] = {}

    async def matches() -> bool:
        nonlocal last
        response = await svc.client.get(f"/purchase-orders/{po_id}", headers=auth())
        if response.status_code != 200:
            return False
        last = response.json()
        line = last["lines"][0]
        return all(_same(last.get(k, line.get(k)), v) for k, v in expect.items())

    assert await eventually(matches, timeout=30), f"PO never matched {expect}: {last}"
    return last


def _same(actual: object, expected: str) -> bool:
    try:
        return Decimal(str(actual)) == Decimal(expected)
    except ArithmeticError:
        return str(actual) == expected
