"""Evidence: kept byte for byte, SHA-256 computed by the server, verifiable; bad files refused."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.enforcement.models import Evidence, PenaltyStep
from tests.conftest import client_for, user

from .helpers import WARNING, open_case, png

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def _send(client, code, data: bytes, name="现场.png", **extra):
    body = {
        "file": SimpleUploadedFile(name, data, content_type="image/png"),
        "captured_by": user("land_pj").person.pk,
        "captured_at": "2024-05-06T10:30:00+08:00",
        "device": "执法记录仪 DSJ-PJ-003",
        **extra,
    }
    return client.post(f"{API}{code}/evidence", body)


def test_hash_size_capturer_and_device_are_kept_and_verifiable():
    pc = open_case()
    captain = client_for("captain_pj")
    data = png((200, 10, 10))
    r = _send(captain, pc.code, data)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["size"] == len(data)
    assert body["captured_by"] == "沈国土" and body["device"] == "执法记录仪 DSJ-PJ-003"
    ev = Evidence.objects.get(pk=body["id"])
    assert ev.uploaded_by.username == "captain_pj"
    with ev.file.open("rb") as fh:
        assert fh.read() == data  # unchanged: no re-encoding of evidence
    ok = captain.get(f"{API}{pc.code}/evidence/{ev.pk}/verify").json()
    assert ok["intact"] is True
    with open(ev.file.path, "ab") as fh:
        fh.write(b"tampered")
    bad = captain.get(f"{API}{pc.code}/evidence/{ev.pk}/verify").json()
    assert bad["intact"] is False
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert ev.sha256 in page and "执法记录仪 DSJ-PJ-003" in page


@pytest.mark.parametrize(
    "data,message",
    [(b"", "是空的"), (b"just some text, not a picture", "不是允许的")],
)
def test_bad_files_are_refused_and_nothing_is_written(data, message):
    pc = open_case()
    r = _send(client_for("captain_pj"), pc.code, data)
    assert r.status_code == 400 and message in r.json()["detail"]
    assert not Evidence.objects.filter(penalty_case=pc).exists()
    assert PenaltyStep.objects.filter(penalty_case=pc).count() == 1


def test_size_limit(settings):
    settings.JICENG_EVIDENCE_MAX_BYTES = 50
    pc = open_case()
    r = _send(client_for("captain_pj"), pc.code, png() + b"\0" * 100)
    assert r.status_code == 400 and "上限" in r.json()["detail"]
    assert not Evidence.objects.filter(penalty_case=pc).exists()


def test_capturer_must_work_in_the_township():
    pc = open_case()
    r = _send(client_for("captain_pj"), pc.code, png(), captured_by=user("handler_ky").person.pk)
    assert r.status_code == 400 and "采集人" in r.json()["detail"]


def test_a_dispatcher_may_not_upload(persona):
    pc = open_case()
    r = _send(persona("staff_b"), pc.code, png())
    assert r.status_code == 403
    assert not Evidence.objects.filter(penalty_case=pc).exists()


def test_notify_needs_evidence_first():
    pc = open_case()
    captain = client_for("captain_pj")
    captain.post(f"{API}{pc.code}/investigate", {}, content_type="application/json")
    r = captain.post(f"{API}{pc.code}/notify", WARNING, content_type="application/json")
    assert r.status_code == 409 and "第四十条" in r.json()["detail"]


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "enforcement"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("where", ["_record", "audit"])
def test_a_failure_after_the_file_is_written_leaves_no_file(settings, monkeypatch, where):
    from jiceng.enforcement.actions import evidence as evidence_actions

    from .helpers import add_evidence

    pc = open_case()
    kept = add_evidence(pc)  # one file that must stay
    before = _stored_files(settings)
    assert [p.name for p in before] == [kept.file.name.rsplit("/", 1)[-1]]

    def broken(*args, **kwargs):
        assert len(_stored_files(settings)) == 2  # the new file was written first
        raise RuntimeError("database gone")

    monkeypatch.setattr(evidence_actions, where, broken)
    with pytest.raises(RuntimeError):
        add_evidence(pc)
    assert _stored_files(settings) == before
    assert Evidence.objects.filter(penalty_case=pc).count() == 1
    assert PenaltyStep.objects.filter(penalty_case=pc, step="evidence").count() == 1
    ok = client_for("captain_pj").get(f"{API}{pc.code}/evidence/{kept.pk}/verify").json()
    assert ok["intact"] is True


def test_a_refused_upload_writes_no_file(settings):
    from .helpers import add_evidence

    pc = open_case()
    with pytest.raises(Exception, match="执法人员"):
        add_evidence(pc, by="dispatcher_pj")
    assert _stored_files(settings) == []
