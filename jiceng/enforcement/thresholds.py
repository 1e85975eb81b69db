"""Amounts that change the procedure, as dated rules by region (which rule applies is decided by
the case's township and the day of 立案, as in clocks.py).

- `hearing_fine`, `hearing_confiscation`: a 较大数额 fine, or a 较大数额 / 较大价值 confiscation, gives
  the party the right to ask for a hearing (第六十三条第一款第一、二项).
- `major_fine`, `major_confiscation`: a decision at or above the amount is a 重大执法决定 that needs
  法制审核 first (《行政处罚法》第五十八条第一款第四项: other cases laws and regulations name;
  provinces and counties set the figure in their 重大执法决定法制审核 lists).

The figures are set by each province (or lower) and differ for a citizen and for a legal person or
other organisation. The rows with region "" are the platform's defaults, marked as such: a
province's own row (its code prefix, e.g. "53") replaces them from its effective date.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop

from .clocks import LAW_2021

INDIVIDUAL, ORGANISATION = "individual", "organisation"


@dataclass(frozen=True)
class AmountRule:
    name: str
    party: str  # INDIVIDUAL or ORGANISATION
    amount: Decimal  # yuan; at or above it the rule applies
    region: str  # region code prefix; "" is everywhere
    effective_from: dt.date
    basis: str


# A basis is shown in the reader's language when it has a translation (gettext_noop marks it).
_DEFAULT = gettext_noop("平台默认值（未配置本省标准时适用，请按本省规定核定）")

RULES = [
    AmountRule("hearing_fine", INDIVIDUAL, Decimal("5000"), "", LAW_2021, _DEFAULT),
    AmountRule("hearing_fine", ORGANISATION, Decimal("50000"), "", LAW_2021, _DEFAULT),
    AmountRule("hearing_confiscation", INDIVIDUAL, Decimal("5000"), "", LAW_2021, _DEFAULT),
    AmountRule("hearing_confiscation", ORGANISATION, Decimal("50000"), "", LAW_2021, _DEFAULT),
    AmountRule("major_fine", INDIVIDUAL, Decimal("10000"), "", LAW_2021, _DEFAULT),
    AmountRule("major_fine", ORGANISATION, Decimal("100000"), "", LAW_2021, _DEFAULT),
    AmountRule("major_confiscation", INDIVIDUAL, Decimal("10000"), "", LAW_2021, _DEFAULT),
    AmountRule("major_confiscation", ORGANISATION, Decimal("100000"), "", LAW_2021, _DEFAULT),
]


def amount_rule(name: str, party: str, township: str, on: dt.date) -> AmountRule | None:
    """The rule of that name for that kind of party in force on a day at a township: the one of
    the nearest region (longest code prefix), then the latest that started by then."""
    found = [
        r
        for r in RULES
        if r.name == name
        and r.party == party
        and township.startswith(r.region)
        and r.effective_from <= on
    ]
    if not found:
        return None
    return max(found, key=lambda r: (len(r.region), r.effective_from))


def reached(name: str, party: str, township: str, on: dt.date, amount) -> AmountRule | None:
    """The rule an amount reaches (None if no amount, no rule, or below it)."""
    rule = amount_rule(name, party, township, on)
    return rule if amount is not None and rule is not None and amount >= rule.amount else None
