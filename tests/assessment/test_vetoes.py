"""The one-vote-veto authorisations page: everyone reads it, platform administrators keep it."""

import pytest

from jiceng.assessment.models import VetoAuthorization
from jiceng.core.audit import AuditEvent
from tests.conftest import client_for

from .helpers import draft

pytestmark = pytest.mark.django_db

FORM = {
    "matter": "信访维稳",
    "authority": "某省委办公厅、省政府办公厅",
    "document": "某办发〔2026〕3号",
    "effective_from": "2026-01-01",
}


def test_the_page_lists_authorisations_with_the_items_that_rely_on_them():
    safety = VetoAuthorization.objects.get(matter="安全生产")
    item = draft(name="安全生产专项考核", one_vote_veto=True, veto_authorization=safety)
    page = client_for("county_kq").get("/assessment/vetoes/").content.decode()
    assert "安全生产" in page and "生态环境保护" in page
    assert f'href="/assessment/{item.pk}/"' in page
    assert 'id="veto-form"' not in page  # only platform administrators keep the list
    # another county sees the authorisation (it is law) but not 柯桥区's item
    other = client_for("county_zy").get("/assessment/vetoes/").content.decode()
    assert "安全生产" in other and f'href="/assessment/{item.pk}/"' not in other


def test_only_a_platform_administrator_adds_and_bad_dates_keep_nothing():
    before = VetoAuthorization.objects.count()
    assert client_for("county_kq").post("/assessment/vetoes/", FORM).status_code == 403
    bad = client_for("admin").post("/assessment/vetoes/", {**FORM, "effective_to": "2025-12-31"})
    assert bad.status_code == 400 and "失效日期不能早于生效日期" in bad.content.decode()
    missing = client_for("admin").post("/assessment/vetoes/", {**FORM, "document": " "})
    assert (
        missing.status_code == 400 and "请填写事项、设定机关和依据文件" in missing.content.decode()
    )
    assert VetoAuthorization.objects.count() == before

    assert client_for("admin").post("/assessment/vetoes/", FORM).status_code == 302
    auth = VetoAuthorization.objects.get(matter="信访维稳")
    assert AuditEvent.objects.filter(verb="assessment.veto.add", object_id=str(auth.pk)).exists()
    # ending it: not before it began, and by the administrator only
    url = f"/assessment/vetoes/{auth.pk}/end/"
    assert client_for("county_kq").post(url, {"effective_to": "2026-06-30"}).status_code == 403
    client_for("admin").post(url, {"effective_to": "2025-06-30"})
    auth.refresh_from_db()
    assert auth.effective_to is None
    client_for("admin").post(url, {"effective_to": "2026-06-30"})
    auth.refresh_from_db()
    assert auth.effective_to.isoformat() == "2026-06-30"
    assert AuditEvent.objects.filter(verb="assessment.veto.end").latest("id").after == {
        "effective_to": "2026-06-30"
    }
