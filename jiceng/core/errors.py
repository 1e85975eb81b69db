"""Errors a person can cause in a procedure (the case loop, a penalty case), each with its HTTP
status and a message in the person's language. Apps re-export them from their own errors.py;
their API endpoints wear `caught`."""

import functools

from ninja import Status


class UserError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(UserError):
    """Bad input: an unknown category or power, a point outside every grid, a bad file."""

    status = 400


class Forbidden(UserError):
    """The caller's role, unit or township may not take this step."""

    status = 403


class Conflict(UserError):
    """The state does not allow the step (often: someone else acted first)."""

    status = 409


def caught(fn):
    """An API endpoint: a UserError becomes its status and {"detail": message}."""

    @functools.wraps(fn)
    def wrapper(request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except UserError as exc:
            return Status(exc.status, {"detail": exc.message})

    return wrapper
