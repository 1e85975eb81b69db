"""Django settings, read from the environment; a bad value fails loudly at start-up."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JICENG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
SHARED_DATA = Path(os.environ.get("JICENG_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return default if raw is None else int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = env_bool("JICENG_DEBUG", True)
SECRET_KEY = os.environ.get("JICENG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("JICENG_SECRET_KEY must be set when JICENG_DEBUG is off")
    SECRET_KEY = "jiceng-dev-only-not-secret"
# Key for the keyed hashes of personal ID numbers; keep it when SECRET_KEY rotates.
JICENG_ID_HASH_KEY = os.environ.get("JICENG_ID_HASH_KEY", "")
if not JICENG_ID_HASH_KEY and not DEBUG:
    raise ImproperlyConfigured("JICENG_ID_HASH_KEY must be set when JICENG_DEBUG is off")
ALLOWED_HOSTS = os.environ.get("JICENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JICENG_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",  # its own copy of Swagger UI for /api/v1/docs: no CDN
    "jiceng.core",
    "jiceng.org",
    "jiceng.workload",
    "jiceng.powers",
    "jiceng.cases",
    "jiceng.dispatch",
    "jiceng.open311",
    "jiceng.outreach",
    "jiceng.enforcement",
    "jiceng.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jiceng.urls"
WSGI_APPLICATION = "jiceng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jiceng.core.context.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiceng.sqlite3'}"),
        conn_max_age=env_int("JICENG_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jiceng" / "locale"]
TIME_ZONE = os.environ.get("JICENG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Third-party assets come from npm packages installed by `make setup`, never committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# WhiteNoise serves the assets straight from the finders: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Map: no base-map tiles unless a deployment names an intranet tile server.
JICENG_TILE_URL = os.environ.get("JICENG_TILE_URL", "")

# Office hours for working-time limits (工作时).
JICENG_OFFICE_HOURS = [
    tuple(span.split("-"))
    for span in os.environ.get("JICENG_OFFICE_HOURS", "08:30-12:00,13:30-17:30").split(",")
]

# Case loop (see docs/cases.md): duplicates, limits on public input, rates and weights.
JICENG_DUPLICATE_RADIUS_M = env_int("JICENG_DUPLICATE_RADIUS_M", 100)
JICENG_DUPLICATE_WINDOW_HOURS = env_int("JICENG_DUPLICATE_WINDOW_HOURS", 72)
JICENG_CASE_RATE_LIMIT = (env_int("JICENG_CASE_RATE_LIMIT", 20), 60)  # reports per minute per IP
JICENG_TRUSTED_PROXY_HEADER = os.environ.get("JICENG_TRUSTED_PROXY_HEADER", "")
JICENG_CASE_ATTACHMENT_MAX_BYTES = env_int("JICENG_CASE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
JICENG_CASE_ATTACHMENT_MAX_FILES = env_int("JICENG_CASE_ATTACHMENT_MAX_FILES", 9)
JICENG_MEDIA_STRAY_AFTER_HOURS = env_int("JICENG_MEDIA_STRAY_AFTER_HOURS", 24)
JICENG_CASE_MAX_TEXT = env_int("JICENG_CASE_MAX_TEXT", 2000)
JICENG_CASE_WARN_SHARE = 0.8
JICENG_AUTO_DISPATCH_THRESHOLD = float(os.environ.get("JICENG_AUTO_DISPATCH_THRESHOLD", "0.8"))

# Background jobs: huey on SQLite by default, Redis when JICENG_REDIS_URL is set.
REDIS_URL = os.environ.get("JICENG_REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("JICENG_HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "jiceng",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("JICENG_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "jiceng",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("JICENG_WORKERS", 2), "worker_type": "thread"},
    }

# Rate limits and other shared counters: Redis when there is one (several web processes),
# else this process's memory.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JICENG_LOG_LEVEL", "WARNING")},
}
