"""Settings for bench.cases: the platform's settings plus a bench-only URLconf, no rate limit."""

from jiceng.settings import *  # noqa: F403

ROOT_URLCONF = "bench.cases_urls"
JICENG_CASE_RATE_LIMIT = (0, 60)
DEBUG = False
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
