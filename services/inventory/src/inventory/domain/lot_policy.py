"""An item's 批次/保质期 settings, and what a receipt line of it must carry."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from inventory.domain.document_lines import ReceiptLine
from inventory.domain.errors import InvalidQuantity, LotRequired


@dataclass(frozen=True, slots=True)
class LotPolicy:
    lot_tracked: bool = False
    shelf_life_days: int | None = None
    expiry_alert_days: int | None = None

    def validated(self) -> "LotPolicy":
        for field in ("shelf_life_days", "expiry_alert_days"):
            days = getattr(self, field)
            if days is not None and days < 0:
                raise InvalidQuantity(f"{field} must not be negative", field=field)
        return self

    def complete_receipt_line(
        self, line: ReceiptLine, received_on: date, field: str = "lot"
    ) -> ReceiptLine:
        """A lot-tracked item's accepted goods need a lot (422 ``lot_required``); a lot with
        no expiry date expires ``shelf_life_days`` after receipt when the item has one."""
        if line.qty_accepted == 0:
            return line
        if self.lot_tracked and not line.lot:
            raise LotRequired(
                f"{line.sku} is lot-tracked: name the lot received", sku=line.sku, field=field
            )
        if line.lot and line.expiry is None and self.shelf_life_days is not None:
            return replace(line, expiry=received_on + timedelta(days=self.shelf_life_days))
        return line
