"""`erp verify reporting`: the projections against a replay of reporting's store, then
reporting's figures against the other services' own databases — net revenue against finance's
6001 month by month, stock value at today against inventory's valuation."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events import finance as f
from erp_contracts.events import inventory as i
from erpctl.main import app
from erpctl.sync import run_coroutine
from eventkit import EventStore
from eventkit.db import create_engine, folder_migrations, migrate
from eventkit.projections import ProjectionRunner
from eventkit.runtime import service_migrations
from eventkit.testing.databases import create_test_database, drop_test_database
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import envelope_of
from reporting import bootstrap
from reporting.adapters.source_events import keep_source_event

runner = CliRunner()
RECEIVED = datetime(2026, 11, 2, 10, tzinfo=UTC)
INVOICED = datetime(2026, 11, 3, 10, tzinfo=UTC)


def _copies() -> list[EventEnvelope]:
    receipt, invoice = uuid4(), uuid4()
    received = i.GoodsReceived(
        occurred_at=RECEIVED,
        receipt_id=receipt,
        receipt_number="GR-1",
        po_id=uuid4(),
        warehouse_id="W1",
        lines=(
            i.ReceivedLine(
                sku="TEA",
                qty_accepted=Decimal(100),
                qty_rejected=Decimal(0),
                unit_cost=Decimal(10),
                value=Decimal("1000.00"),
            ),
        ),
    )
    issued = f.CustomerInvoiceIssued(
        invoice_id=invoice,
        invoice_number="AR-1",
        customer_id="C1",
        order_id=uuid4(),
        shipment_id=uuid4(),
        invoice_date=date(2026, 11, 3),
        due_date=date(2026, 12, 3),
        lines=(
            f.InvoiceLine(
                sku="TEA", qty=Decimal(18), unit_price=Decimal(25), tax_rate=Decimal("0.13")
            ),
        ),
        net_total=Decimal("450.00"),
        tax_total=Decimal("58.50"),
        total=Decimal("508.50"),
    )
    return [
        envelope_of("inventory", f"receipt-{receipt}", received).model_copy(
            update={"occurred_at": RECEIVED}
        ),
        envelope_of("finance", f"invoice-{invoice}", issued).model_copy(
            update={"occurred_at": INVOICED}
        ),
    ]


@pytest.fixture
async def reporting_database(infra: Infrastructure, template_ready: bool) -> AsyncIterator[str]:
    """Reporting's database holding copies of a receipt (TEA 100 @ 10.00 into W1, 11-02) and a
    customer invoice (net 450.00, 11-03), its read models caught up."""
    url = await create_test_database(infra.database_server_url)
    engine = create_engine(url, pool_size=2)
    store = EventStore()
    try:
        folder = service_migrations(bootstrap.__file__)
        await migrate(engine, folder_migrations(folder, "reporting"))
        async with engine.begin() as conn:
            for envelope in _copies():
                await keep_source_event(conn, store, envelope)
        for projection in bootstrap.blueprint().projections:
            runner_ = ProjectionRunner(engine, projection)
            await runner_.ensure_schema()
            await runner_.catch_up()
    finally:
        await engine.dispose()
    yield url
    await drop_test_database(infra.database_server_url, url)


async def execute(url: str, *statements: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            for sql in statements:
                await conn.execute(text(sql))
    finally:
        await engine.dispose()


def revenue_posted(amount: str, on: datetime = INVOICED) -> list[str]:
    entry = UUID(int=uuid4().int)
    return [
        "INSERT INTO rm_ledger.journal_entries (entry_id, source_event_id, source_type, document,"
        f" occurred_at, recorded_at) VALUES ('{entry}', gen_random_uuid(), 'CustomerInvoiceIssued',"
        f" 'AR-1', '{on.isoformat()}', now())",
        "INSERT INTO rm_ledger.journal_lines (entry_id, line_no, account, debit, credit)"
        f" VALUES ('{entry}', 1, '1122', {amount}, 0), ('{entry}', 2, '6001', 0, {amount})",
    ]


def stock_valued(value: str) -> str:
    return (
        "INSERT INTO rm_stock.levels (sku, warehouse_id, on_hand, reserved, in_transit,"
        " in_transit_value, unit_cost, value, updated_at)"
        f" VALUES ('TEA', 'W1', 100, 0, 0, 0, 10, {value}, now())"
    )


def env(reporting: str, finance: str, inventory: str) -> dict[str, str]:
    return {
        "ERP_REPORTING_DATABASE_URL": reporting,
        "ERP_FINANCE_DATABASE_URL": finance,
        "ERP_INVENTORY_DATABASE_URL": inventory,
        "COLUMNS": "250",
    }


def test_verify_reporting_holds_when_revenue_and_stock_value_agree(
    reporting_database: str, finance_database: str, inventory_database: str
) -> None:
    run_coroutine(execute(finance_database, *revenue_posted("450.00")))
    run_coroutine(execute(inventory_database, stock_valued("1000.00")))

    databases = env(reporting_database, finance_database, inventory_database)
    result = runner.invoke(app, ["verify", "reporting"], env=databases)

    assert result.exit_code == 0, result.output
    assert "sales revenue = finance 6001" in result.output
    assert "reporting 450.00, finance 6001 450.00 (1 month(s))" in result.output
    assert "stock value at today = inventory valuation" in result.output
    assert "reporting 1000.00, inventory 1000.00" in result.output
    assert "verify passed" in result.output


def test_verify_reporting_names_the_month_and_the_stock_value_that_differ(
    reporting_database: str, finance_database: str, inventory_database: str
) -> None:
    # finance booked 400.00 in November and 50.00 in October; inventory values TEA at 990.00
    october = datetime.combine(date(2026, 10, 31), time(23), tzinfo=UTC)
    run_coroutine(
        execute(finance_database, *revenue_posted("400.00"), *revenue_posted("50.00", october))
    )
    run_coroutine(execute(inventory_database, stock_valued("990.00")))

    databases = env(reporting_database, finance_database, inventory_database)
    result = runner.invoke(app, ["verify", "reporting"], env=databases)

    assert result.exit_code == 1
    assert "2026-10: reporting 0.00, finance 6001 50.00" in result.output
    assert "2026-11: reporting 450.00, finance 6001 400.00" in result.output
    assert "reporting 1000.00, inventory 990.00" in result.output
    assert "verify failed" in result.output
