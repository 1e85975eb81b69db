"""Registry import from Excel or CSV: check every row first, then write all of it or none.

Natural keys make a re-import update the same records: a resident by the hash of the ID number,
a business by its credit code, an employment by (resident, business), a certificate by
(kind, number). Errors name the row, the column and the reason, in Chinese.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jiceng.org.models import Region

from .ids import IdError, credit_code_clean, id_parse
from .models import Business, Certificate, CertificateKind, Employment, Industry, Resident

BATCH = 2000
TAG_SPLIT = re.compile(r"[、,，;；\s]+")

COLUMNS = {
    "residents": {
        "姓名": True,
        "身份证号": True,
        "区划代码": True,
        "地址": False,
        "电话": False,
        "标签": False,
    },
    "businesses": {
        "名称": True,
        "统一社会信用代码": True,
        "行业": True,
        "区划代码": True,
        "地址": False,
    },
    "employments": {
        "身份证号": True,
        "统一社会信用代码": True,
        "岗位": False,
        "入职日期": False,
        "离职日期": False,
    },
    "certificates": {
        "证件类型": True,
        "证件编号": True,
        "持证人身份证号": False,
        "持证单位信用代码": False,
        "发证日期": False,
        "有效期至": False,
    },
}


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RowError(ValueError):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _text(row: dict, col: str, required: bool = False) -> str:
    value = row.get(col)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise RowError(col, "不能为空")
    return value


def _date(row: dict, col: str) -> dt.date | None:
    value = row.get(col)
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(col, f"“{text}”不是日期（例：2024-05-01）")


class Importer:
    """Check rows into clean values (first pass), then upsert them in batches (second pass)."""

    def __init__(self, kind: str, scope_code: str):
        self.kind = kind
        self.scope = scope_code
        self.regions: dict[str, Region] = {}
        self.seen: dict[object, int] = {}
        self.residents: dict[str, int] = {}
        self.businesses: dict[str, int] = {}

    def prepare(self, rows: list[dict]) -> None:
        """Load what rows refer to, in one query per table."""
        codes = {_text(r, "区划代码") for r in rows} - {""}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        hashes, credits = set(), set()
        for r in rows:
            for col in ("身份证号", "持证人身份证号"):
                try:
                    hashes.add(id_parse(_text(r, col)).hash)
                except IdError:
                    pass
            for col in ("统一社会信用代码", "持证单位信用代码"):
                credits.add(_text(r, col).upper())
        if self.kind in ("employments", "certificates"):
            self.residents = dict(
                Resident.objects.filter(id_hash__in=hashes).values_list("id_hash", "pk")
            )
            self.businesses = dict(
                Business.objects.filter(credit_code__in=credits).values_list("credit_code", "pk")
            )

    def _region(self, row: dict) -> tuple[Region, Region | None]:
        code = _text(row, "区划代码", True)
        region = self.regions.get(code)
        if region is None or region.level not in ("community", "grid"):
            raise RowError("区划代码", f"“{code}”不是已登记的社区（12位）或网格（15位）代码")
        if not code.startswith(self.scope):
            raise RowError("区划代码", f"“{code}”不在您的管辖范围内")
        if region.level == "grid":
            return region.parent, region
        return region, None

    def _id(self, row: dict, col: str):
        try:
            return id_parse(_text(row, col, True))
        except IdError as exc:
            raise RowError(col, str(exc)) from None

    def _credit(self, row: dict, col: str, required: bool = True) -> str:
        raw = _text(row, col, required)
        if not raw:
            return ""
        try:
            return credit_code_clean(raw)
        except IdError as exc:
            raise RowError(col, str(exc)) from None

    def clean(self, row: dict) -> tuple[object, dict]:
        """(natural key, field values) of one row, or RowError."""
        return getattr(self, f"_clean_{self.kind}")(row)

    def _clean_residents(self, row):
        pid = self._id(row, "身份证号")
        community, grid = self._region(row)
        phone = _text(row, "电话")
        if phone and not re.fullmatch(r"[0-9\-+ ]{5,20}", phone):
            raise RowError("电话", f"“{phone}”不是电话号码")
        tags = [t for t in TAG_SPLIT.split(_text(row, "标签")) if t]
        return pid.hash, {
            "name": _text(row, "姓名", True)[:50],
            "id_hash": pid.hash,
            "id_masked": pid.masked,
            "birth_date": pid.birth_date,
            "gender": pid.gender,
            "community": community,
            "grid": grid,
            "address": _text(row, "地址")[:200],
            "phone": phone,
            "tags": "," + ",".join(tags) + "," if tags else "",
        }

    def _clean_businesses(self, row):
        code = self._credit(row, "统一社会信用代码")
        industry = _text(row, "行业", True)
        if industry not in Industry.values:
            raise RowError("行业", f"“{industry}”不是可选行业：{'、'.join(Industry.values)}")
        community, grid = self._region(row)
        return code, {
            "name": _text(row, "名称", True)[:100],
            "credit_code": code,
            "industry": industry,
            "community": community,
            "grid": grid,
            "address": _text(row, "地址")[:200],
        }

    def _resident_pk(self, row, col: str) -> int:
        pid = self._id(row, col)
        if pid.hash not in self.residents:
            raise RowError(col, f"身份证号 {pid.masked} 的居民尚未登记，请先导入居民")
        return self.residents[pid.hash]

    def _business_pk(self, row, col: str) -> int:
        code = self._credit(row, col)
        if code not in self.businesses:
            raise RowError(col, f"信用代码 {code} 的经营主体尚未登记，请先导入经营主体")
        return self.businesses[code]

    def _clean_employments(self, row):
        resident = self._resident_pk(row, "身份证号")
        business = self._business_pk(row, "统一社会信用代码")
        start, end = _date(row, "入职日期"), _date(row, "离职日期")
        if start and end and end < start:
            raise RowError("离职日期", "离职日期早于入职日期")
        return (resident, business), {
            "resident_id": resident,
            "business_id": business,
            "role": _text(row, "岗位")[:50],
            "start_date": start,
            "end_date": end,
        }

    def _clean_certificates(self, row):
        kind = _text(row, "证件类型", True)
        if kind not in CertificateKind.values:
            raise RowError("证件类型", f"“{kind}”不是可选类型：{'、'.join(CertificateKind.values)}")
        number = _text(row, "证件编号", True)[:50]
        issued, expires = _date(row, "发证日期"), _date(row, "有效期至")
        if issued and expires and expires < issued:
            raise RowError("有效期至", "有效期至早于发证日期")
        holder = {"holder_resident_id": None, "holder_business_id": None}
        if _text(row, "持证人身份证号"):
            holder["holder_resident_id"] = self._resident_pk(row, "持证人身份证号")
        elif _text(row, "持证单位信用代码"):
            holder["holder_business_id"] = self._business_pk(row, "持证单位信用代码")
        else:
            raise RowError("持证人身份证号", "持证人身份证号和持证单位信用代码至少填一项")
        return (kind, number), {
            "kind": kind,
            "number": number,
            "issued": issued,
            "expires": expires,
            **holder,
        }


MODELS = {
    "residents": (Resident, ("id_hash",)),
    "businesses": (Business, ("credit_code",)),
    "employments": (Employment, ("resident_id", "business_id")),
    "certificates": (Certificate, ("number", "kind")),
}


def check_rows(kind: str, rows: list[dict], scope_code: str) -> tuple[list[dict], list[dict]]:
    """Clean values for every row, or the list of errors (row numbers as in the spreadsheet)."""
    missing = [c for c, required in COLUMNS[kind].items() if required and rows and c not in rows[0]]
    if missing:
        return [], [{"row": 1, "column": c, "reason": "缺少此列"} for c in missing]
    importer = Importer(kind, scope_code)
    importer.prepare(rows)
    clean, errors, seen = [], [], {}
    for n, row in enumerate(rows, start=2):
        try:
            key, values = importer.clean(row)
        except RowError as exc:
            errors.append({"row": n, "column": exc.column, "reason": exc.reason})
            continue
        if key in seen:
            errors.append({"row": n, "column": "", "reason": f"与第{seen[key]}行是同一条记录"})
            continue
        seen[key] = n
        clean.append(values)
    return clean, errors


def _key(values: dict, names: tuple) -> tuple:
    return tuple(values[n] for n in names)


def upsert(kind: str, clean: list[dict], progress: Callable[[int], None] | None = None):
    """Create or update every cleaned row in batches; returns (created, updated)."""
    model, names = MODELS[kind]
    created = updated = 0
    now = timezone.now()
    for start in range(0, len(clean), BATCH):
        batch = clean[start : start + BATCH]
        existing = _existing(model, names, batch)
        new, old = [], []
        for values in batch:
            pk = existing.get(_key(values, names))
            obj = model(pk=pk, updated_at=now, **values)
            (old if pk else new).append(obj)
        model.objects.bulk_create(new, batch_size=BATCH)
        fields = [f for f in batch[0] if f not in names] + ["updated_at"]
        if old:
            model.objects.bulk_update(old, fields, batch_size=BATCH)
        created, updated = created + len(new), updated + len(old)
        if progress:
            progress(start + len(batch))
    return created, updated


def _existing(model, names: tuple, batch: Iterable[dict]) -> dict:
    if len(names) == 1:
        keys = [v[names[0]] for v in batch]
        rows = model.objects.filter(**{f"{names[0]}__in": keys}).values_list(names[0], "pk")
        return {(k,): pk for k, pk in rows}
    first = {v[names[0]] for v in batch}
    rows = model.objects.filter(**{f"{names[0]}__in": first}).values_list(*names, "pk")
    return {tuple(r[:-1]): r[-1] for r in rows}


def import_rows(
    kind: str,
    rows: list[dict],
    *,
    scope_code: str,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """All or nothing: any error writes nothing; a dry run only checks."""
    result = ImportResult(total=len(rows))
    clean, result.errors = check_rows(kind, rows, scope_code)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        result.created, result.updated = upsert(kind, clean, progress)
    return result
