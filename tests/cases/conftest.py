"""Case tests: each test starts with an empty rate-limit window."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
