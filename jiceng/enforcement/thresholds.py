"""Amounts that change the procedure, as dated rules by region, kept as rows a province (or a
county) administers (`models.AmountThreshold`; written only by actions/thresholds.py). Which rule
applies is decided by the case's township and the day of 立案, as in clocks.py.

- `hearing_fine`, `hearing_confiscation`: a 较大数额 fine, or a 较大数额 / 较大价值 confiscation, gives
  the party the right to ask for a hearing (第六十三条第一款第一、二项).
- `major_fine`, `major_confiscation`: a decision at or above the amount is a 重大执法决定 that needs
  法制审核 first (《行政处罚法》第五十八条第一款第四项: other cases laws and regulations name;
  provinces and counties set the figure in their 重大执法决定法制审核 lists).

The figures are set by each province (or lower) and differ for a citizen and for a legal person or
other organisation. The rows with region "" are the platform's defaults (seeded by migration 0008,
restored by the demo through actions.thresholds_ensure_defaults), marked as such wherever they are shown: a province's own row (its code
prefix, e.g. "53") replaces them from its effective date.
"""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiceng.org.models import code_prefixes

from .models import AmountThreshold

INDIVIDUAL, ORGANISATION = "individual", "organisation"

# A default's basis is shown in the reader's language (gettext_noop marks it for extraction).
PLATFORM_DEFAULT = gettext_noop("平台默认值（未配置本省标准时适用，请按本省规定核定）")

# The platform defaults (name, party, yuan), in force from the 2021 law; the demo restores them.
DEFAULTS = [
    ("hearing_fine", INDIVIDUAL, "5000"),
    ("hearing_fine", ORGANISATION, "50000"),
    ("hearing_confiscation", INDIVIDUAL, "5000"),
    ("hearing_confiscation", ORGANISATION, "50000"),
    ("major_fine", INDIVIDUAL, "10000"),
    ("major_fine", ORGANISATION, "100000"),
    ("major_confiscation", INDIVIDUAL, "10000"),
    ("major_confiscation", ORGANISATION, "100000"),
]


# Inside `preloaded()`: every row, read once, so that judging many cases costs one query.
_PRELOADED: ContextVar[list[AmountThreshold] | None] = ContextVar("thresholds", default=None)


@contextmanager
def preloaded():
    """Within it, amount_rule picks from all rows read once (the case ledger judges every case
    of an area) instead of asking the database for each case."""
    token = _PRELOADED.set(list(AmountThreshold.objects.all()))
    try:
        yield
    finally:
        _PRELOADED.reset(token)


def _applies(row: AmountThreshold, name: str, party: str, codes: list[str], on: dt.date) -> bool:
    """The row is of that name and party, for the township or a region over it, in force that day
    (started by then, not ended before it)."""
    ended = row.effective_to is not None and row.effective_to < on
    return (
        row.name == name
        and row.party_kind == party
        and row.region_code in codes
        and row.effective_from <= on
        and not ended
    )


def amount_rule(name: str, party: str, township: str, on: dt.date) -> AmountThreshold | None:
    """The rule of that name for that kind of party in force on a day at a township: the one of
    the nearest region (longest code prefix), then the latest that started by then. One query
    (none inside `preloaded()`)."""
    codes = ["", *code_prefixes(township)]
    rows = _PRELOADED.get()
    if rows is None:  # the few rows of this kind over the township, whatever their dates
        rows = AmountThreshold.objects.filter(name=name, party_kind=party, region_code__in=codes)
    found = [r for r in rows if _applies(r, name, party, codes, on)]
    return max(found, key=lambda r: (len(r.region_code), r.effective_from, r.pk), default=None)


def reached(name: str, party: str, township: str, on: dt.date, amount) -> AmountThreshold | None:
    """The rule an amount reaches (None if no amount, no rule, or below it)."""
    if amount is None:
        return None
    rule = amount_rule(name, party, township, on)
    return rule if rule is not None and amount >= rule.amount else None


def yuan(amount: Decimal) -> str:
    """An amount as people write it: 5000, 5000.5 — no trailing zeros of the fen."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def basis_label(rule: AmountThreshold) -> str:
    """What a message says the figure rests on: a platform default says so, in the reader's
    language; a region's row names its document."""
    return _(PLATFORM_DEFAULT) if rule.is_default else rule.basis
