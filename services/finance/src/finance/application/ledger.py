"""Posting other services' events to the general ledger: one `JournalPosted` per source event,
recorded in finance's own store (the audit trail the ledger read model is built from)."""

from datetime import datetime
from uuid import UUID

from erp_contracts.registry import PublicEvent
from finance.adapters.inventory_movements import document_of, stock_movements
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.journal import SourcePosting, posting_stream_id


async def post_inventory_event(
    uow: FinanceUnitOfWork,
    event: PublicEvent,
    *,
    event_id: UUID,
    source: str,
    occurred_at: datetime,
) -> None:
    movements = stock_movements(event)
    if not movements:
        return
    posting = await uow.get(SourcePosting, posting_stream_id(source))
    periods = await uow.periods()
    posting.post_stock_movements(
        source_event_id=event_id,
        source=source,
        source_type=event.event_type,
        document=document_of(event),
        movements=movements,
        occurred_at=periods.posting_time(occurred_at),
    )
