"""Connection and URL configuration: what must be refused, what must be accepted, and that a
redirect never carries the key anywhere.

The base-URL policy exists so that the API key only ever travels to Infobip (or to loopback, the
sandbox). Each refused value below is a way a key could leak (plain text on the network, a
look-alike host, credentials or a query in the URL, a non-HTTP scheme) or a value that cannot
work (bad port, empty key); each accepted value is one the README promises to take.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yarl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infobip_connector import (
    ConfigurationError,
    InputError,
    RejectedError,
    component,
    connection_from_values,
)
from infobip_connector.sandbox import Fault, SandboxServer
from infobip_connector.transport.connection import normalize_base_url

from .conftest import CANARY

SMS = "/sms/2/text/advanced"
VALUES: dict[str, Any] = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "Hello"}]}

REFUSED_BASE_URLS = [
    ("http://api.infobip.com", "plain http to a non-loopback host"),
    ("http://xyz12.api.infobip.com", "plain http to an Infobip host"),
    ("http://localhost.evil.com", "a host that only starts like loopback"),
    ("http://2130706433", "loopback written as a number is not trusted for plain http"),
    ("https://user:secret@api.infobip.com", "userinfo"),
    ("https://user@api.infobip.com", "user name alone"),
    ("https://api.infobip.com%2F@evil.com", "encoded slash before userinfo"),
    ("https://api.infobip.com\\@evil.com", "backslash before userinfo"),
    ("https://api.infobip.com?key=1", "query string"),
    ("https://api.infobip.com/?", "empty query"),
    ("https://api.infobip.com#top", "fragment"),
    ("javascript:alert(1)", "javascript: scheme"),
    ("ftp://api.infobip.com", "ftp scheme"),
    ("file:///etc/passwd", "file scheme"),
    ("data:text/plain,x", "data scheme"),
    ("ws://api.infobip.com", "websocket scheme"),
    ("https://evil.example", "non-Infobip host"),
    ("https://api.infobip.com.evil.example", "Infobip name as a prefix of another host"),
    ("https://evilapi.infobip.com", "Infobip name as a suffix without a dot"),
    ("https://api.infobip.com:99999", "port out of range"),
    ("https://api.infobip.com:abc", "port not a number"),
    ("https://api.infobip.com:0", "port 0"),
    ("https://", "no host"),
    ("//api.infobip.com", "scheme-relative"),
    ("https://api infobip.com", "space in the host"),
    ("http://evil.localhost:8080", "a name under localhost is not loopback"),
    ("http://localhost.:8080.evil.example", "a port that is not a number"),
    ("http://127.1:8080", "loopback in a shorthand form parsers expand differently"),
    ("http://0x7f.0.0.1:8080", "loopback in hexadecimal"),
    ("http://[::ffff:127.0.0.1]:8080", "an IPv4-mapped address is not a loopback literal"),
    ("https://[2001:db8::1%25x.api.infobip.com]", "IPv6 zone ID naming Infobip"),
    ("https://[fe80::1%eth0]", "IPv6 zone ID"),
    ("https://[::1", "unclosed IPv6 bracket"),
    ("https://[v1.x:.api.infobip.com]", "IPvFuture literal"),
    ("https://[xyz12.api.infobip.com]", "a name in brackets"),
    ("https://[::1]x", "junk after the IPv6 literal"),
    ("https://a]b.api.infobip.com", "bracket inside the host"),
    ("https://api.infobip.com:-1", "negative port"),
    ("https://api.infobip.com:+443", "port with a sign"),
    ("https://api.infobip.com:65536", "port one past the range"),
    ("https://api.infobip.com:4430000", "port of seven digits"),
    ("https://api.infobip.com:", "empty port"),
    ("https://api.infobip.com:443:443", "two ports"),
    ("https://:443", "port without a host"),
    ("https://api%2einfobip.com", "percent escape in the host"),
    ("https://api.infobip.com%2f@evil.example", "encoded slash"),
    ("https://xyz12.api.infobip.com\\.evil.example", "backslash in the host"),
    ("https://xyz12.api.infobip.com/a/../b", "dot segment in the path"),
    ("https://xyz12.api.infobip.com/a%2F..%2fb", "percent escapes in the path"),
    ("https://xyz12.api.infobip.com//evil.example", "empty path segment"),
    ("https://\u0430pi.infobip.com", "non-ASCII look-alike letter"),
    ("https://xyz12.api.infobip.com\x7f", "DEL"),
    ("https://xyz12.api.infobip.com\x00", "NUL"),
    ("https://-x.api.infobip.com", "label starting with a hyphen"),
    ("https://x..api.infobip.com", "empty label"),
    ("https:xyz12.api.infobip.com", "scheme without slashes"),
    ("https:/xyz12.api.infobip.com", "scheme with one slash"),
    ("http://1.2.3.4.5", "five numbers"),
    ("https://999.1.1.1", "number out of range"),
]


@pytest.mark.parametrize("base_url", [pytest.param(u, id=why) for u, why in REFUSED_BASE_URLS])
def test_unsafe_or_unusable_base_urls_are_refused(base_url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        connection_from_values({"token": CANARY, "baseUrl": base_url})
    assert [e["path"] for e in caught.value.errors] == ["baseUrl"]
    assert CANARY not in str(caught.value)


ACCEPTED_BASE_URLS = [
    ("xyz12.api.infobip.com", "https://xyz12.api.infobip.com", False),
    ("xyz12.api.infobip.com/", "https://xyz12.api.infobip.com", False),
    ("https://xyz12.api.infobip.com/", "https://xyz12.api.infobip.com", False),
    ("HTTPS://XYZ12.API.INFOBIP.COM", "https://xyz12.api.infobip.com", False),
    ("  https://api.infobip.com  ", "https://api.infobip.com", False),
    ("https://api.infobip.com:443", "https://api.infobip.com:443", False),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080", False),
    ("http://localhost:8080/", "http://localhost:8080", False),
    ("http://[::1]:8080", "http://[::1]:8080", False),
    ("https://proxy.corp.example/infobip/", "https://proxy.corp.example/infobip", True),
    ("http://127.0.0.2:8080", "http://127.0.0.2:8080", False),
    ("https://[0:0:0:0:0:0:0:1]:8443", "https://[::1]:8443", False),
    ("http://LOCALHOST:8080", "http://localhost:8080", False),
    ("https://xyz12.api.infobip.com.", "https://xyz12.api.infobip.com", False),
    ("https://xn--80ak6aa92e.api.infobip.com", "https://xn--80ak6aa92e.api.infobip.com", False),
    ("https://10.0.0.7:8443/ib", "https://10.0.0.7:8443/ib", True),
]


@pytest.mark.parametrize(("base_url", "normalised", "allow_custom"), ACCEPTED_BASE_URLS)
def test_documented_base_url_forms_are_accepted(
    base_url: str, normalised: str, allow_custom: bool
) -> None:
    values: dict[str, Any] = {"token": CANARY, "baseUrl": base_url}
    if allow_custom:
        values["allowCustomHost"] = True
    assert connection_from_values(values).base_url == normalised


def test_a_custom_host_still_needs_https() -> None:
    with pytest.raises(ConfigurationError):
        connection_from_values(
            {"token": CANARY, "baseUrl": "http://proxy.corp.example", "allowCustomHost": True}
        )


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="whitespace only"),
        pytest.param("abc def", id="inner space"),
        pytest.param(" abcdef", id="leading space"),
        pytest.param("abcdef\n", id="trailing newline"),
        pytest.param("abc\x00def", id="NUL"),
        pytest.param("abc\r\nX-Injected: 1", id="header injection"),
        pytest.param("abc", id="too short to mask"),
        pytest.param(None, id="null"),
        pytest.param(12345, id="number"),
    ],
)
def test_bad_tokens_are_refused(token: Any) -> None:
    with pytest.raises(ConfigurationError) as caught:
        connection_from_values({"token": token, "baseUrl": "xyz12.api.infobip.com"})
    assert [e["path"] for e in caught.value.errors] == ["token"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("connectTimeout", 0),
        ("readTimeout", -1),
        ("deadline", 10_000),
        ("maxAttempts", 0),
        ("maxAttempts", 11),
        ("maxAttempts", 2.5),
        ("maxAttempts", True),
        ("readTimeout", "5"),
        ("allowCustomHost", "yes"),
        ("unknownSetting", 1),
    ],
)
def test_bad_connection_settings_are_refused(key: str, value: Any) -> None:
    with pytest.raises(ConfigurationError) as caught:
        connection_from_values({"token": CANARY, key: value})
    assert [e["path"] for e in caught.value.errors] == [key]


# ---------------------------------------------------------------- redirects, over real sockets


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("where", ["elsewhere", "the same server"])
def test_redirects_are_never_followed(status: int, where: str, server: SandboxServer) -> None:
    sandbox = server.sandbox
    sandbox.reset()
    location = "https://evil.example/steal" if where == "elsewhere" else server.url + SMS
    sandbox.script("POST", SMS, Fault(status=status, headers={"Location": location}))
    with pytest.raises(RejectedError) as caught:
        component.execute("sendSms", VALUES, {"token": CANARY, "baseUrl": server.url})
    assert caught.value.details["status"] == status
    assert len(sandbox.requests) == 1  # not even to the same server: the key goes once
    assert not sandbox.accepted_message_ids


# ---------------------------------------------------------------- URLs inside the input

BAD_CALLBACK_URLS = [
    "javascript:alert(1)",
    "ftp://example.com/cb",
    "file:///etc/passwd",
    "www.example.com/cb",
    "example.com",
    "http://",
    "https:// example.com",
    "http:/example.com",
    "mailto:a@example.com",
    "data:text/html,<script>",
    "//example.com/cb",
    "http://exa mple.com",
]
GOOD_CALLBACK_URLS = [
    "http://example.com/cb",
    "https://example.com/cb?x=1#f",
    "HTTPS://EXAMPLE.COM",
]


def _with_url(action: str, field: str, url: str) -> tuple[dict[str, Any], str]:
    if action == "sendSms" and field == "notifyUrl":
        return {"messages": [{**VALUES["messages"][0], "notifyUrl": url}]}, "messages[0].notifyUrl"
    if action == "sendSms":
        return {**VALUES, "urlOptions": {"trackingUrl": url}}, "urlOptions.trackingUrl"
    values: dict[str, Any] = {
        "from": "441134960000",
        "to": "441134960001",
        "content": {"text": "x"},
    }
    if field == "notifyUrl":
        return {**values, "notifyUrl": url}, "notifyUrl"
    return {**values, "urlOptions": {"trackingUrl": url}}, "urlOptions.trackingUrl"


FIELDS = [
    ("sendSms", "notifyUrl"),
    ("sendSms", "trackingUrl"),
    ("sendWhatsappTextMessage", "notifyUrl"),
    ("sendWhatsappTextMessage", "trackingUrl"),
]


@pytest.mark.parametrize(("action", "field"), FIELDS)
@pytest.mark.parametrize("url", BAD_CALLBACK_URLS)
def test_callback_urls_must_be_http_or_https(action: str, field: str, url: str) -> None:
    values, path = _with_url(action, field, url)
    with pytest.raises(InputError) as caught:
        component.validate_input(action, values)
    assert path in [e["path"] for e in caught.value.errors]


@pytest.mark.parametrize(("action", "field"), FIELDS)
@pytest.mark.parametrize("url", GOOD_CALLBACK_URLS)
def test_http_and_https_callback_urls_are_accepted(action: str, field: str, url: str) -> None:
    values, _ = _with_url(action, field, url)
    component.validate_input(action, values)


# ---------------------------------------------------------------- one reading of a base URL

_URL_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTPS://",
        "//",
        "[",
        "]",
        "::1",
        "::ffff:",
        "%25",
        "%",
        "@",
        ":",
        ":443",
        ":0",
        ":-1",
        ":+8",
        ":99999",
        "/",
        "/..",
        "/.",
        "\\\\",
        "?",
        "#",
        ".",
        "..",
        "api.infobip.com",
        ".api.infobip.com",
        "xyz12",
        "localhost",
        ".localhost",
        "127.0.0.1",
        "127.1",
        "0x7f",
        "2130706433",
        "1.2.3.4",
        "xn--",
        "\\u0430",
        "\\x7f",
        "\\x00",
        " ",
        "\\t",
        "a",
        "-",
        "_",
        "evil.example",
        "v1.x",
        "fe80::1",
        "%2e",
        "%2F",
    ]
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_URL_PIECES, min_size=1, max_size=8), custom=st.booleans())
def test_every_base_url_is_refused_or_read_the_same_by_every_parser(
    pieces: list[str], custom: bool
) -> None:
    raw = "".join(pieces)
    try:
        url = normalize_base_url(raw, allow_custom_host=custom)
    except ConfigurationError as error:
        assert [e["path"] for e in error.errors] == ["baseUrl"]
        return
    # Accepted: urllib, httpx (sync path) and yarl (async path) see the same target.
    full = url + "/sms/2/text/advanced"
    split = urlsplit(full)
    sync = httpx.URL(full)
    asynchronous = yarl.URL(str(sync), encoded=True)
    host = (split.hostname or "").lower()
    assert sync.raw_host.decode() == asynchronous.raw_host == host
    default = {"http": 80, "https": 443}[split.scheme]
    assert (sync.port or default) == asynchronous.port == (split.port or default)
    assert sync.raw_path.decode() == asynchronous.raw_path == split.path
    assert sync.scheme == asynchronous.scheme == split.scheme
    assert not split.username and not split.query and not split.fragment
    httpx.Request("POST", sync)  # the transport can build it
    if split.scheme == "http":
        assert host == "localhost" or ipaddress.ip_address(host).is_loopback
    if not custom:
        loopback = host == "localhost" or (
            _is_address(host) and ipaddress.ip_address(host).is_loopback
        )
        assert loopback or host == "api.infobip.com" or host.endswith(".api.infobip.com")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- values are never echoed

KEY_SHAPED = [CANARY, "abc:def/ghi@jkl", "7f0e1c2d3b4a59687766554433221100-a1b2c3d4"]


@pytest.mark.parametrize("key", KEY_SHAPED)
@pytest.mark.parametrize(
    "field",
    ["baseUrl", "connectTimeout", "readTimeout", "deadline", "maxAttempts", "allowCustomHost"],
)
@pytest.mark.parametrize("custom", [False, True])
def test_a_key_in_the_wrong_field_is_never_printed_back(key: str, field: str, custom: bool) -> None:
    # The key typed where another value belongs, and that value typed as the token.
    values: dict[str, Any] = {"token": "xyz12.api.infobip.com", field: key}
    if custom and field != "allowCustomHost":
        values["allowCustomHost"] = True
    with pytest.raises(ConfigurationError) as caught:
        connection_from_values(values)
    said = json.dumps(caught.value.to_dict()) + str(caught.value) + repr(caught.value)
    assert key not in said
    assert not any(part in said for part in key.replace(":", "/").replace("@", "/").split("/"))
