"""Posting rules: every inventory event and payables document posts balanced lines to the
accounts of architecture §6, and 1405 moves exactly by the stock value change."""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from erp_contracts.registry import PublicEvent
from finance.adapters.inventory_movements import document_of, stock_movements
from finance.domain.events import PostingLine
from finance.domain.posting_rules import (
    credit_note_posting,
    customer_invoice_posting,
    debit_note_posting,
    is_balanced,
    payment_posting,
    receipt_posting,
    stock_posting,
    supplier_invoice_posting,
)

from .inventory_events import (
    adjusted,
    cost_adjusted,
    customer_returned,
    dispatched,
    received,
    returned_to_supplier,
    revalued,
    transferred,
)

D = Decimal


def posted(event: PublicEvent) -> dict[str, tuple[Decimal, Decimal]]:
    return {li.account: (li.debit, li.credit) for li in stock_posting(stock_movements(event))}


def test_a_receipt_debits_inventory_and_credits_grni() -> None:
    assert posted(received(uuid4(), "A", "10", "12.50")) == {
        "1405": (D("125.00"), D(0)),
        "2202.02": (D(0), D("125.00")),
    }


def test_a_receipt_onto_negative_stock_posts_its_cost_variance_to_cogs() -> None:
    receipt = received(uuid4(), "A", "10", "12.50")
    line = receipt.lines[0].model_copy(update={"cost_variance": D("-7.50")})
    assert posted(receipt.model_copy(update={"lines": (line,)})) == {
        "1405": (D("117.50"), D(0)),
        "2202.02": (D(0), D("125.00")),
        "6401": (D("7.50"), D(0)),  # the goods issued while negative cost more
    }
    back = customer_returned("A", "1", "12.50")
    valued_line = back.lines[0].model_copy(update={"cost_variance": D("2.00")})
    assert posted(back.model_copy(update={"lines": (valued_line,)})) == {
        "1405": (D("14.50"), D(0)),
        "6401": (D(0), D("14.50")),
    }


def test_a_dispatch_moves_its_cost_from_inventory_to_cogs() -> None:
    assert posted(dispatched("A", "3", "12.5", "37.50")) == {
        "1405": (D(0), D("37.50")),
        "6401": (D("37.50"), D(0)),
    }


def test_a_loss_goes_to_pending_losses_and_a_gain_comes_from_there() -> None:
    assert posted(adjusted("A", "out", "2", "25.00")) == {
        "1405": (D(0), D("25.00")),
        "1901": (D("25.00"), D(0)),
    }
    assert posted(adjusted("A", "in", "1", "12.50")) == {
        "1405": (D("12.50"), D(0)),
        "1901": (D(0), D("12.50")),
    }


def test_a_gain_onto_negative_stock_sends_its_cost_variance_to_cogs() -> None:
    assert posted(adjusted("A", "in", "4", "40.00", cost_variance="-2.00")) == {
        "1405": (D("38.00"), D(0)),
        "1901": (D(0), D("40.00")),
        "6401": (D("2.00"), D(0)),
    }


def test_opening_stock_is_owners_capital_not_a_stocktake_gain() -> None:
    assert posted(adjusted("A", "in", "10", "125.00", reason="opening_balance")) == {
        "1405": (D("125.00"), D(0)),
        "4001": (D(0), D("125.00")),
    }


def test_a_revaluation_moves_value_between_inventory_and_cogs() -> None:
    assert posted(revalued("A", "5.00")) == {"1405": (D("5.00"), D(0)), "6401": (D(0), D("5.00"))}
    assert posted(revalued("A", "-5.00")) == {"1405": (D(0), D("5.00")), "6401": (D("5.00"), D(0))}


def test_a_month_end_cost_adjustment_moves_its_value_delta_between_inventory_and_cogs() -> None:
    # An issue restated from 1650.00 to 1800.00: 150.00 more COGS, 150.00 less stock.
    assert posted(cost_adjusted("A", "2026-11", "1650.00", "1800.00")) == {
        "1405": (D(0), D("150.00")),
        "6401": (D("150.00"), D(0)),
    }
    assert posted(cost_adjusted("A", "2026-11", "1276.47", "1200.00")) == {
        "1405": (D("76.47"), D(0)),
        "6401": (D(0), D("76.47")),
    }
    assert document_of(cost_adjusted("A", "2026-11", "1", "2")) == "month-end:2026-11:A@WH-1"


def test_returns_post_against_grni_and_cogs_and_a_transfer_posts_nothing() -> None:
    assert posted(returned_to_supplier(uuid4(), "A", "1", "12.50")) == {
        "1405": (D(0), D("12.50")),
        "2202.02": (D("12.50"), D(0)),
    }
    assert posted(customer_returned("A", "1", "12.50")) == {
        "1405": (D("12.50"), D(0)),
        "6401": (D(0), D("12.50")),
    }
    assert posted(transferred("A", "2", "25.00")) == {}
    assert len(stock_movements(transferred("A", "2", "25.00"))) == 2


def test_a_supplier_return_reverses_grni_at_the_po_price_and_the_cost_difference_goes_to_cogs():
    # 2 out at a moving average of 11.00 (22.00); GRNI was accrued at the PO price of 10.00.
    assert posted(returned_to_supplier(uuid4(), "A", "2", "22.00", unit_price="10.00")) == {
        "1405": (D(0), D("22.00")),
        "2202.02": (D("20.00"), D(0)),
        "6401": (D("2.00"), D(0)),
    }
    # Cheaper than the PO price: the variance is a credit to cost of goods.
    assert posted(returned_to_supplier(uuid4(), "A", "2", "18.00", unit_price="10.00")) == {
        "1405": (D(0), D("18.00")),
        "2202.02": (D("20.00"), D(0)),
        "6401": (D(0), D("2.00")),
    }


def test_credit_and_debit_notes_reverse_their_invoices() -> None:
    credit = {
        li.account: (li.debit, li.credit)
        for li in credit_note_posting(D(80), D("10.40"), D("90.40"))
    }
    assert credit == {
        "6001": (D(80), D(0)),
        "2221.02": (D("10.40"), D(0)),
        "1122": (D(0), D("90.40")),
    }
    debit = {
        li.account: (li.debit, li.credit) for li in debit_note_posting(D(20), D("2.60"), D("22.60"))
    }
    assert debit == {
        "2202.01": (D("22.60"), D(0)),
        "2202.02": (D(0), D(20)),
        "2221.01": (D(0), D("2.60")),
    }


def test_return_adjustments_are_left_to_their_documents() -> None:
    assert stock_movements(adjusted("A", "out", "1", "5", reason="purchase_return")) == []
    assert stock_movements(adjusted("A", "in", "1", "5", reason="customer_return")) == []


def test_a_matched_invoice_and_a_payment_post_as_architecture_says() -> None:
    invoice = supplier_invoice_posting(D("100.00"), D("13.00"), D("113.00"))
    assert invoice == (
        PostingLine(account="2202.02", debit=D("100.00"), credit=D(0)),
        PostingLine(account="2221.01", debit=D("13.00"), credit=D(0)),
        PostingLine(account="2202.01", debit=D(0), credit=D("113.00")),
    )
    assert payment_posting(D("50.00")) == (
        PostingLine(account="2202.01", debit=D("50.00"), credit=D(0)),
        PostingLine(account="1002", debit=D(0), credit=D("50.00")),
    )


# --- randomized: hundreds of mixed events keep the trial balance at zero ----------------------
money = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
signed_money = st.decimals(min_value=D("-9999.99"), max_value=D("9999.99"), places=2)
qty = st.integers(min_value=1, max_value=500).map(str)
sku = st.sampled_from(["A", "B", "C"])


def _value(amount: Decimal) -> str:
    return str(amount)


inventory_event = st.one_of(
    st.builds(lambda s, q, v: received(uuid4(), s, q, str(v)), sku, qty, money),
    st.builds(lambda s, q, v: dispatched(s, q, "1", _value(v)), sku, qty, money),
    st.builds(lambda s, q, v: adjusted(s, "out", q, _value(v)), sku, qty, money),
    st.builds(
        lambda s, q, v, cv: adjusted(s, "in", q, _value(v), cost_variance=_value(cv)),
        sku,
        qty,
        money,
        signed_money,
    ),
    st.builds(lambda s, v: revalued(s, _value(v)), sku, signed_money),
    st.builds(
        lambda s, q, v, p: returned_to_supplier(uuid4(), s, q, _value(v), unit_price=str(p)),
        sku,
        qty,
        money,
        money,
    ),
    st.builds(lambda s, q, v: customer_returned(s, q, _value(v)), sku, qty, money),
    st.builds(lambda s, q, v: transferred(s, q, _value(v)), sku, qty, money),
)
invoice = st.builds(
    lambda net, rate: supplier_invoice_posting(
        net, (net * rate).quantize(D("0.01")), net + (net * rate).quantize(D("0.01"))
    ),
    money,
    st.sampled_from([D(0), D("0.06"), D("0.09"), D("0.13")]),
)


def _vat_document(rule: Callable[[Decimal, Decimal, Decimal], tuple[PostingLine, ...]]) -> Any:
    return st.builds(
        lambda net: rule(
            net, (net * D("0.13")).quantize(D("0.01")), net + (net * D("0.13")).quantize(D("0.01"))
        ),
        money,
    )


sale = _vat_document(customer_invoice_posting)
note = st.one_of(_vat_document(credit_note_posting), _vat_document(debit_note_posting))
payment = st.one_of(st.builds(payment_posting, money), st.builds(receipt_posting, money))


@settings(max_examples=20, deadline=None)
@given(
    st.lists(inventory_event, min_size=100, max_size=300),
    st.lists(st.one_of(invoice, sale, note, payment), min_size=0, max_size=100),
)
def test_a_random_mix_of_events_keeps_the_trial_balance_at_zero(
    events: list[PublicEvent], documents: list[tuple[PostingLine, ...]]
) -> None:
    balances: dict[str, Decimal] = defaultdict(Decimal)
    stock_value = D(0)
    for event in events:
        movements = stock_movements(event)
        lines = stock_posting(movements)
        assert is_balanced(lines)
        stock_value += sum((m.change.value for m in movements), D(0))
        documents.append(lines)
    for lines in documents:
        assert is_balanced(lines)
        for line in lines:
            balances[line.account] += line.debit - line.credit
    assert sum(balances.values(), D(0)) == 0
    assert balances["1405"] == stock_value
