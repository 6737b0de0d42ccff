"""`rm_report_custom`: the saved custom report definitions (from reporting's own
`CustomReportDefined` events)."""

from typing import ClassVar

from sqlalchemy import Column, DateTime, MetaData, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from reporting.domain.custom_report import CustomReportDefined

SCHEMA = "rm_report_custom"
metadata = MetaData()

custom_reports = Table(
    "custom_reports",
    metadata,
    Column("custom_report_id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("report", Text, nullable=False),
    Column("definition", JSONB, nullable=False),  # the event payload
    Column("defined_by", Text),
    Column("defined_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)


class CustomReportsProjection(Projection):
    name: ClassVar[str] = "reporting.custom_reports"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset({CustomReportDefined.event_type})

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        defined = CustomReportDefined.from_payload(event.payload)
        await conn.execute(
            insert(custom_reports)
            .values(
                custom_report_id=defined.custom_report_id,
                name=defined.name,
                report=defined.report,
                definition=defined.payload(),
                defined_by=event.metadata.actor,
                defined_at=event.recorded_at,
            )
            .on_conflict_do_nothing()
        )
