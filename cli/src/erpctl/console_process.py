"""The console (进销存工作台) in the local stack: `python -m erp_console` on port 8100 (or
`ERP_CONSOLE_HTTP_PORT`), started after the five services it calls.

It gets the services' URLs, the private key it signs user tokens with, and the first
administrator's password — kept in `<data_dir>/console-admin-password` (owner-only, created on
first use, printed by `erp up`; `ERP_CONSOLE_ADMIN_PASSWORD` overrides it)."""

import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from erpctl.admin_token import load_or_create_secret
from erpctl.errors import StackError
from erpctl.supervisor import ServiceSpec

CONSOLE = "console"
CONSOLE_MODULE = "erp_console"
DEFAULT_PORT = 8100
PASSWORD_FILE = "console-admin-password"  # noqa: S105 - a file name, not a secret
FIRST_ADMIN = "admin"


def console_installed() -> bool:
    try:
        return importlib.util.find_spec(f"{CONSOLE_MODULE}.__main__") is not None
    except (ImportError, ValueError):
        return False


def console_port() -> int:
    override = os.environ.get("ERP_CONSOLE_HTTP_PORT")
    try:
        return int(override) if override else DEFAULT_PORT
    except ValueError:
        raise StackError(f"ERP_CONSOLE_HTTP_PORT must be a port number, not {override!r}") from None


def load_or_create_admin_password(data_dir: Path) -> str:
    return load_or_create_secret(data_dir, PASSWORD_FILE, "ERP_CONSOLE_ADMIN_PASSWORD", 12)


def console_spec(
    service_env: Mapping[str, str],
    service_urls: Mapping[str, str],
    *,
    private_key_file: Path,
    admin_password: str,
) -> ServiceSpec:
    """The console's process, with a service's environment (database, broker, admin token)
    plus what only the console needs."""
    port = console_port()
    env = {
        key: value
        for key, value in service_env.items()
        if not (key.startswith("ERP_") and key.endswith("_HTTP_PORT"))
    }
    env.update(
        {f"ERP_{name.upper()}_URL": url for name, url in service_urls.items()},
        ERP_CONSOLE_HTTP_PORT=str(port),
        ERP_USER_TOKEN_PRIVATE_KEY_FILE=str(private_key_file),
        ERP_CONSOLE_ADMIN_PASSWORD=admin_password,
    )
    return ServiceSpec(CONSOLE, port, [sys.executable, "-m", CONSOLE_MODULE], env)
