"""The platform-default amount thresholds (always), and S1 in 盘江镇 (`load_demo` only): two penalty cases on JC-CF-001, which 沾益区 devolved to the
town on 2019-05-01 (powers/demo.py). One for an act after the devolution, on the cases demo's
report of a villager building on farmland: the town decides itself, already served. One for an act
of March 2019: waiting for 沾益区综合行政执法局's approval (county_zy)."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from jiceng.cases.models import Case
from jiceng.org.models import Region
from jiceng.powers.models import PowerItem

from . import actions
from .models import PenaltyCase, PenaltyKind

PANJIANG = "530303102"
POWER = "JC-CF-001"  # 对未取得建设工程规划许可证进行建设的行政处罚
CAMERA = "执法记录仪 DSJ-PJ-003（演示）"


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _photo(text: str) -> ContentFile:
    """A small picture standing in for a body-camera still (demo)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 140, 90)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name=f"{text}.png")


def _reported_case():
    """The cases demo's report of a villager building on farmland in 盘江镇 (cases/demo.py runs
    first); None when it is not there. The demo makes no case of its own: the cases demo counts
    the cases `load_demo` makes."""
    return Case.objects.filter(idempotency_key="demo-pj-farmland").first()


def _investigate(pc: PenaltyCase, captain, land) -> None:
    actions.penaltycase_order_stop(
        penalty_case=pc, note="现场宣讲法律，责令当事人立即停止施工（演示）", by=captain
    )
    actions.penaltycase_investigate(penalty_case=pc, note="会同镇国土所现场勘查", by=captain)
    actions.evidence_add(
        penalty_case=pc,
        upload=_photo(f"{pc.code}-现场"),
        captured_by=land.person,
        captured_at=timezone.now() - dt.timedelta(hours=2),
        device=CAMERA,
        note="现场照片：新建房屋占压生产路",
        by=captain,
    )
    actions.penaltycase_notify(
        penalty_case=pc,
        kinds=[PenaltyKind.FINE, PenaltyKind.ORDER_DEMOLISH],
        fine_amount="2000",
        note="送达行政处罚事先告知书",
        by=captain,
    )


def load(ctx) -> None:
    """The platform-default amount thresholds (migration 0008 seeds them; a flushed test database
    gets them back here). No province rows: a province records its own on /enforcement/thresholds/."""
    actions.thresholds_ensure_defaults()


# The demo parties' addresses (当事人住所或地址), printed on the decisions and 送达回证.
ADDRESSES = {
    "李某某（演示）": "云南省曲靖市沾益区盘江镇某村民小组12号（演示）",
    "王某某（演示）": "云南省曲靖市沾益区盘江镇某村民小组35号（演示）",
}


def _addresses() -> None:
    """Idempotent: a demo case loaded before the addresses existed gets its party's address."""
    for party, address in ADDRESSES.items():
        PenaltyCase.objects.filter(demo=True, party_name=party, party_address="").update(
            party_address=address
        )


def load_late(ctx) -> None:
    if not ctx.with_samples:
        return
    if PenaltyCase.objects.filter(demo=True).exists():
        _addresses()
        return
    captain, land = _user("captain_pj"), _user("land_pj")
    power = PowerItem.objects.get(code=POWER)
    township = Region.objects.get(code=PANJIANG)
    case = _reported_case()
    if case is not None:
        after = actions.penaltycase_open_from_case(
            case=case,
            party_name="李某某（演示）",
            party_address=ADDRESSES["李某某（演示）"],
            power_code=POWER,
            by=captain,
        )
    else:
        after = actions.penaltycase_open(
            power=power,
            township=township,
            act_date=timezone.localdate() - dt.timedelta(days=6),
            party_name="李某某（演示）",
            party_address=ADDRESSES["李某某（演示）"],
            facts="农户新建房屋挡住村里的生产路（演示）",
            by=captain,
        )
    PenaltyCase.objects.filter(pk=after.pk).update(demo=True)
    _investigate(after, captain, land)
    actions.penaltycase_decide(
        penalty_case=after,
        decision="责令限期拆除占压生产路部分，并处罚款（演示）",
        kinds=[PenaltyKind.FINE, PenaltyKind.ORDER_DEMOLISH],
        fine_amount="2000",
        waived=True,
        by=captain,
    )
    actions.penaltycase_serve(penalty_case=after, note="当场交付当事人", by=captain)
    before = actions.penaltycase_open(
        power=power,
        township=township,
        act_date=dt.date(2019, 3, 10),
        party_name="王某某（演示）",
        party_address=ADDRESSES["王某某（演示）"],
        facts="2019年3月未取得规划许可建设的圈舍，至今未拆除（演示）",
        demo=True,
        by=captain,
    )
    _investigate(before, captain, land)
    actions.penaltycase_submit(
        penalty_case=before, note="违法行为发生在下放前，报区局审批", by=captain
    )
    ctx.say(
        "演示执法案件（S1 盘江镇）：下放后的违法建设由镇里自行决定并已送达；"
        "2019年3月的违法建设须沾益区综合行政执法局审批（county_zy 待审批）"
    )
