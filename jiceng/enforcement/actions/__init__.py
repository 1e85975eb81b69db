"""Every write of the penalty procedure: open (立案), each step, district approval, 听证,
法制审核, evidence; and the amount thresholds (thresholds.py) a province or county sets.

Each function locks the case, asks selectors.refusal whether the state, the caller and the
conditions allow the step, changes it, and writes the step history and the audit row in the
same transaction: a refused step leaves nothing behind. Messages to the caller go through
gettext; what is recorded (step notes, the holder explanation, inbox subjects) stays in Chinese,
whatever the language of the person who took the step: it is the file of the case.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from ..errors import Invalid
from ..models import PenaltyCase
from .evidence import EVIDENCE_FIELDS, evidence_add
from .hearings import (
    penaltycase_hearing_hold,
    penaltycase_hearing_notice,
    penaltycase_hearing_report,
    penaltycase_hearing_request,
    penaltycase_hearing_withdraw,
    penaltycase_record_statement,
)
from .onspot import penaltycase_decide_on_spot, penaltycase_file_summary
from .opening import Route, penalty_route, penaltycase_open, penaltycase_open_from_case
from .overdue import sweep_overdue
from .payment import (
    penaltycase_defer_payment,
    penaltycase_execute,
    penaltycase_hand_in,
    penaltycase_pay_instalment,
)
from .reviews import penaltycase_legal_review, penaltycase_mark_major
from .steps import (
    penaltycase_approve,
    penaltycase_cancel,
    penaltycase_close,
    penaltycase_decide,
    penaltycase_extend,
    penaltycase_investigate,
    penaltycase_no_penalty,
    penaltycase_notify,
    penaltycase_order_stop,
    penaltycase_reject,
    penaltycase_serve,
    penaltycase_submit,
)
from .thresholds import threshold_add, threshold_end, thresholds_ensure_defaults

__all__ = [
    "EVIDENCE_FIELDS",
    "STEP_FORMS",
    "Route",
    "evidence_add",
    "penalty_route",
    "sweep_overdue",
    "penaltycase_approve",
    "penaltycase_cancel",
    "penaltycase_close",
    "penaltycase_decide",
    "penaltycase_decide_on_spot",
    "penaltycase_defer_payment",
    "penaltycase_execute",
    "penaltycase_extend",
    "penaltycase_file_summary",
    "penaltycase_hand_in",
    "penaltycase_hearing_hold",
    "penaltycase_hearing_notice",
    "penaltycase_hearing_report",
    "penaltycase_hearing_request",
    "penaltycase_hearing_withdraw",
    "penaltycase_investigate",
    "penaltycase_legal_review",
    "penaltycase_mark_major",
    "penaltycase_no_penalty",
    "penaltycase_notify",
    "penaltycase_open",
    "penaltycase_open_from_case",
    "penaltycase_record_statement",
    "penaltycase_order_stop",
    "penaltycase_pay_instalment",
    "penaltycase_reject",
    "penaltycase_serve",
    "penaltycase_step",
    "penaltycase_submit",
    "threshold_add",
    "threshold_end",
    "thresholds_ensure_defaults",
]

_NOTE = {"note": "note"}
# 听证笔录 (举行听证): the form fields, each the action's argument of that name.
HEARING_RECORD_FIELDS = (
    "clerk",
    "presenters",
    "members",
    "interpreter",
    "party_present",
    "case_presented",
    "defence",
    "final_statement",
    "signature",
    "signature_note",
)
# 缴纳罚款 at 执行: the form fields, each the action's argument of that name.
PAYMENT_FIELDS = (
    "method",
    "paid_amount",
    "paid_on",
    "receipt_number",
    "collectors",
    "reason",
    "party_asked",
    "ashore_on",
    "surcharge_waived",
    "waiver_basis",
)
_PENALTY = {
    "kinds": "kinds",
    "fine_amount": "fine_amount",
    "confiscation_value": "confiscation_value",
}
STEP_FORMS: dict[str, tuple[Callable[..., PenaltyCase], dict[str, str]]] = {
    "order_stop": (penaltycase_order_stop, _NOTE),
    "investigate": (penaltycase_investigate, _NOTE),
    "notify": (penaltycase_notify, {**_NOTE, **_PENALTY, "hearing_offered": "hearing_offered"}),
    "statement": (penaltycase_record_statement, {"note": "statement", "at": "at"}),
    "hearing_request": (penaltycase_hearing_request, {**_NOTE, "at": "at"}),
    "hearing_notice": (
        penaltycase_hearing_notice,
        {**_NOTE, "at": "at", "host": "chair", "place": "place", "served_on": "served_on"},
    ),
    "hearing_hold": (
        penaltycase_hearing_hold,
        {
            **_NOTE,
            "at": "at",
            "host": "host",
            **{f: f for f in HEARING_RECORD_FIELDS},
        },
    ),
    "hearing_report": (
        penaltycase_hearing_report,
        {"facts": "facts", "law": "law", "proposal": "penalty"},
    ),
    "hearing_withdraw": (penaltycase_hearing_withdraw, _NOTE),
    "extend": (penaltycase_extend, {"note": "reason", "due_on": "due_on"}),
    "mark_major": (penaltycase_mark_major, {**_NOTE, "ground": "ground"}),
    "legal_review": (penaltycase_legal_review, {"note": "opinion", "result": "result"}),
    "submit": (penaltycase_submit, _NOTE),
    "approve": (penaltycase_approve, _NOTE),
    "reject": (penaltycase_reject, {"note": "reason"}),
    "decide": (penaltycase_decide, {"note": "decision", **_PENALTY, "waived": "waived"}),
    "no_penalty": (penaltycase_no_penalty, {**_NOTE, "ground": "ground", "kinds": "kinds"}),
    "cancel": (penaltycase_cancel, {"note": "reason", "ground": "ground"}),
    "serve": (penaltycase_serve, _NOTE),
    "execute": (penaltycase_execute, {**_NOTE, **{f: f for f in PAYMENT_FIELDS}}),
    "defer_payment": (
        penaltycase_defer_payment,
        {
            **_NOTE,
            "kind": "kind",
            "applied_on": "applied_on",
            "reason": "reason",
            "due_on": "due_on",
            "schedule": "schedule",
        },
    ),
    "pay_instalment": (
        penaltycase_pay_instalment,
        {
            **_NOTE,
            **{f: f for f in ("method", "paid_amount", "paid_on", "receipt_number")},
        },
    ),
    "hand_in": (
        penaltycase_hand_in,
        {**_NOTE, "handed_in_on": "handed_in_on", "handed_to": "handed_to"},
    ),
    "close": (penaltycase_close, _NOTE),
    "file_summary": (penaltycase_file_summary, _NOTE),
}


def penaltycase_step(
    *, penalty_case: PenaltyCase, name: str, form: Mapping[str, Any], by
) -> PenaltyCase:
    """One step by name (the pages' and the API's buttons), with the fields of its form."""
    if name not in STEP_FORMS:
        raise Invalid(_("未知的执法环节「%(name)s」") % {"name": name})
    action, fields = STEP_FORMS[name]
    args = {arg: form[key] for key, arg in fields.items() if key in form}
    return action(penalty_case=penalty_case, by=by, **args)
