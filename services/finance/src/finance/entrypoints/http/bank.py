"""Bank reconciliation (银行对账): POST /bank/statements (CSV), GET /bank/statements/{id},
GET /bank/unmatched, POST /bank/statements/{id}/match (automatic, again) and
POST /bank/statements/{id}/lines/{line_no}/match (by hand)."""

from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from eventkit import CommandContext
from eventkit.errors import InvalidCommand
from eventkit.http import command_context, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.limits import MiB, max_body_bytes
from eventkit.http.schemas import Body, Code, QueryText, storable_text
from finance.adapters.projections.bank import lines_of, unmatched_documents
from finance.application.bank import (
    ImportBankStatement,
    MatchLine,
    MatchStatement,
    import_statement,
    match_line,
    match_statement,
)
from finance.entrypoints.http.commands import execute, runtime_of

router = APIRouter(tags=["bank"])
Clerk = Annotated[CommandContext, Depends(command_context("finance"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Account = Annotated[Code, Query(description="bank account id")]
#: A statement line's number (1 = the first line after the header).
LineNo = Annotated[int, Path(ge=1, le=2**31 - 1)]
#: A statement is a CSV upload, larger than the 1 MiB default: 8 MiB is ~80,000 lines.
STATEMENT_MAX_BYTES = 8 * MiB

CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "date,amount,reference,counterparty,description,transaction_id\n"
                "2026-11-24,-67.80,PAY-20261124-0001,Acme 五金,supplier payment,TX-1\n",
            }
        },
    }
}


class StatementJsonIn(Body):
    csv: str


class LineMatchIn(Body):
    document_id: UUID


@router.post(
    "/bank/statements",
    status_code=201,
    openapi_extra={**CSV_BODY, **max_body_bytes(STATEMENT_MAX_BYTES)},
)
async def post_statement(
    request: Request,
    ctx: Clerk,
    account: Account = "main",
    statement_id: UUID | None = None,
    source: QueryText = "",
) -> JSONResponse:
    """Import a CSV bank statement (body `text/csv`; format in docs/finance.md) and match its
    lines: `{statement_id, account, lines, matched:[{line_no, document_id}],
    unmatched:[{line_no, value_date, amount, reference, counterparty, description, reason}],
    duplicates:[line_no], already_imported}`."""
    text = await _statement_text(request)
    command = ImportBankStatement(
        account_id=account, source=source, csv_text=text, statement_id=statement_id
    )
    body = {"account": account, "statement_id": str(statement_id), "csv": text}
    return await execute(request, ctx, import_statement, command, body)


async def _statement_text(request: Request) -> str:
    """The CSV: the body itself, or (from the console, whose calls are JSON) `{"csv": text}`."""
    raw = await request.body()
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            return storable_text(StatementJsonIn.model_validate_json(raw).csv)
        return storable_text(raw.decode("utf-8"))
    except ValidationError:
        raise InvalidCommand('a JSON statement is {"csv": text}', ("body", "csv")) from None
    except ValueError as error:  # not UTF-8, or a NUL the database could not store
        raise InvalidCommand(f"a statement is UTF-8 text without NUL: {error}", ("body",)) from None


@router.post("/bank/statements/{statement_id}/match", status_code=200)
async def post_statement_match(
    statement_id: UUID, request: Request, ctx: Clerk, account: Account = "main"
) -> JSONResponse:
    """Run automatic matching again for the statement's unmatched lines."""
    command = MatchStatement(account_id=account, statement_id=statement_id)
    body = {"account": account, "statement_id": str(statement_id)}
    return await execute(request, ctx, match_statement, command, body, status_code=200)


@router.post("/bank/statements/{statement_id}/lines/{line_no}/match", status_code=200)
async def post_line_match(
    statement_id: UUID,
    line_no: LineNo,
    body: LineMatchIn,
    request: Request,
    ctx: Clerk,
    account: Account = "main",
) -> JSONResponse:
    """Match one line to a payment or receipt by hand (409 `already_matched`,
    `amount_mismatch`; 404 unknown statement, line or document)."""
    command = MatchLine(
        account_id=account,
        statement_id=statement_id,
        line_no=line_no,
        document_id=body.document_id,
    )
    return await execute(request, ctx, match_line, command, body, status_code=200)


@router.get("/bank/statements/{statement_id}")
async def get_statement(statement_id: UUID, request: Request, _: Viewer) -> list[Any]:
    """The statement's lines with `status` (matched/unmatched), document and rule."""
    async with runtime_of(request).engine.connect() as conn:
        rows: list[Any] = jsonable(await lines_of(conn, statement_id=statement_id))
    return rows


@router.get("/bank/unmatched")
async def get_unmatched(request: Request, _: Viewer, account: Account = "main") -> list[Any]:
    """Lines of every statement of the account that no payment or receipt matched."""
    async with runtime_of(request).engine.connect() as conn:
        rows: list[Any] = jsonable(await lines_of(conn, account_id=account, status="unmatched"))
    return rows


@router.get("/bank/documents")
async def get_unmatched_documents(request: Request, _: Viewer) -> list[Any]:
    """Payments (amount < 0) and receipts (> 0) no bank line matched yet: the documents a
    clerk may match a line to by hand, newest first."""
    async with runtime_of(request).engine.connect() as conn:
        documents = await unmatched_documents(conn)
    documents.sort(key=lambda d: (d.value_date, d.number), reverse=True)
    rows: list[Any] = jsonable([asdict(d) for d in documents])
    return rows
