"""Finance reads what it has just written, while other clients keep writing.

Main loop: 1,000 × (POST /payables/invoices → GET /payables/invoices: the invoice, matched
and open, with its number and total). Then 50 each of POST /payables/payments →
GET /payables/invoices (the paid invoice settled), POST /receivables/receipts →
GET /receivables/invoices (the paid customer invoice settled) and POST /bank/statements →
GET /bank/statements/{id}; all while 4 clients record payments and receipts on account.
Purchasing, inventory and sales are played by publishing their contract events.
"""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events.inventory import (
    GoodsReceived,
    ReceivedLine,
    ShipmentDispatched,
    ValuedLine,
)
from erp_contracts.events.purchasing import (
    PurchaseOrderLine,
    PurchaseOrderPlaced,
    SupplierRegistered,
)
from erp_contracts.events.sales import CustomerRegistered, SalesOrderLine, SalesOrderPlaced
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, envelope_of
from finance.bootstrap import blueprint

from .support import HEADERS, MAIN_PAIRS, OTHER_PAIRS, Load, Pairs, eventually, in_process, summary

pytestmark = pytest.mark.integration

POS = 20
RECEIVED = Decimal(1000)
PRICE = Decimal("10.00")
TAX = Decimal("0.13")


async def learn(finance: ServiceUnderTest, *envelopes: EventEnvelope) -> None:
    """Publish the other services' events and wait until finance consumed every one."""
    await finance.publish_envelopes(*envelopes)
    ids = [e.event_id for e in envelopes]

    async def consumed() -> bool:
        found = await finance.scalar("SELECT count(*) FROM inbox WHERE event_id = ANY(:e)", e=ids)
        return found == len(ids)

    assert await eventually(consumed, timeout=120), "finance did not consume the events"


def supplier(supplier_id: str) -> EventEnvelope:
    event = SupplierRegistered(
        supplier_id=supplier_id,
        name=supplier_id,
        payment_terms_days=30,
        lead_time_days=5,
        tax_rate=TAX,
    )
    return envelope_of("purchasing", f"supplier-{supplier_id}", event)


def customer(customer_id: str) -> EventEnvelope:
    event = CustomerRegistered(
        customer_id=customer_id,
        name=customer_id,
        credit_limit=Decimal(10**9),
        payment_terms_days=30,
    )
    return envelope_of("sales", f"customer-{customer_id}", event)


def purchase_order_received(po_id: uuid.UUID, n: int) -> list[EventEnvelope]:
    """SUP-1's PO of `RECEIVED` × SKU-A, received in full."""
    placed = PurchaseOrderPlaced(
        po_id=po_id,
        po_number=f"PO-{n}",
        supplier_id="SUP-1",
        warehouse_id="WH-1",
        lines=(PurchaseOrderLine(sku="SKU-A", qty=RECEIVED, unit_price=PRICE, tax_rate=TAX),),
    )
    line = ReceivedLine(
        sku="SKU-A",
        qty_accepted=RECEIVED,
        qty_rejected=Decimal(0),
        unit_cost=PRICE,
        value=RECEIVED * PRICE,
    )
    received = GoodsReceived(
        occurred_at=datetime.now(UTC),
        receipt_id=uuid.uuid4(),
        receipt_number=f"GR-{n}",
        po_id=po_id,
        warehouse_id="WH-1",
        lines=(line,),
    )
    return [
        envelope_of("purchasing", f"purchase-order-{po_id}", placed),
        envelope_of("inventory", f"receipt-{po_id}", received),
    ]


def order_shipped(order_id: uuid.UUID, n: int) -> list[EventEnvelope]:
    """C-1's order of 2 × SKU-B at 25.00, shipped in full (finance invoices it)."""
    placed = SalesOrderPlaced(
        order_id=order_id,
        order_number=f"SO-{n}",
        customer_id="C-1",
        warehouse_id="WH-1",
        lines=(SalesOrderLine(sku="SKU-B", qty=Decimal(2), unit_price=Decimal(25), tax_rate=TAX),),
    )
    shipped = ShipmentDispatched(
        occurred_at=datetime.now(UTC),
        shipment_id=uuid.uuid4(),
        shipment_number=f"SH-{n}",
        order_id=order_id,
        warehouse_id="WH-1",
        lines=(ValuedLine(sku="SKU-B", qty=Decimal(2), unit_cost=Decimal(8), value=Decimal(16)),),
    )
    return [
        envelope_of("sales", f"sales-order-{order_id}", placed),
        envelope_of("inventory", f"shipment-{order_id}", shipped),
    ]


def invoice_in(invoice_id: str, **wanted: Any) -> Any:
    """The list holds the invoice, with these values."""

    def check(rows: list[dict[str, Any]]) -> str | None:
        found = [r for r in rows if r["invoice_id"] == invoice_id]
        if len(found) != 1:
            return f"invoice {invoice_id} not listed ({len(rows)} rows)"
        got = {k: found[0][k] for k in wanted}
        same = all(
            Decimal(got[k]) == Decimal(v) if isinstance(v, Decimal) else got[k] == v
            for k, v in wanted.items()
        )
        return None if same else f"{got} != {wanted}"

    return check


async def test_finance_reads_its_own_writes_under_load(
    infra: Infrastructure, database_url: str
) -> None:
    async with in_process(blueprint(), database_url, infra) as finance:
        client = finance.client
        po_ids = [uuid.uuid4() for _ in range(POS)]
        order_ids = [uuid.uuid4() for _ in range(OTHER_PAIRS)]
        await learn(
            finance,
            supplier("SUP-1"),
            customer("C-1"),
            *(supplier(f"SUP-L{k}") for k in range(4)),
            *(customer(f"C-L{k}") for k in range(4)),
            *(e for n, po_id in enumerate(po_ids) for e in purchase_order_received(po_id, n)),
            *(e for n, order_id in enumerate(order_ids) for e in order_shipped(order_id, n)),
        )

        async def write(k: int, n: int) -> httpx.Response:
            if n % 2:
                body = {"customer_id": f"C-L{k}", "amount": "1.00"}
                return await client.post("/receivables/receipts", json=body, headers=HEADERS)
            body = {"supplier_id": f"SUP-L{k}", "amount": "1.00"}
            return await client.post("/payables/payments", json=body, headers=HEADERS)

        invoices = Pairs("finance", "POST /payables/invoices → GET …")
        payments = Pairs("finance", "POST /payables/payments → GET …")
        receipts = Pairs("finance", "POST /receivables/receipts → GET …")
        statements = Pairs("finance", "POST /bank/statements → GET …/{id}")
        today = date.today().isoformat()
        async with Load(write) as load:
            recorded: list[dict[str, Any]] = []
            for n in range(MAIN_PAIRS):
                po_id = str(po_ids[n % POS])
                qty = n % 3 + 1
                invoice = await invoices.create(
                    client,
                    "/payables/invoices",
                    {
                        "supplier_id": "SUP-1",
                        "po_id": po_id,
                        "invoice_number": f"INV-{n}",
                        "invoice_date": today,
                        "lines": [
                            {
                                "sku": "SKU-A",
                                "qty": str(qty),
                                "unit_price": "10.00",
                                "tax_rate": "0.13",
                            }
                        ],
                    },
                )
                assert invoice["status"] == "matched", invoice
                recorded.append({**invoice, "po_id": po_id})
                await invoices.read(
                    client,
                    "/payables/invoices",
                    invoice_in(
                        invoice["invoice_id"],
                        invoice_number=f"INV-{n}",
                        status="open",
                        total=Decimal(invoice["total"]),
                    ),
                    supplier_id="SUP-1",
                    po_id=po_id,
                )
            invoices.report()

            for invoice in recorded[:OTHER_PAIRS]:
                total = invoice["total"]
                allocation = {"invoice_id": invoice["invoice_id"], "amount": total}
                body = {"supplier_id": "SUP-1", "amount": total, "allocations": [allocation]}
                await payments.create(client, "/payables/payments", body)
                await payments.read(
                    client,
                    "/payables/invoices",
                    invoice_in(invoice["invoice_id"], status="settled", open_amount=Decimal(0)),
                    po_id=invoice["po_id"],
                )
            payments.report()

            listed = await client.get(
                "/receivables/invoices", params={"customer_id": "C-1"}, headers=HEADERS
            )
            issued_for = {row["order_id"]: row for row in listed.json()}
            for order_id in order_ids:
                issued = issued_for[str(order_id)]
                allocation = {"invoice_id": issued["invoice_id"], "amount": issued["total"]}
                body = {
                    "customer_id": "C-1",
                    "amount": issued["total"],
                    "allocations": [allocation],
                }
                await receipts.create(client, "/receivables/receipts", body)
                await receipts.read(
                    client,
                    "/receivables/invoices",
                    invoice_in(issued["invoice_id"], status="settled", open_amount=Decimal(0)),
                    order_id=str(order_id),
                )
            receipts.report()

            for n in range(OTHER_PAIRS):
                statement_id = str(uuid.uuid4())
                csv = (
                    "date,amount,reference,counterparty,description,transaction_id\n"
                    f"{today},{n + 1}.25,,Bank,fee {n},TX-{statement_id}\n"
                )
                await statements.create(
                    client,
                    "/bank/statements",
                    None,
                    params={"statement_id": statement_id},
                    content=csv.encode(),
                    headers={"Content-Type": "text/csv"},
                )

                def one_line(rows: list[dict[str, Any]], amount: str = f"{n + 1}.25") -> Any:
                    amounts = [Decimal(r["amount"]) for r in rows]
                    return None if amounts == [Decimal(amount)] else f"lines {rows}"

                await statements.read(client, f"/bank/statements/{statement_id}", one_line)
            statements.report()
        summary("finance", load, [invoices, payments, receipts, statements])
