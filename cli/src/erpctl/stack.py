"""The local stack: PostgreSQL, the Kafka broker, topics and the services, in that order.

Each piece can be replaced by an existing server: `ERP_DATABASE_URL` (a PostgreSQL server on which
the `erp_<service>` databases are created if missing) and `ERP_KAFKA_BOOTSTRAP_SERVERS` (a Kafka
cluster on which the topics are created if missing). Stopping goes in reverse order.
"""

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from erp_contracts.topics import SERVICES
from erpctl.admin_token import load_or_create_admin_token
from erpctl.broker import LocalBroker
from erpctl.console_process import (
    FIRST_ADMIN,
    console_installed,
    console_spec,
    load_or_create_admin_password,
)
from erpctl.databases import create_missing_databases
from erpctl.errors import StackError
from erpctl.lifecycle import Stoppable
from erpctl.postgres import LocalPostgres
from erpctl.supervisor import Supervisor, installed_services, service_specs
from erpctl.sync import run_coroutine
from erpctl.topics import ensure_topics
from erpctl.user_token_keys import load_or_create_user_token_keys
from eventkit.settings import SERVICE_PORTS, database_name


@dataclass(frozen=True)
class StackOptions:
    data_dir: Path
    pg_port: int = 5442
    kafka_port: int = 9092
    #: Services to run; empty means every installed one.
    services: tuple[str, ...] = ()
    health_timeout: float = 60.0

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"


@dataclass
class StackEndpoints:
    """Where the running stack answers: what `erp up` prints and the demo seeder uses."""

    admin_token: str
    database_url: str
    bootstrap_servers: str
    service_urls: dict[str, str] = field(default_factory=dict)
    #: The console signs user tokens with this (give it `ERP_USER_TOKEN_PRIVATE_KEY_FILE`).
    user_token_private_key_file: Path | None = None
    #: Every service verifies them with this (`ERP_USER_TOKEN_PUBLIC_KEY_FILE`).
    user_token_public_key_file: Path | None = None
    #: The console (people's screens), if it runs, and its first administrator.
    console_url: str | None = None
    console_admin: tuple[str, str] | None = None


def service_ports() -> dict[str, int]:
    """The local ports (architecture §2), each overridable by `ERP_<SERVICE>_HTTP_PORT`."""
    ports = dict(SERVICE_PORTS)
    for service in ports:
        override = os.environ.get(f"ERP_{service.upper()}_HTTP_PORT")
        if override:
            try:
                ports[service] = int(override)
            except ValueError:
                raise StackError(
                    f"ERP_{service.upper()}_HTTP_PORT must be a port number, not {override!r}"
                ) from None
    return ports


class LocalStack(Stoppable):
    """Starts the stack's components in order and stops whatever was started in reverse."""

    def __init__(self, options: StackOptions, console: Console) -> None:
        self.options = options
        self.console = console
        self.postgres: LocalPostgres | None = None
        self.broker: LocalBroker | None = None
        self.supervisor = Supervisor(
            options.log_dir, echo=self._echo, health_timeout=options.health_timeout
        )
        self.endpoints: StackEndpoints | None = None

    def start(self) -> StackEndpoints:
        data_dir = self.options.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        names = self._services_to_run()
        token = load_or_create_admin_token(data_dir)
        keys = load_or_create_user_token_keys(data_dir)
        database_url = self._start_database()
        bootstrap = self._start_broker()
        self._create_topics(bootstrap)
        specs = service_specs(
            names,
            database_url=database_url,
            bootstrap_servers=bootstrap,
            admin_token=token,
            user_token_public_key_file=keys.public_key_file,
            ports=service_ports(),
        )
        self.endpoints = StackEndpoints(
            token,
            database_url,
            bootstrap,
            user_token_private_key_file=keys.private_key_file,
            user_token_public_key_file=keys.public_key_file,
        )
        if specs:
            with self._step(f"starting {', '.join(names)}"):
                self.supervisor.start(specs)
                self.supervisor.wait_healthy(
                    on_healthy=lambda name: self.console.print(f"[green]✓[/] {name} is healthy")
                )
            self.endpoints.service_urls = {spec.name: spec.url for spec in specs}
        if specs and self._with_console():
            self._start_console(specs[0].env, keys.private_key_file)
        return self.endpoints

    def _with_console(self) -> bool:
        """The console runs with the whole stack (not with `--service` picks) when installed."""
        return not self.options.services and console_installed()

    def _start_console(self, service_env: Mapping[str, str], private_key_file: Path) -> None:
        if self.endpoints is None:
            raise StackError("the console starts after the services")
        password = load_or_create_admin_password(self.options.data_dir)
        spec = console_spec(
            service_env,
            self.endpoints.service_urls,
            private_key_file=private_key_file,
            admin_password=password,
        )

        def healthy(name: str) -> None:
            if name == spec.name:  # the services were announced already
                self.console.print(f"[green]✓[/] {name} is healthy")

        with self._step(f"starting the console on port {spec.port}"):
            self.supervisor.start([spec])
            self.supervisor.wait_healthy(on_healthy=healthy)
        self.endpoints.console_url = spec.url
        self.endpoints.console_admin = (FIRST_ADMIN, password)

    def check_on_components(self) -> None:
        """Called periodically while the stack runs: restart what died — a service (with
        back-off if it keeps dying), the broker (and recreate its topics: memory storage starts
        empty), PostgreSQL (same data directory) — and say so."""
        for name, code in self.supervisor.newly_exited():
            log = self.options.log_dir / f"{name}.log"
            self.console.print(
                f"[red]✗ service {name} exited with code {code}[/]; see {log}", soft_wrap=True
            )
        for name in self.supervisor.restart_exited():
            self.console.print(f"[yellow]! restarted service {name}[/]")
        if self.broker is not None and self.broker.exit_code is not None:
            self.console.print(
                f"[yellow]! the Kafka broker exited with code {self.broker.exit_code}; "
                "restarting it[/]"
            )
            with self._step("restarting the Kafka broker"):
                self.broker.start()
            self._create_topics(self.broker.bootstrap_servers)
        if self.postgres is not None and not self.postgres.running:
            self.console.print("[yellow]! PostgreSQL stopped unexpectedly; restarting it[/]")
            with self._step("restarting PostgreSQL"):
                try:
                    self.postgres.start()
                except StackError as error:
                    raise StackError(
                        f"PostgreSQL stopped and cannot restart ({error}); "
                        f"see {self.postgres.log_path}"
                    ) from error

    def stop(self) -> None:
        """Services (SIGTERM, SIGKILL after 10 s), then the broker, then PostgreSQL."""
        if self.supervisor.processes:
            with self._step("stopping services"):
                self.supervisor.stop()
        if self.broker is not None:
            with self._step("stopping the Kafka broker"):
                self.broker.stop()
            self.broker = None
        if self.postgres is not None:
            with self._step("stopping PostgreSQL"):
                self.postgres.stop()
            self.postgres = None

    def _services_to_run(self) -> list[str]:
        wanted = self.options.services or SERVICES
        unknown = [name for name in wanted if name not in SERVICES]
        if unknown:
            raise StackError(f"unknown service {', '.join(unknown)}; known: {', '.join(SERVICES)}")
        installed = installed_services(wanted)
        missing = [name for name in self.options.services if name not in installed]
        if missing:
            raise StackError(
                f"service {', '.join(missing)} is not installed (no runnable "
                f"`python -m {missing[0]}` in this environment)"
            )
        if not installed:
            self.console.print(
                "[yellow]! no service package is installed yet (nothing runnable with "
                "`python -m <service>`); starting PostgreSQL and Kafka only[/]"
            )
        return installed

    def _start_database(self) -> str:
        databases = [database_name(service) for service in (*SERVICES, "console")]
        external = os.environ.get("ERP_DATABASE_URL")
        if external:
            with self._step("creating databases on ERP_DATABASE_URL"):
                run_coroutine(create_missing_databases(external, databases))
            return external
        self.postgres = LocalPostgres(
            self.options.data_dir / "postgres",
            self.options.pg_port,
            log_path=self.options.log_dir / "postgres.log",
        )
        with self._step(f"starting PostgreSQL on port {self.options.pg_port}"):
            self.postgres.start()
            self.postgres.ensure_databases(databases)
        return self.postgres.url

    def _start_broker(self) -> str:
        external = os.environ.get("ERP_KAFKA_BOOTSTRAP_SERVERS")
        if external:
            return external
        self.broker = LocalBroker(
            self.options.kafka_port, log_path=self.options.log_dir / "broker.log"
        )
        with self._step(f"starting the Kafka broker on port {self.options.kafka_port}"):
            self.broker.start()
        return self.broker.bootstrap_servers

    def _create_topics(self, bootstrap: str) -> None:
        with self._step("creating topics"):
            run_coroutine(ensure_topics(bootstrap))

    @contextmanager
    def _step(self, description: str) -> Iterator[None]:
        """A spinner while the step runs, then one `✓ description (0.4 s)` line."""
        started = time.monotonic()
        with self.console.status(f"{description}…"):
            yield
        self.console.print(f"[green]✓[/] {description} ({time.monotonic() - started:.1f} s)")

    def _echo(self, service: str, line: str) -> None:
        prefix = service.ljust(max(len(name) for name in (*SERVICES, "console")))
        width = max(self.console.width - len(prefix) - 3, 20)
        self.console.print(f"[cyan]{prefix}[/] │ {escape(line[:width])}", highlight=False)
