"""Purchasing reads what it has just written, while other clients keep writing.

Main loop: 1,000 × (POST /purchase-orders → GET /purchase-orders/{id}); then 50 each of
POST /suppliers → GET /suppliers/{id}/scorecard, POST /suppliers/{id}/prices →
GET /price-history, POST /requisitions → GET /requisitions, POST /requisitions/{id}/order →
GET /purchase-orders/{po_id} and POST /purchase-orders/{id}/cancel → GET /purchase-orders/{id};
all while 4 clients place orders and register suppliers.
"""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from eventkit.testing.infrastructure import Infrastructure
from purchasing.bootstrap import blueprint

from .support import HEADERS, MAIN_PAIRS, OTHER_PAIRS, Load, Pairs, in_process, summary

pytestmark = pytest.mark.integration


def supplier_body(supplier_id: str, lead_time_days: int = 5) -> dict[str, Any]:
    return {
        "supplier_id": supplier_id,
        "name": f"Supplier {supplier_id}",
        "payment_terms_days": 30,
        "lead_time_days": lead_time_days,
    }


def po_body(supplier_id: str, n: int, po_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "supplier_id": supplier_id,
        "warehouse_id": "WH-1",
        "lines": [
            {"sku": f"SKU-{n % 10}", "qty": str(n % 7 + 1), "unit_price": "12.50"},
            {"sku": f"SKU-{(n + 1) % 10}", "qty": "2", "unit_price": "3.25"},
        ],
        **({"po_id": str(po_id)} if po_id else {}),
    }


def same_po(sent: dict[str, Any], placed: dict[str, Any]) -> Any:
    def check(po: dict[str, Any]) -> str | None:
        if po["po_id"] != placed["po_id"] or po["supplier_id"] != sent["supplier_id"]:
            return f"another order {po['po_id']}"
        lines = [(li["sku"], Decimal(li["qty"]), Decimal(li["open_qty"])) for li in po["lines"]]
        wanted = [(li["sku"], Decimal(li["qty"]), Decimal(li["qty"])) for li in sent["lines"]]
        if po["status"] != placed["status"] or lines != wanted:
            return f"status {po['status']} lines {lines}, sent {wanted}"
        if Decimal(po["total"]) != Decimal(placed["total"]):
            return f"total {po['total']} != {placed['total']}"
        return None

    return check


async def test_purchasing_reads_its_own_writes_under_load(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(blueprint(), database_url, infra) as purchasing:
        client = purchasing.client
        for supplier_id in ["SUP-MAIN", *(f"SUP-L{k}" for k in range(4))]:
            response = await client.post(
                "/suppliers", json=supplier_body(supplier_id), headers=HEADERS
            )
            assert response.status_code == 201, response.text

        async def write(k: int, n: int) -> httpx.Response:
            if n % 5 == 4:
                body = supplier_body(f"SUP-L{k}-{n}")
                return await client.post("/suppliers", json=body, headers=HEADERS)
            return await client.post(
                "/purchase-orders", json=po_body(f"SUP-L{k}", n), headers=HEADERS
            )

        orders = Pairs("purchasing", "POST /purchase-orders → GET …/{id}")
        suppliers = Pairs("purchasing", "POST /suppliers → GET …/scorecard")
        prices = Pairs("purchasing", "POST …/prices → GET /price-history")
        requisitions = Pairs("purchasing", "POST /requisitions → GET …")
        ordered = Pairs("purchasing", "POST …/order → GET /purchase-orders")
        cancels = Pairs("purchasing", "POST …/cancel → GET …/{id}")
        async with Load(write) as load:
            placed: list[dict[str, Any]] = []
            for n in range(MAIN_PAIRS):
                sent = po_body("SUP-MAIN", n, uuid.uuid4())
                po = await orders.create(client, "/purchase-orders", sent)
                placed.append(po)
                await orders.read(client, f"/purchase-orders/{po['po_id']}", same_po(sent, po))
            orders.report()

            for n in range(OTHER_PAIRS):
                supplier_id = f"SUP-NEW-{n}"
                await suppliers.create(client, "/suppliers", supplier_body(supplier_id, n % 30))

                def card(body: dict[str, Any], sid: str = supplier_id, days: int = n % 30) -> Any:
                    if body["supplier_id"] != sid or body["declared_lead_time_days"] != days:
                        return f"scorecard {body}"
                    return None

                await suppliers.read(client, f"/suppliers/{supplier_id}/scorecard", card)
            suppliers.report()

            for n in range(OTHER_PAIRS):
                sku, price = f"REQ-{n}", f"{10 + n}.50"
                entry = {"prices": [{"sku": sku, "unit_price": price}]}
                await prices.create(client, "/suppliers/SUP-MAIN/prices", entry, 200)

                def listed(rows: list[dict[str, Any]], p: str = price) -> str | None:
                    found = [Decimal(r["unit_price"]) for r in rows]
                    return None if found == [Decimal(p)] else f"price history {rows}"

                await prices.read(client, "/price-history", listed, sku=sku, supplier_id="SUP-MAIN")
            prices.report()

            raised: list[dict[str, Any]] = []
            for n in range(OTHER_PAIRS):
                sku = f"REQ-{n}"
                body = {"sku": sku, "warehouse_id": "WH-1", "qty": str(n + 1)}
                requisition = await requisitions.create(client, "/requisitions", body)
                raised.append(requisition)

                def is_open(rows: list[dict[str, Any]], req: dict[str, Any] = requisition) -> Any:
                    if [(r["requisition_id"], r["status"]) for r in rows] != [
                        (req["requisition_id"], "open")
                    ]:
                        return f"requisitions {rows}"
                    if rows[0]["suggested_supplier_id"] != "SUP-MAIN":
                        return f"suggested {rows[0]['suggested_supplier_id']}"
                    return None

                await requisitions.read(client, "/requisitions", is_open, sku=sku)
            requisitions.report()

            for requisition in raised:
                path = f"/requisitions/{requisition['requisition_id']}/order"
                result = await ordered.create(client, path, {})

                def from_requisition(po: dict[str, Any], req: dict[str, Any] = result) -> Any:
                    if po["requisition_id"] != req["requisition_id"] or po["status"] != "placed":
                        return f"purchase order {po}"
                    return None

                await ordered.read(client, f"/purchase-orders/{result['po_id']}", from_requisition)
            ordered.report()

            for po in placed[:OTHER_PAIRS]:
                path = f"/purchase-orders/{po['po_id']}"
                await cancels.create(client, f"{path}/cancel", {}, 200)
                await cancels.read(
                    client,
                    path,
                    lambda o: None if o["status"] == "cancelled" else f"status {o['status']}",
                )
            cancels.report()
        summary("purchasing", load, [orders, suppliers, prices, requisitions, ordered, cancels])
