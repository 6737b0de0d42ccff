"""The read-only role for BI tools: `erp_reporting_reader` reads the views of schema
`reporting` — also after a rebuild swapped the read models — and nothing else."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from eventkit.projections.rebuild import rebuild_projection
from reporting.adapters.projections import PROJECTIONS

from . import dataset
from .support import ReportingUnderTest

pytestmark = pytest.mark.integration

VIEWS = (
    "sales_daily",
    "purchases_daily",
    "stock_daily",
    "customers",
    "sales_orders",
    "receivables",
    "customer_receipts",
    "open_items",
    "allocations",
    "cash_daily",
)


async def as_reader(reporting: ReportingUnderTest, sql: str) -> list[tuple[object, ...]]:
    async with reporting.runtime.engine.connect() as conn:
        await conn.execute(text("SET ROLE erp_reporting_reader"))
        try:
            return [tuple(row) for row in (await conn.execute(text(sql))).all()]
        finally:
            await conn.rollback()


async def refused(reporting: ReportingUnderTest, sql: str) -> str:
    with pytest.raises(DBAPIError) as caught:
        await as_reader(reporting, sql)
    return str(caught.value.orig)


async def test_the_reader_selects_the_views_even_after_a_rebuild(
    reporting: ReportingUnderTest,
) -> None:
    await reporting.publish_envelopes(*dataset.november())
    await reporting.copies_kept(len(dataset.november()))
    await reporting.report("sales")  # brings the projections up to the copies
    for view in VIEWS:
        await as_reader(reporting, f"SELECT * FROM reporting.{view}")
    query = "SELECT sum(net) FROM reporting.sales_daily"
    # INV1 450.00 + INV2 530.00 − credit note 120.00
    assert await as_reader(reporting, query) == [(dataset.D("860.00"),)]
    for projection in PROJECTIONS:  # swaps every rm_report_* schema for a rebuilt one
        await rebuild_projection(reporting.runtime.engine, projection)
    assert await as_reader(reporting, query) == [(dataset.D("860.00"),)]
    assert await as_reader(reporting, "SELECT count(*) FROM reporting.receivables") == [(3,)]


async def test_the_reader_cannot_read_the_store_or_the_tables_nor_write(
    reporting: ReportingUnderTest,
) -> None:
    assert "permission denied" in await refused(reporting, "SELECT * FROM events")
    assert "permission denied" in await refused(
        reporting, "SELECT * FROM rm_report_sales.sales_daily"
    )
    # the views cannot be written (and the reader holds SELECT only)
    assert "cannot insert into view" in await refused(
        reporting, "INSERT INTO reporting.cash_daily (day) VALUES (current_date)"
    )
    assert "permission denied" in await refused(
        reporting, "SELECT reporting.cash_daily_rows() FROM rm_report_cash.cash_daily"
    )
    assert "permission denied" in await refused(reporting, "CREATE VIEW reporting.mine AS SELECT 1")
