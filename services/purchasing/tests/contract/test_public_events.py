"""Purchasing's stored payloads are valid instances of its published contracts."""

from datetime import date
from decimal import Decimal
from uuid import uuid4

import erp_contracts.events  # noqa: F401 - registers every public event
from erp_contracts import resolve_event
from purchasing.adapters.codec import from_payload, to_payload
from purchasing.domain.events import DomainEvent, QuantityLine, ReceiptLine
from purchasing.domain.purchase_order import PurchaseOrder
from purchasing.domain.requisition import Requisition, requisition_id_for
from purchasing.domain.sourcing import SupplierOffer, choose_supplier
from purchasing.domain.supplier import Supplier

from ..unit.builders import RULE, T0, line


def scenario() -> list[DomainEvent]:
    supplier = Supplier()
    supplier.register("SUP-1", "Acme", payment_terms_days=30, lead_time_days=7, occurred_at=T0)
    supplier.set_prices({"SKU-1": Decimal(12)}, occurred_at=T0)
    requisition = Requisition()
    offer = SupplierOffer(supplier_id="SUP-1", unit_price=Decimal(12), lead_time_days=7)
    requisition.raise_requisition(
        requisition_id_for("s"),
        "PR-1",
        sku="SKU-1",
        warehouse_id="WH-1",
        qty=Decimal(5),
        origin="manual",
        source="s",
        choice=choose_supplier([offer]),
        occurred_at=T0,
    )
    order = PurchaseOrder()
    order.draft(
        uuid4(),
        "PO-1",
        supplier_id="SUP-1",
        warehouse_id="WH-1",
        lines=[line(qty="5"), line(sku="SKU-2", qty="3")],
        expected_date=date(2026, 12, 1),
        rule=RULE,
        occurred_at=T0,
    )
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(5))], occurred_at=T0
    )
    order.request_return(
        uuid4(), "PRT-1", [QuantityLine(sku="SKU-1", qty=Decimal(1))], "bad", occurred_at=T0
    )
    order.cancel("enough", occurred_at=T0)
    closed = PurchaseOrder()
    closed.draft(
        uuid4(),
        "PO-2",
        supplier_id="SUP-1",
        warehouse_id="WH-1",
        lines=[line()],
        expected_date=date(2026, 12, 1),
        rule=RULE,
        occurred_at=T0,
    )
    closed.record_receipt(
        uuid4(), "GR-2", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(10))], occurred_at=T0
    )
    return [
        *supplier.collect_events(),
        *requisition.collect_events(),
        *order.collect_events(),
        *closed.collect_events(),
    ]


def test_every_public_purchasing_event_produced_matches_its_contract() -> None:
    checked = set()
    for event in scenario():
        contract = resolve_event(event.event_type, 1)
        if contract is None or contract.producer != "purchasing":
            continue
        contract.model_validate(to_payload(event))
        checked.add(event.event_type)
    assert checked == {
        "SupplierRegistered",
        "PurchaseRequisitionRaised",
        "PurchaseOrderPlaced",
        "PurchaseOrderCancelled",
        "PurchaseOrderClosed",
        "PurchaseReturnRequested",
    }


def test_every_event_survives_the_trip_through_its_stored_payload() -> None:
    for event in scenario():
        assert from_payload(event.event_type, to_payload(event)) == event
