"""The purchasing domain's aggregate base: eventkit's pure aggregate, refusing with our
`InvalidState`."""

from eventkit.aggregate import Aggregate as KernelAggregate
from purchasing.domain.errors import InvalidState
from purchasing.domain.events import DomainEvent


class Aggregate(KernelAggregate[DomainEvent]):
    state_error = InvalidState
