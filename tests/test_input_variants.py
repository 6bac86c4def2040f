"""Input variants a careful reader tries: huge numbers, odd senders, invisible and
line-breaking characters, malformed URLs, numbers pasted with marks around them.

Each kind is tried on every field of every action that can hold it, found from the
definition rather than listed, so a field added later is covered too.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.definition.model import Property, walk
from infobip_connector.runtime.phones import normalize_sender

from .test_input_rules import BASE, NOW, _errors, _with

Field = tuple[str, tuple[Any, ...], Property]


def _fields(*, types: tuple[str, ...] = ("STRING",), fmt: str | None = None) -> list[Field]:
    found: list[Field] = []
    for action in component.definition.actions:
        for path, prop in walk(action.as_property()):
            if prop.type in types and not prop.options and (fmt is None or prop.format == fmt):
                found.append((action.name, path, prop))
    return found


def _field_id(field: Field) -> str:
    return field[0] + ":" + ".".join(str(p) for p in field[1])


def _mine(field: Field, value: Any) -> list[dict[str, str]]:
    action, path, _ = field
    values, where = _with(action, path, value)
    return [e for e in _errors(action, values) if e["path"] == where]


def _valid(action: str, values: dict[str, Any]) -> dict[str, Any]:
    return component.validate_input(action, values, now=NOW)


# ---------------------------------------------------------------- huge whole numbers

NUMBER_FIELDS = _fields(types=("INTEGER", "NUMBER"))


@pytest.mark.parametrize(
    "huge", [10**5000, -(10**5000), 10**101], ids=["1e5000", "-1e5000", "1e101"]
)
@pytest.mark.parametrize("field", NUMBER_FIELDS + _fields(), ids=_field_id)
def test_a_huge_whole_number_is_an_input_error_at_its_field(field: Field, huge: int) -> None:
    mine = _mine(field, huge)
    assert len(mine) == 1 and "more than 100 digits" in mine[0]["message"], mine


def test_a_long_but_printable_number_still_gets_the_fields_own_message() -> None:
    values, _ = _with("sendSms", ("messages", "*", "validityPeriod"), 10**99)
    assert "must be at most" in _errors("sendSms", values)[0]["message"]
    values, _ = _with("sendSms", ("messages", "*", "destinations", "*", "to"), 2**70)
    assert _errors("sendSms", values)[0]["message"] == "must be text, not a whole number"


# ---------------------------------------------------------------- SMS senders


@pytest.mark.parametrize("sender", ["+++", "1+2", "---", "(())", "...", "+ - ", "-+-", "?!."])
def test_a_sender_of_punctuation_only_is_refused(sender: str) -> None:
    values, where = _with("sendSms", ("messages", "*", "from"), sender)
    errors = _errors("sendSms", values)
    assert [e["path"] for e in errors] == [where]
    assert "at least one letter" in errors[0]["message"]


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("  InfoSMS  ", "InfoSMS"),
        ("Info\u200bSMS", "InfoSMS"),
        ("12 34", "1234"),
        ("12-34", "1234"),
        ("1234", "1234"),
        ("A1+", "A1+"),
    ],
)
def test_senders_are_sent_trimmed_and_as_typed_short_codes(written: str, sent: str) -> None:
    assert normalize_sender(written) == sent
    values, _ = _with("sendSms", ("messages", "*", "from"), written)
    assert _valid("sendSms", values)["messages"][0]["from"] == sent


@pytest.mark.parametrize("sender", [" a ", "  ab\u00a0", "\u200bab\u200b"])
def test_a_sender_is_counted_in_visible_characters(sender: str) -> None:
    values, _ = _with("sendSms", ("messages", "*", "from"), sender)
    assert "3 to 11 characters" in _errors("sendSms", values)[0]["message"]


# ---------------------------------------------------------------- identifiers

IDENTIFIER_FIELDS = _fields(fmt="identifier")
NOT_IN_IDS = [
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\uffff",  # noncharacter
    "\U0001fffe",  # noncharacter beyond the BMP
    "\ue000",  # private use
    "\U000f0001",  # supplementary private use
    "\U000e0041",  # tag
    "\u00a0",  # no-break space
    "\u0600",  # Arabic number sign (format character)
]


def test_every_id_field_is_declared_an_identifier() -> None:
    ids = {(a, p[-1]) for a, p, _ in IDENTIFIER_FIELDS}
    for action, path, prop in _fields():
        # A zone ID is a name from the IANA list, checked against it (see timeutil).
        named_id = str(path[-1]).endswith(("Id", "Key")) and path[-1] != "zoneId"
        if prop.generatedId or named_id:
            assert (action, path[-1]) in ids, (action, path)


@pytest.mark.parametrize("char", NOT_IN_IDS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", IDENTIFIER_FIELDS, ids=_field_id)
def test_identifiers_refuse_invisible_line_and_private_characters(field: Field, char: str) -> None:
    mine = _mine(field, f"a{char}b")
    assert len(mine) == 1, mine
    assert f"U+{ord(char):04X}" in mine[0]["message"], mine


@pytest.mark.parametrize("field", IDENTIFIER_FIELDS, ids=_field_id)
def test_identifiers_keep_visible_text_of_any_script(field: Field) -> None:
    action, path, _ = field
    values, where = _with(action, path, "Zürich-東京 42_😀")
    try:
        _valid(action, values)
    except InputError as exc:  # a sibling the field needs (indiaDlt's principalEntityId)
        assert where not in [e["path"] for e in exc.errors]


ONE_LINE_FIELDS = [f for f in _fields() if not f[2].multiline]


@pytest.mark.parametrize("char", ["\u2028", "\u2029"], ids=["U+2028", "U+2029"])
@pytest.mark.parametrize("field", ONE_LINE_FIELDS, ids=_field_id)
def test_one_line_fields_refuse_line_separators(field: Field, char: str) -> None:
    mine = _mine(field, f"ab{char}cd")
    assert len(mine) == 1 and "U+" + f"{ord(char):04X}" in mine[0]["message"], mine


# ---------------------------------------------------------------- URLs

URL_FIELDS = _fields(fmt="http-url") + _fields(fmt="callback-url")
MALFORMED_URLS = [
    "http://[::1",
    "https://[::1]x/",
    "https://[2001:db8::zz]/",
    "https://x.example:99999/",
    "https://x.example:0/",
    "https://x.example:8a/",
    "http://%00/",
    "http://x%2eexample/",
    "https://x.example\\@evil/",
    "https://x.example/a\\b",
    "https://a@b@x.example/",
    "https://@/",
    "https://x.example/a%zz",
    "https://x.example/a|b",
    "https://x.example/<script>",
    "https://-x.example/",
    "https://x..example/",
    "https://999.1.1.1/",
    "https://1.2.3/",
    "http://[fe80::1%25eth0]/",
    "https://x.example/\u202egnp.exe",
    "https://x\u200b.example/",
    "https://x.example/\ue000",
]


def test_every_url_field_is_declared() -> None:
    urls = {(a, p) for a, p, _ in URL_FIELDS}
    for action, path, prop in _fields():
        if prop.controlType == "URL" or str(path[-1]).lower().endswith("url"):
            assert (action, path) in urls, (action, path)


@pytest.mark.parametrize("url", MALFORMED_URLS)
@pytest.mark.parametrize("field", URL_FIELDS, ids=_field_id)
def test_malformed_urls_are_refused_in_every_url_field(field: Field, url: str) -> None:
    mine = _mine(field, url)
    assert len(mine) == 1, mine
    message = mine[0]["message"]
    # A character no URL should hide is named like in an identifier.
    assert "must be an http:// or https:// URL" in message or "visible characters" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/infobip?id=7&x=%20#top",
        "http://127.0.0.1:8080/reports",
        "http://[::1]:9/",
        "https://user:p%40ss@hooks.example.com/",
        "https://bücher.example/über",
        "https://hooks.example.com.:443/",
    ],
)
@pytest.mark.parametrize("field", URL_FIELDS, ids=_field_id)
def test_well_formed_urls_are_sent_as_given(field: Field, url: str) -> None:
    action, path, prop = field
    if prop.format == "callback-url" and ("127.0.0.1" in url or "[::1]" in url):
        # Infobip cannot call this machine back (see test_callback_urls).
        assert "loopback address" in _mine(field, url)[0]["message"]
        return
    values, _ = _with(action, path, url)
    checked: Any = _valid(action, values)
    for part in path:
        checked = checked[0 if part == "*" else part]
    assert checked == url


# ---------------------------------------------------------------- invisible text

INVISIBLE_TEXTS = [
    "\u200b",
    "\u2800",
    "\u3164\u115f",
    "\u200b\u2060\ufeff",
    " \u200d\ufe0f ",
    "\u00ad",
    "\U000e0020\U000e007f",
    "\u2028\u2029",
]


@pytest.mark.parametrize("text", INVISIBLE_TEXTS, ids=lambda t: " ".join(f"{ord(c):X}" for c in t))
@pytest.mark.parametrize("field", [f for f in _fields() if f[2].multiline], ids=_field_id)
def test_invisible_text_is_blank(field: Field, text: str) -> None:
    mine = _mine(field, text)
    assert len(mine) == 1 and "blank" in mine[0]["message"], mine


@pytest.mark.parametrize("field", ONE_LINE_FIELDS, ids=_field_id)
def test_invisible_one_line_values_are_blank(field: Field) -> None:
    mine = _mine(field, "\u200b\u2060\ufeff\u3164")
    assert len(mine) == 1 and "blank" in mine[0]["message"], mine


def test_text_with_joiners_and_marks_is_kept() -> None:
    text = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 \u200fשלום\u200f"
    values = copy.deepcopy(BASE["sendWhatsappTextMessage"])
    values["content"] = {"text": text}
    assert _valid("sendWhatsappTextMessage", values)["content"]["text"] == text


# ---------------------------------------------------------------- pasted numbers

PASTED = [
    "\u200f+41793026727",
    "\u202a+41 79 302 67 27\u202c",
    "\u2066+41 79 302 67 27\u2069",
    "\ufeff+41793026727",
    "+41 79\u200b302 67 27",
    "+41\u221279\u2212302\u221267\u221227",
    "+41\uff0d79\uff0d302\uff0d67\uff0d27",
    "+41\u201279\u2013302\u201467 27",
]


def _phone_fields() -> Iterator[Field]:
    yield from _fields(fmt="phone")
    yield from _fields(fmt="sms-sender")


@pytest.mark.parametrize("written", PASTED, ids=lambda t: ascii(t))
@pytest.mark.parametrize("field", list(_phone_fields()), ids=_field_id)
def test_numbers_pasted_with_marks_and_minus_signs_are_normalised(
    field: Field, written: str
) -> None:
    action, path, _ = field
    values, _ = _with(action, path, written)
    checked: Any = _valid(action, values)
    for part in path:
        checked = checked[0 if part == "*" else part]
    assert checked == "41793026727"


def test_a_character_a_number_cannot_hold_is_named() -> None:
    values, _ = _with("sendSms", ("messages", "*", "destinations", "*", "to"), "+41 79 \u260e 302")
    with pytest.raises(InputError) as info:
        component.validate_input("sendSms", values, now=NOW)
    assert "U+260E BLACK TELEPHONE" in info.value.errors[0]["message"]


@pytest.mark.parametrize("override", ["\u202d", "\u202e"], ids=["U+202D", "U+202E"])
def test_a_bidi_override_in_a_number_is_named_not_dropped(override: str) -> None:
    # An override reverses what is shown: the number read is not the number sent.
    values, where = _with(
        "sendSms", ("messages", "*", "destinations", "*", "to"), f"+41 79{override}302 67 27"
    )
    errors = _errors("sendSms", values)
    assert [e["path"] for e in errors] == [where]
    assert f"U+{ord(override):04X}" in errors[0]["message"]
