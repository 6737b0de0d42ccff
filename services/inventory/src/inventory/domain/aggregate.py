"""The inventory domain's aggregate base: eventkit's pure aggregate, refusing with our
`InvalidState`."""

from eventkit.aggregate import Aggregate as KernelAggregate
from inventory.domain.errors import InvalidState
from inventory.domain.events import DomainEvent


class Aggregate(KernelAggregate[DomainEvent]):
    state_error = InvalidState
