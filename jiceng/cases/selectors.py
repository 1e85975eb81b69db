"""Reads of the case loop, each limited to what the caller may see (404 outside it)."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from jiceng.core.inputs import int_or_none
from jiceng.org.models import Unit
from jiceng.org.scope import person_of, region_q

from . import guards
from .errors import Invalid
from .models import (
    FINAL_STATUSES,
    LIVE_ASSIGNMENT,
    OPEN_STATUSES,
    Assignment,
    Case,
    Category,
    Role,
    Status,
)


def visible_q(user) -> Q:
    """Cases in the caller's region, plus cases on which the caller's unit has a part."""
    q = region_q(user, "region")
    person = person_of(user)
    if person is not None:
        ids = (person.home_unit_id, person.managing_unit_id)
        units = {u for u in ids if u is not None}
        if units:
            q |= Q(Exists(Assignment.objects.filter(case=OuterRef("pk"), unit_id__in=units)))
    return q


def cases_for(user, **filters) -> QuerySet[Case]:
    qs = Case.objects.filter(visible_q(user)).select_related(
        "category", "township", "region", "lead_unit", "route_unit"
    )
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status__in=str(status).split(","))
    if filters.get("category"):
        qs = qs.filter(category__code__startswith=filters["category"])
    if filters.get("region"):
        qs = qs.filter(region__code__startswith=filters["region"])
    if filters.get("unit"):
        qs = qs.filter(lead_unit_id=filters["unit"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("category_source"):  # "classifier": the cases smart dispatch sent by itself
        qs = qs.filter(category_source=filters["category_source"])
    if filters.get("since"):
        qs = qs.filter(reported_at__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(reported_at__lt=filters["until"])
    if filters.get("q"):
        qs = qs.filter(Q(code__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
    return qs.order_by("-reported_at", "-id")


def list_filters(params) -> dict:
    """The case list's filters from its query string, shared by the list and its Excel export."""
    return {
        "status": params.get("status") or "open",
        "category": params.get("category"),
        # only what smart dispatch sent by itself, to review it
        "category_source": "classifier" if params.get("auto") == "1" else None,
        "q": params.get("q"),
    }


def case_get_for(user, code: str) -> Case:
    case = cases_for(user).filter(code=code).first()
    if case is None:
        raise Http404("未找到该案件，或不在您的管辖范围内")
    return case


def case_for_reporter(code: str, secret: str) -> Case:
    """A reporter's view by code + tracking secret; a merged case shows the surviving one."""
    case = Case.objects.select_related("category", "merged_into").filter(code=code).first()
    if case is None or not case.secret_matches(secret):
        raise Http404("案件编号或查询码不正确")
    return case


def surviving(case: Case) -> Case:
    seen = set()
    while case.merged_into_id and case.pk not in seen:
        seen.add(case.pk)
        case = Case.objects.select_related("category").get(pk=case.merged_into_id)
    return case


def triage_queue(user) -> QuerySet[Case]:
    """The dispatcher's queue: reported (or returned) cases waiting for 立案/派遣, most urgent first."""
    return (
        cases_for(user)
        .filter(status__in=[Status.REPORTED, Status.REGISTERED])
        .order_by("priority", "due_at", "id")
    )


def duplicates_of(case: Case) -> list[Case]:
    return list(Case.objects.filter(pk__in=case.duplicate_candidates).select_related("category"))


def timeline(case: Case):
    return case.events.select_related("unit").order_by("seq")


def assignments_of(case: Case):
    return case.assignments.select_related("unit").order_by("role", "id")


# What a reporter may pick from; the hotline adds citizens' requests (市民诉求, kind "request").
PICK_KINDS = ("matter", "dispute", "emergency")


def categories_for_pick(kinds=PICK_KINDS) -> QuerySet[Category]:
    return Category.objects.filter(active=True, kind__in=kinds).order_by("code")


def training_rows_from_cases() -> Iterator[tuple[str, str]]:
    """(text, category code) of closed cases with their final category: the classifier's data."""
    qs = Case.objects.filter(status__in=FINAL_STATUSES, category__isnull=False)
    yield from qs.values_list("description", "category__code").iterator(chunk_size=2000)


def unit_in_reach(case: Case, unit_id) -> Unit:
    """A unit the dispatcher picked for the case (派遣, 吹哨): one of the case's county."""
    pk = int_or_none(unit_id)
    county = case.township.code[:6]
    unit = (
        None if pk is None else Unit.objects.filter(pk=pk, region__code__startswith=county).first()
    )
    if unit is None:
        raise Invalid(f"所选单位不在本县区（编号 {unit_id}），请重新选择")
    return unit


# The case page's actions that are one step of the case's state machine (template name → step).
CASE_STEPS = {
    "reject": "reject",
    "accept": "accept",
    "return": "give_back",
    "handle": "handle",
    "verify": "verify",
    "hold": "hold",
    "resume": "resume",
    "close": "close",
}


def allowed_actions(case: Case, user) -> set[str]:
    """The actions of the case page the caller may take now, so a phone shows only those.

    Each action still checks again when posted; a step's hidden conditions (every part done
    before closing, a dispute mediated, its 回访 done) are left to that check, which says what is
    missing.
    """
    from .actions._common import refusal
    from .actions.whistle import WHISTLE_STATUSES

    # a step whose conditions are not met yet (every part done, a dispute mediated, 回访 done) is
    # still offered: taking it says what is missing
    can = {
        name
        for name, step in CASE_STEPS.items()
        if refusal(case, step, user, conditions=False) is None
    }
    sorting = "register" if case.status == Status.REPORTED else "dispatch"
    if case.status in (Status.REPORTED, Status.REGISTERED) and refusal(case, sorting, user) is None:
        can |= {"category", "register_dispatch"}
    if case.status == Status.REPORTED and guards.verifier(case, user):
        can.add("site_check")
    desk = guards.township_desk(case, user)
    if case.status in WHISTLE_STATUSES and desk:
        can.add("whistle")
    parts = list(case.assignments.all())
    mine = [a for a in parts if guards.unit_member(user, a.unit_id)]
    for a in mine:
        if a.state not in LIVE_ASSIGNMENT:
            continue
        if a.role == Role.ASSIST:
            can.add("assist_done" if a.accepted_at else "report_in")
        if case.status == Status.ACCEPTED:
            can.add("extension")
    asked = any(a.extension_state == "requested" and a.state in LIVE_ASSIGNMENT for a in parts)
    if asked and guards.leader(case, user):
        can.add("decide_extension")
    if desk or mine:
        can |= {"attach", "follow_up"}
        if case.status in OPEN_STATUSES:
            can.add("mediation")
    return can
