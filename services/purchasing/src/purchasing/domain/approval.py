"""The approval rule by amount (审批).

A purchase order whose total (incl. VAT) is above the threshold waits for a user with role
``approver``; at or below it the order is approved automatically and placed at once, so
replenishment runs unattended. The threshold is configuration
(``ERP_PURCHASING_APPROVAL_THRESHOLD``, default 50000.00 CNY).
"""

from dataclasses import dataclass
from decimal import Decimal

DEFAULT_APPROVAL_THRESHOLD = Decimal("50000.00")
#: The approver recorded on orders the rule approved by itself.
AUTO_APPROVER = "auto"


@dataclass(frozen=True, slots=True)
class ApprovalRule:
    threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD

    def requires_approval(self, total: Decimal) -> bool:
        return total > self.threshold
