"""The Host and Origin check of ``mcp --http``, header by header (``httpguard.guarded``).

Run on a stand-in ASGI app: what is asserted is which requests reach it, with which
headers, and which are answered 421 (Host) or 403 (Origin) before any path is routed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from infobip_connector.hosts.mcp.httpguard import guard_for, guarded

PORT = 8931
GUARD = guard_for("127.0.0.1", ["mcp.example.test", "10.0.0.5:8000"], ["https://app.example:8443"])


def status(*headers: tuple[str, str], path: str = "/mcp") -> tuple[int, dict[str, str]]:
    """The status a request with ``headers`` gets, and the headers the app was handed."""
    reached: dict[str, str] = {}
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        for name, value in scope["headers"]:
            assert name.decode() not in reached, "a header passed on twice"
            reached[name.decode()] = value.decode()
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "path": path,
        "headers": [(name.lower().encode(), value.encode("latin-1")) for name, value in headers],
    }
    asyncio.run(guarded(app, GUARD, PORT)(scope, receive, send))
    return sent[0]["status"], reached


@pytest.mark.parametrize(
    "host",
    [
        "localhost:1",  # not the server's port
        f"127.0.0.1:{PORT}@evil.example",
        f"evil.example@127.0.0.1:{PORT}",
        "mcp.example.test:1",
        "10.0.0.5:8001",
        f"127.0.0.1:{PORT}/x",
        "",
        "localhost",  # no port is port 80, not the server's
        "127.0.0.1",
    ],
)
def test_a_host_with_another_port_or_a_user_part_is_refused(host: str) -> None:
    assert status(("Host", host))[0] == 421


@pytest.mark.parametrize(
    ("host", "passed"),
    [
        (f"LOCALHOST:{PORT}", f"localhost:{PORT}"),
        (f"Mcp.Example.Test:{PORT}", f"mcp.example.test:{PORT}"),
        ("10.0.0.5:8000", "10.0.0.5:8000"),
        ("mcp.example.test", "mcp.example.test"),  # given without a port: a proxy's name
        (f"[::1]:{PORT}", f"[::1]:{PORT}"),
    ],
)
def test_host_names_are_compared_in_any_case_and_passed_on_in_lower_case(
    host: str, passed: str
) -> None:
    code, reached = status(("Host", host))
    assert code == 200 and reached["host"] == passed


def test_two_host_or_two_origin_headers_are_refused() -> None:
    good = ("Host", f"localhost:{PORT}")
    assert status(good, ("Host", "evil.example"))[0] == 421
    assert status(("Host", "evil.example"), good)[0] == 421
    origin = ("Origin", f"http://localhost:{PORT}")
    assert status(good, origin, ("Origin", "http://evil.example"))[0] == 403


@pytest.mark.parametrize(
    "origin",
    [
        f"http://localhost:{PORT}, http://evil.example",
        "http://evil.example",
        "null",
        "file://",
        f"http://user@localhost:{PORT}",
        "https://app.example:8444",
        "ftp://localhost",
        "http://localhost:1234",  # another local web app: not the server's port
        "http://localhost:3000",
        "http://127.0.0.1",  # port 80
        "https://localhost",  # port 443
    ],
)
def test_an_origin_that_is_not_one_allowed_origin_is_refused(origin: str) -> None:
    assert status(("Host", f"localhost:{PORT}"), ("Origin", origin))[0] == 403


@pytest.mark.parametrize(
    ("origin", "passed"),
    [
        (f"HTTP://LocalHost:{PORT}", f"http://localhost:{PORT}"),
        ("https://APP.example:8443", "https://app.example:8443"),
        (f"https://127.0.0.1:{PORT}", f"https://127.0.0.1:{PORT}"),
    ],
)
def test_an_allowed_origin_is_passed_on_in_lower_case(origin: str, passed: str) -> None:
    code, reached = status(("Host", f"localhost:{PORT}"), ("Origin", origin))
    assert code == 200 and reached["origin"] == passed


def test_an_origin_given_without_a_port_is_allowed_on_the_schemes_default_only() -> None:
    guard = guard_for("127.0.0.1", ["mcp.example.test"], ["https://App.example.com"])
    reached: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(dict(scope["headers"]).get(b"origin", b"").decode())
        await send({"type": "http.response.start", "status": 200, "headers": []})

    def code(origin: str, host: str = f"localhost:{PORT}") -> int:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "path": "/mcp",
            "headers": [(b"host", host.encode()), (b"origin", origin.encode())],
        }
        asyncio.run(guarded(app, guard, PORT)(scope, _receive, send))
        return int(sent[0]["status"])

    for other in ("8443", "1", "80", "65535", str(PORT)):
        assert code(f"https://app.example.com:{other}") == 403, other
    assert code("http://app.example.com") == 403  # port 80: another origin
    assert code("https://app.example.com") == 200
    assert code("https://APP.example.com:443") == 200  # the default written out
    assert reached == ["https://app.example.com"] * 2
    assert code("https://app.example.com", host="mcp.example.test:443") == 200
    assert code("https://app.example.com", host="mcp.example.test:8080") == 421


def test_every_path_is_checked_before_it_is_routed() -> None:
    assert status(("Host", "evil.example"), path="/mcp/")[0] == 421
    assert status(("Host", "evil.example"), path="/")[0] == 421


def test_on_port_80_a_host_without_a_port_is_the_servers_own() -> None:
    reached: list[int] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(1)

    async def run(host: str, origin: str) -> None:
        scope = {
            "type": "http",
            "path": "/mcp",
            "headers": [(b"host", host.encode()), (b"origin", origin.encode())],
        }
        await guarded(app, guard_for("127.0.0.1", None, None), 80)(scope, _receive, _ignore)

    asyncio.run(run("localhost", "http://localhost"))
    assert reached == [1]


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b""}


async def _ignore(message: dict[str, Any]) -> None:
    pass
