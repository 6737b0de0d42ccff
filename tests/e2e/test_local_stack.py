"""The whole local stack as a new user runs it: `erp up` with the five real services."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from erp_contracts.topics import SERVICES
from eventkit.testing.infrastructure import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: the embedded PostgreSQL runs as another user and pytest makes its
    # temp root private.
    path = Path(tempfile.mkdtemp(prefix="erp-e2e-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def erp_up_check(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERP_")}
    for service in SERVICES:
        env[f"ERP_{service.upper()}_HTTP_PORT"] = str(free_port())
    args = [
        sys.executable,
        "-m",
        "erpctl.main",
        "up",
        "--check",
        "--no-demo",
        "--data-dir",
        str(data_dir),
        "--pg-port",
        str(free_port()),
        "--kafka-port",
        str(free_port()),
    ]
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    result = subprocess.run(  # noqa: S603 - our own interpreter and CLI
        args, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    after = {p.pid for p in psutil.Process().children(recursive=True) if p.is_running()}
    assert after <= before, "erp up left processes behind"
    return result


def test_erp_up_starts_every_service_healthy_and_stops_cleanly(data_dir: Path) -> None:
    result = erp_up_check(data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stack check passed: 5 service(s) healthy" in result.stdout
    for service in SERVICES:
        log = (data_dir / "logs" / f"{service}.log").read_text()
        assert "service_started" in log
        assert "relay_leader" in log


def test_a_restart_with_the_same_data_dir_keeps_the_databases(data_dir: Path) -> None:
    assert erp_up_check(data_dir).returncode == 0
    token = (data_dir / "admin-token").read_text()
    first_logs = {s: (data_dir / "logs" / f"{s}.log").read_text() for s in SERVICES}
    assert all("migrations_applied" in log for log in first_logs.values())
    second = erp_up_check(data_dir)
    assert second.returncode == 0, second.stdout
    for service in SERVICES:
        log = (data_dir / "logs" / f"{service}.log").read_text()
        assert log.startswith(first_logs[service])  # logs are appended across runs
        second_run = log[len(first_logs[service]) :]
        assert "service_started" in second_run
        # The second start found its schema in place: nothing was migrated again.
        assert "migrations_applied" not in second_run
    assert (data_dir / "admin-token").read_text() == token
