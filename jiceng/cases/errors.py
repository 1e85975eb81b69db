"""Errors a person can cause in the case loop (jiceng.core.errors), and too many reports."""

from jiceng.core.errors import Conflict, Forbidden, Invalid
from jiceng.core.errors import UserError as CaseError

__all__ = ["CaseError", "Conflict", "Forbidden", "Invalid", "RateLimited"]


class RateLimited(CaseError):
    status = 429
