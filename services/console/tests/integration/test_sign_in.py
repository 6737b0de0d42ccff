"""Signing in and out of the console: cookies, CSRF, rate limiting, sessions that end."""

import pytest

from erp_console.adapters.sessions import MAX_FAILURES
from erp_console.ui.shell import SESSION_COOKIE
from eventkit import CommandContext

from .support import ConsoleUnderTest

pytestmark = pytest.mark.integration


async def test_the_first_admin_signs_in_with_the_stack_password_and_gets_a_strict_cookie(
    console: ConsoleUnderTest,
) -> None:
    assert await console.first_admin_registered()
    response = await console.sign_in("admin", "first-admin-pw", "/stock")
    assert response.status_code == 303
    assert response.headers["location"] == "/stock"
    cookie = response.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    token = response.cookies[SESSION_COOKIE]
    found = await console.accounts.session_user(token)
    assert found is not None
    assert found[1].username == "admin"
    # Only the secret's hash is stored.
    assert (
        await console.count("SELECT count(*) FROM console_sessions WHERE token_hash = :t", t=token)
        == 0
    )


async def test_a_sign_in_without_the_forms_csrf_token_opens_no_session(
    console: ConsoleUnderTest,
) -> None:
    await console.register("li.qiang", ["approver"], "good-password")
    response = await console.client.post(
        "/login",
        data={"username": "li.qiang", "password": "good-password", "csrf_token": "forged"},
    )
    assert response.status_code == 303
    assert "error=expired" in response.headers["location"]
    assert SESSION_COOKIE not in response.cookies
    assert await console.count("SELECT count(*) FROM console_sessions") == 0


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    console: ConsoleUnderTest,
) -> None:
    await console.register("zhang.wei", ["inventory"], "good-password")
    wrong_password = await console.sign_in("zhang.wei", "bad-password")
    no_such_user = await console.sign_in("nobody", "bad-password")
    for response in (wrong_password, no_such_user):
        assert "error=bad_credentials" in response.headers["location"]
        assert SESSION_COOKIE not in response.cookies


async def test_repeated_failures_lock_sign_in_even_with_the_right_password(
    console: ConsoleUnderTest,
) -> None:
    await console.register("liu.yang", ["sales"], "good-password")
    for _ in range(MAX_FAILURES):
        await console.sign_in("liu.yang", "guess")
    locked = await console.sign_in("liu.yang", "good-password")
    assert "error=too_many_attempts" in locked.headers["location"]
    assert SESSION_COOKIE not in locked.cookies
    failures = "SELECT count(*) FROM console_login_attempts WHERE username = :u AND NOT succeeded"
    assert await console.count(failures, u="liu.yang") == MAX_FAILURES


async def test_disabling_a_user_ends_their_sessions_and_refuses_their_next_sign_in(
    console: ConsoleUnderTest,
) -> None:
    await console.register("chen.jing", ["finance"], "good-password")
    token = (await console.sign_in("chen.jing", "good-password")).cookies[SESSION_COOKIE]
    response = await console.client.post("/api/users/chen.jing/disable", headers=_admin())
    assert response.status_code == 200, response.text
    assert await console.accounts.session_user(token) is None
    again = await console.sign_in("chen.jing", "good-password")
    assert "error=bad_credentials" in again.headers["location"]


async def test_a_reset_password_replaces_the_old_one_and_ends_sessions(
    console: ConsoleUnderTest,
) -> None:
    await console.register("zhao.min", ["analyst"], "old-password")
    token = (await console.sign_in("zhao.min", "old-password")).cookies[SESSION_COOKIE]
    reset = await console.client.post("/api/users/zhao.min/reset-password", headers=_admin())
    new_password = reset.json()["password"]
    assert await console.accounts.session_user(token) is None
    assert (
        "bad_credentials" in (await console.sign_in("zhao.min", "old-password")).headers["location"]
    )
    assert (await console.sign_in("zhao.min", new_password)).headers["location"] == "/"


async def test_sign_out_needs_the_sessions_csrf_token(console: ConsoleUnderTest) -> None:
    await console.register("sun.li", ["viewer"], "good-password")
    token = (await console.sign_in("sun.li", "good-password")).cookies[SESSION_COOKIE]
    console.client.cookies.set(SESSION_COOKIE, token)
    forged = await console.client.post("/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    found = await console.accounts.session_user(token)
    assert found is not None
    signed_out = await console.client.post("/logout", data={"csrf_token": found[0].csrf_token})
    assert signed_out.status_code == 303
    assert await console.accounts.session_user(token) is None


async def test_after_sign_in_only_a_path_on_this_site_is_followed(
    console: ConsoleUnderTest,
) -> None:
    await console.register("wang.fang", ["purchasing"], "good-password")
    response = await console.sign_in("wang.fang", "good-password", "//evil.example/steal")
    assert response.headers["location"] == "/"


def _admin() -> dict[str, str]:
    from .support import ADMIN

    return ADMIN


async def test_the_actor_of_a_user_change_is_the_administrator(console: ConsoleUnderTest) -> None:
    await console.accounts.register(CommandContext(actor="boss"), "new.clerk", "新人", ["sales"])
    async with console.service.runtime.engine.connect() as conn:
        records = await console.service.runtime.store.read_stream(conn, "user-new.clerk")
    assert [r.metadata.actor for r in records] == ["boss"]
