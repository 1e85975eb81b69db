"""简易程序: the on-the-spot penalty (《行政处罚法》第五十一、五十二条), its limits by the act's date,
the two officers, the 备案 in the leaders' inbox, and nothing written on a refusal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement import actions, documents, onspot
from jiceng.enforcement.errors import EnforcementError
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from jiceng.org.models import Person, PersonRole, Region, Role
from jiceng.powers.models import PowerItem
from jiceng.workload.models import Task
from tests.conftest import client_for, user

from .helpers import BEFORE, KEYAN, PANJIANG, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"


def second_officer(township=PANJIANG, username="officer2_pj", name="程执法"):
    """盘江镇 has one enforcement officer in the demo (captain_pj): the test makes a second."""
    captain = user("captain_pj").person
    account = get_user_model().objects.create_user(username=username, password="x")
    person = Person.objects.create(
        user=account,
        name=name,
        region=Region.objects.get(code=township),
        home_unit=captain.home_unit if township == PANJIANG else None,
    )
    PersonRole.objects.create(person=person, role=Role.ENFORCEMENT_OFFICER)
    return person


def on_spot(by="captain_pj", officers=None, **kw):
    args = {
        "power": PowerItem.objects.get(code="JC-CF-001"),
        "township": Region.objects.get(code=PANJIANG),
        "party_name": "路边摊主",
        "party_kind": "individual",
        "facts": "占用生产路堆放建筑材料",
        "kinds": ["fine"],
        "fine_amount": "200",
        "statement": "当事人无异议",
        "statement_heard": True,
        "place": "盘江镇下坡村生产路",
        **kw,
    }
    if officers is None:
        officers = [user("captain_pj").person.pk, second_officer().pk]
    return actions.penaltycase_decide_on_spot(officers=officers, by=user(by), **args)


def _counts():
    return (PenaltyCase.objects.count(), AuditEvent.objects.count(), Task.objects.count())


def test_a_citizen_fined_200_is_served_on_the_spot_and_filed_by_the_leader():
    pc = on_spot()
    assert pc.procedure == "summary" and pc.state == "served" and pc.outcome == "penalty"
    assert pc.fine_amount == Decimal("200.00") and pc.penalty_kinds == ["fine"]
    assert pc.decided_at == pc.served_at and pc.served_at is not None
    due = timezone.localtime(pc.execute_due_at).date()
    assert due == timezone.localtime(pc.served_at).date() + dt.timedelta(days=16)  # midnight
    assert pc.current_due() == pc.execute_due_at and not pc.approval_required
    assert sorted(p.name for p in pc.officers.all()) == sorted(["陈队长", "程执法"])
    assert [s.step for s in PenaltyStep.objects.filter(penalty_case=pc)] == ["on_spot"]
    assert AuditEvent.objects.filter(verb="enforcement.on_spot", object_id=str(pc.pk)).exists()
    tasks = Task.objects.filter(source_key__startswith=f"enforcement:{pc.pk}:summary-filing:")
    leader_task = tasks.get(assignee_person=user("leader_pj").person)
    assert leader_task.state == "open" and leader_task.subject == f"简易程序处罚备案：{pc.code}"
    r = post(client_for("leader_pj"), f"{API}{pc.code}/file-summary", {"note": "已阅，备案"})
    assert r.status_code == 200, r.content
    assert r.json()["summary_filed_at"] is not None and r.json()["procedure"] == "summary"
    assert not tasks.filter(state="open").exists()
    assert AuditEvent.objects.filter(verb="enforcement.file_summary").exists()
    again = post(client_for("leader_pj"), f"{API}{pc.code}/file-summary")
    assert again.status_code == 409 and "已于" in again.json()["detail"]


def test_execution_and_closing_as_usual_and_an_unfiled_case_says_so():
    pc = on_spot()
    captain = client_for("captain_pj")
    paid = {"method": "electronic", "paid_amount": "200", "paid_on": str(timezone.localdate())}
    assert post(captain, f"{API}{pc.code}/execute", paid).status_code == 200
    assert post(captain, f"{API}{pc.code}/close").status_code == 200
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.state == "closed" and fresh.summary_filed_at is None
    assert "结案时尚未备案" in fresh.steps.get(step="close").note
    tasks = Task.objects.filter(source_key__startswith=f"enforcement:{pc.pk}:summary-filing:")
    assert tasks.exists() and not tasks.filter(state="open").exists()


def test_only_a_leader_files_and_only_a_summary_case():
    pc = on_spot()
    r = post(client_for("land_pj"), f"{API}{pc.code}/file-summary")
    assert r.status_code == 403 and "分管领导" in r.json()["detail"]
    from .helpers import open_case

    general = open_case()
    r = post(client_for("leader_pj"), f"{API}{general.code}/file-summary")
    assert r.status_code == 409 and "简易程序" in r.json()["detail"]


@pytest.mark.parametrize(
    "kw,message",
    [
        ({"fine_amount": "201"}, "不得超过200元"),
        ({"party_kind": "organisation", "fine_amount": "3000.01"}, "不得超过3000元"),
        ({"kinds": ["confiscate_gains"], "fine_amount": None}, "没收违法所得」须适用普通程序"),
        ({"kinds": ["suspend_business"], "fine_amount": None}, "责令停产停业"),
        ({"kinds": ["warning", "suspend_business"], "fine_amount": None}, "普通程序"),
        ({"statement": "  "}, "陈述、申辩"),
        ({"statement_heard": False}, "第五十二条"),
        ({"facts": ""}, "违法事实"),
        ({"place": ""}, "地点"),
        ({"act_date": BEFORE, "fine_amount": "50"}, "区级审批"),  # before the devolution
        (
            {"act_date": dt.date(2020, 6, 1), "fine_amount": "51"},
            "不得超过50元（《行政处罚法》（1996年）",
        ),
    ],
)
def test_refusals_write_nothing(kw, message):
    officers = [user("captain_pj").person.pk, second_officer().pk]
    before = _counts()
    with pytest.raises(EnforcementError) as exc:
        on_spot(officers=officers, **kw)
    assert message in exc.value.message, exc.value.message
    assert _counts() == before


def test_an_organisation_may_be_fined_3000_and_a_warning_alone_is_allowed():
    pc = on_spot(party_kind="organisation", fine_amount="3000")
    assert pc.fine_amount == Decimal("3000.00") and pc.procedure == "summary"
    officers = [user("captain_pj").person.pk, Person.objects.get(name="程执法").pk]
    warned = on_spot(officers=officers, kinds=["warning"], fine_amount=None)
    assert warned.penalty_kinds == ["warning"] and warned.fine_amount is None


@pytest.mark.parametrize("which", ["one", "other_township", "not_officer"])
def test_the_two_officers_must_be_enforcement_officers_of_the_township(which):
    captain = user("captain_pj").person.pk
    others = {
        "one": [captain],
        "other_township": [captain, user("handler_ky").person.pk],
        "not_officer": [captain, user("land_pj").person.pk],
    }
    before = _counts()
    with pytest.raises(EnforcementError) as exc:
        on_spot(officers=others[which])
    message = exc.value.message
    assert ("两名" in message) if which == "one" else ("不是盘江镇的执法人员" in message)
    assert _counts() == before


def test_only_an_officer_of_the_township_decides_on_the_spot():
    before = _counts()
    with pytest.raises(EnforcementError) as exc:
        on_spot(by="leader_pj")
    assert exc.value.status == 403
    assert _counts() == before


def test_the_limits_are_dated_by_the_act():
    assert onspot.limit("individual", dt.date(2021, 7, 15)).amount == 200
    assert onspot.limit("individual", dt.date(2021, 7, 14)).amount == 50
    assert onspot.limit("organisation", dt.date(2020, 1, 1)).amount == 1000
    assert onspot.limit("organisation", dt.date(2026, 1, 1)).amount == 3000
    assert onspot.limit("individual", dt.date(1990, 1, 1)) is None


def test_no_major_ground_applies_to_an_on_the_spot_amount():
    from jiceng.enforcement import review

    pc = on_spot(party_kind="organisation", fine_amount="3000")
    assert review.major_reasons(pc) == []


def test_the_api_decides_on_the_spot_and_refuses_with_4xx():
    second = second_officer()
    captain = client_for("captain_pj")
    body = {
        "power": "JC-CF-001",
        "party_name": "API当事人",
        "facts": "占道经营",
        "kinds": ["warning", "fine"],
        "fine_amount": "150",
        "statement": "当事人无异议",
        "statement_heard": True,
        "officers": [user("captain_pj").person.pk, second.pk],
        "place": "盘江镇集市",
    }
    r = post(captain, f"{API}on-spot", body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["procedure"] == "summary" and out["state"] == "served"
    assert (
        sorted(out["officers"]) == sorted(["陈队长", "程执法"])
        and out["statement"] == "当事人无异议"
    )
    before = _counts()
    r = post(captain, f"{API}on-spot", {**body, "fine_amount": "201"})
    assert r.status_code == 400 and "200" in r.json()["detail"]
    r = post(client_for("handler_ky"), f"{API}on-spot", body)
    assert r.status_code in (400, 403)
    assert _counts() == before


def test_another_township_gets_404_on_the_case():
    pc = on_spot()
    keyan = client_for("handler_ky")
    assert keyan.get(f"/enforcement/{pc.code}/").status_code == 404
    assert keyan.get(f"{API}{pc.code}").status_code == 404
    assert post(client_for("leader_ky"), f"{API}{pc.code}/file-summary").status_code == 404
    assert KEYAN  # 柯岩街道


def _form(**kw):
    return {
        "power": "JC-CF-001",
        "party_name": "页面当事人",
        "party_kind": "individual",
        "facts": "占道晾晒",
        "kinds": ["fine"],
        "fine_amount": "100",
        "statement": "当事人无异议",
        "statement_heard": "1",
        "officers": [str(user("captain_pj").person.pk), str(Person.objects.get(name="程执法").pk)],
        "place": "盘江镇街心",
        **kw,
    }


def test_the_page_decides_on_the_spot_and_the_case_page_shows_the_procedure_and_filing():
    second_officer()
    captain = client_for("captain_pj")
    page = captain.get("/enforcement/on-spot/").content.decode()
    assert 'name="officers"' in page and "程执法" in page and "200" in page
    assert "当场处罚（简易程序）" in captain.get("/enforcement/").content.decode()
    assert 'id="on-spot-link"' in captain.get("/enforcement/open/").content.decode()
    r = captain.post("/enforcement/on-spot/", _form())
    assert r.status_code == 302, r.content.decode()[:2000]
    pc = PenaltyCase.objects.get(party_name="页面当事人")
    detail = captain.get(r["Location"]).content.decode()
    assert "简易程序" in detail and "待分管领导备案" in detail and "盘江镇街心" in detail
    leader = client_for("leader_pj")
    assert "简易程序处罚备案" in leader.get(f"/enforcement/{pc.code}/").content.decode()
    r = leader.post(f"/enforcement/{pc.code}/act/file_summary/", {"note": "备案"})
    assert r.status_code == 302
    assert "已备案" in leader.get(f"/enforcement/{pc.code}/").content.decode()


def test_the_page_refuses_with_the_reason_and_keeps_what_was_typed():
    second_officer()
    captain = client_for("captain_pj")
    before = _counts()
    r = captain.post("/enforcement/on-spot/", _form(fine_amount="201", officers=["x", ""]))
    assert r.status_code == 400
    page = r.content.decode()
    assert "两名" in page and "页面当事人" in page
    r = captain.post("/enforcement/on-spot/", _form(fine_amount="201"))
    assert r.status_code == 400 and "不得超过200元" in r.content.decode()
    assert _counts() == before


def test_the_page_is_only_for_enforcement_officers():
    second_officer()
    page = client_for("land_pj").get("/enforcement/on-spot/").content.decode()
    assert "只有乡镇街道的执法人员可以当场处罚" in page and 'name="officers"' not in page
    r = client_for("county_zy").post("/enforcement/on-spot/", _form())
    assert r.status_code == 400


def _document(client, pc, kind="on-spot"):
    return client.get(f"/enforcement/{pc.code}/documents/{kind}/")


def test_the_on_spot_decision_document_and_what_a_summary_case_offers():
    pc = on_spot()
    captain = client_for("captain_pj")
    r = _document(captain, pc)
    assert r.status_code == 200
    page = r.content.decode()
    year, n = documents.year_number(pc)
    assert f"盘江镇综执当罚字〔{year}〕第{n}号" in page
    assert "人民币200元" in page and "陈队长" in page and "程执法" in page
    assert "当事人无异议" in page and "十五日内" in page and "盘江镇下坡村生产路" in page
    assert "六十日内" in page and "六个月内" in page
    due = timezone.localtime(pc.execute_due_at).date() - dt.timedelta(days=1)
    assert f"{due.year}年{due.month}月{due.day}日前" in page
    assert [k.slug for k in documents.offered(pc)] == ["on-spot"]
    for kind in ("decision", "service", "filing"):
        assert _document(captain, pc, kind).status_code == 404
    keyan = client_for("handler_ky")
    assert _document(keyan, pc).status_code == 404


def test_a_general_case_does_not_offer_the_on_spot_document():
    from .helpers import open_case

    general = open_case()
    assert _document(client_for("captain_pj"), general).status_code == 404
    assert "on-spot" not in [k.slug for k in documents.offered(general)]


def test_the_ledger_says_which_procedure():
    import io

    import openpyxl

    from .helpers import open_case

    pc, general = on_spot(), open_case()
    r = client_for("captain_pj").get("/enforcement/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    column = list(rows[0]).index("程序")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[pc.code][column] == "简易程序"
    assert by_code[general.code][column] == "普通程序"
