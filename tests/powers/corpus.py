"""Generator of the spreadsheet corpus: valid lists and one file per kind of problem.

Files are built from code into a temporary directory; no binary spreadsheet is committed.
Each broken case says which row and column the refusal must name.
"""

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from jiceng.powers.sheets import HEADERS, SHEET

TARGET = "530303101"  # 白水镇, 沾益区: no demo delegation there


def row(i: int, prefix: str = "TST", target: str = TARGET, **over) -> list:
    values = {
        "事项编码": f"{prefix}-{i:05d}",
        "事项名称": f"对测试违法行为第{i}项的行政处罚",
        "事项类型": "行政处罚",
        "实施依据": "《测试条例》第十条",
        "原实施层级": "县区",
        "职能领域": "综合执法",
        "原实施部门": "综合行政执法局",
        "承接区域代码": target,
        "下放方式": "直接下放",
        "生效日期": "2021-01-01",
        "失效日期": "",
        "文号": "沾政发〔2021〕7号（测试）",
        "责任事项": "测试责任事项" if i % 100 == 0 else "",
        "追责情形": "测试追责情形" if i % 100 == 0 else "",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


def valid_rows(n: int, prefix: str = "TST", target: str = TARGET) -> list[list]:
    return [row(i, prefix, target) for i in range(1, n + 1)]


def write(path: Path, rows: list[list], formula: tuple | None = None, merge: str = "") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    if formula:
        ws.cell(row=formula[0], column=formula[1]).value = formula[2]
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


@dataclass
class Case:
    name: str
    rows: list[list]
    where: str  # "第4行 C列" the message must contain
    reason: str  # part of the reason
    formula: tuple | None = None
    merge: str = ""

    def build(self, folder: Path) -> Path:
        return write(folder / f"{self.name}.xlsx", self.rows, self.formula, self.merge)


def _with(n_bad: int, **over) -> list[list]:
    """Five valid rows, with row n_bad (1-based data row; sheet row n_bad + 1) changed."""
    rows = valid_rows(5, prefix="BAD")
    rows[n_bad - 1] = row(n_bad, "BAD", **over)
    return rows


def broken_cases(existing_row: list) -> list[Case]:
    """One file per problem; existing_row is an exported row of JC-CF-001 (delegated to 盘江镇)."""
    clash = list(existing_row)
    clash[HEADERS.index("承接区域代码")] = "530303"
    clash[HEADERS.index("生效日期")] = "2022-01-01"
    clash[HEADERS.index("失效日期")] = ""
    clash[HEADERS.index("文号")] = "沾政发〔2022〕1号（测试）"
    dup = valid_rows(5, prefix="BAD")
    dup[3] = row(2, "BAD")
    return [
        Case("unknown_type", _with(3, 事项类型="行政批评"), "第4行 C列", "无法识别“行政批评”"),
        Case("bad_date", _with(2, 生效日期="2021-13-45"), "第3行 J列", "日期格式错误"),
        Case("unknown_region", _with(5, 承接区域代码="530303999"), "第6行 H列", "未知的区域代码"),
        Case("duplicate_code", dup, "第5行 A列", "与第3行重复"),
        Case(
            "conflicting_delegation",
            [*valid_rows(2, "BAD"), clash],
            "第4行 H列",
            "沾政发〔2019〕12号",
        ),
        Case("empty_required", _with(4, 事项名称=""), "第5行 B列", "事项名称不能为空"),
        Case(
            "formula",
            valid_rows(5, "BAD"),
            "第3行 B列",
            "不接受公式",
            formula=(3, 2, '="对"&"违法"'),
        ),
        Case("merged", valid_rows(5, "BAD"), "第2行 L列", "合并单元格", merge="L2:L4"),
        Case(
            "end_before_start",
            _with(1, 失效日期="2020-01-01"),
            "第2行 K列",
            "失效日期应晚于生效日期",
        ),
        Case("missing_document", _with(2, 文号=""), "第3行 L列", "下放须填写文号"),
    ]
