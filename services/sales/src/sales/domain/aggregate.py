"""The sales domain's aggregate base: eventkit's pure aggregate, refusing with our
`InvalidState`."""

from eventkit.aggregate import Aggregate as KernelAggregate
from sales.domain.errors import InvalidState
from sales.domain.events import DomainEvent


class Aggregate(KernelAggregate[DomainEvent]):
    state_error = InvalidState
