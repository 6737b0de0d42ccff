"""The user account aggregate: what an administrator may and may not record."""

from datetime import UTC, datetime

import pytest

from erp_console.domain.errors import InvalidUserInput, UserAlreadyExists
from erp_console.domain.events import UserDisabled, UserRegistered, UserRolesChanged
from erp_console.domain.roles import service_roles
from erp_console.domain.user import User

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def registered(roles: tuple[str, ...] = ("sales",)) -> User:
    user = User()
    user.register("wang.fang", "王芳", roles, "hash-1", occurred_at=NOW)
    return user


def test_registering_records_the_sorted_known_roles() -> None:
    user = registered(("sales", "finance", "sales"))
    [event] = user.pending_events
    assert isinstance(event, UserRegistered)
    assert event.roles == ("finance", "sales")
    assert user.enabled


@pytest.mark.parametrize(
    ("username", "name", "roles", "field"),
    [
        ("Wang Fang", "王芳", ("sales",), "username"),
        ("w", "王芳", ("sales",), "username"),
        ("wang", "  ", ("sales",), "display_name"),
        ("wang", "王芳", ("superuser",), "roles"),
        ("wang", "王芳", (), "roles"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    username: str, name: str, roles: tuple[str, ...], field: str
) -> None:
    with pytest.raises(InvalidUserInput) as refused:
        User().register(username, name, roles, "hash", occurred_at=NOW)
    assert refused.value.details["field"] == field


def test_a_username_is_registered_once() -> None:
    user = registered()
    with pytest.raises(UserAlreadyExists):
        user.register("wang.fang", "王芳", ("sales",), "hash-2", occurred_at=NOW)


def test_the_same_roles_again_record_nothing() -> None:
    user = registered(("sales",))
    user.collect_events()
    assert not user.change_roles(["sales"], occurred_at=NOW)
    assert user.change_roles(["sales", "inventory"], occurred_at=NOW)
    assert isinstance(user.pending_events[-1], UserRolesChanged)


def test_disabling_twice_records_one_event_and_replay_gives_the_same_account() -> None:
    user = registered()
    assert user.disable(occurred_at=NOW)
    assert not user.disable(occurred_at=NOW)
    events = user.collect_events()
    assert [type(e) for e in events] == [UserRegistered, UserDisabled]
    replayed = User.from_events(events)
    assert (replayed.enabled, replayed.roles) == (False, frozenset({"sales"}))


def test_every_user_token_may_read() -> None:
    assert service_roles(frozenset({"sales"})) == {"sales", "viewer"}
