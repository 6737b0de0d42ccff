"""LocalPostgres: the embedded PostgreSQL server of the local stack."""

import asyncio
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import pytest

from erpctl.errors import StackError
from erpctl.postgres import LocalPostgres

pytestmark = pytest.mark.integration


def fetch(url: str, sql: str) -> object:
    async def run() -> object:
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetchval(sql)
        finally:
            await connection.close()

    return asyncio.run(run())


def execute(url: str, sql: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


def test_starts_in_an_empty_directory_and_answers_select_1(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    with LocalPostgres(server_dir / "pg", free_port()) as postgres:
        assert postgres.running
        assert fetch(postgres.url, "SELECT 1") == 1
    assert not postgres.running


def test_a_restart_with_the_same_data_dir_keeps_the_data(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with LocalPostgres(server_dir / "pg", port) as postgres:
        execute(postgres.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('库存')")
    with LocalPostgres(server_dir / "pg", port) as postgres:
        assert fetch(postgres.url, "SELECT note FROM kept") == "库存"


def test_a_port_in_use_gives_a_one_line_error_naming_the_port(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(StackError) as error:
            LocalPostgres(server_dir / "pg", port).start()
    assert str(error.value) == (f"port {port} is in use (is another stack running? use --pg-port)")


def test_ensure_databases_creates_only_the_missing_ones(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    with LocalPostgres(server_dir / "pg", free_port()) as postgres:
        assert postgres.ensure_databases(["erp_sales", "erp_finance"]) == [
            "erp_sales",
            "erp_finance",
        ]
        assert postgres.ensure_databases(["erp_sales", "erp_reporting"]) == ["erp_reporting"]
        assert fetch(postgres.database_url("erp_sales"), "SELECT current_database()") == (
            "erp_sales"
        )


def test_a_killed_server_leaves_a_pid_file_that_does_not_prevent_a_restart(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    crashed = LocalPostgres(server_dir / "pg", port)
    crashed.start()
    pid = crashed.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    crashed.stop()  # only reaps the dead process, as init would after a killed `erp up`
    assert (server_dir / "pg" / "postmaster.pid").exists()

    with LocalPostgres(server_dir / "pg", port) as postgres:
        assert fetch(postgres.url, "SELECT 1") == 1


async def test_it_can_be_used_from_async_code_with_a_running_event_loop(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    with LocalPostgres(server_dir / "pg", free_port()) as postgres:
        assert postgres.ensure_databases(["erp_inventory"]) == ["erp_inventory"]
        connection = await asyncpg.connect(postgres.database_url("erp_inventory"))
        assert await connection.fetchval("SELECT 2") == 2
        await connection.close()


def test_a_server_that_cannot_start_is_reported_with_the_tail_of_its_log(
    server_dir: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with LocalPostgres(server_dir / "pg", port):
        pass  # initdb once, then break the configuration
    with (server_dir / "pg" / "postgresql.auto.conf").open("a") as config:
        config.write("shared_buffers = 'plenty'\n")
    with pytest.raises(StackError) as error:
        LocalPostgres(server_dir / "pg", port).start()
    message = str(error.value)
    assert "PostgreSQL exited with code" in message
    assert "shared_buffers" in message
    assert "\n" not in message
