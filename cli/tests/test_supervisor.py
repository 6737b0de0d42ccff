"""The supervisor: service processes, their logs, their health and their shutdown."""

import json
import signal
import socket
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from erpctl.errors import StackError
from erpctl.supervisor import (
    ServiceSpec,
    Supervisor,
    installed_services,
    service_specs,
    summarize_log_line,
)

HEALTHY_SERVER = textwrap.dedent(
    """
    import http.server, json, sys
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()
        def log_message(self, *args):
            pass
    print(json.dumps({"level": "info", "event": "listening"}), flush=True)
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
    """
)


PUBLIC_KEY_FILE = Path("/data/user-token-signing.pub.pem")


def python(code: str, *args: object) -> list[str]:
    return [sys.executable, "-c", code, *(str(arg) for arg in args)]


def test_a_json_log_line_is_shortened_to_level_event_and_fields() -> None:
    line = json.dumps(
        {"timestamp": "2026-11-24T08:00:00Z", "level": "info", "event": "po placed", "po": "P1"}
    )
    assert summarize_log_line(line) == "INFO po placed po=P1"


def test_a_plain_log_line_is_shown_unchanged() -> None:
    assert summarize_log_line("Traceback (most recent call last):") == (
        "Traceback (most recent call last):"
    )


def test_service_specs_pass_the_stack_settings_in_the_environment() -> None:
    [spec] = service_specs(
        ["inventory"],
        database_url="postgresql://postgres@127.0.0.1:1/postgres",
        bootstrap_servers="127.0.0.1:2",
        admin_token="token-for-test",  # noqa: S106 - not a real secret
        user_token_public_key_file=PUBLIC_KEY_FILE,
        ports={"inventory": 18102},
    )
    assert spec.command[1:] == ["-m", "inventory"]
    assert spec.env["ERP_DATABASE_URL"] == "postgresql://postgres@127.0.0.1:1/postgres"
    assert spec.env["ERP_KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:2"
    assert spec.env["ERP_ADMIN_TOKEN"] == "token-for-test"  # noqa: S105
    assert spec.env["ERP_USER_TOKEN_PUBLIC_KEY_FILE"] == str(PUBLIC_KEY_FILE)
    assert spec.env["ERP_INVENTORY_HTTP_PORT"] == "18102"
    assert spec.health_url == "http://127.0.0.1:18102/health"


def test_service_specs_drop_a_public_key_inherited_as_text_for_the_stacks_key_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ERP_USER_TOKEN_PUBLIC_KEY", "-----BEGIN PUBLIC KEY----- someone else's")
    [spec] = service_specs(
        ["sales"],
        database_url="postgresql://postgres@127.0.0.1:1/postgres",
        bootstrap_servers="127.0.0.1:2",
        admin_token="token-for-test",  # noqa: S106 - not a real secret
        user_token_public_key_file=PUBLIC_KEY_FILE,
        ports={"sales": 18103},
    )
    assert "ERP_USER_TOKEN_PUBLIC_KEY" not in spec.env
    assert spec.env["ERP_USER_TOKEN_PUBLIC_KEY_FILE"] == str(PUBLIC_KEY_FILE)


def test_only_packages_runnable_with_python_dash_m_count_as_installed(
    fake_service_packages: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_service_packages("cli_test_runnable")
    root = fake_service_packages("cli_test_library_only", runnable=False)
    monkeypatch.syspath_prepend(str(root))
    assert installed_services(
        ["cli_test_runnable", "cli_test_library_only", "cli_test_absent"]
    ) == ["cli_test_runnable"]


@pytest.mark.integration
def test_a_healthy_service_passes_and_its_log_is_teed_to_file_and_console(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    echoed: list[tuple[str, str]] = []
    with Supervisor(tmp_path, echo=lambda name, line: echoed.append((name, line))) as services:
        services.start([ServiceSpec("sales", port, python(HEALTHY_SERVER, port))])
        healthy: list[str] = []
        services.wait_healthy(on_healthy=healthy.append)
        assert healthy == ["sales"]
        pid = services.processes[0].pid
    assert pid is not None
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert '"event": "listening"' in (tmp_path / "sales.log").read_text()
    assert ("sales", "INFO listening") in echoed


@pytest.mark.integration
def test_a_service_that_exits_while_starting_is_named_with_its_exit_code_and_log_tail(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    crash = "import sys; print('cannot connect to the database', flush=True); sys.exit(3)"
    with Supervisor(tmp_path) as services:
        services.start([ServiceSpec("finance", free_port(), python(crash))])
        with pytest.raises(StackError) as error:
            services.wait_healthy()
    message = str(error.value)
    assert message.startswith("service finance exited with code 3 before it was healthy")
    assert "cannot connect to the database" in message


@pytest.mark.integration
def test_a_service_that_never_answers_health_times_out_naming_it(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    silent = "import time; print('migrating…', flush=True); time.sleep(60)"
    with Supervisor(tmp_path, health_timeout=1.0) as services:
        services.start([ServiceSpec("reporting", free_port(), python(silent))])
        with pytest.raises(StackError) as error:
            services.wait_healthy()
    message = str(error.value)
    assert message.startswith("service reporting did not answer GET /health with 200 within 1s")
    assert "migrating…" in message


@pytest.mark.integration
def test_a_service_port_in_use_is_refused_before_anything_starts(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    free, taken = free_port(), free_port()
    with socket.socket() as squatter, Supervisor(tmp_path) as services:
        squatter.bind(("127.0.0.1", taken))
        squatter.listen()
        specs = [
            ServiceSpec("purchasing", free, python(HEALTHY_SERVER, free)),
            ServiceSpec("inventory", taken, python(HEALTHY_SERVER, taken)),
        ]
        with pytest.raises(StackError, match=f"port {taken} for service inventory is in use"):
            services.start(specs)
        assert services.processes == []


def wait_for_line(log: Path, text: str) -> None:
    deadline = time.monotonic() + 10
    while not (log.exists() and text in log.read_text()):
        assert time.monotonic() < deadline, f"{text!r} never appeared in {log}"
        time.sleep(0.02)


@pytest.mark.integration
def test_stop_kills_a_service_that_ignores_sigterm(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        "print('ignoring SIGTERM', flush=True); time.sleep(60)"
    )
    services = Supervisor(tmp_path, stop_timeout=0.5)
    services.start([ServiceSpec("sales", free_port(), python(stubborn))])
    wait_for_line(tmp_path / "sales.log", "ignoring SIGTERM")
    process = services.processes[0]
    started = time.monotonic()
    services.stop()
    assert process.exit_code == -signal.SIGKILL
    assert time.monotonic() - started < 5


@pytest.mark.integration
def test_a_service_that_exits_after_starting_is_reported_once(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    short_lived = "print('done', flush=True)"
    with Supervisor(tmp_path) as services:
        services.start([ServiceSpec("purchasing", free_port(), python(short_lived))])
        wait_for_line(tmp_path / "purchasing.log", "done")
        deadline = time.monotonic() + 10
        reported = services.newly_exited()
        while not reported and time.monotonic() < deadline:
            time.sleep(0.05)
            reported = services.newly_exited()
        assert reported == [("purchasing", 0)]
        assert services.newly_exited() == []
