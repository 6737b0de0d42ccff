"""The chart of accounts as data (stream ``chart-of-accounts``): the built-in standard accounts
(`accounts.CHART`) plus the sub-accounts the business adds, and which are disabled.

Rules: a sub-account's code is `<parent>.<nn>` (nn = 01–99) under an existing, enabled
account, not under a controlled one (受控科目: stock, receivables, payables, GRNI — only their
sub-ledgers post there). An account is disabled only when no posting rule uses it, it has no
balance and no enabled sub-account. A voucher posts only to enabled posting accounts — ones
without sub-accounts, or the ones the posting rules post to.
"""

import re
from datetime import datetime
from decimal import Decimal

from finance.domain import accounts
from finance.domain.aggregate import Aggregate
from finance.domain.errors import AlreadyExists, FinanceError, InvalidInput, NotFound
from finance.domain.events import DomainEvent
from finance.domain.ledger_events import AccountAdded, AccountDisabled
from finance.domain.money import utc

CHART_STREAM = "chart-of-accounts"
_SUB_ACCOUNT = re.compile(r"^(?P<parent>\d{4}(?:\.\d{2})*)\.(?:0[1-9]|[1-9]\d)$")


class AccountExists(AlreadyExists):
    code = "account_exists"


class AccountInUse(FinanceError):
    """The account cannot be disabled or extended: a rule posts to it, or it holds money."""

    code = "account_in_use"


class AccountDisabledError(FinanceError):
    code = "account_disabled"


class ChartOfAccounts(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = dict(accounts.CHART)
        self.disabled: set[str] = set()

    def is_builtin(self, code: str) -> bool:
        return code in accounts.CHART

    def has_sub_accounts(self, code: str) -> bool:
        return any(accounts.parent_of(other) == code for other in self.names)

    def add(self, code: str, name: str, *, occurred_at: datetime) -> AccountAdded:
        match = _SUB_ACCOUNT.match(code)
        if match is None:
            raise InvalidInput(
                f"a sub-account's code is <parent>.<nn> (e.g. 6602.01), got {code!r}", field="code"
            )
        if not name.strip():
            raise InvalidInput("an account needs a name", field="name")
        parent = match["parent"]
        if code in self.names:
            raise AccountExists(f"account {code} already exists", account=code)
        self._require_extensible(parent)
        event = AccountAdded(
            occurred_at=utc(occurred_at), code=code, name=name.strip(), parent=parent
        )
        self._record(event)
        return event

    def _require_extensible(self, parent: str) -> None:
        if parent not in self.names:
            raise InvalidInput(f"parent account {parent} does not exist", field="code")
        if parent in self.disabled:
            raise AccountDisabledError(f"account {parent} is disabled", account=parent)
        if parent in accounts.CONTROLLED_ACCOUNTS:
            raise AccountInUse(
                f"account {parent} is controlled by its sub-ledger: no sub-accounts", account=parent
            )

    def disable(self, code: str, balance: Decimal, *, occurred_at: datetime) -> AccountDisabled:
        """Disable `code`; `balance` is its balance (with its sub-accounts') in the ledger."""
        if code not in self.names:
            raise NotFound(f"account {code} does not exist")
        if code in self.disabled:
            raise AccountDisabledError(f"account {code} is already disabled", account=code)
        if code in accounts.RULE_ACCOUNTS:
            raise AccountInUse(f"the posting rules post to {code}", account=code)
        if balance:
            raise AccountInUse(f"account {code} has a balance of {balance}", account=code)
        if any(self._enabled_under(code)):
            raise AccountInUse(f"account {code} has enabled sub-accounts", account=code)
        event = AccountDisabled(occurred_at=utc(occurred_at), code=code)
        self._record(event)
        return event

    def _enabled_under(self, code: str) -> list[str]:
        return [
            other
            for other in self.names
            if other != code and accounts.is_under(other, code) and other not in self.disabled
        ]

    def require_postable(self, code: str, field: tuple[str | int, ...]) -> None:
        """A voucher line's account: known, enabled, a posting account, not controlled."""
        if code not in self.names:
            raise InvalidInput(f"account {code} does not exist", field=field)
        if code in self.disabled:
            raise InvalidInput(f"account {code} is disabled", field=field)
        if code in accounts.CONTROLLED_ACCOUNTS:
            raise InvalidInput(f"account {code} is posted by its sub-ledger only", field=field)
        if self.has_sub_accounts(code) and code not in accounts.RULE_ACCOUNTS:
            raise InvalidInput(f"account {code} has sub-accounts: post to one", field=field)

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case AccountAdded():
                self.names[event.code] = event.name
            case AccountDisabled():
                self.disabled.add(event.code)
            case _:
                raise self._cannot_apply(event)
