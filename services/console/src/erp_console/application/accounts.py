"""User accounts (用户管理): an administrator registers, re-roles, disables, enables and resets
people; each is an event whose actor is that administrator. Sign-in checks the password
against the account's own stream, so a user registered a moment ago can sign in at once."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from erp_console.adapters import sessions
from erp_console.adapters.codec import CODEC
from erp_console.adapters.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    new_password,
    password_matches,
)
from erp_console.adapters.users_projection import enabled_admins
from erp_console.domain.errors import InvalidUserInput, LastAdministrator, UnknownUser
from erp_console.domain.roles import ADMIN
from erp_console.domain.user import USERNAME, User, user_stream_id
from eventkit import CommandContext, EventStore
from eventkit.repository import AggregateRepository
from eventkit.uow import in_transaction

SERVICE = "console"
log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    session: sessions.Session


class SignInRefused(Exception):
    """Wrong username or password (never says which), or too many recent failures."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Accounts:
    def __init__(self, engine: AsyncEngine, store: EventStore) -> None:
        self.engine = engine
        self.store = store

    def _uow(self, conn: AsyncConnection, context: CommandContext) -> AggregateRepository:
        return AggregateRepository(conn, self.store, CODEC, context, SERVICE)

    async def user(self, conn: AsyncConnection, username: str) -> User:
        records = await self.store.read_stream(conn, user_stream_id(username))
        return User.from_events(CODEC.decode(r.event_type, r.payload) for r in records)

    async def register(
        self,
        context: CommandContext,
        username: str,
        display_name: str,
        roles: list[str],
        password: str | None = None,
    ) -> str:
        """Register a user; returns the password to hand over (the one given, or a new one)."""
        chosen = password or new_password()
        _check_password(chosen)
        password_hash = hash_password(chosen)

        async def work(conn: AsyncConnection) -> None:
            uow = self._uow(conn, context)
            user = await uow.get(User, user_stream_id(username))
            user.register(username, display_name, roles, password_hash, occurred_at=_now())
            await uow.save()

        await in_transaction(self.engine, work)
        log.info("user_registered", username=username, roles=sorted(roles))
        return chosen

    async def change_roles(self, context: CommandContext, username: str, roles: list[str]) -> None:
        async def work(conn: AsyncConnection) -> None:
            uow, user = await self._existing(conn, context, username)
            if ADMIN not in roles:
                await _keep_an_admin(conn, username)
            user.change_roles(roles, occurred_at=_now())
            await uow.save()

        await in_transaction(self.engine, work)

    async def disable(self, context: CommandContext, username: str) -> None:
        async def work(conn: AsyncConnection) -> None:
            uow, user = await self._existing(conn, context, username)
            await _keep_an_admin(conn, username)
            if user.disable(occurred_at=_now()):
                await sessions.end_sessions_of(conn, username)
            await uow.save()

        await in_transaction(self.engine, work)

    async def enable(self, context: CommandContext, username: str) -> None:
        async def work(conn: AsyncConnection) -> None:
            uow, user = await self._existing(conn, context, username)
            user.enable(occurred_at=_now())
            await uow.save()

        await in_transaction(self.engine, work)

    async def reset_password(self, context: CommandContext, username: str) -> str:
        """A new password for `username`, shown once; their sessions end."""
        password = new_password()
        password_hash = hash_password(password)

        async def work(conn: AsyncConnection) -> None:
            uow, user = await self._existing(conn, context, username)
            user.reset_password(password_hash, occurred_at=_now())
            await sessions.end_sessions_of(conn, username)
            await uow.save()

        await in_transaction(self.engine, work)
        return password

    async def _existing(
        self, conn: AsyncConnection, context: CommandContext, username: str
    ) -> tuple[AggregateRepository, User]:
        uow = self._uow(conn, context)
        user = await uow.get(User, user_stream_id(username))
        if not user.exists:
            raise UnknownUser(f"no user is called {username}", username=username)
        return uow, user

    async def sign_in(self, username: str, password: str, client_ip: str) -> SignedIn:
        """A session for the right password; the attempt is recorded either way (a refusal
        commits its record too: the rate limit counts it)."""
        opened: tuple[str, sessions.Session] | None = None
        async with self.engine.begin() as conn:
            locked = await sessions.locked_out(conn, username, client_ip)
            if not locked:
                user = await self.user(conn, username) if USERNAME.match(username) else User()
                ok = user.enabled and password_matches(user.password_hash or None, password)
                await sessions.record_attempt(conn, username, client_ip, succeeded=ok)
                if ok:
                    opened = await sessions.open_session(conn, username)
        if locked:
            log.warning("sign_in_locked_out", username=username, client_ip=client_ip)
            raise SignInRefused("too_many_attempts")
        if opened is None:
            log.warning("sign_in_failed", username=username, client_ip=client_ip)
            raise SignInRefused("bad_credentials")
        log.info("signed_in", username=username, client_ip=client_ip)
        return SignedIn(*opened)

    async def session_user(self, token: str) -> tuple[sessions.Session, User] | None:
        async with self.engine.connect() as conn:
            session = await sessions.find_session(conn, token)
            if session is None:
                return None
            user = await self.user(conn, session.username)
        return (session, user) if user.enabled else None

    async def sign_out(self, token: str) -> None:
        async with self.engine.begin() as conn:
            await sessions.end_session(conn, token)


async def _keep_an_admin(conn: AsyncConnection, username: str) -> None:
    if await enabled_admins(conn) <= {username}:
        raise LastAdministrator("the console must keep one enabled administrator")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUserInput(
            f"a password has at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )


def _now() -> datetime:
    return datetime.now(UTC)


def describe(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "enabled": user.enabled,
    }
