"""Scope registrations for the powers routes."""

from jiceng.org.models import Region
from jiceng.powers.actions import readiness_set
from jiceng.powers.selectors import delegations_to
from tests.conftest import user
from tests.scope_registry import public, scope_check

# The public list, an item's history and the holder answer are open to everyone; the import page
# shows nothing of any township (and refuses all but county and platform admins); the POST-only
# endpoints check scope in their actions (tests/powers/test_api.py).
public(
    "powers/",
    "powers/export.xlsx",
    "powers/items/<str:code>/",
    "powers/import/",
    "api/v1/powers/holder",
    "api/v1/powers/held",
    "api/v1/powers/items/<code>",
    "api/v1/powers/delegations",
    "api/v1/powers/delegations/<pk>/revoke",
    "api/v1/powers/readiness",
    "api/v1/powers/import",
)

BOARD_MARKER = "柯岩街道接不住测试说明"


@scope_check("powers/gaps/")
def _gaps(db):
    return "/powers/gaps/?region=330603002&on=2024-01-01", None


@scope_check("powers/gaps/export.xlsx")
def _gaps_export(db):
    return "/powers/gaps/export.xlsx?region=330603002&on=2024-01-01", None


@scope_check("api/v1/powers/gaps")
def _api_gaps(db):
    return "/api/v1/powers/gaps?region=330603002&on=2024-01-01", None


@scope_check("powers/readiness/<str:region>/")
def _readiness(db):
    return "/powers/readiness/330603002/", None


@scope_check("powers/readiness/<str:region>/<str:code>/")
def _readiness_edit(db):
    return "/powers/readiness/330603002/JC-CF-002/", None


@scope_check("powers/readiness/board/")
def _board(db):
    import datetime as dt

    street = Region.objects.get(code="330603002")
    delegation = delegations_to(street, dt.date.today()).get(power__code="JC-CF-002")
    readiness_set(
        by=user("handler_ky"),
        township=street,
        delegation=delegation,
        status="needs_support",
        note=BOARD_MARKER,
    )
    return "/powers/readiness/board/", BOARD_MARKER
