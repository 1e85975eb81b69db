"""简易程序 (当场处罚): what may be decided on the spot, as dated rules like clocks.py.

《行政处罚法》(2021, in force from 2021-07-15) 第五十一条: when the facts are certain and have a
legal basis, a 警告 or a fine of at most 200 yuan for a citizen / 3,000 yuan for a legal person or
other organisation may be decided on the spot. The 1996 law (第三十三条, in force from 1996-10-01)
allowed 50 / 1,000 yuan. The rule in force on the day of the act applies (第三十七条: the law of
the time of the act; the amounts only narrowed what the officer may do alone, and a case over
today's limit goes the general procedure anyway).

These limits are law, not a local figure: unlike thresholds.py no province or county sets them.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .content import Penalty
from .models import PartyKind, PenaltyKind

# The only penalties 第五十一条 allows on the spot.
KINDS = (PenaltyKind.WARNING, PenaltyKind.FINE)


@dataclass(frozen=True)
class Limit:
    party_kind: str
    amount: Decimal
    basis: str
    effective_from: dt.date


LIMITS = [
    Limit(
        PartyKind.INDIVIDUAL,
        Decimal("50"),
        "《行政处罚法》（1996年）第三十三条",
        dt.date(1996, 10, 1),
    ),
    Limit(
        PartyKind.ORGANISATION,
        Decimal("1000"),
        "《行政处罚法》（1996年）第三十三条",
        dt.date(1996, 10, 1),
    ),
    Limit(
        PartyKind.INDIVIDUAL,
        Decimal("200"),
        "《行政处罚法》（2021年）第五十一条",
        dt.date(2021, 7, 15),
    ),
    Limit(
        PartyKind.ORGANISATION,
        Decimal("3000"),
        "《行政处罚法》（2021年）第五十一条",
        dt.date(2021, 7, 15),
    ),
]


def limit(party_kind: str, on: dt.date) -> Limit | None:
    """The on-the-spot fine limit for that kind of party in force on a day (None before 1996)."""
    found = [r for r in LIMITS if r.party_kind == party_kind and r.effective_from <= on]
    return max(found, key=lambda r: r.effective_from) if found else None


def kinds_refusal(kinds: Iterable[str]) -> str | None:
    """Why these kinds may not be decided on the spot (anything but 警告 and 罚款); None if none."""
    other = [k for k in kinds if k and k not in KINDS]
    if not other:
        return None
    names = dict(PenaltyKind.choices)
    return _(
        "当场处罚只能给予警告或者罚款（《行政处罚法》第五十一条），「%(kind)s」须适用普通程序"
    ) % {"kind": names.get(other[0], other[0])}


def refusal(penalty: Penalty, party_kind: str, act_date: dt.date) -> str | None:
    """Why this penalty may not be decided on the spot; None if it may."""
    reason = kinds_refusal(penalty.kinds)
    if reason:
        return reason
    rule = limit(party_kind, act_date)
    if rule is None:
        return _("违法行为发生日没有可适用的当场处罚规定")
    if penalty.fine is not None and penalty.fine > rule.amount:
        return _(
            "当场罚款%(party)s不得超过%(limit)s元（%(basis)s，违法行为发生日%(day)s适用）："
            "%(amount)s元须适用普通程序"
        ) % {
            "party": dict(PartyKind.choices)[party_kind],
            "limit": rule.amount,
            "basis": rule.basis,
            "day": act_date.isoformat(),
            "amount": penalty.fine,
        }
    return None
