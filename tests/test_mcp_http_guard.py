"""``mcp --http`` answers only the Host and Origin names it is known by, on every address.

DNS rebinding: a page in the operator's browser posts with its own site in ``Host`` and
``Origin``. The SDK checks those on its own for 127.0.0.1, localhost and ::1 only; the
server turns the check on for any ``--host`` (0.0.0.0, 127.0.0.2...), with the bound
address and localhost allowed and ``--allowed-host`` / ``--allowed-origin`` adding names.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from infobip_connector.errors import UsageError
from infobip_connector.hosts.mcp.httpguard import LOOPBACK_NAMES, guard_for

from .test_cli import error_of, run_cli

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}


def test_the_bound_address_and_localhost_are_allowed_by_default() -> None:
    guard = guard_for("0.0.0.0", None, None)
    for name in ("0.0.0.0", *LOOPBACK_NAMES):
        assert {name, f"{name}:*"} <= set(guard.hosts)
        assert {f"http://{name}:*", f"https://{name}"} <= set(guard.origins)
    assert "[::]:*" in guard_for("::", None, None).hosts


def test_the_flags_add_names_and_exact_ports() -> None:
    guard = guard_for(
        "0.0.0.0", ["MCP.example.com", "10.0.0.5:8000", "fe80::1"], ["https://app.example.com:8443"]
    )
    assert {"mcp.example.com", "mcp.example.com:*", "10.0.0.5:8000", "[fe80::1]:*"} <= set(
        guard.hosts
    )
    assert "10.0.0.5:*" not in guard.hosts
    assert "https://app.example.com:8443" in guard.origins


@pytest.mark.parametrize(
    ("hosts", "origins", "path"),
    [
        (["*"], None, "--allowed-host"),
        (["a b"], None, "--allowed-host"),
        (["x:99999"], None, "--allowed-host"),
        (["http://x"], None, "--allowed-host"),
        (None, ["*"], "--allowed-origin"),
        (None, ["ftp://x"], "--allowed-origin"),
        (None, ["https://x/path"], "--allowed-origin"),
    ],
)
def test_a_value_that_names_no_host_is_a_usage_error(
    hosts: list[str] | None, origins: list[str] | None, path: str
) -> None:
    with pytest.raises(UsageError) as raised:
        guard_for("127.0.0.1", hosts, origins)
    assert raised.value.errors[0]["path"] == path


@pytest.mark.parametrize("flag", ["--allowed-host", "--allowed-origin"])
def test_the_flags_go_with_http_only(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, out, err = run_cli(capsys, "mcp", "--sandbox", flag, "http://x.example")
    assert (code, out) == (2, "")
    assert error_of(err)["details"]["errors"][0]["path"] == flag


def serving(*flags: str) -> Iterator[int]:
    pytest.importorskip("mcp")
    argv = [sys.executable, "-m", "infobip_connector", "mcp", "--sandbox", "--http", *flags]
    server = subprocess.Popen(
        [*argv, "--port", "0"], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stderr is not None
        for line in server.stderr:
            if "streamable HTTP" in line:
                yield int(line.rsplit(":", 1)[1].split("/", 1)[0])
                break
        else:
            raise AssertionError("the server did not start")
    finally:
        server.terminate()
        server.wait(timeout=30)


def opened_session(client: httpx.Client, port: int) -> tuple[str, dict[str, str]]:
    """The URL of the server at ``port`` and the headers of a session ``client`` opened
    there (``initialize``, then ``notifications/initialized``)."""
    from .mcp_messages import HELLO

    url = f"http://127.0.0.1:{port}/mcp"
    headers = {
        "Host": f"127.0.0.1:{port}",
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
    }
    hello = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": HELLO}
    started = client.post(url, json=hello, headers=headers)
    headers["mcp-session-id"] = started.headers["mcp-session-id"]
    headers["mcp-protocol-version"] = "2025-06-18"
    note = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    assert client.post(url, json=note, headers=headers).status_code == 202
    return url, headers


def status(address: str, port: int, host: str, origin: str | None = None) -> int:
    headers = {"Host": host, "Accept": "application/json, text/event-stream"}
    if origin is not None:
        headers["Origin"] = origin
    with (
        httpx.Client(timeout=30) as client,
        client.stream(
            "POST", f"http://{address}:{port}/mcp", json=INITIALIZE, headers=headers
        ) as answer,
    ):
        return answer.status_code


@pytest.fixture()
def on_all_addresses() -> Iterator[int]:
    yield from serving("--host", "0.0.0.0", "--allowed-host", "mcp.example.test")


def test_on_all_addresses_a_foreign_host_or_origin_is_refused(on_all_addresses: int) -> None:
    port = on_all_addresses
    assert status("127.0.0.1", port, "evil.example") == 421
    assert status("127.0.0.1", port, f"evil.example:{port}") == 421
    assert status("127.0.0.1", port, f"127.0.0.1:{port}", "http://evil.example") == 403
    assert status("127.0.0.1", port, f"localhost:{port}") == 200
    assert status("127.0.0.1", port, f"mcp.example.test:{port}", f"http://localhost:{port}") == 200
    # Another local web app (a dev server) is not the server's own page.
    assert status("127.0.0.1", port, f"localhost:{port}", "http://localhost:5173") == 403
    assert status("127.0.0.1", port, "localhost") == 421  # no port: port 80


def test_another_loopback_address_is_guarded_too() -> None:
    for port in serving("--host", "127.0.0.2"):
        assert status("127.0.0.2", port, "evil.example") == 421
        assert status("127.0.0.2", port, f"127.0.0.2:{port}") == 200
