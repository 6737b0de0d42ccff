"""Fault tests under load: every part of the stack is killed, cut off or poisoned while
clients drive the flows, then the invariants are audited (docs/faults.md)."""
