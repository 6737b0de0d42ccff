"""Tables of the 库存流水 read model (schema ``rm_ledger``).

``movements`` holds one row per stock movement (``line`` 0) and one row per movement a
``StockRevalued`` re-costed (``line`` 1…n, in the order of its adjustments). Rows are ordered
on two axes:

- business time: ``(occurred_at, global_position, line)``; ``qty_before/after`` and
  ``value_before/after`` are the running balances in this order and are kept current when a
  backdated movement or a revaluation lands before later rows;
- record time: ``(recorded_at, global_position, line)``; ``known_qty``/``known_value`` are the
  stock's totals as known right after the row was recorded, written once, never changed.

``qty`` and ``value`` are signed (out is negative) and never change: a re-costing is a row of
its own (``event_type = 'StockRevalued'``, qty 0, value = the change of the stock's value,
``occurred_at`` = the re-costed movement's), so summing either column along either axis gives
the balance at that point.

``stocks`` keeps, per stock, the record-order totals and the latest business time seen, so a
batch knows where each stream stands without scanning its history.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    SmallInteger,
    Table,
    Text,
    Uuid,
)

from inventory.adapters.projections.stock_events import COST, MONEY, QTY

SCHEMA = "rm_ledger"
metadata = MetaData()

movements = Table(
    "movements",
    metadata,
    Column("global_position", BigInteger, primary_key=True),
    Column("line", SmallInteger, primary_key=True),
    Column("movement_id", Uuid, nullable=False),
    Column("sku", Text, nullable=False),
    Column("warehouse_id", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("document_type", Text, nullable=False),
    Column("direction", Text, nullable=False),
    Column("qty", QTY, nullable=False),
    Column("unit_cost", COST, nullable=False),
    Column("value", MONEY, nullable=False),
    Column("qty_before", QTY, nullable=False),
    Column("qty_after", QTY, nullable=False),
    Column("value_before", MONEY, nullable=False),
    Column("value_after", MONEY, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", Text),
    Column("lot", Text),
    Column("location", Text),
    Column("reason", Text),
    Column("known_qty", QTY, nullable=False),
    Column("known_value", MONEY, nullable=False),
    Index(
        "movements_business_time", "sku", "warehouse_id", "occurred_at", "global_position", "line"
    ),
    Index("movements_record_time", "sku", "warehouse_id", "recorded_at", "global_position", "line"),
    Index("movements_all_business_time", "occurred_at", "global_position", "line"),
    Index("movements_by_movement_id", "movement_id"),
    schema=SCHEMA,
)

stocks = Table(
    "stocks",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("known_qty", QTY, nullable=False),
    Column("known_value", MONEY, nullable=False),
    Column("latest_occurred_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
