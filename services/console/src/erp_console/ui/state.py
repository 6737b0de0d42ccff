"""What the screens reach for, bound once when the console process starts."""

from dataclasses import dataclass

from erp_console.adapters.services import ServiceGateway
from erp_console.application.accounts import Accounts


@dataclass
class ConsoleState:
    accounts: Accounts
    gateway: ServiceGateway


_state: list[ConsoleState] = []


def bind(state: ConsoleState) -> None:
    _state[:] = [state]


def current() -> ConsoleState:
    if not _state:
        raise RuntimeError("the console state is not bound (bootstrap.create_app binds it)")
    return _state[0]
