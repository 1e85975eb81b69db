"""Errors a person can cause in a penalty procedure: those of jiceng.core.errors."""

from jiceng.core.errors import Conflict, Forbidden, Invalid
from jiceng.core.errors import UserError as EnforcementError

__all__ = ["Conflict", "EnforcementError", "Forbidden", "Invalid"]
