"""Settings from the environment (pydantic-settings), one object per service process.

Database resolution, most specific first:
1. `ERP_<SERVICE>_DATABASE_URL` — used verbatim;
2. `ERP_DATABASE_URL` — a server; the service uses its own database `erp_<service>` on it;
3. the local stack default, `postgresql://postgres@127.0.0.1:5442/erp_<service>`.
"""

import os
from pathlib import Path
from typing import Final, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

LOCAL_DATABASE_SERVER: Final = "postgresql://postgres@127.0.0.1:5442/postgres"
LOCAL_KAFKA: Final = "127.0.0.1:9092"

#: Local HTTP ports (architecture §2).
SERVICE_PORTS: Final = {
    "purchasing": 8101,
    "inventory": 8102,
    "sales": 8103,
    "finance": 8104,
    "reporting": 8105,
}


def service_url(service: str) -> str:
    """Where another service's HTTP API is: `ERP_<SERVICE>_URL`, else the local stack's port on
    `ERP_HTTP_HOST` (architecture §2). Services talk to each other only through these."""
    host = os.environ.get("ERP_HTTP_HOST", "127.0.0.1")
    default = f"http://{host}:{SERVICE_PORTS[service]}"
    return os.environ.get(f"ERP_{service.upper()}_URL", default)


def database_name(service: str) -> str:
    return f"erp_{service}"


def service_database_url(service: str, server_url: str | None = None) -> str:
    """The SQLAlchemy (asyncpg) URL of `service`'s own database."""
    explicit = os.environ.get(f"ERP_{service.upper()}_DATABASE_URL")
    if explicit:
        return asyncpg_url(explicit)
    server = server_url or os.environ.get("ERP_DATABASE_URL") or LOCAL_DATABASE_SERVER
    return asyncpg_url(str(make_url(server).set(database=database_name(service))))


def asyncpg_url(url: str) -> str:
    """Accept `postgresql://` or `postgres://` URLs and point them at the asyncpg driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


class KernelSettings(BaseSettings):
    """Everything the kernel needs that is not specific to one service's domain."""

    model_config = SettingsConfigDict(env_prefix="ERP_", extra="ignore")

    kafka_bootstrap_servers: str = LOCAL_KAFKA
    #: Topics are `<namespace>.<service>.events|dlq`; another namespace isolates a stack.
    topic_namespace: str = "erp"
    #: The local Tansu broker has no idempotent producer; production Kafka should set true.
    kafka_enable_idempotence: bool = False
    admin_token: str | None = None
    #: Extra tokens: `token=actor:role1|role2;token2=actor2:role3`.
    tokens: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    relay_batch_size: int = Field(default=500, ge=1)
    relay_idle_poll_seconds: float = Field(default=0.2, gt=0)
    consumer_max_attempts: int = Field(default=3, ge=1)
    #: How long a consumer's fetch may wait on the broker for new records. The local broker
    #: holds an empty fetch for all of it rather than answering when records arrive, so every
    #: hop between services waited up to aiokafka's 500 ms default; shorter means more idle
    #: fetches (docs/benchmarks.md, "System").
    consumer_fetch_max_wait_ms: int = Field(default=20, ge=1, le=500)
    command_max_retries: int = Field(default=5, ge=0)
    db_pool_size: int = Field(default=10, ge=1)


class ServiceSettings(KernelSettings):
    service: str
    http_host: str = "127.0.0.1"
    http_port: int = 0
    #: An explicit database URL (tests, tools); otherwise resolved as the module doc says.
    database: str | None = None
    #: The console's Ed25519 public key (PEM text), to accept its signed user tokens; or
    #: `user_token_public_key_file`, a path to it. Neither: only static tokens are accepted.
    user_token_public_key: str | None = None
    user_token_public_key_file: Path | None = None

    @field_validator("user_token_public_key", "user_token_public_key_file", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _one_user_token_key(self) -> Self:
        if self.user_token_public_key and self.user_token_public_key_file:
            raise ValueError(
                "set ERP_USER_TOKEN_PUBLIC_KEY or ERP_USER_TOKEN_PUBLIC_KEY_FILE, not both"
            )
        return self

    def user_token_public_key_pem(self) -> bytes | None:
        """The configured public key as PEM bytes (the file is read now: once, at startup)."""
        if self.user_token_public_key:
            return self.user_token_public_key.encode()
        if self.user_token_public_key_file:
            return self.user_token_public_key_file.read_bytes()
        return None

    @property
    def database_url(self) -> str:
        return asyncpg_url(self.database) if self.database else service_database_url(self.service)

    def port(self) -> int:
        return self.http_port or SERVICE_PORTS.get(self.service, 8100)


def load_settings(service: str) -> ServiceSettings:
    """Settings for `service`; `ERP_<SERVICE>_HTTP_PORT` overrides the default port."""
    port = int(os.environ.get(f"ERP_{service.upper()}_HTTP_PORT", "0"))
    return ServiceSettings(service=service, http_port=port)
