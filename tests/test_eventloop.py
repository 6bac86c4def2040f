"""The hosts' event loop: uvloop when installed (the ``uvloop`` extra), asyncio's otherwise,
chosen by ``INFOBIP_CONNECTOR_LOOP``; ``serve`` runs on it."""

from __future__ import annotations

import asyncio
import sys

import pytest

from infobip_connector.errors import UsageError
from infobip_connector.hosts.eventloop import ENV, loop_factory, loop_name, run

from .serve_support import request, spawn


async def _kind() -> str:
    return type(asyncio.get_running_loop()).__module__.split(".")[0]


def test_asyncio_is_chosen_by_name_whether_or_not_uvloop_is_installed() -> None:
    assert loop_factory({ENV: "asyncio"}) is None
    assert loop_factory({ENV: " AsyncIO "}) is None
    assert run(_kind(), None) == "asyncio"
    assert loop_name(None) == "asyncio"


@pytest.mark.parametrize("value", ["uv", "trio", "asyncio,uvloop", "x" * 100])
def test_an_unknown_loop_is_a_usage_error_naming_the_variable(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        loop_factory({ENV: value})
    assert caught.value.errors[0]["path"] == ENV
    assert "one of auto, asyncio, uvloop" in caught.value.message
    assert len(caught.value.message) < 120  # a long value is cut short


def test_without_uvloop_auto_falls_back_and_uvloop_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now fails
    assert loop_factory({}) is None
    assert loop_factory({ENV: "auto"}) is None
    with pytest.raises(UsageError) as caught:
        loop_factory({ENV: "uvloop"})
    assert caught.value.errors[0]["path"] == ENV
    assert "infobip-connector[uvloop]" in caught.value.message


def test_with_uvloop_installed_auto_and_uvloop_choose_it() -> None:
    pytest.importorskip("uvloop")
    for environ in ({}, {ENV: ""}, {ENV: "auto"}, {ENV: "uvloop"}):
        factory = loop_factory(environ)
        assert factory is not None and loop_name(factory) == "uvloop"
        assert run(_kind(), factory) == "uvloop"


@pytest.mark.parametrize(("value", "expected"), [("", "uvloop"), ("asyncio", "asyncio")])
def test_serve_runs_on_uvloop_unless_turned_off(value: str, expected: str) -> None:
    pytest.importorskip("uvloop")
    child = spawn("--sandbox", "-v", env={ENV: value})
    out, err = child.communicate(request(1, "definition") + b"\n", timeout=120)
    assert child.returncode == 0
    assert b'"result"' in out
    assert f"event loop: {expected}".encode() in err


def test_serve_refuses_an_unknown_loop_before_reading_anything() -> None:
    child = spawn("--sandbox", env={ENV: "libuv"})
    out, err = child.communicate(request(1, "definition") + b"\n", timeout=120)
    assert child.returncode == 2
    assert out == b""
    assert ENV.encode() in err and b'"usage"' in err
