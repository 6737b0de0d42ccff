"""Inventory reads what it has just written, while other clients keep writing.

Inventory has no GET for an item, a warehouse, a document or a stocktake: what they change is
read back through `GET /stock` (the `rm_stock` levels, plus `on_order` from `rm_on_order`).

Main loop: 1,000 × (POST /receipts → GET /stock?sku=: on hand = every qty received so far,
on order = the PO's qty − it), over 100 items registered just before (each item's first
receipt is the first read of it). Then 50 each of POST /transfers,
POST /transfers/{id}/receive, POST /stocktakes (+ counts + complete), POST /reservations,
POST /shipments, POST /customer-returns, POST /supplier-returns and POST /warehouses (+ an
adjustment into it), each followed at once by GET /stock; all while 4 clients post
adjustments and register items.
"""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from erp_contracts.events.purchasing import PurchaseOrderLine, PurchaseOrderPlaced
from erp_contracts.events.sales import SalesOrderLine, SalesReturnRequested
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, envelope_of
from inventory.bootstrap import blueprint

from .support import HEADERS, MAIN_PAIRS, OTHER_PAIRS, Load, Pairs, eventually, in_process, summary

pytestmark = pytest.mark.integration

ITEMS = 100
SKUS_PER_PO = 50
PO_LINE_QTY = Decimal(10_000)


def sku_of(n: int) -> str:
    return f"ITM-{n}"


def received_qty(n: int) -> Decimal:
    return Decimal(n % 9 + 10)


async def purchase_orders(inventory: ServiceUnderTest, skus: int) -> list[uuid.UUID]:
    """Play purchasing: POs of `SKUS_PER_PO` skus each, `PO_LINE_QTY` of every sku; wait
    until inventory has recorded them all."""
    po_ids = [uuid.uuid4() for _ in range(0, skus, SKUS_PER_PO)]
    envelopes = [
        envelope_of(
            "purchasing",
            f"purchase-order-{po_id}",
            PurchaseOrderPlaced(
                po_id=po_id,
                po_number=f"PO-{p}",
                supplier_id="SUP-1",
                warehouse_id="WH-1",
                lines=tuple(
                    PurchaseOrderLine(sku=sku_of(n), qty=PO_LINE_QTY, unit_price=Decimal("4.5"))
                    for n in range(p * SKUS_PER_PO, min(skus, (p + 1) * SKUS_PER_PO))
                ),
            ),
        )
        for p, po_id in enumerate(po_ids)
    ]
    await inventory.publish_envelopes(*envelopes)

    async def recorded() -> bool:
        return await inventory.event_count("PurchaseOrderRecorded") == len(po_ids)

    assert await eventually(recorded), "inventory never recorded the purchase orders"
    return po_ids


async def return_authorisations(
    inventory: ServiceUnderTest, orders: dict[int, str]
) -> dict[int, str]:
    """Play sales: an RMA for 1 of its sku per order; wait until inventory has recorded them."""
    rmas = {n: uuid.uuid4() for n in orders}
    await inventory.publish_envelopes(
        *(
            envelope_of(
                "sales",
                f"sales-order-{order_id}",
                SalesReturnRequested(
                    return_id=rmas[n],
                    return_number=f"SR-{n}",
                    order_id=uuid.UUID(order_id),
                    order_number=f"SO-{n}",
                    customer_id="C-1",
                    warehouse_id="WH-1",
                    lines=(SalesOrderLine(sku=sku_of(n), qty=Decimal(1), unit_price=Decimal(9)),),
                    reason="damaged",
                ),
            )
            for n, order_id in orders.items()
        )
    )

    async def recorded() -> bool:
        return await inventory.event_count("ReturnAuthorised") == len(rmas)

    assert await eventually(recorded), "inventory never recorded the RMAs"
    return {n: str(rma_id) for n, rma_id in rmas.items()}


def stock_is(**wanted: Decimal | int) -> Any:
    """The one row of a `GET /stock?sku=&warehouse_id=` has these figures."""

    def check(rows: list[dict[str, Any]]) -> str | None:
        if len(rows) != 1:
            return f"{len(rows)} rows: {rows}"
        found = {k: Decimal(rows[0][k]) for k in wanted}
        return None if found == {k: Decimal(v) for k, v in wanted.items()} else f"{found}"

    return check


async def test_inventory_reads_its_own_writes_under_load(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(blueprint(), database_url, infra) as inventory:
        client = inventory.client

        async def post(path: str, body: dict[str, Any]) -> None:
            response = await client.post(path, json=body, headers=HEADERS)
            assert response.status_code == 201, response.text

        for warehouse in ("WH-1", "WH-2"):
            await post("/warehouses", {"warehouse_id": warehouse, "name": warehouse})
        for k in range(4):
            await post("/items", {"sku": f"LOAD-{k}", "name": "load", "uom": "pcs"})
        po_ids = await purchase_orders(inventory, ITEMS)

        async def write(k: int, n: int) -> httpx.Response:
            if n % 5 == 4:
                body = {"sku": f"LOAD-{k}-{n}", "name": "load", "uom": "pcs"}
                return await client.post("/items", json=body, headers=HEADERS)
            adjustment = {"sku": f"LOAD-{k}", "warehouse_id": "WH-1", "qty": "1"}
            return await client.post(
                "/adjustments",
                json={**adjustment, "reason": "found", "unit_cost": "5"},
                headers=HEADERS,
            )

        receipts = Pairs("inventory", "POST /receipts → GET /stock")
        others = {
            name: Pairs("inventory", f"POST {name} → GET /stock")
            for name in (
                "/transfers",
                "/transfers/{id}/receive",
                "/stocktakes (+counts, complete)",
                "/reservations",
                "/shipments",
                "/customer-returns",
                "/supplier-returns",
                "/warehouses (+adjustment)",
            )
        }
        async with Load(write) as load:
            received = {n: Decimal(0) for n in range(ITEMS)}
            for n in range(ITEMS):
                await receipts.create(
                    client, "/items", {"sku": sku_of(n), "name": "i", "uom": "pcs"}
                )
            for i in range(MAIN_PAIRS):
                n, qty = i % ITEMS, received_qty(i)
                received[n] += qty
                await receipts.create(
                    client,
                    "/receipts",
                    {
                        "po_id": str(po_ids[n // SKUS_PER_PO]),
                        "warehouse_id": "WH-1",
                        "lines": [{"sku": sku_of(n), "qty_accepted": str(qty)}],
                    },
                )
                await receipts.read(
                    client,
                    "/stock",
                    stock_is(
                        on_hand=received[n],
                        available=received[n],
                        on_order=PO_LINE_QTY - received[n],
                    ),
                    sku=sku_of(n),
                    warehouse_id="WH-1",
                )
            receipts.report()
            await documents_then_stock(inventory, po_ids, received, others)
        summary("inventory", load, [receipts, *others.values()])


async def documents_then_stock(
    inventory: ServiceUnderTest,
    po_ids: list[uuid.UUID],
    received: dict[int, Decimal],
    pairs: dict[str, Pairs],
) -> None:
    """Every other stock document on the first `OTHER_PAIRS` skus, each read back at once."""
    client = inventory.client
    on_hand = {n: received[n] for n in range(OTHER_PAIRS)}

    async def then_stock(name: str, path: str, body: dict[str, Any], n: int, **wanted: Any) -> Any:
        status = 200 if path.endswith(("/receive", "/complete", "/counts")) else 201
        result = await pairs[name].create(client, path, body, status)
        where = wanted.pop("warehouse_id", "WH-1")
        await pairs[name].read(
            client, "/stock", stock_is(**wanted), sku=sku_of(n), warehouse_id=where
        )
        if pairs[name].count == OTHER_PAIRS:
            pairs[name].report()
        return result

    transfers = {}
    for n in range(OTHER_PAIRS):
        line = {"sku": sku_of(n), "qty": "1"}
        body = {"source_warehouse_id": "WH-1", "destination_warehouse_id": "WH-2", "lines": [line]}
        on_hand[n] -= 1
        sent = await then_stock(
            "/transfers", "/transfers", body, n, on_hand=on_hand[n], in_transit=1
        )
        transfers[n] = sent["transfer_id"]
    for n in range(OTHER_PAIRS):
        path = f"/transfers/{transfers[n]}/receive"
        await then_stock(
            "/transfers/{id}/receive", path, {}, n, warehouse_id="WH-2", on_hand=1, in_transit=0
        )
    for n in range(OTHER_PAIRS):
        started = await pairs["/stocktakes (+counts, complete)"].create(
            client, "/stocktakes", {"warehouse_id": "WH-1", "skus": [sku_of(n)]}
        )
        path = f"/stocktakes/{started['stocktake_id']}"
        counted = on_hand[n] + 5
        await pairs["/stocktakes (+counts, complete)"].create(
            client,
            f"{path}/counts",
            {"counts": [{"sku": sku_of(n), "counted_qty": str(counted)}]},
            200,
        )
        on_hand[n] = counted
        await then_stock(
            "/stocktakes (+counts, complete)", f"{path}/complete", {}, n, on_hand=counted
        )
    orders = {n: str(uuid.uuid4()) for n in range(OTHER_PAIRS)}
    for n in range(OTHER_PAIRS):
        body = {
            "order_id": orders[n],
            "warehouse_id": "WH-1",
            "lines": [{"sku": sku_of(n), "qty": "2"}],
        }
        await then_stock(
            "/reservations",
            "/reservations",
            body,
            n,
            on_hand=on_hand[n],
            reserved=2,
            available=on_hand[n] - 2,
        )
    for n in range(OTHER_PAIRS):
        on_hand[n] -= 2
        await then_stock(
            "/shipments", "/shipments", {"order_id": orders[n]}, n, on_hand=on_hand[n], reserved=0
        )
    rmas = await return_authorisations(inventory, orders)
    for n in range(OTHER_PAIRS):
        on_hand[n] += 1
        body = {"order_id": orders[n], "rma_id": rmas[n], "lines": [{"sku": sku_of(n), "qty": "1"}]}
        await then_stock("/customer-returns", "/customer-returns", body, n, on_hand=on_hand[n])
    for n in range(OTHER_PAIRS):
        on_hand[n] -= 1
        body = {
            "po_id": str(po_ids[n // SKUS_PER_PO]),
            "warehouse_id": "WH-1",
            "lines": [{"sku": sku_of(n), "qty": "1"}],
        }
        await then_stock("/supplier-returns", "/supplier-returns", body, n, on_hand=on_hand[n])
    for n in range(OTHER_PAIRS):
        warehouse = f"WH-NEW-{n}"
        name = "/warehouses (+adjustment)"
        await pairs[name].create(
            client, "/warehouses", {"warehouse_id": warehouse, "name": warehouse}
        )
        body = {
            "sku": sku_of(n),
            "warehouse_id": warehouse,
            "qty": "3",
            "reason": "found",
            "unit_cost": "4.5",
        }
        await then_stock(name, "/adjustments", body, n, warehouse_id=warehouse, on_hand=3)
