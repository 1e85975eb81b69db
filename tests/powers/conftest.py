"""Fixtures for the powers tests: a fresh holder index around each test (tests roll back)."""

import datetime as dt

import pytest

from jiceng.org.models import Region
from jiceng.powers.index import clear_local


@pytest.fixture(autouse=True)
def _fresh_index():
    clear_local()
    yield
    clear_local()


@pytest.fixture
def region(db):
    return lambda code: Region.objects.get(code=code)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
