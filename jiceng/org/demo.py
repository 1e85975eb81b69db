"""The demo region from the stories: real division codes, synthetic township zones and grids.

Township outlines are not public, so each demo county's real outline is cut into synthetic
zones (marked `synthetic`); real grids replace them through `jiceng import_boundaries`.
"""

import importlib
import json
from dataclasses import dataclass, field

import shapely
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import box, mapping, shape

from .actions import regions_import_divisions
from .geo import boundaries_changed
from .models import Level, Person, PersonRole, Region, Role, Sector, Unit, UnitKind

DEFAULT_PASSWORD = "jiceng-demo"
DEMO_COUNTIES = ["530303", "330603", "330102", "110101"]
DEMO_TOWNSHIPS = {
    "530303102": "盘江镇",
    "330603002": "柯岩街道",
    "330102003": "湖滨街道",
    "110101005": "北新桥街道",
}
GRIDS_PER_COMMUNITY = 2

# (county code, unit name, kind, sector)
COUNTY_UNITS = [
    ("综合行政执法局", UnitKind.DEPARTMENT, Sector.ENFORCEMENT),
    ("自然资源局", UnitKind.DEPARTMENT, Sector.NATURAL_RESOURCES),
    ("公安分局", UnitKind.DEPARTMENT, Sector.POLICE),
    ("生态环境分局", UnitKind.DEPARTMENT, Sector.ENVIRONMENT),
    ("城市管理局", UnitKind.DEPARTMENT, Sector.URBAN),
    ("卫生健康局", UnitKind.DEPARTMENT, Sector.HEALTH),
    ("市场监督管理局", UnitKind.DEPARTMENT, Sector.MARKET),
    ("住房和城乡建设局", UnitKind.DEPARTMENT, Sector.HOUSING),
    ("民政局", UnitKind.DEPARTMENT, Sector.CIVIL),
    ("应急管理局", UnitKind.DEPARTMENT, Sector.EMERGENCY),
    ("委宣传部", UnitKind.DEPARTMENT, Sector.PUBLICITY),
    ("人力资源和社会保障局", UnitKind.DEPARTMENT, Sector.LABOUR),
    ("教育体育局", UnitKind.DEPARTMENT, Sector.EDUCATION),
    ("商务局", UnitKind.DEPARTMENT, Sector.COMMERCE),
    ("交通运输局", UnitKind.DEPARTMENT, Sector.TRANSPORT),
]
# Units every demo township has: (suffix, kind, sector, parent county unit name or None)
TOWNSHIP_UNITS = [
    ("综合执法队", UnitKind.TEAM, Sector.ENFORCEMENT, "综合行政执法局"),
    ("派出所", UnitKind.STATION, Sector.POLICE, "公安分局"),
    ("自然资源所", UnitKind.STATION, Sector.NATURAL_RESOURCES, "自然资源局"),
    ("生态环境工作站", UnitKind.STATION, Sector.ENVIRONMENT, "生态环境分局"),
    ("城管中队", UnitKind.TEAM, Sector.URBAN, "城市管理局"),
    ("市场监管所", UnitKind.STATION, Sector.MARKET, "市场监督管理局"),
    ("社区卫生服务中心", UnitKind.STATION, Sector.HEALTH, "卫生健康局"),
]

# username, name, role(s), township code or county code, unit suffix, extra
ACCOUNTS = [
    ("admin", "平台管理员", [Role.PLATFORM_ADMIN], "", None),
    ("resident", "张居民", [Role.RESIDENT], "330603002", None),
    ("grid_ky", "李网格", [Role.GRID_WORKER], "330603002", "gov"),
    ("dispatcher_ky", "王派遣", [Role.DISPATCHER], "330603002", "gov"),
    ("leader_ky", "赵分管", [Role.LEADER], "330603002", "gov"),
    (
        "handler_ky",
        "钱执法",
        [Role.HANDLER, Role.ENFORCEMENT_OFFICER],
        "330603002",
        "综合执法队",
    ),
    ("police_ky", "孙民警", [Role.HANDLER], "330603002", "派出所"),
    ("env_ky", "周环保", [Role.HANDLER], "330603002", "生态环境工作站"),
    ("urban_ky", "吴城管", [Role.HANDLER], "330603002", "城管中队"),
    ("county_kq", "郑县管", [Role.COUNTY_ADMIN], "330603", "county:综合行政执法局"),
    ("assessor_kq", "冯考核", [Role.ASSESSOR], "330603", "county:委宣传部"),
    ("kaohe_kq", "许统筹", [Role.ASSESSOR], "330603", "county:人民政府"),
    (
        "captain_pj",
        "陈队长",
        [Role.HANDLER, Role.ENFORCEMENT_OFFICER, Role.LEADER],
        "530303102",
        "综合执法队",
    ),
    # a second officer: an on-the-spot penalty (简易程序) needs two (《行政处罚法》第四十二条)
    ("officer_pj", "何执法", [Role.HANDLER, Role.ENFORCEMENT_OFFICER], "530303102", "综合执法队"),
    ("dispatcher_pj", "褚派遣", [Role.DISPATCHER], "530303102", "gov"),
    ("leader_pj", "卫镇长", [Role.LEADER], "530303102", "gov"),
    ("publicity_pj", "蒋宣传", [Role.HANDLER], "530303102", "gov"),
    ("land_pj", "沈国土", [Role.HANDLER], "530303102", "自然资源所"),
    ("legal_pj", "柳法审", [Role.LEGAL_REVIEWER], "530303102", "gov"),
    ("county_zy", "韩县管", [Role.COUNTY_ADMIN], "530303", "county:综合行政执法局"),
    ("social_dp", "杨社工", [Role.SOCIAL_WORKER], "330102003057", "committee"),
    ("dispatcher_hb", "朱派遣", [Role.DISPATCHER], "330102003", "gov"),
    ("dispatcher_bxq", "秦派遣", [Role.DISPATCHER], "110101005", "gov"),
    ("county_dc", "尤区管", [Role.COUNTY_ADMIN], "110101", "county:城市管理局"),
]


@dataclass
class DemoContext:
    password: str = DEFAULT_PASSWORD
    # `load_demo` (make run) sets up the demo classifier (trained once, ~30 s); tests do not.
    with_classifier: bool = False
    # `load_demo` also adds sample cases (each app's `load_late`); tests start with none.
    with_samples: bool = False
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


def demo_accounts_note(password: str = DEFAULT_PASSWORD) -> str:
    lines = [f"演示账号（均为演示数据，密码 {password}；load_demo --password 可更改）:"]
    for username, name, roles, code, _ in ACCOUNTS:
        where = DEMO_TOWNSHIPS.get(code) or code or "全平台"
        lines.append(
            f"  {username:<15} {name}  {'、'.join(str(Role(r).label) for r in roles)}  {where}"
        )
    return "\n".join(lines)


def _polygonal(geom):
    geom = shapely.make_valid(geom)
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else None


def _split(outline, n: int, vertical: bool):
    """Cut an outline into n strips of roughly equal area, west→east or south→north."""
    minx, miny, maxx, maxy = outline.bounds
    lo, hi = (minx, maxx) if vertical else (miny, maxy)
    cuts, total = [lo], outline.area
    for k in range(1, n):
        a, b = cuts[-1], hi
        for _ in range(30):
            mid = (a + b) / 2
            strip = box(lo, miny, mid, maxy) if vertical else box(minx, lo, maxx, mid)
            if outline.intersection(strip).area < total * k / n:
                a = mid
            else:
                b = mid
        cuts.append((a + b) / 2)
    cuts.append(hi)
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        strip = box(a, miny, b, maxy) if vertical else box(minx, a, maxx, b)
        pieces.append(_polygonal(outline.intersection(strip)))
    return pieces


def _tiles(outline, n: int) -> list:
    """Cut an outline into n pieces of roughly equal area, in columns then rows."""
    cols = max(1, round(n**0.5))
    sizes = [n // cols + (1 if k < n % cols else 0) for k in range(cols)]
    pieces = []
    for column, rows in zip(_split(outline, cols, True), sizes, strict=True):
        pieces += _split(column, rows, False) if rows > 1 else [column]
    return pieces


def _geojson(geom) -> dict:
    return json.loads(json.dumps(mapping(shapely.set_precision(geom, 1e-6))))


def _county_outline(code: str):
    path = settings.SHARED_DATA / "divisions" / "boundaries" / "wgs84" / f"{code}.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    return shape(doc["features"][0]["geometry"])


def build_geography(ctx: DemoContext) -> None:
    for county_code in DEMO_COUNTIES:
        if not Region.objects.filter(code=county_code).exists():
            regions_import_divisions(county=county_code)
        county = Region.objects.get(code=county_code)
        outline = _county_outline(county_code)
        Region.objects.filter(pk=county.pk).update(boundary=_geojson(outline))
        townships = list(Region.objects.filter(parent=county, level=Level.TOWNSHIP))
        for township, zone in zip(townships, _tiles(outline, len(townships)), strict=True):
            Region.objects.filter(pk=township.pk).update(boundary=_geojson(zone), synthetic=True)
            if township.code in DEMO_TOWNSHIPS:
                _build_grids(township, zone)
    boundaries_changed()
    ctx.say("演示区域：4个县区，示范乡镇街道的社区与网格为合成边界")


def _build_grids(township: Region, zone) -> None:
    communities = list(Region.objects.filter(parent=township, level=Level.COMMUNITY))
    for community, part in zip(communities, _tiles(zone, len(communities)), strict=True):
        Region.objects.filter(pk=community.pk).update(boundary=_geojson(part), synthetic=True)
        for k, cell in enumerate(_split(part, GRIDS_PER_COMMUNITY, True), start=1):
            Region.objects.update_or_create(
                code=f"{community.code}{k:03d}",
                defaults={
                    "name": f"{community.name.replace('居民委员会', '').replace('村委会', '村')}第{k}网格",
                    "level": Level.GRID,
                    "parent": community,
                    "boundary": _geojson(cell),
                    "synthetic": True,
                },
            )


def _unit(
    name: str, kind: str, sector: str, region: Region, parent: Unit | None = None, **extra
) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        region=region,
        name=name,
        defaults={"kind": kind, "sector": sector, "parent": parent, **extra},
    )
    return unit


def build_units(ctx: DemoContext) -> None:
    for county_code in DEMO_COUNTIES:
        county = Region.objects.get(code=county_code)
        gov = _unit(f"{county.name}人民政府", UnitKind.GOVERNMENT, Sector.GENERAL, county)
        dept = {
            name: _unit(f"{county.name}{name}", kind, sector, county, gov)
            for name, kind, sector in COUNTY_UNITS
        }
        for township in Region.objects.filter(parent=county, code__in=DEMO_TOWNSHIPS):
            suffix = "人民政府" if township.name.endswith("镇") else "办事处"
            extra = {"staff_quota": 13, "vehicles": 1} if township.code == "530303102" else {}
            tgov = _unit(
                f"{township.name}{suffix}",
                UnitKind.GOVERNMENT,
                Sector.GENERAL,
                township,
                gov,
                **extra,
            )
            for suffix, kind, sector, parent in TOWNSHIP_UNITS:
                _unit(f"{township.name}{suffix}", kind, sector, township, dept[parent])
            for community in Region.objects.filter(parent=township, level=Level.COMMUNITY):
                _unit(community.name, UnitKind.COMMITTEE, Sector.CIVIL, community, tgov)
    ctx.say("演示单位：县区部门、乡镇街道及其站所队伍、村社区委员会")


def _resolve_unit(region: Region, key: str | None) -> Unit | None:
    if key is None:
        return None
    if key.startswith("county:"):
        county = Region.objects.get(code=region.code[:6])
        return Unit.objects.get(region=county, name=f"{county.name}{key[7:]}")
    if key == "gov":
        return Unit.objects.get(region=region, kind=UnitKind.GOVERNMENT)
    if key == "committee":
        return Unit.objects.get(region=region, kind=UnitKind.COMMITTEE)
    return Unit.objects.get(region=region, name=f"{region.name}{key}")


def account(
    username: str,
    name: str,
    roles: list[str],
    region: Region | None,
    unit: Unit | None,
    password: str,
    managing: Unit | None = None,
    superuser: bool = False,
) -> Person:
    user_model = get_user_model()
    user, made = user_model.objects.get_or_create(username=username)
    if made or not user.check_password(password):
        user.set_password(password)
    user.is_staff = user.is_superuser = superuser
    user.save()
    person, _ = Person.objects.update_or_create(
        user=user,
        defaults={
            "name": name,
            "region": region,
            "home_unit": unit,
            "managing_unit": managing or unit,
        },
    )
    for role in roles:
        PersonRole.objects.get_or_create(person=person, role=role)
    return person


def build_people(ctx: DemoContext) -> None:
    for username, name, roles, code, unit_key in ACCOUNTS:
        region = Region.objects.filter(code=code).first() if code else None
        account(
            username,
            name,
            roles,
            region,
            _resolve_unit(region, unit_key) if region else None,
            ctx.password,
            superuser=(username == "admin"),
        )
    # S2: officers of the district bureau seconded to 柯岩街道, managed and assessed there.
    street = Region.objects.get(code="330603002")
    home = _resolve_unit(street, "county:综合行政执法局")
    team = _resolve_unit(street, "综合执法队")
    for k in range(1, 4):
        account(
            f"seconded_ky{k}",
            f"下沉干部{k}",
            [Role.HANDLER, Role.ENFORCEMENT_OFFICER],
            street,
            home,
            ctx.password,
            managing=team,
        )
    ctx.say("演示人员：每个角色一个账号；柯岩街道有3名区执法局下沉干部")


def load(ctx: DemoContext) -> None:
    with transaction.atomic():
        build_geography(ctx)
        build_units(ctx)
        build_people(ctx)


def load_all(
    password: str = DEFAULT_PASSWORD, with_classifier: bool = False, with_samples: bool = False
) -> DemoContext:
    """The whole demo: this app first, then each app's `demo.load(ctx)` in app order, then each
    app's `demo.load_late(ctx)` if it has one (sample records that need every app's data)."""
    ctx = DemoContext(password=password, with_classifier=with_classifier, with_samples=with_samples)
    load(ctx)
    modules = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("jiceng.") or app == "jiceng.org":
            continue
        try:
            modules.append(importlib.import_module(f"{app}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
    for step in ("load", "load_late"):
        for module in modules:
            if hasattr(module, step):
                with transaction.atomic():
                    getattr(module, step)(ctx)
    return ctx
