"""Scope registrations for the outreach routes: township A's rules, residents and imports stay
invisible (404) to staff of township B. The POST-only API endpoints check scope through the same
selectors; tests/outreach/test_api.py shows B gets 404 there."""

import json
from urllib.parse import urlencode

from django.core.files.base import ContentFile

from jiceng.org.models import Region
from jiceng.outreach.actions import rule_save
from jiceng.outreach.demo import AGE80_RULE
from jiceng.outreach.models import ImportJob, Rule
from tests.conftest import user
from tests.outreach import factories as f
from tests.scope_registry import public, scope_check

public("api/v1/outreach/preview", "api/v1/outreach/rules/<pk>/run")

RULE_A = "柯岩街道范围测试规则"
KEYAN = "330603002"


def _community_a() -> Region:
    return Region.objects.filter(code__startswith=KEYAN, level="community").order_by("code").first()


def _rule_a() -> Rule:
    existing = Rule.objects.filter(name=RULE_A).first()
    if existing:
        return existing
    spec = {**AGE80_RULE, "name": RULE_A}
    return rule_save(by=user("dispatcher_ky"), activate=True, region=_community_a(), **spec)


def _resident_a():
    return f.resident("柯岩居民", community=_community_a().code)


@scope_check("outreach/")
def _index(db):
    _rule_a()
    return "/outreach/", RULE_A


@scope_check("outreach/rules/new/")
def _rule_new(db):
    return "/outreach/rules/new/", f"（{KEYAN}）"


@scope_check("outreach/rules/preview/")
def _preview(db):
    condition = json.dumps({"field": "birth_date", "op": "age_ge", "value": 80})
    region = _community_a().pk
    query = urlencode(
        {"subject": "resident", "region": region, "mode": "json", "condition_json": condition}
    )
    return f"/outreach/rules/preview/?{query}", None


@scope_check("outreach/rules/<int:pk>/")
def _rule(db):
    return f"/outreach/rules/{_rule_a().pk}/", None


@scope_check("outreach/rules/<int:pk>/do/")
def _rule_do(db):
    return f"/outreach/rules/{_rule_a().pk}/do/", None


@scope_check("outreach/rules/<int:pk>/matches.csv")
def _rule_export(db):
    return f"/outreach/rules/{_rule_a().pk}/matches.csv", None


@scope_check("outreach/subjects/<str:subject>/<int:pk>/")
def _subject(db):
    return f"/outreach/subjects/resident/{_resident_a().pk}/", None


def _job_a() -> ImportJob:
    job = ImportJob(
        kind="residents",
        filename="柯岩街道居民范围测试.csv",
        sha256="0" * 64,
        region=Region.objects.get(code=KEYAN),
        state="done",
    )
    job.file.save("scope.csv", ContentFile(b"x"), save=False)
    job.save()
    return job


@scope_check("outreach/imports/")
def _imports(db):
    _job_a()
    return "/outreach/imports/", "柯岩街道居民范围测试.csv"


@scope_check("outreach/imports/<int:pk>/")
def _import(db):
    return f"/outreach/imports/{_job_a().pk}/", None


@scope_check("outreach/residents/")
def _residents(db):
    return "/outreach/residents/", _resident_a().id_masked


@scope_check("api/v1/outreach/rules")
def _api_rules(db):
    _rule_a()
    return "/api/v1/outreach/rules", RULE_A


@scope_check("api/v1/outreach/rules/<pk>")
def _api_rule(db):
    return f"/api/v1/outreach/rules/{_rule_a().pk}", None


@scope_check("api/v1/outreach/rules/<pk>/runs")
def _api_runs(db):
    return f"/api/v1/outreach/rules/{_rule_a().pk}/runs", None
