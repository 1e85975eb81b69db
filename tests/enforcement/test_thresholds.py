"""金额标准 as data: a province (or county) records its own figures, from a day after today; they
change the procedure of cases filed in its area from then on, and of no other case."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.core.models import AuditEvent
from jiceng.enforcement import actions, thresholds
from jiceng.enforcement.models import AmountThreshold
from jiceng.org.models import Person, PersonRole, Region, Role
from tests.conftest import client_for, user

from .helpers import KEYAN, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
TH = f"{API}thresholds"
DOC = "云南省较大数额罚款标准（测试，云政发〔2099〕1号）"


def _day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _later(n: int):
    """Travel to 10:00 on the n-th day from today (the clock moves on from there)."""
    moment = dt.datetime.combine(_day(n), dt.time(10), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=True)


def _row(**kw) -> dict:
    body = {
        "name": "hearing_fine",
        "party_kind": "individual",
        "amount": "3000",
        "region_code": "53",
        "effective_from": _day(1).isoformat(),
        "basis": DOC,
    }
    return {**body, **kw}


def _add(username="admin", **kw):
    return post(client_for(username), TH, _row(**kw))


def _unchanged(rows: int, audits: int) -> None:
    assert AmountThreshold.objects.count() == rows
    assert AuditEvent.objects.count() == audits


def _notified(fine: str, township="530303102", power="JC-CF-001", by="captain_pj"):
    pc = open_case(township=township, power=power, by=by)
    client = client_for(by)
    post(client, f"{API}{pc.code}/investigate")
    add_evidence(pc, by=by, captured_by=by)
    r = post(client, f"{API}{pc.code}/notify", {"kinds": ["fine"], "fine_amount": fine})
    assert r.status_code == 200, r.content
    return pc, r.json()


def test_a_province_row_gives_the_hearing_right_in_that_province_only():
    r = _add()
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["region_name"] == "云南省" and body["default"] is False
    assert body["status"] == "pending" and body["amount"] == "3000.00"
    # A case filed today keeps today's rule (the platform default, 5000): 4000 is no 较大数额.
    today_case, today_notice = _notified("4000")
    assert today_notice["hearing_right"] is False
    with _later(2):
        pc, notice = _notified("4000")
        assert notice["hearing_right"] is True
        (reason,) = notice["hearing_reasons"]
        assert "3000" in reason and DOC in reason and "平台默认值" not in reason
        # 柯岩街道 is in Zhejiang: the Yunnan row does not reach it
        _kc, keyan = _notified("4000", township=KEYAN, power="JC-CF-002", by="handler_ky")
        assert keyan["hearing_right"] is False
        # the case filed before the row started is still judged by the default
        again = client_for("captain_pj").get(f"{API}{today_case.code}").json()
        assert again["hearing_reasons"] == []


def test_a_county_row_makes_a_decision_major_there_and_the_refusal_names_it():
    county_doc = "沾益区重大执法决定法制审核目录（测试）"
    r = _add("county_zy", name="major_fine", amount="2000", region_code="530303", basis=county_doc)
    assert r.status_code == 201, r.content
    decide = {"note": "罚款", "kinds": ["fine"], "fine_amount": "2500", "waived": True}
    with _later(3):
        pc, _n = _notified("2500")
        r = post(client_for("captain_pj"), f"{API}{pc.code}/decide", decide)
        assert r.status_code == 409
        assert "2000" in r.json()["detail"] and county_doc in r.json()["detail"]
        kc, _n = _notified("2500", township=KEYAN, power="JC-CF-002", by="handler_ky")
        r = post(client_for("leader_ky"), f"{API}{kc.code}/decide", decide)
        assert r.status_code == 200, r.content  # 柯桥区: the default 10000 applies


def test_a_later_row_supersedes_and_an_ended_row_stops():
    first = _add(amount="3000").json()
    second = _add(amount="4000", effective_from=_day(10).isoformat()).json()

    def rule(n):
        return thresholds.amount_rule("hearing_fine", "individual", "530303102", _day(n))

    assert rule(0).is_default and rule(1).pk == first["id"] and rule(10).pk == second["id"]
    r = post(
        client_for("admin"), f"{TH}/{second['id']}/end", {"effective_to": _day(20), "note": "x"}
    )
    assert r.status_code == 200 and r.json()["effective_to"] == _day(20).isoformat()
    assert rule(20).pk == second["id"]  # the ending day is the last day in force
    assert rule(21).pk == first["id"]  # then the earlier row of the region applies again
    post(client_for("admin"), f"{TH}/{first['id']}/end", {"effective_to": _day(30), "note": "废止"})
    assert rule(31).is_default
    with _later(15):
        rows = {r["id"]: r["status"] for r in client_for("admin").get(TH).json()}
        assert rows[first["id"]] == "superseded" and rows[second["id"]] == "current"
    with _later(40):
        rows = {r["id"]: r["status"] for r in client_for("admin").get(TH).json()}
        assert rows[first["id"]] == rows[second["id"]] == "ended"


def test_one_query_per_lookup(django_assert_num_queries):
    with django_assert_num_queries(1):
        thresholds.amount_rule("major_fine", "organisation", "530303102", _day(0))


@pytest.mark.parametrize(
    "change,message",
    [
        ({"amount": "0"}, "金额须为大于0的金额"),
        ({"amount": "-5"}, "金额须为大于0的金额"),
        ({"amount": "abc"}, "金额须为大于0的金额"),
        ({"amount": None}, "金额须为大于0的金额"),
        ({"effective_from": None}, "请填写生效日期"),
        ({"region_code": "99"}, "区划代码「99」不存在"),
        ({"region_code": "530303102"}, "按省、市、县区设定"),
        ({"basis": " "}, "请填写依据文件"),
        ({"name": "big_fine"}, "请选择金额标准的种类"),
        ({"party_kind": "company"}, "当事人类型"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(change, message):
    rows, audits = AmountThreshold.objects.count(), AuditEvent.objects.count()
    r = _add(**change)
    assert r.status_code == 400 and message in r.json()["detail"], r.content
    _unchanged(rows, audits)


@pytest.mark.parametrize("days", [0, -1, -400])
def test_a_rule_may_not_start_today_or_earlier(days):
    rows, audits = AmountThreshold.objects.count(), AuditEvent.objects.count()
    r = _add(effective_from=_day(days).isoformat())
    assert r.status_code == 400
    assert f"生效日期最早为{_day(1).isoformat()}" in r.json()["detail"]
    _unchanged(rows, audits)
    ended_first = _add(effective_to=_day(0).isoformat())
    assert (
        ended_first.status_code == 400
        and "终止日期不能早于生效日期" in ended_first.json()["detail"]
    )


def test_a_second_row_of_the_same_day_is_refused():
    assert _add().status_code == 201
    rows, audits = AmountThreshold.objects.count(), AuditEvent.objects.count()
    r = _add(amount="3500")
    assert r.status_code == 409 and "同一天生效" in r.json()["detail"]
    _unchanged(rows, audits)


def _province_admin():
    """An administrator of 云南省 (county_admin role on the province)."""
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.create_user("province_yn", password="x")
    person = Person.objects.create(
        user=account, name="云省管", region=Region.objects.get(code="53")
    )
    PersonRole.objects.create(person=person, role=Role.COUNTY_ADMIN)
    return account


@pytest.mark.parametrize(
    "username,region,message",
    [
        ("county_kq", "53", "您只能设定柯桥区范围内的金额标准，不能设定云南省的"),
        ("county_zy", "53", "您只能设定沾益区范围内的金额标准，不能设定云南省的"),
        ("county_zy", "", "平台默认值只能由平台管理员设定"),
        ("captain_pj", "530303", "只有平台管理员或省、市、县区的管理员可以设定金额标准"),
        ("dispatcher_pj", "530303", "只有平台管理员或省、市、县区的管理员可以设定金额标准"),
    ],
)
def test_only_the_administrator_of_the_area_sets_its_rule(username, region, message):
    rows, audits = AmountThreshold.objects.count(), AuditEvent.objects.count()
    r = _add(username, region_code=region)
    assert r.status_code == 403 and r.json()["detail"] == message
    _unchanged(rows, audits)


def test_a_province_administrator_sets_rules_within_the_province():
    province = _province_admin()
    c = client_for(province.username)
    assert post(c, TH, _row(region_code="53")).status_code == 201
    assert post(c, TH, _row(region_code="5303", amount="2500")).status_code == 201
    r = post(c, TH, _row(region_code="33"))
    assert r.status_code == 403 and "云南省范围内" in r.json()["detail"]


def test_the_add_is_audited_with_who_and_what():
    r = _add("county_zy", region_code="530303", name="major_confiscation", amount="8000.50")
    row = AmountThreshold.objects.get(pk=r.json()["id"])
    assert row.recorded_by == user("county_zy") and row.amount == Decimal("8000.50")
    event = AuditEvent.objects.get(verb="enforcement.threshold.add", object_id=str(row.pk))
    assert event.actor == user("county_zy") and event.after["region_code"] == "530303"
    assert r.json()["recorded_by"] == "韩县管"


def test_ending_a_rule():
    row = _add("county_zy", region_code="530303").json()
    end = f"{TH}/{row['id']}/end"
    rows, audits = AmountThreshold.objects.count(), AuditEvent.objects.count()
    # another province's administrator does not see it; a reader of the area may not end it
    assert post(client_for("county_kq"), end, {"effective_to": _day(5)}).status_code == 404
    r = post(client_for("dispatcher_pj"), end, {"effective_to": _day(5), "note": "x"})
    assert r.status_code == 403
    r = post(client_for("county_zy"), end, {"effective_to": _day(-1), "note": "文件废止"})
    assert r.status_code == 400 and f"不能早于今天（{_day(0).isoformat()}）" in r.json()["detail"]
    r = post(client_for("county_zy"), end, {"effective_to": _day(5), "note": " "})
    assert r.status_code == 400 and "终止的理由" in r.json()["detail"]
    _unchanged(rows, audits)
    assert AmountThreshold.objects.get(pk=row["id"]).effective_to is None

    r = post(client_for("county_zy"), end, {"effective_to": _day(5), "note": "文件废止"})
    assert r.status_code == 200 and r.json()["end_reason"] == "文件废止"
    event = AuditEvent.objects.get(verb="enforcement.threshold.end", object_id=str(row["id"]))
    assert event.before["effective_to"] is None and event.after["effective_to"] == str(_day(5))
    again = post(client_for("county_zy"), end, {"effective_to": _day(6), "note": "再次"})
    assert (
        again.status_code == 409
        and f"已设定终止日期{_day(5).isoformat()}" in again.json()["detail"]
    )


def test_a_rule_not_yet_in_force_may_be_withdrawn():
    row = _add().json()
    r = post(
        client_for("admin"), f"{TH}/{row['id']}/end", {"effective_to": _day(0), "note": "录错"}
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    with _later(2):
        rule = thresholds.amount_rule("hearing_fine", "individual", "530303102", _day(0))
        assert rule.is_default


def test_a_platform_default_in_force_is_replaced_not_ended():
    default = AmountThreshold.objects.get(
        name="major_fine", party_kind="individual", region_code=""
    )
    r = post(client_for("admin"), f"{TH}/{default.pk}/end", {"effective_to": _day(3), "note": "x"})
    assert r.status_code == 409 and "不能终止" in r.json()["detail"]
    r = _add(region_code="", name="major_fine", amount="12000", basis="")
    assert r.status_code == 201 and r.json()["default"] is True
    assert "平台默认值" in r.json()["basis"]
    rule = thresholds.amount_rule("major_fine", "individual", KEYAN, _day(1))
    assert rule.amount == Decimal("12000") and rule.is_default


def test_the_page_lists_the_area_marks_defaults_and_offers_forms_to_administrators():
    _add(basis=DOC)
    _add("county_kq", region_code="330603", basis="柯桥区测试标准")
    reader = client_for("dispatcher_pj").get("/enforcement/thresholds/")
    page = reader.content.decode()
    assert reader.status_code == 200
    assert DOC in page and "柯桥区测试标准" not in page
    assert "平台默认值" in page and 'data-th="状态"' in page and 'class="cards"' in page
    assert "盘江镇今天立案适用的标准" in page
    assert "/enforcement/thresholds/add/" not in page and "/end/" not in page

    mine = client_for("county_zy").get("/enforcement/thresholds/").content.decode()
    assert "/enforcement/thresholds/add/" in mine
    assert 'value="530303"' in mine and 'value="53"' not in mine  # only its own area
    assert 'href="/enforcement/thresholds/"' in mine  # the menu entry
    admin = client_for("admin").get("/enforcement/thresholds/").content.decode()
    assert 'value="53"' in admin and "柯桥区测试标准" in admin


def test_the_page_form_adds_and_refuses():
    c = client_for("county_zy")
    form = {**_row(region_code="530303"), "amount": "6000"}
    assert c.post("/enforcement/thresholds/add/", form).status_code == 302
    assert AmountThreshold.objects.filter(region_code="530303", amount=6000).exists()
    rows = AmountThreshold.objects.count()
    bad = c.post("/enforcement/thresholds/add/", {**form, "amount": "0"})
    assert bad.status_code == 400 and "金额须为大于0的金额" in bad.content.decode()
    assert AmountThreshold.objects.count() == rows
    row = AmountThreshold.objects.get(region_code="530303", amount=6000)
    r = c.post(
        f"/enforcement/thresholds/{row.pk}/end/", {"effective_to": _day(4), "reason": "废止"}
    )
    assert r.status_code == 302 and AmountThreshold.objects.get(pk=row.pk).effective_to == _day(4)
    other = client_for("county_kq").post(f"/enforcement/thresholds/{row.pk}/end/", {})
    assert other.status_code == 404


def test_the_export_holds_the_rows_of_the_page():
    _add(basis=DOC)
    _add("county_kq", region_code="330603", basis="柯桥区测试标准")
    c = client_for("dispatcher_pj")
    r = c.get("/enforcement/thresholds.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    cells = [[str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(cells) == 1 + len(c.get(TH).json())
    text = "\n".join("|".join(row) for row in cells)
    assert DOC in text and "柯桥区测试标准" not in text and "平台默认值" in text


def test_the_demo_restores_missing_defaults_once():
    assert actions.thresholds_ensure_defaults() == 0
    AmountThreshold.objects.filter(name="hearing_fine", region_code="").delete()
    assert actions.thresholds_ensure_defaults() == 2
    assert actions.thresholds_ensure_defaults() == 0
    assert AuditEvent.objects.filter(verb="enforcement.threshold.defaults").count() == 1


def test_a_refusal_in_english_for_an_english_client():
    r = client_for("county_zy").post(
        TH, _row(region_code=""), "application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 403
    assert r.json()["detail"] == "Only platform administrators can set platform defaults"
