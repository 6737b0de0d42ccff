"""A hand-built month of business, as the four services would publish it (November 2026).

Master data: items A, B, C; warehouses W1, W2; supplier S1; customers C1, C2 and C3 (C3 never
orders). All VAT 13%.

Purchasing (S1, W1):
  11-01 PO1: A 100 @ 10.00, B 50 @ 20.00, C 10 @ 5.00, expected 11-03
  11-02 GR1 (on time): A 100 accepted (value 1000.00); B 40 accepted + 10 rejected (800.00)
  11-05 GR2 (late):    C 10 accepted (50.00)
  11-06 supplier invoice: A 100 @ 10.20 (paid above list), B 40 @ 20.00 → net 1820.00
  11-12 payment to S1: 2000.00 of the invoice's 2056.60 (S1's terms: 30 days → due 12-06)
Sales (W1):
  11-03 SO1 C1: A 10 @ 25.00, B 5 @ 40.00 (net 450.00); shipped 11-03 at cost A 10.00, B 20.00
        INV1 net 450.00 VAT 58.50 total 508.50, due 12-03
  11-04 SO2 C2: A 20 @ 24.00, C 4 @ 12.50 (net 530.00); shipped 11-05 at cost A 10.00, C 5.00
        INV2 net 530.00 VAT 68.90 total 598.90, due 11-20
  11-04 SO3 C2: A 1 @ 25.00, cancelled
  11-07 C2 returns A 5 of SO2 (cost 10.00 → 50.00): credit note net 120.00 VAT 15.60 = 135.60
  11-10 C1 pays 508.50 → INV1 settled 11-10 (on time)
  11-25 C2 pays 400.00; 11-28 C2 pays 63.30 → INV2 settled 11-28 (late: due 11-20)
  (every receipt and payment is allocated to its invoice)
Stock:
  11-08 B 1 out (damage) at 20.00; 11-09 A 5 transferred W1 → W2 at 10.00
"""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID, uuid5

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events import finance as f
from erp_contracts.events import inventory as i
from erp_contracts.events import purchasing as p
from erp_contracts.events import sales as s
from erp_contracts.registry import PublicEvent
from eventkit.testing.service import envelope_of

D = Decimal  # the hand-computed figures below read better short

NS = UUID("6f1c0a52-2b5e-4c39-9a7e-2f9d3c1b7a10")


def uid(name: str) -> UUID:
    return uuid5(NS, name)


def day(n: int) -> date:
    return date(2026, 11, n)


def moment(n: int) -> datetime:
    return datetime.combine(day(n), time(10, 0), tzinfo=UTC)


def at(n: int, producer: str, stream: str, event: PublicEvent) -> EventEnvelope:
    return envelope_of(producer, stream, event).model_copy(
        update={"occurred_at": moment(n), "recorded_at": moment(n)}
    )


RATE = D("0.13")
PO1, GR1, GR2, SINV = uid("PO1"), uid("GR1"), uid("GR2"), uid("SINV1")
SO1, SO2, SO3 = uid("SO1"), uid("SO2"), uid("SO3")
SH1, SH2, R1 = uid("SH1"), uid("SH2"), uid("R1")
INV1, INV2, CN1 = uid("INV1"), uid("INV2"), uid("CN1")


def _received(sku: str, accepted: str, rejected: str, cost: str, value: str) -> i.ReceivedLine:
    return i.ReceivedLine(
        sku=sku,
        qty_accepted=D(accepted),
        qty_rejected=D(rejected),
        unit_cost=D(cost),
        value=D(value),
    )


def _valued(sku: str, qty: str, cost: str, value: str) -> i.ValuedLine:
    return i.ValuedLine(sku=sku, qty=D(qty), unit_cost=D(cost), value=D(value))


def _invoiced(sku: str, qty: str, price: str) -> f.InvoiceLine:
    return f.InvoiceLine(sku=sku, qty=D(qty), unit_price=D(price), tax_rate=RATE)


def _ordered(sku: str, qty: str, price: str) -> s.SalesOrderLine:
    return s.SalesOrderLine(sku=sku, qty=D(qty), unit_price=D(price), tax_rate=RATE)


def _adjusted(n: int, sku: str, wh: str, direction: str, qty: str, kind: str) -> i.StockAdjusted:
    value = D(qty) * (D("10.00") if sku == "A" else D("20.00"))
    return i.StockAdjusted(
        occurred_at=moment(n),
        sku=sku,
        warehouse_id=wh,
        movement_id=uid(f"move-{n}-{sku}"),
        document=f"ADJ-{n}",
        document_type=kind,
        direction=direction,
        qty=D(qty),
        cost_basis="moving_average",
        unit_cost=value / D(qty),
        value=value,
        qty_before=D(0),
        qty_after=D(0),
        value_before=D(0),
        value_after=D(0),
        average_cost_after=D(0),
        reason=kind,
    )


def purchasing() -> list[EventEnvelope]:
    return [
        at(
            1,
            "purchasing",
            "supplier-S1",
            p.SupplierRegistered(
                supplier_id="S1",
                name="Supplier One",
                payment_terms_days=30,
                lead_time_days=2,
                tax_rate=RATE,
            ),
        ),
        at(
            1,
            "purchasing",
            f"po-{PO1}",
            p.PurchaseOrderPlaced(
                po_id=PO1,
                po_number="PO-1",
                supplier_id="S1",
                warehouse_id="W1",
                expected_date=day(3),
                lines=(
                    p.PurchaseOrderLine(sku="A", qty=D(100), unit_price=D("10.00")),
                    p.PurchaseOrderLine(sku="B", qty=D(50), unit_price=D("20.00")),
                    p.PurchaseOrderLine(sku="C", qty=D(10), unit_price=D("5.00")),
                ),
            ),
        ),
    ]


def inventory() -> list[EventEnvelope]:
    return [
        at(
            2,
            "inventory",
            f"receipt-{GR1}",
            i.GoodsReceived(
                occurred_at=moment(2),
                receipt_id=GR1,
                receipt_number="GR-1",
                po_id=PO1,
                warehouse_id="W1",
                lines=(
                    _received("A", "100", "0", "10", "1000.00"),
                    _received("B", "40", "10", "20", "800.00"),
                ),
            ),
        ),
        at(
            5,
            "inventory",
            f"receipt-{GR2}",
            i.GoodsReceived(
                occurred_at=moment(5),
                receipt_id=GR2,
                receipt_number="GR-2",
                po_id=PO1,
                warehouse_id="W1",
                lines=(_received("C", "10", "0", "5", "50.00"),),
            ),
        ),
        at(
            3,
            "inventory",
            f"shipment-{SH1}",
            i.ShipmentDispatched(
                occurred_at=moment(3),
                shipment_id=SH1,
                shipment_number="SH-1",
                order_id=SO1,
                warehouse_id="W1",
                lines=(_valued("A", "10", "10", "100.00"), _valued("B", "5", "20", "100.00")),
            ),
        ),
        at(
            5,
            "inventory",
            f"shipment-{SH2}",
            i.ShipmentDispatched(
                occurred_at=moment(5),
                shipment_id=SH2,
                shipment_number="SH-2",
                order_id=SO2,
                warehouse_id="W1",
                lines=(_valued("A", "20", "10", "200.00"), _valued("C", "4", "5", "20.00")),
            ),
        ),
        at(
            7,
            "inventory",
            f"return-{R1}",
            i.CustomerReturnReceived(
                occurred_at=moment(7),
                return_id=R1,
                return_number="RT-1",
                order_id=SO2,
                warehouse_id="W1",
                lines=(_valued("A", "5", "10", "50.00"),),
            ),
        ),
        # How inventory publishes the return's stock movement (and other adjustments).
        at(7, "inventory", "stock-A-W1", _adjusted(7, "A", "W1", "in", "5", "customer_return")),
        at(8, "inventory", "stock-B-W1", _adjusted(8, "B", "W1", "out", "1", "adjustment")),
        at(
            9,
            "inventory",
            f"transfer-{uid('TR1')}",
            i.StockTransferred(
                occurred_at=moment(9),
                transfer_id=uid("TR1"),
                transfer_number="TR-1",
                source_warehouse_id="W1",
                destination_warehouse_id="W2",
                lines=(_valued("A", "5", "10", "50.00"),),
            ),
        ),
    ]


def sales() -> list[EventEnvelope]:
    def customer(cid: str, terms: int) -> EventEnvelope:
        return at(
            1,
            "sales",
            f"customer-{cid}",
            s.CustomerRegistered(
                customer_id=cid,
                name=f"Customer {cid}",
                credit_limit=D("100000.00"),
                payment_terms_days=terms,
            ),
        )

    return [
        customer("C1", 30),
        customer("C2", 15),
        customer("C3", 30),
        at(
            3,
            "sales",
            f"order-{SO1}",
            s.SalesOrderPlaced(
                order_id=SO1,
                order_number="SO-1",
                customer_id="C1",
                warehouse_id="W1",
                lines=(_ordered("A", "10", "25.00"), _ordered("B", "5", "40.00")),
                net_total=D("450.00"),
                tax_total=D("58.50"),
                total=D("508.50"),
            ),
        ),
        at(
            4,
            "sales",
            f"order-{SO2}",
            s.SalesOrderPlaced(
                order_id=SO2,
                order_number="SO-2",
                customer_id="C2",
                warehouse_id="W1",
                lines=(_ordered("A", "20", "24.00"), _ordered("C", "4", "12.50")),
                net_total=D("530.00"),
                tax_total=D("68.90"),
                total=D("598.90"),
            ),
        ),
        at(
            4,
            "sales",
            f"order-{SO3}",
            s.SalesOrderPlaced(
                order_id=SO3,
                order_number="SO-3",
                customer_id="C2",
                warehouse_id="W1",
                lines=(_ordered("A", "1", "25.00"),),
                net_total=D("25.00"),
                tax_total=D("3.25"),
                total=D("28.25"),
            ),
        ),
        at(4, "sales", f"order-{SO3}", s.SalesOrderCancelled(order_id=SO3, reason="changed mind")),
    ]


def finance() -> list[EventEnvelope]:
    return [
        at(
            6,
            "finance",
            f"supplier-invoice-{SINV}",
            f.SupplierInvoiceRecorded(
                invoice_id=SINV,
                invoice_number="S1-778",
                document_number="AP-1",
                supplier_id="S1",
                po_id=PO1,
                invoice_date=day(6),
                lines=(_invoiced("A", "100", "10.20"), _invoiced("B", "40", "20.00")),
                net_total=D("1820.00"),
                tax_total=D("236.60"),
                total=D("2056.60"),
                status="matched",
            ),
        ),
        at(
            3,
            "finance",
            f"invoice-{INV1}",
            f.CustomerInvoiceIssued(
                invoice_id=INV1,
                invoice_number="AR-1",
                customer_id="C1",
                order_id=SO1,
                shipment_id=SH1,
                invoice_date=day(3),
                due_date=date(2026, 12, 3),
                lines=(_invoiced("A", "10", "25.00"), _invoiced("B", "5", "40.00")),
                net_total=D("450.00"),
                tax_total=D("58.50"),
                total=D("508.50"),
            ),
        ),
        at(
            5,
            "finance",
            f"invoice-{INV2}",
            f.CustomerInvoiceIssued(
                invoice_id=INV2,
                invoice_number="AR-2",
                customer_id="C2",
                order_id=SO2,
                shipment_id=SH2,
                invoice_date=day(5),
                due_date=day(20),
                lines=(_invoiced("A", "20", "24.00"), _invoiced("C", "4", "12.50")),
                net_total=D("530.00"),
                tax_total=D("68.90"),
                total=D("598.90"),
            ),
        ),
        at(
            7,
            "finance",
            f"credit-note-{CN1}",
            f.CreditNoteIssued(
                credit_note_id=CN1,
                credit_note_number="CN-1",
                customer_id="C2",
                order_id=SO2,
                return_id=R1,
                note_date=day(7),
                lines=(_invoiced("A", "5", "24.00"),),
                net_total=D("120.00"),
                tax_total=D("15.60"),
                total=D("135.60"),
                allocations=(f.Allocation(invoice_id=INV2, amount=D("135.60")),),
                unapplied=D("0.00"),
            ),
        ),
        at(
            10,
            "finance",
            "receipt-1",
            f.PaymentReceived(
                receipt_id=uid("RC1"),
                receipt_number="RC-1",
                customer_id="C1",
                amount=D("508.50"),
                allocations=(f.Allocation(invoice_id=INV1, amount=D("508.50")),),
            ),
        ),
        at(
            10,
            "finance",
            f"invoice-{INV1}",
            f.InvoiceSettled(
                invoice_id=INV1,
                kind="receivable",
                counterparty_id="C1",
                total=D("508.50"),
                order_id=SO1,
            ),
        ),
        at(
            12,
            "finance",
            "payment-1",
            f.PaymentMade(
                payment_id=uid("PM1"),
                payment_number="PM-1",
                supplier_id="S1",
                amount=D("2000.00"),
                allocations=(f.Allocation(invoice_id=SINV, amount=D("2000.00")),),
            ),
        ),
        at(
            25,
            "finance",
            "receipt-2",
            f.PaymentReceived(
                receipt_id=uid("RC2"),
                receipt_number="RC-2",
                customer_id="C2",
                amount=D("400.00"),
                allocations=(f.Allocation(invoice_id=INV2, amount=D("400.00")),),
            ),
        ),
        at(
            28,
            "finance",
            "receipt-3",
            f.PaymentReceived(
                receipt_id=uid("RC3"),
                receipt_number="RC-3",
                customer_id="C2",
                amount=D("63.30"),
                allocations=(f.Allocation(invoice_id=INV2, amount=D("63.30")),),
            ),
        ),
        at(
            28,
            "finance",
            f"invoice-{INV2}",
            f.InvoiceSettled(
                invoice_id=INV2,
                kind="receivable",
                counterparty_id="C2",
                total=D("598.90"),
                order_id=SO2,
            ),
        ),
    ]


def november() -> list[EventEnvelope]:
    return purchasing() + inventory() + sales() + finance()
