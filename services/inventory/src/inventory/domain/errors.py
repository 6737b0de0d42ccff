"""Business-rule refusals of the inventory domain, each with a stable machine ``code``.

The HTTP layer maps every ``InventoryError`` to ``409 {error: code, message}`` (``NotFound`` to
404); ``details`` holds JSON-ready values (decimals as strings) for clients that want them.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar


class InventoryError(Exception):
    code: ClassVar[str] = "inventory_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, object] = details


class InvalidQuantity(InventoryError):
    code = "invalid_quantity"


class InvalidCost(InventoryError):
    code = "invalid_cost"


class InvalidTimestamp(InventoryError):
    code = "invalid_timestamp"


class InvalidState(InventoryError):
    code = "invalid_state"


class AlreadyExists(InventoryError):
    code = "already_exists"


class NotFound(InventoryError):
    code = "not_found"


class InsufficientStock(InventoryError):
    """A document asked for more than the stock it may take (available, plus its own hold)."""

    code = "insufficient_stock"

    def __init__(self, sku: str, requested: Decimal, available: Decimal) -> None:
        self.sku = sku
        self.requested = requested
        self.available = available
        self.shortage = requested - available
        super().__init__(
            f"insufficient stock of {sku}: requested {requested}, available {available}",
            sku=sku,
            requested=str(requested),
            available=str(available),
            shortage=str(self.shortage),
        )


class NegativeStockForbidden(InventoryError):
    """A loss would take on-hand below zero for an item whose policy forbids negative stock."""

    code = "negative_stock_forbidden"


class OverReceipt(InventoryError):
    code = "over_receipt"


class ReturnExceedsDelivered(InventoryError):
    """More returned than was received from the supplier / shipped to the customer."""

    code = "return_exceeds_delivered"


class WarehouseMismatch(InventoryError):
    code = "warehouse_mismatch"


class InvalidTransfer(InventoryError):
    code = "invalid_transfer"


class UnknownLocation(InventoryError):
    code = "unknown_location"


class MixedCountModes(InventoryError):
    """A stocktake counts a sku either per sku or per bin (库位/批次), never both."""

    code = "mixed_count_modes"


class RmaNotFound(InventoryError):
    """A customer return no RMA (sales' authorised return) covers: none named, or the named
    one is for another order."""

    code = "rma_not_found"


class RmaExceeded(InventoryError):
    """A customer return of more of a sku than its RMA authorised, less what came back."""

    code = "rma_exceeded"


class InsufficientBinStock(InventoryError):
    """The named location/lot (库位/批次) does not hold what an outbound or a bin move takes."""

    code = "insufficient_bin_stock"

    def __init__(
        self,
        sku: str,
        requested: Decimal,
        held: Decimal,
        location: str | None,
        lot: str | None,
    ) -> None:
        super().__init__(
            f"{location or 'the default location'}/{lot or 'no lot'} holds {held} of {sku}, "
            f"requested {requested}",
            sku=sku,
            requested=str(requested),
            available=str(held),
            location=location,
            lot=lot,
        )


class LotExpired(InventoryError):
    """A named lot is past its expiry date: it can be neither reserved, shipped nor moved out
    except by a loss adjustment (报损)."""

    code = "lot_expired"

    def __init__(self, sku: str, lot: str, expiry: date | None) -> None:
        super().__init__(
            f"lot {lot} of {sku} expired on {expiry}",
            sku=sku,
            lot=lot,
            expiry=None if expiry is None else expiry.isoformat(),
        )


class LotRequired(InventoryError):
    """A lot-tracked item's receipt line names no lot (bad input: answered 422)."""

    code = "lot_required"


class ItemHasStock(InventoryError):
    """The costing method of an item changes only while no warehouse holds any of it."""

    code = "item_has_stock"
