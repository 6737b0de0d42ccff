"""`/api/users`: the user administration API (administrators only) — what the user screen does,
for scripts and the demo seed. Passwords are answered once and never stored in clear."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from erp_console.adapters.users_projection import list_users
from erp_console.application.accounts import Accounts, describe
from erp_console.domain.errors import InvalidUserInput, UnknownUser, UserRefusal
from eventkit import CommandContext
from eventkit.http import command_context, require_role
from eventkit.http.auth import Principal
from eventkit.http.commands import refusals_of

router = APIRouter(prefix="/api/users", tags=["users"])
Admin = Annotated[CommandContext, Depends(command_context("admin"))]
AdminReader = Annotated[Principal, Depends(require_role("admin"))]


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=40)
    display_name: str = Field(min_length=1, max_length=80)
    roles: list[str] = Field(min_length=1, max_length=10)
    password: str | None = Field(default=None, min_length=8, max_length=200)


class RolesChange(BaseModel):
    roles: list[str] = Field(min_length=1, max_length=10)


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


#: User refusals as the kernel's HTTP errors: unknown user 404, bad input 422, others 409.
_refusals = refusals_of(UserRefusal, UnknownUser, (InvalidUserInput,))


@router.get("")
async def users(request: Request, _: AdminReader) -> list[dict[str, Any]]:
    async with request.app.state.runtime.engine.connect() as conn:
        return await list_users(conn)


@router.post("", status_code=201)
async def register_user(request: Request, body: NewUser, context: Admin) -> dict[str, Any]:
    async with _refusals():
        password = await _accounts(request).register(
            context, body.username, body.display_name, body.roles, body.password
        )
    return {"username": body.username, "password": password}


@router.post("/{username}/roles")
async def change_roles(
    request: Request, username: str, body: RolesChange, context: Admin
) -> dict[str, Any]:
    return await _act(request, context, username, "roles", body.roles)


@router.post("/{username}/disable")
async def disable(request: Request, username: str, context: Admin) -> dict[str, Any]:
    return await _act(request, context, username, "disable")


@router.post("/{username}/enable")
async def enable(request: Request, username: str, context: Admin) -> dict[str, Any]:
    return await _act(request, context, username, "enable")


@router.post("/{username}/reset-password")
async def reset_password(request: Request, username: str, context: Admin) -> dict[str, Any]:
    return await _act(request, context, username, "reset")


async def _act(
    request: Request,
    context: CommandContext,
    username: str,
    action: str,
    roles: list[str] | None = None,
) -> dict[str, Any]:
    accounts = _accounts(request)
    answer: dict[str, Any] = {"username": username}
    async with _refusals():
        if action == "roles":
            await accounts.change_roles(context, username, roles or [])
        elif action == "disable":
            await accounts.disable(context, username)
        elif action == "enable":
            await accounts.enable(context, username)
        else:
            answer["password"] = await accounts.reset_password(context, username)
        async with accounts.engine.connect() as conn:
            answer.update(describe(await accounts.user(conn, username)))
    return answer
