"""API tokens: created once and shown once, stored as a SHA-256 digest, revocable."""

import hashlib
import secrets

from django.utils import timezone

from .audit import audit
from .models import ApiToken


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user, name: str = "", expires_at=None, by=None) -> tuple[ApiToken, str]:
    raw = "jc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], digest=_digest(raw), expires_at=expires_at
    )
    audit(actor=by or user, verb="token.create", obj=token, after={"prefix": token.prefix})
    return token, raw


def token_revoke(*, token: ApiToken, by) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit(actor=by, verb="token.revoke", obj=token, after={"revoked": True})


def user_for_token(raw: str):
    """The active user a raw token belongs to, or None (unknown, expired or revoked)."""
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw)).first()
    now = timezone.now()
    if token is None or token.revoked_at or (token.expires_at and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
