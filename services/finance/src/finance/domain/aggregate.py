"""The finance domain's aggregate base: eventkit's pure aggregate, refusing with our
`InvalidState`."""

from eventkit.aggregate import Aggregate as KernelAggregate
from finance.domain.errors import InvalidState
from finance.domain.events import DomainEvent


class Aggregate(KernelAggregate[DomainEvent]):
    state_error = InvalidState
