"""API tokens: created by command, stored hashed, accepted as Bearer, refused when revoked."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jiceng.core.models import ApiToken
from jiceng.core.tokens import token_create
from tests.conftest import user

pytestmark = pytest.mark.django_db


def _create(username):
    out = io.StringIO()
    call_command("create_token", username, stdout=out)
    return out.getvalue().strip()


def test_token_is_stored_hashed_and_opens_the_api(client):
    raw = _create("dispatcher_ky")
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert ApiToken.objects.filter(prefix=raw[:10]).exists()
    r = client.get("/api/v1/workload/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200


def test_no_token_or_wrong_token_is_401(client):
    assert client.get("/api/v1/workload/tasks").status_code == 401
    r = client.get("/api/v1/workload/tasks", HTTP_AUTHORIZATION="Bearer jc_not-a-token")
    assert r.status_code == 401


def test_revoked_token_is_refused(client):
    raw = _create("dispatcher_ky")
    call_command("create_token", "dispatcher_ky", revoke=raw[:10], stdout=io.StringIO())
    r = client.get("/api/v1/workload/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 401


def test_expired_token_is_refused(client):
    _, raw = token_create(
        user=user("dispatcher_ky"), expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    r = client.get("/api/v1/workload/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 401


def test_unknown_user_gets_a_clear_error():
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("create_token", "nobody")
