"""The URL the pooled async path hands aiohttp: the very one the connection policy checked.

``aiohttp_sender._yarl_url`` parses each httpx URL once and knows it again by the object
(an httpx URL renders its whole text to be hashed); these tests hold it to giving the URL
it was asked for, whatever its table holds.
"""

from __future__ import annotations

import httpx
import pytest
from yarl import URL

from infobip_connector.transport import aiohttp_sender, client
from infobip_connector.transport.aiohttp_sender import _yarl_url

URLS = [
    "https://api.infobip.com/sms/2/text/advanced",
    "https://xyz.api.infobip.com:8443/sms/1/bulks?bulkId=a%2Fb%20c",
    "http://127.0.0.1:18777/whatsapp/2/senders/%2B441134960000/templates",
    "http://[::1]:8080/sms/3/logs?limit=5&to=41793026727",
]


@pytest.fixture(autouse=True)
def _empty_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aiohttp_sender, "_yarl_urls", {})


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
