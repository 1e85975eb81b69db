"""The pages: public report (phone), track + rate, patrol, hotline, queue, case page, dashboard."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jiceng.cases.models import Case

from .helpers import KEYAN, PANJIANG, jpeg_with_gps, point_in, report
from .scope import keyan_case

pytestmark = pytest.mark.django_db


def test_public_report_page_takes_an_anonymous_report_with_a_photo(client):
    assert client.get("/cases/report/").status_code == 200
    lon, lat = point_in(KEYAN, None)
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(lon, lat), content_type="image/jpeg")
    r = client.post(
        "/cases/report/",
        {"description": "楼下垃圾堆积", "category_code": "M06010", "photos": photo},
    )
    assert r.status_code == 200, r.content.decode()[:500]
    page = r.content.decode()
    assert "上报成功" in page
    case = Case.objects.order_by("-id").first()
    assert case.secret() in page and case.attachments.count() == 1
    track = client.get(f"/cases/track/{case.code}/", {"secret": case.secret()})
    assert track.status_code == 200 and "待立案" in track.content.decode()
    assert client.get(f"/cases/track/{case.code}/", {"secret": "x"}).status_code == 404


def test_report_page_shows_the_reason_when_refused(client):
    r = client.post("/cases/report/", {"description": "x", "lon": "0", "lat": "0"})
    assert r.status_code == 400 and "不在任何网格内" in r.content.decode()


def test_patrol_page_for_grid_workers_only(persona):
    assert persona("grid_a").get("/cases/patrol/").status_code == 200
    assert persona("resident").get("/cases/patrol/").status_code == 404
    lon, lat = point_in(KEYAN, None)
    r = persona("grid_a").post(
        "/cases/patrol/",
        {"description": "垃圾", "category_code": "M06010", "lon": lon, "lat": lat},
        follow=True,
    )
    assert r.status_code == 200 and "已派遣" in r.content.decode()


def test_hotline_page_records_a_call(persona):
    lon, lat = point_in(KEYAN, None)
    r = persona("staff_a").post(
        "/cases/hotline/",
        {
            "description": "来电反映占道经营",
            "category_code": "M09006",
            "lon": lon,
            "lat": lat,
            "contact_phone": "13800000000",
        },
        follow=True,
    )
    assert r.status_code == 200
    case = Case.objects.order_by("-id").first()
    assert case.source == "hotline" and r.redirect_chain[-1][0] == f"/cases/{case.code}/"
    assert f"已登记案件 {case.code}" in r.content.decode()


def test_a_call_placed_in_another_township_is_handed_over_not_shown(persona):
    """A 柯岩 dispatcher records a call about 盘江: the case is 盘江's, and the dispatcher, who may
    not open it, is told so instead of being sent to a page they cannot see."""
    lon, lat = point_in(PANJIANG, None)
    r = persona("staff_a").post(
        "/cases/hotline/",
        {"description": "来电反映路边垃圾堆积", "category_code": "M06010", "lon": lon, "lat": lat},
        follow=True,
    )
    case = Case.objects.order_by("-id").first()
    assert case.township.code == PANJIANG and r.status_code == 200
    assert r.redirect_chain[-1][0] == "/cases/hotline/"
    assert (
        f"已登记案件 {case.code}，属{case.township.name}，不在您的管辖范围内" in r.content.decode()
    )
    assert persona("staff_a").get(f"/cases/{case.code}/").status_code == 404


def test_queue_case_page_and_actions(persona):
    case = keyan_case()
    desk = persona("staff_a")
    assert case.code in desk.get("/cases/queue/").content.decode()
    page = desk.get(f"/cases/{case.code}/").content.decode()
    assert "分拨依据" in page and "JC-CF-002" in page
    r = desk.post(f"/cases/{case.code}/act/register_dispatch/", follow=True)
    assert "操作成功" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == "dispatched"
    r = persona("grid_a").post(f"/cases/{case.code}/act/close/", follow=True)
    assert "不能结案" in r.content.decode()


def test_queue_page_query_count_does_not_grow(persona, django_assert_max_num_queries):
    for _ in range(5):
        keyan_case()
    desk = persona("staff_a")
    with django_assert_max_num_queries(12):
        assert desk.get("/cases/queue/").status_code == 200


def test_dashboard_and_export_show_only_my_township(persona, client):
    mine = report(client).json()["code"]
    theirs = report(client, township="530303102", category="M06001").json()["code"]
    page = persona("staff_a").get("/cases/dashboard/").content.decode()
    assert mine in page and theirs not in page and "立案率" in page
    r = persona("staff_a").get("/cases/export.xlsx")
    assert r.status_code == 200
    codes = [
        row[0] for row in load_workbook(io.BytesIO(r.content))["案件"].iter_rows(values_only=True)
    ]
    assert mine in codes and theirs not in codes and codes[0] == "案件编号"
    indicators = load_workbook(io.BytesIO(r.content))["指标"]
    assert next(indicators.iter_rows(values_only=True)) == ("指标", "数值", "分子", "分母")
    assert "立案率" in [row[0] for row in indicators.iter_rows(values_only=True)]
    other = persona("staff_b").get("/cases/export.xlsx")
    codes_b = [
        row[0]
        for row in load_workbook(io.BytesIO(other.content))["案件"].iter_rows(values_only=True)
    ]
    assert mine not in codes_b and theirs in codes_b


def test_the_list_exports_what_it_lists_of_any_period(persona, client):
    dumping = report(client, text="河边有人倾倒建筑垃圾").json()["code"]
    noise = report(client, text="夜里工地施工噪音扰民", k=1).json()["code"]
    old = Case.objects.get(code=noise)
    old.reported_at = old.reported_at.replace(year=old.reported_at.year - 1)
    old.save(update_fields=["reported_at"])  # last year: outside the dashboard's period
    desk = persona("staff_a")

    def exported(params):
        page = desk.get("/cases/", params).content.decode()
        link = page[page.index('id="export" href="') :].split('"')[3].replace("&amp;", "&")
        sheet = load_workbook(io.BytesIO(desk.get(link).content))["案件"]
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert set(exported({})) == {dumping, noise}  # the open cases, last year's included
    assert exported({"q": "噪音"}) == [noise]
    assert dumping in exported({"status": Case.objects.get(code=dumping).status})
    assert exported({"status": "closed"}) == []
    assert exported({"auto": "1"}) == []  # nothing here was dispatched by the classifier
    period = desk.get("/cases/export.xlsx").content  # the dashboard's: this month only
    rows = load_workbook(io.BytesIO(period))["案件"].iter_rows(min_row=2, values_only=True)
    assert [row[0] for row in rows] == [dumping]


def test_a_reporter_with_code_and_secret_but_no_link_finds_the_case(client, persona):
    case = Case.objects.get(code=report(client, text="楼道灯坏了").json()["code"])
    page = client.get("/cases/report/").content.decode()
    assert 'href="/cases/track/"' in page  # from the report page
    found = client.get("/cases/track/", {"code": case.code, "secret": case.secret().upper()})
    assert found.status_code == 302
    assert found["Location"] == f"/cases/track/{case.code}/?secret={case.secret().upper()}"
    tracked = client.get(found["Location"])
    assert tracked.status_code == 200 and case.code in tracked.content.decode()
    wrong = client.get("/cases/track/", {"code": case.code, "secret": "000000000000"})
    assert wrong.status_code == 404 and "案件编号或查询码不正确" in wrong.content.decode()
    assert client.get("/cases/track/").status_code == 200  # the empty form
    # the resident's menu has reporting and tracking, not the staff's case list
    home = persona("resident").get("/").content.decode()
    assert 'href="/cases/track/"' in home and 'href="/cases/report/"' in home
    assert 'href="/cases/"' not in home


def test_guessing_tracking_codes_is_slowed_down(client, settings):
    settings.JICENG_CASE_RATE_LIMIT = (3, 60)
    answers = [
        client.get("/cases/track/", {"code": "261125000000", "secret": f"{n:012x}"}).status_code
        for n in range(5)
    ]
    assert answers == [404, 404, 404, 429, 429]


def test_a_bad_date_in_the_export_address_is_a_clear_400_not_a_500(persona):
    r = persona("staff_a").get("/cases/export.xlsx", {"start": "2026-13-01"})
    assert r.status_code == 400 and "日期格式应为 YYYY-MM-DD" in r.content.decode()
