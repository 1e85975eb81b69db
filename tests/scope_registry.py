"""Every URL pattern must appear here: either public, or with a scope check.

A scope check is a function(db) → (url, marker) building an object that belongs to township A
(柯岩街道) and returning a URL that shows it; staff of township B (盘江镇) must get 404 there (for a
detail URL) or must not see `marker` (for a list URL, marker is not None). tests/test_scope.py
enumerates the URL resolver, so a new pattern without an entry here fails the suite.
"""

from collections.abc import Callable

SCOPE_CHECKS: dict[str, Callable] = {}
# Patterns that show nothing of any township: public pages, auth, static, docs, admin.
PUBLIC: set[str] = set()
# Patterns answered by other means (e.g. admin, which checks is_staff itself).
EXEMPT_PREFIXES = ("admin/", "i18n/", "static/", "media/", "api/v1/docs", "api/v1/openapi.json")


def scope_check(route: str):
    """Decorator: register the scope check for a URL route string (as in the resolver)."""

    def register(fn: Callable) -> Callable:
        SCOPE_CHECKS[route] = fn
        return fn

    return register


def public(*routes: str) -> None:
    PUBLIC.update(routes)
