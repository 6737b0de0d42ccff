"""存放建议 (putaway suggestion): where a receipt of one sku should go in a warehouse.

The rule, in order (the seed's 存放建议):
1. the item's fixed location in the warehouse (固定库位), whatever it holds;
2. else a location already holding the sku, in the warehouse's location order, that has room;
3. else the first empty location (holding nothing of any sku) that has room.
"Room": a location without a capacity always has room; one with a capacity has room when what
it holds (all skus) plus the qty stays within it. No location fits → no suggestion (the goods
go to the warehouse's unnamed default location and a clerk moves them with a bin move).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from inventory.domain.quantities import ZERO


class PutawayRule(StrEnum):
    FIXED_LOCATION = "fixed_location"
    HOLDS_SKU = "holds_sku"
    EMPTY_LOCATION = "empty_location"


@dataclass(frozen=True, slots=True)
class PutawaySuggestion:
    location: str
    rule: PutawayRule


def suggest_putaway(
    qty: Decimal,
    *,
    locations: Mapping[str, Decimal | None],
    occupied: Mapping[str, Decimal],
    holding_sku: Sequence[str],
    fixed_location: str | None = None,
) -> PutawaySuggestion | None:
    """``locations``: code → capacity in the warehouse's order; ``occupied``: code → qty held
    of every sku; ``holding_sku``: codes already holding this sku."""
    if fixed_location is not None:
        return PutawaySuggestion(fixed_location, PutawayRule.FIXED_LOCATION)

    def has_room(code: str) -> bool:
        capacity = locations[code]
        return capacity is None or occupied.get(code, ZERO) + qty <= capacity

    holding = set(holding_sku)
    for code in locations:
        if code in holding and has_room(code):
            return PutawaySuggestion(code, PutawayRule.HOLDS_SKU)
    for code in locations:
        if occupied.get(code, ZERO) <= 0 and has_room(code):
            return PutawaySuggestion(code, PutawayRule.EMPTY_LOCATION)
    return None
