"""Import: the broken-spreadsheet corpus is refused with row + column and leaves nothing behind;
a valid 10,000-row file imports; re-importing changes nothing; a changed row is a new version."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from jiceng.core.models import AuditEvent
from jiceng.org.models import Level
from jiceng.powers.exports import held_rows
from jiceng.powers.importer import import_powers
from jiceng.powers.models import (
    Delegation,
    ItemVersion,
    PowerItem,
    ResponsibilityItem,
)
from jiceng.powers.selectors import holder

from . import corpus


def db_state() -> tuple:
    return tuple(
        m.objects.count()
        for m in (PowerItem, Delegation, ResponsibilityItem, ItemVersion, AuditEvent)
    ) + (sum(PowerItem.objects.values_list("version", flat=True)),)


def existing_row(region) -> list:
    rows = held_rows(region("530303102"), dt.date(2020, 1, 1), keyword="JC-CF-001")
    assert len(rows) == 1
    return rows[0]


@pytest.fixture
def cases(region):
    return {c.name: c for c in corpus.broken_cases(existing_row(region))}


@pytest.mark.parametrize(
    "name",
    [
        "unknown_type",
        "bad_date",
        "unknown_region",
        "duplicate_code",
        "conflicting_delegation",
        "empty_required",
        "formula",
        "merged",
        "end_before_start",
        "missing_document",
    ],
)
def test_broken_file_refused_and_db_unchanged(cases, name, tmp_path, person):
    case = cases[name]
    path = case.build(tmp_path)
    before = db_state()
    result = import_powers(path.read_bytes(), path.name, by=person("county_b").user)
    assert not result.ok
    texts = [str(p) for p in result.problems]
    assert any(case.where in t and case.reason in t for t in texts), texts
    assert db_state() == before


def test_cli_exit_codes(cases, tmp_path):
    bad = cases["bad_date"].build(tmp_path)
    with pytest.raises(SystemExit) as exc:
        call_command("import_powers", str(bad))
    assert exc.value.code == 1
    good = corpus.write(tmp_path / "good.xlsx", corpus.valid_rows(3, "CLI"))
    out = io.StringIO()
    call_command("import_powers", str(good), "--dry-run", stdout=out)
    assert "预检通过" in out.getvalue() and not PowerItem.objects.filter(code="CLI-00001")
    call_command("import_powers", str(good), stdout=out)  # returns normally: exit 0
    assert PowerItem.objects.filter(code__startswith="CLI-").count() == 3


def test_ten_thousand_rows_then_reimport_then_change(tmp_path, person, region):
    by = person("county_b").user
    path = corpus.write(tmp_path / "big.xlsx", corpus.valid_rows(10_000))
    result = import_powers(path.read_bytes(), path.name, by=by)
    assert result.ok, [str(p) for p in result.problems[:5]]
    assert result.counts["new_powers"] == 10_000
    assert result.counts["new_delegations"] == 10_000
    assert result.counts["new_responsibilities"] == 1
    item = PowerItem.objects.get(code="TST-00042")
    assert item.owner.code == "530303"
    assert holder(item, region("530303101"), dt.date(2021, 1, 1)).level == Level.TOWNSHIP

    before = db_state()
    again = import_powers(path.read_bytes(), path.name, by=by)
    assert again.ok and not again.changed
    assert db_state() == before

    rows = corpus.valid_rows(10_000)
    rows[41] = corpus.row(42, 实施依据="《测试条例》第十一条（修订）")
    changed = corpus.write(tmp_path / "changed.xlsx", rows)
    result = import_powers(changed.read_bytes(), changed.name, by=by)
    assert result.counts["changed_powers"] == 1 and result.counts["new_powers"] == 0
    item.refresh_from_db()
    assert item.version == 2
    versions = ItemVersion.objects.filter(kind="power", item_id=item.pk).order_by("version")
    assert [v.data["legal_basis"] for v in versions] == [
        "《测试条例》第十条",
        "《测试条例》第十一条（修订）",
    ]
    assert versions[1].changed_by == by and "第43行" in versions[1].reason
    assert AuditEvent.objects.filter(verb="powers.import").count() == 2


def test_other_county_admin_refused(tmp_path, person):
    path = corpus.write(tmp_path / "x.xlsx", corpus.valid_rows(2, "KQ"))
    result = import_powers(path.read_bytes(), path.name, by=person("county").user)  # 柯桥区
    assert not result.ok
    assert "第2行 H列（承接区域代码）：无权修改白水镇的权责清单" in [
        str(p) for p in result.problems
    ]


def test_csv_round_trip(tmp_path, person, region):
    out = tmp_path / "pj.csv"
    call_command(
        "export_powers",
        "--region",
        "530303102",
        "--on",
        "2020-01-01",
        "--format",
        "csv",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    before = db_state()
    result = import_powers(out.read_bytes(), out.name, by=person("county_b").user)
    assert result.ok, [str(p) for p in result.problems[:3]]
    assert not result.changed and db_state() == before


def test_template_has_the_columns(tmp_path):
    out = tmp_path / "template.xlsx"
    call_command("export_powers", "--template", "-o", str(out), stdout=io.StringIO())
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    for col in (
        "事项编码",
        "事项名称",
        "事项类型",
        "实施依据",
        "原实施层级",
        "承接区域代码",
        "下放方式",
        "生效日期",
        "失效日期",
        "文号",
        "责任事项",
        "追责情形",
    ):
        assert col in header
