"""The documents of a case file (执法文书), built from the record alone: which ones a case offers
at the steps it has taken, their 文号, and their fields.

A document is a legal text: it is built in Chinese whatever the reader's language. A field the
record lacks is None, printed as a blank line to fill in by hand, never made up.

A case decided on the spot (简易程序) offers its 当场行政处罚决定书 (综执当罚字) instead of the
行政处罚决定书 and the 送达回证: handed over on the spot, the party signs for it on the document.

文号: 「<乡镇街道名><字>〔<立案年度>〕第<N>号」, e.g. 盘江镇综执罚决字〔2026〕第3号, where N is the
case's place among its township's cases filed that year (by 立案 time, then id). 立案 time never
changes and cases are never deleted, so a document printed twice carries the same number; every
document of one case shares N and the year, each kind has its own 字 (KINDS).

On the approval route (区级审批) the decision is the district holder's (HOLDER_ACTS): the 决定书,
the 不予处罚决定书 and their 送达回证 name that unit as the authority, and the decision's 文号
carries its name and its own series (the cases it approves, filed that year).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiceng.org.models import Level, Region, Unit, UnitKind

from . import hearing_documents
from .docfmt import cn_date, cn_moment, evidence, labels, latest, yuan
from .models import ORDERS, Outcome, PenaltyCase, PenaltyStep


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str  # Chinese in the document; the page's card shows it translated
    word: str  # the 字 of its 文号; "" when it has none (the 送达回证 names what it serves)
    offered: Callable[[PenaltyCase], bool]
    serves: str = ""  # a 送达回证 of another document than the decision: that one's slug

    @property
    def template(self) -> str:
        return f"enforcement/documents/{'service' if self.serves else self.slug}.html"

    @property
    def served_title(self) -> str:
        return BY_SLUG[self.serves].title if self.serves else ""


def _served_on_party(kind: Kind) -> list[Kind]:
    """A document served on the party, then its 送达回证 (offered with it: once the step that
    issues it was taken)."""
    return [
        kind,
        Kind(f"service-{kind.slug}", gettext_noop("送达回证"), "", kind.offered, kind.slug),
    ]


KINDS = [
    Kind("filing", gettext_noop("立案审批表"), "综执立字", lambda pc: not pc.summary),
    *_served_on_party(
        Kind(
            "stop-order",
            gettext_noop("责令停止（改正）违法行为通知书"),
            "综执责改字",
            lambda pc: pc.stop_ordered_at is not None,
        )
    ),
    *_served_on_party(
        Kind(
            "notice",
            gettext_noop("行政处罚事先告知书"),
            "综执罚告字",
            lambda pc: pc.notified_at is not None,
        )
    ),
    *_served_on_party(
        Kind(
            "hearing-notice",
            gettext_noop("听证通知书"),
            "综执听通字",
            lambda pc: pc.hearing_noticed,
        )
    ),
    Kind(
        "decision",
        gettext_noop("行政处罚决定书"),
        "综执罚决字",
        lambda pc: pc.outcome == Outcome.PENALTY and not pc.summary,
    ),
    # 简易程序: handed over on the spot, the party's signature on it is its 送达 (第五十二条).
    Kind("on-spot", gettext_noop("当场行政处罚决定书"), "综执当罚字", lambda pc: pc.summary),
    Kind(
        "no-penalty",
        gettext_noop("不予行政处罚决定书"),
        "综执不罚字",
        lambda pc: pc.outcome == Outcome.NO_PENALTY,
    ),
    # the decision's (行政处罚决定书 or 不予行政处罚决定书)
    Kind("service", gettext_noop("送达回证"), "", lambda pc: bool(pc.outcome) and not pc.summary),
    # records of the hearing (第六十四条第八项, 第六十五条): kept in the file, not served; no 文号
    Kind("hearing-record", gettext_noop("听证笔录"), "", lambda pc: pc.hearing_held_at is not None),
    Kind(
        "hearing-report",
        gettext_noop("听证报告"),
        "",
        lambda pc: pc.hearing_reported_at is not None,
    ),
]
# The documents in which the one who holds the power acts: the decision (第五十七条) and its
# 送达回证. On the approval route (区级审批) that is the district unit powers.holder() named for the
# act's date (`approval_unit`): the decision is legally its own, the township handled the case.
HOLDER_ACTS = ("decision", "no-penalty", "service")
BY_SLUG = {k.slug: k for k in KINDS}
ZH = "zh-hans"


def offered(pc: PenaltyCase) -> list[Kind]:
    """The documents the steps taken so far give the case (a 决定书 only after 决定, …)."""
    return [k for k in KINDS if k.offered(pc)]


def kind_of(pc: PenaltyCase, slug: str) -> Kind:
    kind = BY_SLUG.get(slug)
    if kind is None or not kind.offered(pc):
        raise Http404(_("本案尚无该文书"))
    return kind


def holder_issues(pc: PenaltyCase, kind: Kind) -> bool:
    """The document is issued by the district holder of the power, not the township."""
    return pc.approval_required and pc.approval_unit_id is not None and kind.slug in HOLDER_ACTS


def issuer(pc: PenaltyCase, kind: Kind) -> str:
    """The authority named on the document (and its seal): the township's government (its team
    is no legal person of its own and acts in the government's name: 盘江镇人民政府, 柯岩街道办事处;
    the township's name where the platform has no government unit for it), or the holder."""
    if holder_issues(pc, kind):
        return pc.approval_unit.name
    government = Unit.objects.filter(region_id=pc.township_id, kind=UnitKind.GOVERNMENT)
    return government.values_list("name", flat=True).order_by("pk").first() or pc.township.name


def year_number(pc: PenaltyCase, holder: bool = False) -> tuple[int, int]:
    """(year of 立案, the case's place among its township's cases filed that year); with `holder`,
    among the cases filed that year that the same district unit approves (its own series)."""
    year = timezone.localtime(pc.filed_at).year
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    mine = (
        {"approval_required": True, "approval_unit_id": pc.approval_unit_id}
        if holder
        else {"township_id": pc.township_id}
    )
    earlier = PenaltyCase.objects.filter(
        **mine, filed_at__gte=start, filed_at__lte=pc.filed_at
    ).exclude(filed_at=pc.filed_at, pk__gt=pc.pk)
    return year, earlier.count()


def docno(pc: PenaltyCase, kind: Kind) -> str:
    """The 文号 of the document: the issuer's short name (the township's, or the holder's), the
    kind's 字, year and number."""
    holder = holder_issues(pc, kind)
    year, n = year_number(pc, holder=holder)
    short = pc.approval_unit.name if holder else pc.township.name
    return f"{short}{kind.word}〔{year}〕第{n}号"


# ---- each document's fields ------------------------------------------------------------------


def _filing(pc, steps) -> dict:
    opened = latest(steps, "open")
    approval = (
        f"须报{pc.approval_unit.name}审批后作出处罚决定"
        if pc.approval_required and pc.approval_unit
        else "乡镇自行作出处罚决定"
    )
    return {
        "source": pc.case.code if pc.case_id else None,
        "discovered_on": cn_date(pc.discovered_on),
        "filed_on": cn_date(pc.filed_at),
        "opened_by": opened.actor_name if opened and opened.actor_name else None,
        "holder": pc.holder_explanation or None,
        "approval": approval,
        "evidence": evidence(pc),
    }


def _stop_order(pc, steps) -> dict:
    step = latest(steps, "order_stop")
    return {"ordered_at": cn_moment(pc.stop_ordered_at), "note": step.note if step else None}


def _notice(pc, steps) -> dict:
    step = latest(steps, "notify")
    data = step.data if step else {}
    fine, taken = data.get("fine_amount"), data.get("confiscation_value")
    return {
        "notified_on": cn_date(step.at if step else pc.notified_at),
        "kinds": labels(data.get("penalty_kinds", [])),
        "fine": yuan(Decimal(fine)) if fine else None,
        "confiscation": yuan(Decimal(taken)) if taken else None,
        "until": cn_moment(pc.hearing_until),
        "hearing_right": bool(data.get("hearing_right", pc.hearing_right)),
        "evidence": evidence(pc),
    }


def _hearing_notice(pc, steps) -> dict:
    step = latest(steps, "hearing_notice")
    return {
        "requested_at": cn_moment(pc.hearing_requested_at),
        "at": cn_moment(pc.hearing_scheduled_at),
        "place": pc.hearing_place or None,
        "chair": pc.hearing_chair.name if pc.hearing_chair else None,
        "served_on": cn_date(pc.hearing_notice_served_on),
        "issued_on": cn_date(step.at if step else None),
    }


def _remedies(pc) -> dict:
    return {"decided_on": cn_date(pc.decided_at), "evidence": evidence(pc), **remedy_bodies(pc)}


def _decision(pc, steps) -> dict:
    notified = latest(steps, "notify")
    penalties = [k for k in pc.penalty_kinds if k not in ORDERS]
    orders = [k for k in pc.penalty_kinds if k in ORDERS]
    paid_by = pc.execute_due_at - dt.timedelta(microseconds=1) if pc.execute_due_at else None
    return {
        **_remedies(pc),
        "kinds": labels(penalties),
        "orders": labels(orders),
        "fine": yuan(pc.fine_amount),
        "confiscation": yuan(pc.confiscation_value),
        "text": pc.decision or None,
        "notified_on": cn_date(notified.at if notified else None),
        "hearing_held": cn_moment(pc.hearing_held_at),
        "hearing_host": pc.hearing_host.name if pc.hearing_host else None,
        "hearing_withdrawn": cn_moment(pc.hearing_withdrawn_at),
        "hearing_reported": cn_date(pc.hearing_reported_at),
        "statement": pc.statement or None,
        "statement_at": cn_moment(pc.statement_at),
        "reviewed": cn_date(pc.legal_reviewed_at) if pc.legal_review == "passed" else None,
        "pay_by": cn_date(paid_by),
    }


def _on_spot(pc, steps) -> dict:
    """当场行政处罚决定书 (第五十二条): what the officers wrote on the spot."""
    paid_by = pc.execute_due_at - dt.timedelta(microseconds=1) if pc.execute_due_at else None
    return {
        **_remedies(pc),
        "at": cn_moment(pc.decided_at),
        "place": pc.place or None,
        "kinds": labels(pc.penalty_kinds),
        "fine": yuan(pc.fine_amount),
        "statement": pc.statement or None,
        "officers": [p.name for p in pc.officers.order_by("pk")],
        "pay_by": cn_date(paid_by),
        # 第六十八条: collected when the decision was handed over, with the 专用票据 (第七十条)
        "receipt": pc.receipt_number if pc.collected_on_spot else None,
        "paid": yuan(pc.paid_amount),
    }


def _no_penalty(pc, steps) -> dict:
    return {
        **_remedies(pc),
        "ground": str(pc.get_no_penalty_ground_display()) or None,
        "text": pc.decision or None,
        "orders": labels(pc.penalty_kinds),
    }


def _served(pc, steps, kind: Kind) -> tuple[str, str | None, PenaltyStep | None]:
    """(the document served, when the record says it reached the party, the step that says so).
    The decision: 送达. The notice: 告知 (its 5 days run from then). The hearing notice: the day
    it was served. The stop order: the record has no moment of service (a blank)."""
    if kind.slug == "service":
        slug = "decision" if pc.outcome == Outcome.PENALTY else "no-penalty"
        return slug, cn_moment(pc.served_at), latest(steps, "serve")
    if kind.serves == "notice":
        return "notice", cn_moment(pc.notified_at), latest(steps, "notify")
    if kind.serves == "hearing-notice":
        return kind.serves, cn_date(pc.hearing_notice_served_on), None
    return kind.serves, None, None


def _service(pc, steps, kind: Kind) -> dict:
    slug, at, step = _served(pc, steps, kind)
    served = BY_SLUG[slug]
    how = step.note if kind.slug == "service" and step and step.note else None  # 送达方式
    return {
        "served_title": served.title,
        "served_no": docno(pc, served),
        "served_at": at,
        "server": step.actor_name if step and step.actor_name else None,
        "server_unit": step.unit_name if step and step.unit_name else None,
        "served_note": how,
    }


# Region names that are not a place (统计用区划代码's groupings): the name above is used instead.
GROUPINGS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _county_name(region) -> str | None:
    """The county-level region's full name: a 市辖区 carries its city's (曲靖市沾益区)."""
    if len(region.code) < 6:
        return None
    county = Region.objects.filter(code=region.code[:6]).select_related("parent__parent").first()
    if county is None:
        return None
    parent = county.parent
    if parent is not None and parent.name in GROUPINGS:
        parent = parent.parent
    if county.name.endswith("区") and parent is not None and parent.level == Level.CITY:
        return f"{parent.name}{county.name}"
    return county.name


def remedy_bodies(pc: PenaltyCase) -> dict:
    """Where the party may seek 行政复议 and sue (printed on a decision). A township's decision
    (乡镇人民政府, 街道办事处): the county-level people's government (《行政复议法》2023 第二十四条
    第一款第二、三项); a district case (区级审批: the power was the district department's on the
    act's date): the government of that department's level, the county (第一项). Either way the
    basic people's court of that county (《行政诉讼法》第十四条、第十八条). None (a blank) when the
    region tree does not say."""
    deciding = pc.approval_unit.region if pc.approval_required and pc.approval_unit else None
    name = _county_name(deciding or pc.township)
    return {
        "review_body": f"{name}人民政府" if name else None,
        "court": f"{name}人民法院" if name else None,
    }


BUILDERS = {
    "filing": _filing,
    "stop-order": _stop_order,
    "notice": _notice,
    "hearing-notice": _hearing_notice,
    "decision": _decision,
    "no-penalty": _no_penalty,
    "on-spot": _on_spot,
    "hearing-record": hearing_documents.record,
    "hearing-report": hearing_documents.report,
}


def document(pc: PenaltyCase, kind: Kind) -> dict:
    """The fields of one document of the case, in Chinese."""
    steps = list(pc.steps.order_by("seq"))
    with translation.override(ZH):
        service = kind.slug == "service" or kind.serves
        fields = _service(pc, steps, kind) if service else BUILDERS[kind.slug](pc, steps)
        return {
            "title": kind.title,
            "docno": docno(pc, kind) if kind.word else None,
            "authority": issuer(pc, kind),
            "unit": pc.handling_unit.name,
            "code": pc.code,
            "party": pc.party_name,
            "party_kind": str(pc.get_party_kind_display()),
            "party_address": pc.party_address or None,
            "power": f"{pc.power.code} {pc.power.name}",
            "basis": pc.power.legal_basis or None,
            "facts": pc.facts or None,
            "act_date": cn_date(pc.act_date),
            **fields,
        }
