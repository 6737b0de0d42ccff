"""`erp replay`: rebuild a service's read models from its event store.

Each projection is replayed from the first event into fresh tables and swapped in atomically
(`eventkit.projections.rebuild_projection`); queries keep answering from the old tables until
the swap, and a running service's projection runner just waits for the swap to commit.
"""

from typing import Annotated

import typer
from rich.table import Table

from erpctl.ops import (
    ServiceArgument,
    console,
    installed_blueprint,
    progress_bar,
    progress_callback,
    run_operation,
    select_projections,
    service_engine,
)
from eventkit.projections import Projection, RebuildReport, rebuild_projection
from eventkit.store.upcasting import Upcasters


def replay(
    service: ServiceArgument,
    *,
    projection: Annotated[
        list[str] | None,
        typer.Option(
            "--projection",
            "-p",
            metavar="NAME",
            help="Only this projection: full name (inventory.stock_levels), short name "
            "(stock_levels) or schema (rm_stock). Repeatable. Default: all of the service's.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Rebuild a service's read models from its event store.

    Each projection is replayed from the first event into fresh tables with a progress bar and
    swapped in atomically (queries keep answering meanwhile); prints events/s. Safe while the
    stack runs.
    """
    blueprint = installed_blueprint(service)
    chosen = select_projections(service, blueprint.projections, projection or [])
    if not chosen:
        console.print(f"{service} has no projections; nothing to replay")
        return
    reports = run_operation(_rebuild_all(service, chosen, blueprint.upcasters))
    table = Table(title=f"{service}: projections rebuilt", title_justify="left")
    table.add_column("projection")
    table.add_column("schema")
    table.add_column("events", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("events/s", justify="right")
    for chosen_projection, report in zip(chosen, reports, strict=True):
        table.add_row(
            report.projection,
            chosen_projection.schema,
            f"{report.events_read:,}",
            f"{report.seconds:.2f}",
            f"{report.events_per_second:,.0f}",
        )
    console.print(table)


async def _rebuild_all(
    service: str, projections: list[Projection], upcasters: Upcasters
) -> list[RebuildReport]:
    reports: list[RebuildReport] = []
    async with service_engine(service) as engine:
        with progress_bar() as progress:
            tasks = [progress.add_task(p.name, total=None) for p in projections]
            for projection, task in zip(projections, tasks, strict=True):
                report = await rebuild_projection(
                    engine,
                    projection,
                    upcasters,
                    progress=progress_callback(progress, task),
                )
                reports.append(report)
    return reports
