"""E2 masking and D2/A7 field encryption."""

import base64
import logging
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kesu import crypto
from kesu.privacy import (
    MaskingLogFilter,
    mask_address,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_policy_number,
    mask_text,
)

MASKERS = [
    mask_id_number,
    mask_phone,
    mask_bank_account,
    mask_name,
    mask_address,
    mask_policy_number,
]
id_numbers = st.from_regex(
    r"\A[1-6]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d)\d{3}[\dX]\Z"
)
mobiles = st.from_regex(r"\A1[3-9]\d{9}\Z")


@pytest.mark.parametrize("mask", MASKERS)
@given(value=st.text(max_size=40))
def test_masking_keeps_the_length_and_is_idempotent(mask, value):
    masked = mask(value)
    assert len(masked) == len(value)
    assert mask(masked) == masked
    if value:
        assert "*" in masked  # something is always hidden


@given(value=id_numbers)
def test_an_id_number_shows_first_three_and_last_four_and_never_the_birth_date(value):
    masked = mask_id_number(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert value[6:14] not in masked


@given(value=mobiles)
def test_a_mobile_number_shows_three_and_four(value):
    assert mask_phone(value) == value[:3] + "****" + value[-4:]


def test_the_documented_patterns():
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_bank_account("6222021234567890123") == "622202*********0123"
    assert mask_name("张三") == "张*"
    assert mask_address("广东省广州市天河区体育西路1号") == "广东省广州市天河区******"
    assert mask_policy_number("P2026000123") == "*******0123"


@given(
    id_number=id_numbers,
    mobile=mobiles,
    before=st.text(max_size=10),
    after=st.text(max_size=10),
)
def test_free_text_never_keeps_a_full_id_or_mobile_number(
    id_number, mobile, before, after
):
    text = f"{before} 证件{id_number}，电话{mobile} {after}"
    masked = mask_text(text)
    assert id_number not in masked and mobile not in masked


def test_log_records_are_masked_and_cannot_forge_lines():
    record = logging.LogRecord(
        "kesu",
        logging.INFO,
        __file__,
        1,
        "user %s called from %s",
        ("evil\nINFO forged", "13812341234"),
        None,
    )
    MaskingLogFilter().filter(record)
    message = record.getMessage()
    assert (
        "\n" not in message
        and "138****1234" in message
        and "13812341234" not in message
    )


@pytest.mark.parametrize("cipher", crypto.CIPHERS)
@given(value=st.text(max_size=200))
def test_encryption_round_trips(cipher, value):
    token = crypto.encrypt(value, cipher=cipher)
    assert token.startswith(f"ks1${cipher}$")
    assert crypto.decrypt(token) == value


def test_ciphertext_is_randomised_and_tamper_evident():
    a, b = crypto.encrypt("110101199003071234"), crypto.encrypt("110101199003071234")
    assert a != b
    tampered = a[:-4] + ("AAAA" if not a.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_rows_under_an_old_key_still_decrypt_after_rotation(settings):
    old, new = _key(), _key()
    settings.KESU_FIELD_KEYS = f"k1:{old}"
    settings.KESU_FIELD_KEY_CURRENT = "k1"
    under_old = crypto.encrypt("13812341234")
    settings.KESU_FIELD_KEYS = f"k1:{old},k2:{new}"
    settings.KESU_FIELD_KEY_CURRENT = "k2"
    assert crypto.encrypt("x").split("$")[2] == "k2"
    assert crypto.decrypt(under_old) == "13812341234"
    settings.KESU_FIELD_KEYS = f"k2:{new}"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(under_old)


def test_the_blind_index_finds_the_same_number_however_it_is_typed():
    assert crypto.blind_index("11010119900307123x") == crypto.blind_index(
        "110101 19900307 123X"
    )
    assert crypto.blind_index("13812341234") != crypto.blind_index("13812341235")
    assert crypto.blind_index("") == ""
