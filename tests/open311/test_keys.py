"""API keys: issued by the command and in the admin (shown once), stored hashed, audited."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from jiceng.core.models import AuditEvent
from jiceng.open311.models import ApiClient

from .helpers import BASE, body, error


def test_command_issues_a_working_key(c, db, capsys):
    call_command("open311_key", "热线平台", "--rate", "5")
    raw = capsys.readouterr().out.strip()
    client = ApiClient.objects.get(name="热线平台")
    assert client.key_digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(ApiClient.objects.values()))  # only the digest is stored
    assert client.rate_per_minute == 5
    body(c.get(BASE + "services.json", {"api_key": raw}), "services")
    assert AuditEvent.objects.filter(verb="open311.key_issue", object_id=str(client.pk)).exists()
    with pytest.raises(CommandError):
        call_command("open311_key", "热线平台")
    call_command("open311_key", "热线平台", "--revoke")
    error(c.get(BASE + "services.json", {"api_key": raw}), 403)
    assert AuditEvent.objects.filter(verb="open311.key_revoke").exists()


def test_admin_shows_the_key_once(persona, db):
    admin = persona("admin")
    r = admin.post(
        "/admin/open311/apiclient/add/",
        {"name": "水务公司", "contact": "", "rate_per_minute": 30},
        follow=True,
    )
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"]]
    raw = next(m.split(": ")[-1] for m in shown if "o311_" in m)
    client = ApiClient.objects.get(name="水务公司")
    assert client.key_digest == hashlib.sha256(raw.encode()).hexdigest()
    page = admin.get(f"/admin/open311/apiclient/{client.pk}/change/").content.decode()
    assert raw not in page
    admin.post(
        "/admin/open311/apiclient/",
        {"action": "revoke", "_selected_action": [client.pk]},
    )
    client.refresh_from_db()
    assert client.revoked_at is not None and not client.usable
