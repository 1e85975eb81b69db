"""印发通报: the organiser issues the 通报 of an item's ranking once, with its 文号 and date,
refused while a review is open; each ranked unit finds its own place and score in its inbox,
and no other unit's name."""

import io

import openpyxl
import pytest

from jiceng.assessment import actions
from jiceng.assessment.models import Notice
from jiceng.core.audit import AuditEvent
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import appeal, approved, inspect, person, score, streets, unit

pytestmark = pytest.mark.django_db
J = "application/json"


def _scored():
    """柯岩 95 (it appeals), two more streets 90 and 80."""
    t1, t2 = streets(2)
    ky, x1, x2 = inspect(approved(), "柯岩街道办事处", t1, t2)
    score(ky, 55, 40)
    score(x1, 50, 40)
    score(x2, 40, 40)
    return ky, x1, x2


def _sent(notice_pk=None):
    q = Task.objects.filter(source_key__startswith="assessment:notice:")
    return q if notice_pk is None else q.filter(details__notice=notice_pk)


def test_the_organiser_issues_once_after_the_reviews_and_each_unit_sees_its_own_place():
    ky, x1, x2 = _scored()
    item = ky.item
    page = f"/assessment/{item.pk}/"
    organiser = client_for("assessor_kq")
    assert 'id="notice-form"' in organiser.get(page).content.decode()
    a = appeal(ky)
    # provisional while the review is open: the page says why, the step is refused
    shown = organiser.get(page).content.decode()
    assert 'id="notice-form"' not in shown and "复核办结或撤回后方可印发通报" in shown
    r = organiser.post(f"{page}notice/", {"document": "柯宣通〔2026〕1号"})
    assert r.status_code == 400 and "有1个复核尚未办结" in r.content.decode()
    assert not Notice.objects.exists() and not _sent().exists()
    # the inspected unit and another county may not issue it
    assert client_for("leader_ky").post(f"{page}notice/", {"document": "x"}).status_code == 403
    assert client_for("leader_pj").post(f"{page}notice/", {"document": "x"}).status_code == 404
    assert 'id="notice-form"' not in client_for("leader_ky").get(page).content.decode()

    leader = person("leader_ky")
    actions.appeal_withdraw(appeal=a, person=leader, by=leader.user)
    r = organiser.post(f"{page}notice/", {"document": " "})
    assert r.status_code == 400 and "请填写通报文号" in r.content.decode()
    r = organiser.post(f"{page}notice/", {"document": "柯宣通〔2026〕1号"})
    assert r.status_code == 302 and r.url == page
    notice = Notice.objects.get(item=item)
    assert notice.document == "柯宣通〔2026〕1号" and notice.issued_by == person("assessor_kq")
    assert [(r["inspection"], r["rank"]) for r in notice.ranks] == [
        (ky.pk, 1),
        (x1.pk, 2),
        (x2.pk, 3),
    ]
    tasks = {t.assignee_unit_id: t for t in _sent(notice.pk)}
    assert set(tasks) == {ky.unit_id, x1.unit_id, x2.unit_id}
    mine = tasks[unit("柯岩街道办事处").pk]
    text = mine.subject + mine.body
    assert (
        "第1名（共3个）" in mine.subject and "95分" in mine.subject and "柯宣通〔2026〕1号" in text
    )
    assert x1.unit.name not in text and x2.unit.name not in text
    assert "第3名" in tasks[x2.unit_id].subject and ky.unit.name not in tasks[x2.unit_id].body
    assert mine.kind == "notice" and mine.from_unit == item.issuer and mine.state == "open"
    event = AuditEvent.objects.get(verb="assessment.notice.issue")
    assert event.after["document"] == "柯宣通〔2026〕1号" and event.after["sent"] == 3

    # issued once: the page shows it, a second issue is refused and sends nothing
    assert 'id="notice-issued"' in organiser.get(page).content.decode()
    r = organiser.post(f"{page}notice/", {"document": "柯宣通〔2026〕2号"})
    assert r.status_code == 400 and "不能重复印发" in r.content.decode()
    r = organiser.post(
        f"/api/v1/assessment/items/{item.pk}/notice", {"document": "2"}, content_type=J
    )
    assert r.status_code == 400
    assert Notice.objects.count() == 1 and _sent().count() == 3
    assert AuditEvent.objects.filter(verb="assessment.notice.issue").count() == 1

    # the 通报 sheet carries the fixed 文号 and date; the township's still shows only its row
    wb = openpyxl.load_workbook(
        io.BytesIO(client_for("dispatcher_ky").get(f"/assessment/{item.pk}/notice.xlsx").content)
    )
    rows = list(wb.active.values)
    assert ("通报文号", "柯宣通〔2026〕1号") in [tuple(r[:2]) for r in rows]
    cells = {c for r in rows for c in r if c}
    assert x1.unit.name not in cells and ky.unit.name in cells
    assert "通报印发后结果有变更，下表为当前排名" not in cells

    # a result scored again afterwards: the 通报 keeps its places, the page and sheet say so
    score(x2, 60, 40)
    assert Notice.objects.get(pk=notice.pk).ranks == notice.ranks
    assert 'id="notice-changed"' in organiser.get(page).content.decode()
    sheet = openpyxl.load_workbook(
        io.BytesIO(organiser.get(f"/assessment/{item.pk}/notice.xlsx").content)
    )
    assert "通报印发后结果有变更，下表为当前排名" in {
        c for r in sheet.active.values for c in r if c
    }


def test_the_api_issues_and_the_ranking_names_the_notice():
    ky, _x1, _x2 = _scored()
    item = ky.item
    api = f"/api/v1/assessment/items/{item.pk}"
    organiser = client_for("assessor_kq")
    assert organiser.get(f"{api}/ranking").json()["notice"] is None
    r = client_for("dispatcher_ky").post(f"{api}/notice", {"document": "x"}, content_type=J)
    assert r.status_code == 403 and not Notice.objects.exists()
    r = organiser.post(f"{api}/notice", {"document": "柯宣通〔2026〕3号"}, content_type=J)
    assert r.status_code == 201
    body = r.json()
    assert body["document"] == "柯宣通〔2026〕3号" and body["sent"] == 3 and body["item"] == item.pk
    seen = client_for("dispatcher_ky").get(f"{api}/ranking").json()
    assert seen["notice"]["document"] == "柯宣通〔2026〕3号"
    assert [row["unit"] for row in seen["rows"]] == [ky.unit.name]


def test_nothing_scored_is_not_issued():
    (x,) = inspect(approved(), "柯岩街道办事处")
    r = client_for("assessor_kq").post(
        f"/api/v1/assessment/items/{x.item_id}/notice", {"document": "1"}, content_type=J
    )
    assert r.status_code == 400 and "尚无已评分的结果" in r.json()["detail"]
    assert not Notice.objects.exists()


def _issue(item, document="柯宣通〔2026〕5号"):
    organiser = person("assessor_kq")
    return actions.notice_issue(item=item, person=organiser, document=document, by=organiser.user)


def test_the_notice_document_prints_the_places_of_its_day_in_the_callers_area():
    ky, x1, x2 = _scored()
    item = ky.item
    url = f"/assessment/{item.pk}/notice/document/"
    organiser = client_for("assessor_kq")
    # not issued yet: nothing to print, and the pages offer no link
    r = organiser.get(url, follow=True)
    assert r.redirect_chain == [(f"/assessment/{item.pk}/", 302)]
    assert "本事项尚未印发考核结果通报" in r.content.decode()
    assert 'id="notice-document"' not in organiser.get(f"/assessment/{item.pk}/").content.decode()

    _issue(item)
    assert 'id="notice-document"' in organiser.get(f"/assessment/{item.pk}/").content.decode()
    page = organiser.get(url).content.decode()
    assert item.issuer.name in page and 'id="docno">柯宣通〔2026〕5号<' in page
    assert f"关于{item.name}结果的通报" in page
    to = page.split('id="doc-to">', 1)[1].split("</p>", 1)[0]
    assert all(x.unit.name in to for x in (ky, x1, x2)) and to.endswith("：")
    body = page.split('id="doc-ranks">', 1)[1].split("</table>", 1)[0]
    order = [body.index(x.unit.name) for x in (ky, x1, x2)]
    assert order == sorted(order) and "<td>95</td>" in body and "<td>80</td>" in body
    assert 'id="doc-partial"' not in page and 'id="notice-changed"' not in page
    assert f"{item.notice.issued_on.year}年" in page.split('class="record flat"', 1)[1]

    # scored again after the 通报: the document keeps the places and scores it was issued with
    score(x2, 60, 40)
    page = organiser.get(url).content.decode()
    body = page.split('id="doc-ranks">', 1)[1].split("</table>", 1)[0]
    assert "<td>80</td>" in body and "<td>100</td>" not in body
    assert 'id="notice-changed"' in page

    # the inspected street reads its own place among all, with no other unit's name
    street = client_for("dispatcher_ky")
    mine = street.get(url).content.decode()
    assert ky.unit.name in mine and x1.unit.name not in mine and x2.unit.name not in mine
    assert "参加排名的共3个" in mine
    assert (
        'id="notice-document"' in street.get(f"/assessment/inspections/{ky.pk}/").content.decode()
    )
    # another county does not see the item at all
    assert client_for("county_zy").get(url).status_code == 404


def test_a_full_score_is_told_as_100_not_in_exponent_form():
    (x,) = inspect(approved(), "柯岩街道办事处")
    score(x, 60, 40)
    notice = _issue(x.item)
    (task,) = _sent(notice.pk)
    assert "100分" in task.subject and "E+" not in task.subject + task.body
    page = client_for("assessor_kq").get(f"/assessment/{x.item_id}/notice/document/")
    assert "<td>100</td>" in page.content.decode()
