"""Demo data of the case loop: the default category tree and, for `load_demo`, sample cases.

The sample cases go through the same actions as real ones (report, routing, whistle, report-in,
handling, verification, closing), so their timelines, clocks and audit entries are real. Each
report carries a fixed idempotency key: a second `load_demo` finds it and adds nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import shape

from jiceng.org.models import Level, Region, Unit

from .actions import (
    Report,
    assignment_report_in,
    case_accept,
    case_close,
    case_handle,
    case_report,
    case_verify,
    case_whistle,
)
from .categories import load_categories
from .models import Source

KEYAN, PANJIANG = "330603002", "530303102"
DUMPING = "M06010"  # 乱倒垃圾 (illegal dumping): the street's law-enforcement team leads

# Messages a resident might leave, written for the demo (no category: smart dispatch decides,
# or they wait for the dispatcher): (key, township, grid number, text)
RESIDENT_REPORTS = [
    (
        "demo-ky-school",
        KEYAN,
        0,
        "我家小孩在柯岩中心小学读三年级，学校要求家长每天放学后到校门口值勤，还要在群里打卡，"
        "家长都要上班，希望教育部门管一管。",
    ),
    (
        "demo-ky-insurance",
        KEYAN,
        1,
        "我在柯岩一家厂里上班三年了，老板一直没给我们交社保，离职时也不肯开证明，请问该找哪个部门？",
    ),
    (
        "demo-ky-eatery",
        KEYAN,
        2,
        "菜市场旁边的小餐馆厨房很脏，员工没有健康证，吃完拉肚子，希望有关部门检查。",
    ),
    (
        "demo-pj-farmland",
        PANJIANG,
        0,
        "村里有人在承包的耕地上建房，已经打好地基，村民担心占用基本农田，希望有关部门尽快查处。",
    ),
]


def load(ctx) -> None:
    created, _ = load_categories()
    ctx.say(f"案件类别：GB/T 47678.5 部件与事项、矛盾纠纷、突发事件（新增 {created} 个）")


def load_late(ctx) -> None:
    """Sample cases (`load_demo` only), after every app's demo: the demo classifier is active."""
    if not ctx.with_samples:
        return
    with transaction.atomic():
        made = [_resident(*row) for row in RESIDENT_REPORTS]
        made += [_dumping_in_progress(), _dumping_closed()]
    if any(made):
        ctx.say(
            "演示案件：柯岩街道一件多部门吹哨处置中、一件已结案，群众留言四件（智能派单或待派遣）"
        )


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _point(township: str, k: int) -> tuple[float, float]:
    grids = Region.objects.filter(level=Level.GRID, code__startswith=township).order_by("code")
    p = shape(grids[k % grids.count()].boundary).representative_point()
    return round(p.x, 6), round(p.y, 6)


def _unit(township: str, suffix: str) -> Unit:
    region = Region.objects.get(code=township)
    return Unit.objects.get(region=region, name=f"{region.name}{suffix}")


def _report(key: str, township: str, k: int, text: str, by=None, **extra):
    lon, lat = _point(township, k)
    report = Report(description=text, lon=lon, lat=lat, idempotency_key=key, **extra)
    return case_report(report=report, by=by)


def _resident(key: str, township: str, k: int, text: str) -> bool:
    _, created = _report(key, township, k, text, by=_user("resident"), source=Source.CITIZEN)
    return created


def _patrol(key: str, k: int, text: str):
    return _report(
        key, KEYAN, k, text, by=_user("grid_ky"), source=Source.PATROL, category_code=DUMPING
    )


def _dumping_in_progress() -> bool:
    """S2 under way: found on patrol, whistled to three units, two of them have reported in."""
    case, created = _patrol(
        "demo-ky-dumping", 3, "巡查发现有人用三轮车运来建筑垃圾，倾倒在河边空地，约3立方米"
    )
    if not created:
        return False
    units = [_unit(KEYAN, s) for s in ("派出所", "生态环境工作站", "城管中队")]
    case_whistle(
        case=case, units=units, by=_user("dispatcher_ky"), message="有人倾倒垃圾，请立即到场"
    )
    case_accept(case=case, by=_user("handler_ky"))
    for username in ("police_ky", "env_ky"):
        assignment_report_in(case=case, by=_user(username))
    return True


def _dumping_closed() -> bool:
    """A finding handled, verified on site by the grid worker and closed by the dispatcher."""
    case, created = _patrol("demo-ky-furniture", 4, "巡查发现垃圾桶旁堆放旧沙发、床垫等大件垃圾")
    if not created:
        return False
    case_accept(case=case, by=_user("handler_ky"))
    case_handle(case=case, by=_user("handler_ky"), result="已联系环卫清运，并在此处张贴告示")
    case_verify(case=case, by=_user("grid_ky"), ok=True, note="现场已清理干净")
    case_close(case=case, by=_user("dispatcher_ky"))
    return True
