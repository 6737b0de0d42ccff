"""``UsersProjection`` keeps ``rm_users.users``: one row per account (username, display name,
roles, enabled, password hash, when and by whom it last changed) — what sign-in and the user
screen read."""

from typing import Any, ClassVar

from sqlalchemy import Boolean, Column, DateTime, MetaData, Table, Text, any_, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_console.adapters.codec import CODEC
from erp_console.domain import events as e
from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent

SCHEMA = "rm_users"
metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("username", Text, primary_key=True),
    Column("display_name", Text, nullable=False),
    Column("roles", ARRAY(Text), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", Text),
    schema=SCHEMA,
)


class UsersProjection(Projection):
    name: ClassVar[str] = "users"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(cls.event_type for cls in e.EVENT_CLASSES)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        decoded = CODEC.decode(event.event_type, event.payload)
        changed = {"changed_at": event.occurred_at, "changed_by": event.metadata.actor}
        if isinstance(decoded, e.UserRegistered):
            row = {
                "username": decoded.username,
                "display_name": decoded.display_name,
                "roles": list(decoded.roles),
                "enabled": True,
                "password_hash": decoded.password_hash,
                **changed,
            }
            await conn.execute(insert(users).values(row).on_conflict_do_nothing())
            return
        await conn.execute(
            users.update()
            .where(users.c.username == decoded.username)
            .values(**_changes(decoded), **changed)
        )


def _changes(event: e.UserEvent) -> dict[str, Any]:
    match event:
        case e.UserRolesChanged():
            return {"roles": list(event.roles)}
        case e.UserDisabled():
            return {"enabled": False}
        case e.UserEnabled():
            return {"enabled": True}
        case e.UserPasswordReset():
            return {"password_hash": event.password_hash}
    return {}


async def list_users(conn: AsyncConnection) -> list[dict[str, Any]]:
    rows = await conn.execute(
        select(
            users.c.username,
            users.c.display_name,
            users.c.roles,
            users.c.enabled,
            users.c.changed_at,
            users.c.changed_by,
        ).order_by(users.c.username)
    )
    return [dict(row._mapping) for row in rows]


async def enabled_admins(conn: AsyncConnection) -> set[str]:
    rows = await conn.execute(
        select(users.c.username).where(users.c.enabled, literal("admin") == any_(users.c.roles))
    )
    return {row.username for row in rows}
