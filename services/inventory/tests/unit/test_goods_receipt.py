"""采购入库 and 采购退货 against the PurchaseOrderLedger."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from erp_contracts.events.inventory import GoodsReceived as PublicGoodsReceived
from inventory.adapters.codec import CODEC
from inventory.domain.document_events import (
    GoodsReceived,
    OrderedLine,
    QuantityLine,
    ReceivedLine,
)
from inventory.domain.document_lines import ReceiptLine
from inventory.domain.errors import (
    AlreadyExists,
    InsufficientStock,
    NotFound,
    OverReceipt,
    ReturnExceedsDelivered,
    WarehouseMismatch,
)
from inventory.domain.events import StockAdjusted, StockReceived
from inventory.domain.item import StockPolicy
from inventory.domain.purchase_order_ledger import PurchaseOrderLedger
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason, DocumentType, NegativeStockPolicy

T = datetime(2026, 11, 24, 9, tzinfo=UTC)
PO = uuid4()


def ledger_for(*lines: OrderedLine) -> PurchaseOrderLedger:
    ledger = PurchaseOrderLedger()
    ledger.record_placed(PO, "WH-SH", lines, occurred_at=T)
    return PurchaseOrderLedger.from_events(ledger.collect_events())


def stock_items(*skus: str) -> dict[str, StockItem]:
    return {sku: StockItem.open(sku, "WH-SH", StockPolicy(), occurred_at=T) for sku in skus}


def receive(
    ledger: PurchaseOrderLedger,
    items: dict[str, StockItem],
    *lines: ReceiptLine,
    tolerance: Decimal = Decimal(0),
) -> GoodsReceived:
    return ledger.receive(
        uuid4(), "GR-20261124-0001", "WH-SH", lines, items, occurred_at=T, tolerance=tolerance
    )


def test_goods_receipt_enters_accepted_qty_at_the_po_price_and_notes_rejects() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal("8.50")))
    items = stock_items("A")
    received = receive(
        ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(90), qty_rejected=Decimal(10))
    )
    stock_event = items["A"].pending_events[-1]
    assert isinstance(stock_event, StockReceived)
    assert received.lines == (
        ReceivedLine(
            sku="A",
            qty_accepted=Decimal(90),
            qty_rejected=Decimal(10),
            unit_cost=Decimal("8.50"),
            value=Decimal("765.00"),
            movement_id=stock_event.movement_id,
        ),
    )
    assert (items["A"].on_hand, items["A"].value) == (Decimal(90), Decimal("765.00"))
    assert ledger.open_qty("A") == Decimal(10)
    assert stock_event.document == "GR-20261124-0001"


def test_over_receipt_is_refused_with_zero_tolerance() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal(1)))
    items = stock_items("A")
    with pytest.raises(OverReceipt) as refused:
        receive(ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(101)))
    assert refused.value.code == "over_receipt"
    assert items["A"].on_hand == 0
    assert ledger.pending_events == ()


def test_over_receipt_within_ten_percent_tolerance_is_accepted() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal(1)))
    items = stock_items("A")
    receive(
        ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(110)), tolerance=Decimal("0.10")
    )
    assert items["A"].on_hand == Decimal(110)
    assert ledger.open_qty("A") == 0
    with pytest.raises(OverReceipt):
        receive(
            ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(1)), tolerance=Decimal("0.10")
        )


def test_tolerance_applies_to_the_ordered_qty_across_partial_receipts() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal(1)))
    items = stock_items("A")
    receive(
        ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(50)), tolerance=Decimal("0.10")
    )
    receive(
        ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(60)), tolerance=Decimal("0.10")
    )
    assert items["A"].on_hand == Decimal(110)


def test_a_line_that_fails_refuses_the_whole_receipt() -> None:
    ledger = ledger_for(
        OrderedLine(sku="A", qty=Decimal(10), unit_price=Decimal(1)),
        OrderedLine(sku="B", qty=Decimal(10), unit_price=Decimal(1)),
    )
    items = stock_items("A", "B")
    with pytest.raises(OverReceipt):
        receive(
            ledger,
            items,
            ReceiptLine(sku="A", qty_accepted=Decimal(5)),
            ReceiptLine(sku="B", qty_accepted=Decimal(11)),
        )
    assert items["A"].on_hand == 0


def test_a_sku_not_on_the_po_is_an_over_receipt() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(10), unit_price=Decimal(1)))
    with pytest.raises(OverReceipt):
        receive(ledger, stock_items("A", "Z"), ReceiptLine(sku="Z", qty_accepted=Decimal(1)))


def test_cancellation_cuts_the_open_qty() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal(1)))
    items = stock_items("A")
    receive(ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(30)))
    cancelled = ledger.record_cancelled(occurred_at=T)
    assert cancelled is not None
    assert cancelled.lines == (QuantityLine(sku="A", qty=Decimal(70)),)
    assert ledger.open_qty("A") == 0
    assert ledger.fully_received
    assert ledger.record_cancelled(occurred_at=T) is None
    with pytest.raises(OverReceipt):
        receive(ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(1)))


def test_same_sku_lines_on_a_po_merge_at_the_weighted_price() -> None:
    ledger = ledger_for(
        OrderedLine(sku="A", qty=Decimal(10), unit_price=Decimal(2)),
        OrderedLine(sku="A", qty=Decimal(30), unit_price=Decimal(6)),
    )
    # (10 × 2 + 30 × 6) / 40 = 5
    assert ledger.skus["A"].unit_price == Decimal(5)
    assert ledger.open_qty("A") == Decimal(40)


def test_receipts_are_refused_for_unknown_po_other_warehouse_or_repeated_id() -> None:
    items = stock_items("A")
    with pytest.raises(NotFound):
        receive(PurchaseOrderLedger(), items, ReceiptLine(sku="A", qty_accepted=Decimal(1)))
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(10), unit_price=Decimal(1)))
    with pytest.raises(WarehouseMismatch):
        ledger.receive(
            uuid4(),
            "GR-2",
            "WH-BJ",
            [ReceiptLine(sku="A", qty_accepted=Decimal(1))],
            items,
            occurred_at=T,
        )
    receipt_id = uuid4()
    line = [ReceiptLine(sku="A", qty_accepted=Decimal(1))]
    ledger.receive(receipt_id, "GR-3", "WH-SH", line, items, occurred_at=T)
    with pytest.raises(AlreadyExists):
        ledger.receive(receipt_id, "GR-3", "WH-SH", line, items, occurred_at=T)


def test_return_to_supplier_goes_out_at_average_cost_and_keeps_the_po_price() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal(10)))
    items = stock_items("A")
    items["A"].receive(
        Decimal(100), Decimal(13), document="AD-OPEN", occurred_at=T
    )  # avg becomes 11.5
    receive(ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(100)))
    returned = ledger.return_to_supplier(
        uuid4(), "RT-1", [QuantityLine(sku="A", qty=Decimal(20))], items, occurred_at=T
    )
    line = returned.lines[0]
    assert (line.unit_cost, line.value, line.unit_price) == (
        Decimal("11.5"),
        Decimal("230.00"),
        Decimal(10),
    )
    adjusted = items["A"].pending_events[-1]
    assert isinstance(adjusted, StockAdjusted)
    assert adjusted.reason is AdjustmentReason.PURCHASE_RETURN
    assert adjusted.document_type is DocumentType.PURCHASE_RETURN
    assert items["A"].on_hand == Decimal(180)


def test_returning_more_than_received_or_than_available_is_refused() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(10), unit_price=Decimal(1)))
    items = stock_items("A")
    receive(ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(10)))
    with pytest.raises(ReturnExceedsDelivered):
        ledger.return_to_supplier(
            uuid4(), "RT-1", [QuantityLine(sku="A", qty=Decimal(11))], items, occurred_at=T
        )
    items["A"].reserve(uuid4(), Decimal(8), occurred_at=T)
    with pytest.raises(InsufficientStock):
        ledger.return_to_supplier(
            uuid4(), "RT-2", [QuantityLine(sku="A", qty=Decimal(3))], items, occurred_at=T
        )


def test_a_receipt_onto_negative_stock_carries_the_cost_variance_on_its_public_line() -> None:
    ledger = ledger_for(OrderedLine(sku="A", qty=Decimal(30), unit_price=Decimal(12)))
    items = {
        "A": StockItem.open(
            "A", "WH-SH", StockPolicy(negative_stock=NegativeStockPolicy.ALLOW), occurred_at=T
        )
    }
    items["A"].adjust(Decimal(-5), AdjustmentReason.DAMAGE, document="AJ-1", occurred_at=T)
    items["A"].collect_events()
    # 5 went out at no cost while negative; 30 in at 12: the 5 are re-costed at 12 → 60.00.
    received = receive(ledger, items, ReceiptLine(sku="A", qty_accepted=Decimal(30)))
    (line,) = received.lines
    assert (line.value, line.cost_variance) == (Decimal("360.00"), Decimal("-60.00"))
    public = PublicGoodsReceived.model_validate(CODEC.encode(received))
    assert public.lines[0].cost_variance == Decimal("-60.00")
