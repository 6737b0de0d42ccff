"""Supplier choice by weighted scorecard: 0.5 price + 0.2 on time + 0.2 quality + 0.1 lead."""

from decimal import Decimal

from purchasing.domain.sourcing import NO_SUPPLIER_REASON, SupplierOffer, choose_supplier


def test_no_offer_leaves_no_supplier_and_says_why() -> None:
    choice = choose_supplier([])
    assert choice.supplier_id is None
    assert choice.reason == NO_SUPPLIER_REASON


def test_the_cheapest_of_equally_reliable_suppliers_wins_with_its_figures_in_the_reason() -> None:
    offers = [
        SupplierOffer(
            supplier_id="A",
            unit_price=Decimal("12.00"),
            lead_time_days=7,
            deliveries=20,
            on_time_rate=Decimal("0.95"),
            reject_rate=Decimal("0.01"),
            avg_lead_time_days=Decimal(7),
        ),
        SupplierOffer(supplier_id="B", unit_price=Decimal("13.00"), lead_time_days=7),
        SupplierOffer(supplier_id="C", unit_price=Decimal("15.00"), lead_time_days=7),
    ]
    choice = choose_supplier(offers)
    # A: 0.5·1 + 0.2·0.95 + 0.2·0.99 + 0.1·1 = 0.988
    # B: 0.5·(12/13 = 0.923077) + 0.2 + 0.2 + 0.1 = 0.961538 → 0.9615
    assert choice.supplier_id == "A"
    assert choice.score == Decimal("0.9880")
    assert choice.reason.startswith("lowest price 12.00 among 3 suppliers; on-time 95%")


def test_an_unreliable_cheap_supplier_loses_to_a_reliable_one() -> None:
    cheap = SupplierOffer(
        supplier_id="CHEAP",
        unit_price=Decimal("10"),
        lead_time_days=5,
        deliveries=10,
        on_time_rate=Decimal("0.2"),
        reject_rate=Decimal("0.3"),
        avg_lead_time_days=Decimal(15),
    )
    steady = SupplierOffer(
        supplier_id="STEADY",
        unit_price=Decimal("11"),
        lead_time_days=5,
        deliveries=10,
        on_time_rate=Decimal("1"),
        reject_rate=Decimal(0),
        avg_lead_time_days=Decimal(5),
    )
    # CHEAP:  0.5·1 + 0.2·0.2 + 0.2·0.7 + 0.1·(6/16) = 0.7175
    # STEADY: 0.5·(10/11) + 0.2 + 0.2 + 0.1·1 = 0.954545 → 0.9545
    choice = choose_supplier([cheap, steady])
    assert choice.supplier_id == "STEADY"
    assert "lowest 10.00 among 2 suppliers" in choice.reason


def test_ties_go_to_the_lower_price_then_the_supplier_id() -> None:
    offers = [
        SupplierOffer(supplier_id="Z", unit_price=Decimal(5), lead_time_days=3),
        SupplierOffer(supplier_id="A", unit_price=Decimal(5), lead_time_days=3),
    ]
    assert choose_supplier(offers).supplier_id == "A"
