"""`erp replay`, `erp verify` and `erp audit stock` on an inventory database with real history,
written through the inventory application layer (the same handlers the HTTP API runs)."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from typer.testing import CliRunner

from erp_contracts.events.finance import PeriodClosed
from erp_contracts.events.sales import SalesOrderLine, SalesOrderPlaced
from erpctl.main import app
from erpctl.sync import run_coroutine
from eventkit import CommandContext, EventStore
from eventkit.db import create_engine
from eventkit.projections import ProjectionRunner
from eventkit.uow import in_transaction
from inventory import bootstrap
from inventory.application import commands as c
from inventory.application.adjustments import adjust_stock
from inventory.application.master_data import register_item, register_warehouse
from inventory.application.periods import on_period_closed
from inventory.application.reservations import on_sales_order_placed
from inventory.application.shipping import dispatch_shipment
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.item import StockPolicy
from inventory.domain.vocabulary import AdjustmentReason, CostingMethod, NegativeStockPolicy

runner = CliRunner()
CONTEXT = CommandContext(actor="clerk-zhao")
Handler = Callable[[InventoryUnitOfWork, Any], Awaitable[Any]]


def env(database_url: str) -> dict[str, str]:
    return {"ERP_INVENTORY_DATABASE_URL": database_url, "COLUMNS": "250"}


def on(day: int) -> datetime:
    return datetime(2025, 1, day, 9, 0, tzinfo=UTC)


async def history(url: str, steps: list[tuple[Handler, Any]]) -> None:
    """Run the commands in order, then bring every read model up to date."""
    engine = create_engine(url, pool_size=2)
    store = EventStore()
    try:
        for handler, command in steps:

            async def work(
                conn: AsyncConnection, handler: Handler = handler, cmd: Any = command
            ) -> Any:
                uow = InventoryUnitOfWork(conn, store, CONTEXT)
                result = await handler(uow, cmd)
                await uow.save()
                return result

            await in_transaction(engine, work)
        for projection in bootstrap.blueprint().projections:
            await ProjectionRunner(engine, projection).catch_up()
    finally:
        await engine.dispose()


async def execute(url: str, sql: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def item(sku: str, policy: NegativeStockPolicy = NegativeStockPolicy.FORBID) -> tuple[Handler, Any]:
    command = c.RegisterItem(
        sku=sku, name=sku, uom="pcs", policy=StockPolicy(negative_stock=policy)
    )
    return register_item, command


def adjustment(
    sku: str, qty: str, reason: AdjustmentReason, when: datetime, cost: str | None = None
) -> tuple[Handler, Any]:
    command = c.AdjustStock(
        sku=sku,
        warehouse_id="WH",
        qty_delta=Decimal(qty),
        reason=reason,
        occurred_at=when,
        unit_cost=Decimal(cost) if cost is not None else None,
    )
    return adjust_stock, command


def order(sku: str, qty: str) -> tuple[Handler, Any]:
    line = SalesOrderLine(sku=sku, qty=Decimal(qty), unit_price=Decimal(9))
    placed = SalesOrderPlaced(
        order_id=uuid.uuid4(),
        order_number="SO-1",
        customer_id="C",
        warehouse_id="WH",
        lines=(line,),
    )
    return on_sales_order_placed, placed


def tea_history() -> list[tuple[Handler, Any]]:
    """Opening 10 @ 4.00 on Jan 10, 3 damaged on Jan 20, then 5 found @ 10.00 BACKDATED to
    Jan 15 (re-costs the damage: a StockRevalued), and an order reserving 2."""
    return [
        (register_warehouse, c.RegisterWarehouse(warehouse_id="WH", name="Shanghai")),
        item("TEA"),
        adjustment("TEA", "10", AdjustmentReason.OPENING_BALANCE, on(10), "4.00"),
        adjustment("TEA", "-3", AdjustmentReason.DAMAGE, on(20)),
        adjustment("TEA", "5", AdjustmentReason.FOUND, on(15), "10.00"),
        order("TEA", "2"),
    ]


def test_audit_stock_prints_the_trail_from_the_event_store_and_matches_the_read_model(
    inventory_database: str,
) -> None:
    run_coroutine(history(inventory_database, tea_history()))

    result = runner.invoke(
        app, ["audit", "stock", "--sku", "TEA", "--warehouse", "WH"], env=env(inventory_database)
    )

    assert result.exit_code == 0, result.output
    assert "stock-TEA@WH" in result.output
    assert "opening_balance" in result.output
    assert "damage" in result.output
    assert "StockRevalued" in result.output
    assert "clerk-zhao" in result.output
    assert "2025-01-15T09:00:00.000Z" in result.output
    assert "1 held (2)" in result.output
    assert "MATCH" in result.output
    assert "MISMATCH" not in result.output


def test_audit_stock_reports_the_difference_when_the_read_model_disagrees(
    inventory_database: str,
) -> None:
    run_coroutine(history(inventory_database, tea_history()))
    run_coroutine(execute(inventory_database, "UPDATE rm_stock.levels SET value = value + 1"))

    result = runner.invoke(
        app, ["audit", "stock", "--sku", "TEA", "--warehouse", "WH"], env=env(inventory_database)
    )

    assert result.exit_code == 1
    assert "MISMATCH" in result.output
    assert "value: events" in result.output


def test_audit_stock_as_of_a_business_date_sums_only_what_happened_by_then_and_matches_the_ledger(
    inventory_database: str,
) -> None:
    run_coroutine(history(inventory_database, tea_history()))

    result = runner.invoke(
        app,
        ["audit", "stock", "--sku", "TEA", "--warehouse", "WH", "--as-of", "2025-01-16"],
        env=env(inventory_database),
    )

    assert result.exit_code == 0, result.output
    assert "damage" not in result.output
    assert "MATCH" in result.output
    # 10 opening + 5 found by Jan 16: 15 on hand, 40.00 + 50.00.
    assert " 15 " in result.output
    assert " 90 " in result.output


def test_audit_stock_of_an_unknown_stock_item_exits_1(inventory_database: str) -> None:
    result = runner.invoke(
        app, ["audit", "stock", "--sku", "NOPE", "--warehouse", "WH"], env=env(inventory_database)
    )

    assert result.exit_code == 1
    assert "no stock stream stock-NOPE@WH" in result.output


def test_verify_passes_when_every_read_model_equals_its_replay(inventory_database: str) -> None:
    run_coroutine(history(inventory_database, tea_history()))

    result = runner.invoke(app, ["verify", "inventory"], env=env(inventory_database))

    assert result.exit_code == 0, result.output
    assert result.output.count("equal (") == len(bootstrap.blueprint().projections)
    assert "verify passed" in result.output


def test_verify_fails_with_exit_1_after_a_read_model_row_was_corrupted(
    inventory_database: str,
) -> None:
    run_coroutine(history(inventory_database, tea_history()))
    run_coroutine(execute(inventory_database, "UPDATE rm_stock.levels SET reserved = 0"))

    result = runner.invoke(app, ["verify", "inventory"], env=env(inventory_database))

    assert result.exit_code == 1
    assert "inventory.stock_levels" in result.output
    assert "levels: live" in result.output
    assert "verify failed" in result.output


def test_verify_accepts_negative_stock_only_where_the_item_allows_it(
    inventory_database: str,
) -> None:
    steps = [
        (register_warehouse, c.RegisterWarehouse(warehouse_id="WH", name="Shanghai")),
        item("LOOSE", NegativeStockPolicy.ALLOW),
        adjustment("LOOSE", "-2", AdjustmentReason.OTHER, on(10)),
    ]
    run_coroutine(history(inventory_database, steps))

    result = runner.invoke(app, ["verify", "inventory"], env=env(inventory_database))

    assert result.exit_code == 0, result.output
    assert "1 negative row(s), all allowed by policy" in result.output


def test_verify_reports_stock_below_zero_where_the_item_forbids_it(inventory_database: str) -> None:
    run_coroutine(history(inventory_database, tea_history()))
    run_coroutine(execute(inventory_database, "UPDATE rm_stock.levels SET on_hand = -1"))

    result = runner.invoke(app, ["verify", "inventory"], env=env(inventory_database))

    assert result.exit_code == 1
    assert "TEA@WH on hand -1" in result.output
    assert "negative stock: forbid" in result.output


def test_verify_checks_the_trial_balance_and_1405_against_inventory(
    inventory_database: str, finance_database: str
) -> None:
    run_coroutine(history(inventory_database, tea_history()))
    both = {**env(inventory_database), "ERP_FINANCE_DATABASE_URL": finance_database}

    # Finance has posted nothing while inventory holds stock: 1405 does not match.
    result = runner.invoke(app, ["verify", "finance"], env=both)
    assert result.exit_code == 1, result.output
    assert "trial balance = 0" in result.output
    assert "1405 = inventory valuation" in result.output

    # An unbalanced journal line breaks the trial balance too.
    run_coroutine(execute(finance_database, _UNBALANCED_LINE))
    result = runner.invoke(app, ["verify", "finance"], env=both)
    assert result.exit_code == 1
    assert "debit 5.00 / credit 0" in result.output


_UNBALANCED_LINE = (
    "INSERT INTO rm_ledger.journal_lines (entry_id, line_no, account, debit, credit)"
    " VALUES (gen_random_uuid(), 1, '1002', 5, 0)"
)


def test_replay_rebuilds_the_projections_and_repairs_a_corrupted_read_model(
    inventory_database: str,
) -> None:
    run_coroutine(history(inventory_database, tea_history()))
    run_coroutine(execute(inventory_database, "UPDATE rm_stock.levels SET on_hand = 999"))

    replayed = runner.invoke(
        app, ["replay", "inventory", "--projection", "stock_levels"], env=env(inventory_database)
    )
    verified = runner.invoke(app, ["verify", "inventory"], env=env(inventory_database))

    assert replayed.exit_code == 0, replayed.output
    assert "inventory.stock_levels" in replayed.output
    assert "events/s" in replayed.output
    assert "inventory.stock_ledger" not in replayed.output
    assert verified.exit_code == 0, verified.output


def test_replay_refuses_an_unknown_projection_name() -> None:
    result = runner.invoke(app, ["replay", "inventory", "--projection", "nope"])

    assert result.exit_code == 2
    assert "inventory.stock_levels" in result.output


def test_audit_stock_counts_a_month_end_cost_adjustment_and_matches_the_read_model(
    inventory_database: str,
) -> None:
    # 月末一次加权平均: opening 10 @ 4.00, 4 shipped at the provisional 4.00 = 16.00, 10 found
    # @ 6.00; January closes: (40 + 60) ÷ 20 = 5.00, the shipment restated to 20.00 and the
    # stock to 100 − 20 = 80.00 (16 @ 5).
    placed = order("AVG", "4")[1]
    shipment = c.DispatchShipment(order_id=placed.order_id, lines=None, occurred_at=on(12))
    closed = PeriodClosed(occurred_at=on(31), period="2025-01")
    periodic = c.RegisterItem(
        sku="AVG", name="AVG", uom="pcs", costing_method=CostingMethod.PERIODIC_AVERAGE
    )
    steps: list[tuple[Handler, Any]] = [
        (register_warehouse, c.RegisterWarehouse(warehouse_id="WH", name="Shanghai")),
        (register_item, periodic),
        adjustment("AVG", "10", AdjustmentReason.OPENING_BALANCE, on(10), "4.00"),
        (on_sales_order_placed, placed),
        (dispatch_shipment, shipment),
        adjustment("AVG", "10", AdjustmentReason.FOUND, on(20), "6.00"),
        (on_period_closed, closed),
    ]
    run_coroutine(history(inventory_database, steps))

    result = runner.invoke(
        app, ["audit", "stock", "--sku", "AVG", "--warehouse", "WH"], env=env(inventory_database)
    )

    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "StockCostAdjusted" in line)
    cells = [cell.strip() for cell in row.split("│")]
    # value −4 (the issue 4.00 dearer), value after 80.
    assert cells[5:13] == [
        "StockCostAdjusted",
        "re-costs SH-20250112-0001",
        "",
        "",
        "",
        "-4",
        "",
        "80",
    ]
    assert "MATCH" in result.output
    assert "MISMATCH" not in result.output
