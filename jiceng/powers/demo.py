"""Demo power lists (all marked demo): a township enforcement catalogue, 盘江镇's 2019
delegation, 柯岩街道's dumping power, Beijing's 431 powers to every street of 东城区, and
responsibility items that show 有责无权.

Bulk writes keep it fast; it is idempotent (existing rows by natural key are left alone).
"""

import csv
import datetime as dt

from django.conf import settings

from jiceng.core.audit import audit
from jiceng.org.models import Level, Region, Sector, Unit

from .actions import power_data, responsibility_data
from .demo_catalogue import BEIJING, FIXED, INSPECTED, OTHERS, SUBJECTS
from .index import powers_changed
from .models import (
    Delegation,
    DelegationMode,
    ItemVersion,
    PowerItem,
    ResponsibilityItem,
    VersionKind,
)

PANJIANG, KEYAN, DONGCHENG = "530303102", "330603002", "110101"
PANJIANG_DOC = "沾政发〔2019〕12号（演示文号）"
KEYAN_DOC = "柯政发〔2020〕3号（演示文号）"
BEIJING_DOC = "京政发〔2020〕9号"
DEMO_REASON = "演示数据初始版本"


def catalogue() -> list[dict]:
    rows = [
        dict(code=c, name=n, power_type=t, default_sector=s, legal_basis=law)
        for c, n, t, s, law in FIXED
    ]
    for k, (subject, sector, law) in enumerate(SUBJECTS, start=7):
        rows.append(
            dict(
                code=f"JC-CF-{k:03d}",
                name=f"对{subject}的行政处罚",
                power_type="penalty",
                default_sector=sector,
                legal_basis=law,
            )
        )
    for k, (subject, sector, law) in enumerate(SUBJECTS[:INSPECTED], start=1):
        rows.append(
            dict(
                code=f"JC-JC-{k:03d}",
                name=f"对{subject}行为的行政检查",
                power_type="inspection",
                default_sector=sector,
                legal_basis=law,
            )
        )
    for code, name, kind, sector in OTHERS:
        rows.append(
            dict(code=code, name=name, power_type=kind, default_sector=sector, legal_basis="")
        )
    return rows


def beijing_counts() -> dict[str, int]:
    path = settings.SHARED_DATA / "reference" / "beijing-2020-delegated-powers-by-dept.csv"
    if not path.exists():
        return {dept: n for dept, _, n, _ in BEIJING}
    with path.open(encoding="utf-8") as fh:
        return {row["source_department"]: int(row["item_count"]) for row in csv.DictReader(fh)}


def beijing_catalogue() -> list[dict]:
    counts = beijing_counts()
    rows = []
    for dept, prefix, _, sector in BEIJING:
        for k in range(1, counts.get(dept, 0) + 1):
            subject = SUBJECTS[(k - 1) % len(SUBJECTS)][0]
            rows.append(
                dict(
                    code=f"{prefix}-{k:03d}",
                    name=f"对{subject}的行政处罚（{dept}下放第{k}项·演示）",
                    power_type="penalty",
                    default_sector=sector,
                    department=dept,
                    legal_basis=f"{BEIJING_DOC}附件（演示条目，原目录未收录）",
                )
            )
    return rows


def _ensure_powers(rows: list[dict], owner: Region | None) -> dict[str, PowerItem]:
    existing = {p.code: p for p in PowerItem.objects.filter(code__in=[r["code"] for r in rows])}
    new = [
        PowerItem(default_level=Level.COUNTY, owner=owner, demo=True, **r)
        for r in rows
        if r["code"] not in existing
    ]
    PowerItem.objects.bulk_create(new)
    ItemVersion.objects.bulk_create(
        ItemVersion(
            kind=VersionKind.POWER, item_id=p.pk, version=1, data=power_data(p), reason=DEMO_REASON
        )
        for p in new
    )
    existing.update({p.code: p for p in new})
    return existing


def _ensure_delegations(specs: list[dict]) -> int:
    have = set(
        Delegation.objects.filter(demo=True).values_list("power_id", "target_id", "effective_from")
    )
    new = [
        Delegation(demo=True, **spec)
        for spec in specs
        if (spec["power"].pk, spec["target"].pk, spec["effective_from"]) not in have
    ]
    Delegation.objects.bulk_create(new)
    return len(new)


def _county_unit(county: str, sector: str) -> Unit | None:
    return Unit.objects.filter(region__code=county, sector=sector, kind="department").first()


def delegation_specs(powers: dict[str, PowerItem]) -> list[dict]:
    panjiang = Region.objects.get(code=PANJIANG)
    keyan = Region.objects.get(code=KEYAN)
    dongcheng = Region.objects.get(code=DONGCHENG)
    bureau = _county_unit("530303", Sector.ENFORCEMENT)
    land = _county_unit("530303", Sector.NATURAL_RESOURCES)
    specs = []
    start = dt.date(2019, 5, 1)
    for item in powers.values():
        if item.code.startswith("BJ-"):
            specs.append(
                dict(
                    power=item,
                    target=dongcheng,
                    effective_from=dt.date(2020, 7, 1),
                    document=BEIJING_DOC,
                    to_sector=Sector.ENFORCEMENT,
                    from_unit=None,
                )
            )
        elif item.default_sector == Sector.ENFORCEMENT and item.power_type in (
            "penalty",
            "coercion",
            "inspection",
        ):
            specs.append(
                dict(
                    power=item,
                    target=panjiang,
                    effective_from=start,
                    document=PANJIANG_DOC,
                    from_unit=bureau,
                )
            )
        elif item.code in ("JC-XK-001", "JC-QR-001", "JC-CJ-001"):
            # Land matters are entrusted (委托), not handed over: the town acts for the bureau.
            specs.append(
                dict(
                    power=item,
                    target=panjiang,
                    effective_from=start,
                    document=PANJIANG_DOC,
                    from_unit=land,
                    mode=DelegationMode.ENTRUST,
                )
            )
    specs.append(
        dict(
            power=powers["JC-CF-002"],
            target=keyan,
            effective_from=dt.date(2020, 1, 1),
            document=KEYAN_DOC,
            from_unit=_county_unit("330603", Sector.ENFORCEMENT),
        )
    )
    return specs


# (region code, responsibility, accountability, power codes)
RESPONSIBILITIES = [
    (
        PANJIANG,
        "辖区违法建设的巡查、制止和查处",
        "发现违法建设未及时制止、查处，造成严重后果的",
        ["JC-CF-001", "JC-QZ-001"],
    ),
    (PANJIANG, "辖区无照经营的查处", "对无照经营行为放任不管，造成安全事故的", ["JC-CF-006"]),
    (
        KEYAN,
        "辖区生活垃圾乱倒乱扔的查处",
        "对乱倒垃圾问题长期不处理、群众反映强烈的",
        ["JC-CF-002"],
    ),
    (KEYAN, "辖区餐饮油烟污染的监管和查处", "油烟扰民投诉长期得不到处理的", ["JC-CF-005"]),
    (
        DONGCHENG,
        "街道综合执法：市容环境秩序的查处",
        "应当查处而未查处，造成不良影响的",
        ["BJ-CG-001", "BJ-CG-002", "BJ-CG-003"],
    ),
]


def _ensure_responsibilities(powers: dict[str, PowerItem]) -> int:
    made = 0
    for code, name, accountability, needs in RESPONSIBILITIES:
        region = Region.objects.get(code=code)
        item, created = ResponsibilityItem.objects.get_or_create(
            region=region,
            level=Level.TOWNSHIP,
            name=name,
            defaults={"accountability": accountability, "demo": True},
        )
        if created:
            item.powers.set([powers[c] for c in needs])
            ItemVersion.objects.create(
                kind=VersionKind.RESPONSIBILITY,
                item_id=item.pk,
                version=1,
                data=responsibility_data(item),
                reason=DEMO_REASON,
            )
            made += 1
    return made


def load(ctx) -> None:
    powers = _ensure_powers(catalogue(), owner=None)
    powers.update(_ensure_powers(beijing_catalogue(), Region.objects.get(code=DONGCHENG)))
    delegations = _ensure_delegations(delegation_specs(powers))
    responsibilities = _ensure_responsibilities(powers)
    audit(
        actor=None,
        verb="powers.demo.load",
        object_type="powers.poweritem",
        after={
            "powers": len(powers),
            "new_delegations": delegations,
            "new_responsibilities": responsibilities,
        },
    )
    powers_changed()
    ctx.say(
        f"演示权责清单：{len(powers)}项权力（含北京下放431项），盘江镇2019-05-01起承接执法权，"
        "柯岩街道2020-01-01起承接乱倒垃圾处罚权，东城区各街道2020-07-01起承接京政发〔2020〕9号事项"
    )
