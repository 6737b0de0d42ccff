"""Bank statement CSV parsing and the matching rules (pure)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from eventkit.errors import InvalidCommand
from finance.adapters.bank_csv import parse_statement
from finance.domain.bank import (
    AlreadyMatched,
    AmountMismatch,
    BankAccount,
    BankLine,
    CashDocument,
    choose,
)

D = Decimal
T = datetime(2026, 11, 24, 9, tzinfo=UTC)
WINDOW = timedelta(days=5)
HEADER = "date,amount,reference,counterparty,description,transaction_id\n"


def line(amount: str, reference: str = "", day: int = 24, no: int = 1) -> BankLine:
    return BankLine(
        line_no=no,
        value_date=date(2026, 11, day),
        amount=D(amount),
        reference=reference,
        key=f"k{no}",
    )


def doc(number: str, amount: str, day: int = 24) -> CashDocument:
    kind = "payment" if D(amount) < 0 else "receipt"
    return CashDocument(
        document_id=uuid4(),
        kind=kind,
        number=number,
        amount=D(amount),
        value_date=date(2026, 11, day),
    )


def test_a_named_document_of_the_same_amount_matches_by_reference() -> None:
    pay, other = doc("PAY-20261124-0001", "-67.80"), doc("PAY-20261124-0002", "-67.80")
    assert choose(line("-67.80", "pay-20261124-0001 Acme"), [other, pay], WINDOW) == (
        pay,
        "reference",
    )


def test_a_reference_names_a_number_as_a_whole_word_only() -> None:
    pay = doc("PAY-20261124-0001", "-67.80", day=1)  # outside the window: reference only
    assert choose(line("-67.80", "PAY-20261124-00012"), [pay], WINDOW) == (None, "no_candidate")
    assert choose(line("-67.80", "货款/PAY-20261124-0001."), [pay], WINDOW) == (pay, "reference")


def test_one_document_of_the_amount_in_the_window_matches_by_amount_and_date() -> None:
    receipt = doc("RC-1", "90.40", day=22)
    assert choose(line("90.40"), [receipt, doc("RC-2", "90.40", day=1)], WINDOW) == (
        receipt,
        "amount_date",
    )


def test_the_sign_the_amount_and_the_window_must_fit_and_two_candidates_are_ambiguous() -> None:
    assert choose(line("67.80"), [doc("PAY-1", "-67.80")], WINDOW) == (None, "no_candidate")
    assert choose(line("-67.81"), [doc("PAY-1", "-67.80")], WINDOW) == (None, "no_candidate")
    assert choose(line("-67.80", day=1), [doc("PAY-1", "-67.80", day=24)], WINDOW) == (
        None,
        "no_candidate",
    )
    twins = [doc("PAY-1", "-10.00"), doc("PAY-2", "-10.00")]
    assert choose(line("-10.00"), twins, WINDOW) == (None, "ambiguous")


def test_a_document_matches_one_line_only_and_manual_matching_checks_the_amount() -> None:
    account, statement = BankAccount(), uuid4()
    pay = doc("PAY-1", "-10.00")
    lines = [line("-10.00", "PAY-1", no=1), line("-10.00", "PAY-1", no=2), line("-5.00", no=3)]
    account.import_statement(
        statement, account_id="main", source="", digest="d1", lines=lines, occurred_at=T
    )
    left = account.match_automatically(statement, [pay], WINDOW, occurred_at=T)
    assert [(u.line.line_no, u.reason) for u in left] == [(2, "no_candidate"), (3, "no_candidate")]
    with pytest.raises(AlreadyMatched):
        account.match_manually(statement, 2, pay, occurred_at=T)
    with pytest.raises(AmountMismatch):
        account.match_manually(statement, 3, doc("PAY-2", "-6.00"), occurred_at=T)
    with pytest.raises(AlreadyMatched):
        account.match_manually(statement, 1, doc("PAY-3", "-10.00"), occurred_at=T)


def test_the_same_file_again_is_the_same_statement_and_seen_lines_are_duplicates() -> None:
    account, first = BankAccount(), uuid4()
    lines = [line("-10.00", no=1), line("-5.00", no=2)]
    account.import_statement(
        first, account_id="main", source="", digest="d1", lines=lines, occurred_at=T
    )
    account.collect_events()
    again = account.import_statement(
        uuid4(), account_id="main", source="", digest="d1", lines=lines, occurred_at=T
    )
    assert again == first
    assert account.collect_events() == []
    second = account.import_statement(
        uuid4(), account_id="main", source="", digest="d2", lines=lines[:1], occurred_at=T
    )
    assert account.statement(second) == {}


def test_a_statement_csv_is_parsed_with_keys_for_duplicate_detection() -> None:
    text = (
        "\ufeff" + HEADER + "2026-11-24,-67.80,PAY-1,Acme,payment,TX-9\n"
        "2026-11-24,-2.50,,,fee,\n"
        "2026-11-24,-2.50,,,fee,\n"
    )
    first, fee, same_fee = parse_statement(text)
    assert (first.amount, first.reference, first.transaction_id, first.key) == (
        D("-67.80"),
        "PAY-1",
        "TX-9",
        "id:TX-9",
    )
    assert fee.key != same_fee.key  # two identical fees on one day are two lines


@pytest.mark.parametrize(
    ("text", "loc"),
    [
        ("date,reference\n2026-11-24,x\n", ("body", 0)),
        (HEADER, ("body",)),
        (HEADER + "2026-11-24,1.00,,,,\n24/11/2026,1.00,,,,\n", ("body", 2, "date")),
        (HEADER + "2026-11-24,abc,,,,\n", ("body", 1, "amount")),
        (HEADER + "2026-11-24,1.005,,,,\n", ("body", 1, "amount")),
        (HEADER + "2026-11-24,0,,,,\n", ("body", 1, "amount")),
    ],
)
def test_a_bad_statement_is_refused_with_the_place_of_the_error(
    text: str, loc: tuple[object, ...]
) -> None:
    with pytest.raises(InvalidCommand) as refused:
        parse_statement(text)
    assert refused.value.loc == loc
