"""What a rule may look at: for each subject, its whitelisted fields and declared relations.

A field is a path the ORM follows (`business.industry` → `business__industry`), or a "latest"
field: the latest expiry date of the holder's certificates of one kind (to-many, compiled to
EXISTS subqueries so that one row per subject comes back, never a join that multiplies rows).
"""

from dataclasses import dataclass, field

from django.db.models import F, Model, Value
from django.db.models.functions import Coalesce, Concat, Substr
from django.utils.translation import gettext_lazy as _

from .models import Business, Certificate, CertificateKind, Employment, Industry, Resident

STR, CHOICE, DATE, BIRTH, TAGS, LATEST = "str", "choice", "date", "birth", "tags", "latest"

OPS_BY_TYPE = {
    STR: ["eq", "ne", "in", "contains", "is_null"],
    CHOICE: ["eq", "ne", "in", "is_null"],
    DATE: [
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "between",
        "is_null",
        "expires_within_days",
        "expired",
    ],
    BIRTH: ["eq", "lt", "le", "gt", "ge", "between", "age_ge", "is_null"],
    TAGS: ["contains", "is_null"],
    LATEST: ["eq", "lt", "le", "gt", "ge", "between", "is_null", "expires_within_days", "expired"],
}

OP_LABELS = {
    "eq": _("等于"),
    "ne": _("不等于"),
    "in": _("属于其中之一"),
    "lt": _("早于/小于"),
    "le": _("不晚于/不大于"),
    "gt": _("晚于/大于"),
    "ge": _("不早于/不小于"),
    "between": _("介于（含两端）"),
    "is_null": _("为空"),
    "contains": _("包含"),
    "age_ge": _("年满（周岁）"),
    "expires_within_days": _("已过期或N天内到期"),
    "expired": _("已过期"),
}


@dataclass(frozen=True)
class FieldSpec:
    label: str
    type: str
    path: str = ""  # ORM path; for LATEST, the path to the certificate holder
    choices: tuple = ()
    personal: bool = False  # masked in explanations
    kind: str = ""  # LATEST: certificate kind
    holder_fk: str = ""  # LATEST: holder_resident or holder_business


@dataclass(frozen=True)
class SubjectSpec:
    key: str
    label: str
    model: type[Model]
    fields: dict[str, FieldSpec]
    community: tuple[str, ...]  # ORM paths to the community region id (first non-null wins)
    grid: tuple[str, ...]  # the same for the grid
    name_paths: tuple[str, ...] = field(default=())  # what the task title shows (masked)

    def region_expression(self, which: str):
        paths = self.community if which == "community" else self.grid
        return Coalesce(*[F(p) for p in paths]) if len(paths) > 1 else F(paths[0])

    def label_expression(self):
        """A masked label per row, built in SQL: 张** · 某某餐馆."""
        parts = []
        for path in self.name_paths:
            if parts:
                parts.append(Value(" · "))
            if path.endswith("!mask"):
                parts += [Substr(path[:-5], 1, 1), Value("**")]
            else:
                parts.append(F(path))
        return Concat(*parts) if len(parts) > 1 else parts[0]


def _choices(choices) -> tuple:
    return tuple(c for c, _label in choices)


def _resident_fields(prefix: str = "", label: str = "") -> dict[str, FieldSpec]:
    p = prefix.replace(".", "__")
    return {
        f"{prefix}name": FieldSpec(f"{label}姓名", STR, f"{p}name", personal=True),
        f"{prefix}gender": FieldSpec(f"{label}性别", CHOICE, f"{p}gender", ("M", "F")),
        f"{prefix}birth_date": FieldSpec(
            f"{label}出生日期", BIRTH, f"{p}birth_date", personal=True
        ),
        f"{prefix}tags": FieldSpec(f"{label}标签", TAGS, f"{p}tags"),
        f"{prefix}address": FieldSpec(f"{label}地址", STR, f"{p}address", personal=True),
    }


def _health(holder: str) -> FieldSpec:
    return FieldSpec(
        "最新健康证有效期至",
        LATEST,
        holder,
        kind=CertificateKind.HEALTH,
        holder_fk="holder_resident",
    )


def _business_fields(prefix: str = "", label: str = "") -> dict[str, FieldSpec]:
    p = prefix.replace(".", "__")
    return {
        f"{prefix}name": FieldSpec(f"{label}名称", STR, f"{p}name"),
        f"{prefix}industry": FieldSpec(
            f"{label}行业", CHOICE, f"{p}industry", _choices(Industry.choices)
        ),
        f"{prefix}address": FieldSpec(f"{label}地址", STR, f"{p}address"),
    }


def _food_license(holder: str) -> FieldSpec:
    return FieldSpec(
        "最新食品经营许可证有效期至",
        LATEST,
        holder,
        kind=CertificateKind.FOOD_LICENSE,
        holder_fk="holder_business",
    )


SUBJECTS: dict[str, SubjectSpec] = {
    "resident": SubjectSpec(
        "resident",
        "居民",
        Resident,
        {**_resident_fields(), "health_cert_expires": _health("pk")},
        ("community_id",),
        ("grid_id",),
        ("name!mask",),
    ),
    "employee": SubjectSpec(
        "employee",
        "从业人员",
        Employment,
        {
            "role": FieldSpec("岗位", STR, "role"),
            "start_date": FieldSpec("入职日期", DATE, "start_date"),
            "end_date": FieldSpec("离职日期", DATE, "end_date"),
            **_resident_fields("resident.", "人员"),
            **_business_fields("business.", "单位"),
            "health_cert_expires": _health("resident_id"),
        },
        ("business__community_id",),
        ("business__grid_id",),
        ("resident__name!mask", "business__name"),
    ),
    "business": SubjectSpec(
        "business",
        "经营主体",
        Business,
        {**_business_fields(), "food_license_expires": _food_license("pk")},
        ("community_id",),
        ("grid_id",),
        ("name",),
    ),
    "certificate": SubjectSpec(
        "certificate",
        "证照",
        Certificate,
        {
            "kind": FieldSpec("证件类型", CHOICE, "kind", _choices(CertificateKind.choices)),
            "number": FieldSpec("证件编号", STR, "number"),
            "issued": FieldSpec("发证日期", DATE, "issued"),
            "expires": FieldSpec("有效期至", DATE, "expires"),
            **_resident_fields("holder_resident.", "持证人"),
            **_business_fields("holder_business.", "持证单位"),
        },
        ("holder_resident__community_id", "holder_business__community_id"),
        ("holder_resident__grid_id", "holder_business__grid_id"),
        ("kind", "number"),
    ),
}


def subject_spec(key: str) -> SubjectSpec:
    try:
        return SUBJECTS[key]
    except KeyError:
        raise ValueError(f"未知的筛查对象“{key}”，可选：{'、'.join(SUBJECTS)}") from None
