class ConcurrencyError(Exception):
    """A stream moved on since it was read: reload, decide again, retry (bounded)."""

    code = "concurrency_conflict"

    def __init__(self, stream_id: str, expected: int | None, actual: int | None) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, the command expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class DuplicateEventError(Exception):
    """An event id that is already in the store was appended again."""
