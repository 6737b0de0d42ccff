"""期初应收/应付 on the invoice aggregates: recorded open for the whole amount, posted against
4001, refused when recorded already or dated inconsistently."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from finance.domain.customer_invoice import CustomerInvoice
from finance.domain.errors import AlreadyExists, InvalidAmount
from finance.domain.events import OpeningReceivableRecorded
from finance.domain.opening_balances import OpeningInvoice, differing_field, opening_receivable_id
from finance.domain.posting_rules import (
    is_balanced,
    opening_payable_posting,
    opening_receivable_posting,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)


def opening(total: str = "100.00", due: date = date(2026, 1, 31)) -> OpeningInvoice:
    return OpeningInvoice(
        invoice_number="INV-1", counterparty_id="CUS-1", invoice_date=date(2026, 1, 1),
        due_date=due, total=Decimal(total), occurred_at=AT,
    )  # fmt: skip


def test_an_opening_receivable_is_open_for_its_whole_amount() -> None:
    invoice = CustomerInvoice()
    invoice_id = opening_receivable_id("CUS-1", "INV-1")
    invoice.record_opening(invoice_id, opening())
    (event,) = invoice.collect_events()
    assert isinstance(event, OpeningReceivableRecorded)
    assert (invoice.status, invoice.open_amount, event.due_date) == (
        "open", Decimal("100.00"), date(2026, 1, 31),
    )  # fmt: skip


def test_an_invoice_already_recorded_is_refused() -> None:
    invoice = CustomerInvoice()
    invoice.record_opening(opening_receivable_id("CUS-1", "INV-1"), opening())
    with pytest.raises(AlreadyExists):
        invoice.record_opening(opening_receivable_id("CUS-1", "INV-1"), opening())


def test_a_due_date_before_the_invoice_date_or_a_fraction_of_a_cent_is_refused() -> None:
    with pytest.raises(InvalidAmount) as due:
        CustomerInvoice().record_opening(
            opening_receivable_id("C", "1"), opening(due=date(2025, 1, 1))
        )
    assert due.value.details["field"] == "due_date"
    with pytest.raises(InvalidAmount):
        CustomerInvoice().record_opening(opening_receivable_id("C", "1"), opening("1.005"))


def test_the_same_row_again_differs_in_nothing_and_another_amount_is_named() -> None:
    assert differing_field(opening(), opening()) is None
    assert differing_field(opening(), opening("120.00")) == "total"
    assert differing_field(None, opening()) == "invoice_number"


def test_opening_items_post_against_opening_equity_and_balance() -> None:
    receivable = opening_receivable_posting(Decimal("10.00"))
    payable = opening_payable_posting(Decimal("4.00"))
    assert [(line.account, line.debit, line.credit) for line in receivable] == [
        ("1122", Decimal("10.00"), Decimal(0)), ("4001", Decimal(0), Decimal("10.00")),
    ]  # fmt: skip
    assert [(line.account, line.debit, line.credit) for line in payable] == [
        ("4001", Decimal("4.00"), Decimal(0)), ("2202.01", Decimal(0), Decimal("4.00")),
    ]  # fmt: skip
    assert is_balanced(receivable)
    assert is_balanced(payable)
