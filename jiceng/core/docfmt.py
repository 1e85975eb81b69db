"""How a date is written in a Chinese document (执法文书, 通报): 2026年11月25日."""

import datetime as dt

from django.utils import timezone


def cn_date(day: dt.date | dt.datetime | None) -> str | None:
    """The day as a document writes it; a moment counts as its local day."""
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return f"{day.year}年{day.month}月{day.day}日"
