"""Scope registrations for the assessment routes.

柯桥区's approved item assesses 柯岩街道, so 柯岩街道's staff see it; 盘江镇's staff (another county)
must not. POST-only steps check scope in their actions and are tested in tests/assessment/.
"""

from django.utils import timezone

from jiceng.assessment import actions
from jiceng.assessment.models import AssessmentItem, VetoAuthorization
from jiceng.org.models import Region, Unit
from tests.conftest import user
from tests.scope_registry import public, scope_check

ITEM = "范围测试考核事项A"


def _item():
    issuer, approver = user("assessor_kq").person, user("kaohe_kq").person
    item = actions.item_create(
        person=issuer,
        name=ITEM,
        year=timezone.localdate().year,
        target="township",
        indicators=[{"name": "范围测试指标", "points": 100}],
        by=None,
    )
    actions.item_submit(item=item, person=issuer, by=None)
    return actions.item_approve(item=item, person=approver, document="范围测试", by=None)


def _round():
    county = user("county_kq").person
    return actions.round_open(
        county=Region.objects.get(code="330603"),
        year=timezone.localdate().year,
        direction="up",
        person=county,
        by=None,
    )


# Forms and POST-only steps: the action refuses anyone outside the item's area (403/404 tested
# in test_items.py, test_api.py, test_evaluation.py); the new-item form shows no township's data.
# caps.xlsx is the caps page's table (selectors.caps_table), scoped like it: test_caps.py;
# summary.xlsx is the summary page's (selectors.year_summary): test_summary.py.
public(
    "assessment/new/",
    "assessment/<int:pk>/edit/",
    "assessment/<int:pk>/submit/",
    "assessment/<int:pk>/approve/",
    "assessment/<int:pk>/reject/",
    "assessment/<int:pk>/decompose/",
    "assessment/<int:pk>/inspect/",
    "assessment/caps/set/",
    "assessment/caps.xlsx",
    "assessment/summary.xlsx",
    "assessment/evaluations/<int:pk>/rate/",
    "assessment/evaluations/<int:pk>/close/",
    "api/v1/assessment/items/<pk>/submit",
    "api/v1/assessment/items/<pk>/approve",
    "api/v1/assessment/items/<pk>/reject",
    "api/v1/assessment/items/<pk>/decompose",
    "api/v1/assessment/rounds/<pk>/scores",
    "api/v1/assessment/rounds/<pk>/close",
    "api/v1/assessment/vetoes",
    "api/v1/assessment/vetoes/<pk>/end",
    "api/v1/assessment/inspections/<pk>/scores",
    "assessment/inspections/<int:pk>/score/",
    "assessment/<int:pk>/results/import/",
    "assessment/vetoes/<int:pk>/end/",
    # 复核: POST steps on an inspection, read through inspection_get_for (404 outside the area,
    # tested in test_appeals.py for both the page and the API)
    "assessment/inspections/<int:pk>/appeal/",
    "assessment/inspections/<int:pk>/appeal/decide/",
    "api/v1/assessment/inspections/<pk>/appeal",
    "api/v1/assessment/inspections/<pk>/appeal/decision",
    # 撤回复核 and 印发通报: POST steps read through inspection_get_for / item_get_for (404
    # outside the area: test_withdraw.py and test_notice.py, page and API)
    "assessment/inspections/<int:pk>/appeal/withdraw/",
    "api/v1/assessment/inspections/<pk>/appeal/withdraw",
    "assessment/<int:pk>/notice/",
    "api/v1/assessment/items/<pk>/notice",
)


@scope_check("assessment/")
def _index(db):
    _item()
    return "/assessment/", ITEM


@scope_check("assessment/<int:pk>/")
def _detail(db):
    return f"/assessment/{_item().pk}/", None


@scope_check("api/v1/assessment/items")
def _api_items(db):
    _item()
    return "/api/v1/assessment/items", ITEM


@scope_check("api/v1/assessment/items/<pk>")
def _api_item(db):
    return f"/api/v1/assessment/items/{_item().pk}", None


@scope_check("api/v1/assessment/items/<pk>/inspections")
def _api_inspections(db):
    return f"/api/v1/assessment/items/{_item().pk}/inspections", None


@scope_check("assessment/caps/")
def _caps(db):
    return "/assessment/caps/", "柯岩街道办事处"


@scope_check("api/v1/assessment/caps")
def _api_caps(db):
    return "/api/v1/assessment/caps", "柯岩街道办事处"


@scope_check("assessment/evaluations/")
def _rounds(db):
    return "/assessment/evaluations/", f'href="/assessment/evaluations/{_round().pk}/"'


@scope_check("assessment/evaluations/<int:pk>/")
def _round_detail(db):
    return f"/assessment/evaluations/{_round().pk}/", None


@scope_check("assessment/evaluations/<int:pk>/results.xlsx")
def _round_export(db):
    return f"/assessment/evaluations/{_round().pk}/results.xlsx", None


@scope_check("api/v1/assessment/rounds")
def _api_rounds(db):
    _round()
    return "/api/v1/assessment/rounds", '"county": "330603"'


@scope_check("api/v1/assessment/rounds/<pk>")
def _api_round(db):
    return f"/api/v1/assessment/rounds/{_round().pk}", None


def _inspection():
    issuer = user("assessor_kq").person
    (x,) = actions.inspections_record(
        item=_item(),
        person=issuer,
        units=[Unit.objects.get(name="柯岩街道办事处")],
        kind="check",
        on_date=timezone.localdate(),
        by=None,
    )
    return x


@scope_check("assessment/inspections/<int:pk>/")
def _inspection_page(db):
    return f"/assessment/inspections/{_inspection().pk}/", None


@scope_check("api/v1/assessment/inspections/<pk>")
def _api_inspection(db):
    return f"/api/v1/assessment/inspections/{_inspection().pk}", None


@scope_check("assessment/<int:pk>/results.xlsx")
def _results(db):
    _inspection()
    return f"/assessment/{_item_pk()}/results.xlsx", None


def _item_pk():
    return AssessmentItem.objects.get(name=ITEM).pk


@scope_check("assessment/vetoes/")
def _vetoes(db):
    """The authorisations are law and shown to all; the items relying on one are scoped."""
    issuer, approver = user("assessor_kq").person, user("kaohe_kq").person
    item = actions.item_create(
        person=issuer,
        name="范围测试一票否决事项",
        year=timezone.localdate().year,
        target="township",
        indicators=[{"name": "安全生产", "points": 100}],
        one_vote_veto=True,
        veto_authorization=VetoAuthorization.objects.get(matter="安全生产"),
        by=None,
    )
    actions.item_submit(item=item, person=issuer, by=None)
    actions.item_approve(item=item, person=approver, document="范围测试", by=None)
    return "/assessment/vetoes/", f'href="/assessment/{item.pk}/"'


@scope_check("assessment/<int:pk>/notice.xlsx")
def _notice(db):
    _inspection()
    return f"/assessment/{_item_pk()}/notice.xlsx", None


@scope_check("api/v1/assessment/items/<pk>/ranking")
def _api_ranking(db):
    _inspection()
    return f"/api/v1/assessment/items/{_item_pk()}/ranking", None


def _scored_and_issued():
    """The item, 柯岩街道 inspected and scored under it, and its 通报 issued."""
    item = _item()
    assessor = user("assessor_kq").person
    (x,) = actions.inspections_record(
        item=item,
        person=assessor,
        units=[Unit.objects.get(name="柯岩街道办事处")],
        kind="check",
        on_date=timezone.localdate(),
        by=None,
    )
    (indicator,) = item.indicators.all()
    scores = [{"indicator": indicator.pk, "score": "88"}]
    actions.inspection_score(inspection=x, person=assessor, scores=scores, by=None)
    actions.notice_issue(item=item, person=assessor, document="范围测试通报", by=None)
    return item


@scope_check("assessment/summary/")
def _summary(db):
    _scored_and_issued()
    return "/assessment/summary/", ITEM


@scope_check("assessment/<int:pk>/notice/document/")
def _notice_document(db):
    return f"/assessment/{_scored_and_issued().pk}/notice/document/", None
