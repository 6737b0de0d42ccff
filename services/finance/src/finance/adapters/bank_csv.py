"""Bank statement CSV → statement lines (the translator at the edge).

Format (UTF-8, a BOM is tolerated, header row required, column order free):
``date,amount,reference,counterparty,description,transaction_id`` — `date` ISO (yyyy-mm-dd)
and `amount` a signed decimal with at most 2 places (+ money in, − money out) are required;
the others optional. A bad row is refused with its place: ``("body", <row>, <column>)``, row
1 being the first line after the header.
"""

import csv
import hashlib
import io
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation

from eventkit.errors import InvalidCommand
from eventkit.http.schemas import MAX_AMOUNT, business_date
from finance.domain.bank import BankLine

REQUIRED = ("date", "amount")
OPTIONAL = ("reference", "counterparty", "description", "transaction_id")
MAX_LINES = 50_000
CENT = Decimal("0.01")


def digest_of(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


def parse_statement(text: str) -> list[BankLine]:
    try:
        return _parse(text)
    except csv.Error as error:  # e.g. a field over the csv module's limit, a stray quote
        raise InvalidCommand(f"not a CSV statement: {error}", ("body",)) from None


def _parse(text: str) -> list[BankLine]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [name.strip().lower() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise InvalidCommand(f"the header lacks column(s) {', '.join(missing)}", ("body", 0))
    reader.fieldnames = columns
    lines: list[BankLine] = []
    seen: Counter[tuple[str, ...]] = Counter()
    for row_no, row in enumerate(reader, start=1):
        if row_no > MAX_LINES:
            raise InvalidCommand(f"a statement holds at most {MAX_LINES} lines", ("body",))
        fields = {name: (row.get(name) or "").strip() for name in (*REQUIRED, *OPTIONAL)}
        value_date, amount = _date(fields["date"], row_no), _amount(fields["amount"], row_no)
        identity = (fields["date"], str(amount), fields["reference"], fields["description"])
        seen[identity] += 1
        transaction_id = fields["transaction_id"] or None
        key = f"id:{transaction_id}" if transaction_id else f"{'|'.join(identity)}#{seen[identity]}"
        lines.append(
            BankLine(
                line_no=row_no,
                value_date=value_date,
                amount=amount,
                reference=fields["reference"],
                counterparty=fields["counterparty"],
                description=fields["description"],
                transaction_id=transaction_id,
                key=key,
            )
        )
    if not lines:
        raise InvalidCommand("the statement has no lines", ("body",))
    return lines


def _date(text: str, row_no: int) -> date:
    try:
        return business_date(date.fromisoformat(text))
    except ValueError as error:
        raise InvalidCommand(
            f"not an ISO date in range: {text!r} ({error})", ("body", row_no, "date")
        ) from None


def _amount(text: str, row_no: int) -> Decimal:
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InvalidCommand(
            f"not a decimal amount: {text!r}", ("body", row_no, "amount")
        ) from None
    if (
        not amount.is_finite()
        or amount == 0
        or abs(amount) >= MAX_AMOUNT  # as any amount a clerk types (eventkit.http.schemas)
        or amount != amount.quantize(CENT)
    ):
        raise InvalidCommand(
            f"an amount is non-zero, under 10^15, with at most 2 decimals, got {text!r}",
            ("body", row_no, "amount"),
        )
    return amount
