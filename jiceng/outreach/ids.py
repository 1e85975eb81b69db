"""Identity numbers: 居民身份证号 (GB 11643) and 统一社会信用代码 (GB 32100), hashed and masked.

A resident's ID number is never stored: only a keyed hash (HMAC-SHA256, key derived from
JICENG_ID_HASH_KEY or SECRET_KEY) to find the same person again, and a masked form to show.
"""

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


class IdError(ValueError):
    """An identity number that cannot be right; the message is for the person who typed it."""


@dataclass(frozen=True)
class ParsedId:
    hash: str
    masked: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _hash_key() -> bytes:
    secret = getattr(settings, "JICENG_ID_HASH_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"jiceng.outreach.id-hash:" + secret.encode()).digest()


def id_hash(normalized: str) -> str:
    return hmac.new(_hash_key(), normalized.encode(), hashlib.sha256).hexdigest()


def id_mask(normalized: str) -> str:
    return normalized[:6] + "*" * 8 + normalized[-4:]


def id_parse(raw: str) -> ParsedId:
    """Check an 18-digit ID number (format, birth date, GB 11643 check digit)."""
    value = (raw or "").strip().upper()
    if not ID_RE.match(value):
        raise IdError("身份证号应为18位（前17位数字，末位数字或X）")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdError("身份证号中的出生日期不存在") from exc
    if birth.year < 1880 or birth > dt.date.today():
        raise IdError("身份证号中的出生日期不合理")
    if id_check_char(value[:17]) != value[17]:
        raise IdError("身份证号校验位不符（GB 11643）")
    return ParsedId(
        hash=id_hash(value),
        masked=id_mask(value),
        birth_date=birth,
        gender="M" if int(value[16]) % 2 else "F",
    )


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_clean(raw: str) -> str:
    """Check a 统一社会信用代码 (GB 32100 alphabet and check character); return it upper-cased."""
    value = (raw or "").strip().upper()
    if not CREDIT_RE.match(value):
        raise IdError("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）")
    if credit_check_char(value[:17]) != value[17]:
        raise IdError("统一社会信用代码校验位不符（GB 32100）")
    return value


def make_id(region6: str, birth: dt.date, serial: int) -> str:
    """A valid ID number for synthetic data (serial 0–999; odd = male)."""
    first17 = f"{region6}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def make_credit_code(region6: str, serial: int) -> str:
    """A valid credit code for synthetic data: 92 (个体工商户) + region + 9-char body."""
    body = ""
    n = serial
    for _ in range(9):
        n, r = divmod(n, len(CREDIT_ALPHABET))
        body = CREDIT_ALPHABET[r] + body
    first17 = f"92{region6}{body}"
    return first17 + credit_check_char(first17)


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"
