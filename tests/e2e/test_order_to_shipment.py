"""Order-to-shipment across sales and inventory over the real broker.

200 customers' one-unit orders arrive over HTTP at sales, all at once, against 100 units on hand:
sales → SalesOrderPlaced → inventory reserves all or nothing → StockReserved /
StockReservationRejected → sales confirms or backorders. Exactly 100 confirmed, 100
backordered, stock never below zero; then a confirmed order ships and sales sees it shipped.
"""

import asyncio
from decimal import Decimal

import pytest

from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import eventually, new_namespace, running_service
from inventory.bootstrap import blueprint as inventory_blueprint
from sales.bootstrap import blueprint as sales_blueprint

from .conftest import ADMIN, HEADERS, get, post

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


async def test_200_http_orders_at_once_against_100_on_hand_confirm_exactly_100_then_one_ships(
    infra: Infrastructure, two_databases: list[str]
) -> None:
    namespace = new_namespace()
    bootstrap = infra.kafka_bootstrap_servers
    async with (
        running_service(
            inventory_blueprint(),
            two_databases[0],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as inventory,
        running_service(
            sales_blueprint(),
            two_databases[1],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as sales,
    ):
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(inventory, "/items", {"sku": "HOT", "name": "Hot item", "uom": "pcs"})
        await post(
            inventory,
            "/adjustments",
            {
                "sku": "HOT",
                "warehouse_id": "WH-1",
                "qty": "100",
                "reason": "opening_balance",
                "unit_cost": "8",
            },
        )
        for i in range(200):
            await post(
                sales,
                "/customers",
                {
                    "customer_id": f"C{i:03d}",
                    "name": f"Customer {i}",
                    "credit_limit": "1000",
                    "payment_terms_days": 30,
                },
            )

        async def catalogue_known() -> bool:
            response = await sales.client.post(
                "/orders",
                headers=HEADERS,
                json={
                    "customer_id": "C000",
                    "warehouse_id": "NOWHERE",
                    "lines": [{"sku": "HOT", "qty": "1", "unit_price": "10"}],
                },
            )
            if response.status_code == 201:
                await post(sales, f"/orders/{response.json()['order_id']}/cancel", {})
            return response.status_code == 201

        assert await eventually(catalogue_known), "sales never learned the item from inventory"

        async def order(i: int) -> str:
            body = await post(
                sales,
                "/orders",
                {
                    "customer_id": f"C{i:03d}",
                    "warehouse_id": "WH-1",
                    "lines": [{"sku": "HOT", "qty": "1", "unit_price": "10"}],
                },
            )
            return str(body["order_id"])

        order_ids = await asyncio.gather(*(order(i) for i in range(200)))
        statuses: dict[str, int] = {}

        async def status_of(order_id: str) -> str:
            response = await sales.client.get(f"/orders/{order_id}", headers=HEADERS)
            # The order's read model trails its commit by a moment.
            return str(response.json()["status"]) if response.status_code == 200 else "unseen"

        async def all_decided() -> bool:
            statuses.clear()
            for order_id in order_ids:
                status = await status_of(order_id)
                statuses[status] = statuses.get(status, 0) + 1
            return statuses.get("confirmed", 0) + statuses.get("backordered", 0) == 200

        assert await eventually(all_decided, timeout=180), statuses
        assert statuses == {"confirmed": 100, "backordered": 100}
        (stock,) = await get(inventory, "/stock", sku="HOT", warehouse_id="WH-1")
        assert Decimal(stock["reserved"]) == 100
        assert Decimal(stock["available"]) == 0

        confirmed = ""
        for order_id in order_ids:
            if await status_of(order_id) == "confirmed":
                confirmed = order_id
                break
        shipped = await post(inventory, "/shipments", {"order_id": confirmed})
        assert Decimal(shipped["lines"][0]["unit_cost"]) == 8

        async def sales_sees_shipment() -> bool:
            return await status_of(confirmed) == "shipped"

        assert await eventually(sales_sees_shipment)
        timeline = [
            step["status"] for step in (await get(sales, f"/orders/{confirmed}"))["timeline"]
        ]
        assert timeline[:3] == ["placed", "confirmed", "shipped"]
