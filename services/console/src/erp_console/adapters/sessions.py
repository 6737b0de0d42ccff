"""Sessions and sign-in attempts in the console's database.

The cookie holds a random 256-bit secret; the table holds its SHA-256, so a copy of the
database does not hand out live sessions. Every session has its own CSRF token, which each
state-changing form posts back."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

#: A working day: a clerk signs in once in the morning.
SESSION_LIFETIME = timedelta(hours=10)
#: Sign-in rate limit: this many failures for one username, or from one address, within the
#: window lock further attempts until the window has passed (OWASP: slow guessing down
#: without letting anyone lock a user out for long).
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    csrf_token: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(conn: AsyncConnection, username: str) -> tuple[str, Session]:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + SESSION_LIFETIME
    await conn.execute(
        text(
            "INSERT INTO console_sessions (token_hash, username, csrf_token, expires_at)"
            " VALUES (:h, :u, :c, :e)"
        ),
        {"h": _digest(token), "u": username, "c": csrf, "e": expires},
    )
    return token, Session(username, csrf, expires)


async def find_session(conn: AsyncConnection, token: str) -> Session | None:
    """The live session of `token`: not ended and not expired (disabling a user or resetting
    their password ends their sessions in the same transaction)."""
    row = (
        await conn.execute(
            text(
                "SELECT username, csrf_token, expires_at FROM console_sessions"
                " WHERE token_hash = :h AND ended_at IS NULL AND expires_at > now()"
            ),
            {"h": _digest(token)},
        )
    ).first()
    return Session(row.username, row.csrf_token, row.expires_at) if row else None


async def end_session(conn: AsyncConnection, token: str) -> None:
    await conn.execute(
        text("UPDATE console_sessions SET ended_at = now() WHERE token_hash = :h"),
        {"h": _digest(token)},
    )


async def end_sessions_of(conn: AsyncConnection, username: str) -> None:
    """A disabled user or a reset password signs out everywhere at once."""
    await conn.execute(
        text(
            "UPDATE console_sessions SET ended_at = now() WHERE username = :u AND ended_at IS NULL"
        ),
        {"u": username},
    )


async def record_attempt(
    conn: AsyncConnection, username: str, client_ip: str, *, succeeded: bool
) -> None:
    await conn.execute(
        text(
            "INSERT INTO console_login_attempts (username, client_ip, succeeded)"
            " VALUES (:u, :ip, :ok)"
        ),
        {"u": username, "ip": client_ip, "ok": succeeded},
    )


async def locked_out(conn: AsyncConnection, username: str, client_ip: str) -> bool:
    """Too many recent failures for this username or from this address."""
    since = datetime.now(UTC) - FAILURE_WINDOW
    row = (
        await conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE username = :u) AS by_user,"
                "       count(*) FILTER (WHERE client_ip = :ip) AS by_ip"
                " FROM console_login_attempts"
                " WHERE NOT succeeded AND attempted_at > :since"
                "   AND (username = :u OR client_ip = :ip)"
            ),
            {"u": username, "ip": client_ip, "since": since},
        )
    ).one()
    return bool(row.by_user >= MAX_FAILURES or row.by_ip >= MAX_FAILURES * 4)
