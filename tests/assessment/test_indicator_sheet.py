"""Indicators can come from the assessor's own Excel sheet instead of typed lines."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiceng.assessment.models import AssessmentItem
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _post(name: str, sheet: bytes, filename="指标.xlsx"):
    return client_for("assessor_kq").post(
        "/assessment/new/",
        {
            "name": name,
            "year": timezone.localdate().year,
            "target": "township",
            "indicators": "",
            "indicator_sheet": SimpleUploadedFile(filename, sheet),
        },
    )


def test_a_draft_takes_its_indicators_from_a_sheet():
    sheet = _xlsx(
        [
            ["序号", "考核指标", "分值", "评分标准"],
            [1, "意识形态工作责任制落实", 60, "查阅会议记录"],
            [2, "新时代文明实践站运行", 40, None],
        ]
    )
    r = _post("表格导入的考核事项", sheet)
    assert r.status_code == 302
    item = AssessmentItem.objects.get(name="表格导入的考核事项")
    got = [(i.name, int(i.points), i.method) for i in item.indicators.all()]
    assert got == [("意识形态工作责任制落实", 60, "查阅会议记录"), ("新时代文明实践站运行", 40, "")]


def test_a_sheet_without_the_columns_or_summing_wrong_keeps_nothing():
    no_points = _post("缺列", _xlsx([["指标", "说明"], ["安全生产", "x"]]))
    assert no_points.status_code == 400
    assert "指标表须有“指标”和“分值”两列" in no_points.content.decode()
    short = _post("合计不足", "指标,分值\n安全生产,90\n".encode("gb18030"), filename="指标.csv")
    assert short.status_code == 400 and "合计须为100分，现为90分" in short.content.decode()
    broken = _post("坏文件", b"PK\x03\x04 broken")
    assert broken.status_code == 400 and "无法读取文件" in broken.content.decode()
    assert not AssessmentItem.objects.filter(name__in=["缺列", "合计不足", "坏文件"]).exists()
