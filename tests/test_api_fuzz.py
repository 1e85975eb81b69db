"""No call a person can make gets a 500: every API operation in the OpenAPI schema is called
with what its schema allows and with what it refuses (schemathesis generates both), as people
of six roles, with made-up ids and with the ids of real records in several states.

Generation is derandomised, so a run is repeatable; a 500 fails the test with the call that
caused it. An operation with a path parameter this file cannot fill from a real record fails
too: add its pattern to REAL.
"""

import datetime as dt
import re
from collections.abc import Callable
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from jiceng.assessment.actions import round_open
from jiceng.assessment.models import (
    AssessmentItem,
    EvaluationRound,
    Inspection,
    VetoAuthorization,
)
from jiceng.cases.models import Case, MediationRecord
from jiceng.core.tokens import token_create
from jiceng.enforcement.models import AmountThreshold, Evidence, PenaltyCase
from jiceng.org.models import Unit
from jiceng.outreach.models import Rule
from jiceng.powers.models import Delegation, PowerItem
from jiceng.workload.datasets import DATASETS
from jiceng.workload.models import Task
from tests.assessment.helpers import appeal, approved, inspect, score
from tests.cases.helpers import KEYAN, PANJIANG, report
from tests.conftest import client_for, user
from tests.enforcement.helpers import WARNING, add_evidence, open_case

pytestmark = pytest.mark.django_db
PERSONAS = ("admin", "county_kq", "assessor_kq", "dispatcher_ky", "leader_ky", "captain_pj")
EXAMPLES = 3  # per operation, per generation mode, per set of path values
J = "application/json"


def _first(qs, n: int = 2) -> list:
    return list(qs.order_by("-pk")[:n])


def _one_per_state(model, field: str) -> list:
    """The newest record in each state (or status): a step is tried where it may apply."""
    seen: dict = {}
    for obj in model.objects.order_by("-pk")[:200]:
        seen.setdefault(getattr(obj, field), obj)
    return list(seen.values())


# Path pattern (first match wins) → the path values of real records to call it with.
REAL: list[tuple[str, Callable[[], list[dict]]]] = [
    (r"/org/regions/\{code\}", lambda: [{"code": c} for c in (KEYAN, PANJIANG, "330603")]),
    (r"/org/units/\{pk\}", lambda: [{"pk": u.pk} for u in _first(Unit.objects)]),
    (r"/workload/tasks/\{pk\}", lambda: [{"pk": t.pk} for t in _first(Task.objects, 3)]),
    (r"/workload/data/\{key\}", lambda: [{"key": k} for k in DATASETS]),
    (r"/powers/items/\{code\}", lambda: [{"code": p.code} for p in _first(PowerItem.objects)]),
    (r"/powers/delegations/\{pk\}", lambda: [{"pk": d.pk} for d in _first(Delegation.objects)]),
    (
        r"/cases/\{code\}/mediation/\{record\}",
        lambda: [{"code": m.case.code, "record": m.pk} for m in _first(MediationRecord.objects)],
    ),
    (r"/cases/\{code\}", lambda: [{"code": c.code} for c in _one_per_state(Case, "status")]),
    (r"/outreach/rules/\{pk\}", lambda: [{"pk": r.pk} for r in _first(Rule.objects)]),
    (
        r"/enforcement/thresholds/\{pk\}",
        lambda: [{"pk": t.pk} for t in _first(AmountThreshold.objects)],
    ),
    (
        r"/enforcement/\{code\}/evidence/\{pk\}",
        lambda: [{"code": e.penalty_case.code, "pk": e.pk} for e in _first(Evidence.objects)],
    ),
    (
        r"/enforcement/\{code\}",
        lambda: [{"code": p.code} for p in _one_per_state(PenaltyCase, "state")],
    ),
    (
        r"/assessment/items/\{pk\}",
        lambda: [{"pk": i.pk} for i in _first(AssessmentItem.objects, 3)],
    ),
    (r"/assessment/inspections/\{pk\}", lambda: [{"pk": i.pk} for i in _first(Inspection.objects)]),
    (
        r"/assessment/vetoes/\{pk\}",
        lambda: [{"pk": v.pk} for v in _first(VetoAuthorization.objects)],
    ),
    (r"/assessment/rounds/\{pk\}", lambda: [{"pk": r.pk} for r in _first(EvaluationRound.objects)]),
]


def _records() -> None:
    """A few records beyond the demo's, in different states, for the calls to act on."""
    grid = client_for("grid_ky")
    codes = [report(grid, text="有人倾倒垃圾", k=k).json()["code"] for k in range(3)]
    dispatcher = client_for("dispatcher_ky")
    for code in codes[1:]:
        if Case.objects.get(code=code).status == "reported":
            dispatcher.post(f"/api/v1/cases/{code}/register", {}, content_type=J)
    dispute = report(grid, category="D01", text="邻里因排水沟发生争吵", k=3).json()["code"]
    dispatcher.post(f"/api/v1/cases/{dispute}/register", {}, content_type=J)
    visit = str(timezone.localdate() + dt.timedelta(days=7))
    body = {"mediator": "王", "parties": "张、李", "content": "调解", "outcome": "达成协议"}
    dispatcher.post(f"/api/v1/cases/{dispute}/mediation", {**body, "follow_up_at": visit}, J)
    pc = open_case()
    add_evidence(pc)
    notified = open_case(party="另一当事人")
    add_evidence(notified)
    client_for("captain_pj").post(f"/api/v1/enforcement/{notified.code}/notify", WARNING, J)
    (inspection,) = inspect(approved(), "柯岩街道办事处")
    score(inspection, 50, 35)
    (appealed,) = inspect(approved(name="安全生产考核"), "柯岩街道办事处")
    score(appealed, 40, 30)
    appeal(appealed)
    county = user("county_kq").person
    year = timezone.localdate().year
    round_open(county=county.region, year=year, direction="up", person=county, by=county.user)


def _path_values(path: str) -> list[dict]:
    for pattern, values in REAL:
        if re.search(pattern, path):
            found = values()
            assert found, f"no real record for {path}"
            return found
    raise AssertionError(f"{path}: add a pattern to REAL so it is called on real records")


@contextmanager
def _on_this_connection():
    """Requests to the WSGI app run in this thread, in the test's own transaction: as Django's
    test client does around each request, the per-request connection clean-up is held off
    (the test client connects it again after each of its own requests, so hold it off last)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", PERSONAS)
def test_no_call_gets_a_server_error(who):
    _records()
    _, raw = token_create(user=user(who), name="fuzz", by=None)
    with _on_this_connection():
        calls, failures = _call_everything(f"Bearer {raw}")
    assert calls > 1000
    assert not failures, "\n".join(failures)


def _call_everything(authorization: str) -> tuple[int, list[str]]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": authorization}
    failures: list[str] = []
    calls = 0

    def run(op, mode: GenerationMode, path_parameters: dict | None) -> None:
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=op.as_strategy(mode, path_parameters=path_parameters))
        def call(case):
            nonlocal calls
            calls += 1
            r = case.call(headers=headers)
            if r.status_code >= 500:
                failures.append(
                    f"{r.status_code} {case.method} {case.formatted_path} query={case.query} "
                    f"body={'' if isinstance(case.body, NotSet) else str(case.body)[:300]}"
                )

        try:
            call()
        except Unsatisfiable:
            # nothing of the call is left to get wrong: e.g. the negative mode of an operation
            # whose only parameters are the path values given
            assert mode is GenerationMode.NEGATIVE, op.label

    for result in schema.get_all_operations():
        op = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(op, mode, None)
            if "{" in op.path:
                for values in _path_values(op.path):
                    run(op, mode, values)
    return calls, failures
