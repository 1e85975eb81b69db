"""Every URL pattern is either public or has a scope check; staff of another township get 404.

Apps register their checks in tests/<app>/scope.py (see tests/scope_registry.py).
"""

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PERSONAS, client_for
from tests.scope_registry import EXEMPT_PREFIXES, PUBLIC, SCOPE_CHECKS

TESTS = Path(__file__).parent
for info in pkgutil.iter_modules([str(TESTS)]):
    if info.ispkg and (TESTS / info.name / "scope.py").exists():
        importlib.import_module(f"tests.{info.name}.scope")


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


ALL_ROUTES = sorted(set(_routes()))
GUARDED = [r for r in ALL_ROUTES if not r.startswith(EXEMPT_PREFIXES) and r not in PUBLIC]


def test_every_route_has_a_scope_check():
    missing = [r for r in GUARDED if r not in SCOPE_CHECKS]
    assert not missing, (
        f"URL patterns without a scope test (add them to tests/<app>/scope.py): {missing}"
    )


def test_registry_names_only_real_routes():
    stale = [r for r in list(SCOPE_CHECKS) + list(PUBLIC) if r not in ALL_ROUTES]
    assert not stale, f"scope registry names routes that no longer exist: {stale}"


def _text(response) -> str:
    """The body as text, with JSON decoded so that Chinese markers are readable."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in GUARDED if r in SCOPE_CHECKS])
def test_other_township_gets_404_or_does_not_see_it(route, db):
    url, marker = SCOPE_CHECKS[route](db)
    owner = client_for(PERSONAS["staff_a"])
    mine = owner.get(url, follow=True)
    assert mine.status_code == 200, f"{url}: owner should see it, got {mine.status_code}"
    if marker is not None:
        assert marker in _text(mine)
    other = client_for(PERSONAS["staff_b"]).get(url, follow=True)
    if marker is None:
        assert other.status_code == 404, f"{url}: other township got {other.status_code}"
    else:
        assert other.status_code in (200, 404)
        assert marker not in _text(other), f"{url}: other township sees {marker}"
