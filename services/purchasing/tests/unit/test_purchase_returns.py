"""采购退货: never more than received and not yet returned or asked back."""

from decimal import Decimal
from uuid import uuid4

import pytest

from purchasing.domain.errors import ReturnExceedsReceived
from purchasing.domain.events import PurchaseReturnRequested, QuantityLine, ReceiptLine

from .builders import T0, line, placed_order


def received(qty: str) -> object:
    order = placed_order(line(qty="10"))
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(qty))], occurred_at=T0
    )
    order.collect_events()
    return order


def test_a_return_within_what_was_received_is_requested_at_the_po_price() -> None:
    order = placed_order(line(qty="10", price="12.5"))
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(6))], occurred_at=T0
    )
    event = order.request_return(
        uuid4(), "PRT-1", [QuantityLine(sku="SKU-1", qty=Decimal(4))], "damaged", occurred_at=T0
    )
    assert isinstance(event, PurchaseReturnRequested)
    assert event.lines[0].unit_price == Decimal("12.500000")


def test_returning_more_than_received_minus_already_returned_is_refused() -> None:
    order = placed_order(line(qty="10"))
    order.record_receipt(
        uuid4(), "GR-1", [ReceiptLine(sku="SKU-1", qty_accepted=Decimal(6))], occurred_at=T0
    )
    order.request_return(
        uuid4(), "PRT-1", [QuantityLine(sku="SKU-1", qty=Decimal(4))], "bad", occurred_at=T0
    )
    order.record_supplier_return(
        uuid4(), [QuantityLine(sku="SKU-1", qty=Decimal(4))], occurred_at=T0
    )
    order.collect_events()
    with pytest.raises(ReturnExceedsReceived):
        order.request_return(
            uuid4(), "PRT-2", [QuantityLine(sku="SKU-1", qty=Decimal(3))], "bad", occurred_at=T0
        )
    order.request_return(
        uuid4(), "PRT-2", [QuantityLine(sku="SKU-1", qty=Decimal(2))], "bad", occurred_at=T0
    )
    assert order.lines["SKU-1"].returnable == Decimal(0)


def test_a_sku_not_on_the_order_cannot_be_returned() -> None:
    order = placed_order(line(qty="10"))
    with pytest.raises(ReturnExceedsReceived):
        order.request_return(
            uuid4(), "PRT-1", [QuantityLine(sku="OTHER", qty=Decimal(1))], "bad", occurred_at=T0
        )
