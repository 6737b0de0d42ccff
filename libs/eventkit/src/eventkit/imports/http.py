"""`POST /imports/{kind}`, `GET /imports/{kind}/template`, `GET /imports`: the routes every
service that takes a data migration mounts (docs/import.md).

A file is read and validated WHOLE first; any bad cell → 422 listing every one, nothing
written. A valid file is applied by its kind's `apply` in ONE transaction through the service's
own aggregates (events, actor and audit as for any command); a row that conflicts with what is
stored (`FileRejected` raised by `apply`) rolls the whole file back → 422. The file's SHA-256
is its idempotency key: uploading the same bytes again answers the first result and writes
nothing.
"""

import hashlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.context import CommandContext
from eventkit.errors import NotFound
from eventkit.http.auth import Principal, current_principal
from eventkit.http.commands import runtime_of
from eventkit.http.context import command_context
from eventkit.http.errors import jsonable
from eventkit.http.idempotency import run_idempotent
from eventkit.http.limits import MiB, max_body_bytes
from eventkit.imports.reading import UnreadableFile, read_table
from eventkit.imports.templates import MEDIA_TYPES, template
from eventkit.imports.validation import CellError, FileRejected, ImportRow, ImportSpec, validate
from eventkit.store.event_store import EventStore

#: 10,000 rows of a wide kind are ~2 MiB of CSV; XLSX is smaller. Room for 100,000 rows.
MAX_IMPORT_BYTES = 32 * MiB


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What a kind's `apply` writes with: the file's transaction and the clerk's context."""

    conn: AsyncConnection
    store: EventStore
    command: CommandContext
    sha256: str


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    created: int
    unchanged: int


ApplyRows = Callable[[ImportContext, list[ImportRow]], Awaitable[ImportOutcome]]


@dataclass(frozen=True, slots=True)
class ImportKind:
    spec: ImportSpec
    apply: ApplyRows


def rejection(errors: Sequence[CellError]) -> JSONResponse:
    """422 in the kernel's validation shape (``details[].loc`` = file, row, column) plus
    ``cells`` — the same errors as {row, column, cell, reason} for a clerk's table. Row 0 is
    the file as a whole (not a spreadsheet at all)."""
    details = [
        {"loc": ["body", "file", e.row, e.column], "msg": e.reason, "type": "value_error"}
        for e in errors
    ]
    body = {
        "error": "validation_error",
        "message": f"{len(errors)} bad cell(s): nothing was imported",
        "details": details,
        "cells": [e.as_dict() for e in errors],
    }
    return JSONResponse(status_code=422, content=body)


def import_router(kinds: Sequence[ImportKind], *, role: str) -> APIRouter:
    """The import routes of one service, for `kinds`; writing needs `role`."""
    by_kind = {kind.spec.kind: kind for kind in kinds}
    router = APIRouter(prefix="/imports", tags=["imports 数据迁移"])
    # An unknown kind is bad input at the path (422), like any value outside its set.
    kind_name = Annotated[str, Path(pattern=f"^({'|'.join(map(re.escape, by_kind))})$")]
    clerk = Annotated[CommandContext, Depends(command_context(role))]
    signed_in = Annotated[Principal, Depends(current_principal)]

    def kind_of(name: str) -> ImportKind:
        if name not in by_kind:
            raise NotFound("import kind", name)
        return by_kind[name]

    @router.get("")
    async def list_import_kinds(_: signed_in) -> list[dict[str, Any]]:
        """The kinds this service imports, with their columns."""
        return [describe(kind.spec) for kind in kinds]

    @router.get("/{kind}/template")
    async def get_import_template(
        kind: kind_name, _: signed_in, format: Literal["csv", "xlsx"] = "csv"
    ) -> Response:
        """The header row and one example row, as CSV (UTF-8 with BOM) or XLSX."""
        spec = kind_of(kind).spec
        disposition = f'attachment; filename="{spec.kind}-template.{format}"'
        return Response(
            template(spec, format),
            media_type=MEDIA_TYPES[format],
            headers={"Content-Disposition": disposition},
        )

    @router.post("/{kind}", openapi_extra=max_body_bytes(MAX_IMPORT_BYTES))
    async def post_import(
        kind: kind_name, request: Request, ctx: clerk, file: Annotated[UploadFile, File()]
    ) -> JSONResponse:
        """Validate the whole file, then write it all or nothing (422 lists every bad cell)."""
        return await run_import(request, ctx, kind_of(kind), await file.read())

    return router


async def run_import(
    request: Request, ctx: CommandContext, kind: ImportKind, data: bytes
) -> JSONResponse:
    runtime = runtime_of(request)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        rows = validate(kind.spec, read_table(data))
    except UnreadableFile as error:
        return rejection([CellError(0, "", str(error))])
    except FileRejected as rejected:
        return rejection(rejected.errors)

    async def work(conn: AsyncConnection) -> tuple[int, dict[str, Any]]:
        outcome = await kind.apply(ImportContext(conn, runtime.store, ctx, sha256), rows)
        body = {
            "kind": kind.spec.kind,
            "sha256": sha256,
            "rows": len(rows),
            "created": outcome.created,
            "unchanged": outcome.unchanged,
        }
        return 201 if outcome.created else 200, body

    # The same bytes again are the same request, whoever sends them: answered, not re-run.
    key = f"import:{kind.spec.kind}:{sha256}"
    request_body = {"kind": kind.spec.kind, "sha256": sha256}
    try:
        result = await run_idempotent(
            runtime.engine, key, request_body, work, runtime.settings.command_max_retries
        )
    except FileRejected as rejected:
        return rejection(rejected.errors)
    body = jsonable(result.body) | {"replayed": result.replayed}
    return JSONResponse(body, status_code=200 if result.replayed else result.status_code)


def describe(spec: ImportSpec) -> dict[str, Any]:
    return {
        "kind": spec.kind,
        "title": spec.title,
        "key": list(spec.key),
        "columns": [
            {
                "name": c.name,
                "zh": c.zh,
                "required": c.required,
                "choices": list(c.choices),
                "example": c.example,
                "description": c.description,
            }
            for c in spec.columns
        ],
    }
