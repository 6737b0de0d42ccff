"""The `erp` command."""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated

import typer

from erpctl.audit import audit_app
from erpctl.dlq import dlq_app
from erpctl.events import events_app
from erpctl.imports import import_file
from erpctl.ops import console
from erpctl.replay import replay
from erpctl.stack import StackOptions
from erpctl.status import status
from erpctl.store_cmd import store_app
from erpctl.up import run_up
from erpctl.verify import verify

app = typer.Typer(
    name="erp",
    help="进销存 ERP: run the local stack of event-sourced services, and inspect, replay, "
    "verify and audit it.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def up(
    *,
    data_dir: Annotated[
        Path,
        typer.Option(
            help="Where the stack keeps its PostgreSQL data, logs and admin token; "
            "reusing it keeps the data.",
        ),
    ] = Path(".erp"),
    pg_port: Annotated[
        int, typer.Option(help="Port of the embedded PostgreSQL (ignored with ERP_DATABASE_URL).")
    ] = 5442,
    kafka_port: Annotated[
        int,
        typer.Option(
            help="Port of the local Kafka broker (ignored with ERP_KAFKA_BOOTSTRAP_SERVERS)."
        ),
    ] = 9092,
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            "-s",
            metavar="NAME",
            help="Run only this service (repeatable). Default: every installed service.",
        ),
    ] = None,
    demo: Annotated[
        bool | None,
        typer.Option(
            "--demo/--no-demo",
            help="Seed demo data once healthy. Default: seed if the demo module is installed "
            "(not in --check mode).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Start everything, verify every service answers /health, stop and exit 0 "
            "(non-zero on any failure). For CI smoke tests.",
        ),
    ] = False,
    health_timeout: Annotated[
        float, typer.Option(help="Seconds each service has to answer GET /health with 200.")
    ] = 60.0,
) -> None:
    """Start PostgreSQL, the Kafka broker, the topics and every service; Ctrl-C stops them all.

    ERP_DATABASE_URL and ERP_KAFKA_BOOTSTRAP_SERVERS replace the embedded PostgreSQL and the
    local broker with existing servers; ERP_ADMIN_TOKEN fixes the admin token (otherwise one is
    generated and kept in DATA_DIR/admin-token); ERP_<SERVICE>_HTTP_PORT moves a service off
    its default port (8101-8105).
    """
    options = StackOptions(
        data_dir=data_dir.absolute(),
        pg_port=pg_port,
        kafka_port=kafka_port,
        services=tuple(service or ()),
        health_timeout=health_timeout,
    )
    raise typer.Exit(run_up(options, demo=demo, check=check, console=console))


@app.command("version")
def show_version() -> None:
    """Print the version of erpctl."""
    try:
        installed = version("erpctl")
    except PackageNotFoundError:
        installed = "(not installed as a package)"
    console.print(f"erpctl {installed}")


app.add_typer(events_app)
app.add_typer(dlq_app)
app.command()(replay)
app.command()(verify)
app.command()(status)
app.command("import")(import_file)
app.add_typer(audit_app)
app.add_typer(store_app)

if __name__ == "__main__":
    app()
