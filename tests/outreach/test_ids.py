"""ID numbers (GB 11643) and credit codes (GB 32100): checksums, hashing, masking."""

import datetime as dt

import pytest

from jiceng.outreach.ids import (
    IdError,
    credit_code_clean,
    id_parse,
    make_credit_code,
    make_id,
    mask_name,
    mask_phone,
)

# A published sample number (GB 11643 worked example) and a known-valid credit code.
VALID_ID = "11010519491231002X"
VALID_CREDIT = "91350100M000100Y43"


def test_valid_id_gives_birth_gender_hash_and_mask():
    p = id_parse(VALID_ID.lower())
    assert p.birth_date == dt.date(1949, 12, 31)
    assert p.gender == "F"
    assert p.masked == "110105********002X"
    assert VALID_ID not in p.hash and len(p.hash) == 64
    assert id_parse(VALID_ID).hash == p.hash


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("110105194912310021", "校验位"),
        ("11010519491332002X", "出生日期不存在"),
        ("1101051949123100", "18位"),
        ("", "18位"),
    ],
)
def test_bad_ids_are_refused_in_chinese(raw, reason):
    with pytest.raises(IdError, match=reason):
        id_parse(raw)


def test_made_up_numbers_pass_their_checksums():
    assert id_parse(make_id("330102", dt.date(1944, 3, 9), 17)).gender == "M"
    assert credit_code_clean(make_credit_code("330102", 12345))


def test_credit_code_checksum():
    assert credit_code_clean(VALID_CREDIT.lower()) == VALID_CREDIT
    with pytest.raises(IdError, match="校验位"):
        credit_code_clean(VALID_CREDIT[:-1] + "2")
    with pytest.raises(IdError, match="18位"):
        credit_code_clean("91350100M000100YI3")


def test_masks():
    assert mask_name("杨国华") == "杨**"
    assert mask_phone("13800001234") == "138****1234"
