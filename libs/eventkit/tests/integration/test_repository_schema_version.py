"""Events saved through the repository carry their class's current schema version, so the
upcasters that turn old payloads into the current shape never run on a current payload."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import CommandContext, EventStore, NewEvent, Upcasters
from eventkit.aggregate import Aggregate
from eventkit.codec import DataclassEventCodec
from eventkit.repository import AggregateRepository
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration

STREAM = "wallet-1"
WHEN = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Deposited:
    """Version 2: `amount` in yuan (a decimal). Version 1 stored integer cents."""

    event_type: ClassVar[str] = "Deposited"
    schema_version: ClassVar[int] = 2

    amount: Decimal
    occurred_at: datetime


@dataclass(frozen=True)
class Opened:
    """Still at version 1 (no `schema_version` declared)."""

    event_type: ClassVar[str] = "Opened"

    owner: str
    occurred_at: datetime


UPCASTERS = Upcasters()


@UPCASTERS.register("Deposited", 1)
def _cents_to_yuan(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "amount": str(Decimal(payload["amount"]) / 100)}


CODEC = DataclassEventCodec([Deposited, Opened], "toy")


class Wallet(Aggregate[Any]):
    def __init__(self) -> None:
        super().__init__()
        self.balance = Decimal(0)
        self.owner: str | None = None

    def open(self, owner: str) -> None:
        self._record(Opened(owner, WHEN))

    def deposit(self, amount: Decimal) -> None:
        self._record(Deposited(amount, WHEN))

    def _apply(self, event: Any) -> None:
        match event:
            case Opened(owner=owner):
                self.owner = owner
            case Deposited(amount=amount):
                self.balance += amount
            case _:
                raise self._cannot_apply(event)


def repository(conn: AsyncConnection) -> AggregateRepository:
    return AggregateRepository(conn, EventStore(UPCASTERS), CODEC, CommandContext(actor="t"), "toy")


async def test_the_codec_knows_each_event_class_current_schema_version() -> None:
    assert CODEC.schema_version(Deposited(Decimal("1"), WHEN)) == 2
    assert CODEC.schema_version(Opened("x", WHEN)) == 1
    assert "schema_version" not in CODEC.encode(Deposited(Decimal("1"), WHEN))


async def test_an_event_at_version_2_is_stored_as_version_2_and_reads_back_unchanged(
    engine: AsyncEngine,
) -> None:
    # A version-1 event written long ago (cents), before the class moved to version 2.
    async with engine.begin() as conn:
        await EventStore().append(
            conn,
            [NewEvent(STREAM, "Opened", {"owner": "li", "occurred_at": WHEN.isoformat()})],
            {STREAM: 0},
        )
        await EventStore().append(
            conn,
            [
                NewEvent(
                    STREAM,
                    "Deposited",
                    {"amount": 12345, "occurred_at": WHEN.isoformat()},
                    schema_version=1,
                )
            ],
            {STREAM: 1},
        )

    async def deposit(conn: AsyncConnection) -> None:
        repo = repository(conn)
        wallet = await repo.get(Wallet, STREAM)
        assert wallet.balance == Decimal("123.45")  # the v1 event, upcast once
        wallet.deposit(Decimal("10.50"))
        await repo.save()

    await in_transaction(engine, deposit)

    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                text(
                    "SELECT event_type, schema_version, payload->>'amount' FROM events"
                    " WHERE stream_id = :s ORDER BY stream_version"
                ),
                {"s": STREAM},
            )
        ).all()
        assert [tuple(row) for row in stored] == [
            ("Opened", 1, None),
            ("Deposited", 1, "12345"),
            ("Deposited", 2, "10.50"),
        ]
        (_, _, latest) = await EventStore(UPCASTERS).read_stream(conn, STREAM)
        assert latest.schema_version == 2
        assert CODEC.decode(latest.event_type, latest.payload) == Deposited(Decimal("10.50"), WHEN)
        wallet = Wallet.from_events(
            CODEC.decode(r.event_type, r.payload)
            for r in await EventStore(UPCASTERS).read_stream(conn, STREAM)
        )
    assert wallet.owner == "li"
    assert wallet.balance == Decimal("133.95")
