"""The first administrator: without one nobody could sign in to create the others. The local
stack hands the console a password (`ERP_CONSOLE_ADMIN_PASSWORD`, kept in its data dir and
printed by `erp up`); if no `admin` account exists yet, one is registered with it."""

import os

import structlog

from erp_console.application.accounts import Accounts
from erp_console.domain.errors import UserAlreadyExists
from erp_console.domain.roles import ADMIN
from eventkit import CommandContext
from eventkit.runtime import ServiceRuntime

FIRST_ADMIN = "admin"
log = structlog.get_logger(__name__)


async def ensure_first_admin(runtime: ServiceRuntime) -> None:
    """Supervised worker: register the first admin (once), then idle until shutdown."""
    password = os.environ.get("ERP_CONSOLE_ADMIN_PASSWORD")
    if password:
        await _register_once(runtime, password)
    await runtime.stop.wait()


async def _register_once(runtime: ServiceRuntime, password: str) -> None:
    accounts = Accounts(runtime.engine, runtime.store)
    async with runtime.engine.connect() as conn:
        if (await accounts.user(conn, FIRST_ADMIN)).exists:
            return
    try:
        await accounts.register(
            CommandContext(actor="system"), FIRST_ADMIN, "系统管理员", [ADMIN], password
        )
    except UserAlreadyExists:  # another replica registered it first
        return
    log.info("first_admin_registered", username=FIRST_ADMIN)
