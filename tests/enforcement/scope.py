"""Scope registrations for the enforcement routes (tests/test_scope.py walks every URL pattern)."""

from tests.scope_registry import public, scope_check

from .helpers import KEYAN, add_evidence, open_case

# The 立案 page shows only the caller's own township's form (no other township's data). POST-only
# step and upload endpoints fetch the case through the scoped selector first:
# tests/enforcement/test_access.py checks that another township gets 404 there and nothing changes.
public(
    "enforcement/open/",
    "enforcement/<str:code>/act/<str:name>/",
    "enforcement/<str:code>/evidence/",
    "api/v1/enforcement/<code>/order-stop",
    "api/v1/enforcement/<code>/investigate",
    "api/v1/enforcement/<code>/notify",
    "api/v1/enforcement/<code>/statement",
    "api/v1/enforcement/<code>/submit",
    "api/v1/enforcement/<code>/approve",
    "api/v1/enforcement/<code>/reject",
    "api/v1/enforcement/<code>/decide",
    "api/v1/enforcement/<code>/no-penalty",
    "api/v1/enforcement/<code>/cancel",
    "api/v1/enforcement/<code>/mark-major",
    "api/v1/enforcement/<code>/extend",
    "api/v1/enforcement/<code>/hearing-request",
    "api/v1/enforcement/<code>/hearing-notice",
    "api/v1/enforcement/<code>/hearing-hold",
    "api/v1/enforcement/<code>/hearing-report",
    "api/v1/enforcement/<code>/hearing-withdraw",
    "api/v1/enforcement/<code>/legal-review",
    "api/v1/enforcement/<code>/serve",
    "api/v1/enforcement/<code>/execute",
    # 第七十一条 交款: POST only, through the scoped selector (test_hand_in.py: 404 elsewhere)
    "api/v1/enforcement/<code>/hand-in",
    # 第六十六条第二款: POST only, through the scoped selector (test_deferral.py: 404 elsewhere)
    "api/v1/enforcement/<code>/defer-payment",
    "api/v1/enforcement/<code>/pay-instalment",
    "api/v1/enforcement/<code>/close",
    "api/v1/enforcement/<code>/evidence",
    # 简易程序: 当场处罚 in the caller's own township (POST only), 备案 through the scoped selector
    # (tests/enforcement/test_on_spot.py: another township gets 404).
    "enforcement/on-spot/",
    "api/v1/enforcement/on-spot",
    "api/v1/enforcement/<code>/file-summary",
    # 金额标准: POST-only; the row is fetched through selectors.threshold_get_for first (another
    # province's row is a 404: tests/enforcement/test_thresholds.py). The .xlsx is binary (no text
    # marker): test_thresholds.py reads it and checks it holds the same rows as the page.
    "enforcement/thresholds/add/",
    "enforcement/thresholds/<int:pk>/end/",
    "enforcement/thresholds.xlsx",
    "api/v1/enforcement/thresholds/<pk>/end",
)
MARKER = "柯岩范围测试当事人"


def keyan_case():
    """A penalty case of 柯岩街道 on the dumping power it holds since 2020-01-01."""
    return open_case(township=KEYAN, power="JC-CF-002", by="handler_ky", party=MARKER)


@scope_check("enforcement/")
def _list(db):
    keyan_case()
    return "/enforcement/", MARKER


@scope_check("api/v1/enforcement/")
def _api_list(db):
    keyan_case()
    return "/api/v1/enforcement/", MARKER


@scope_check("enforcement/<str:code>/")
def _detail(db):
    return f"/enforcement/{keyan_case().code}/", None


@scope_check("api/v1/enforcement/<code>")
def _api_detail(db):
    return f"/api/v1/enforcement/{keyan_case().code}", None


@scope_check("enforcement/<str:code>/evidence/<int:pk>/")
def _evidence_file(db):
    pc = keyan_case()
    ev = add_evidence(pc, by="handler_ky", captured_by="handler_ky")
    return f"/enforcement/{pc.code}/evidence/{ev.pk}/", None


@scope_check("api/v1/enforcement/<code>/evidence/<pk>/verify")
def _evidence_verify(db):
    pc = keyan_case()
    ev = add_evidence(pc, by="handler_ky", captured_by="handler_ky")
    return f"/api/v1/enforcement/{pc.code}/evidence/{ev.pk}/verify", None


THRESHOLD_MARKER = "柯桥区金额标准范围测试"


def keyan_threshold():
    """A 柯桥区 row (the county 柯岩街道 is in), set by 柯桥区's administrator."""
    import datetime as dt

    from django.utils import timezone

    from jiceng.enforcement import actions
    from tests.conftest import user

    return actions.threshold_add(
        name="major_fine",
        party_kind="individual",
        amount="30000",
        region_code="330603",
        effective_from=timezone.localdate() + dt.timedelta(days=1),
        basis=THRESHOLD_MARKER,
        by=user("county_kq"),
    )


@scope_check("enforcement/thresholds/")
def _thresholds(db):
    keyan_threshold()
    return "/enforcement/thresholds/", THRESHOLD_MARKER


@scope_check("api/v1/enforcement/thresholds")
def _api_thresholds(db):
    keyan_threshold()
    return "/api/v1/enforcement/thresholds", THRESHOLD_MARKER


# 案件台账 (.xlsx, binary: no text marker): tests/enforcement/test_ledger.py reads it back and checks
# that 盘江镇's cases are not in 柯岩街道's ledger and the other way round.
public("enforcement/export.xlsx")


@scope_check("enforcement/<str:code>/documents/<str:kind>/")
def _document(db):
    return f"/enforcement/{keyan_case().code}/documents/filing/", None
