"""Scope registrations for the case routes (tests/test_scope.py walks every URL pattern)."""

from jiceng.cases.actions import Report, case_report
from tests.scope_registry import public, scope_check

# Public: the report page and the intake API (anyone may report); tracking needs the case's
# secret (cases/track/ only redirects there once code and secret match); categories are the
# national directory; the patrol and hotline pages are forms that
# show no township's data, nor does the category suggestion while typing (cases/suggest/).
# POST-only transition endpoints fetch the case through the scoped
# selector first: tests/cases/test_scope_transitions.py checks the other township gets 404.
# The Excel export is checked in tests/cases/test_pages.py (binary, no text marker).
public(
    "cases/report/",
    "cases/track/",
    "cases/track/<str:code>/",
    "cases/patrol/",
    "cases/hotline/",
    "cases/suggest/",
    "cases/export.xlsx",
    "cases/<str:code>/act/<str:name>/",
    "api/v1/cases/categories",
    "api/v1/cases/<code>/track",
    "api/v1/cases/<code>/accept",
    "api/v1/cases/<code>/assist-done",
    "api/v1/cases/<code>/attachments",
    "api/v1/cases/<code>/category",
    "api/v1/cases/<code>/close",
    "api/v1/cases/<code>/dispatch",
    "api/v1/cases/<code>/extension",
    "api/v1/cases/<code>/extension/decide",
    "api/v1/cases/<code>/handle",
    "api/v1/cases/<code>/hold",
    "api/v1/cases/<code>/mediation",
    "api/v1/cases/<code>/mediation/<record>/follow-up",
    "api/v1/cases/<code>/merge",
    "api/v1/cases/<code>/rate",
    "api/v1/cases/<code>/register",
    "api/v1/cases/<code>/reject",
    "api/v1/cases/<code>/report-in",
    "api/v1/cases/<code>/resume",
    "api/v1/cases/<code>/return",
    "api/v1/cases/<code>/site-check",
    "api/v1/cases/<code>/verify",
    "api/v1/cases/<code>/whistle",
)


def keyan_case():
    from tests.cases.helpers import KEYAN, point_in

    lon, lat = point_in(KEYAN, None)
    case, _ = case_report(
        report=Report(description="范围测试：倾倒垃圾", lon=lon, lat=lat, category_code="M06010"),
        by=None,
    )
    return case


@scope_check("cases/<str:code>/")
def _detail(db):
    return f"/cases/{keyan_case().code}/", None


@scope_check("api/v1/cases/<code>")
def _api_detail(db):
    return f"/api/v1/cases/{keyan_case().code}", None


@scope_check("api/v1/cases/<code>/events")
def _api_events(db):
    return f"/api/v1/cases/{keyan_case().code}/events", None


@scope_check("cases/")
def _list(db):
    code = keyan_case().code
    return "/cases/?status=open", code


@scope_check("cases/queue/")
def _queue(db):
    code = keyan_case().code
    return "/cases/queue/", code


@scope_check("api/v1/cases")
def _api_list(db):
    code = keyan_case().code
    return "/api/v1/cases?status=open", code


@scope_check("api/v1/cases/queue")
def _api_queue(db):
    code = keyan_case().code
    return "/api/v1/cases/queue", code


@scope_check("cases/dashboard/")
def _dashboard(db):
    code = keyan_case().code
    return "/cases/dashboard/", code


@scope_check("cases/dashboard.json")
def _dashboard_json(db):
    code = keyan_case().code
    return "/cases/dashboard.json", code


@scope_check("api/v1/cases/indicators")
def _indicators(db):
    return "/api/v1/cases/indicators?start=2020-01-01&end=2030-01-01&region=330603002", "330603002"
