"""API keys of client applications: made once, shown once, stored as a SHA-256 digest."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit

from ..errors import bad
from ..models import ApiClient

KEY_PREFIX = "o311_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def client_issue(
    *, name: str, by, rate_per_minute: int = 60, contact: str = ""
) -> tuple[ApiClient, str]:
    """A new client application with a fresh key; the raw key is returned here and never again."""
    name = (name or "").strip()
    if not name:
        raise bad("请填写应用名称 / name required")
    if ApiClient.objects.filter(name=name).exists():
        raise bad(f"应用「{name}」已存在 / exists")
    raw = new_key()
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            contact=contact,
            key_prefix=raw[:10],
            key_digest=digest(raw),
            rate_per_minute=rate_per_minute,
        )
        audit(
            actor=by,
            verb="open311.key_issue",
            obj=client,
            after={"name": name, "prefix": client.key_prefix, "rate": rate_per_minute},
        )
    return client, raw


def client_rekey(*, client: ApiClient, by) -> str:
    """Replace the key (the old one stops working at once); returns the new raw key."""
    raw = new_key()
    with transaction.atomic():
        before = {"prefix": client.key_prefix}
        ApiClient.objects.filter(pk=client.pk).update(key_prefix=raw[:10], key_digest=digest(raw))
        client.refresh_from_db()
        audit(
            actor=by,
            verb="open311.key_rekey",
            obj=client,
            before=before,
            after={"prefix": client.key_prefix},
        )
    return raw


def client_revoke(*, client: ApiClient, by) -> ApiClient:
    with transaction.atomic():
        ApiClient.objects.filter(pk=client.pk).update(active=False, revoked_at=timezone.now())
        client.refresh_from_db()
        audit(actor=by, verb="open311.key_revoke", obj=client, after={"revoked": True})
    return client
