"""What a decision imposes: the kinds of penalty (《行政处罚法》第九条) with the orders that go
with them, the fine and the value confiscated; read from a form or a request and checked before
anything is written."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import Invalid
from .models import CONFISCATIONS, ORDERS, PenaltyKind

MAX_YUAN = Decimal("999999999999.99")  # what the amount columns hold


@dataclass(frozen=True)
class Penalty:
    kinds: tuple[str, ...]
    fine: Decimal | None = None
    confiscation: Decimal | None = None

    def has(self, *kinds: str) -> bool:
        return any(k in self.kinds for k in kinds)

    def data(self) -> dict:
        """For the step history (JSON): amounts as strings, exact."""
        return {
            "penalty_kinds": list(self.kinds),
            "fine_amount": str(self.fine) if self.fine is not None else None,
            "confiscation_value": str(self.confiscation) if self.confiscation is not None else None,
        }


def yuan_parse(raw, what: str) -> Decimal | None:
    """An amount in yuan as typed (None when left empty), or Invalid: > 0, to the fen."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        amount = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0 or amount > MAX_YUAN:
        raise Invalid(_("%(what)s须为大于0的金额（元）") % {"what": what})
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(_("%(what)s最多精确到分") % {"what": what})
    return amount.quantize(Decimal("0.01"))


def penalty_parse(
    kinds: Iterable[str], fine=None, confiscation=None, *, power_type: str
) -> Penalty:
    """The penalty as asked, or Invalid: known kinds; a fine needs its amount and an amount needs
    a fine; the same for what is confiscated; a penalty power's decision imposes at least one
    penalty of 第九条 (the orders alone are not a 行政处罚决定)."""
    chosen = tuple(dict.fromkeys(k.strip() for k in kinds if k and k.strip()))
    unknown = [k for k in chosen if k not in PenaltyKind.values]
    if unknown:
        raise Invalid(_("未知的处罚种类「%(kind)s」") % {"kind": unknown[0]})
    if not chosen:
        raise Invalid(_("请选择处罚种类"))
    if power_type == "penalty" and all(k in ORDERS for k in chosen):
        raise Invalid(
            _("责令改正、责令限期拆除不是行政处罚：请至少选择一种《行政处罚法》第九条规定的处罚")
        )
    penalty = Penalty(
        chosen, yuan_parse(fine, _("罚款金额")), yuan_parse(confiscation, _("没收数额或价值"))
    )
    if penalty.has(PenaltyKind.FINE) and penalty.fine is None:
        raise Invalid(_("处以罚款的，请填写罚款金额"))
    if penalty.fine is not None and not penalty.has(PenaltyKind.FINE):
        raise Invalid(_("未选择罚款，不能填写罚款金额"))
    if penalty.has(*CONFISCATIONS) and penalty.confiscation is None:
        raise Invalid(_("没收违法所得或非法财物的，请填写没收数额或价值"))
    if penalty.confiscation is not None and not penalty.has(*CONFISCATIONS):
        raise Invalid(_("未选择没收，不能填写没收数额或价值"))
    return penalty


def orders_parse(kinds: Iterable[str]) -> tuple[str, ...]:
    """The orders that go with a 不予处罚 decision (第二十八条): orders only, no penalty."""
    chosen = tuple(dict.fromkeys(k.strip() for k in kinds if k and k.strip()))
    wrong = [k for k in chosen if k not in ORDERS]
    if wrong:
        raise Invalid(
            _("不予处罚决定只能同时责令改正或责令限期拆除，不能有「%(kind)s」") % {"kind": wrong[0]}
        )
    return chosen


def notified(pc) -> Penalty | None:
    """What the latest 告知 intended (None for a notice recorded before its content was kept)."""
    if not pc.notified_kinds:
        return None
    return Penalty(tuple(pc.notified_kinds), pc.notified_fine, pc.notified_confiscation)


def heavier(decided: Penalty, intended: Penalty) -> list[str]:
    """How a decision is heavier than the notice (《行政处罚法》第四十五条): a penalty of 第九条
    not notified, a higher fine, a higher value confiscated. The orders (责令改正, 责令限期拆除)
    are not penalties and are not compared. Empty when lighter or equal."""
    names = dict(PenaltyKind.choices)
    out = [
        _("「%(kind)s」未经告知") % {"kind": names[k]}
        for k in decided.kinds
        if k not in ORDERS and k not in intended.kinds
    ]
    for what, now, before in (
        (_("罚款"), decided.fine, intended.fine),
        (_("没收数额或价值"), decided.confiscation, intended.confiscation),
    ):
        if now is not None and before is not None and now > before:
            out.append(
                _("%(what)s%(now)s元高于告知的%(before)s元")
                % {"what": what, "now": now, "before": before}
            )
    return out
