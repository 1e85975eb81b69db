"""JSON API for outreach: rules, the live count of a condition, runs on demand, run history."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from . import actions, selectors
from .conditions import ConditionError
from .models import Rule
from .screening import matches

router = Router(tags=["outreach 主动服务"])


class RuleOut(Schema):
    id: int
    name: str
    subject: str
    region: str
    condition: dict
    active: bool
    test_results: list


class PreviewIn(Schema):
    subject: str
    region: str
    condition: dict


class CountOut(Schema):
    count: int


class RunOut(Schema):
    id: int
    started_at: dt.datetime
    matched: int
    opened: int
    closed: int
    unassigned: int
    duration_ms: int
    trigger: str


def _out(rule: Rule) -> dict:
    return {
        "id": rule.pk,
        "name": rule.name,
        "subject": rule.subject,
        "region": rule.region.code,
        "condition": rule.condition,
        "active": rule.active,
        "test_results": rule.test_results,
    }


@router.get("/rules", response=list[RuleOut])
def rules(request):
    return [_out(r) for r in selectors.rules_for(request.user)]


@router.get("/rules/{pk}", response=RuleOut)
def rule(request, pk: int):
    return _out(selectors.rule_get_for(request.user, pk))


@router.post("/preview", response=CountOut)
def preview(request, body: PreviewIn):
    """How many subjects a condition matches now, in a region of the caller's scope."""
    region = selectors.writable_regions(request.user).filter(code=body.region).first()
    if region is None:
        raise Http404("未找到，或不在您的管辖范围内")
    draft = Rule(subject=body.subject, region=region, condition=body.condition)
    try:
        return {"count": matches(draft).count()}
    except (ConditionError, ValueError) as exc:
        raise HttpError(400, str(exc)) from None


@router.post("/rules/{pk}/run", response=RunOut)
def run(request, pk: int):
    rule = selectors.rule_get_for(request.user, pk)
    try:
        return actions.rule_run(rule=rule, by=request.user)
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from None


@router.get("/rules/{pk}/runs", response=list[RunOut])
def runs(request, pk: int):
    return selectors.runs_of(selectors.rule_get_for(request.user, pk))
