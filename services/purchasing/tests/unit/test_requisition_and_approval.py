"""Requisitions keyed on their source, and the approval rule by amount."""

from decimal import Decimal

import pytest

from purchasing.domain.approval import ApprovalRule
from purchasing.domain.errors import AlreadyExists, InvalidQuantity, InvalidState
from purchasing.domain.requisition import Requisition, requisition_id_for
from purchasing.domain.sourcing import choose_supplier

from .builders import T0


def raise_one(requisition: Requisition, source: str, qty: str = "20") -> None:
    requisition.raise_requisition(
        requisition_id_for(source),
        "PR-1",
        sku="SKU-1",
        warehouse_id="WH-1",
        qty=Decimal(qty),
        origin="reorder_point",
        source=source,
        choice=choose_supplier([]),
        occurred_at=T0,
    )


def test_the_same_source_always_names_the_same_requisition() -> None:
    source = "inventory:stock-SKU-1@WH-1#7"
    assert requisition_id_for(source) == requisition_id_for(source)
    assert requisition_id_for(source) != requisition_id_for("inventory:stock-SKU-1@WH-1#8")


def test_a_requisition_without_a_supplier_stays_open_with_the_reason() -> None:
    requisition = Requisition()
    raise_one(requisition, "src")
    (event,) = requisition.collect_events()
    assert requisition.status == "open"
    assert event.reason == "no supplier offers SKU"  # type: ignore[attr-defined]


def test_a_requisition_cannot_be_raised_twice() -> None:
    requisition = Requisition()
    raise_one(requisition, "src")
    with pytest.raises(AlreadyExists):
        raise_one(requisition, "src")


def test_a_requisition_needs_a_positive_qty() -> None:
    with pytest.raises(InvalidQuantity):
        raise_one(Requisition(), "src", qty="0")


def test_an_ordered_requisition_cannot_be_ordered_again() -> None:
    from uuid import uuid4

    requisition = Requisition()
    raise_one(requisition, "src")
    requisition.mark_ordered(uuid4(), "PO-1", occurred_at=T0)
    assert requisition.status == "ordered"
    with pytest.raises(InvalidState):
        requisition.mark_ordered(uuid4(), "PO-2", occurred_at=T0)


@pytest.mark.parametrize(
    ("total", "needs_approver"),
    [("49999.99", False), ("50000.00", False), ("50000.01", True)],
)
def test_only_a_total_above_the_threshold_needs_an_approver(
    total: str, needs_approver: bool
) -> None:
    assert ApprovalRule(Decimal("50000.00")).requires_approval(Decimal(total)) is needs_approver
