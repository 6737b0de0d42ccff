"""Sales reads what it has just written, while other clients keep writing.

Main loop: 1,000 × (POST /orders → GET /orders/{id}); then 50 each of POST /customers →
GET /customers/{id}/exposure, POST /orders/{id}/cancel → GET /orders/{id} and
POST /orders/{id}/returns → GET /orders/{id}; all while 4 clients place orders and register
customers. Fails if any read misses or misstates what was just written (e.g. without
eventkit's FreshReadsMiddleware).
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from erp_contracts.events.inventory import ItemRegistered, ShipmentDispatched, ValuedLine
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, envelope_of
from sales.bootstrap import blueprint

from .support import HEADERS, MAIN_PAIRS, OTHER_PAIRS, Load, Pairs, eventually, in_process, summary

pytestmark = pytest.mark.integration

SKUS = [f"SKU-{i}" for i in range(10)]


async def learn_items(sales: ServiceUnderTest) -> None:
    """Play inventory: register the skus sales may sell."""
    now = datetime.now(UTC)
    await sales.publish_envelopes(
        *(
            envelope_of(
                "inventory",
                f"item-{sku}",
                ItemRegistered(occurred_at=now, sku=sku, name=sku, uom="pcs"),
            )
            for sku in SKUS
        )
    )

    async def known() -> bool:
        return await sales.scalar("SELECT count(*) FROM known_items") == len(SKUS)

    assert await eventually(known), "sales never learned the items"


async def register(sales: ServiceUnderTest, customer_id: str) -> None:
    body = {"customer_id": customer_id, "name": customer_id, "credit_limit": "1000000000000"}
    response = await sales.client.post(
        "/customers", json={**body, "payment_terms_days": 30}, headers=HEADERS
    )
    assert response.status_code == 201, response.text


def order_body(customer_id: str, n: int, order_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "warehouse_id": "WH-1",
        "lines": [
            {"sku": SKUS[n % len(SKUS)], "qty": str(n % 7 + 1), "unit_price": "12.50"},
            {"sku": SKUS[(n + 1) % len(SKUS)], "qty": "2", "unit_price": "3.00"},
        ],
        **({"order_id": str(order_id)} if order_id else {}),
    }


def same_order(sent: dict[str, Any], placed: dict[str, Any]) -> Any:
    def check(order: dict[str, Any]) -> str | None:
        lines = [(li["sku"], Decimal(li["qty"])) for li in order["lines"]]
        wanted = [(li["sku"], Decimal(li["qty"])) for li in sent["lines"]]
        if order["order_id"] != placed["order_id"] or order["customer_id"] != sent["customer_id"]:
            return f"another order: {order['order_id']}"
        if lines != wanted or Decimal(order["total"]) != Decimal(placed["total"]):
            return f"lines {lines} total {order['total']}, sent {wanted} total {placed['total']}"
        return None

    return check


async def test_sales_reads_its_own_writes_under_load(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(blueprint(), database_url, infra) as sales:
        client = sales.client
        await learn_items(sales)
        await register(sales, "C-MAIN")
        for k in range(4):
            await register(sales, f"C-LOAD-{k}")

        async def write(k: int, n: int) -> httpx.Response:
            if n % 5 == 4:
                body = {"customer_id": f"C-L{k}-{n}", "name": "load", "credit_limit": "100"}
                return await client.post(
                    "/customers", json={**body, "payment_terms_days": 7}, headers=HEADERS
                )
            return await client.post("/orders", json=order_body(f"C-LOAD-{k}", n), headers=HEADERS)

        orders = Pairs("sales", "POST /orders → GET /orders/{id}")
        customers = Pairs("sales", "POST /customers → GET …/exposure")
        cancels = Pairs("sales", "POST …/cancel → GET /orders/{id}")
        returns = Pairs("sales", "POST …/returns → GET /orders/{id}")
        async with Load(write) as load:
            placed: list[dict[str, Any]] = []
            for n in range(MAIN_PAIRS):
                sent = order_body("C-MAIN", n, uuid.uuid4())
                order = await orders.create(client, "/orders", sent)
                placed.append({**order, "sent": sent})
                await orders.read(client, f"/orders/{order['order_id']}", same_order(sent, order))
            orders.report()

            for n in range(OTHER_PAIRS):
                customer_id = f"C-NEW-{n}"
                limit = f"{1000 + n}.00"
                await customers.create(
                    client,
                    "/customers",
                    {
                        "customer_id": customer_id,
                        "name": f"New {n}",
                        "credit_limit": limit,
                        "payment_terms_days": 30,
                    },
                )

                def exposure(body: dict[str, Any], cid: str = customer_id, lim: str = limit) -> Any:
                    if body["customer_id"] != cid or Decimal(body["credit_limit"]) != Decimal(lim):
                        return f"exposure {body}"
                    return None

                await customers.read(client, f"/customers/{customer_id}/exposure", exposure)
            customers.report()

            for order in placed[:OTHER_PAIRS]:
                await cancels.create(client, f"/orders/{order['order_id']}/cancel", {}, 200)
                await cancels.read(
                    client,
                    f"/orders/{order['order_id']}",
                    lambda o: None if o["status"] == "cancelled" else f"status {o['status']}",
                )
            cancels.report()

            shipped = placed[OTHER_PAIRS : 2 * OTHER_PAIRS]
            await ship(sales, shipped)
            for order in shipped:
                path = f"/orders/{order['order_id']}"
                await returns.create(
                    client,
                    f"{path}/returns",
                    {
                        "lines": [{"sku": order["sent"]["lines"][0]["sku"], "qty": "1"}],
                        "reason": "x",
                    },
                )

                def requested(o: dict[str, Any]) -> str | None:
                    qty = Decimal(o["lines"][0]["return_requested_qty"])
                    return None if qty == 1 else f"return_requested_qty {qty}"

                await returns.read(client, path, requested)
            returns.report()
        summary("sales", load, [orders, customers, cancels, returns])


async def ship(sales: ServiceUnderTest, orders: list[dict[str, Any]]) -> None:
    """Play inventory: dispatch each order's first line in full; wait until sales knows."""
    envelopes = []
    for order in orders:
        first = order["sent"]["lines"][0]
        qty = Decimal(first["qty"])
        line = ValuedLine(sku=first["sku"], qty=qty, unit_cost=Decimal(1), value=qty)
        event = ShipmentDispatched(
            occurred_at=datetime.now(UTC),
            shipment_id=uuid.uuid4(),
            shipment_number=f"SH-{order['order_number']}",
            order_id=order["order_id"],
            warehouse_id="WH-1",
            lines=(line,),
        )
        envelopes.append(envelope_of("inventory", f"order-allocation-{order['order_id']}", event))
    await sales.publish_envelopes(*envelopes)

    async def all_shipped() -> bool:
        recorded = await sales.event_count("OrderShipmentRecorded")
        return recorded >= len(orders)

    assert await eventually(all_shipped), "sales never recorded the shipments"
