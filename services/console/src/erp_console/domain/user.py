"""A console user account, stream ``user-{username}``: who they are, what they may do, whether
they may sign in. Every change is an event with the administrator who made it as its actor."""

import re
from collections.abc import Iterable
from datetime import datetime

from erp_console.domain.errors import InvalidUserInput, UserAlreadyExists, UserRefusal
from erp_console.domain.events import (
    UserDisabled,
    UserEnabled,
    UserEvent,
    UserPasswordReset,
    UserRegistered,
    UserRolesChanged,
)
from erp_console.domain.roles import ROLES
from eventkit.aggregate import Aggregate

#: Login names: lower-case letters, digits, dot, dash, underscore; what a clerk types.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def user_stream_id(username: str) -> str:
    return f"user-{username}"


def valid_roles(roles: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(sorted(set(roles)))
    unknown = [role for role in chosen if role not in ROLES]
    if unknown:
        raise InvalidUserInput(f"unknown role(s): {', '.join(unknown)}", field="roles")
    if not chosen:
        raise InvalidUserInput("a user needs at least one role", field="roles")
    return chosen


class User(Aggregate[UserEvent]):
    state_error = UserRefusal

    def __init__(self) -> None:
        super().__init__()
        self.username = ""
        self.display_name = ""
        self.roles: frozenset[str] = frozenset()
        self.password_hash = ""
        self.enabled = False

    @property
    def exists(self) -> bool:
        return bool(self.username)

    def register(
        self,
        username: str,
        display_name: str,
        roles: Iterable[str],
        password_hash: str,
        *,
        occurred_at: datetime,
    ) -> None:
        if self.exists:
            raise UserAlreadyExists(f"user {username} already exists", username=username)
        if not USERNAME.match(username):
            raise InvalidUserInput(
                "a username is 2–40 lower-case letters, digits, '.', '-' or '_'", field="username"
            )
        if not display_name.strip():
            raise InvalidUserInput("the display name must not be blank", field="display_name")
        self._record(
            UserRegistered(
                occurred_at=occurred_at,
                username=username,
                display_name=display_name.strip(),
                roles=valid_roles(roles),
                password_hash=password_hash,
            )
        )

    def change_roles(self, roles: Iterable[str], *, occurred_at: datetime) -> bool:
        chosen = valid_roles(roles)
        if frozenset(chosen) == self.roles:
            return False
        self._record(
            UserRolesChanged(occurred_at=occurred_at, username=self.username, roles=chosen)
        )
        return True

    def disable(self, *, occurred_at: datetime) -> bool:
        if not self.enabled:
            return False
        self._record(UserDisabled(occurred_at=occurred_at, username=self.username))
        return True

    def enable(self, *, occurred_at: datetime) -> bool:
        if self.enabled:
            return False
        self._record(UserEnabled(occurred_at=occurred_at, username=self.username))
        return True

    def reset_password(self, password_hash: str, *, occurred_at: datetime) -> None:
        self._record(
            UserPasswordReset(
                occurred_at=occurred_at, username=self.username, password_hash=password_hash
            )
        )

    def _apply(self, event: UserEvent) -> None:
        match event:
            case UserRegistered():
                self.username, self.display_name = event.username, event.display_name
                self.roles, self.password_hash = frozenset(event.roles), event.password_hash
                self.enabled = True
            case UserRolesChanged():
                self.roles = frozenset(event.roles)
            case UserDisabled():
                self.enabled = False
            case UserEnabled():
                self.enabled = True
            case UserPasswordReset():
                self.password_hash = event.password_hash
            case _:
                raise self._cannot_apply(event)
