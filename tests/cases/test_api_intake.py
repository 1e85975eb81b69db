"""POST /api/v1/cases: intake, validation, idempotency, rate limit, EXIF, tracking."""

import base64

import pytest

from jiceng.cases.models import Attachment, Case

from .helpers import KEYAN, PANJIANG, jpeg_with_gps, new_key, point_in, report, run_together

pytestmark = pytest.mark.django_db


def test_public_report_is_located_routed_and_answered_with_code_and_secret(client):
    r = report(client, text="路边有人倾倒建筑垃圾")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["created"] and body["code"] and len(body["secret"]) == 12
    assert body["township"] == "柯岩街道"
    assert body["route_unit"]
    assert body["route_explanation"][0].startswith("定位")
    case = Case.objects.get(code=body["code"])
    assert case.status == "reported" and case.step == "dispatch" and case.due_at
    assert case.events.count() == 1


def test_same_idempotency_key_returns_the_first_case(client):
    key = new_key()
    first = report(client, key=key)
    again = report(client, key=key)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"]
    assert first.json()["secret"] == again.json()["secret"]
    assert Case.objects.filter(idempotency_key=key).count() == 1


def test_same_key_with_another_body_is_a_conflict(client):
    key = new_key()
    assert report(client, key=key).status_code == 201
    r = report(client, key=key, text="完全不同的内容")
    assert r.status_code == 409 and "Idempotency-Key" in r.json()["detail"]


def test_two_resubmissions_at_once_still_make_one_case(transactional_db):
    from django.test import Client

    from jiceng.org.demo import load_all
    from tests.conftest import PASSWORD

    load_all(password=PASSWORD)
    key = new_key()

    def send():
        r = report(Client(), key=key)
        if r.status_code >= 500:
            from django.db import OperationalError

            raise OperationalError("database table is locked")
        return r.json()["code"]

    codes = run_together(send)
    assert len(codes) == 2 and len(set(codes)) == 1
    assert Case.objects.filter(idempotency_key=key).count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"lon": 0.0, "lat": 0.0}, "不在任何网格内"),
        ({"description": "长" * 2001}, "不能超过"),
        ({"category_code": "X99999"}, "未知的类别"),
        ({"description": "  "}, "请描述"),
        ({"lon": 120.5, "lat": None}, "同时提供"),
        (
            {
                "photos": [
                    base64.b64encode(b"%PDF-1.4 not an image" + b"x" * 64).decode()[:-2] + "!!"
                ]
            },
            "base64",
        ),
        ({"photos": [base64.b64encode(b"MZ\x90\x00" + b"\x00" * 200).decode()]}, "不是允许"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_no_change(client, change, message):
    before = Case.objects.count()
    lon, lat = point_in(KEYAN)
    body = {"description": "倾倒垃圾", "lon": lon, "lat": lat, "category_code": "M06010", **change}
    r = client.post("/api/v1/cases", body, content_type="application/json")
    assert r.status_code == 400, r.content
    assert message in r.json()["detail"]
    assert Case.objects.count() == before


def test_photo_exif_locates_the_case_and_is_stripped_from_the_stored_copy(client):
    lon, lat = point_in(KEYAN, 1)
    photo = base64.b64encode(jpeg_with_gps(lon, lat)).decode()
    r = client.post(
        "/api/v1/cases",
        {"description": "垃圾", "category_code": "M06010", "photos": [photo]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get(code=r.json()["code"])
    assert abs(case.lon - lon) < 1e-3 and abs(case.lat - lat) < 1e-3
    att = Attachment.objects.get(case=case)
    assert att.exif_lat and att.device == "TestCam"
    from PIL import Image

    with att.file.open("rb") as fh:
        stored = Image.open(fh)
        assert not stored.getexif().get_ifd(0x8825) and 0x0110 not in stored.getexif()
    assert att.sha256 != att.original_sha256


def test_rate_limit_answers_429(client, settings):
    settings.JICENG_CASE_RATE_LIMIT = (2, 60)
    from django.core.cache import cache

    cache.clear()
    codes = [report(client, k=i).status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_reporter_tracks_by_code_and_secret_only(client):
    body = report(client).json()
    ok = client.get(f"/api/v1/cases/{body['code']}/track", {"secret": body["secret"]})
    assert ok.status_code == 200 and ok.json()["status"] == "reported"
    bad = client.get(f"/api/v1/cases/{body['code']}/track", {"secret": "000000000000"})
    assert bad.status_code == 404
    # a secret with Chinese characters in it (typed into the wrong box) is no match, not a 500
    for secret in ("查询码", body["secret"][:6] + "查询码"):
        r = client.get(f"/api/v1/cases/{body['code']}/track", {"secret": secret})
        assert r.status_code == 404, secret
    r = client.get(f"/cases/track/{body['code']}/", {"secret": "查询码"})
    assert r.status_code == 404
    r = client.get("/cases/track/", {"code": body["code"], "secret": "查询码"})
    assert r.status_code == 404


def test_scope_other_township_gets_404(client, persona):
    code = report(client).json()["code"]
    assert persona("staff_a").get(f"/api/v1/cases/{code}").status_code == 200
    assert persona("staff_b").get(f"/api/v1/cases/{code}").status_code == 404
    assert (
        persona("staff_b")
        .post(f"/api/v1/cases/{code}/register", {}, content_type="application/json")
        .status_code
        == 404
    )
    listed = persona("staff_b").get("/api/v1/cases").json()
    assert code not in [c["code"] for c in listed]
    assert persona("resident").get(f"/api/v1/cases/{code}").status_code == 404


def test_panjiang_report_lands_in_panjiang(client):
    r = report(client, township=PANJIANG, category="M06001", text="农户新建房屋挡住生产路")
    assert r.status_code == 201 and r.json()["township"] == "盘江镇"
