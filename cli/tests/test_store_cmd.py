"""`erp store check` and `erp store rebase` on a database restored into a younger cluster (the
restore is simulated by moving every stored transaction id 10 million into the future)."""

from collections.abc import Callable

from sqlalchemy import text
from typer.testing import CliRunner

from erpctl.main import app
from erpctl.sync import run_coroutine
from eventkit import EventStore, NewEvent
from eventkit.db import create_engine
from eventkit.tailing import Checkpoint, read_committed, save_checkpoint

runner = CliRunner()


def env(database_url: str) -> dict[str, str]:
    return {"ERP_INVENTORY_DATABASE_URL": database_url, "COLUMNS": "250"}


async def restored_history(url: str) -> None:
    engine = create_engine(url, pool_size=2)
    try:
        for stream in ("item-A", "item-B", "item-C"):
            async with engine.begin() as conn:
                await EventStore().append(conn, [NewEvent(stream, "Counted", {"n": 1})], {})
        async with engine.begin() as conn:
            (first, *_) = await read_committed(conn, Checkpoint(), 10)
            await save_checkpoint(conn, "relay", Checkpoint.after(first), 1)
        async with engine.begin() as conn:
            shifted = "(tx_id::text::bigint + 10000000)::text::xid8"
            await conn.execute(text(f"UPDATE events SET tx_id = {shifted}"))
            await conn.execute(
                text(f"UPDATE tailing_checkpoints SET tx_id = {shifted} WHERE tx_id <> '0'")
            )
    finally:
        await engine.dispose()


def test_store_check_and_rebase_repair_a_restored_database(database_url: str) -> None:
    run_coroutine(restored_history(database_url))

    checked = runner.invoke(app, ["store", "check", "inventory"], env=env(database_url))
    assert checked.exit_code == 1, checked.output
    assert "erp store rebase" in checked.output

    rebased = runner.invoke(app, ["store", "rebase", "inventory"], env=env(database_url))
    assert rebased.exit_code == 0, rebased.output
    assert "rebased 3 events of 3 transactions" in rebased.output
    assert "1 reader checkpoint(s)" in rebased.output
    assert len(rebased.output.strip().splitlines()) == 1

    checked = runner.invoke(app, ["store", "check", "inventory"], env=env(database_url))
    assert checked.exit_code == 0, checked.output
    assert "nothing to rebase" in checked.output

    again = runner.invoke(app, ["store", "rebase", "inventory"], env=env(database_url))
    assert again.exit_code == 0, again.output
    assert "nothing to rebase" in again.output


def test_store_rebase_names_a_database_it_cannot_reach(free_port: Callable[[], int]) -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"
    result = runner.invoke(app, ["store", "rebase", "inventory"], env=env(url))
    assert result.exit_code == 1
    assert "error:" in result.output
    assert "inventory database" in result.output
