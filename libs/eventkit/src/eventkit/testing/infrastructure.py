"""Starting (or finding) the PostgreSQL server and the Kafka broker for a test session."""

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class Broker(Protocol):
    bootstrap_servers: str
    stoppable: bool

    def stop(self) -> None: ...
    def start(self) -> None: ...


@dataclass
class Infrastructure:
    database_server_url: str
    kafka_bootstrap_servers: str
    broker: Broker | None  # None when the broker is external (cannot be stopped by tests)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def docker_available() -> bool:
    if os.environ.get("ERP_TEST_NO_DOCKER"):
        return False
    try:
        import docker

        docker.from_env().ping()
    except Exception:  # noqa: BLE001 - any failure means no usable engine
        return False
    return True


@contextmanager
def started_infrastructure() -> Iterator[Infrastructure]:
    with ExitStack() as stack:
        db = os.environ.get("ERP_TEST_DATABASE_URL") or stack.enter_context(_database())
        broker: Any = None
        kafka = os.environ.get("ERP_TEST_KAFKA_BOOTSTRAP_SERVERS")
        if not kafka:
            broker = stack.enter_context(_broker())
            kafka = broker.bootstrap_servers
        yield Infrastructure(db, kafka, broker)


@contextmanager
def _database() -> Iterator[str]:
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as pg:
            yield pg.get_connection_url()
        return
    from erpctl.postgres import LocalPostgres

    data_dir = Path(tempfile.mkdtemp(prefix="erp-test-pg-"))
    try:
        with LocalPostgres(data_dir, port=free_port()) as pg:
            yield pg.url
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def _broker() -> Iterator[Any]:
    if docker_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as kafka:
            yield _UnstoppableBroker(kafka.get_bootstrap_server())
        return
    from erpctl.broker import LocalBroker

    with LocalBroker(port=free_port()) as broker:
        yield broker


@dataclass
class _UnstoppableBroker:
    """A broker the tests cannot stop and restart on the same address (a container's port
    mapping changes on restart): outage tests skip themselves with this one."""

    bootstrap_servers: str
    stoppable = False
