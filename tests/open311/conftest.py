"""Fixtures of the Open311 tests: an issued API key and an anonymous client."""

import pytest
from django.core.cache import cache
from django.test import Client

from jiceng.open311.actions import client_issue


@pytest.fixture(autouse=True)
def _fresh_rate_windows():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(db):
    _, raw = client_issue(name="市民随手拍", by=None, rate_per_minute=1000)
    return raw


@pytest.fixture
def c():
    return Client()


@pytest.fixture
def posted(c, api_key):
    """post(**fields) → the JSON answer of POST requests.json (201)."""
    from .helpers import BASE, body, post_fields

    def post(**extra):
        r = c.post(BASE + "requests.json", post_fields(api_key, **extra))
        return body(r, "post_request", 201)[0]

    return post
