"""The console's user accounts (and password hashes) never leave its store."""

from erp_console.bootstrap import blueprint
from erp_console.domain.user import user_stream_id
from eventkit.testing.public_stream import documented_payloads, stored


def test_the_console_publishes_no_user_event() -> None:
    publishes = blueprint().publishes
    for event_type in ("UserRegistered", "UserPasswordReset", "UserRolesChanged"):
        assert not publishes(stored(user_stream_id("wang.fang"), event_type))


def test_asyncapi_lists_no_message_on_the_consoles_topic() -> None:
    assert documented_payloads(blueprint()) == {}
