"""Bank reconciliation (银行对账): import a statement and match its lines to payments and
receipts, automatically or by hand (rules in `finance.domain.bank`)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from finance.adapters.bank_csv import digest_of, parse_statement
from finance.adapters.projections.bank import cash_document, unmatched_documents
from finance.application.settings import bank_match_window
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.bank import BankAccount, BankLine, Unmatched, bank_account_stream_id
from finance.domain.errors import NotFound

_STATEMENT_IDS = UUID("5c0b8f3e-7a21-4d6b-b9e4-3f1a2c8d7e60")


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportBankStatement:
    account_id: str
    source: str
    csv_text: str
    statement_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchStatement:
    account_id: str
    statement_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchLine:
    account_id: str
    statement_id: UUID
    line_no: int
    document_id: UUID


async def import_statement(uow: FinanceUnitOfWork, cmd: ImportBankStatement) -> dict[str, Any]:
    lines = parse_statement(cmd.csv_text)
    digest = digest_of(cmd.csv_text)
    account = await _account(uow, cmd.account_id)
    now = datetime.now(UTC)
    statement_id = account.import_statement(
        cmd.statement_id or uuid5(_STATEMENT_IDS, f"{cmd.account_id}/{digest}"),
        account_id=cmd.account_id,
        source=cmd.source,
        digest=digest,
        lines=lines,
        occurred_at=now,
    )
    imported = bool(account.pending_events)
    unmatched = await _match(uow, account, statement_id, now)
    duplicates = [
        line.line_no for line in lines if line.line_no not in account.statement(statement_id)
    ]
    return {
        **_summary(account, statement_id, unmatched),
        "account": cmd.account_id,
        "already_imported": not imported,
        "duplicates": duplicates,
    }


async def match_statement(uow: FinanceUnitOfWork, cmd: MatchStatement) -> dict[str, Any]:
    """Run automatic matching again for the statement's unmatched lines (a payment recorded
    after the import can now be found)."""
    account = await _account(uow, cmd.account_id)
    unmatched = await _match(uow, account, cmd.statement_id, datetime.now(UTC))
    return _summary(account, cmd.statement_id, unmatched)


async def match_line(uow: FinanceUnitOfWork, cmd: MatchLine) -> dict[str, Any]:
    account = await _account(uow, cmd.account_id)
    document = await cash_document(uow.conn, cmd.document_id)
    if document is None:
        raise NotFound(f"no payment or receipt {cmd.document_id}")
    account.match_manually(cmd.statement_id, cmd.line_no, document, occurred_at=datetime.now(UTC))
    return {
        "statement_id": cmd.statement_id,
        "line_no": cmd.line_no,
        "document_id": document.document_id,
        "document_number": document.number,
        "rule": "manual",
    }


async def _account(uow: FinanceUnitOfWork, account_id: str) -> BankAccount:
    # Locked: two imports of one account decide one after the other, so a payment is
    # matched to one line however many statements name it.
    stream_id = bank_account_stream_id(account_id)
    return (await uow.get_many(BankAccount, [stream_id], for_update=True))[stream_id]


async def _match(
    uow: FinanceUnitOfWork, account: BankAccount, statement_id: UUID, now: datetime
) -> list[Unmatched]:
    candidates = await unmatched_documents(uow.conn)
    return account.match_automatically(
        statement_id, candidates, bank_match_window(), occurred_at=now
    )


def _summary(
    account: BankAccount, statement_id: UUID, unmatched: list[Unmatched]
) -> dict[str, Any]:
    lines = account.statement(statement_id)
    matched = [
        {"line_no": line_no, "document_id": document_id}
        for (sid, line_no), document_id in sorted(account.matched_lines.items())
        if sid == statement_id
    ]
    return {
        "statement_id": statement_id,
        "lines": len(lines),
        "matched": matched,
        "unmatched": [{**_line(u.line), "reason": u.reason} for u in unmatched],
    }


def _line(line: BankLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "value_date": line.value_date,
        "amount": line.amount,
        "reference": line.reference,
        "counterparty": line.counterparty,
        "description": line.description,
    }
