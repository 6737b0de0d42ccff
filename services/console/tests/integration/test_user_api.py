"""The user administration API: administrators only, refusals with stable codes, nothing
written on refusal."""

import pytest

from .support import ADMIN, VIEWER_TOKEN, ConsoleUnderTest

pytestmark = pytest.mark.integration


async def test_a_viewer_may_neither_list_nor_create_users(console: ConsoleUnderTest) -> None:
    viewer = {"Authorization": f"Bearer {VIEWER_TOKEN}"}
    assert (await console.client.get("/api/users", headers=viewer)).status_code == 403
    body = {"username": "x.y", "display_name": "X", "roles": ["admin"]}
    assert (await console.client.post("/api/users", json=body, headers=viewer)).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "Bad Name", "display_name": "X", "roles": ["sales"]}, "username"),
        ({"username": "ok.name", "display_name": "X", "roles": ["root"]}, "roles"),
        (
            {"username": "ok.name", "display_name": "X", "roles": ["sales"], "password": "short"},
            "password",
        ),
    ],
)
async def test_bad_input_is_422_and_creates_nobody(
    console: ConsoleUnderTest, body: dict[str, object], field: str
) -> None:
    response = await console.client.post("/api/users", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert field in response.text
    assert await console.count("SELECT count(*) FROM events WHERE stream_id = 'user-ok.name'") == 0


async def test_a_taken_username_is_409_user_exists(console: ConsoleUnderTest) -> None:
    await console.register("dup.user", ["sales"], "password-1")
    again = {"username": "dup.user", "display_name": "D", "roles": ["sales"]}
    response = await console.client.post("/api/users", json=again, headers=ADMIN)
    assert response.status_code == 409
    assert response.json()["error"] == "user_exists"


async def test_the_last_enabled_administrator_cannot_be_disabled_or_demoted(
    console: ConsoleUnderTest,
) -> None:
    assert await console.first_admin_registered()
    disabled = await console.client.post("/api/users/admin/disable", headers=ADMIN)
    assert disabled.status_code == 409
    assert disabled.json()["error"] == "last_admin"
    demoted = await console.client.post(
        "/api/users/admin/roles", json={"roles": ["viewer"]}, headers=ADMIN
    )
    assert demoted.json()["error"] == "last_admin"
    await console.register("second.admin", ["admin"], "password-2")
    assert (await console.client.post("/api/users/admin/disable", headers=ADMIN)).status_code == 200


async def test_a_new_password_is_answered_once_when_none_is_given(
    console: ConsoleUnderTest,
) -> None:
    body = {"username": "gen.pw", "display_name": "G", "roles": ["finance"]}
    response = await console.client.post("/api/users", json=body, headers=ADMIN)
    password = response.json()["password"]
    assert len(password) >= 12
    assert (await console.sign_in("gen.pw", password)).headers["location"] == "/"
    listed = (await console.client.get("/api/users", headers=ADMIN)).json()
    assert all("password" not in str(row.keys()) for row in listed)
