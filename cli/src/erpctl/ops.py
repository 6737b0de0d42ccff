"""What the operator commands (`events`, `dlq`, `replay`, `verify`, `audit`) share.

They act on a running or stopped stack with the services' own settings: each service's database
from `eventkit.settings.service_database_url` (`ERP_<SERVICE>_DATABASE_URL`, `ERP_DATABASE_URL`,
else the local `erp up` server on 127.0.0.1:5442) and Kafka from `KernelSettings`
(`ERP_KAFKA_BOOTSTRAP_SERVERS`, `ERP_TOPIC_NAMESPACE`). Failures to reach either become one
`error: …` line and exit code 1.
"""

import importlib
import json
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, NoReturn, TypeVar

import asyncpg
import typer
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.topics import SERVICES
from erpctl.sync import run_coroutine
from eventkit.db import create_engine
from eventkit.projections import Projection
from eventkit.runtime import ServiceBlueprint
from eventkit.settings import KernelSettings, service_database_url
from eventkit.store.upcasting import Upcasters

T = TypeVar("T")

#: Shared by every command; created once, it follows `COLUMNS` and the output stream.
console = Console()


class OperationError(RuntimeError):
    """A database or broker could not be reached or lacks what was asked for; one line."""


def check_service(name: str) -> str:
    if name not in SERVICES:
        raise typer.BadParameter(f"unknown service {name!r}; known: {', '.join(SERVICES)}")
    return name


def check_services(names: list[str] | None) -> list[str]:
    return [check_service(name) for name in names or ()]


ServiceArgument = Annotated[
    str,
    typer.Argument(
        metavar="SERVICE",
        help=f"One of {', '.join(SERVICES)}.",
        callback=check_service,
        show_default=False,
    ),
]


def fail(message: str) -> NoReturn:
    console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(1)


def run_operation(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the command's coroutine (also inside a running loop); errors become one line."""
    try:
        return run_coroutine(coroutine)
    except OperationError as error:
        fail(str(error))


def load_blueprint(service: str) -> ServiceBlueprint:
    try:
        module = importlib.import_module(f"{service}.bootstrap")
    except ModuleNotFoundError as error:
        if error.name in (service, f"{service}.bootstrap"):
            raise OperationError(f"service {service} is not installed") from error
        raise
    blueprint: ServiceBlueprint = module.blueprint()
    return blueprint


def installed_blueprint(service: str) -> ServiceBlueprint:
    """`load_blueprint`, exiting with one line if the service is not installed."""
    try:
        return load_blueprint(service)
    except OperationError as error:
        fail(str(error))


def service_upcasters(service: str) -> Upcasters:
    """The service's upcasters, or none if its package is not installed (raw payloads)."""
    try:
        return load_blueprint(service).upcasters
    except OperationError:
        return Upcasters()


def printable_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def short_error(error: BaseException) -> str:
    """The driver's own message (SQLAlchemy wraps it with SQL and a link), first line only."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return (text[0] if text else type(original).__name__)[:300]


@asynccontextmanager
async def service_engine(service: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the service's database; connection and SQL errors name that database."""
    url = service_database_url(service)
    engine = create_engine(url, pool_size=2)
    try:
        yield engine
    except (OSError, SQLAlchemyError, asyncpg.PostgresError) as error:
        raise OperationError(
            f"{service} database {printable_url(url)}: {short_error(error)}"
        ) from error
    finally:
        await engine.dispose()


def kafka_settings() -> KernelSettings:
    return KernelSettings()


@asynccontextmanager
async def kafka_errors(bootstrap_servers: str) -> AsyncIterator[None]:
    try:
        yield
    except KafkaError as error:
        raise OperationError(f"Kafka at {bootstrap_servers}: {error}") from error


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def moment(value: datetime) -> str:
    """A timestamp as UTC ISO-8601 to the millisecond."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def header_map(headers: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    """Kafka headers as text (the last value wins for a repeated name)."""
    return {name: (value or b"").decode("utf-8", "replace") for name, value in headers}


def progress_bar() -> Progress:
    """The bar the long commands show per projection: events applied of the store's total."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeElapsedColumn(),
        console=console,
    )


def progress_callback(progress: Progress, task: TaskID) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return report


def select_projections(
    service: str, projections: Sequence[Projection], wanted: Sequence[str]
) -> list[Projection]:
    """`wanted` by full name (`inventory.stock_levels`), short name (`stock_levels`) or schema
    (`rm_stock`); all of them when `wanted` is empty. An unknown name is a usage error."""
    if not wanted:
        return list(projections)
    chosen: list[Projection] = []
    for name in wanted:
        matches = [
            p for p in projections if name in (p.name, p.name.removeprefix(f"{service}."), p.schema)
        ]
        if not matches:
            known = ", ".join(p.name for p in projections) or "none"
            raise typer.BadParameter(f"{service} has no projection {name!r}; known: {known}")
        chosen.extend(p for p in matches if p not in chosen)
    return chosen
