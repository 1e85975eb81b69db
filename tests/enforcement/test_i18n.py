"""Messages in the caller's language: a refused step in English for an English client, while
the case file (step notes) stays in Chinese."""

import pytest

from jiceng.enforcement.models import PenaltyStep
from tests.conftest import client_for

from .helpers import open_case

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_refused_step_is_explained_in_english_to_an_english_client(persona):
    pc = open_case()
    r = persona("staff_b").post(f"{API}{pc.code}/investigate", {}, "application/json", **EN)
    assert r.status_code == 403
    assert r.json()["detail"] == "Only enforcement officers of 盘江镇 can do this: Investigation"
    captain = client_for("captain_pj")
    r = captain.post(f"{API}{pc.code}/serve", {}, "application/json", **EN)
    assert r.status_code == 409
    assert "cannot do this now: Serve" in r.json()["detail"]
    zh = captain.post(f"{API}{pc.code}/serve", {}, "application/json")
    assert zh.json()["detail"] == "执法案件当前状态为「已立案」，不能送达"


def test_an_english_page_shows_the_refusal_in_english():
    pc = open_case()
    client = client_for("dispatcher_pj")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.post(f"/enforcement/{pc.code}/act/investigate/").content.decode()
    assert "Only enforcement officers of 盘江镇" in page


def test_what_is_recorded_stays_in_chinese_whatever_the_language():
    pc = open_case()
    r = client_for("captain_pj").post(f"{API}{pc.code}/order-stop", {}, "application/json", **EN)
    assert r.status_code == 200
    assert (
        PenaltyStep.objects.get(penalty_case=pc, step="order_stop").note == "现场责令停止违法行为"
    )
