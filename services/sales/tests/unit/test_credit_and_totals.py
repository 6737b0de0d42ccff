"""The credit check on the customer's exposure, and document totals half-up at 2 places."""

from decimal import Decimal
from uuid import uuid4

import pytest

from sales.domain.errors import CreditLimitExceeded
from sales.domain.events import CustomerCreditCommitted, CustomerCreditReleased
from sales.domain.money import totals_of
from sales.domain.sales_order import order_totals

from .builders import T0, customer, line


def test_orders_within_the_limit_add_up_to_the_exposure() -> None:
    buyer = customer("1000.00")
    buyer.commit_credit(uuid4(), Decimal("600.00"), occurred_at=T0)
    buyer.commit_credit(uuid4(), Decimal("400.00"), occurred_at=T0)  # exactly the limit
    assert buyer.exposure == Decimal("1000.00")
    assert buyer.available_credit == 0
    assert [type(e) for e in buyer.collect_events()] == [CustomerCreditCommitted] * 2


def test_an_order_above_the_available_credit_is_refused_and_records_nothing() -> None:
    buyer = customer("1000.00")
    buyer.commit_credit(uuid4(), Decimal("600.00"), occurred_at=T0)
    buyer.collect_events()
    with pytest.raises(CreditLimitExceeded) as refused:
        buyer.commit_credit(uuid4(), Decimal("400.01"), occurred_at=T0)
    assert refused.value.code == "credit_limit_exceeded"
    assert buyer.pending_events == ()
    assert buyer.exposure == Decimal("600.00")


def test_cancelling_an_order_gives_its_credit_back_once() -> None:
    buyer = customer("1000.00")
    order_id = uuid4()
    buyer.commit_credit(order_id, Decimal("900.00"), occurred_at=T0)
    buyer.release_credit(order_id, occurred_at=T0)
    buyer.release_credit(order_id, occurred_at=T0)
    assert buyer.exposure == 0
    assert [type(e) for e in buyer.collect_events()] == [
        CustomerCreditCommitted,
        CustomerCreditReleased,
    ]


def test_list_prices_take_the_customer_discount() -> None:
    from sales.domain.customer import Customer
    from sales.domain.events import PriceEntry

    buyer = Customer()
    buyer.register(
        "C",
        "Acme",
        credit_limit=Decimal(0),
        payment_terms_days=0,
        discount_rate=Decimal("0.05"),
        prices=[PriceEntry(sku="SKU-1", unit_price=Decimal("10.00"))],
        occurred_at=T0,
    )
    assert buyer.list_price("SKU-1") == Decimal("9.500000")
    assert buyer.list_price("SKU-2") is None


def test_net_and_vat_are_rounded_half_up_once_at_the_document() -> None:
    # 3 × 0.335 = 1.005 net → 1.01 (half-up, not banker's 1.00); VAT 13% of 1.005 = 0.13065
    # → 0.13; total = 1.14.
    totals = order_totals([line(qty="3", price="0.335")])
    assert (totals.net_total, totals.tax_total, totals.total) == (
        Decimal("1.01"),
        Decimal("0.13"),
        Decimal("1.14"),
    )


def test_line_amounts_are_summed_unrounded_before_rounding() -> None:
    # Two lines of 0.005 each: rounded per line 0.01 + 0.01 = 0.02; summed first 0.01.
    totals = totals_of([(Decimal(1), Decimal("0.005"), Decimal(0))] * 2)
    assert totals.net_total == Decimal("0.01")
    half = totals_of([(Decimal(1), Decimal("0.125"), Decimal("0.13"))])
    assert half.net_total == Decimal("0.13")  # 0.125 → 0.13 half-up
