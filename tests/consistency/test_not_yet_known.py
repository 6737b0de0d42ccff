"""Across services, lag is allowed but the answer must not lie.

Every command that names master data or a document owned by another service, which this
service knows only from that service's events, answers 409 `not_yet_known` with Retry-After
while the event has not arrived (nothing published here) — not 404 — and writes nothing; once
the event arrived (published with the owner's contract) the same command succeeds. Ids a
service owns itself stay 404.

| service | command | names | owned by |
|---|---|---|---|
| sales | POST /orders | items (skus) | inventory |
| inventory | POST /receipts, POST /supplier-returns | purchase orders | purchasing |
| inventory | POST /shipments | sales orders | sales |
| inventory | POST /customer-returns | the RMA (`rma_not_found`, with Retry-After) | sales |
| finance | POST /payables/invoices | supplier, purchase order | purchasing |
| finance | POST /payables/payments | supplier | purchasing |
| finance | POST /receivables/receipts | customer | sales |
"""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from erp_contracts.events.inventory import GoodsReceived, ItemRegistered, ReceivedLine
from erp_contracts.events.purchasing import (
    PurchaseOrderLine,
    PurchaseOrderPlaced,
    SupplierRegistered,
)
from erp_contracts.events.sales import (
    CustomerRegistered,
    SalesOrderLine,
    SalesOrderPlaced,
    SalesReturnRequested,
)
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, envelope_of
from finance.bootstrap import blueprint as finance_blueprint
from inventory.bootstrap import blueprint as inventory_blueprint
from sales.bootstrap import blueprint as sales_blueprint

from .support import HEADERS, eventually, in_process

pytestmark = pytest.mark.integration

TAX = Decimal("0.13")


async def not_yet_known(
    service: ServiceUnderTest,
    path: str,
    body: dict[str, Any],
    kind: str,
    source: str,
    headers: dict[str, str] | None = None,
    code: str = "not_yet_known",
) -> dict[str, Any]:
    """The command is refused as not yet known (409 `code`, Retry-After, the source service
    named) and the service's store is unchanged."""
    before = await service.event_count()
    response = await service.client.post(path, json=body, headers={**HEADERS, **(headers or {})})
    assert response.status_code == 409, f"{path}: {response.status_code} {response.text}"
    answer: dict[str, Any] = response.json()
    assert answer["error"] == code, answer
    assert answer["details"]["kind"] == kind, answer
    assert answer["details"]["source_service"] == source, answer
    assert source in answer["message"], answer
    assert int(response.headers["Retry-After"]) >= 1, response.headers
    assert await service.event_count() == before, f"{path}: a refused command wrote events"
    print(f"NYK {service.runtime.blueprint.name:<10} POST {path:<22} → 409 {answer['message']}")  # noqa: T201
    return answer


async def not_found(service: ServiceUnderTest, path: str, body: dict[str, Any]) -> None:
    """An id the service owns itself is still plainly unknown: 404, nothing written."""
    before = await service.event_count()
    response = await service.client.post(path, json=body, headers=HEADERS)
    assert (response.status_code, response.json()["error"]) == (404, "not_found"), response.text
    assert await service.event_count() == before


async def accepted_once_known(
    service: ServiceUnderTest,
    path: str,
    body: dict[str, Any],
    status: int = 201,
    headers: dict[str, str] | None = None,
    code: str = "not_yet_known",
) -> dict[str, Any]:
    """Retried as a client would (on 409 `code` with Retry-After), the command is accepted once
    the owner's event has arrived; any other answer fails at once."""
    answers: list[httpx.Response] = []

    async def accepted() -> bool:
        response = await service.client.post(
            path, json=body, headers={**HEADERS, **(headers or {})}
        )
        answers.append(response)
        if response.status_code == status:
            return True
        assert response.status_code == 409, response.text
        assert response.json()["error"] == code, response.text
        return False

    assert await eventually(accepted, timeout=60), f"{path}: never accepted: {answers[-1].text}"
    result: dict[str, Any] = answers[-1].json()
    return result


async def test_sales_orders_wait_for_inventory_items(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(sales_blueprint(), database_url, infra) as sales:
        customer = {"customer_id": "C-1", "name": "C", "credit_limit": "100000"}
        response = await sales.client.post(
            "/customers", json={**customer, "payment_terms_days": 30}, headers=HEADERS
        )
        assert response.status_code == 201, response.text
        order = {
            "customer_id": "C-1",
            "warehouse_id": "WH-1",
            "lines": [{"sku": "NEW-SKU", "qty": "1", "unit_price": "10"}],
        }
        # A client retries with the same Idempotency-Key: the refusal stored no answer.
        key = {"Idempotency-Key": "order-for-new-sku"}
        answer = await not_yet_known(sales, "/orders", order, "item", "inventory", key)
        assert answer["details"]["id"] == "NEW-SKU"
        await not_found(sales, "/orders", {**order, "customer_id": "NOBODY"})

        registered = ItemRegistered(
            occurred_at=datetime.now(UTC), sku="NEW-SKU", name="New", uom="pcs"
        )
        await sales.publish_event("inventory", "item-NEW-SKU", registered)
        placed = await accepted_once_known(sales, "/orders", order, headers=key)
        assert placed["status"] == "placed"


async def test_inventory_receipts_and_supplier_returns_wait_for_purchasing_orders(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(inventory_blueprint(), database_url, infra) as inventory:
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(inventory, "/items", {"sku": "A", "name": "A", "uom": "pcs"})
        po_id = uuid.uuid4()
        receipt = {
            "po_id": str(po_id),
            "warehouse_id": "WH-1",
            "lines": [{"sku": "A", "qty_accepted": "5"}],
        }
        returned = {
            "po_id": str(po_id),
            "warehouse_id": "WH-1",
            "lines": [{"sku": "A", "qty": "1"}],
        }
        await not_yet_known(inventory, "/receipts", receipt, "purchase order", "purchasing")
        await not_yet_known(
            inventory, "/supplier-returns", returned, "purchase order", "purchasing"
        )

        placed = PurchaseOrderPlaced(
            po_id=po_id,
            po_number="PO-1",
            supplier_id="SUP-1",
            warehouse_id="WH-1",
            lines=(
                PurchaseOrderLine(sku="A", qty=Decimal(10), unit_price=Decimal(4)),
                PurchaseOrderLine(sku="UNREGISTERED", qty=Decimal(1), unit_price=Decimal(4)),
            ),
        )
        await inventory.publish_event("purchasing", f"purchase-order-{po_id}", placed)
        await accepted_once_known(inventory, "/receipts", receipt)
        await post(inventory, "/supplier-returns", returned)
        # The PO is known now; a sku inventory never registered is its own: 404.
        unknown_sku = {**receipt, "lines": [{"sku": "UNREGISTERED", "qty_accepted": "1"}]}
        await not_found(inventory, "/receipts", unknown_sku)


async def test_inventory_shipments_and_customer_returns_wait_for_sales_orders(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(inventory_blueprint(), database_url, infra) as inventory:
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(inventory, "/items", {"sku": "A", "name": "A", "uom": "pcs"})
        adjustment = {"sku": "A", "warehouse_id": "WH-1", "qty": "10", "reason": "found"}
        await post(inventory, "/adjustments", {**adjustment, "unit_cost": "4"})
        order_id = uuid.uuid4()
        shipment = {"order_id": str(order_id)}
        rma_id = uuid.uuid4()
        customer_return = {"order_id": str(order_id), "rma_id": str(rma_id)}
        customer_return["lines"] = [{"sku": "A", "qty": "1"}]
        await not_yet_known(inventory, "/shipments", shipment, "sales order", "sales")
        await not_yet_known(
            inventory, "/customer-returns", customer_return, "RMA", "sales", code="rma_not_found"
        )

        placed = SalesOrderPlaced(
            order_id=order_id,
            order_number="SO-1",
            customer_id="C-1",
            warehouse_id="WH-1",
            lines=(SalesOrderLine(sku="A", qty=Decimal(2), unit_price=Decimal(10)),),
        )
        await inventory.publish_event("sales", f"sales-order-{order_id}", placed)
        shipped = await accepted_once_known(inventory, "/shipments", shipment)
        assert [(li["sku"], Decimal(li["qty"])) for li in shipped["lines"]] == [("A", Decimal(2))]
        requested = SalesReturnRequested(
            return_id=rma_id,
            return_number="SR-1",
            order_id=order_id,
            order_number="SO-1",
            customer_id="C-1",
            warehouse_id="WH-1",
            lines=(SalesOrderLine(sku="A", qty=Decimal(1), unit_price=Decimal(10)),),
            reason="damaged",
        )
        await inventory.publish_event("sales", f"sales-order-{order_id}", requested)
        await accepted_once_known(
            inventory, "/customer-returns", customer_return, code="rma_not_found"
        )


async def test_finance_documents_wait_for_purchasing_and_sales_master_data(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(finance_blueprint(), database_url, infra) as finance:
        po_id = uuid.uuid4()
        invoice = {
            "supplier_id": "SUP-1",
            "po_id": str(po_id),
            "invoice_number": "FP-1",
            "invoice_date": date.today().isoformat(),
            "lines": [{"sku": "A", "qty": "5", "unit_price": "4.00", "tax_rate": "0.13"}],
        }
        payment = {"supplier_id": "SUP-1", "amount": "10.00"}
        receipt = {"customer_id": "C-1", "amount": "10.00"}
        await not_yet_known(finance, "/payables/invoices", invoice, "supplier", "purchasing")
        await not_yet_known(finance, "/payables/payments", payment, "supplier", "purchasing")
        await not_yet_known(finance, "/receivables/receipts", receipt, "customer", "sales")

        supplier = SupplierRegistered(
            supplier_id="SUP-1", name="S", payment_terms_days=30, lead_time_days=3, tax_rate=TAX
        )
        await finance.publish_event("purchasing", "supplier-SUP-1", supplier)
        await accepted_once_known(finance, "/payables/payments", payment)
        # The supplier is known now, its purchase order not yet.
        await not_yet_known(finance, "/payables/invoices", invoice, "purchase order", "purchasing")
        unknown_invoice = {"invoice_id": str(uuid.uuid4()), "amount": "1.00"}
        await not_found(
            finance, "/payables/payments", {**payment, "allocations": [unknown_invoice]}
        )

        placed = PurchaseOrderPlaced(
            po_id=po_id,
            po_number="PO-1",
            supplier_id="SUP-1",
            warehouse_id="WH-1",
            lines=(
                PurchaseOrderLine(sku="A", qty=Decimal(10), unit_price=Decimal(4), tax_rate=TAX),
            ),
        )
        line = ReceivedLine(
            sku="A",
            qty_accepted=Decimal(5),
            qty_rejected=Decimal(0),
            unit_cost=Decimal(4),
            value=Decimal(20),
        )
        received = GoodsReceived(
            occurred_at=datetime.now(UTC),
            receipt_id=uuid.uuid4(),
            receipt_number="GR-1",
            po_id=po_id,
            warehouse_id="WH-1",
            lines=(line,),
        )
        await finance.publish_envelopes(
            envelope_of("purchasing", f"purchase-order-{po_id}", placed),
            envelope_of("inventory", f"receipt-{po_id}", received),
        )

        async def received_known() -> bool:
            # The receipt travels on inventory's topic: wait for it too, so the invoice matches.
            return await finance.event_count("GoodsReceiptRecorded") == 1

        assert await eventually(received_known)
        matched = await accepted_once_known(finance, "/payables/invoices", invoice)
        assert matched["status"] == "matched", matched

        customer = CustomerRegistered(
            customer_id="C-1", name="C", credit_limit=Decimal(1000), payment_terms_days=30
        )
        await finance.publish_event("sales", "customer-C-1", customer)
        await accepted_once_known(finance, "/receivables/receipts", receipt)


async def post(service: ServiceUnderTest, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await service.client.post(path, json=body, headers=HEADERS)
    assert response.status_code == 201, f"{path}: {response.text}"
    result: dict[str, Any] = response.json()
    return result
