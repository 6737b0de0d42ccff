"""Steps a sales clerk (or inventory) takes, in test form."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from erp_contracts.events.inventory import (
    ItemRegistered,
    QuantityLine,
    ShipmentDispatched,
    Shortage,
    StockReleased,
    StockReservationRejected,
    StockReserved,
    ValuedLine,
)

from .support import SalesUnderTest, auth, envelope_of, eventually


async def register_customer(svc: SalesUnderTest, customer_id: str, limit: str) -> None:
    response = await svc.client.post(
        "/customers",
        json={
            "customer_id": customer_id,
            "name": f"Customer {customer_id}",
            "credit_limit": limit,
            "payment_terms_days": 30,
        },
        headers=auth(),
    )
    assert response.status_code == 201, response.text


async def items_known(svc: SalesUnderTest, *skus: str) -> None:
    """Inventory registers the items; wait until sales' catalogue knows them."""
    now = datetime.now(UTC)
    await svc.publish_envelopes(
        *(
            envelope_of(
                "inventory",
                f"item-{sku}",
                ItemRegistered(occurred_at=now, sku=sku, name=sku, uom="pcs"),
            )
            for sku in skus
        )
    )

    async def known() -> bool:
        found = await svc.scalar(
            "SELECT count(*) FROM known_items WHERE sku = ANY(:s)", s=list(skus)
        )
        return found == len(skus)

    assert await eventually(known, timeout=30), "items never reached known_items"


def order_body(customer_id: str, *lines: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "warehouse_id": "WH-1",
        "lines": [{"sku": s, "qty": q, "unit_price": p} for s, q, p in lines],
    }


async def place_order(svc: SalesUnderTest, body: dict[str, Any]) -> dict[str, Any]:
    response = await svc.client.post("/orders", json=body, headers=auth())
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def stream(order_id: str | UUID) -> str:
    return f"allocation-{order_id}"


async def inventory_reserves(svc: SalesUnderTest, order_id: str, sku: str, qty: str) -> None:
    event = StockReserved(
        occurred_at=datetime.now(UTC),
        order_id=UUID(order_id),
        warehouse_id="WH-1",
        lines=(QuantityLine(sku=sku, qty=Decimal(qty)),),
    )
    await svc.publish_envelopes(envelope_of("inventory", stream(order_id), event))


async def inventory_rejects(
    svc: SalesUnderTest, order_id: str, sku: str, requested: str, available: str
) -> None:
    event = StockReservationRejected(
        occurred_at=datetime.now(UTC),
        order_id=UUID(order_id),
        warehouse_id="WH-1",
        shortages=(Shortage(sku=sku, requested=Decimal(requested), available=Decimal(available)),),
    )
    await svc.publish_envelopes(envelope_of("inventory", stream(order_id), event))


async def inventory_releases(svc: SalesUnderTest, order_id: str, sku: str, qty: str) -> None:
    event = StockReleased(
        occurred_at=datetime.now(UTC),
        order_id=UUID(order_id),
        warehouse_id="WH-1",
        lines=(QuantityLine(sku=sku, qty=Decimal(qty)),),
    )
    await svc.publish_envelopes(envelope_of("inventory", stream(order_id), event))


async def inventory_dispatches(
    svc: SalesUnderTest, order_id: str, sku: str, qty: str, shipment_id: UUID | None = None
) -> None:
    shipment_id = shipment_id or uuid4()
    event = ShipmentDispatched(
        occurred_at=datetime.now(UTC),
        shipment_id=shipment_id,
        shipment_number=f"SH-{shipment_id.hex[:6]}",
        order_id=UUID(order_id),
        warehouse_id="WH-1",
        lines=(
            ValuedLine(sku=sku, qty=Decimal(qty), unit_cost=Decimal(5), value=Decimal(qty) * 5),
        ),
    )
    await svc.publish_envelopes(envelope_of("inventory", stream(order_id), event))


async def order_reaches(svc: SalesUnderTest, order_id: str, status: str) -> dict[str, Any]:
    last: dict[str, Any] = {}

    async def reached() -> bool:
        nonlocal last
        response = await svc.client.get(f"/orders/{order_id}", headers=auth())
        last = response.json() if response.status_code == 200 else {}
        return last.get("status") == status

    assert await eventually(reached, timeout=30), f"order never became {status}: {last}"
    return last
