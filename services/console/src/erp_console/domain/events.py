"""What happens to a user account. Password hashes (argon2id, never the password) are in the
events so the stream alone rebuilds the account; the events stay in the console's store."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, kw_only=True)
class UserEvent:
    event_type: ClassVar[str]
    occurred_at: datetime
    username: str


@dataclass(frozen=True, kw_only=True)
class UserRegistered(UserEvent):
    event_type: ClassVar[str] = "UserRegistered"
    display_name: str
    roles: tuple[str, ...]
    password_hash: str


@dataclass(frozen=True, kw_only=True)
class UserRolesChanged(UserEvent):
    event_type: ClassVar[str] = "UserRolesChanged"
    roles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class UserDisabled(UserEvent):
    event_type: ClassVar[str] = "UserDisabled"


@dataclass(frozen=True, kw_only=True)
class UserEnabled(UserEvent):
    event_type: ClassVar[str] = "UserEnabled"


@dataclass(frozen=True, kw_only=True)
class UserPasswordReset(UserEvent):
    event_type: ClassVar[str] = "UserPasswordReset"
    password_hash: str


EVENT_CLASSES: tuple[type[UserEvent], ...] = (
    UserRegistered,
    UserRolesChanged,
    UserDisabled,
    UserEnabled,
    UserPasswordReset,
)
