"""库位/批次 balances of one stock item: on-hand per (location, lot), each lot's expiry, FEFO
picking and the near-expiry alert state. Held inside the ``StockItem`` aggregate, so a pick is
decided under the same stream lock as the quantity it takes.

Keys: location '' is the warehouse's unnamed default location and lot '' is "no lot". A
warehouse without locations and an item without lots therefore keep the one bin ('', '') and
behave exactly as before locations and lots existed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from inventory.domain.errors import InsufficientBinStock, InsufficientStock, LotExpired
from inventory.domain.events import BinPick, LotNearExpiry, StockMovedBetweenBins, StockMovement
from inventory.domain.quantities import ZERO
from inventory.domain.vocabulary import MovementDirection

BinKey = tuple[str, str]
"""(location, lot); '' = unnamed."""


def bin_key(location: str | None, lot: str | None) -> BinKey:
    return (location or "", lot or "")


def is_expired(expiry: date | None, as_of: date) -> bool:
    """A lot may be used up to and including its expiry date (expiry < business date)."""
    return expiry is not None and expiry < as_of


def bin_changes(event: StockMovement) -> list[tuple[BinKey, Decimal]]:
    """How a movement changes the bins: its picks, else its one (location, lot)."""
    if not event.picks:
        return [(bin_key(event.location, event.lot), event.signed_qty)]
    sign = 1 if event.direction is MovementDirection.IN else -1
    return [(bin_key(pick.location, pick.lot), sign * pick.qty) for pick in event.picks]


def lots_brought_in(event: StockMovement) -> list[tuple[str, date | None]]:
    """(lot, expiry) of each lot an inbound movement brings (its picks, else its one lot)."""
    if event.picks:
        return [(pick.lot, pick.expiry) for pick in event.picks if pick.lot]
    return [(event.lot, event.expiry)] if event.lot else []


@dataclass(frozen=True, slots=True)
class LotInfo:
    expiry: date | None
    first_received: datetime
    alerted: bool = False


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an outbound movement takes its goods: one bin (``location``/``lot``), or several
    (``picks``, and then location and lot are None)."""

    location: str | None
    lot: str | None
    picks: tuple[BinPick, ...]


class StockBins:
    def __init__(self) -> None:
        self._qty: dict[BinKey, Decimal] = {}
        self._lots: dict[str, LotInfo] = {}

    @property
    def balances(self) -> Mapping[BinKey, Decimal]:
        return MappingProxyType({key: qty for key, qty in self._qty.items() if qty != 0})

    @property
    def lots(self) -> Mapping[str, LotInfo]:
        return MappingProxyType(self._lots)

    def lot_qty(self, lot: str) -> Decimal:
        return sum((qty for (_, name), qty in self._qty.items() if name == lot), ZERO)

    def expired_qty(self, as_of: date) -> Decimal:
        """On-hand in lots expired at ``as_of`` (never reservable, never picked)."""
        expired = {lot for lot, info in self._lots.items() if is_expired(info.expiry, as_of)}
        return sum((max(ZERO, qty) for (_, lot), qty in self._qty.items() if lot in expired), ZERO)

    def locations_holding_stock(self) -> list[str]:
        return sorted({loc for (loc, _), qty in self._qty.items() if qty > 0 and loc})

    def expiry_of(self, lot: str | None) -> date | None:
        info = self._lots.get(lot or "")
        return None if info is None else info.expiry

    # -- deciding -------------------------------------------------------------------------

    def place_outbound(
        self,
        sku: str,
        qty: Decimal,
        *,
        as_of: date,
        location: str | None = None,
        lot: str | None = None,
        allow_negative: bool = False,
        write_off: bool = False,
    ) -> Placement:
        """Pick ``qty`` FEFO (earliest expiry first, then oldest receipt, then location) from
        the bins matching the named location/lot. Expired lots are never picked, except by a
        ``write_off`` (a loss: 报损 of expired goods). Under the FORBID policy a shortfall is
        refused, under ALLOW it is taken from the named (or default) bin, which goes
        negative."""
        if lot and not write_off and is_expired(self.expiry_of(lot), as_of):
            raise LotExpired(sku, lot, self.expiry_of(lot))
        cutoff = date.min if write_off else as_of
        picks, missing = self._fefo(qty, cutoff, location, lot)
        if missing > 0:
            if not allow_negative:
                self._refuse_shortfall(sku, qty, qty - missing, location, lot)
            picks.append(BinPick(location=location, lot=lot, qty=missing))
        merged = _merged(picks)
        if len(merged) == 1:
            return Placement(merged[0].location, merged[0].lot, ())
        return Placement(None, None, tuple(merged))

    def require_in_bin(self, sku: str, qty: Decimal, location: str | None, lot: str | None) -> None:
        held = self._qty.get(bin_key(location, lot), ZERO)
        if qty > held:
            raise InsufficientBinStock(sku, qty, held, location, lot)

    def lots_coming_due(self, as_of: date, alert_days: int) -> list[tuple[str, LotInfo]]:
        """Lots in stock, not yet alerted, whose expiry is at most ``alert_days`` away
        (already expired ones included: they are the most urgent)."""
        return [
            (lot, info)
            for lot, info in sorted(self._lots.items())
            if lot
            and not info.alerted
            and info.expiry is not None
            and (info.expiry - as_of).days <= alert_days
            and self.lot_qty(lot) > 0
        ]

    def _fefo(
        self, qty: Decimal, as_of: date, location: str | None, lot: str | None
    ) -> tuple[list[BinPick], Decimal]:
        candidates = [
            key
            for key, held in self._qty.items()
            if held > 0
            and (location is None or key[0] == location)
            and (lot is None or key[1] == lot)
            and not is_expired(self.expiry_of(key[1]), as_of)
        ]
        candidates.sort(key=self._fefo_order)
        picks: list[BinPick] = []
        missing = qty
        for loc, name in candidates:
            if missing <= 0:
                break
            take = min(missing, self._qty[loc, name])
            picks.append(BinPick(location=loc or None, lot=name or None, qty=take))
            missing -= take
        return picks, missing

    def _fefo_order(self, key: BinKey) -> tuple[bool, date, datetime, str]:
        info = self._lots.get(key[1])
        if info is None:
            return (True, date.max, datetime.max.replace(tzinfo=None), key[0])
        # Lots without an expiry date go after every dated lot, oldest receipt first.
        return (
            info.expiry is None,
            info.expiry or date.max,
            info.first_received.replace(tzinfo=None),
            key[0],
        )

    def _refuse_shortfall(
        self,
        sku: str,
        qty: Decimal,
        found: Decimal,
        location: str | None,
        lot: str | None,
    ) -> None:
        if location is None and lot is None:
            raise InsufficientStock(sku, qty, found)
        raise InsufficientBinStock(sku, qty, found, location, lot)

    # -- applying -------------------------------------------------------------------------

    def apply_movement(self, event: StockMovement) -> None:
        for key, change in bin_changes(event):
            self._change(key, change)
        if event.direction is MovementDirection.IN:
            for lot, expiry in lots_brought_in(event):
                self._learn_lot(lot, expiry, event.occurred_at)

    def _learn_lot(self, lot: str, expiry: date | None, received: datetime) -> None:
        # A lot keeps the expiry of its first receipt that named one.
        known = self._lots.get(lot)
        if known is None:
            self._lots[lot] = LotInfo(expiry, received)
        elif known.expiry is None and expiry is not None:
            self._lots[lot] = replace(known, expiry=expiry)

    def apply_bin_event(self, event: StockMovedBetweenBins | LotNearExpiry) -> None:
        if isinstance(event, LotNearExpiry):
            self._lots[event.lot] = replace(self._lots[event.lot], alerted=True)
            return
        self._change(bin_key(event.from_location, event.lot), -event.qty)
        self._change(bin_key(event.to_location, event.lot), event.qty)

    def _change(self, key: BinKey, change: Decimal) -> None:
        held = self._qty.get(key, ZERO) + change
        if held == 0:
            self._qty.pop(key, None)
        else:
            self._qty[key] = held


def _merged(picks: list[BinPick]) -> list[BinPick]:
    """One pick per bin (an ALLOW shortfall may land in a bin FEFO already took from)."""
    totals: dict[BinKey, Decimal] = {}
    for pick in picks:
        key = bin_key(pick.location, pick.lot)
        totals[key] = totals.get(key, ZERO) + pick.qty
    return [
        BinPick(location=loc or None, lot=lot or None, qty=qty)
        for (loc, lot), qty in totals.items()
    ]
