"""One posting per source event (stream ``posting-<producer>:<stream>#<version>``): the event
is posted once, however often it is delivered or re-sent under a new event id."""

from datetime import datetime
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.errors import UnbalancedEntry
from finance.domain.events import DomainEvent, JournalPosted
from finance.domain.money import utc
from finance.domain.posting_rules import StockMovement, is_balanced, stock_posting


def posting_stream_id(source: str) -> str:
    return f"posting-{source}"


class SourcePosting(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.posted = False

    def post_stock_movements(
        self,
        *,
        source_event_id: UUID,
        source: str,
        source_type: str,
        document: str,
        movements: list[StockMovement],
        occurred_at: datetime,
    ) -> JournalPosted | None:
        """Post the movements' journal lines; None when this source was already posted."""
        if self.posted:
            return None
        lines = stock_posting(movements)
        if not is_balanced(lines):
            raise UnbalancedEntry(f"{source_type} {document} does not balance")
        event = JournalPosted(
            occurred_at=utc(occurred_at),
            source_event_id=source_event_id,
            source=source,
            source_type=source_type,
            document=document,
            lines=lines,
            stock_changes=tuple(m.change for m in movements if m.change.qty or m.change.value),
        )
        self._record(event)
        return event

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case JournalPosted():
                self.posted = True
            case _:
                raise self._cannot_apply(event)
