"""The URL and headers the pooled async path hands aiohttp: the very ones it was given.

``aiohttp_sender`` makes each in aiohttp's own form once (an httpx URL renders its whole
text to be hashed; aiohttp converts any other mapping of headers on every request) and
keeps it in a table; these tests hold it to handing on what it was asked for, whatever
its tables hold.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import httpx
import pytest
from yarl import URL

from infobip_connector.redaction import HiddenStr
from infobip_connector.transport import aiohttp_sender, client, plan
from infobip_connector.transport.aiohttp_sender import _aiohttp_headers, _yarl_url

URLS = [
    "https://api.infobip.com/sms/2/text/advanced",
    "https://xyz.api.infobip.com:8443/sms/1/bulks?bulkId=a%2Fb%20c",
    "http://127.0.0.1:18777/whatsapp/2/senders/%2B441134960000/templates",
    "http://[::1]:8080/sms/3/logs?limit=5&to=41793026727",
]


@pytest.fixture(autouse=True)
def _empty_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aiohttp_sender, "_yarl_urls", {})
    monkeypatch.setattr(aiohttp_sender, "_header_sets", {})


@pytest.mark.parametrize("text", URLS)
def test_the_url_is_handed_on_as_encoded(text: str) -> None:
    url = httpx.URL(text)
    parsed = _yarl_url(url)
    # Not encoded again: "%2F" stays an escaped slash, "%2B" an escaped plus.
    assert str(parsed) == str(url)
    assert parsed.raw_path == url.raw_path.decode().partition("?")[0]
    assert _yarl_url(url) is parsed  # parsed once per URL object


def test_another_url_under_the_same_id_is_never_taken() -> None:
    # An id names another object once the first is gone: only the object held with the
    # entry is answered from it.
    url, other = httpx.URL(URLS[0]), httpx.URL(URLS[1])
    aiohttp_sender._yarl_urls[id(url)] = (other, URL(str(other), encoded=True))
    assert str(_yarl_url(url)) == URLS[0]
    assert aiohttp_sender._yarl_urls[id(url)][0] is url


def test_equal_urls_made_apart_give_equal_urls() -> None:
    first, second = httpx.URL(URLS[2]), httpx.URL(URLS[2])
    assert _yarl_url(first) == _yarl_url(second)


def test_the_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aiohttp_sender, "_MAX_URLS", 3)
    kept = [httpx.URL(f"https://api.infobip.com/sms/1/bulks?bulkId={n}") for n in range(10)]
    for url in kept:
        assert str(_yarl_url(url)) == str(url)
        assert len(aiohttp_sender._yarl_urls) <= 3


def test_the_async_path_sends_through_the_sender_it_imported_once() -> None:
    assert client._aiohttp_request() is aiohttp_sender.request
    assert client._aiohttp_request() is client._aiohttp_request()


def _headers(key: str) -> dict[str, str]:
    return {
        "Authorization": HiddenStr(f"App {key}"),
        "Accept": "application/json",
        "Content-Type": "application/json",
    }


def test_the_headers_are_handed_on_as_given() -> None:
    given = MappingProxyType(_headers("a" * 32))
    handed = _aiohttp_headers(given)
    assert list(handed.items()) == list(given.items())
    # The key's value keeps its masked repr on the way to the socket.
    assert type(handed["authorization"]) is HiddenStr
    assert "a" * 32 not in repr(handed)
    assert _aiohttp_headers(MappingProxyType(_headers("a" * 32))) is handed  # made once


def test_headers_changed_by_their_owner_are_sent_as_they_are_now() -> None:
    # Known by their pairs, not by the mapping: a changed mapping is never sent as it was.
    owned = _headers("a" * 32)
    first = _aiohttp_headers(owned)
    owned["Authorization"] = HiddenStr("App " + "b" * 32)
    assert _aiohttp_headers(owned)["Authorization"] == "App " + "b" * 32
    assert first["Authorization"] == "App " + "a" * 32


def test_the_header_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aiohttp_sender, "_MAX_HEADER_SETS", 3)
    for n in range(10):
        assert _aiohttp_headers(_headers(f"{n:032d}"))["Authorization"] == f"App {n:032d}"
        assert len(aiohttp_sender._header_sets) <= 3


def test_a_masked_key_stays_masked_whoever_came_first() -> None:
    # A HiddenStr equals the plain text of the key, but only it masks its repr: headers
    # first given as plain text must not lend their form to the masked ones.
    plain = {name: str(value) for name, value in _headers("c" * 32).items()}
    assert type(_aiohttp_headers(plain)["Authorization"]) is str
    handed = _aiohttp_headers(MappingProxyType(_headers("c" * 32)))
    assert type(handed["Authorization"]) is HiddenStr
    assert "c" * 32 not in repr(handed)


def test_headers_that_cannot_be_a_key_are_handed_on_as_they_are() -> None:
    given: dict[str, Any] = {"Accept": "application/json", "X-List": ["a"]}
    assert _aiohttp_headers(given) is given
    assert aiohttp_sender._header_sets == {}


def test_every_plan_kept_keeps_its_headers() -> None:
    # Two sets per connection (with and without a body) for every plan the plan table keeps.
    assert aiohttp_sender._MAX_HEADER_SETS == 2 * plan.MAX_PLANS
