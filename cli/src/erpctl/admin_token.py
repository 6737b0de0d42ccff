"""The local stack's secrets kept in its data dir: the admin bearer token (`ERP_ADMIN_TOKEN`, or
one kept in the data dir) and, through the same function, the console's first admin password."""

import os
import secrets
from pathlib import Path

TOKEN_FILE = "admin-token"  # noqa: S105 - a file name, not a secret


def load_or_create_secret(data_dir: Path, file_name: str, env_var: str, nbytes: int) -> str:
    """`env_var` if set; else the secret saved in `<data_dir>/<file_name>`, created on first use
    (`nbytes` random bytes, URL-safe), so clients and scripts keep working across restarts."""
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    path = data_dir / file_name
    if path.exists():
        saved = path.read_text(encoding="utf-8").strip()
        if saved:
            return saved
    secret = secrets.token_urlsafe(nbytes)
    data_dir.mkdir(parents=True, exist_ok=True)
    # Owner-only from the first byte: each secret grants access to the whole stack.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secret + "\n")
    return secret


def load_or_create_admin_token(data_dir: Path) -> str:
    """`ERP_ADMIN_TOKEN` if set; else the token kept in `<data_dir>/admin-token`."""
    return load_or_create_secret(data_dir, TOKEN_FILE, "ERP_ADMIN_TOKEN", 32)
