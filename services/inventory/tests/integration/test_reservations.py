"""Stock that can never be double-sold, through Kafka and under real concurrency."""

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext
from eventkit.uow import in_transaction
from inventory.application.reservations import on_sales_order_placed
from inventory.application.unit_of_work import InventoryUnitOfWork

from .scenario import register, sales_order, settled_stock, stock_in
from .support import InventoryUnderTest, auth, eventually, publish_events

pytestmark = pytest.mark.integration


async def count(inv: InventoryUnderTest, event_type: str) -> int:
    return await inv.event_count(event_type)


async def lowest_available_ever(inv: InventoryUnderTest, sku: str) -> Decimal:
    """Replay the stock item's reservations and movements: the minimum available it ever had."""
    async with inv.runtime.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT event_type, payload FROM events WHERE stream_id = :s"
                " ORDER BY stream_version"
            ),
            {"s": f"stock-{sku}@WH-1"},
        )
        on_hand = reserved = Decimal(0)
        lowest = Decimal(0)
        for event_type, payload in rows:
            if event_type == "StockReceived":
                on_hand += Decimal(payload["qty"])
            elif event_type == "StockReservationHeld":
                reserved += Decimal(payload["qty"])
            lowest = min(lowest, on_hand - reserved)
    return lowest


async def test_200_one_unit_orders_over_kafka_against_100_on_hand_reserve_exactly_100(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "HOT")
    await stock_in(inventory, "HOT", "WH-1", "100", "10")
    orders = [sales_order("WH-1", [("HOT", "1")]) for _ in range(200)]
    await publish_events(
        inventory.bootstrap,
        inventory.namespace,
        "sales",
        [(f"order-{order_id}", event) for order_id, event in orders],
    )

    async def all_decided() -> bool:
        decided = await count(inventory, "StockReserved") + await count(
            inventory, "StockReservationRejected"
        )
        return decided >= 200

    assert await eventually(all_decided, timeout=120)
    assert await count(inventory, "StockReserved") == 100
    assert await count(inventory, "StockReservationRejected") == 100
    assert await lowest_available_ever(inventory, "HOT") >= 0
    await settled_stock(
        inventory, "HOT", "WH-1", {"on_hand": "100", "reserved": "100", "available": "0"}
    )


async def test_200_truly_concurrent_reservations_never_take_more_than_is_there(
    inventory: InventoryUnderTest,
) -> None:
    """The same decision driven from 200 concurrent transactions (what many consumer replicas
    or HTTP workers do): optimistic concurrency on the stock stream serialises them."""
    await register(inventory, "HOT")
    await stock_in(inventory, "HOT", "WH-1", "100", "10")
    runtime = inventory.runtime
    orders = [sales_order("WH-1", [("HOT", "1")])[1] for _ in range(200)]

    async def place(event: object) -> None:
        async def work(conn: AsyncConnection) -> None:
            uow = InventoryUnitOfWork(conn, runtime.store, CommandContext(actor="test"))
            await on_sales_order_placed(uow, event)  # type: ignore[arg-type]
            await uow.save()

        await in_transaction(runtime.engine, work, retries=500)

    await asyncio.gather(*(place(order) for order in orders))
    assert await count(inventory, "StockReserved") == 100
    assert await count(inventory, "StockReservationRejected") == 100
    assert await lowest_available_ever(inventory, "HOT") >= 0


async def test_a_backordered_order_is_reserved_when_goods_arrive(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "SKU-B")
    order_id, order = sales_order("WH-1", [("SKU-B", "3")])
    await inventory.publish_event("sales", f"order-{order_id}", order)

    async def rejected() -> bool:
        return await count(inventory, "StockReservationRejected") == 1

    assert await eventually(rejected)
    await stock_in(inventory, "SKU-B", "WH-1", "5", "8")

    async def reserved() -> bool:
        return await count(inventory, "StockReserved") == 1

    assert await eventually(reserved, timeout=30)
    await settled_stock(inventory, "SKU-B", "WH-1", {"on_hand": "5", "reserved": "3"})


async def test_cancelling_an_order_releases_its_stock(inventory: InventoryUnderTest) -> None:
    from erp_contracts.events.sales import SalesOrderCancelled

    await register(inventory, "SKU-C")
    await stock_in(inventory, "SKU-C", "WH-1", "10", "8")
    order_id, order = sales_order("WH-1", [("SKU-C", "4")])
    await inventory.publish_event("sales", f"order-{order_id}", order)
    await settled_stock(inventory, "SKU-C", "WH-1", {"available": "6", "reserved": "4"})
    await inventory.publish_event(
        "sales", f"order-{order_id}", SalesOrderCancelled(order_id=order_id, reason="customer")
    )
    await settled_stock(inventory, "SKU-C", "WH-1", {"available": "10", "reserved": "0"})
    shipped = await inventory.client.post(
        "/shipments", json={"order_id": str(order_id)}, headers=auth()
    )
    assert shipped.status_code == 409


async def test_100_orders_over_http_and_100_over_kafka_at_once_reserve_exactly_100(
    inventory: InventoryUnderTest,
) -> None:
    await register(inventory, "HOT")
    await stock_in(inventory, "HOT", "WH-1", "100", "10")
    kafka_orders = [sales_order("WH-1", [("HOT", "1")]) for _ in range(100)]
    http_orders = [sales_order("WH-1", [("HOT", "1")])[0] for _ in range(100)]

    async def over_http(order_id: object) -> str:
        response = await inventory.client.post(
            "/reservations",
            json={
                "order_id": str(order_id),
                "warehouse_id": "WH-1",
                "lines": [{"sku": "HOT", "qty": "1"}],
            },
            headers=auth(),
        )
        assert response.status_code == 201, response.text
        status: str = response.json()["status"]
        return status

    publishing = publish_events(
        inventory.bootstrap,
        inventory.namespace,
        "sales",
        [(f"order-{order_id}", event) for order_id, event in kafka_orders],
    )
    http_results, _ = await asyncio.gather(
        asyncio.gather(*(over_http(order_id) for order_id in http_orders)), publishing
    )

    async def all_decided() -> bool:
        decided = await count(inventory, "StockReserved") + await count(
            inventory, "StockReservationRejected"
        )
        return decided >= 200

    assert await eventually(all_decided, timeout=120)
    assert await count(inventory, "StockReserved") == 100
    assert await count(inventory, "StockReservationRejected") == 100
    assert http_results.count("reserved") + http_results.count("backordered") == 100
    assert await lowest_available_ever(inventory, "HOT") >= 0
    await settled_stock(inventory, "HOT", "WH-1", {"reserved": "100", "available": "0"})
