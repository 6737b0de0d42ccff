"""Refusals of the user domain, each with a stable code (HTTP 409 unless said otherwise)."""


class UserRefusal(Exception):
    code = "invalid_state"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class UnknownUser(UserRefusal):
    code = "not_found"


class InvalidUserInput(UserRefusal):
    """Bad input the schema cannot see (a blank name, an unknown role): 422."""

    code = "validation_error"


class UserAlreadyExists(UserRefusal):
    code = "user_exists"


class LastAdministrator(UserRefusal):
    """The console must keep one enabled administrator, or nobody could manage users."""

    code = "last_admin"
