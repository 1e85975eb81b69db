"""Every write of the case loop; views, API, commands and jobs call only these functions."""

from .escalation import sweep_overdue
from .flow import (
    assignment_for_member,
    case_accept,
    case_attach,
    case_close,
    case_dispatch,
    case_handle,
    case_hold,
    case_merge,
    case_rate,
    case_register,
    case_reject,
    case_resume,
    case_return,
    case_set_category,
    case_site_check,
    case_verify,
)
from .intake import Report, case_report
from .whistle import (
    assignment_decide_extension,
    assignment_finish,
    assignment_report_in,
    assignment_request_extension,
    case_add_mediation,
    case_whistle,
)

__all__ = [
    "Report",
    "assignment_decide_extension",
    "assignment_finish",
    "assignment_for_member",
    "assignment_report_in",
    "assignment_request_extension",
    "case_accept",
    "case_add_mediation",
    "case_attach",
    "case_close",
    "case_dispatch",
    "case_handle",
    "case_hold",
    "case_merge",
    "case_rate",
    "case_register",
    "case_reject",
    "case_resume",
    "case_return",
    "case_report",
    "case_set_category",
    "case_site_check",
    "case_verify",
    "case_whistle",
    "sweep_overdue",
]
