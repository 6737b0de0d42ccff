"""The admin bearer token of the local stack: `ERP_ADMIN_TOKEN`, or one kept in the data dir."""

import os
import secrets
from pathlib import Path

TOKEN_FILE = "admin-token"  # noqa: S105 - a file name, not a secret


def load_or_create_admin_token(data_dir: Path) -> str:
    """`ERP_ADMIN_TOKEN` if set; else the token saved in `<data_dir>/admin-token`, created on
    first use, so clients and scripts keep working across restarts of the stack."""
    from_env = os.environ.get("ERP_ADMIN_TOKEN")
    if from_env:
        return from_env
    path = data_dir / TOKEN_FILE
    if path.exists():
        saved = path.read_text(encoding="utf-8").strip()
        if saved:
            return saved
    token = secrets.token_urlsafe(32)
    data_dir.mkdir(parents=True, exist_ok=True)
    # Owner-only from the first byte: the token grants every role.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(token + "\n")
    return token
