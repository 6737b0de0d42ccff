"""Every event type survives to_payload → JSON → from_payload unchanged."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from eventkit.codec import UnknownEventType
from inventory.adapters.codec import EVENT_TYPES, from_payload, to_payload
from inventory.domain.accounting_periods import AccountingPeriods
from inventory.domain.document_events import CountLine, OrderedLine, QuantityLine
from inventory.domain.document_lines import ReceiptLine
from inventory.domain.events import DomainEvent, StockReceived
from inventory.domain.item import Item, StockPolicy, Warehouse
from inventory.domain.order_allocation import OrderAllocation
from inventory.domain.purchase_order_ledger import PurchaseOrderLedger
from inventory.domain.return_authorisation import ReturnAuthorisation
from inventory.domain.stock_item import StockItem
from inventory.domain.stocktake import Stocktake
from inventory.domain.transfer import Transfer
from inventory.domain.vocabulary import AdjustmentReason, CostingMethod

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def every_kind_of_event() -> list[DomainEvent]:
    """A small day in the warehouse that records each event type at least once."""
    policy = StockPolicy(reorder_point=Decimal(5), reorder_qty=Decimal(10), max_stock=Decimal(50))
    item, warehouse = Item(), Warehouse()
    item.register("A", "螺丝", "pcs", occurred_at=T, category="五金", policy=policy)
    warehouse.register("WH-SH", "上海仓", occurred_at=T, locations=("A-01",))
    warehouse.add_location("B-01", "冷柜", capacity=Decimal(40), occurred_at=T)
    item.assign_fixed_location(warehouse, "B-01", occurred_at=T)
    a_sh = StockItem.open("A", "WH-SH", policy, occurred_at=T)
    a_bj = StockItem.open("A", "WH-BJ", policy, occurred_at=T)
    po = PurchaseOrderLedger()
    po.record_placed(
        uuid4(),
        "WH-SH",
        [OrderedLine(sku="A", qty=Decimal(100), unit_price=Decimal("1.5"))],
        occurred_at=T,
    )
    po.receive(
        uuid4(),
        "GR-1",
        "WH-SH",
        [
            ReceiptLine(
                sku="A",
                qty_accepted=Decimal(60),
                qty_rejected=Decimal(1),
                lot="L1",
                location="A-01",
                expiry=date(2026, 12, 10),
            )
        ],
        {"A": a_sh},
        occurred_at=T + timedelta(hours=2),
    )
    po.record_cancelled(occurred_at=T)
    po.return_to_supplier(
        uuid4(),
        "RT-1",
        [QuantityLine(sku="A", qty=Decimal(2))],
        {"A": a_sh},
        occurred_at=T + timedelta(hours=3),
    )
    a_sh.receive(
        Decimal(1), Decimal(2), document="GR-0", occurred_at=T + timedelta(hours=1)
    )  # backdated
    order = OrderAllocation()
    order.reserve(
        uuid4(), "WH-SH", [QuantityLine(sku="A", qty=Decimal(999))], {"A": a_sh}, occurred_at=T
    )
    order.reserve(
        order.order_id or uuid4(),
        "WH-SH",
        [QuantityLine(sku="A", qty=Decimal(10))],
        {"A": a_sh},
        occurred_at=T + timedelta(hours=4),
    )
    order.dispatch(
        uuid4(),
        "SH-1",
        {"A": a_sh},
        occurred_at=T + timedelta(hours=4),
        lines=[QuantityLine(sku="A", qty=Decimal(4))],
    )
    order.release({"A": a_sh}, occurred_at=T + timedelta(hours=4))
    rma, back = ReturnAuthorisation(), [QuantityLine(sku="A", qty=Decimal(1))]
    rma.record_authorised(uuid4(), "SR-1", order.order_id or uuid4(), "WH-SH", back, occurred_at=T)
    return_id = uuid4()
    rma.receive(return_id, order.order_id or uuid4(), back, occurred_at=T + timedelta(hours=5))
    order.receive_customer_return(
        return_id,
        "RR-1",
        back,
        {"A": a_sh},
        occurred_at=T + timedelta(hours=5),
        rma_id=rma.rma_id,
    )
    a_sh.move_between_bins(
        Decimal(1),
        from_location="A-01",
        to_location=None,
        lot="L1",
        document="BM-1",
        occurred_at=T + timedelta(hours=5),
    )
    a_sh.flag_lots_near_expiry(T.date(), occurred_at=T + timedelta(hours=5))
    transfer = Transfer()
    transfer.dispatch(
        uuid4(),
        "TR-1",
        "WH-SH",
        "WH-BJ",
        [QuantityLine(sku="A", qty=Decimal(52))],
        {"A": a_sh},
        occurred_at=T + timedelta(hours=6),
    )
    transfer.receive({"A": a_sh}, {"A": a_bj}, occurred_at=T + timedelta(hours=7))
    stocktake = Stocktake()
    stocktake.start(
        uuid4(), "ST-1", "WH-BJ", {"A": Decimal(52)}, occurred_at=T + timedelta(hours=8)
    )
    stocktake.record_counts([CountLine(sku="A", counted_qty=Decimal(49))], occurred_at=T)
    stocktake.complete({}, {"A": a_bj}, occurred_at=T + timedelta(hours=8))
    a_bj.adjust(
        Decimal(1), AdjustmentReason.FOUND, document="AD-1", occurred_at=T + timedelta(hours=9)
    )
    a_bj.change_policy(
        StockPolicy(reorder_point=Decimal("7.5"), reorder_qty=Decimal(20)),
        "planner",
        occurred_at=T + timedelta(hours=10),
    )
    books = AccountingPeriods()
    books.learn_closed("2026-10", occurred_at=T)
    books.learn_reopened("2026-10", "late supplier invoice", occurred_at=T)
    aggregates = (item, warehouse, po, a_sh, a_bj, order, rma, transfer, stocktake, books)
    costing = costing_events(item)
    return [event for aggregate in aggregates for event in aggregate.collect_events()] + costing


def costing_events(item: Item) -> list[DomainEvent]:
    """A month end of a periodic-average stock item, and a costing-method change."""
    periodic = StockItem.open(
        "P", "WH-SH", StockPolicy(), occurred_at=T, costing_method=CostingMethod.PERIODIC_AVERAGE
    )
    periodic.receive(Decimal(2), Decimal(3), document="GR-P1", occurred_at=T)
    periodic.issue(Decimal(1), document="SH-P1", occurred_at=T)
    periodic.receive(Decimal(2), Decimal(6), document="GR-P2", occurred_at=T)
    periodic.close_month("2026-11")
    empty = StockItem.open("A", "WH-GZ", StockPolicy(), occurred_at=T)
    item.change_costing_method(CostingMethod.FIFO, occurred_at=T)
    empty.change_costing_method(CostingMethod.FIFO, occurred_at=T)
    return periodic.collect_events() + empty.collect_events()


EVENTS = every_kind_of_event()


def test_the_scenario_covers_every_registered_event_type() -> None:
    assert {event.event_type for event in EVENTS} == set(EVENT_TYPES)


def test_event_type_equals_the_class_name() -> None:
    assert all(name == cls.__name__ for name, cls in EVENT_TYPES.items())


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: event.event_type)
def test_payload_round_trips_through_json(event: DomainEvent) -> None:
    stored = json.loads(json.dumps(to_payload(event)))
    assert from_payload(event.event_type, stored) == event


def test_payloads_hold_decimals_as_strings_and_times_in_utc_iso() -> None:
    received = next(e for e in EVENTS if isinstance(e, StockReceived))
    payload = to_payload(received)
    assert payload["qty"] == "60"
    assert payload["unit_cost"] == "1.500000"
    assert payload["value"] == "90.00"
    assert payload["occurred_at"] == "2026-11-24T11:00:00+00:00"
    assert payload["direction"] == "in"
    assert not any(isinstance(value, float) for value in payload.values())


def test_older_payloads_without_optional_fields_and_numbers_are_accepted() -> None:
    payload = to_payload(next(e for e in EVENTS if isinstance(e, StockReceived)))
    del payload["lot"], payload["cost_variance"]
    payload["qty"] = 60
    decoded = from_payload("StockReceived", payload)
    assert isinstance(decoded, StockReceived)
    assert (decoded.lot, decoded.cost_variance, decoded.qty) == (None, Decimal(0), Decimal(60))


def test_an_unknown_event_type_is_refused() -> None:
    with pytest.raises(UnknownEventType):
        from_payload("StockTeleported", {})
