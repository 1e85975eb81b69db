"""The default category tree: GB/T 47678.5 components and matters, plus disputes and emergencies.

Loaded from ../shared/data/categories/ (or JICENG_SHARED_DATA). Loading creates what is missing
and renames what changed in the standard; time limits and routing edited in the admin are kept.
"""

import csv
from dataclasses import dataclass, field

from django.conf import settings

CSV_NAME = "urban-mgmt-components-matters-gbt47678-5-2026.csv"
KIND_PREFIX = {"管理部件": ("C", "component"), "管理事项": ("M", "matter")}
# Major class → the sector that handles it by default.
MAJOR_SECTOR = {
    "01": "utility",
    "02": "transport",
    "03": "urban",
    "04": "urban",
    "05": "general",
    "06": "urban",
    "07": "urban",
    "08": "housing",
    "09": "urban",
    "10": "general",
}


@dataclass
class Seed:
    code: str
    name: str
    kind: str
    parent: str | None
    standard_ref: str = ""
    values: dict = field(default_factory=dict)


# Local defaults from the README (time limits are local settings, not law).
MATTER_OVERRIDES = {
    "06001": {  # 私搭乱建: stop work within 4 working hours; penalty by the power holder
        "default_sector": "enforcement",
        "power_codes": ["JC-CF-001", "JC-QZ-001"],
        "handle_limit": 4,
        "handle_unit": "hours",
        "needs_site_check": True,
        "priority": 2,
        "filing_conditions": "有在建或新建建筑物、构筑物，未取得规划许可",
        "closing_conditions": "已责令停止建设并取证；处罚或拆除进入执法程序",
    },
    "06010": {"power_codes": ["JC-CF-002"], "handle_limit": 4, "handle_unit": "hours"},
    "06011": {"power_codes": ["JC-CF-002"], "handle_limit": 4, "handle_unit": "hours"},
    "06032": {"power_codes": ["JC-CF-002"], "default_sector": "enforcement"},
    "06012": {"handle_limit": 2, "handle_unit": "hours"},
    "06027": {"power_codes": ["JC-CF-005"], "default_sector": "environment"},
    "07003": {"power_codes": ["JC-CF-004"]},
    "09006": {"power_codes": ["JC-CF-003"]},
    "09001": {"power_codes": ["JC-CF-006"], "default_sector": "market"},
}
DISPUTES = [
    ("D01", "邻里纠纷"),
    ("D02", "婚姻家庭纠纷"),
    ("D03", "劳资纠纷"),
    ("D04", "物业纠纷"),
    ("D05", "土地山林纠纷"),
    ("D06", "消费纠纷"),
]
DISPUTE_VALUES = {
    "default_sector": "general",
    "needs_mediation": True,
    "handle_limit": 5,
    "handle_unit": "days",
    "closing_conditions": "调解达成协议或依法引导至其他途径，并完成回访",
}
# (code, name, handling sector, sectors dispatched at once)
EMERGENCIES = [
    ("E01", "火灾", "emergency", ["police", "health"]),
    ("E02", "自然灾害", "emergency", ["natural_resources", "police"]),
    ("E03", "安全生产事故", "emergency", ["police", "health"]),
    ("E04", "突发公共卫生事件", "health", ["police", "emergency"]),
    ("E05", "群体性事件", "police", ["general"]),
]
# Citizen requests (市民诉求) by the department that answers them: the seven first-level classes
# of the message board in ../shared/data/messages, which the demo classifier is trained on.
# A classifier label matches a category by code or by name (routing.categories_for_labels).
REQUESTS = [
    ("P01", "城乡建设", "housing"),
    ("P02", "劳动和社会保障", "labour"),
    ("P03", "教育文体", "education"),
    ("P04", "卫生计生", "health"),
    ("P05", "商贸旅游", "commerce"),
    ("P06", "环境保护", "environment"),
    ("P07", "交通运输", "transport"),
]
REQUEST_VALUES = {
    "dispatch_limit": 2,
    "dispatch_unit": "hours",
    "handle_limit": 5,
    "handle_unit": "days",
    "closing_conditions": "承办单位答复诉求人，并完成回访",
}
EMERGENCY_VALUES = {
    "priority": 1,
    "dispatch_limit": 10,
    "dispatch_unit": "minutes",
    "handle_limit": 120,
    "handle_unit": "minutes",
    "verify_limit": 60,
    "verify_unit": "minutes",
    "report_in_limit": 10,
    "report_in_unit": "minutes",
}


def standard_seeds(path=None) -> list[Seed]:
    path = path or settings.SHARED_DATA / "categories" / CSV_NAME
    seeds = {
        "C": Seed("C", "管理部件", "group", None),
        "M": Seed("M", "管理事项", "group", None),
    }
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            prefix, kind = KIND_PREFIX[row["kind"]]
            major = f"{prefix}{row['major_code']}"
            seeds.setdefault(major, Seed(major, row["major_name"], "group", prefix))
            values = {
                "default_sector": MAJOR_SECTOR.get(row["major_code"], "general"),
                "owner_first": kind == "component",
            }
            if kind == "matter":
                values.update(MATTER_OVERRIDES.get(row["code"], {}))
            code = f"{prefix}{row['code']}"
            seeds[code] = Seed(code, row["name"], kind, major, row["standard_ref"], values)
    return list(seeds.values())


def extra_seeds() -> list[Seed]:
    seeds = [
        Seed("D", "矛盾纠纷", "group", None),
        Seed("E", "突发事件", "group", None, values={"priority": 1}),
        Seed("P", "市民诉求", "group", None),
    ]
    seeds += [Seed(c, n, "dispute", "D", values=DISPUTE_VALUES) for c, n in DISPUTES]
    for code, name, sector, assist in EMERGENCIES:
        values = {**EMERGENCY_VALUES, "default_sector": sector, "assist_sectors": assist}
        seeds.append(Seed(code, name, "emergency", "E", values=values))
    for code, name, sector in REQUESTS:
        values = {**REQUEST_VALUES, "default_sector": sector}
        seeds.append(Seed(code, name, "request", "P", values=values))
    return seeds


def load_categories(category_model=None, path=None) -> tuple[int, int]:
    """Create missing categories and refresh names; returns (created, renamed)."""
    if category_model is None:
        from .models import Category as category_model
    seeds = standard_seeds(path) + extra_seeds()
    existing = {c.code: c for c in category_model.objects.all()}
    created = renamed = 0
    for seed in seeds:  # parents come before children in both lists
        parent = existing.get(seed.parent) if seed.parent else None
        cat = existing.get(seed.code)
        if cat is None:
            cat = category_model.objects.create(
                code=seed.code,
                name=seed.name,
                kind=seed.kind,
                parent=parent,
                standard_ref=seed.standard_ref,
                **seed.values,
            )
            existing[seed.code] = cat
            created += 1
        elif (cat.name, cat.parent_id) != (seed.name, parent.pk if parent else None):
            cat.name, cat.parent = seed.name, parent
            cat.save(update_fields=["name", "parent"])
            renamed += 1
    link_powers(category_model)
    return created, renamed


def link_powers(category_model) -> int:
    """Relate each category to the power items its codes name, once those items exist."""
    if not any(f.name == "powers" for f in category_model._meta.get_fields()):
        return 0
    item_model = category_model._meta.get_field("powers").related_model
    items = dict(item_model.objects.values_list("code", "pk"))
    linked = 0
    for cat in category_model.objects.exclude(power_codes=[]):
        have = set(cat.powers.values_list("pk", flat=True))
        want = [items[c] for c in cat.power_codes if c in items and items[c] not in have]
        if want:
            cat.powers.add(*want)
            linked += len(want)
    return linked
