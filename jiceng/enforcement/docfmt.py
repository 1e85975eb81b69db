"""How the record is written in a document (执法文书): dates and moments in Chinese, amounts,
the names of the kinds, the evidence list. Shared by documents.py and hearing_documents.py."""

from django.utils import timezone

from jiceng.core.docfmt import cn_date

from . import thresholds
from .models import PenaltyCase, PenaltyKind, PenaltyStep


def cn_moment(moment) -> str | None:
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return f"{cn_date(local)}{local:%H时%M分}"


def yuan(amount) -> str | None:
    return f"人民币{thresholds.yuan(amount)}元" if amount is not None else None


# In a document an order is named as such, without the page's "（非行政处罚）".
ORDER_NAMES = {PenaltyKind.ORDER_CORRECT: "责令改正", PenaltyKind.ORDER_DEMOLISH: "责令限期拆除"}


def labels(kinds) -> str | None:
    names = {**dict(PenaltyKind.choices), **ORDER_NAMES}
    return "、".join(str(names.get(k, k)) for k in kinds) or None


def latest(steps: list[PenaltyStep], name: str) -> PenaltyStep | None:
    found = [s for s in steps if s.step == name]
    return found[-1] if found else None


def evidence(pc: PenaltyCase) -> list[dict]:
    rows = pc.evidence.select_related("captured_by").order_by("captured_at", "id")
    return [
        {
            "name": e.name,
            "sha": e.sha256[:16],
            "by": e.captured_by.name,
            "at": cn_moment(e.captured_at),
            "device": e.device or None,
        }
        for e in rows
    ]
