"""The `erp` command itself: help, version and `erp up --check` against fake services."""

import importlib
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from erp_contracts.topics import SERVICES
from erpctl.broker import LocalBroker
from erpctl.main import app
from erpctl.postgres import LocalPostgres
from erpctl.sync import run_coroutine
from erpctl.topics import ensure_topics

runner = CliRunner()


@pytest.fixture
def only_fake_services(
    fake_service_packages: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., None]]:
    """Make `python -m <service>` run a fake service, in this process and in children.

    Afterwards no fake module stays imported: `find_spec("<service>.__main__")` imports the
    fake package, and a later test importing the real service would otherwise get the fake."""
    faked: list[str] = []

    def install(name: str, *, port: int, exit_code: int | None = None) -> None:
        faked.append(name)
        root = fake_service_packages(name, exit_code=exit_code)
        monkeypatch.syspath_prepend(str(root))
        monkeypatch.setenv("PYTHONPATH", str(root))
        monkeypatch.setenv(f"ERP_{name.upper()}_HTTP_PORT", str(port))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            monkeypatch.delitem(sys.modules, module)
        importlib.invalidate_caches()

    for variable in (
        "ERP_DATABASE_URL",
        "ERP_KAFKA_BOOTSTRAP_SERVERS",
        "ERP_ADMIN_TOKEN",
        "ERP_USER_TOKEN_PUBLIC_KEY",
    ):
        monkeypatch.delenv(variable, raising=False)
    before = set(sys.modules)
    yield install
    for module in set(sys.modules) - before:
        if any(module == name or module.startswith(f"{name}.") for name in faked):
            del sys.modules[module]


def stack_arguments(server_dir: Path, free_port: Callable[[], int]) -> list[str]:
    return [
        *("--data-dir", str(server_dir / "erp")),
        *("--pg-port", str(free_port()), "--kafka-port", str(free_port())),
    ]


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "up" in result.output
    assert "version" in result.output


def running_children() -> set[int]:
    return {child.pid for child in psutil.Process().children() if child.is_running()}


def test_up_help_documents_the_options() -> None:
    result = runner.invoke(app, ["up", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--data-dir", "--pg-port", "--kafka-port", "--demo", "--check", "--service"):
        assert option in result.output


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.startswith("erpctl ")


@pytest.mark.integration
def test_up_check_starts_everything_verifies_health_and_leaves_no_process_behind(
    server_dir: Path, free_port: Callable[[], int], only_fake_services: Callable[..., None]
) -> None:
    only_fake_services("purchasing", port=free_port())
    before = running_children()
    result = runner.invoke(
        app, ["up", "--check", "--service", "purchasing", *stack_arguments(server_dir, free_port)]
    )
    assert result.exit_code == 0, result.output
    assert "stack check passed: 1 service(s) healthy" in result.output
    assert (server_dir / "erp" / "postgres" / "PG_VERSION").exists()
    assert (server_dir / "erp" / "admin-token").exists()
    assert "started" in (server_dir / "erp" / "logs" / "purchasing.log").read_text()
    # The service was given the public half of the stack's user-token key pair.
    public_key = server_dir / "erp" / "user-token-signing.pub.pem"
    assert (server_dir / "erp" / "user-token-signing.pem").exists()
    assert f'"key": "{public_key}"' in (server_dir / "erp" / "logs" / "purchasing.log").read_text()
    # Only what was running before (e.g. the test session's own database) is still running.
    assert running_children() <= before


@pytest.mark.integration
def test_up_check_fails_naming_a_service_that_crashes_while_starting(
    server_dir: Path, free_port: Callable[[], int], only_fake_services: Callable[..., None]
) -> None:
    only_fake_services("finance", port=free_port(), exit_code=3)
    before = running_children()
    result = runner.invoke(
        app, ["up", "--check", "--service", "finance", *stack_arguments(server_dir, free_port)]
    )
    assert result.exit_code == 1
    assert "service finance exited with code 3 before it was healthy" in result.output
    assert "cannot connect to the database: boom" in result.output
    # Only what was running before (e.g. the test session's own database) is still running.
    assert running_children() <= before


def test_up_refuses_an_unknown_service_name(server_dir: Path) -> None:
    result = runner.invoke(
        app, ["up", "--check", "--service", "payroll", "--data-dir", str(server_dir)]
    )
    assert result.exit_code == 1
    assert "unknown service payroll" in result.output


@pytest.mark.integration
def test_up_uses_the_servers_given_by_the_environment_and_creates_what_is_missing_there(
    server_dir: Path,
    free_port: Callable[[], int],
    only_fake_services: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_fake_services("sales", port=free_port())
    with (
        LocalPostgres(server_dir / "external-pg", free_port()) as postgres,
        LocalBroker(free_port()) as broker,
    ):
        monkeypatch.setenv("ERP_DATABASE_URL", postgres.url)
        monkeypatch.setenv("ERP_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap_servers)
        result = runner.invoke(
            app, ["up", "--check", "--service", "sales", *stack_arguments(server_dir, free_port)]
        )
        assert result.exit_code == 0, result.output
        assert postgres.ensure_databases([f"erp_{name}" for name in SERVICES]) == []
        assert run_coroutine(ensure_topics(broker.bootstrap_servers)) == []
    assert not (server_dir / "erp" / "postgres").exists()
    assert "starting the Kafka broker" not in result.output


@pytest.mark.integration
def test_up_seeds_the_demo_with_the_service_urls_and_the_admin_token_when_asked(
    server_dir: Path,
    free_port: Callable[[], int],
    only_fake_services: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = free_port()
    only_fake_services("inventory", port=port)
    seeded: dict[str, object] = {}

    async def seed(urls: dict[str, str], token: str) -> None:
        seeded.update(urls=urls, token=token)

    demo = types.ModuleType("erpctl.demo")
    demo.seed = seed  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "erpctl.demo", demo)
    monkeypatch.setenv("ERP_ADMIN_TOKEN", "token-for-demo")
    arguments = ["up", "--check", "--demo", "--service", "inventory"]
    result = runner.invoke(app, [*arguments, *stack_arguments(server_dir, free_port)])
    assert result.exit_code == 0, result.output
    assert seeded == {
        "urls": {"inventory": f"http://127.0.0.1:{port}"},
        "token": "token-for-demo",
    }


@pytest.mark.integration
def test_up_demo_without_a_demo_module_fails_clearly(
    server_dir: Path,
    free_port: Callable[[], int],
    only_fake_services: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_fake_services("inventory", port=free_port())
    monkeypatch.setitem(sys.modules, "erpctl.demo", None)  # as if it were not installed
    arguments = ["up", "--check", "--demo", "--service", "inventory"]
    result = runner.invoke(app, [*arguments, *stack_arguments(server_dir, free_port)])
    assert result.exit_code == 1
    assert "--demo: the demo seeding module erpctl.demo is not installed" in result.output
