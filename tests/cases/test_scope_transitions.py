"""Every transition endpoint answers 404 to another township's staff and changes nothing."""

import pytest

from jiceng.cases.models import Case

from .scope import keyan_case

pytestmark = pytest.mark.django_db
STEPS = [
    "register",
    "reject",
    "merge",
    "category",
    "site-check",
    "dispatch",
    "accept",
    "return",
    "handle",
    "close",
    "hold",
    "resume",
    "whistle",
    "report-in",
    "assist-done",
    "extension",
    "extension/decide",
    "mediation",
    "mediation/1/follow-up",
]


@pytest.mark.parametrize("step", STEPS)
def test_other_township_gets_404_on_every_step(persona, step):
    case = keyan_case()
    r = persona("staff_b").post(
        f"/api/v1/cases/{case.code}/{step}", {}, content_type="application/json"
    )
    assert r.status_code in (404, 422)  # 422 only when the body is checked before the lookup
    if r.status_code == 422:
        body = _minimal(step)
        r = persona("staff_b").post(
            f"/api/v1/cases/{case.code}/{step}", body, content_type="application/json"
        )
        assert r.status_code == 404
    assert Case.objects.get(pk=case.pk).version == case.version


def _minimal(step):
    return {
        "reject": {"reason": "x"},
        "return": {"reason": "x"},
        "hold": {"reason": "x"},
        "merge": {"into": "x"},
        "category": {"category_code": "M06010"},
        "site-check": {"ok": True},
        "handle": {"result": "x"},
        "whistle": {"unit_ids": [1], "message": "x"},
        "assist-done": {"result": "x"},
        "extension": {"until": "2030-01-01T00:00:00+08:00", "reason": "x"},
        "extension/decide": {"approve": True},
        "mediation": {"mediator": "x", "parties": "x", "content": "x", "outcome": "x"},
        "mediation/1/follow-up": {"result": "x"},
    }.get(step, {})
