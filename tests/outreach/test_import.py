"""Registry import: checksums, regions, dates checked; all or nothing; re-import updates."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from jiceng.core.models import AuditEvent
from jiceng.outreach.ids import id_parse, make_credit_code, make_id
from jiceng.outreach.models import Business, Certificate, Employment, ImportJob, Resident

G1 = "330102003057001"
ID1 = make_id("330102", dt.date(1950, 2, 3), 11)
ID2 = make_id("330102", dt.date(1988, 7, 9), 22)
CREDIT = make_credit_code("330102", 777)


def csv_bytes(rows):
    return "\n".join(",".join(r) for r in rows).encode("utf-8-sig")


def write(tmp_path, name, rows):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        wb = Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    else:
        path.write_bytes(csv_bytes(rows))
    return str(path)


RES = [
    ["姓名", "身份证号", "区划代码", "地址", "电话", "标签"],
    ["导入甲", ID1, G1, "东坡路9号", "13900000001", "独居老人、低保"],
    ["导入乙", ID2, "330102003057", "", "", ""],
]


def test_residents_import_then_reimport_updates(db, tmp_path):
    path = write(tmp_path, "r.xlsx", RES)
    call_command("import_registry", "residents", path)
    a = Resident.objects.get(id_hash=id_parse(ID1).hash)
    assert (a.name, a.birth_date, a.gender, a.grid.code) == ("导入甲", dt.date(1950, 2, 3), "M", G1)
    assert a.id_masked == ID1[:6] + "********" + ID1[-4:]
    assert a.tag_list == ["独居老人", "低保"]
    assert not Resident.objects.filter(id_masked=ID1).exists()  # never the raw number
    changed = [RES[0], ["导入甲", ID1, G1, "新地址", "", "高龄补贴"], RES[2]]
    call_command("import_registry", "residents", write(tmp_path, "r2.csv", changed))
    a.refresh_from_db()
    assert (a.address, a.tags) == ("新地址", ",高龄补贴,")
    assert Resident.objects.filter(name__startswith="导入").count() == 2
    assert AuditEvent.objects.filter(verb="outreach.import").count() == 2


def test_errors_name_row_column_reason_and_nothing_is_written(db, tmp_path):
    bad_id = ID2[:-1] + ("0" if ID2[-1] != "0" else "1")
    rows = [
        RES[0],
        RES[1],
        ["坏号", bad_id, G1, "", "", ""],
        ["坏区", ID2, "999999999999", "", "", ""],
        ["重复", ID1, G1, "", "", ""],
    ]
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_registry", "residents", write(tmp_path, "bad.csv", rows))
    assert not Resident.objects.filter(name__in=["导入甲", "坏号"]).exists()
    from jiceng.outreach.actions import registry_import

    result = registry_import(
        kind="residents", filename="bad.csv", data=csv_bytes(rows), scope_code="", by=None
    )
    assert result.errors == [
        {"row": 3, "column": "身份证号", "reason": "身份证号校验位不符（GB 11643）"},
        {
            "row": 4,
            "column": "区划代码",
            "reason": "“999999999999”不是已登记的社区（12位）或网格（15位）代码",
        },
        {"row": 5, "column": "", "reason": "与第2行是同一条记录"},
    ]


def test_scope_and_missing_columns(db):
    from jiceng.outreach.actions import registry_import

    out = registry_import(
        kind="residents", filename="x.csv", data=csv_bytes(RES), scope_code="330603002", by=None
    )
    assert out.errors[0]["reason"].endswith("不在您的管辖范围内")
    out = registry_import(
        kind="residents",
        filename="x.csv",
        data=csv_bytes([["姓名"], ["甲"]]),
        scope_code="",
        by=None,
    )
    assert {e["column"] for e in out.errors} == {"身份证号", "区划代码"}


def test_dry_run_writes_nothing(db, tmp_path):
    call_command("import_registry", "residents", write(tmp_path, "r.csv", RES), "--dry-run")
    assert not Resident.objects.filter(name="导入甲").exists()


def test_businesses_employments_certificates_chain(db, tmp_path):
    call_command("import_registry", "residents", write(tmp_path, "r.csv", RES))
    biz = [["名称", "统一社会信用代码", "行业", "区划代码"], ["导入餐馆", CREDIT, "餐饮", G1]]
    call_command("import_registry", "businesses", write(tmp_path, "b.csv", biz))
    emp = [["身份证号", "统一社会信用代码", "岗位", "入职日期"], [ID2, CREDIT, "厨师", "2023/5/1"]]
    call_command("import_registry", "employments", write(tmp_path, "e.csv", emp))
    certs = [
        ["证件类型", "证件编号", "持证人身份证号", "持证单位信用代码", "有效期至"],
        ["健康证", "JK-1", ID2, "", "2025-01-01"],
        ["食品经营许可证", "JY-1", "", CREDIT, "20260101"],
    ]
    call_command("import_registry", "certificates", write(tmp_path, "c.csv", certs))
    certs[1][4] = "2026-01-01"
    call_command("import_registry", "certificates", write(tmp_path, "c2.csv", certs))
    e = Employment.objects.get(business__credit_code=CREDIT)
    assert (e.role, e.start_date) == ("厨师", dt.date(2023, 5, 1))
    assert Certificate.objects.get(number="JK-1").expires == dt.date(2026, 1, 1)
    assert Certificate.objects.filter(number__in=["JK-1", "JY-1"]).count() == 2


@pytest.mark.parametrize(
    "kind, rows, reason",
    [
        (
            "businesses",
            [
                ["名称", "统一社会信用代码", "行业", "区划代码"],
                ["x", CREDIT[:-1] + "0", "餐饮", G1],
            ],
            "校验位",
        ),
        (
            "businesses",
            [["名称", "统一社会信用代码", "行业", "区划代码"], ["x", CREDIT, "钓鱼", G1]],
            "不是可选行业",
        ),
        ("employments", [["身份证号", "统一社会信用代码"], [ID1, CREDIT]], "尚未登记"),
        (
            "certificates",
            [["证件类型", "证件编号", "有效期至"], ["健康证", "1", "明年"]],
            "不是日期",
        ),
    ],
)
def test_bad_values(db, kind, rows, reason):
    from jiceng.outreach.actions import registry_import

    if CREDIT[-1] == "0" and reason == "校验位":
        rows[1][1] = CREDIT[:-1] + "1"
    out = registry_import(kind=kind, filename="x.csv", data=csv_bytes(rows), scope_code="", by=None)
    assert any(reason in e["reason"] for e in out.errors), out.errors
    assert not Business.objects.filter(name="x").exists()


def test_upload_page_imports_and_shows_progress(persona):
    client = persona("social_worker")
    data = io.BytesIO(csv_bytes(RES))
    data.name = "居民.csv"
    resp = client.post("/outreach/imports/", {"kind": "residents", "file": data}, follow=True)
    job = ImportJob.objects.latest("id")
    assert job.state == "done" and (job.total, job.created) == (2, 2)
    assert 'id="bar"' in resp.content.decode() and 'value="100"' in resp.content.decode()
    partial = client.get(f"/outreach/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "共 2 行，新增 2" in partial and "<html" not in partial


def test_upload_errors_are_listed(persona):
    client = persona("social_worker")
    data = io.BytesIO(csv_bytes([RES[0], ["甲", "123", G1, "", "", ""]]))
    data.name = "bad.csv"
    resp = client.post("/outreach/imports/", {"kind": "residents", "file": data}, follow=True)
    body = resp.content.decode()
    assert "未导入（有错误）" in body and "身份证号应为18位" in body
