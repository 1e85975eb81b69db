"""Reading Open311 parameters: an empty value is a missing one; bad values are 400 errors."""

import datetime as dt
import math
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from jiceng.org.models import Level, Region

from .errors import bad, not_found

MAX_SPAN = dt.timedelta(days=90)


def value(data, name: str) -> str | None:
    """The stripped value of one parameter, None when absent or empty."""
    raw = data.get(name)
    if raw is None:
        return None
    raw = str(raw).strip()
    return raw or None


def csv_list(data, name: str) -> list[str]:
    raw = value(data, name)
    return [v.strip() for v in raw.split(",") if v.strip()] if raw else []


def number(data, name: str, lo: float, hi: float) -> float | None:
    raw = value(data, name)
    if raw is None:
        return None
    try:
        x = float(raw)
    except ValueError:
        raise bad(f"{name} 必须是数字 / {name} must be a number: {raw!r}") from None
    if not math.isfinite(x) or not lo <= x <= hi:
        raise bad(f"{name} 超出范围 [{lo}, {hi}] / {name} out of range: {raw}")
    return x


def positive_int(data, name: str, default: int, most: int) -> int:
    raw = value(data, name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise bad(f"{name} 必须是正整数 / {name} must be a positive integer")
    return min(int(raw), most)


def flag(data, name: str) -> bool:
    return (value(data, name) or "").lower() in {"true", "1", "yes"}


def when(data, name: str) -> dt.datetime | None:
    """A W3C / ISO 8601 datetime (or a date); a '+' decoded as a space is repaired."""
    raw = value(data, name)
    if raw is None:
        return None
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw)
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise bad(f"{name} 不是有效的 ISO 8601 时间 / invalid datetime: {raw!r}")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def window(data) -> tuple[dt.datetime, dt.datetime]:
    """start_date/end_date: at most 90 days apart; the last 90 days when neither is given."""
    start, end = when(data, "start_date"), when(data, "end_date")
    if start and end and end < start:
        raise bad("end_date 早于 start_date / end_date before start_date")
    if start and end and end - start > MAX_SPAN:
        raise bad("时间范围不能超过 90 天 / the range may not span more than 90 days")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    return start, end


def jurisdiction(data) -> Region | None:
    """jurisdiction_id is a county code (6 digits, or padded to 12 with zeros)."""
    raw = value(data, "jurisdiction_id")
    if raw is None:
        return None
    code = raw[:6] if len(raw) == 12 and raw.endswith("000000") else raw
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise not_found(f"未知的辖区 jurisdiction_id={raw!r}（应为县区代码）/ unknown jurisdiction")
    return county
