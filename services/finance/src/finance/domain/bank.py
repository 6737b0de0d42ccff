"""Bank reconciliation (银行对账), one stream per bank account (``bank-account-<id>``): the
statements imported into it and which line settled which payment (付款单) or receipt (收款单).

Rules:
- a statement line is money in (amount > 0) or out (< 0); it can only match a receipt (in)
  or a payment (out) of exactly the same amount;
- automatic matching, per unmatched line: (1) `reference` — the line's reference or
  description names the document's number; else (2) `amount_date` — exactly one unmatched
  document of that amount within the date window; several → left unmatched as `ambiguous`;
- a document matches at most one line ever, a line at most one document (the account's
  stream is locked while it decides, so concurrent imports cannot both take a payment);
- a line already imported (same bank transaction id, or when the bank gives none, the same
  date, amount, reference, description and occurrence in its file) is skipped as a duplicate;
  importing the very same file again changes nothing.
Matching posts nothing: payments and receipts were posted to 1002 when recorded; what stays
unmatched (bank fees, interest, unknown transfers) is listed for the clerk.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.errors import AlreadyExists, FinanceError, NotFound
from finance.domain.events import DomainEvent
from finance.domain.money import utc

PAYMENT, RECEIPT = "payment", "receipt"
BY_REFERENCE, BY_AMOUNT_DATE, MANUAL = "reference", "amount_date", "manual"
NO_CANDIDATE, AMBIGUOUS = "no_candidate", "ambiguous"


class AlreadyMatched(FinanceError):
    code = "already_matched"


class AmountMismatch(FinanceError):
    code = "amount_mismatch"


def bank_account_stream_id(account_id: str) -> str:
    return f"bank-account-{account_id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class BankLine:
    line_no: int
    value_date: date
    amount: Decimal
    reference: str = ""
    counterparty: str = ""
    description: str = ""
    transaction_id: str | None = None
    #: What identifies the line across files (duplicate detection).
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CashDocument:
    """A payment (amount < 0, money out) or receipt (> 0) that a line may match."""

    document_id: UUID
    kind: str
    number: str
    amount: Decimal
    value_date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class BankStatementImported(DomainEvent):
    event_type: ClassVar[str] = "BankStatementImported"
    statement_id: UUID
    account_id: str
    source: str
    digest: str
    lines: tuple[BankLine, ...]
    duplicates: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BankLineMatched(DomainEvent):
    event_type: ClassVar[str] = "BankLineMatched"
    statement_id: UUID
    line_no: int
    document_kind: str
    document_id: UUID
    document_number: str
    rule: str


@dataclass(frozen=True, slots=True)
class Unmatched:
    line: BankLine
    reason: str


def _fits(line: BankLine, document: CashDocument) -> bool:
    return line.amount == document.amount


def _names(text: str, number: str) -> bool:
    """`text` names the document number as a whole word (PAY-…-0001 is not PAY-…-00012)."""
    return re.search(rf"(?<![\w-]){re.escape(number)}(?![\w-])", text, re.IGNORECASE) is not None


def choose(
    line: BankLine, candidates: Iterable[CashDocument], window: timedelta
) -> tuple[CashDocument | None, str]:
    """The document the line settles and the rule that found it, or None and why not."""
    fitting = [doc for doc in candidates if _fits(line, doc)]
    text = f"{line.reference} {line.description}"
    named = [doc for doc in fitting if doc.number and _names(text, doc.number)]
    if len(named) == 1:
        return named[0], BY_REFERENCE
    near = [doc for doc in fitting if abs(doc.value_date - line.value_date) <= window]
    if len(near) == 1:
        return near[0], BY_AMOUNT_DATE
    return None, AMBIGUOUS if near or len(named) > 1 else NO_CANDIDATE


class BankAccount(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.statements: dict[UUID, dict[int, BankLine]] = {}
        self.digests: dict[str, UUID] = {}
        self.keys: set[str] = set()
        self.matched_lines: dict[tuple[UUID, int], UUID] = {}
        self.matched_documents: set[UUID] = set()

    def import_statement(
        self,
        statement_id: UUID,
        *,
        account_id: str,
        source: str,
        digest: str,
        lines: Sequence[BankLine],
        occurred_at: datetime,
    ) -> UUID:
        """Record the statement (lines seen before skipped as duplicates); the same file
        again → the statement it was imported as, nothing recorded."""
        if digest in self.digests:
            return self.digests[digest]
        if statement_id in self.statements:
            raise AlreadyExists(f"statement {statement_id} exists with other content")
        fresh = [line for line in lines if line.key not in self.keys]
        self._record(
            BankStatementImported(
                occurred_at=utc(occurred_at),
                statement_id=statement_id,
                account_id=account_id,
                source=source,
                digest=digest,
                lines=tuple(fresh),
                duplicates=tuple(line.line_no for line in lines if line.key in self.keys),
            )
        )
        return statement_id

    def unmatched_lines(self, statement_id: UUID) -> list[BankLine]:
        return [
            line
            for line in self.statement(statement_id).values()
            if (statement_id, line.line_no) not in self.matched_lines
        ]

    def statement(self, statement_id: UUID) -> dict[int, BankLine]:
        if statement_id not in self.statements:
            raise NotFound(f"bank statement {statement_id} not found")
        return self.statements[statement_id]

    def match_automatically(
        self,
        statement_id: UUID,
        candidates: Sequence[CashDocument],
        window: timedelta,
        *,
        occurred_at: datetime,
    ) -> list[Unmatched]:
        """Match every unmatched line the rules can decide; the rest, with the reason."""
        # Only a document of the line's exact amount can match it: index by amount, so a
        # statement of n lines against m documents costs n + m, not n × m.
        by_amount: dict[Decimal, list[CashDocument]] = defaultdict(list)
        for doc in candidates:
            by_amount[doc.amount].append(doc)
        unmatched = []
        for line in self.unmatched_lines(statement_id):
            same_amount = by_amount.get(line.amount, [])
            free = [doc for doc in same_amount if doc.document_id not in self.matched_documents]
            document, rule = choose(line, free, window)
            if document is None:
                unmatched.append(Unmatched(line, rule))
            else:
                self._match(statement_id, line, document, rule, occurred_at)
        return unmatched

    def match_manually(
        self, statement_id: UUID, line_no: int, document: CashDocument, *, occurred_at: datetime
    ) -> None:
        line = self.statement(statement_id).get(line_no)
        if line is None:
            raise NotFound(f"line {line_no} of statement {statement_id} not found")
        if (statement_id, line_no) in self.matched_lines:
            raise AlreadyMatched(f"line {line_no} is already matched")
        if document.document_id in self.matched_documents:
            raise AlreadyMatched(f"{document.number} is already matched to a bank line")
        if not _fits(line, document):
            raise AmountMismatch(
                f"line {line_no} is {line.amount}, {document.number} is {document.amount}",
                line_amount=str(line.amount),
                document_amount=str(document.amount),
            )
        self._match(statement_id, line, document, MANUAL, occurred_at)

    def _match(
        self,
        statement_id: UUID,
        line: BankLine,
        document: CashDocument,
        rule: str,
        occurred_at: datetime,
    ) -> None:
        self._record(
            BankLineMatched(
                occurred_at=utc(occurred_at),
                statement_id=statement_id,
                line_no=line.line_no,
                document_kind=document.kind,
                document_id=document.document_id,
                document_number=document.number,
                rule=rule,
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case BankStatementImported():
                self.digests[event.digest] = event.statement_id
                self.statements[event.statement_id] = {line.line_no: line for line in event.lines}
                self.keys.update(line.key for line in event.lines)
            case BankLineMatched():
                self.matched_lines[(event.statement_id, event.line_no)] = event.document_id
                self.matched_documents.add(event.document_id)
            case _:
                raise self._cannot_apply(event)
