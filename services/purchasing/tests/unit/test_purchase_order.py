"""The purchase-order state machine: draft → placed → partially_received → received, or
cancelled."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from purchasing.domain.errors import AlreadyExists, InvalidPrice, InvalidQuantity, InvalidState
from purchasing.domain.events import (
    GoodsReceiptRecorded,
    PurchaseOrderCancelled,
    PurchaseOrderClosed,
    PurchaseOrderDrafted,
    PurchaseOrderPlaced,
    QuantityLine,
    ReceiptLine,
)
from purchasing.domain.purchase_order import PurchaseOrder

from .builders import RULE, T0, line, placed_order


def test_an_order_within_the_threshold_is_placed_at_once_by_the_rule() -> None:
    order = PurchaseOrder()
    order.draft(
        uuid4(),
        "PO-1",
        supplier_id="S",
        warehouse_id="W",
        lines=[line()],
        expected_date=date(2026, 12, 1),
        rule=RULE,
        occurred_at=T0,
    )
    drafted, placed = order.collect_events()
    assert isinstance(drafted, PurchaseOrderDrafted)
    assert isinstance(placed, PurchaseOrderPlaced)
    assert placed.approved_by == "auto"
    assert order.status == "placed"


def test_totals_round_half_up_once_at_the_document() -> None:
    # net = 3 × 0.335 = 1.005 → 1.01; VAT = 1.005 × 0.13 = 0.13065 → 0.13; total = 1.14
    order = placed_order(line(qty="3", price="0.335"))
    assert order.total == Decimal("1.14")


def test_an_order_above_the_threshold_waits_for_an_approver() -> None:
    order = PurchaseOrder()
    order.draft(
        uuid4(),
        "PO-2",
        supplier_id="S",
        warehouse_id="W",
        lines=[line(qty="10000", price="10")],
        expected_date=date(2026, 12, 1),
        rule=RULE,
        occurred_at=T0,
    )
    assert [type(e) for e in order.collect_events()] == [PurchaseOrderDrafted]
    assert order.status == "draft"
    order.approve("li.na", occurred_at=T0)
    (placed,) = order.collect_events()
    assert isinstance(placed, PurchaseOrderPlaced)
    assert placed.approved_by == "li.na"


def test_a_placed_order_cannot_be_approved_again() -> None:
    with pytest.raises(InvalidState):
        placed_order().approve("li.na", occurred_at=T0)


def test_zero_qty_or_price_is_refused() -> None:
    order = PurchaseOrder()
    with pytest.raises(InvalidQuantity):
        order.draft(
            uuid4(),
            "PO-3",
            supplier_id="S",
            warehouse_id="W",
            lines=[line(qty="0")],
            expected_date=date(2026, 12, 1),
            rule=RULE,
            occurred_at=T0,
        )
    with pytest.raises(InvalidPrice):
        order.draft(
            uuid4(),
            "PO-3",
            supplier_id="S",
            warehouse_id="W",
            lines=[line(price="-1")],
            expected_date=date(2026, 12, 1),
            rule=RULE,
            occurred_at=T0,
        )
    assert order.pending_events == ()


def test_the_same_po_id_cannot_be_drafted_twice() -> None:
    order = placed_order()
    with pytest.raises(AlreadyExists):
        order.draft(
            order.po_id or uuid4(),
            "PO-9",
            supplier_id="S",
            warehouse_id="W",
            lines=[line()],
            expected_date=date(2026, 12, 1),
            rule=RULE,
            occurred_at=T0,
        )


def test_a_partial_receipt_leaves_the_rest_open_and_the_last_closes_the_order() -> None:
    order = placed_order(line(qty="10"))
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(4))], occurred_at=T0
    )
    assert order.status == "partially_received"
    assert order.lines["SKU-1"].open_qty == Decimal(6)
    order.record_receipt(
        uuid4(), "GR-2", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(6))], occurred_at=T0
    )
    events = order.collect_events()
    assert isinstance(events[-1], PurchaseOrderClosed)
    assert events[-1].lines[0].received_qty == Decimal(10)
    assert order.status == "received"


def test_rejected_qty_is_not_received_and_keeps_the_line_open() -> None:
    order = placed_order(line(qty="10"))
    order.record_receipt(
        uuid4(),
        "GR-1",
        [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(8), qty_rejected=Decimal(2))],
        occurred_at=T0,
    )
    assert order.lines["SKU-1"].open_qty == Decimal(2)
    assert order.lines["SKU-1"].rejected == Decimal(2)


def test_a_redelivered_receipt_is_recorded_once() -> None:
    order = placed_order(line(qty="10"))
    receipt = uuid4()
    lines = [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(4))]
    assert order.record_receipt(receipt, "GR-1", lines, occurred_at=T0)
    assert not order.record_receipt(receipt, "GR-1", lines, occurred_at=T0)
    assert order.lines["SKU-1"].received == Decimal(4)


def test_receipt_on_or_before_the_expected_date_is_on_time_and_lead_time_counts_days() -> None:
    order = placed_order(expected=(T0 + timedelta(days=5)).date())
    order.record_receipt(
        uuid4(),
        "GR-1",
        [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(1))],
        occurred_at=T0 + timedelta(days=5),
    )
    order.record_receipt(
        uuid4(),
        "GR-2",
        [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(1))],
        occurred_at=T0 + timedelta(days=6),
    )
    first, second = order.collect_events()
    assert isinstance(first, GoodsReceiptRecorded)
    assert isinstance(second, GoodsReceiptRecorded)
    assert (first.on_time, first.lead_time_days) == (True, 5)
    assert (second.on_time, second.lead_time_days) == (False, 6)


def test_cancelling_cuts_only_the_open_quantity() -> None:
    order = placed_order(line(qty="10"))
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(3))], occurred_at=T0
    )
    order.collect_events()
    order.cancel("supplier out of stock", occurred_at=T0)
    (cancelled,) = order.collect_events()
    assert isinstance(cancelled, PurchaseOrderCancelled)
    assert cancelled.lines == (QuantityLine(sku="SKU-1", qty=Decimal(7)),)
    assert order.status == "cancelled"
    assert order.lines["SKU-1"].received == Decimal(3)


def test_a_fully_received_order_cannot_be_cancelled() -> None:
    order = placed_order(line(qty="2"))
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(2))], occurred_at=T0
    )
    order.collect_events()
    with pytest.raises(InvalidState) as refused:
        order.cancel(None, occurred_at=T0)
    assert refused.value.code == "invalid_state"
    assert order.pending_events == ()


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    order = PurchaseOrder()
    order.draft(
        uuid4(),
        "PO-1",
        supplier_id="S",
        warehouse_id="W",
        lines=[line(qty="5")],
        expected_date=date(2026, 12, 1),
        rule=RULE,
        occurred_at=T0,
    )
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(5))], occurred_at=T0
    )
    rebuilt = PurchaseOrder.from_events(order.collect_events())
    assert rebuilt.status == "received"
    assert rebuilt.version == 4
