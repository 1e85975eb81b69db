"""A fixed-window rate limit on the public intake, per client address, in the Django cache."""

import time

from django.conf import settings
from django.core.cache import cache

from .errors import RateLimited


def client_ip(request) -> str:
    # Behind a proxy set JICENG_TRUSTED_PROXY_HEADER, e.g. "HTTP_X_REAL_IP".
    header = getattr(settings, "JICENG_TRUSTED_PROXY_HEADER", "")
    return (header and request.META.get(header)) or request.META.get("REMOTE_ADDR", "")


def check_rate(request, scope: str = "case-report") -> None:
    count, seconds = getattr(settings, "JICENG_CASE_RATE_LIMIT", (20, 60))
    if not count:
        return
    window = int(time.time() // seconds)
    key = f"rl:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, seconds + 1):
        return
    try:
        n = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds + 1)
        return
    if n > count:
        raise RateLimited(f"提交过于频繁，请 {seconds} 秒后再试 / too many reports, slow down")
