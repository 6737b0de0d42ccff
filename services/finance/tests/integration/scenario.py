"""A supplier, a placed PO and a receipt, as purchasing and inventory would publish them."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from erp_contracts.events.purchasing import (
    PurchaseOrderLine,
    PurchaseOrderPlaced,
    SupplierRegistered,
)

from ..unit.inventory_events import received
from .support import FinanceUnderTest, auth, envelopes


@dataclass
class OrderedAndReceived:
    supplier_id: str
    po_id: UUID


async def ordered_and_received(
    finance: FinanceUnderTest, *, ordered: str = "10", received_qty: str = "6"
) -> OrderedAndReceived:
    """SUP-1 registered, a PO for `ordered` A at 10.00 (+13% VAT), `received_qty` received."""
    po_id = uuid4()
    supplier = SupplierRegistered(
        supplier_id="SUP-1",
        name="Acme 五金",
        payment_terms_days=30,
        lead_time_days=7,
        tax_rate=Decimal("0.13"),
    )
    line = PurchaseOrderLine(sku="A", qty=Decimal(ordered), unit_price=Decimal("10.00"))
    order = PurchaseOrderPlaced(
        po_id=po_id, po_number="PO-1", supplier_id="SUP-1", warehouse_id="WH-1", lines=(line,)
    )
    sent = [
        *envelopes("purchasing", ("supplier-SUP-1", supplier), (f"po-{po_id}", order)),
        *envelopes("inventory", ("receipt-1", received(po_id, "A", received_qty, "10.00"))),
    ]
    await finance.publish(*sent)
    await finance.settled(*sent)
    return OrderedAndReceived("SUP-1", po_id)


def invoice_body(
    po: OrderedAndReceived, qty: str, unit_price: str = "10.00", number: str = "INV-001"
) -> dict[str, Any]:
    return {
        "supplier_id": po.supplier_id,
        "po_id": str(po.po_id),
        "invoice_number": number,
        "invoice_date": "2026-11-24",
        "lines": [{"sku": "A", "qty": qty, "unit_price": unit_price, "tax_rate": "0.13"}],
    }


async def post_invoice(finance: FinanceUnderTest, body: dict[str, Any]) -> dict[str, Any]:
    response = await finance.client.post("/payables/invoices", json=body, headers=auth())
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer
