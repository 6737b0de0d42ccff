"""What a store-fed projection is.

A projection owns one PostgreSQL schema (e.g. `rm_stock`) holding its tables, declared as
SQLAlchemy Core tables with `schema=<that schema>`. Writing through Core lets a rebuild point the
same code at a fresh schema (`schema_translate_map`) and swap it in atomically.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.store.records import RecordedEvent


class Projection(ABC):
    #: Unique name; its checkpoint is `projection:<name>`.
    name: ClassVar[str]
    #: The PostgreSQL schema holding the projection's tables.
    schema: ClassVar[str]
    #: The tables (every one with `schema=<schema>`).
    metadata: ClassVar[MetaData]
    #: Event types the projection reads; others are skipped without a call.
    handles: ClassVar[frozenset[str]]

    @abstractmethod
    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        """Apply one event. Called in order, inside the transaction that moves the checkpoint."""

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        """Apply a batch (only events in `handles`, in commit order). Override to write a batch
        in fewer statements — rebuilds replay millions of events through here."""
        for event in events:
            await self.apply(conn, event)

    @property
    def reader(self) -> str:
        return f"projection:{self.name}"
