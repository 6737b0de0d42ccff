"""The public event stream is the contract: what a service's relay may put on its topic.

A stored event goes out on `erp.<service>.events` only when all three hold:

- its `(event_type, schema_version)` is a public contract (`erp_contracts.registry`) that this
  service produces;
- the service declares that it records that event type on the event's stream category
  (`recorded_on`);
- it is therefore not one of the many internal events that share a stream with public ones
  (inventory's `stock-…` streams hold `StockReceived`, `StockIssued`, `StockReservationHeld`
  beside the public `StockAdjusted`, `ReorderPointBreached` and `StockRevalued`).

Deciding on the name alone is not enough: two services' stores (and one service's aggregates)
reuse names, so the category pins each public event to the aggregate whose payload is the
contract's wire form. Everything else stays in the store. A service with no contracts (reporting,
the console) publishes nothing.

The declaration is checked against the registry when it is built: a contract the service
produces but does not declare (it would silently never be published) or a declared type that
is no contract of the service refuses to start.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from erp_contracts.events import load_all
from erp_contracts.registry import PublicEvent, event_types
from eventkit.store.records import RecordedEvent


class PublicEventsMisdeclared(ValueError):
    """A service's `recorded_on` does not match the contracts it produces."""


def contracts_of(producer: str) -> list[type[PublicEvent]]:
    """Every public event model `producer` publishes, by type then version."""
    load_all()
    produced = [(key, model) for key, model in event_types().items() if model.producer == producer]
    return [model for _, model in sorted(produced, key=lambda item: item[0])]


def stream_category(stream_id: str, categories: Iterable[str]) -> str | None:
    """The longest of `categories` that `stream_id` belongs to: `<category>-<id>` or the
    category itself (a singleton stream such as `accounting-periods`). Longest, so that
    `customer-invoice-7` is a customer invoice and not a `customer`."""
    matches = [c for c in categories if stream_id == c or stream_id.startswith(f"{c}-")]
    return max(matches, key=len) if matches else None


@dataclass(frozen=True)
class PublicEvents:
    """The relay filter (`PublishFilter`) of one producer: contract events on their declared
    stream categories, nothing else."""

    producer: str
    #: Public event type → the stream categories the service records it on.
    recorded_on: Mapping[str, Iterable[str]]
    _categories: dict[str, frozenset[str]] = field(init=False, repr=False)
    _versions: frozenset[tuple[str, int]] = field(init=False, repr=False)
    _every_category: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        categories = {name: frozenset(cats) for name, cats in self.recorded_on.items()}
        versions = frozenset((m.event_type, m.schema_version) for m in self.contracts())
        _check(self.producer, categories, {name for name, _ in versions})
        object.__setattr__(self, "_categories", categories)
        object.__setattr__(self, "_versions", versions)
        object.__setattr__(self, "_every_category", frozenset().union(*categories.values()))

    def contracts(self) -> list[type[PublicEvent]]:
        return contracts_of(self.producer)

    def __call__(self, event: RecordedEvent) -> bool:
        """Decided on the event's head (the relay does not read payloads it will not send)."""
        if (event.event_type, event.schema_version) not in self._versions:
            return False
        category = stream_category(event.stream_id, self._every_category)
        return category in self._categories[event.event_type]


def _check(producer: str, declared: Mapping[str, frozenset[str]], contracts: set[str]) -> None:
    problems = [
        f"{name} is no public event of {producer}" for name in sorted(declared.keys() - contracts)
    ]
    problems += [
        f"{producer} produces {name} but does not say on which streams"
        for name in sorted(contracts - declared.keys())
    ]
    problems += [f"{name} is declared on no stream" for name, cats in declared.items() if not cats]
    if problems:
        raise PublicEventsMisdeclared("; ".join(problems))
