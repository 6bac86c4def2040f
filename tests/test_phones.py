"""Phone numbers and SMS senders: one normalisation for every way a number is written."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from infobip_connector import ConfigurationError, InputError, component
from infobip_connector.runtime.phones import normalize_phone, normalize_sender
from infobip_connector.sandbox import Sandbox
from infobip_connector.transport.connection import connection_from_values


def _sms(*numbers: str, **message: str) -> dict[str, object]:
    return {"messages": [{"destinations": [{"to": n} for n in numbers], "text": "x", **message}]}


def _sent_numbers(values: dict[str, object], **options: str) -> list[str]:
    checked = component.validate_input("sendSms", values, **options)  # type: ignore[arg-type]
    return [d["to"] for m in checked["messages"] for d in m["destinations"]]


@pytest.mark.parametrize(
    "written",
    [
        "610412345678",  # digits only, the national 0 kept after the country code
        "+61 (0)412 345 678",
        "0061 412 345 678",
        "+61412345678",
        "٦١٤١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "۶۱۴۱۲۳۴۵۶۷۸",  # Extended Arabic-Indic (Persian) digits
        "＋６１ ４１２ ３４５ ６７８",  # full-width
        "६१४१२३४५६७८",  # Devanagari
        "+61\u00a0412\u2011345\u2011678",  # no-break space, non-breaking hyphens
    ],
)
def test_every_way_of_writing_a_number_reaches_infobip_as_the_same_digits(written: str) -> None:
    assert _sent_numbers(_sms(written)) == ["61412345678"]


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("+41 79 302 67 2²", "SUPERSCRIPT TWO"),
        ("4179302672①", "CIRCLED DIGIT ONE"),
        ("+41 79 302 67 2½", "VULGAR FRACTION ONE HALF"),
    ],
)
def test_signs_that_are_not_digits_are_refused_by_name(written: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        _sent_numbers(_sms(written))
    message = info.value.errors[0]["message"]
    assert fragment in message and "digits 0-9" in message
    assert "invalid literal" not in message


def test_a_national_number_read_as_another_country_is_refused_by_name() -> None:
    # A US number without its 1 reads as Egyptian, where it is in no number range.
    with pytest.raises(InputError) as info:
        _sent_numbers(_sms("2025550143"))
    error = info.value.errors[0]
    assert error["path"] == "messages[0].destinations[0].to"
    assert "+20 (Egypt)" in error["message"] and "not a valid phone number" in error["message"]


def test_the_connection_can_relax_the_check_to_possible_numbers() -> None:
    assert _sent_numbers(_sms("2025550143"), phone_number_check="possible") == ["2025550143"]
    sandbox = Sandbox()
    connection = {"token": "sandbox-key-for-local-tests", "phoneNumberCheck": "possible"}
    output = component.execute(
        "sendSms", _sms("2025550143"), connection, transport=sandbox.transport()
    )
    assert output["messages"][0]["to"] == "2025550143"
    with pytest.raises(InputError):
        component.execute(
            "sendSms",
            _sms("2025550143"),
            {"token": "sandbox-key-for-local-tests"},
            transport=sandbox.transport(),
        )


def test_the_phone_number_check_option_is_checked() -> None:
    assert connection_from_values({"token": "phone-check-key-q7"}).phone_number_check == "valid"
    with pytest.raises(ConfigurationError) as info:
        connection_from_values({"token": "phone-check-key-q7", "phoneNumberCheck": "lenient"})
    assert info.value.errors[0]["path"] == "phoneNumberCheck"


def _parsed(digits: str, check: str) -> str | None:
    """What libphonenumber itself makes of ``+digits``: the oracle for the fast path."""
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    if check == "valid" and not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))[1:]


def _candidates(count: int, seed: int) -> list[str]:
    """Digit strings near real numbers of every calling code: example numbers with their
    last digits changed, some with a national trunk 0, and random digits."""
    rnd = random.Random(seed)
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    kinds = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
    out = []
    while len(out) < count:
        code = rnd.choice(codes)
        region = rnd.choice(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code])
        if region == "001":
            example = phonenumbers.example_number_for_non_geo_entity(code)
        else:
            example = phonenumbers.example_number_for_type(region, rnd.choice(kinds))
        if example is None or rnd.random() < 0.3:
            nsn = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(4, 13)))
        else:
            nsn = phonenumbers.national_significant_number(example)
            cut = rnd.randint(0, min(4, len(nsn)))
            nsn = nsn[: len(nsn) - cut] + "".join(rnd.choice("0123456789") for _ in range(cut))
            if rnd.random() < 0.15:
                nsn = "0" + nsn
        out.append(f"{code}{nsn}")
    return out


@pytest.mark.parametrize("check", ["valid", "possible"])
def test_digits_only_numbers_get_exactly_what_the_full_parse_gives(check: str) -> None:
    """The per-country shortcut a bulk takes never differs from libphonenumber's parse."""
    for digits in _candidates(4000, seed=11):
        try:
            got: str | None = normalize_phone(digits, check)  # type: ignore[arg-type]
        except ValueError:
            got = None
        assert got == _parsed(digits, check), digits


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("+44 7700 900 100", "447700900100"),
        ("0041 79 302 67 27", "41793026727"),
        ("41793026727", "41793026727"),
        ("InfoSMS", "InfoSMS"),
        ("ACME Corp", "ACME Corp"),
        ("12345", "12345"),  # a short code is kept as given
        ("٤١٧٩٣٠٢٦٧٢٧", "41793026727"),
    ],
)
def test_sms_senders_are_sent_as_infobip_takes_them(written: str, sent: str) -> None:
    values = component.validate_input("sendSms", _sms("41793026727", **{"from": written}))
    assert values["messages"][0]["from"] == sent


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("ab", "3 to 11 characters"),
        ("ABCDEFGHIJKL", "3 to 11 characters"),
        ("Café", "ASCII"),
        ("+44 77", "numeric sender"),
        ("   ", "blank"),
        ("Info\u0000SMS", "control character"),
    ],
)
def test_bad_sms_senders_are_refused(written: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        component.validate_input("sendSms", _sms("41793026727", **{"from": written}))
    assert [e["path"] for e in info.value.errors] == ["messages[0].from"]
    assert fragment in info.value.errors[0]["message"]


def test_sender_rules_need_no_component() -> None:
    assert normalize_sender("+1 (415) 555-2671") == "14155552671"
    with pytest.raises(ValueError, match="alphanumeric"):
        normalize_sender("A")
