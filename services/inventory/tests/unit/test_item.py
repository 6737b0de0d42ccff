"""Master data: items and warehouses are registered once."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from inventory.domain.document_events import ItemRegistered
from inventory.domain.errors import AlreadyExists, InvalidQuantity, UnknownLocation
from inventory.domain.item import Item, StockPolicy, Warehouse, item_stream_id
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import CostingMethod, NegativeStockPolicy

T = datetime(2026, 11, 24, 9, tzinfo=UTC)
POLICY = StockPolicy(NegativeStockPolicy.ALLOW, reorder_point=Decimal(5), reorder_qty=Decimal(20))


def test_registering_an_item_records_its_policy() -> None:
    item = Item()
    registered = item.register("SKU-1", "螺丝 M4", "pcs", occurred_at=T, policy=POLICY)
    assert isinstance(registered, ItemRegistered)
    assert (registered.negative_stock, registered.reorder_point) == (
        NegativeStockPolicy.ALLOW,
        Decimal(5),
    )
    assert item_stream_id("SKU-1") == "item-SKU-1"


def test_registering_an_item_twice_is_refused_as_already_exists() -> None:
    first = Item()
    first.register("SKU-1", "螺丝", "pcs", occurred_at=T)
    item = Item.from_events(first.collect_events())
    with pytest.raises(AlreadyExists) as refused:
        item.register("SKU-1", "螺丝", "pcs", occurred_at=T)
    assert refused.value.code == "already_exists"


def test_stock_item_copies_the_items_policy_when_opened() -> None:
    item = Item()
    item.register("SKU-1", "螺丝", "pcs", occurred_at=T, policy=POLICY)
    stock = StockItem.open("SKU-1", "WH-SH", item.policy, occurred_at=T)
    assert (stock.negative_stock, stock.reorder_point, stock.reorder_qty, stock.max_stock) == (
        NegativeStockPolicy.ALLOW,
        Decimal(5),
        Decimal(20),
        None,
    )


def test_a_max_stock_below_the_reorder_point_is_refused() -> None:
    with pytest.raises(InvalidQuantity):
        Item().register(
            "SKU-1",
            "螺丝",
            "pcs",
            occurred_at=T,
            policy=StockPolicy(reorder_point=Decimal(10), max_stock=Decimal(5)),
        )


def test_warehouse_registers_once_and_knows_its_locations() -> None:
    warehouse = Warehouse()
    warehouse.register("WH-SH", "上海仓", occurred_at=T, locations=("A-01", "A-02", "A-01"))
    rebuilt = Warehouse.from_events(warehouse.collect_events())
    assert rebuilt.locations == frozenset({"A-01", "A-02"})
    rebuilt.require_location("A-01")
    with pytest.raises(UnknownLocation):
        rebuilt.require_location("Z-99")
    with pytest.raises(AlreadyExists):
        rebuilt.register("WH-SH", "上海仓", occurred_at=T)


def test_an_item_is_moving_average_unless_registered_otherwise_and_changes_method_once() -> None:
    plain, fifo = Item(), Item()
    assert plain.register("SKU-1", "螺丝", "pcs", occurred_at=T).costing_method == "moving_average"
    registered = fifo.register(
        "SKU-2", "茶叶", "kg", occurred_at=T, costing_method=CostingMethod.FIFO
    )
    assert registered.costing_method is CostingMethod.FIFO
    changed = fifo.change_costing_method(CostingMethod.PERIODIC_AVERAGE, occurred_at=T)
    assert changed is not None
    assert fifo.costing_method is CostingMethod.PERIODIC_AVERAGE
    assert fifo.change_costing_method(CostingMethod.PERIODIC_AVERAGE, occurred_at=T) is None
    replayed = Item.from_events(fifo.collect_events())
    assert replayed.costing_method is CostingMethod.PERIODIC_AVERAGE
