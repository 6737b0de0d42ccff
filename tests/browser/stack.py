"""`erp up --demo` as a new user runs it — every service, the console and the demo company as
processes on free ports, in a fresh data dir — for the browser tests and the console bench."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from erp_contracts.topics import SERVICES
from eventkit.testing.infrastructure import free_port

STARTUP_SECONDS = 600


class StackDidNotStart(Exception):
    pass


@dataclass
class Stack:
    data_dir: Path
    console_url: str
    service_urls: dict[str, str]
    admin_password: str
    admin_token: str
    output: list[str] = field(default_factory=list)

    def api(self, service: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.service_urls[service],
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )


@contextlib.contextmanager
def erp_up_demo(weeks: int) -> Iterator[Stack]:
    """The stack with `weeks` of demo history; stopped (Ctrl-C) and its data dir removed after."""
    data_dir = Path(tempfile.mkdtemp(prefix="erp-browser-"))
    ports = {name: free_port() for name in (*SERVICES, "console")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERP_")}
    env.update({f"ERP_{name.upper()}_HTTP_PORT": str(port) for name, port in ports.items()})
    env["ERP_DEMO_WEEKS"] = str(weeks)
    # A company whose buyers decide every order: a reorder alert's requisition waits for a
    # purchaser (the story the browser tests walk) instead of being ordered unattended.
    env["ERP_PURCHASING_AUTO_ORDER_REQUISITIONS"] = "false"
    args = [sys.executable, "-m", "erpctl.main", "up", "--demo", "--data-dir", str(data_dir)]
    args += ["--pg-port", str(free_port()), "--kafka-port", str(free_port())]
    args += ["--health-timeout", "300"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout or []), daemon=True)
    reader.start()
    try:
        _wait_until_up(process, output)
        yield Stack(
            data_dir,
            f"http://127.0.0.1:{ports['console']}",
            {name: f"http://127.0.0.1:{ports[name]}" for name in SERVICES},
            (data_dir / "console-admin-password").read_text().strip(),
            (data_dir / "admin-token").read_text().strip(),
            output,
        )
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def _wait_until_up(process: subprocess.Popen[str], output: list[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not any("is up" in line for line in output):
        if process.poll() is not None or time.monotonic() > deadline:
            raise StackDidNotStart("erp up --demo did not come up:\n" + "".join(output[-60:]))
        time.sleep(0.5)
    if any("demo seeding failed" in line for line in output):
        raise StackDidNotStart("demo seeding failed:\n" + "".join(output[-60:]))
