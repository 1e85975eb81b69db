"""S6: only approved items run, their indicators frozen; self-made items, additions and
decompositions are refused with the reason; every inspection counts against a yearly cap."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.assessment import actions
from jiceng.assessment.models import AssessmentItem, Indicator, Inspection, ItemStatus
from jiceng.core.audit import AuditEvent
from jiceng.org.demo import account
from jiceng.org.models import Region, Role, Unit, UnitKind
from jiceng.workload.models import Task
from tests.conftest import client_for

from .helpers import INDICATORS, approved, draft, inspect, person, unit

pytestmark = pytest.mark.django_db


def test_an_item_runs_only_once_approved_and_each_run_lands_in_the_inbox():
    item = draft()
    assert item.status == ItemStatus.DRAFT and item.indicators.count() == 2
    with pytest.raises(ValidationError, match="未经批准"):
        inspect(item, "柯岩街道办事处")
    assert not Inspection.objects.exists() and not Task.objects.filter(kind="assessment").exists()

    issuer, approver = person("assessor_kq"), person("kaohe_kq")
    actions.item_submit(item=item, person=issuer, by=issuer.user)
    with pytest.raises(PermissionError, match="审批"):  # the issuer cannot approve itself
        actions.item_approve(item=item, person=issuer, document="x", by=issuer.user)
    with pytest.raises(ValidationError, match="批准文号"):
        actions.item_approve(item=item, person=approver, document=" ", by=approver.user)
    actions.item_approve(
        item=item, person=approver, document="柯考核办〔2026〕9号", by=approver.user
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED and item.decided_by == approver
    assert item.indicators_intact() is True and len(item.indicators_sha256) == 64

    (done,) = inspect(item, "柯岩街道办事处")
    task = done.task
    assert task.kind == "assessment" and task.assignee_unit == unit("柯岩街道办事处")
    assert task.from_unit == unit("柯桥区委宣传部") and task.details["item"] == item.pk
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"assessment.item.create", "assessment.item.submit", "assessment.item.approve"} <= verbs
    assert "assessment.inspect" in verbs


def test_approved_indicators_are_frozen():
    item = approved()
    before = list(item.indicators.values_list("name", "points"))
    issuer = person("assessor_kq")
    with pytest.raises(ValidationError, match="指标已冻结"):
        actions.item_update(
            item=item,
            person=issuer,
            name=item.name,
            target=item.target,
            indicators=[*INDICATORS[:1], {"name": "新增指标", "points": 40}],
            by=issuer.user,
        )
    assert list(item.indicators.values_list("name", "points")) == before
    # changed behind the platform's back (e.g. in the database): it no longer runs
    Indicator.objects.filter(item=item, position=1).update(points=50)
    item.refresh_from_db()
    assert item.indicators_intact() is False
    with pytest.raises(ValidationError, match="与批准时不一致"):
        inspect(item, "柯岩街道办事处")
    page = client_for("assessor_kq").get(f"/assessment/{item.pk}/").content.decode()
    assert "与批准时不一致" in page


def test_a_township_or_station_may_not_organise_its_own_assessment():
    street = Region.objects.get(code="330603002")
    station = account(
        "police_assessor", "所考核", [Role.ASSESSOR], street, unit("柯岩街道派出所"), "x"
    )
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionError, match="不得自行组织"):
        actions.item_create(
            person=station,
            name="派出所自设考核",
            year=timezone.localdate().year,
            target="station",
            indicators=INDICATORS,
            by=station.user,
        )
    r = client_for("police_assessor").get("/assessment/new/")
    assert r.status_code == 403 and "不得自行组织" in r.content.decode()
    with pytest.raises(PermissionError):  # a leader of a township neither
        actions.item_create(
            person=person("leader_ky"),
            name="x",
            year=timezone.localdate().year,
            target="township",
            indicators=INDICATORS,
            by=None,
        )
    assert not AssessmentItem.objects.exists() and AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    ("indicators", "reason"),
    [
        ([{"name": "工作落实", "points": 90}], "合计须为100分，现为90分"),
        ([{"name": "工作落实", "points": "abc"}], "分值须为大于0"),
        ([], "请至少填写一项考核指标"),
        # 一表通: what the platform holds is read, not asked of the grassroots again
        ([{"name": "按时报送编制人数和公务用车台账", "points": 100}], "平台已有的数据"),
        # a power the county still holds at 柯岩街道: 有责无权
        ([{"name": "违法建设查处", "points": 100, "power_code": "BJ-CG-001"}], "有责无权"),
        ([{"name": "查处", "points": 100, "power_code": "NO-SUCH"}], "未知的权力事项编码"),
    ],
)
def test_bad_or_pushed_down_indicators_are_refused(indicators, reason):
    with pytest.raises(ValidationError) as exc:
        draft(indicators=indicators)
    assert any(reason in m for m in exc.value.messages), exc.value.messages
    assert not AssessmentItem.objects.exists()


def test_a_power_is_assessed_only_where_a_township_holds_it():
    # JC-CF-002 was devolved to 柯岩街道 (柯政发〔2020〕3号), not to 柯桥街道 next door
    item = approved(indicators=[{"name": "执法办案质量", "points": 100, "power_code": "JC-CF-002"}])
    assert len(inspect(item, "柯岩街道办事处")) == 1
    Unit.objects.create(
        name="柯桥街道办事处",
        kind=UnitKind.GOVERNMENT,
        region=Region.objects.get(name="柯桥街道", code__startswith="330603"),
    )
    with pytest.raises(ValidationError) as exc:
        inspect(item, "柯桥街道办事处")
    (message,) = exc.value.messages
    assert message.startswith("柯桥街道办事处不行使指标“执法办案质量”") and "有责无权" in message
    assert Inspection.objects.count() == 1


def test_one_vote_veto_needs_an_authorization_in_force():
    from jiceng.assessment.models import VetoAuthorization

    with pytest.raises(ValidationError, match="不得自行对乡镇"):
        draft(one_vote_veto=True)
    safety = VetoAuthorization.objects.get(matter="安全生产")
    item = draft(one_vote_veto=True, veto_authorization=safety)
    assert item.veto_authorization == safety
    safety.effective_to = timezone.localdate().replace(year=2021)
    safety.save()
    with pytest.raises(ValidationError, match="不在有效期内"):
        draft(name="另一项", one_vote_veto=True, veto_authorization=safety)
    # the page says it in Chinese and keeps nothing
    r = client_for("assessor_kq").post(
        "/assessment/new/",
        {
            "name": "安全生产一票否决",
            "year": timezone.localdate().year,
            "target": "township",
            "one_vote_veto": "on",
            "indicators": "安全生产责任落实｜100｜查阅台账",
        },
    )
    assert r.status_code == 400 and "不得自行对乡镇" in r.content.decode()
    assert AssessmentItem.objects.count() == 1


def test_the_yearly_cap_stops_one_more_inspection():
    item = approved()
    issuer = person("county_kq")
    actions.cap_set(
        region=Region.objects.get(code="330603"),
        year=timezone.localdate().year,
        target="township",
        limit=2,
        document="柯桥区督查检查考核计划",
        person=issuer,
        by=issuer.user,
    )
    inspect(item, "柯岩街道办事处")
    inspect(item, "柯岩街道办事处", kind="supervision")
    tasks = Task.objects.filter(kind="assessment").count()
    with pytest.raises(ValidationError) as exc:
        inspect(item, "柯岩街道办事处", kind="assessment")
    (message,) = exc.value.messages
    assert "已接受督查检查考核2次，达到年度上限2次（柯桥区督查检查考核计划）" in message
    assert (
        Inspection.objects.count() == 2 and Task.objects.filter(kind="assessment").count() == tasks
    )
    row = next(
        r
        for r in client_for("county_kq").get("/api/v1/assessment/caps").json()
        if r["unit"] == "柯岩街道办事处"
    )
    assert row["used"] == 2 and row["limit"] == 2 and row["left"] == 0


def test_an_inspection_must_fit_the_item():
    item = approved()
    with pytest.raises(ValidationError, match="不是本事项的考核对象"):
        inspect(item, "柯岩街道派出所")  # a station, the item assesses townships
    with pytest.raises(ValidationError, match="不在组织单位的管辖范围内"):
        inspect(item, "盘江镇人民政府")
    other_year = timezone.localdate().replace(year=timezone.localdate().year - 1)
    with pytest.raises(ValidationError, match="年度事项"):
        inspect(item, "柯岩街道办事处", day=other_year)
    with pytest.raises(PermissionError, match="组织单位的人员"):
        actions.inspections_record(
            item=item,
            person=person("county_kq"),
            units=[unit("柯岩街道办事处")],
            kind="check",
            on_date=timezone.localdate(),
            by=None,
        )
    assert not Inspection.objects.exists()


def test_only_the_organising_unit_splits_an_item_and_the_part_is_approved_again():
    item = approved()
    first, second = item.indicators.all()
    with pytest.raises(PermissionError, match="不得擅自分解"):
        actions.item_decompose(
            parent=item, person=person("county_kq"), name="分解", indicator_ids=[first.pk], by=None
        )
    other = draft(name="另一项")
    with pytest.raises(ValidationError, match="不得增加"):
        actions.item_decompose(
            parent=item,
            person=person("assessor_kq"),
            name="分解",
            indicator_ids=[first.pk, other.indicators.first().pk],
            by=None,
        )
    part = actions.item_decompose(
        parent=item,
        person=person("assessor_kq"),
        name="意识形态专项",
        indicator_ids=[first.pk],
        by=None,
    )
    assert part.status == ItemStatus.DRAFT and part.parent == item
    assert list(part.indicators.values_list("name", "points")) == [(first.name, first.points)]
    with pytest.raises(ValidationError, match="未经批准"):
        inspect(part, "柯岩街道办事处")
    actions.item_submit(item=part, person=person("assessor_kq"), by=None)
    actions.item_approve(
        item=part, person=person("kaohe_kq"), document="柯考核办〔2026〕10号", by=None
    )
    assert len(inspect(part, "柯岩街道办事处")) == 1
