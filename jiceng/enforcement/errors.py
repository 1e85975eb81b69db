"""Errors a person can cause in a penalty procedure, each with its HTTP status and a Chinese message."""


class EnforcementError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(EnforcementError):
    """Bad input: unknown power, empty file, a date in the future."""

    status = 400


class Forbidden(EnforcementError):
    """The caller's role, unit or township may not take this step."""

    status = 403


class Conflict(EnforcementError):
    """The case's state (or a missing condition) does not allow the step."""

    status = 409
