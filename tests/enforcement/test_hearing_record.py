"""听证笔录 and 听证报告 (《行政处罚法》第六十四条第七、八项, 第六十五条): the hearing is recorded with
who took part, what each side said and the signature (or the chair's note of a refusal); the
chair's report comes before the decision; both print from the record."""

import datetime as dt

import pytest
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.enforcement.models import PenaltyCase, PenaltyStep
from tests.conftest import client_for, user

from .helpers import add_evidence, hearing_record, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
FINE = {"kinds": ["fine"], "fine_amount": "6000"}  # 较大数额: the party may ask for a hearing
REPORT = {"facts": "违法事实清楚，证据确凿", "law": "适用法律正确", "proposal": "建议罚款5000元"}


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat()


def _noticed():
    """A case whose party asked for a hearing 20 days ago, noticed with 卫镇长 as the chair."""
    pc = open_case()
    captain = client_for("captain_pj")
    assert post(captain, f"{API}{pc.code}/investigate").status_code == 200
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", FINE).status_code == 200
    asked = timezone.now() - dt.timedelta(days=20)
    PenaltyCase.objects.filter(pk=pc.pk).update(
        notified_at=asked - dt.timedelta(hours=1), hearing_until=timezone.now()
    )
    assert post(captain, f"{API}{pc.code}/hearing-request", {"at": _iso(asked)}).status_code == 200
    held = timezone.now() - dt.timedelta(days=1)
    notice = {
        "at": _iso(held),
        "place": "镇政府会议室",
        "host": user("leader_pj").person.pk,
        "served_on": str(timezone.localtime(asked).date()),
    }
    r = post(captain, f"{API}{pc.code}/hearing-notice", notice)
    assert r.status_code == 200, r.content
    return pc, captain, held


def _hold(captain, pc, held, **change):
    return post(
        captain, f"{API}{pc.code}/hearing-hold", {"at": _iso(held), **hearing_record(**change)}
    )


@pytest.mark.parametrize(
    "change,message",
    [
        ({"clerk": None}, "听证记录员须为本乡镇街道的工作人员"),
        ({"clerk": "leader_pj"}, "不能由听证主持人兼任"),
        ({"clerk": "captain_pj"}, "不能担任听证记录员"),  # he investigated
        ({"clerk": "land_pj"}, "不能担任听证记录员"),  # he captured evidence
        ({"presenters": []}, "调查人员"),
        ({"presenters": ["dispatcher_pj"]}, "调查人员"),  # not an officer
        ({"party_present": " "}, "出席听证的当事人"),
        ({"case_presented": ""}, "违法事实、证据和行政处罚建议"),
        ({"defence": ""}, "申辩和质证"),
        ({"final_statement": ""}, "最后陈述"),
        ({"signature": ""}, "签字"),
        ({"signature": "refused"}, "由听证主持人在笔录中注明"),
        ({"members": ["leader_pj"]}, "不能同时担任听证员"),  # the chair
        ({"members": ["dispatcher_pj"]}, "不能同时担任听证员"),  # the 记录员
        ({"members": ["land_pj"]}, "不能担任听证员"),  # he captured evidence
        ({"members": ["publicity_pj", "legal_pj", "officer_pj"]}, "听证员最多两名"),
        ({"members": ["dispatcher_ky"]}, "听证员须为本乡镇街道的工作人员"),  # another street
    ],
)
def test_an_incomplete_record_is_refused_and_nothing_is_written(change, message):
    pc, captain, held = _noticed()
    for key in ("clerk",):
        if isinstance(change.get(key), str):
            change[key] = user(change[key]).person.pk
    for key in ("presenters", "members"):
        if change.get(key):
            change[key] = [user(u).person.pk for u in change[key]]
    audits = AuditEvent.objects.count()
    r = _hold(captain, pc, held, **change)
    assert r.status_code == 400 and message in r.json()["detail"], r.content
    assert PenaltyCase.objects.get(pk=pc.pk).hearing_held_at is None
    assert AuditEvent.objects.count() == audits
    assert not PenaltyStep.objects.filter(penalty_case=pc, step="hearing_hold").exists()


def test_the_record_is_kept_audited_and_printed_then_the_report_precedes_the_decision():
    pc, captain, held = _noticed()
    r = _hold(captain, pc, held, signature="refused", signature_note="当事人拒绝签字，主持人注明")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["hearing_clerk"] == user("dispatcher_pj").person.name
    assert body["hearing_presenters"] == ["陈队长"]
    assert (
        body["hearing_signature"] == "refused" and "请求从轻处罚" in body["hearing_final_statement"]
    )
    event = AuditEvent.objects.filter(verb="enforcement.hearing_hold").latest("id")
    assert event.after["hearing_defence"].startswith("当事人对照片无异议")
    step = PenaltyStep.objects.get(penalty_case=pc, step="hearing_hold")
    assert step.data["presenters"] == [user("captain_pj").person.pk]

    record = captain.get(f"/enforcement/{pc.code}/documents/hearing-record/").content.decode()
    assert "听证笔录" in record and "镇政府会议室" in record and "卫镇长" in record
    assert "陈队长" in record.split('id="doc-presenters"', 1)[1].split("</td>", 1)[0]
    assert "拒绝签字或者盖章" in record and "当事人拒绝签字，主持人注明" in record
    assert "调查人员陈述违法事实" in record and "当事人对照片无异议" in record
    # no report yet: not offered, and the decision waits for it (第六十五条)
    r = captain.get(f"/enforcement/{pc.code}/documents/hearing-report/")
    assert r.status_code == 404
    leader = client_for("leader_pj")
    decide = {"note": "罚款", **FINE}
    r = post(leader, f"{API}{pc.code}/decide", decide)
    assert r.status_code == 409 and "第六十五条" in r.json()["detail"]
    no_penalty = {"ground": "first_minor", "note": "x", "kinds": []}
    r = post(leader, f"{API}{pc.code}/no-penalty", no_penalty)
    assert r.status_code == 409 and "听证报告" in r.json()["detail"]
    page = leader.get(f"/enforcement/{pc.code}/").content.decode()
    assert 'id="hearing-report-due"' in page and "/act/hearing_report/" in page

    # the report: only the chair, every opinion required, then the decision may follow
    r = post(captain, f"{API}{pc.code}/hearing-report", REPORT)
    assert r.status_code == 403
    r = post(leader, f"{API}{pc.code}/hearing-report", {**REPORT, "law": ""})
    assert r.status_code == 400 and "适用法律" in r.json()["detail"]
    r = leader.post(f"/enforcement/{pc.code}/act/hearing_report/", REPORT)
    assert r.status_code == 302
    fresh = PenaltyCase.objects.get(pk=pc.pk)
    assert fresh.hearing_report_penalty == "建议罚款5000元" and fresh.hearing_reported_at
    report = captain.get(f"/enforcement/{pc.code}/documents/hearing-report/").content.decode()
    assert "违法事实清楚，证据确凿" in report and "建议罚款5000元" in report
    assert "卫镇长" in report
    offered = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "documents/hearing-record/" in offered and "documents/hearing-report/" in offered
    r = post(leader, f"{API}{pc.code}/decide", decide)
    assert r.status_code == 409 and "第六十五条" not in r.json()["detail"]  # now: 法制审核
    assert (
        post(
            client_for("legal_pj"),
            f"{API}{pc.code}/legal-review",
            {"result": "passed", "note": "同意"},
        ).status_code
        == 200
    )
    r = post(leader, f"{API}{pc.code}/decide", decide)
    assert r.status_code == 200, r.content
    decision = captain.get(f"/enforcement/{pc.code}/documents/decision/").content.decode()
    assert "提出听证报告" in decision and "根据听证笔录作出" in decision


def test_hearing_members_and_an_interpreter_are_recorded_and_printed():
    """One or two 听证员 beside the chair (not the chair, the 记录员 or an investigator) and an
    interpreter, on the page, in the API, the audit and the printed 听证笔录."""
    pc, captain, held = _noticed()
    members = [user("publicity_pj").person.pk, user("legal_pj").person.pk]
    r = _hold(captain, pc, held, members=members, interpreter="彝语翻译 李某")
    assert r.status_code == 200, r.content
    body = r.json()
    names = sorted([user("publicity_pj").person.name, user("legal_pj").person.name])
    assert body["hearing_members"] == names and body["hearing_interpreter"] == "彝语翻译 李某"
    step = PenaltyStep.objects.get(penalty_case=pc, step="hearing_hold")
    assert sorted(step.data["members"]) == sorted(members)
    event = AuditEvent.objects.filter(verb="enforcement.hearing_hold").latest("id")
    assert event.after["hearing_interpreter"] == "彝语翻译 李某"
    record = captain.get(f"/enforcement/{pc.code}/documents/hearing-record/").content.decode()
    shown = record.split('id="doc-members"', 1)[1].split("</td>", 1)[0]
    assert all(n in shown for n in names) and "彝语翻译 李某" in record
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert "听证员" in page and "彝语翻译 李某" in page


def test_a_blank_where_the_record_lacks_a_field():
    """A hearing recorded before the record's fields existed prints blanks, never made up."""
    pc, captain, held = _noticed()
    assert _hold(captain, pc, held).status_code == 200
    PenaltyCase.objects.filter(pk=pc.pk).update(hearing_defence="", hearing_clerk=None)
    record = captain.get(f"/enforcement/{pc.code}/documents/hearing-record/").content.decode()
    assert 'class="blank' in record.split('id="doc-defence"', 1)[1].split("</p>", 1)[0]
    assert 'class="blank' in record.split('id="doc-clerk"', 1)[1].split("</td>", 1)[0]


def test_another_township_cannot_see_the_record():
    pc, captain, held = _noticed()
    assert _hold(captain, pc, held).status_code == 200
    other = client_for("dispatcher_ky")
    assert other.get(f"/enforcement/{pc.code}/documents/hearing-record/").status_code == 404
    assert (
        post(client_for("handler_ky"), f"{API}{pc.code}/hearing-report", REPORT).status_code == 404
    )
