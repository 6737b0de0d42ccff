"""Run the service processes: start, tee their logs, wait until healthy, stop without orphans."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from erp_contracts.topics import SERVICES
from erpctl.children import bound_to_us, log_tail
from erpctl.errors import StackError
from erpctl.lifecycle import Stoppable
from erpctl.ports import LOCALHOST, port_is_free

#: Called with (service, short line) for every line a service writes.
LineSink = Callable[[str, str], None]


@dataclass(frozen=True)
class ServiceSpec:
    """How to run one service: its command, its HTTP port and its full environment."""

    name: str
    port: int
    command: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    @property
    def health_url(self) -> str:
        return f"{self.url}/health"


def installed_services(services: Iterable[str] = SERVICES) -> list[str]:
    """The services whose package is installed and runnable with `python -m <service>`."""
    runnable = []
    for name in services:
        try:
            if importlib.util.find_spec(name) and importlib.util.find_spec(f"{name}.__main__"):
                runnable.append(name)
        except (ImportError, ValueError):
            continue  # a broken package is "not installed" here; running it would fail anyway
    return runnable


def service_specs(
    names: Iterable[str],
    *,
    database_url: str,
    bootstrap_servers: str,
    admin_token: str,
    user_token_public_key_file: Path,
    ports: Mapping[str, int],
) -> list[ServiceSpec]:
    """Specs running `python -m <service>` with the stack's settings in the environment."""
    base_env = dict(os.environ)
    # The stack's key file, not one inherited as PEM text (a service refuses both at once).
    base_env.pop("ERP_USER_TOKEN_PUBLIC_KEY", None)
    base_env.update(
        ERP_DATABASE_URL=database_url,
        ERP_KAFKA_BOOTSTRAP_SERVERS=bootstrap_servers,
        ERP_ADMIN_TOKEN=admin_token,
        ERP_USER_TOKEN_PUBLIC_KEY_FILE=str(user_token_public_key_file),
        PYTHONUNBUFFERED="1",
    )
    specs = []
    for name in names:
        env = {**base_env, f"ERP_{name.upper()}_HTTP_PORT": str(ports[name])}
        specs.append(ServiceSpec(name, ports[name], [sys.executable, "-m", name], env))
    return specs


def summarize_log_line(line: str) -> str:
    """A JSON log line shortened to `LEVEL event key=value…`; other lines unchanged."""
    try:
        record = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict):
        return line
    level = str(record.pop("level", record.pop("levelname", ""))).upper()
    message = str(record.pop("event", record.pop("message", record.pop("msg", ""))))
    for noise in ("timestamp", "time", "ts", "logger", "service"):
        record.pop(noise, None)
    extras = " ".join(f"{key}={value}" for key, value in record.items())
    return " ".join(part for part in (level, message, extras) if part)


class ServiceProcess:
    """One running service; its stdout and stderr go to `log_path` and, shortened, to `echo`."""

    def __init__(self, spec: ServiceSpec, log_path: Path, echo: LineSink | None = None) -> None:
        self.spec = spec
        self.log_path = log_path
        self._echo = echo
        self._process: subprocess.Popen[bytes] | None = None
        self._tee: threading.Thread | None = None
        self._terminated = False
        self._descendants: list[psutil.Process] = []

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def exit_code(self) -> int | None:
        return self._process.poll() if self._process is not None else None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        lifetime = bound_to_us(signal.SIGTERM)
        try:
            self._process = subprocess.Popen(  # noqa: S603 - the command comes from our spec
                list(self.spec.command),
                env=dict(self.spec.env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                preexec_fn=lifetime.preexec_fn,  # noqa: PLW1509 - prctl only, main thread
                process_group=lifetime.process_group,
            )
        except OSError as error:
            raise StackError(f"cannot start service {self.name}: {error}") from error
        self._tee = threading.Thread(target=self._copy_output, name=f"tee-{self.name}")
        self._tee.daemon = True
        self._tee.start()

    def is_healthy(self) -> bool:
        try:
            return httpx.get(self.spec.health_url, timeout=1.0).status_code == httpx.codes.OK
        except httpx.HTTPError:
            return False

    def tail(self) -> str:
        return log_tail(self.log_path)

    def terminate(self) -> None:
        """Ask the service to shut down (SIGTERM), once: a second signal may force an exit."""
        if self._process is None or self._terminated or self._process.poll() is not None:
            return
        self._terminated = True
        try:
            self._descendants = psutil.Process(self._process.pid).children(recursive=True)
        except psutil.Error:
            self._descendants = []
        self._process.terminate()

    def stop(self, timeout: float) -> None:
        """SIGTERM (unless already sent), SIGKILL after `timeout` seconds; then kill whatever
        the service itself had started and is still running."""
        if self._process is None:
            return
        self.terminate()
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for child in self._descendants:
            try:
                child.kill()
            except psutil.Error:
                continue  # already gone
        if self._tee is not None:
            self._tee.join(timeout=5)

    def _copy_output(self) -> None:
        process = self._process
        if process is None or process.stdout is None:
            return
        with self.log_path.open("ab") as log:
            for raw in process.stdout:
                log.write(raw)
                log.flush()
                if self._echo is not None:
                    text = raw.decode("utf-8", errors="replace").rstrip()
                    if text:
                        self._echo(self.name, summarize_log_line(text))


class Supervisor(Stoppable):
    """Starts services, waits for their `/health`, reports exits and stops them all."""

    def __init__(
        self,
        log_dir: Path,
        *,
        echo: LineSink | None = None,
        health_timeout: float = 60.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self.log_dir = log_dir
        self.health_timeout = health_timeout
        self.stop_timeout = stop_timeout
        self._echo = echo
        self.processes: list[ServiceProcess] = []
        self._reported_exits: set[str] = set()
        self._restarts: dict[str, tuple[int, float]] = {}

    def start(self, specs: Sequence[ServiceSpec]) -> None:
        """Check every port first (nothing starts if one is taken), then start each service."""
        for spec in specs:
            if not port_is_free(spec.port):
                raise StackError(
                    f"port {spec.port} for service {spec.name} is in use "
                    "(is another stack running?)"
                )
        for spec in specs:
            process = ServiceProcess(spec, self.log_dir / f"{spec.name}.log", self._echo)
            self.processes.append(process)
            process.start()

    def wait_healthy(self, on_healthy: Callable[[str], None] | None = None) -> None:
        """Poll every service's `GET /health` until 200; a service that exits or does not
        answer within `health_timeout` seconds is a StackError naming it, with its log tail."""
        deadline = time.monotonic() + self.health_timeout
        pending = list(self.processes)
        while pending:
            for process in list(pending):
                code = process.exit_code
                if code is not None:
                    self._reported_exits.add(process.name)
                    raise StackError(
                        f"service {process.name} exited with code {code} before it was "
                        f"healthy; last lines of {process.log_path}: {process.tail()}"
                    )
                if process.is_healthy():
                    pending.remove(process)
                    if on_healthy is not None:
                        on_healthy(process.name)
            if pending and time.monotonic() > deadline:
                names = ", ".join(process.name for process in pending)
                first = pending[0]
                raise StackError(
                    f"service {names} did not answer GET /health with 200 within "
                    f"{self.health_timeout:.0f}s; last lines of {first.log_path}: {first.tail()}"
                )
            if pending:
                time.sleep(0.2)

    def newly_exited(self) -> list[tuple[str, int]]:
        """Services that exited since the last call, as (name, exit code), each reported once."""
        exited = []
        for process in self.processes:
            code = process.exit_code
            if code is not None and process.name not in self._reported_exits:
                self._reported_exits.add(process.name)
                exited.append((process.name, code))
        return exited

    def restart_exited(self, now: float | None = None) -> list[str]:
        """Start again every service that exited on its own (a crash, kill -9), as a process
        supervisor would: at once the first time, then after 1, 2, 4 … 60 s if it keeps dying
        (a service that cannot start must not spin). Returns the names restarted."""
        now = time.monotonic() if now is None else now
        restarted = []
        for index, process in enumerate(self.processes):
            if process.exit_code is None or not port_is_free(process.spec.port):
                continue
            count, not_before = self._restarts.get(process.name, (0, 0.0))
            if now < not_before:
                continue
            replacement = ServiceProcess(process.spec, process.log_path, self._echo)
            replacement.start()
            self.processes[index] = replacement
            self._reported_exits.discard(process.name)
            self._restarts[process.name] = (count + 1, now + min(2.0**count, 60.0))
            restarted.append(process.name)
        return restarted

    def stop(self) -> None:
        """SIGTERM every service at once, then wait for each in reverse start order; whatever
        still runs `stop_timeout` seconds after the SIGTERM is killed."""
        for process in self.processes:
            process.terminate()
        deadline = time.monotonic() + self.stop_timeout
        for process in reversed(self.processes):
            process.stop(max(0.0, deadline - time.monotonic()))
        self.processes.clear()
