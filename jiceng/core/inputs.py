"""Reading what a person typed into a form field. A blank or unreadable value is None, never an
exception: the caller says, in the person's language, what it needed (a 4xx, not a 500)."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from pydantic import Field

MAX_DIGITS = 18  # still a 64-bit integer: a longer one is no id or count and breaks the database


def int_or_none(raw) -> int | None:
    """A whole number of plain digits (ASCII or full-width), else None. `isdecimal`, not `isdigit`:
    isdigit lets "²" through, which int() refuses."""
    text = str(raw or "").strip()
    return int(text) if text.isdecimal() and len(text) <= MAX_DIGITS else None


def date_or_none(raw) -> dt.date | None:
    """年-月-日 (ISO), else None; a well-formed date that does not exist (2026-13-45) too."""
    try:
        return parse_date(str(raw or "").strip())
    except ValueError:
        return None


def datetime_or_none(raw) -> dt.datetime | None:
    """年-月-日 时:分[:秒] as an aware datetime (a naive one is local time), else None."""
    try:
        moment = parse_datetime(str(raw or "").strip())
    except ValueError:
        return None
    if moment is None:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# In an API schema: the number of a record. Past 64 bits it is no record; refused by the schema
# (422, "超出允许的范围"), not left to the database, where SQLite overflows and PostgreSQL finds none.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
