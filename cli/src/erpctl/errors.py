"""The one error type the `erp` command reports as a single line, without a traceback."""


class StackError(RuntimeError):
    """A local stack component could not start, stop or answer; the message says what to do."""
