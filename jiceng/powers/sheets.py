"""Spreadsheet columns, reading (xlsx/csv, refusing formulas and merged cells) and writing."""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from jiceng.core.tables import workbook_bytes
from jiceng.org.models import Level, Sector

from .models import DelegationMode, PowerType

SHEET = "权责清单"
# (header, key, required)
COLUMNS = [
    ("事项编码", "code", True),
    ("事项名称", "name", True),
    ("事项类型", "power_type", True),
    ("实施依据", "legal_basis", False),
    ("原实施层级", "default_level", True),
    ("职能领域", "sector", False),
    ("原实施部门", "department", False),
    ("承接区域代码", "targets", False),
    ("下放方式", "mode", False),
    ("生效日期", "effective_from", False),
    ("失效日期", "effective_to", False),
    ("文号", "document", False),
    ("责任事项", "responsibility", False),
    ("追责情形", "accountability", False),
]
HEADERS = [c[0] for c in COLUMNS]
KEYS = [c[1] for c in COLUMNS]
TYPE_BY_LABEL = {label: value for value, label in PowerType.choices}
LEVEL_BY_LABEL = {str(label): value for value, label in Level.choices} | {
    "县": Level.COUNTY,
    "区": Level.COUNTY,
    "县级": Level.COUNTY,
    "市级": Level.CITY,
    "省级": Level.PROVINCE,
    "乡镇": Level.TOWNSHIP,
    "街道": Level.TOWNSHIP,
}
SECTOR_BY_LABEL = {str(label): value for value, label in Sector.choices}
MODE_BY_LABEL = {label: value for value, label in DelegationMode.choices}
CODE_SPLIT = re.compile(r"[\s,，、;；]+")


class SheetError(Exception):
    """A problem with the file as a whole (unreadable, wrong columns)."""


@dataclass
class Cell:
    row: int
    col: int
    value: object
    formula: bool = False

    @property
    def where(self) -> str:
        return f"第{self.row}行 {get_column_letter(self.col)}列"


@dataclass
class RawSheet:
    header: list[str]
    rows: list[list[Cell]]
    merged: list[str]  # ranges like "B2:C3"


def _merged_ranges(data: bytes, sheet_path: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(sheet_path.lstrip("/")).decode("utf-8", "replace")
    return re.findall(r'<mergeCell[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', xml)


def read_xlsx(data: bytes) -> RawSheet:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SheetError(
            f"无法读取该 Excel 文件（{type(exc).__name__}）：请另存为 .xlsx 后重试"
        ) from exc
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    merged = _merged_ranges(data, ws._worksheet_path)
    rows: list[list[Cell]] = []
    header: list[str] = []
    for r, values in enumerate(ws.iter_rows(), start=1):
        cells = [
            Cell(r, c, cell.value, cell.data_type == "f")
            for c, cell in enumerate(values, start=1)
            if cell.value is not None or r == 1
        ]
        if r == 1:
            header = [str(c.value or "").strip() for c in cells]
            continue
        rows.append(cells)
    wb.close()
    return RawSheet(header, rows, merged)


def read_csv(data: bytes) -> RawSheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise SheetError("CSV 文件编码无法识别：请使用 UTF-8 或 GBK") from exc
    lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        raise SheetError("文件是空的")
    header = [h.strip() for h in lines[0]]
    rows = [
        [Cell(r, c, v, v.startswith("=")) for c, v in enumerate(line, start=1) if v != ""]
        for r, line in enumerate(lines[1:], start=2)
    ]
    return RawSheet(header, rows, [])


def read_any(data: bytes, filename: str) -> RawSheet:
    if filename.lower().endswith(".csv"):
        return read_csv(data)
    if not data.startswith(b"PK"):
        raise SheetError("只接受 .xlsx 或 .csv 文件（旧版 .xls 请另存为 .xlsx）")
    return read_xlsx(data)


# ---- writing -------------------------------------------------------------------------------

EXAMPLE = [
    "JC-CF-001",
    "对未取得建设工程规划许可证进行建设的行政处罚",
    "行政处罚",
    "《中华人民共和国城乡规划法》第六十四条",
    "县区",
    "综合执法",
    "综合行政执法局",
    "530303102",
    "直接下放",
    "2019-05-01",
    "",
    "沾政发〔2019〕12号",
    "辖区违法建设的巡查、制止和查处",
    "发现违法建设未及时制止、查处，造成严重后果的",
]

NOTES = [
    ("事项编码", "必填；同一文件内不得重复；已有编码的行更新该事项（有变化时生成新版本）"),
    ("事项类型", "必填；" + "、".join(label for _, label in PowerType.choices)),
    ("原实施层级", "必填；" + "、".join(str(label) for _, label in Level.choices)),
    ("职能领域", "选填；" + "、".join(str(label) for _, label in Sector.choices)),
    ("承接区域代码", "乡镇街道代码；县区或市代码表示其全部乡镇街道；多个用顿号或空格分隔"),
    ("下放方式", "直接下放（默认）或 委托"),
    ("生效日期/失效日期", "YYYY-MM-DD；失效日期为不再适用的第一天，可空"),
    ("文号", "填写生效日期时必填"),
    ("责任事项/追责情形", "承接区域的责任事项；不填生效日期时只登记责任（可显示有责无权）"),
    ("注意", "不得使用公式、不得合并单元格；导入要么全部成功，要么一行也不写入"),
]


def export_bytes(rows: list[list]) -> bytes:
    """The list as an .xlsx in the import's own layout (so an export can be edited and imported)."""
    return workbook_bytes([(SHEET, [HEADERS, *rows]), ("说明", [list(n) for n in NOTES])])


def template_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    ws.append(EXAMPLE)
    for col, (_, _, required) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        if required:
            cell.fill = PatternFill("solid", fgColor="FDE68A")
        ws.column_dimensions[get_column_letter(col)].width = 18
    notes = wb.create_sheet("说明")
    for note in NOTES:
        notes.append(list(note))
    return wb


def xlsx_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()
