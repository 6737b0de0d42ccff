"""`erp store check` / `erp store rebase`: a service's stored event positions against the
transaction ids of the PostgreSQL cluster it now runs on.

After a logical dump (`pg_dump`) is restored into another cluster, the stored transaction ids
may be ahead of the new cluster's: readers stall, appends to old streams fail, and the service
refuses to start (`PositionsAheadOfCluster`). `rebase` maps them into the cluster's transaction
ids, keeping their order, in one transaction (`eventkit.store.positions.rebase_positions`).
"""

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from erpctl.ops import OperationError, ServiceArgument, console, run_operation, service_engine
from eventkit.store.positions import (
    PositionsStatus,
    RebaseError,
    RebaseReport,
    positions_status,
    rebase_positions,
)

store_app = typer.Typer(
    name="store",
    help="A service's event store positions: check them against the PostgreSQL cluster, or "
    "re-base them after restoring a dump into another cluster.",
    no_args_is_help=True,
)


@store_app.command("check")
def check(service: ServiceArgument) -> None:
    """Say whether the service's stored positions belong to this cluster's transaction ids.

    Exit code 0 when they do, 1 when `erp store rebase SERVICE` is needed (or the database
    cannot be read). Changes nothing.
    """
    status = run_operation(_status(service))
    console.print(status.summary(), soft_wrap=True, highlight=False)
    if status.needs_rebase:
        raise typer.Exit(1)


@store_app.command("rebase")
def rebase(service: ServiceArgument) -> None:
    """Re-base the service's stored positions into this cluster's transaction ids.

    For a database restored from a logical dump into another PostgreSQL cluster: every event's
    transaction id and every reader checkpoint is mapped below the cluster's current transaction
    id in one transaction, keeping the order in which readers tail the log; if the cluster has
    handed out too few transaction ids yet, it is advanced first (with a progress bar). Stop the
    service first. Refuses, changing nothing, when the positions do not need it: running it
    twice is harmless. Prints a one-line summary.
    """
    report = run_operation(_rebase(service))
    console.print(report.summary(), soft_wrap=True, highlight=False)


async def _status(service: str) -> PositionsStatus:
    async with service_engine(service) as engine, engine.connect() as conn:
        status = await positions_status(conn)
    if status is None:
        raise OperationError(f"{service} database has no event store yet")
    return status


async def _rebase(service: str) -> RebaseReport:
    progress = _xid_progress()
    task: TaskID | None = None

    def report(done: int, total: int) -> None:  # only called if the cluster must be advanced
        nonlocal task
        if task is None:
            progress.start()
            task = progress.add_task("advancing the cluster's transaction ids", total=total)
        progress.update(task, completed=done, total=total)

    try:
        async with service_engine(service) as engine:
            try:
                return await rebase_positions(engine, progress=report)
            except RebaseError as error:
                raise OperationError(f"{service}: {error}") from error
    finally:
        if task is not None:
            progress.stop()


def _xid_progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
