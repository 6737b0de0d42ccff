"""`erp import KIND FILE`: upload a CSV/XLSX data-migration file to the service that owns KIND
(docs/import.md), with a progress bar; `erp import --template KIND [FILE]` saves its template.

The service validates the whole file first and writes it all or nothing: on 422 every bad cell
is printed as a table (row, column, cell, reason) and nothing was imported. Importing the same
file again writes nothing. The bearer token is `--token`, else `ERP_TOKEN`, else the local
stack's admin token (`<data-dir>/admin-token`).
"""

import os
import time
from pathlib import Path
from typing import IO, Annotated, Any, cast

import httpx
import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from erpctl.admin_token import load_or_create_admin_token
from erpctl.ops import console, fail
from erpctl.stack import service_ports

#: Which service takes each kind (its `GET /imports` lists them).
KIND_OWNERS = {
    "items": "inventory",
    "warehouses": "inventory",
    "locations": "inventory",
    "opening_stock": "inventory",
    "opening_receivables": "finance",
    "opening_payables": "finance",
    "suppliers": "purchasing",
    "customers": "sales",
}
#: A busy service answers 503 (read models catching up after a big import): wait and retry.
MAX_ATTEMPTS = 20
UPLOAD_TIMEOUT = httpx.Timeout(600.0, connect=10.0)


class _Counted:
    """A file whose reads advance the progress bar as httpx streams the upload."""

    def __init__(self, file: IO[bytes], progress: Progress, task: Any) -> None:
        self.file, self.progress, self.task = file, progress, task

    def read(self, size: int = -1) -> bytes:
        chunk = self.file.read(size)
        self.progress.advance(self.task, len(chunk))
        return chunk

    def fileno(self) -> int:  # httpx sizes the upload (Content-Length) from the file
        return self.file.fileno()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()


def service_url(kind: str, given: str | None) -> str:
    if given:
        return given.rstrip("/")
    owner = KIND_OWNERS.get(kind)
    if owner is None:
        fail(f"unknown import kind {kind!r}: one of {', '.join(KIND_OWNERS)}")
    host = os.environ.get("ERP_HTTP_HOST", "127.0.0.1")
    return f"http://{host}:{service_ports()[owner]}"


def bearer(token: str | None, data_dir: Path) -> dict[str, str]:
    chosen = token or os.environ.get("ERP_TOKEN") or load_or_create_admin_token(data_dir)
    return {"Authorization": f"Bearer {chosen}"}


def upload(client: httpx.Client, kind: str, path: Path) -> httpx.Response:
    """POST the file, retrying while the service answers 503; the bar shows upload then write."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        for _ in range(MAX_ATTEMPTS):
            sending = progress.add_task(f"uploading {path.name}", total=path.stat().st_size)
            with path.open("rb") as file:
                counted = cast("IO[bytes]", _Counted(file, progress, sending))
                files = {"file": (path.name, counted)}
                progress.add_task("validating and writing (all or nothing)", total=None)
                response = client.post(f"/imports/{kind}", files=files)
            if response.status_code != 503:
                return response
            wait = float(response.headers.get("Retry-After", "1"))
            progress.console.print(f"service busy ({response.json().get('error')}), retrying")
            time.sleep(min(wait, 10))
    return response


def cell_table(cells: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(cells)} bad cell(s) — nothing was imported 未导入任何数据")
    for name in ("row 行", "column 列", "cell", "reason 原因"):
        table.add_column(name)
    for cell in cells:
        row = (str(cell.get("row", "")), cell.get("column", ""), cell.get("cell", ""))
        table.add_row(*(escape(str(v)) for v in (*row, cell.get("reason", ""))))
    return table


def report(response: httpx.Response) -> None:
    body = response.json() if response.content else {}
    if response.status_code == 422 and "cells" in body:
        console.print(cell_table(body["cells"]))
        raise typer.Exit(1)
    if response.status_code >= 400:
        fail(f"{response.status_code} {body.get('error', '')}: {body.get('message', body)}")
    if body.get("replayed"):
        console.print(f"this file was already imported: {body['rows']} rows, nothing written")
        return
    console.print(
        f"[green]imported[/] {body['kind']}: {body['rows']} rows — {body['created']} written,"
        f" {body['unchanged']} already there unchanged"
    )


def save_template(client: httpx.Client, kind: str, target: Path) -> None:
    fmt = "xlsx" if target.suffix.lower() == ".xlsx" else "csv"
    response = client.get(f"/imports/{kind}/template", params={"format": fmt})
    if response.status_code != 200:
        fail(f"{response.status_code}: {response.text[:300]}")
    target.write_bytes(response.content)
    console.print(f"template for {kind} written to {target}")


def import_file(
    kind: Annotated[str, typer.Argument(help=", ".join(KIND_OWNERS))],
    file: Annotated[Path | None, typer.Argument(help="CSV or XLSX file (UTF-8 or GBK CSV)")] = None,
    *,
    template: Annotated[
        bool, typer.Option("--template", help="Save KIND's template to FILE (.csv or .xlsx).")
    ] = False,
    service_url_option: Annotated[
        str | None,
        typer.Option("--service-url", help="The owning service's URL (default: local stack)."),
    ] = None,
    token: Annotated[str | None, typer.Option(help="Bearer token (default: ERP_TOKEN).")] = None,
    data_dir: Annotated[Path, typer.Option(help="The local stack's data dir.")] = Path(".erp"),
) -> None:
    """Import a data-migration file (数据迁移): validated whole, written all or nothing."""
    url = service_url(kind, service_url_option)
    headers = bearer(token, data_dir)
    with httpx.Client(base_url=url, headers=headers, timeout=UPLOAD_TIMEOUT) as client:
        try:
            if template:
                save_template(client, kind, file or Path(f"{kind}-template.csv"))
                return
            if file is None or not file.is_file():
                fail(f"no such file: {file}")
            report(upload(client, kind, file))
        except httpx.TransportError as error:
            fail(f"cannot reach {url}: {error}")
