"""``serve`` and ``mcp`` refuse to start with a connection that cannot work (usage, exit 2).

A key too short to be an Infobip API key, or a base URL that is not https, would make
every call fail the same way; the servers say so at start-up instead, naming what the
user set (``INFOBIP_API_KEY``, ``INFOBIP_BASE_URL``, ``--connection``) and never the key.
``--sandbox`` ignores the environment and starts as before.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from infobip_connector.errors import UsageError
from infobip_connector.hosts.serve.connections import ABSENT, Connections
from infobip_connector.hosts.startcheck import check_connection

from .serve_support import request, spawn

SHORT_KEY = "short-k3y"
GOOD_KEY = "good-key-0123456789abcdef"


def read_json(path: str, what: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def serve_connections(environ: dict[str, str], connection_file: str | None = None) -> Connections:
    return Connections.from_options(
        connection_file=connection_file,
        sandbox=False,
        environ=environ,
        read_json=read_json,
        notices=io.StringIO(),
    )


@pytest.mark.parametrize(
    ("environ", "path"),
    [
        ({"INFOBIP_API_KEY": SHORT_KEY}, "INFOBIP_API_KEY"),
        ({"INFOBIP_API_KEY": GOOD_KEY, "INFOBIP_BASE_URL": "http://x.example"}, "INFOBIP_BASE_URL"),
        ({"INFOBIP_API_KEY": GOOD_KEY, "INFOBIP_BASE_URL": "not a host/"}, "INFOBIP_BASE_URL"),
    ],
)
def test_serve_refuses_an_unusable_key_or_base_url_from_the_environment(
    environ: dict[str, str], path: str
) -> None:
    with pytest.raises(UsageError) as raised:
        serve_connections(environ)
    error = raised.value.to_dict()["error"]
    assert [e["path"] for e in error["details"]["errors"]] == [path]
    assert "serve did not start" in error["message"]
    assert SHORT_KEY not in json.dumps(error)


def test_serve_refuses_an_unusable_connection_file(tmp_path: Path) -> None:
    file = tmp_path / "connection.json"
    file.write_text(json.dumps({"token": SHORT_KEY}), encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        serve_connections({}, str(file))
    [problem] = raised.value.errors
    assert problem["path"] == "--connection"
    assert problem["message"].startswith(f"{file}: token: is too short")
    assert SHORT_KEY not in str(raised.value)


def test_serve_starts_with_a_usable_key_or_none_at_all() -> None:
    values, _ = serve_connections({"INFOBIP_API_KEY": GOOD_KEY}).for_request(ABSENT)
    assert values == {"token": GOOD_KEY}
    with pytest.raises(UsageError, match="no connection"):  # only when a request needs it
        serve_connections({}).for_request(ABSENT)


def test_the_check_sends_nothing_and_passes_a_usable_connection() -> None:
    check_connection(
        {"token": GOOD_KEY, "baseUrl": "xxxxx.api.infobip.com"}, connection_file=None, server="mcp"
    )


def test_the_serve_process_exits_2_before_reading_and_the_sandbox_is_unaffected() -> None:
    worker = spawn(env={"INFOBIP_API_KEY": SHORT_KEY})
    stdout, stderr = worker.communicate(request(1, "definition") + b"\n", timeout=60)
    assert (worker.returncode, stdout) == (2, b"")
    error = json.loads(stderr.splitlines()[-1])["error"]
    assert (error["type"], error["details"]["errors"][0]["path"]) == ("usage", "INFOBIP_API_KEY")
    assert SHORT_KEY.encode() not in stderr

    sandbox = spawn("--sandbox", env={"INFOBIP_API_KEY": SHORT_KEY})
    stdout, stderr = sandbox.communicate(request(1, "definition") + b"\n", timeout=60)
    assert sandbox.returncode == 0, stderr
    assert json.loads(stdout)["id"] == 1
