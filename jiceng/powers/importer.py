"""Import a power list (xlsx/csv): check every cell first, then write all of it or nothing.

Every problem names its row, column and reason in Chinese. Re-importing the same file changes
nothing; a changed row becomes a new version of the item. One audit event per import carries
the summary; each item's versions carry who, when and why.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit
from jiceng.org.models import Level, Region, Sector

from .access import can_edit_region, county_of, is_platform_admin
from .importer_apply import apply_plan
from .models import Delegation, DelegationMode, PowerItem
from .sheets import (
    CODE_SPLIT,
    COLUMNS,
    HEADERS,
    LEVEL_BY_LABEL,
    MODE_BY_LABEL,
    SECTOR_BY_LABEL,
    TYPE_BY_LABEL,
    Cell,
    SheetError,
    read_any,
    text,
)

COL_INDEX = {key: i + 1 for i, (_, key, _) in enumerate(COLUMNS)}
COL_NAME = {key: header for header, key, _ in COLUMNS}
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
POWER_FIELDS = [
    "name",
    "power_type",
    "legal_basis",
    "default_level",
    "default_sector",
    "department",
]
TARGET_LEVELS = (Level.TOWNSHIP, Level.COUNTY, Level.CITY)
ENFORCEMENT_TYPES = ("penalty", "coercion", "inspection")


@dataclass
class Problem:
    row: int
    column: str  # letter, e.g. "C"; "" for the whole file
    header: str
    reason: str

    def __str__(self) -> str:
        if not self.row:
            return self.reason
        col = f" {self.column}列（{self.header}）" if self.column else ""
        return f"第{self.row}行{col}：{self.reason}"


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    problems: list[Problem]
    counts: dict
    dry_run: bool
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return any(self.counts.values())

    def summary(self) -> str:
        if not self.ok:
            return f"导入被拒绝：发现{len(self.problems)}个问题，数据库未作任何修改"
        c = self.counts
        verb = "预检通过，将" if self.dry_run else "已导入："
        return (
            f"{verb}新增权力事项{c['new_powers']}项、更新{c['changed_powers']}项（新版本），"
            f"新增下放{c['new_delegations']}条、更新{c['changed_delegations']}条，"
            f"新增责任事项{c['new_responsibilities']}项、更新{c['changed_responsibilities']}项；"
            f"共{self.rows}行"
        )


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COL_INDEX[key])


def problem(row: int, key: str, reason: str) -> Problem:
    return Problem(row, _letter(key), COL_NAME[key], reason)


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_RE.match(text(value))
    if not match:
        raise ValueError
    return dt.date(*(int(g) for g in match.groups()))


# ---- step 1: the sheet itself ----------------------------------------------------------------


def check_sheet(raw) -> tuple[list[Row], list[Problem]]:
    problems: list[Problem] = []
    missing = [h for h in HEADERS if h not in raw.header]
    if missing:
        return [], [Problem(1, "", "表头", f"缺少列：{'、'.join(missing)}（请使用导出的模板）")]
    position = {h: i + 1 for i, h in enumerate(raw.header)}
    key_at = {position[header]: key for header, key, _ in COLUMNS}
    for ref in raw.merged:
        top = re.match(r"([A-Z]+)(\d+)", ref)
        problems.append(
            Problem(int(top.group(2)), top.group(1), ref, f"合并单元格 {ref}：请取消合并后逐格填写")
        )
    rows = []
    for cells in raw.rows:
        if not cells:
            continue
        row = Row(cells[0].row)
        for cell in cells:
            problems.extend(_read_cell(row, cell, key_at))
        if any(text(v) for v in row.values.values()):
            rows.append(row)
    return rows, problems


def _read_cell(row: Row, cell: Cell, key_at: dict) -> list[Problem]:
    key = key_at.get(cell.col)
    if key is None:
        return []
    if cell.formula:
        return [problem(cell.row, key, f"不接受公式（{text(cell.value)[:40]}），请粘贴为数值")]
    row.values[key] = cell.value
    return []


# ---- step 2: each row on its own -------------------------------------------------------------


def _choice(row: Row, key: str, table: dict, default=None):
    raw = text(row.values.get(key))
    if not raw:
        return default, None
    if raw in table:
        return table[raw], None
    if raw in table.values():
        return raw, None
    allowed = "、".join(k for k in table if len(k) > 1)[:120]
    return None, problem(row.number, key, f"无法识别“{raw}”，应为：{allowed}")


def check_row(row: Row) -> list[Problem]:
    out = []
    for header, key, required in COLUMNS:
        if required and not text(row.values.get(key)):
            out.append(problem(row.number, key, f"{header}不能为空"))
    v = row.values
    v["code"] = text(v.get("code"))
    v["name"] = text(v.get("name"))
    for key, table in (
        ("power_type", TYPE_BY_LABEL),
        ("default_level", LEVEL_BY_LABEL),
        ("sector", SECTOR_BY_LABEL),
        ("mode", MODE_BY_LABEL),
    ):
        if text(v.get(key)):
            v[key], err = _choice(row, key, table)
            out += [err] if err else []
    for key in ("effective_from", "effective_to"):
        if text(v.get(key)):
            try:
                v[key] = parse_date(v[key])
            except ValueError:
                out.append(
                    problem(row.number, key, f"日期格式错误“{text(v[key])}”，应为 YYYY-MM-DD")
                )
        else:
            v[key] = None
    for key in ("legal_basis", "department", "document", "responsibility", "accountability"):
        v[key] = text(v.get(key))
    row.targets = [c for c in CODE_SPLIT.split(text(v.get("targets"))) if c]
    return out + _check_delegation_cells(row)


def _check_delegation_cells(row: Row) -> list[Problem]:
    v, out = row.values, []
    start, end = v.get("effective_from"), v.get("effective_to")
    if isinstance(start, dt.date) and not row.targets:
        out.append(problem(row.number, "targets", "填写了生效日期，但承接区域代码为空"))
    if row.targets and isinstance(start, dt.date) and not v["document"]:
        out.append(problem(row.number, "document", "下放须填写文号"))
    if v["document"] and start is None and row.targets:
        out.append(problem(row.number, "effective_from", "填写了文号，但生效日期为空"))
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
        out.append(problem(row.number, "effective_to", "失效日期应晚于生效日期"))
    if row.targets and start is None and not v["responsibility"] and not v["document"]:
        out.append(problem(row.number, "effective_from", "填写了承接区域代码，但没有生效日期"))
    if v["responsibility"] and not row.targets:
        out.append(problem(row.number, "targets", "填写了责任事项，须填写承接（责任）区域代码"))
    return out


# ---- step 3: rows against each other and the database ----------------------------------------


def check_rows(rows: list[Row], by) -> tuple[dict, list[Problem]]:
    out: list[Problem] = []
    first: dict[str, int] = {}
    for row in rows:
        code = row.values["code"]
        if code in first:
            out.append(problem(row.number, "code", f"事项编码 {code} 与第{first[code]}行重复"))
        first.setdefault(code, row.number)
    codes = {c for r in rows for c in r.targets}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    powers = _existing_powers([r.values["code"] for r in rows])
    out += _check_regions_and_rights(rows, regions, powers, by)
    out += _check_responsibilities(rows)
    return {"regions": regions, "powers": powers}, out


def _existing_powers(codes: list[str]) -> dict[str, PowerItem]:
    found = {}
    for i in range(0, len(codes), 900):
        for p in PowerItem.objects.filter(code__in=codes[i : i + 900]).select_related("owner"):
            found[p.code] = p
    return found


def _check_regions_and_rights(rows, regions, powers, by) -> list[Problem]:
    out = []
    for row in rows:
        for code in row.targets:
            region = regions.get(code)
            if region is None:
                out.append(problem(row.number, "targets", f"未知的区域代码 {code}"))
            elif region.level not in TARGET_LEVELS:
                out.append(
                    problem(row.number, "targets", f"{code} {region.name}不是乡镇街道、县区或市")
                )
            elif not can_edit_region(by, region):
                out.append(problem(row.number, "targets", f"无权修改{region.name}的权责清单"))
        nested = [a for a in row.targets for b in row.targets if a != b and b.startswith(a)]
        if nested:
            out.append(problem(row.number, "targets", f"区域 {nested[0]} 与其下级区域重复填写"))
        item = powers.get(row.values["code"])
        if item is not None and _power_changes(item, row) and not can_edit_region(by, item.owner):
            out.append(problem(row.number, "code", f"无权修改事项 {item.code}（属于其他清单）"))
        if item is None and not (is_platform_admin(by) or county_of(by)):
            out.append(problem(row.number, "code", "无权新增权力事项"))
    return out


def _check_responsibilities(rows) -> list[Problem]:
    seen: dict[tuple, tuple[str, int]] = {}
    out = []
    for row in rows:
        name, acc = row.values["responsibility"], row.values["accountability"]
        if not name:
            continue
        for code in row.targets:
            prior = seen.setdefault((code, name), (acc, row.number))
            if prior[0] != acc:
                reason = f"责任事项“{name}”的追责情形与第{prior[1]}行不一致"
                out.append(problem(row.number, "accountability", reason))
    return out


def power_fields(row: Row) -> dict:
    v = row.values
    sector = v.get("sector") or (
        Sector.ENFORCEMENT if v["power_type"] in ENFORCEMENT_TYPES else Sector.GENERAL
    )
    return {
        "name": v["name"],
        "power_type": v["power_type"],
        "legal_basis": v["legal_basis"],
        "default_level": v["default_level"],
        "default_sector": sector,
        "department": v["department"],
    }


def _power_changes(item: PowerItem, row: Row) -> bool:
    wanted = power_fields(row)
    return any(getattr(item, k) != wanted[k] for k in POWER_FIELDS)


def check_delegations(rows, found) -> tuple[list[dict], list[dict], list[Problem]]:
    """New and changed delegations; overlaps with the database are refused, naming the other."""
    powers, regions = found["powers"], found["regions"]
    ids = [p.pk for p in powers.values()]
    existing: dict[int, list[Delegation]] = {}
    for i in range(0, len(ids), 900):
        chunk = Delegation.objects.filter(power_id__in=ids[i : i + 900]).select_related("target")
        for d in chunk:
            existing.setdefault(d.power_id, []).append(d)
    new, changed, out = [], [], []
    for row in rows:
        v = row.values
        if not isinstance(v.get("effective_from"), dt.date):
            continue
        item = powers.get(v["code"])
        for code in row.targets:
            target = regions.get(code)
            if target is None:
                continue
            spec = dict(
                row=row.number,
                code=v["code"],
                target=target,
                effective_from=v["effective_from"],
                effective_to=v["effective_to"],
                document=v["document"],
                mode=v.get("mode") or DelegationMode.DIRECT,
            )
            others = existing.get(item.pk, []) if item else []
            same = next(
                (
                    d
                    for d in others
                    if d.target_id == target.pk and d.effective_from == spec["effective_from"]
                ),
                None,
            )
            clash = _clash(others, spec, same)
            if clash is not None:
                out.append(problem(row.number, "targets", _clash_text(clash)))
            elif same is None:
                new.append(spec)
            elif (same.effective_to, same.document, same.mode) != (
                spec["effective_to"],
                spec["document"],
                spec["mode"],
            ):
                changed.append({**spec, "delegation": same})
    return new, changed, out


def _clash(others: list[Delegation], spec: dict, same: Delegation | None) -> Delegation | None:
    code, start, end = spec["target"].code, spec["effective_from"], spec["effective_to"]
    for d in others:
        if d is same:
            continue
        areas_meet = code.startswith(d.target.code) or d.target.code.startswith(code)
        dates_meet = (d.effective_to is None or d.effective_to > start) and (
            end is None or d.effective_from < end
        )
        if areas_meet and dates_meet:
            return d
    return None


def _clash_text(d: Delegation) -> str:
    until = d.effective_to.isoformat() if d.effective_to else "长期"
    return (
        f"与已有下放冲突：{d.document}（{d.target.name} {d.target.code}，"
        f"{d.effective_from.isoformat()}～{until}）"
    )


# ---- the whole run ---------------------------------------------------------------------------


def import_powers(data: bytes, filename: str, *, by, dry_run: bool = False) -> ImportResult:
    """Check the file; when nothing is wrong and not a dry run, write it all in one transaction."""
    empty = dict.fromkeys(
        [
            "new_powers",
            "changed_powers",
            "new_delegations",
            "changed_delegations",
            "new_responsibilities",
            "changed_responsibilities",
        ],
        0,
    )
    try:
        raw = read_any(data, filename)
    except SheetError as exc:
        return ImportResult([Problem(0, "", "", str(exc))], empty, dry_run)
    rows, problems = check_sheet(raw)
    for row in rows:
        problems += check_row(row)
    if not rows and not problems:
        problems.append(Problem(0, "", "", "文件中没有数据行"))
    if problems:
        return ImportResult(_sorted(problems), empty, dry_run, len(rows))
    found, problems = check_rows(rows, by)
    new, changed, clashes = check_delegations(rows, found)
    problems += clashes
    if problems:
        return ImportResult(_sorted(problems), empty, dry_run, len(rows))
    with transaction.atomic():
        counts, touched = apply_plan(rows, found, new, changed, by=by, filename=filename)
        if dry_run:
            transaction.set_rollback(True)  # a dry run does everything, then takes it back
        elif any(counts.values()):
            _audit(by, filename, data, counts, touched)
    return ImportResult([], counts, dry_run, len(rows))


def _audit(by, filename: str, data: bytes, counts: dict, touched: list[str]) -> None:
    audit(
        actor=by,
        verb="powers.import",
        object_type="powers.poweritem",
        object_id=hashlib.sha256(data).hexdigest()[:16],
        after={"file": filename, "at": timezone.now(), **counts, "codes": touched},
    )


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row, p.column))
