"""Composition root of the console: an eventkit service (its own database, the user event
store and projection, /health, /metrics) with the sign-in routes, the user API and the
NiceGUI screens mounted on the same FastAPI app."""

import gc
import os
from pathlib import Path

from fastapi import FastAPI
from nicegui import ui

from erp_console.adapters.services import ServiceGateway
from erp_console.adapters.users_projection import UsersProjection
from erp_console.application.accounts import Accounts
from erp_console.application.first_admin import ensure_first_admin
from erp_console.entrypoints import login, users
from erp_console.ui import pages, state
from eventkit.http.user_tokens import UserTokenSigner
from eventkit.runtime import ServiceBlueprint, ServiceRuntime, create_app, service_migrations
from eventkit.settings import ServiceSettings

SERVICE = "console"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Console 进销存工作台",
        routers=[login.router, users.router],
        migrations=service_migrations(__file__),
        projections=[UsersProjection()],
        workers=[ensure_first_admin],
        # User accounts (and their password hashes) are the console's own business: it has
        # no public events, so its relay publishes nothing (eventkit.messaging.public_events).
    )


def signer_from_environment() -> UserTokenSigner:
    path = os.environ.get("ERP_USER_TOKEN_PRIVATE_KEY_FILE")
    if not path:
        raise RuntimeError(
            "ERP_USER_TOKEN_PRIVATE_KEY_FILE is not set: the console signs the services' user "
            "tokens with it (`erp up` creates the key pair in its data dir)"
        )
    return UserTokenSigner(Path(path).read_bytes())


def build_app(
    settings: ServiceSettings,
    *,
    with_screens: bool = True,
    signer: UserTokenSigner | None = None,
    service_urls: dict[str, str] | None = None,
) -> FastAPI:
    """The console app. Tests pass `with_screens=False` (NiceGUI mounts once per process),
    their own signer and the URLs of the services they run."""
    app = create_app(blueprint(), settings)
    runtime: ServiceRuntime = app.state.runtime
    accounts = Accounts(runtime.engine, runtime.store)
    gateway = ServiceGateway(signer or signer_from_environment(), service_urls)
    app.state.accounts = accounts
    state.bind(state.ConsoleState(accounts, gateway))
    if with_screens:
        pages.register_all()
        ui.run_with(
            app,
            mount_path="/",
            title="进销存工作台",
            language="zh-CN",
            favicon="📦",
            show_welcome_message=False,
            reconnect_timeout=10.0,
        )
    return app


def serve(settings: ServiceSettings) -> None:
    import uvicorn

    app = build_app(settings)
    # Every page a person opens builds a NiceGUI element tree (thousands of objects, full of
    # reference cycles) that lives until the browser has left it for `reconnect_timeout`. With
    # the default thresholds the collector ran often and walked all of that plus everything
    # imported at start-up: pauses of 300–470 ms in the screens' p99 (docs/benchmarks.md).
    # Start-up objects are frozen out of its walks; young objects are collected in bigger,
    # rarer batches.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    uvicorn.run(app, host=settings.http_host, port=settings.port(), log_level="warning")
