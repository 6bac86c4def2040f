"""Never ``internal``, never a lost ID: random inputs against random Infobip answers (hypothesis).

For every action in the definition, a valid input (the generator of
``input_draws.py``) gets random JSON values put in random places — strings, numbers
and objects alike, at any depth — and is executed, sync or async, against a transport that
answers anything: any status, random bytes, random JSON, or a plausible answer with its
messages dropped, repeated, renamed or reshaped, under random headers. Whatever happens:

- the result is the output or a ``ConnectorError`` other than ``InternalError``, and its
  ``to_dict()`` is strict JSON;
- when a request went out, every messageId in it is either in the output or named, with
  the bulkId, by an ``OutcomeUnknownError`` — unless Infobip's answer proved nothing was
  processed (a 4xx: rejected, authentication, rate limited).

``OUTCOME_EXAMPLES`` sets the examples per action (default 300, a few seconds); the soak
size is a few thousand (``OUTCOME_EXAMPLES=3000``). A fifth as many examples go over real
sockets, answered with random bytes: an HTTP answer of any status, headers and body, or not
HTTP at all.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
from collections import Counter
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infobip_connector import ConnectorError, InternalError, OutcomeUnknownError, component
from infobip_connector.runtime.accounting import returned_entries, sent_ids
from infobip_connector.transport import exchange

from .drawn_anew import assert_drawn_anew
from .input_draws import take_meant, valid_inputs
from .input_mutations import every_site, set_at
from .input_schema_draws import NOW

EXAMPLES = int(os.environ.get("OUTCOME_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CONNECTION = {
    "token": "property-outcome-key-1",
    "baseUrl": "https://xyz12.api.infobip.com",
    "maxAttempts": 2,
    "deadline": 30,
}
ACTIONS = component.action_names
# Actions whose answers must name every messageId sent (sends); the others answer with lists
# or previews, and a consume's unknown outcome must say where its items can still be seen.
ACCOUNTS = {a: component.definition.action(a).accountsMessages for a in ACTIONS}
KINDS = {a: component.definition.action(a).kind for a in ACTIONS}
TRIED: Counter[str] = Counter()

# ---------------------------------------------------------------- random values

_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "\x00", "\u202e", "NaN", "America", "+41 79", "x" * 5000]),
)
_NUMBER = st.one_of(
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
)
_LEAF = st.one_of(st.none(), st.booleans(), _NUMBER, _TEXT)
_JSON = st.recursive(
    _LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=12,
)


def _deep(levels: int) -> Any:
    nested: Any = "x"
    for _ in range(levels):
        nested = {"a": [nested]}
    return nested


_ANY = st.one_of(_JSON, st.integers(1, 600).map(_deep))


@st.composite
def inputs(draw: st.DrawFn, action: str) -> dict[str, Any]:
    """A valid input with random values in up to three of its places (half of them none)."""
    values: dict[str, Any] = draw(valid_inputs(action))
    take_meant(values)
    places = draw(st.sampled_from([0, 0, 0, 1, 2, 3]))
    sites = [path for path, _old in every_site(values)][1:]  # never the root: another error
    chosen = draw(st.lists(st.sampled_from(sites), max_size=places, unique=True)) if sites else []
    # Deepest first, so that replacing a parent never leaves a child's path dangling.
    for path in sorted(chosen, key=len, reverse=True):
        values = set_at(values, path, draw(_ANY))
    return values


@pytest.mark.parametrize("action", ACTIONS)
def test_every_drawn_input_is_made_of_objects_of_its_own(action: str) -> None:
    # inputs() puts random values into places of the valid input it drew: an object that
    # another draw holds too would carry them into later examples.
    assert_drawn_anew(inputs(action))


# ---------------------------------------------------------------- random answers

_STATUS = st.one_of(
    st.sampled_from([200, 201, 202, 204, 207, 301, 400, 401, 403, 404, 409, 429, 500, 503]),
    st.integers(100, 599),
)
_HEADER_VALUES = st.one_of(_TEXT.filter(lambda t: t.isprintable()), st.sampled_from(["0", "-1"]))
_TOKEN = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True)
_HEADERS = st.dictionaries(
    st.one_of(
        st.sampled_from(["Retry-After", "Deprecation", "Sunset", "Location", "Content-Type"]),
        _TOKEN,
    ),
    _HEADER_VALUES,
    max_size=3,
)


@st.composite
def _plausible(draw: st.DrawFn, sent: Any, action: str) -> bytes:
    """Infobip's answer to what was sent, then perturbed: the way a real answer goes wrong."""
    if not ACCOUNTS[action]:
        return draw(_plausible_sample(action))
    sent = sent if isinstance(sent, dict) else {}
    reference = {"messageIds": _ids_in(sent)}
    status = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
    entries = [{"messageId": i, "to": "41793026727", "status": status} for i in sent_ids(reference)]
    how = draw(st.sampled_from(["as is", "drop", "repeat", "rename", "reshape", "nan"]))
    if how == "drop" and entries:
        entries.pop(draw(st.integers(0, len(entries) - 1)))
    elif how == "repeat" and entries:
        entries.append(entries[0])
    elif how == "rename" and entries:
        entries[0] = {**entries[0], "messageId": draw(_TEXT)}
    elif how == "reshape" and entries:
        entries[0] = {**entries[0], draw(st.sampled_from(["status", "to", "x"])): draw(_ANY)}
    body: Any = {"bulkId": sent.get("bulkId", "B"), "messages": entries}
    if "messages" not in sent:  # one message (WhatsApp): the entry is the answer
        body = entries[0] if entries else {}
    text = orjson.dumps(body, option=orjson.OPT_PASSTHROUGH_DATACLASS).decode()
    if how == "nan":
        text = text[:-1] + ', "extra": NaN}' if text.endswith("}") else "NaN"
    return text.encode()


@st.composite
def _plausible_sample(draw: st.DrawFn, action: str) -> bytes:
    """The action's declared sample answer, as is, reshaped, emptied or not strict JSON."""
    body: Any = copy.deepcopy(component.definition.action(action).output.sample)
    how = draw(st.sampled_from(["as is", "reshape", "empty", "nan"]))
    if how == "reshape":
        body[draw(st.sampled_from([*body, "x"]))] = draw(_ANY)
    elif how == "empty":
        body = {}
    text = orjson.dumps(body).decode()
    if how == "nan":
        text = text[:-1] + ', "extra": NaN}' if text.endswith("}") else "NaN"
    return text.encode()


def _ids_in(sent: Any) -> list[str]:
    """Every messageId a request body carries, in order, wherever the action puts them
    (``messages[].destinations[]``, ``messages[]`` or the body itself)."""
    if isinstance(sent, dict):
        own = [sent["messageId"]] if "messageId" in sent else []
        return own + [
            i for key, value in sent.items() if key != "messageId" for i in _ids_in(value)
        ]
    if isinstance(sent, list):
        return [i for item in sent for i in _ids_in(item)]
    return []


def _body(raw: bytes) -> Any:
    """A request's JSON body, or None when it has none."""
    return json.loads(raw) if raw else None


@st.composite
def answers(draw: st.DrawFn, sent: Any, action: str) -> httpx.Response:
    kind = draw(st.sampled_from(["plausible", "json", "bytes"]))
    if kind == "plausible":
        content = draw(_plausible(sent, action))
    elif kind == "json":
        content = json.dumps(draw(_ANY)).encode()
    else:
        content = draw(st.binary(max_size=64))
    return httpx.Response(draw(_STATUS), headers=draw(_HEADERS), content=content)


# ---------------------------------------------------------------- the property


class _Answering(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers each attempt with a random answer drawn for the body actually sent."""

    def __init__(self, data: st.DataObject, action: str) -> None:
        self.data = data
        self.action = action
        self.sent: list[Any] = []

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = _body(request.read())
        self.sent.append(body)
        response: httpx.Response = self.data.draw(answers(body, self.action))
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)


def _execute(action: str, values: Any, transport: _Answering, run_async: bool) -> Any:
    if not run_async:
        return component.execute(action, values, CONNECTION, transport=transport, now=NOW)

    async def run() -> Any:
        return await component.execute_async(
            action, values, CONNECTION, transport=transport, now=NOW
        )

    return asyncio.run(run())


def _check(action: str, values: Any, transport: _Answering, run_async: bool) -> None:
    try:
        output = _execute(action, values, transport, run_async)
    except ConnectorError as error:
        assert not isinstance(error, InternalError), error.message
        json.dumps(error.to_dict(), allow_nan=False)
        TRIED[f"{action}: {error.type}"] += 1
        if transport.sent and isinstance(error, OutcomeUnknownError):
            _names_what_was_sent(action, error, transport.sent[-1])
        elif transport.sent:
            # Only an answer that proves nothing was processed may end without the IDs.
            assert not error.may_have_been_sent, error
        return
    TRIED[f"{action}: output"] += 1
    json.dumps(output, allow_nan=False)
    assert transport.sent, "an output without a request"
    if component.definition.action(action).accountsMessages:
        returned = [e.get("messageId") for e in returned_entries(output)]
        expected = _ids_in(transport.sent[-1])
        assert sorted(returned) == sorted(expected), "a message unaccounted for"


def _names_what_was_sent(action: str, error: OutcomeUnknownError, last: Any) -> None:
    """An unknown outcome names the IDs sent (a send), or where a pull's items can be seen."""
    if ACCOUNTS[action]:
        assert sent_ids(error.details) == _ids_in(last), "an unknown outcome lost IDs"
        if isinstance(last, dict) and "messages" in last:
            assert error.details["bulkId"] == last["bulkId"]
    elif KINDS[action] == "consume":
        assert error.details.get("lookUp"), "a lost pull does not say where to look"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    # Retries happen, but without their waits: a Retry-After over this is given up at once.
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.0)
    monkeypatch.setattr(exchange, "MAX_RETRY_AFTER", 0.0)


@pytest.mark.parametrize("action", ACTIONS)
def test_never_internal_and_never_a_lost_id(action: str) -> None:
    @SETTINGS
    @given(values=inputs(action), run_async=st.booleans(), data=st.data())
    def run(values: dict[str, Any], run_async: bool, data: st.DataObject) -> None:
        _check(action, values, _Answering(data, action), run_async)

    run()


# ---------------------------------------------------------------- the same over real sockets

_WIRE_HEADERS = st.dictionaries(
    st.one_of(st.sampled_from(["Retry-After", "Content-Encoding", "Transfer-Encoding"]), _TOKEN),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
    max_size=4,
)


def _http(status: int, headers: dict[str, str], body: bytes) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


_BODIES = st.one_of(st.binary(max_size=200), _JSON.map(lambda v: json.dumps(v).encode()))
# Anything a socket can carry: an HTTP answer with random status, headers and body, or not HTTP.
_WIRE = st.one_of(st.builds(_http, _STATUS, _WIRE_HEADERS, _BODIES), st.binary(max_size=200))


@pytest.mark.parametrize("action", ACTIONS)
def test_random_bytes_on_the_wire_never_end_in_internal(action: str) -> None:
    from .rawserver import RawServer

    def reply(conn: Any, server: RawServer) -> None:
        conn.sendall(server.reply)  # type: ignore[attr-defined]

    @settings(SETTINGS, max_examples=max(EXAMPLES // 5, 10))
    @given(values=valid_inputs(action), raw=_WIRE, run_async=st.booleans())
    def run(values: dict[str, Any], raw: bytes, run_async: bool) -> None:
        take_meant(values)
        server.reply = raw  # type: ignore[attr-defined]
        server.bodies.clear()
        connection = {**CONNECTION, "baseUrl": server.url, "deadline": 5, "readTimeout": 2}
        try:
            if run_async:
                _wire_async(action, values, connection)
            else:
                component.execute(action, values, connection, now=NOW)
        except ConnectorError as error:
            assert not isinstance(error, InternalError), error.message
            json.dumps(error.to_dict(), allow_nan=False)
            TRIED[f"{action} over sockets: {error.type}"] += 1
            if isinstance(error, OutcomeUnknownError) and server.bodies:
                _names_what_was_sent(action, error, _body(server.bodies[-1]))
            return
        TRIED[f"{action} over sockets: output"] += 1

    with RawServer(reply) as server:
        run()


def _wire_async(action: str, values: Any, connection: dict[str, Any]) -> Any:
    from infobip_connector import aclose_pooled_clients

    async def go() -> Any:
        try:
            return await component.execute_async(action, values, connection, now=NOW)
        finally:
            await aclose_pooled_clients()

    return asyncio.run(go())


def teardown_module() -> None:
    print("\nnever-internal examples per outcome:")
    for key, count in sorted(TRIED.items()):
        print(f"  {key}: {count}")
