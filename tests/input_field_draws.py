"""Hand-made strategies for the fields whose rules live outside the schema (``checks.py``).

Phone numbers are drawn from libphonenumber's own example numbers, written the ways people
write them; ``sendAt`` relative to a fixed "now", in every accepted form; the delivery time
window with from and to together, at least an hour apart; URLs well formed; WhatsApp template
headers and buttons as Infobip's OpenAPI description has them. ``overrides`` finds them by
what the definition declares (a format or a rule), for any action.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.definition.model import walk
from infobip_connector.runtime.urls import callback_url_problem

from .input_schema_draws import NOW, Override, Path_, Schema, from_schema, strings_of

# ---------------------------------------------------------------- phone numbers


def _phone_book() -> list[tuple[str, str]]:
    """``(as written, expected digits)`` for example numbers of every region libphonenumber knows.

    The expectation comes from phonenumbers directly, not from the connector's normaliser.
    """
    book: list[tuple[str, str]] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None or not phonenumbers.is_possible_number(number):
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            spaced = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            digits = e164[1:]
            spaced_00 = "00" + spaced[1:]  # 0041 79 302 67 27
            for written in (e164, "00" + digits, spaced_00, digits, spaced, " " + spaced + " "):
                if len(written) <= 24:  # WhatsApp's from allows 24 characters
                    book.append((written, digits))
    return book


PHONES = _phone_book()
phones = st.sampled_from(PHONES)
# SMS senders as written, and as Infobip must receive them: names and short codes as given,
# numbers normalised like recipients' numbers.
SENDERS = [("InfoSMS", "InfoSMS"), ("ACME Corp", "ACME Corp"), ("Shop-24", "Shop-24")]
SENDERS += [("12345", "12345"), ("0800", "0800"), *[p for p in PHONES if len(p[1]) > 8][::7]]
senders = st.sampled_from(SENDERS)


# ---------------------------------------------------------------- fields with rules


@st.composite
def _send_at(draw: st.DrawFn, schema: Schema) -> tuple[Any, datetime]:
    """A sendAt in one of its accepted forms, with the instant it means (to millisecond)."""
    ahead = draw(st.integers(60, 179 * 24 * 3600))  # clear of both the grace and the horizon
    moment = NOW + timedelta(seconds=ahead, milliseconds=draw(st.integers(0, 999)))
    timespec = draw(st.sampled_from(["seconds", "milliseconds"]))
    if timespec == "seconds":
        moment = moment.replace(microsecond=0)
    form = draw(st.sampled_from(["offset text", "zone", "offset dateTime"]))
    if form == "zone":
        zone = draw(
            st.sampled_from(
                ["Europe/Zagreb", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
            )
        )
        local = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        text = local.isoformat(timespec=timespec)
        if draw(st.booleans()):
            text = text.replace("T", " ")
        # A wall-clock time that occurs twice means its first occurrence (documented).
        meant = local.replace(tzinfo=ZoneInfo(zone), fold=0)
        return {"dateTime": text, "zoneId": zone}, meant
    quarter_hours = draw(st.integers(-12 * 4, 14 * 4))
    shifted = moment.astimezone(timezone(timedelta(minutes=15 * quarter_hours)))
    text = shifted.isoformat(timespec=timespec)
    style = draw(st.sampled_from(["colon", "no colon", "Z", "t separator"]))
    if style == "no colon":
        text = text[:-3] + text[-2:]
    elif style == "Z" and quarter_hours == 0:
        text = text[:-6] + "Z"
    elif style == "t separator":
        text = text.replace("T", "t")
    return (text if form == "offset text" else {"dateTime": text}), moment


@st.composite
def _instant(draw: st.DrawFn, schema: Schema, *, future: bool = False) -> str:
    """An ISO-8601 date-time with its offset (or Z), as the ``instant`` rule takes it;
    ``future``: after ``NOW``, as an offer's expiration must be."""
    earliest = 1 if future else -30 * 24 * 3600
    moment = NOW + timedelta(seconds=draw(st.integers(earliest, 30 * 24 * 3600)))
    shifted = moment.astimezone(timezone(timedelta(minutes=15 * draw(st.integers(-48, 56)))))
    text = shifted.isoformat(timespec=draw(st.sampled_from(["seconds", "milliseconds"])))
    style = draw(st.sampled_from(["colon", "no colon", "Z", "space"]))
    if style == "no colon":
        return text[:-3] + text[-2:]
    if style == "Z" and shifted.utcoffset() == timedelta(0):
        return text[:-6] + "Z"
    if style == "space":
        return text.replace("T", " ")
    return text


def _time_window(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    days = from_schema(schema["properties"]["days"], (), {})
    gaps = st.integers(60, 24 * 60 - 1)
    starts = st.integers(0, 24 * 60 - 1)

    @st.composite
    def window(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {"days": draw(days)}
        if draw(st.booleans()):
            start = draw(starts)
            end = (start + draw(gaps)) % (24 * 60)
            out["from"] = {"hour": start // 60, "minute": start % 60}
            out["to"] = {"hour": end // 60, "minute": end % 60}
        return out

    return window()


_LABELS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
# A name's last label starts with a letter: digits and dots alone are an IPv4 address.
_TOPS = st.from_regex(r"[a-z](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_HOSTS = (
    st.builds(lambda labels, top: ".".join([*labels, top]), st.lists(_LABELS, max_size=2), _TOPS)
    | st.ip_addresses(v=4).map(str)
    | st.ip_addresses(v=6).map(lambda a: f"[{a}]")
)


def _url(_: Schema) -> st.SearchStrategy[str]:
    """Well-formed http(s) URLs (the schema pattern alone also allows malformed ones)."""
    return st.builds(
        lambda scheme, host, port, rest: f"{scheme}://{host}{port}{rest}",
        st.sampled_from(["http", "https", "HTTPS"]),
        _HOSTS,
        st.sampled_from(["", ":1", ":8080", ":65535"]),
        st.from_regex(
            r"(/[A-Za-z0-9._~!$&'()*+,;=:@-]{0,8}){0,3}(\?[a-z=&%0-9]{0,5})?", fullmatch=True
        ),
    ).map(lambda url: re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url))


def _callback_url(schema: Schema) -> st.SearchStrategy[str]:
    """Well-formed URLs Infobip can call: a public host (loopback and private addresses
    are refused when the connection is not a local sandbox)."""
    return _url(schema).filter(lambda url: callback_url_problem(url, local=False) is None)


# The members of each WhatsApp template header type, all required for it, and the limits of
# button parameters by type, as Infobip's OpenAPI description has them
# (Template*HeaderContent, Template*ButtonContent).
_HEADER_MEMBERS = {
    "TEXT": ["placeholder"],
    "DOCUMENT": ["mediaUrl", "filename"],
    "IMAGE": ["mediaUrl"],
    "VIDEO": ["mediaUrl"],
    "GIF": ["mediaUrl"],
    "LOCATION": ["latitude", "longitude"],
}
_BUTTON_LIMITS = {"QUICK_REPLY": 128, "COPY_CODE": 15, "URL": None}


def _template_header(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    members = {name: from_schema(sub, (), {}) for name, sub in schema["properties"].items()}
    members["mediaUrl"] = _url(schema["properties"]["mediaUrl"])  # format: http-url

    @st.composite
    def header(draw: st.DrawFn) -> dict[str, Any]:
        kind = draw(st.sampled_from(sorted(_HEADER_MEMBERS)))
        return {"type": kind, **{m: draw(members[m]) for m in _HEADER_MEMBERS[kind]}}

    return header()


# Button types whose members are all optional: the type alone is a whole button.
_BARE_BUTTONS = ("FLOW", "CATALOG", "VOICE_CALL")


def template_button(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    parameter = schema["properties"]["parameter"]
    offered = schema["properties"]["type"]["enum"]  # a carousel card's buttons offer fewer
    by_type = {
        kind: (
            strings_of({**parameter, "maxLength": limit, "x-maxLengthUtf16": limit})
            if limit is not None
            else strings_of(parameter)
        ).map(lambda text, kind=kind: {"type": kind, "parameter": text})
        for kind, limit in _BUTTON_LIMITS.items()
        if kind in offered
    }
    # Built per draw, not st.just({...}): one dict shared by every example would carry the
    # changes one example makes to it (test_property_outcomes puts random values into the
    # input) into the next ones, and replaying the same choices would give another input.
    by_type.update(
        {kind: st.builds(dict, type=st.just(kind)) for kind in _BARE_BUTTONS if kind in offered}
    )
    return st.sampled_from(sorted(by_type)).flatmap(lambda kind: by_type[kind])


def _order_payment(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    # An ID every payment type takes: the pattern, within UPI_PAYU's 25 characters.
    kinds = st.sampled_from(schema["properties"]["type"]["enum"])
    ids = st.from_regex(r"[A-Za-z0-9\-_.]{1,25}", fullmatch=True)
    return st.builds(lambda kind, id_: {"type": kind, "id": id_}, kinds, ids)


def _template_buttons(schema: Schema) -> st.SearchStrategy[list[dict[str, Any]]]:
    # At most two dynamic URL buttons and one copy code button.
    smallest, largest = schema.get("minItems", 0), min(3, schema.get("maxItems", 3))
    buttons = st.lists(template_button(schema["items"]), min_size=smallest, max_size=largest)
    return buttons.filter(
        lambda buttons: (
            [b["type"] for b in buttons].count("URL") <= 2
            and [b["type"] for b in buttons].count("COPY_CODE") <= 1
        )
    )


def overrides(action: str) -> dict[Path_, Override]:
    """Hand-made strategies by what the definition declares (a format or a rule), any action."""

    def phone(_: Schema) -> st.SearchStrategy[str]:
        return phones.map(lambda p: p[0])

    def sender(_: Schema) -> st.SearchStrategy[str]:
        return senders.map(lambda p: p[0])

    by_format: dict[str, Override] = {
        "phone": phone,
        "sms-sender": sender,
        "http-url": _url,
        "callback-url": _callback_url,
    }
    by_rule: dict[str, Override] = {
        "sendAt": lambda s: _send_at(s),
        "deliveryTimeWindow": _time_window,
        "templateHeader": _template_header,
        "templateButton": template_button,
        "templateButtons": _template_buttons,
        "orderPayment": _order_payment,
        "instant": lambda s: _instant(s),
    }
    found: dict[Path_, Override] = {}
    for path, prop in walk(component.definition.action(action).as_property()):
        if prop.format in by_format:
            found[path] = by_format[prop.format]
        for rule in prop.rules:
            if rule in by_rule:
                found[path] = by_rule[rule]
        if path[-1:] == ("expirationTime",):  # an offer that has expired is refused
            found[path] = lambda s: _instant(s, future=True)
    return found
