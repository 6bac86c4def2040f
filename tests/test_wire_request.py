"""The request an attempt hands to httpx is the one httpx itself would make.

``attempts._httpx_request`` gives httpx headers made once per request shape and the body
as a whole stream, so that httpx neither re-encodes the headers nor adds its own; the
result must still be, header for header and byte for byte, what ``httpx.Request`` makes
from the same method, URL, headers and content.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infobip_connector.transport import attempts

HEADERS = {
    "Authorization": "App wire-request-key-0001",
    "Accept": "application/json",
    "User-Agent": "infobip-connector/test",
}
URLS = [
    httpx.URL("https://xyz.api.infobip.com/sms/3/messages"),
    httpx.URL("http://127.0.0.1:8080/sms/3/messages?x=1"),
]
BODIES = [None, b"", b"{", b"{}", b'{"messages":[]}', b"x" * 4097]


def _attempt(method: str, url: httpx.URL, headers: dict[str, str], content: Any) -> Any:
    timeout = httpx.Timeout(connect=1.0, read=2.0, write=2.0, pool=1.0)
    return {
        "method": method,
        "url": url,
        "content": content,
        "headers": headers,
        "timeout": timeout,
    }


def _as_httpx_makes_it(attempt: dict[str, Any]) -> httpx.Request:
    return httpx.Request(
        attempt["method"],
        attempt["url"],
        headers=attempt["headers"],
        content=attempt["content"],
        extensions={"timeout": attempt["timeout"].as_dict()},
    )


def _same(made: httpx.Request, expected: httpx.Request) -> None:
    assert made.method == expected.method
    assert made.url == expected.url
    assert made.headers.raw == expected.headers.raw
    assert made.content == expected.content
    assert b"".join(made.stream) == b"".join(expected.stream)  # type: ignore[arg-type]
    assert made.extensions == expected.extensions


@pytest.mark.parametrize("url", URLS, ids=["https", "loopback"])
@pytest.mark.parametrize("method", ["POST", "PUT", "GET", "DELETE", "post"])
def test_each_request_shape_is_made_as_httpx_makes_it(method: str, url: httpx.URL) -> None:
    for typed in ({}, {"Content-Type": "application/json"}):
        for content in BODIES:
            attempt = _attempt(method, url, {**HEADERS, **typed}, content)
            # Twice: made, then from the cache.
            for _ in range(2):
                _same(attempts._httpx_request(attempt), _as_httpx_makes_it(attempt))


def test_headers_naming_a_length_or_host_are_kept_as_httpx_keeps_them() -> None:
    url = URLS[0]
    for extra in (
        {"Content-Length": "7"},
        {"Transfer-Encoding": "chunked"},
        {"host": "other.example"},
    ):
        for content in BODIES:
            attempt = _attempt("POST", url, {**HEADERS, **extra}, content)
            _same(attempts._httpx_request(attempt), _as_httpx_makes_it(attempt))


def test_a_cached_set_is_never_changed_by_a_request() -> None:
    attempt = _attempt("POST", URLS[0], HEADERS, b"{}")
    first = attempts._httpx_request(attempt)
    first.headers["Authorization"] = "App changed"
    assert attempts._httpx_request(attempt).headers["Authorization"] == HEADERS["Authorization"]


def test_another_url_object_with_a_reused_id_is_not_given_its_headers() -> None:
    attempt = _attempt("POST", URLS[0], HEADERS, b"{}")
    attempts._httpx_request(attempt)
    key = ("POST", id(URLS[0]), tuple(HEADERS.items()), 2)
    other = httpx.URL("https://other.api.infobip.com/sms/3/messages")
    # An entry left by a URL object whose id another one now has (the cache holds its URL,
    # so this can only be simulated): it is not used for the other object.
    attempts._header_sets[("POST", id(other), *key[2:])] = attempts._header_sets[key]
    made = attempts._httpx_request(_attempt("POST", other, HEADERS, b"{}"))
    assert made.headers["Host"] == "other.api.infobip.com"
