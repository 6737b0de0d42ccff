"""Roles a console user can hold. Each is also the role the services check (eventkit's
`require_role`), so a user's token carries them unchanged; every signed-in user may read."""

from typing import Final

ADMIN: Final = "admin"
VIEWER: Final = "viewer"

#: role → (中文, English), in the order the user screen lists them.
ROLES: Final[dict[str, tuple[str, str]]] = {
    ADMIN: ("管理员", "Administrator"),
    "purchasing": ("采购员", "Purchaser"),
    "approver": ("采购审批", "Purchase approver"),
    "inventory": ("仓管员", "Warehouse keeper"),
    "sales": ("销售员", "Sales clerk"),
    "finance": ("财务", "Accountant"),
    "finance_admin": ("财务主管", "Finance administrator"),
    "analyst": ("分析师", "Analyst"),
    VIEWER: ("只读", "Viewer"),
}


def service_roles(roles: frozenset[str]) -> frozenset[str]:
    """What a user's token grants at the services: their roles plus reading (`viewer`)."""
    return roles | {VIEWER}
