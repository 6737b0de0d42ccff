"""存放建议: fixed location, else a location holding the sku, else the first empty one."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from inventory.domain.document_lines import ReceiptLine
from inventory.domain.errors import LotRequired
from inventory.domain.lot_policy import LotPolicy
from inventory.domain.putaway import PutawayRule, PutawaySuggestion, suggest_putaway

SHELVES: dict[str, Decimal | None] = {"A-01": None, "A-02": Decimal(50), "A-03": None}


def test_the_fixed_location_wins_even_when_another_location_holds_the_sku() -> None:
    suggestion = suggest_putaway(
        Decimal(5),
        locations=SHELVES,
        occupied={"A-01": Decimal(3)},
        holding_sku=["A-01"],
        fixed_location="A-03",
    )
    assert suggestion == PutawaySuggestion("A-03", PutawayRule.FIXED_LOCATION)


def test_without_a_fixed_location_a_location_already_holding_the_sku_is_suggested() -> None:
    suggestion = suggest_putaway(
        Decimal(5), locations=SHELVES, occupied={"A-02": Decimal(10)}, holding_sku=["A-02"]
    )
    assert suggestion == PutawaySuggestion("A-02", PutawayRule.HOLDS_SKU)


def test_a_location_holding_the_sku_but_without_room_is_passed_over_for_an_empty_one() -> None:
    suggestion = suggest_putaway(
        Decimal(5),
        locations=SHELVES,
        occupied={"A-01": Decimal(1), "A-02": Decimal(48)},
        holding_sku=["A-02"],
    )
    assert suggestion == PutawaySuggestion("A-03", PutawayRule.EMPTY_LOCATION)


def test_the_first_empty_location_is_suggested_when_no_location_holds_the_sku() -> None:
    suggestion = suggest_putaway(
        Decimal(5), locations=SHELVES, occupied={"A-01": Decimal(7)}, holding_sku=[]
    )
    assert suggestion == PutawaySuggestion("A-02", PutawayRule.EMPTY_LOCATION)


def test_no_suggestion_when_every_location_is_occupied_by_other_skus() -> None:
    occupied = dict.fromkeys(SHELVES, Decimal(1))
    assert suggest_putaway(Decimal(5), locations=SHELVES, occupied=occupied, holding_sku=[]) is None


def test_a_lot_tracked_receipt_line_without_a_lot_is_refused() -> None:
    line = ReceiptLine(sku="MILK", qty_accepted=Decimal(3))
    with pytest.raises(LotRequired) as refused:
        LotPolicy(lot_tracked=True).complete_receipt_line(line, date(2026, 11, 24))
    assert refused.value.code == "lot_required"


def test_a_lot_without_an_expiry_date_expires_after_the_items_shelf_life() -> None:
    line = ReceiptLine(sku="MILK", qty_accepted=Decimal(3), lot="L1")
    completed = LotPolicy(lot_tracked=True, shelf_life_days=10).complete_receipt_line(
        line, datetime(2026, 11, 24, tzinfo=UTC).date()
    )
    assert completed.expiry == date(2026, 12, 4)
