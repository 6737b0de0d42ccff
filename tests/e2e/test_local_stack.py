"""The whole local stack as a new user runs it: `erp up` with the five real services."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
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
    for service in (*SERVICES, "console"):
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
    assert "console is healthy" in result.stdout
    for service in (*SERVICES, "console"):
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


def test_erp_up_with_demo_data_serves_stock_and_stops_on_ctrl_c(data_dir: Path) -> None:
    """What `make run` does for a new user: everything up, demo data in, Ctrl-C stops it all."""
    import signal
    import time

    import httpx

    env = {k: v for k, v in os.environ.items() if not k.startswith("ERP_")}
    ports = {service: free_port() for service in (*SERVICES, "console")}
    for service, port in ports.items():
        env[f"ERP_{service.upper()}_HTTP_PORT"] = str(port)
    args = [
        sys.executable,
        "-m",
        "erpctl.main",
        "up",
        "--demo",
        "--data-dir",
        str(data_dir),
        "--pg-port",
        str(free_port()),
        "--kafka-port",
        str(free_port()),
    ]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        token = ""
        deadline = time.monotonic() + 180
        stock: list[dict[str, str]] = []
        while time.monotonic() < deadline and not stock:
            time.sleep(1)
            token_file = data_dir / "admin-token"
            if not token or not token_file.exists():
                token = token_file.read_text().strip() if token_file.exists() else ""
                continue
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{ports['inventory']}/stock",
                    params={"warehouse_id": "WH-BJ", "sku": "TEA-LJ-250"},
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.HTTPError:
                continue
            if response.status_code == 200:
                stock = response.json()
        assert stock, "the demo transfer never showed up in WH-BJ"
        assert stock[0]["on_hand"] in ("40", "40.000000")
        placed_pos: list[dict[str, str]] = []
        while time.monotonic() < deadline and not placed_pos:
            response = httpx.get(
                f"http://127.0.0.1:{ports['purchasing']}/purchase-orders",
                params={"status": "placed"},
                headers={"Authorization": f"Bearer {token}"},
            )
            placed_pos = response.json() if response.status_code == 200 else []
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert "demo data seeded" in output
    # Purchasing replenished the teapots the demo sold, with no human step.
    assert placed_pos, "the teapot sale never became a purchase order"


#: Reports whose rows need the demo's history (all of `GET /reports`, checked by name).
HISTORY_WEEKS_AT_LEAST = 20


def test_the_demo_gives_every_report_rows_and_verify_passes(data_dir: Path) -> None:
    """`erp up` seeds half a year of trade (erpctl.demo_history): every report of the catalogue
    answers rows, the weekly forecast has ≥ 20 weeks of history, the aging has overdue buckets,
    the return is netted, and `erp verify` holds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERP_")}
    ports = {service: free_port() for service in (*SERVICES, "console")}
    for service, port in ports.items():
        env[f"ERP_{service.upper()}_HTTP_PORT"] = str(port)
    pg_port = free_port()
    args = [sys.executable, "-m", "erpctl.main", "up", "--demo", "--data-dir", str(data_dir)]
    args += ["--pg-port", str(pg_port), "--kafka-port", str(free_port())]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    try:
        seeding_took = _wait_for_the_demo(process, output)
        assert seeding_took < DEMO_SECONDS_AT_MOST, "".join(output)
        token = (data_dir / "admin-token").read_text().strip()
        reporting = httpx.Client(
            base_url=f"http://127.0.0.1:{ports['reporting']}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        names = [r["name"] for r in reporting.get("/reports").json()["reports"]]
        assert {"sales", "forecast", "ar_aging", "ap_aging", "transfer_suggestions"} <= set(names)
        deadline = time.monotonic() + 120  # reporting consumes the demo's events a bit later
        while True:
            rows = {name: reporting.get(f"/reports/{name}").json()["rows"] for name in names}
            missing = _what_the_demo_lacks(rows)
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(3)
        assert missing == []
        verify_env = env | {
            "ERP_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{pg_port}/postgres"
        }
        verified = subprocess.run(
            [sys.executable, "-m", "erpctl.main", "verify"],
            env=verify_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "verify passed" in verified.stdout
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=120)
    assert process.returncode == 0, "".join(output) + rest


#: Generous for a loaded 2-core machine; the demo takes about half of it there.
DEMO_SECONDS_AT_MOST = 150


def _wait_for_the_demo(process: subprocess.Popen[str], output: list[str]) -> float:
    """Seconds from the last service answering to "demo data seeded"."""
    assert process.stdout is not None
    healthy_at = time.monotonic()
    for line in process.stdout:
        output.append(line)
        if "service_started" in line or "healthy" in line:
            healthy_at = time.monotonic()
        if "demo data seeded" in line or "demo seeding failed" in line:
            break
    assert "demo data seeded" in "".join(output), "".join(output)
    return time.monotonic() - healthy_at


def _what_the_demo_lacks(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    lacks = [f"{name}: no rows" for name, found in rows.items() if not found]
    if not any(Decimal(r["qty_returned"]) > 0 for r in rows["sales"]):
        lacks.append("sales: no customer return")
    forecast = {(r["sku"], r["warehouse_id"]): r for r in rows["forecast"]}
    tea = forecast.get(("TEA-TGY-100", "WH-SH"), {"weeks_of_history": 0, "backtest_weeks": 0})
    if int(tea["weeks_of_history"]) < HISTORY_WEEKS_AT_LEAST or int(tea["backtest_weeks"]) != 8:
        lacks.append(f"forecast: too short a history for TEA-TGY-100 in WH-SH: {tea}")
    aging = {r["customer_id"]: r for r in rows["ar_aging"]}
    cafe = aging.get("C-CAFE", {})
    if not Decimal(cafe.get("overdue_31_60", 0)) > 0:
        lacks.append(f"ar_aging: the café owes nothing 31-60 days overdue: {cafe}")
    if not any(Decimal(r["overdue_1_30"]) + Decimal(r["not_due"]) > 0 for r in rows["ap_aging"]):
        lacks.append("ap_aging: nothing open")
    if not any(r["to_warehouse"] == "WH-BJ" for r in rows["transfer_suggestions"]):
        lacks.append("transfer_suggestions: Beijing is not topped up")
    return lacks
