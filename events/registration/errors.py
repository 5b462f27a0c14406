"""The one error the rules of registration raise: its message is Danish and meant for the person who tried."""


class RegistrationError(Exception):
    """A rule refused the change, and nothing was written. `code` names the rule, for tests and logs."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
