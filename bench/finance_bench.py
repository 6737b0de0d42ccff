"""Finance benchmarks (issue: finance). Ratios against baselines measured in this run.

1. posting: inventory events posted to the ledger one after another, as one consumer does
   (dedupe by source position, `JournalPosted` appended, in its own transaction) ÷ raw asyncpg
   single-row insert transactions, also one after another (goal ≥ 0.3: a posting reads its
   source stream and the periods before it appends);
2. trial balance over a 1,000,000-line ledger: ours ÷ a raw `GROUP BY account` over the same
   table (goal ≤ 1.5×), and as of a date (needs each line's entry; reported, no goal);
3. a 5,000-line bank statement imported and matched against 5,000 payments: wall time
   (goal < 5 s).
"""

import asyncio
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.common import console, median, report
from bench.eventkit_bench import raw_dsn
from erp_contracts.events.inventory import ShipmentDispatched, ValuedLine
from eventkit import CommandContext, EventStore
from eventkit.db import create_engine, folder_migrations, migrate
from eventkit.projections import ProjectionRunner
from eventkit.runtime import service_migrations
from eventkit.testing.databases import create_test_database, drop_test_database, prepare_template
from eventkit.testing.infrastructure import started_infrastructure
from eventkit.uow import in_transaction
from finance import bootstrap
from finance.adapters.projections import BankProjection, LedgerProjection, queries
from finance.application.bank import ImportBankStatement, import_statement
from finance.application.ledger import post_inventory_event
from finance.application.unit_of_work import FinanceUnitOfWork

POSTINGS = 1500
LEDGER_LINES = int(__import__("os").environ.get("BENCH_LEDGER_ROWS", "1000000"))
QUERY_SAMPLES = 7
STATEMENT_LINES = 5000
CONTEXT = CommandContext(actor="bench")


def dispatch(i: int) -> ShipmentDispatched:
    line = ValuedLine(sku="TEA", qty=Decimal(1), unit_cost=Decimal(5), value=Decimal(5))
    return ShipmentDispatched(
        occurred_at=datetime.now(UTC),
        shipment_id=uuid.uuid4(),
        shipment_number=f"SH-{i}",
        order_id=uuid.uuid4(),
        warehouse_id="WH",
        lines=(line,),
    )


async def bench_posting(url: str) -> tuple[float, float]:
    engine = create_engine(url, pool_size=2)
    await migrate(engine, folder_migrations(service_migrations(bootstrap.__file__), "finance"))
    store = EventStore()

    async def post(i: int) -> None:
        event = dispatch(i)

        async def work(conn: AsyncConnection) -> None:
            uow = FinanceUnitOfWork(conn, store, CONTEXT)
            await post_inventory_event(
                uow,
                event,
                event_id=uuid.uuid4(),
                source=f"inventory:shipment-{i}#1",
                occurred_at=event.occurred_at,
            )
            await uow.save()

        await in_transaction(engine, work)

    pool = await asyncpg.create_pool(raw_dsn(url), min_size=1, max_size=1)
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE raw_postings (id bigserial PRIMARY KEY, payload jsonb)")

    async def raw(i: int) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("INSERT INTO raw_postings (payload) VALUES ($1)", f'{{"i": {i}}}')

    async def rate(op: Any, offset: int) -> float:
        began = time.perf_counter()
        for i in range(offset, offset + POSTINGS // 3):
            await op(i)
        return (POSTINGS // 3) / (time.perf_counter() - began)

    await rate(post, 10_000_000)  # warm-up: pool, caches, prepared statements
    await rate(raw, 10_000_000)
    ours, base = [], []
    for round_no in range(3):  # interleaved rounds, medians
        ours.append(await rate(post, round_no * 100_000))
        base.append(await rate(raw, round_no * 100_000))
    await pool.close()
    await engine.dispose()
    return median(ours), median(base)


# Half a million two-line entries over three years, accounts as a small shop's ledger has them.
_FILL_LEDGER = """
WITH entries AS (
    INSERT INTO rm_ledger.journal_entries
        (entry_id, source_event_id, source_type, document, occurred_at, recorded_at)
    SELECT gen_random_uuid(), gen_random_uuid(), 'ShipmentDispatched', 'SH-' || g,
           $2::timestamptz + make_interval(mins => g * 3), now()
    FROM generate_series(1, $1) g
    RETURNING entry_id, document
)
INSERT INTO rm_ledger.journal_lines (entry_id, line_no, account, debit, credit)
SELECT entry_id, n, (ARRAY['1405', '6401', '1122', '6001', '2202.02', '1002'])[
           (hashtext(document) & 7) % 3 * 2 + n],
       CASE WHEN n = 1 THEN 5 ELSE 0 END, CASE WHEN n = 2 THEN 5 ELSE 0 END
FROM entries, generate_series(1, 2) n
"""


async def bench_trial_balance(url: str) -> tuple[float, float, float]:
    engine = create_engine(url, pool_size=2)
    await ProjectionRunner(engine, LedgerProjection()).ensure_schema()
    pool = await asyncpg.create_pool(raw_dsn(url), min_size=1, max_size=1)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    async with pool.acquire() as conn:
        console.print(f"filling rm_ledger with {LEDGER_LINES:,} journal lines …")
        await conn.execute(_FILL_LEDGER, LEDGER_LINES // 2, start)
        await conn.execute("VACUUM ANALYZE rm_ledger.journal_lines")
        await conn.execute("VACUUM ANALYZE rm_ledger.journal_entries")

    async def timed(query: Any) -> float:
        samples = []
        for _ in range(QUERY_SAMPLES):
            began = time.perf_counter()
            await query()
            samples.append((time.perf_counter() - began) * 1000)
        return median(samples)

    async def ours() -> None:
        async with engine.connect() as conn:
            body = await queries.trial_balance(conn)
            assert body["total_debit"] == body["total_credit"]

    async def as_of() -> None:
        async with engine.connect() as conn:
            await queries.trial_balance(conn, start + timedelta(days=365))

    async def raw() -> None:
        async with pool.acquire() as conn:
            await conn.fetch(
                "SELECT account, sum(debit), sum(credit) FROM rm_ledger.journal_lines"
                " GROUP BY account ORDER BY account"
            )

    await ours()
    await raw()
    result = (await timed(ours), await timed(raw), await timed(as_of))
    await pool.close()
    await engine.dispose()
    return result


async def bench_bank_statement(url: str) -> float:
    engine = create_engine(url, pool_size=2)
    await migrate(engine, folder_migrations(service_migrations(bootstrap.__file__), "finance"))
    await ProjectionRunner(engine, BankProjection()).ensure_schema()
    today = datetime.now(UTC).date()
    pool = await asyncpg.create_pool(raw_dsn(url), min_size=1, max_size=1)
    async with pool.acquire() as conn:
        # 5,000 supplier payments as the read model holds them: distinct amounts, numbered.
        await conn.execute(
            "INSERT INTO rm_bank.cash_documents (document_id, kind, number, counterparty_id,"
            " amount, value_date) SELECT gen_random_uuid(), 'payment',"
            " 'PAY-B-' || lpad(g::text, 5, '0'), 'SUP', -(g + 0.25), $2"
            " FROM generate_series(1, $1) g",
            STATEMENT_LINES,
            today,
        )
    await pool.close()
    rows = ["date,amount,reference,counterparty,description,transaction_id"]
    for g in range(1, STATEMENT_LINES + 1):
        # Half name their payment, half only carry the amount (matched by amount and date).
        reference = f"PAY-B-{g:05d}" if g % 2 else ""
        rows.append(f"{today},-{g}.25,{reference},SUP,payment,B{g}")
    command = ImportBankStatement(account_id="main", source="bench.csv", csv_text="\n".join(rows))
    store = EventStore()

    async def work(conn: AsyncConnection) -> dict[str, Any]:
        uow = FinanceUnitOfWork(conn, store, CONTEXT)
        result = await import_statement(uow, command)
        await uow.save()
        return result

    began = time.perf_counter()
    result = await in_transaction(engine, work)
    elapsed = time.perf_counter() - began
    assert len(result["matched"]) == STATEMENT_LINES, len(result["unmatched"])
    await engine.dispose()
    return elapsed


async def main() -> None:
    with started_infrastructure() as infra:
        await prepare_template(infra.database_server_url)
        urls = [await create_test_database(infra.database_server_url) for _ in range(3)]
        try:
            posted, raw_tx = await bench_posting(urls[0])
            tb, tb_raw, tb_as_of = await bench_trial_balance(urls[1])
            statement = await bench_bank_statement(urls[2])
        finally:
            for url in urls:
                await drop_test_database(infra.database_server_url, url)
    report(
        "finance",
        [
            (
                "postings/s, one consumer",
                f"{posted:,.0f} events posted",
                f"{raw_tx:,.0f} raw insert tx",
                f"{posted / raw_tx:.2f} (≥ 0.3)",
            ),
            (
                f"trial balance, {LEDGER_LINES:,} journal lines",
                f"{tb:,.0f} ms (as of a date: {tb_as_of:,.0f} ms)",
                f"{tb_raw:,.0f} ms raw GROUP BY",
                f"{tb / tb_raw:.2f} (≤ 1.5)",
            ),
            (
                f"bank statement, {STATEMENT_LINES:,} lines vs {STATEMENT_LINES:,} payments",
                f"{statement:.2f} s imported and matched",
                "—",
                "< 5 s",
            ),
        ],
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
