"""Errors a person can cause in the case loop, each with its HTTP status and a Chinese message."""


class CaseError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(CaseError):
    """Bad input: unknown category, point outside every grid, text too long, bad file."""

    status = 400


class Forbidden(CaseError):
    """The caller's role or unit may not take this step."""

    status = 403


class Conflict(CaseError):
    """The case's state does not allow the step (often: someone else acted first)."""

    status = 409


class RateLimited(CaseError):
    status = 429
