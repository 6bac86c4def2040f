"""One stdio line read as a JSON-RPC message, so that no request goes unanswered.

The SDK's parse (``jsonrpc_message_adapter``) is fast and right for nearly every line; it
fails a client two ways, which are mended here, on those lines alone:

- A request id of another shape (``1E2``, ``3.0``, ``1.5``, ``null``, ``true``, ``[1]``)
  does not fit the request type (a strict integer or a string), so the line is read as a
  notification, which nobody answers: the client waits on that id for ever. A number whose
  value is whole (``1E2``, ``3.0``, ``-0.0``) is that integer, as in every JSON reader that
  has integers; any other id is an invalid request (-32600, ``id: null``, as its id cannot
  be written back), answered and logged.
- A line that is JSON by the grammar but holds a string escape that is half of a UTF-16
  pair (``"\\ud800"``), or bytes in a string that are not UTF-8 (each read as such a half,
  as Python's ``surrogateescape`` does), is refused by the SDK's reader as not JSON (-32700
  without the id), so that request is never answered either. It is read with the
  standard library instead and handled as usual: a tool's arguments holding such a text
  get the connector's input error naming the member (``messages[0].text``), as ``serve``
  does. (Over HTTP, where the SDK reads the body again, ``httpbody.py`` answers it.)

And a line that is not JSON (``NaN``, ``Infinity``, which the SDK's reader admits) is a
parse error, -32700, as the README says. The answer to a request whose id holds such a
half pair is written with the escape (:func:`encoded`), which is JSON.
"""

from __future__ import annotations

import json
import math
from typing import Any

import mcp_types as types
import orjson
from mcp.shared.message import SessionMessage
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from ...errors import member_path
from ...redaction import get_logger, redact
from .. import jsonout
from ..serve import lenient
from ..serve.lost import NOT_RUN_NOTIFICATION
from ..uniquejson import first_repeat

log = get_logger("infobip_connector.mcp")

#: Words only a line that is not strict JSON can hold outside a string (``NaN``, ``-Infinity``).
_CONSTANTS = (b"NaN", b"Infinity")


#: The methods that run something only as a request: as a notification they are not run.
_REQUESTS_ONLY = frozenset({"tools/call"})


class NotJson(ValueError):
    """The line is not JSON (-32700)."""


class BadRequest(ValueError):
    """The line is JSON but no JSON-RPC message (-32600); ``request_id``: its id when it
    could be read and written back, else None. The text names no value of the line."""

    def __init__(self, message: str, request_id: int | str | None = None) -> None:
        super().__init__(message)
        self.request_id = request_id


def parse_line(line: bytes) -> SessionMessage | Exception:
    """The message of one line, or the :class:`NotJson` / :class:`BadRequest` to answer."""
    return read_line(line)[0]


def read_line(line: bytes) -> tuple[SessionMessage | Exception, bool]:
    """:func:`parse_line`'s answer, and whether it is the message the SDK's own reader makes
    of ``line`` (False: a message mended or read by the grammar alone, or an exception)."""
    repeated = _repeated_member(line)
    if repeated is not None:
        return repeated, False
    adapter = types.jsonrpc_message_adapter
    try:
        message = adapter.validate_json(line, by_name=False)
    except ValidationError:
        return _read_again(line), False
    if isinstance(message, types.JSONRPCNotification):
        mended = mended_request(line)
        if mended is not None:
            return mended, False
        if message.method in _REQUESTS_ONLY:
            # The SDK drops it (no such notification); without a word, a client that left
            # out the id would never learn that its send did not go out.
            log.warning(NOT_RUN_NOTIFICATION, message.method)
    elif any(word in line for word in _CONSTANTS) and lenient.loads(line) is None:
        return NotJson("the line is not JSON"), False
    return SessionMessage(message), True


def _repeated_member(line: bytes) -> BadRequest | None:
    """The refusal of a line that gives one member twice in an object (a reader keeps only
    the last, so ``"text": "a", "text": "b"`` would send ``b``), with the request's id when
    it has one; None for every other line, the usual case costing one read and encode."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None  # not strict JSON: read by the grammar alone further on
    found = first_repeat(line, value)
    if found is None:
        return None
    path, name = found
    request_id = value.get("id") if isinstance(value, dict) and found != ("", "id") else None
    if isinstance(request_id, bool) or not isinstance(request_id, int | str):
        request_id = None
    where = redact(member_path(path, name))  # a name may spell the key
    why = "is given twice in one object: only the last would be read; nothing was run"
    return BadRequest(f"`{where}` {why}", request_id)


def read_document(line: bytes) -> Any | None:
    """``line`` read by the grammar alone, bytes that are not UTF-8 each a lone surrogate
    (``lenient.unreadable`` finds them); None when it is not JSON at all."""
    document = lenient.loads(line)
    if document is None:
        document = lenient.loads(line, "surrogateescape")
    return document


def mended_request(line: bytes) -> SessionMessage | Exception | None:
    """The request of ``line``, which the SDK's reader takes for a notification: a whole
    number id made that integer, another id a :class:`BadRequest`; None when ``line`` is
    a notification indeed (it has no ``id``)."""
    document = read_document(line)
    if isinstance(document, dict) and "id" in document:
        return _request(document)
    return None


def _read_again(line: bytes) -> SessionMessage | Exception:
    """A line the SDK refused, read by the grammar: not JSON, or a request to mend."""
    document = read_document(line)
    if document is None:
        return NotJson("the line is not JSON")
    if isinstance(document, list):
        return BadRequest("a batch (a JSON array) is not supported: send each message alone")
    if not isinstance(document, dict):
        return BadRequest("not a JSON-RPC 2.0 request, notification or response")
    return _request(document) if "id" in document else _message(document, None)


def _request(document: dict[str, Any]) -> SessionMessage | Exception:
    """``document`` (a JSON object with an ``id``) as a request, its whole-number id an int."""
    request_id = document["id"]
    if isinstance(request_id, float) and math.isfinite(request_id) and request_id.is_integer():
        request_id = document["id"] = int(request_id)
    if isinstance(request_id, bool) or not isinstance(request_id, (int, str)):
        log.warning(
            "answered a request whose id is %s with -32600: an id must be an integer or a string",
            type(request_id).__name__ if request_id is not None else "null",
        )
        why = "`id` must be an integer or a string (a notification has no `id`)"
        return BadRequest(f"not a JSON-RPC 2.0 request: {why}")
    return _message(document, request_id)


def _message(document: dict[str, Any], request_id: int | str | None) -> SessionMessage | Exception:
    try:
        return SessionMessage(
            types.jsonrpc_message_adapter.validate_python(document, by_name=False)
        )
    except ValidationError:
        return BadRequest("not a JSON-RPC 2.0 request, notification or response", request_id)


def encoded(message: types.JSONRPCMessage) -> bytes:
    """``message`` as one line of JSON; a text holding half of a UTF-16 pair (an id read by
    :func:`parse_line`) written as its escape, which UTF-8 cannot carry otherwise."""
    try:
        data: str = message.model_dump_json(by_alias=True, exclude_unset=True)
    except PydanticSerializationError:
        dumped = message.model_dump(by_alias=True, exclude_unset=True, mode="json")
        data = json.dumps(dumped, separators=(",", ":"))
    # One line for every reader: no U+2028 or the like left raw in a text (``jsonout``).
    return jsonout.escaped_breaks(data.encode("utf-8")) + b"\n"
