"""The caps table and its Excel are scoped like every list."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import client_for

from .helpers import approved, inspect

pytestmark = pytest.mark.django_db


def _sheet(who: str) -> list[tuple]:
    r = client_for(who).get("/assessment/caps.xlsx")
    assert r.status_code == 200
    return list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)


def test_caps_excel_counts_and_stays_in_scope():
    inspect(approved(), "柯岩街道办事处")
    rows = _sheet("county_kq")
    assert rows[0][:5] == ("单位", "所属区域", "考核对象", "已接受次数", "年度上限")
    street = next(r for r in rows if r[0] == "柯岩街道办事处")
    assert street[3:6] == (1, 12, 11)
    names = {r[0] for r in rows[1:]}
    assert "柯岩街道派出所" in names and not any(n.startswith("盘江镇") for n in names)
    assert not any("柯岩街道" in (r[0] or "") for r in _sheet("dispatcher_pj"))


def test_checks_sent_by_jiaoban_before_items_count_against_the_cap():
    """A 考核检查 sent as a plain 交办 (before checks had to run as approved items) was still a
    check the unit received: one per unit and batch, to the unit or to its staff."""
    from jiceng.assessment.models import InspectionCap
    from jiceng.org.models import Region, Unit
    from jiceng.workload.actions import task_open
    from jiceng.workload.models import TaskKind

    from .helpers import person

    street = Unit.objects.get(name="柯岩街道办事处")
    county = Unit.objects.get(name="柯桥区委宣传部")
    common = {"kind": TaskKind.ASSESSMENT, "region": street.region, "from_unit": county, "by": None}
    task_open(subject="旧检查一", assignee_unit=street, details={"batch": "a"}, **common)
    for who in ("dispatcher_ky", "leader_ky"):  # one check sent to two of its staff
        task_open(subject="旧检查二", assignee_person=person(who), details={"batch": "b"}, **common)
    street_row = next(r for r in _sheet("county_kq") if r[0] == "柯岩街道办事处")
    assert street_row[3] == 2
    # with the street's own cap at 3, one more check fits and the next is refused
    InspectionCap.objects.create(
        region=Region.objects.get(code=street.region.code),
        year=timezone.localdate().year,
        target="township",
        limit=3,
        document="街道上限",
    )
    item = approved()
    inspect(item, "柯岩街道办事处")
    with pytest.raises(ValidationError, match="已接受督查检查考核3次，达到年度上限3次"):
        inspect(item, "柯岩街道办事处")
