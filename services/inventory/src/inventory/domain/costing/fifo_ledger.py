"""The 库存流水 of a FIFO stock item: the same ledger, priced from cost layers.

A movement at the end of business time is priced from the layers kept in state (no walk over
history). A backdated one re-layers only the forward part of the stream: the layers just
before its business time are rebuilt from the earlier (already costed) movements, then it and
every later movement are re-costed; the later ones' changes go out as ``StockRevalued``
adjustments exactly as under the moving average.
"""

from bisect import bisect_right
from uuid import UUID

from inventory.domain.costing.fifo import FifoLayers, fifo_revalue, layers_of, price_fifo
from inventory.domain.events import RevaluedMovement
from inventory.domain.stock_ledger import PricedMovement, StockLedger
from inventory.domain.valuation import Movement, StockPosition, ValuedMovement, settle
from inventory.domain.vocabulary import CostingMethod


class FifoLedger(StockLedger):
    def __init__(self, entries: tuple[ValuedMovement, ...] = ()) -> None:
        super().__init__()
        self._entries = list(entries)
        self._times = [entry.movement.occurred_at for entry in entries]
        self._layers = layers_of(entry.movement for entry in entries)
        #: False after a backdated insert or a revaluation: rebuilt when next needed.
        self._layers_current = True

    @property
    def layers(self) -> FifoLayers:
        if not self._layers_current:
            self._layers = layers_of(entry.movement for entry in self._entries)
            self._layers_current = True
        return self._layers

    def price(self, movement: Movement) -> PricedMovement:
        index = bisect_right(self._times, movement.occurred_at)
        if index == len(self._entries):
            position = self.position
            valued = settle(position, price_fifo(self.layers, position, movement))
            return PricedMovement(valued, (), ())
        earlier = self._entries[:index]
        before = earlier[-1].after if earlier else StockPosition()
        later = tuple(self._entries[index:])
        walked = fifo_revalue(
            layers_of(entry.movement for entry in earlier),
            before,
            [movement, *(entry.movement for entry in later)],
        )
        return PricedMovement(walked[0], later, tuple(walked[1:]))

    def insert(self, movement: Movement, after: StockPosition) -> None:
        at_end = not self._times or movement.occurred_at >= self._times[-1]
        super().insert(movement, after)
        if at_end and self._layers_current:
            self._layers.absorb(movement)
        else:
            self._layers_current = False

    def apply_revaluation(self, trigger: UUID, adjustments: tuple[RevaluedMovement, ...]) -> None:
        super().apply_revaluation(trigger, adjustments)
        self._layers_current = False


def ledger_for(method: CostingMethod, entries: tuple[ValuedMovement, ...] = ()) -> StockLedger:
    """FIFO prices from cost layers; the moving and periodic averages share one ledger (the
    periodic average's provisional cost during the month is the moving average)."""
    if method is CostingMethod.FIFO:
        return FifoLedger(entries)
    ledger = StockLedger()
    for entry in entries:
        ledger.insert(entry.movement, entry.after)
    return ledger
