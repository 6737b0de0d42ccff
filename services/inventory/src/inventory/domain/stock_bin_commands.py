"""Commands of a ``StockItem`` about its bins and lots (库位/批次): choosing the bins an
outbound takes (FEFO), 移库 between locations, and the 临期预警 sweep. State and ``_apply``
live in ``stock_item_state``/``stock_bins``; the movement commands in ``stock_item``."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from inventory.domain.errors import InvalidQuantity, InvalidState
from inventory.domain.events import LotNearExpiry, StockMovedBetweenBins
from inventory.domain.quantities import positive, utc
from inventory.domain.stock_bins import Placement
from inventory.domain.stock_item_state import StockItemState

#: 临期预警 lead time when neither the item nor the service names one.
DEFAULT_EXPIRY_ALERT_DAYS = 30


class StockBinCommands(StockItemState):
    def move_between_bins(
        self,
        qty: Decimal,
        *,
        from_location: str | None,
        to_location: str | None,
        lot: str | None = None,
        document: str,
        occurred_at: datetime,
        move_id: UUID | None = None,
    ) -> StockMovedBetweenBins:
        """移库: only the bins change, never on-hand or value. The source bin must hold the
        qty whatever the negative-stock policy (a bin move never invents stock); moving
        expired goods is allowed (e.g. to a quarantine location)."""
        self._require_open()
        positive(qty)
        if (from_location or "") == (to_location or ""):
            raise InvalidQuantity("a bin move needs two different locations", field="to_location")
        self.bins.require_in_bin(self.sku, qty, from_location, lot)
        event = StockMovedBetweenBins(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            move_id=move_id or uuid4(),
            document=document,
            from_location=from_location,
            to_location=to_location,
            lot=lot,
            qty=qty,
        )
        self._record(event)
        return event

    def flag_lots_near_expiry(
        self, as_of: date, *, alert_days: int = DEFAULT_EXPIRY_ALERT_DAYS, occurred_at: datetime
    ) -> list[LotNearExpiry]:
        """临期预警: one ``LotNearExpiry`` per lot in stock whose expiry is at most
        ``alert_days`` after ``as_of``, once per lot — sweeping again records nothing."""
        self._require_open()
        if alert_days < 0:
            raise InvalidState("alert_days must not be negative")
        alerts = [
            LotNearExpiry(
                occurred_at=utc(occurred_at),
                sku=self.sku,
                warehouse_id=self.warehouse_id,
                lot=lot,
                expiry=info.expiry,
                qty=self.bins.lot_qty(lot),
                days_left=(info.expiry - as_of).days,
                alert_days=alert_days,
            )
            for lot, info in self.bins.lots_coming_due(as_of, alert_days)
            if info.expiry is not None
        ]
        for alert in alerts:
            self._record(alert)
        return alerts

    def _place(
        self,
        qty: Decimal,
        occurred_at: datetime,
        location: str | None,
        lot: str | None,
        *,
        write_off: bool = False,
    ) -> Placement:
        """The bins an outbound of ``qty`` takes, FEFO at the movement's business date."""
        return self.bins.place_outbound(
            self.sku,
            qty,
            as_of=utc(occurred_at).date(),
            location=location,
            lot=lot,
            allow_negative=self.allows_negative_stock,
            write_off=write_off,
        )
