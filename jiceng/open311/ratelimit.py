"""Per-minute limits: per client application (its own limit), or per address without a key."""

import time

from django.conf import settings
from django.core.cache import cache

from jiceng.cases.ratelimit import client_ip

from .errors import Open311Error


def _hit(key: str, limit: int) -> bool:
    """Count one request in this minute's window; True when over the limit."""
    if cache.add(key, 1, 61):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, 61)
        return False


def check(request, client) -> None:
    window = int(time.time() // 60)
    if client is not None:
        key, limit = f"o311:c{client.pk}:{window}", client.rate_per_minute
    else:
        limit = getattr(settings, "JICENG_OPEN311_ANON_PER_MINUTE", 300)
        key = f"o311:ip{client_ip(request)}:{window}"
    if _hit(key, limit):
        raise Open311Error(
            429, f"请求过于频繁（每分钟 {limit} 次）/ rate limit exceeded, retry later"
        )
