"""Inventory's stored payloads are valid instances of its published contracts."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

import erp_contracts.events  # noqa: F401 - registers every public event
from erp_contracts import resolve_event
from inventory.adapters.codec import EVENT_TYPES, to_payload
from inventory.domain.document_events import QuantityLine
from inventory.domain.events import DomainEvent
from inventory.domain.item import StockPolicy
from inventory.domain.order_allocation import OrderAllocation
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def scenario() -> list[DomainEvent]:
    """A small day in a warehouse, touching most public event types."""
    policy = StockPolicy(reorder_point=Decimal(5), reorder_qty=Decimal(20))
    stock = StockItem.open("SKU-1", "WH-1", policy, occurred_at=T0)
    stock.receive(Decimal(10), Decimal("12.5"), document="GR-1", occurred_at=T0)
    order = OrderAllocation()
    order_id = uuid4()
    items = {"SKU-1": stock}
    order.reserve(
        order_id,
        "WH-1",
        [QuantityLine(sku="SKU-1", qty=Decimal(8))],
        items,
        occurred_at=T0 + timedelta(hours=1),
    )
    order.dispatch(uuid4(), "SH-1", items, occurred_at=T0 + timedelta(hours=2))
    stock.adjust(
        Decimal(-1), AdjustmentReason.DAMAGE, document="AJ-1", occurred_at=T0 + timedelta(hours=3)
    )
    stock.receive(Decimal(4), Decimal(11), document="GR-0", occurred_at=T0 + timedelta(minutes=30))
    return [*stock.collect_events(), *order.collect_events(), *lots_scenario()]


def lots_scenario() -> list[DomainEvent]:
    """Two lots on two shelves: a loss spread over both, then the expiry alert."""
    stock = StockItem.open("MILK", "WH-1", StockPolicy(), occurred_at=T0)
    for lot, location, expiry in (("L1", "A-01", date(2026, 11, 20)), ("L2", "B-01", None)):
        stock.receive(
            Decimal(3),
            Decimal(2),
            document="GR-1",
            occurred_at=T0,
            lot=lot,
            location=location,
            expiry=expiry,
        )
    stock.adjust(Decimal(-4), AdjustmentReason.LOST, document="AJ-2", occurred_at=T0)
    stock.receive(
        Decimal(1), Decimal(2), document="GR-2", occurred_at=T0, lot="L3", expiry=date(2026, 11, 9)
    )
    stock.flag_lots_near_expiry(T0.date(), occurred_at=T0)
    return stock.collect_events()


def test_every_public_inventory_event_produced_matches_its_contract() -> None:
    checked = set()
    for event in scenario():
        contract = resolve_event(event.event_type, 1)
        if contract is None or contract.producer != "inventory":
            continue
        contract.model_validate(to_payload(event))
        checked.add(event.event_type)
    assert {
        "StockReserved",
        "ShipmentDispatched",
        "StockAdjusted",
        "ReorderPointBreached",
        "StockRevalued",
        "LotNearExpiry",
    } <= checked


def test_a_month_end_cost_adjustment_and_a_costing_method_match_their_contracts() -> None:
    from inventory.domain.item import Item
    from inventory.domain.vocabulary import CostingMethod

    item = Item()
    item.register("P", "P", "pcs", occurred_at=T0, costing_method=CostingMethod.PERIODIC_AVERAGE)
    stock = StockItem.open(
        "P", "WH-1", StockPolicy(), occurred_at=T0, costing_method=CostingMethod.PERIODIC_AVERAGE
    )
    stock.receive(Decimal(2), Decimal(3), document="GR-1", occurred_at=T0)
    stock.issue(Decimal(1), document="SH-1", occurred_at=T0)
    stock.receive(Decimal(2), Decimal(6), document="GR-2", occurred_at=T0)
    adjusted = stock.close_month("2026-11")
    registered = item.collect_events()[0]
    for event in (registered, adjusted):
        assert event is not None
        contract = resolve_event(event.event_type, 1)
        assert contract is not None
        wire = contract.model_validate(to_payload(event))
        assert wire.event_type == event.event_type
    assert to_payload(registered)["costing_method"] == "periodic_average"
    assert adjusted is not None
    # (2×3 + 2×6) ÷ 4 = 4.5: the issue moves from its provisional 3.00 to 4.50.
    assert [(a.old_value, a.new_value) for a in adjusted.adjustments] == [
        (Decimal("3.00"), Decimal("4.50"))
    ]


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_a_contract_names_only_fields_the_domain_event_has(event_type: str) -> None:
    contract = resolve_event(event_type, 1)
    if contract is None or contract.producer != "inventory":
        pytest.skip("internal event")
    domain_fields = set(EVENT_TYPES[event_type].__dataclass_fields__)
    assert set(contract.model_fields) <= domain_fields


def test_a_received_lot_keeps_its_expiry_date_through_storage_and_the_contract() -> None:
    from datetime import date

    from inventory.adapters.codec import from_payload
    from inventory.domain.document_events import GoodsReceived, ReceivedLine

    line = ReceivedLine(
        sku="MILK",
        qty_accepted=Decimal(5),
        qty_rejected=Decimal(0),
        unit_cost=Decimal(3),
        value=Decimal(15),
        lot="L-7",
        expiry=date(2027, 3, 31),
    )
    event = GoodsReceived(
        occurred_at=T0,
        receipt_id=uuid4(),
        receipt_number="GR-1",
        po_id=uuid4(),
        warehouse_id="WH-1",
        lines=(line,),
    )
    payload = to_payload(event)
    assert payload["lines"][0]["expiry"] == "2027-03-31"
    assert from_payload("GoodsReceived", payload) == event
    contract = resolve_event("GoodsReceived", 1)
    assert contract is not None
    assert contract.model_validate(payload).lines[0].expiry == date(2027, 3, 31)  # type: ignore[attr-defined]
