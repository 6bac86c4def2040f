"""JSON-RPC 2.0 framing of ``serve``: one line in, its calls out; answers as bytes.

Pure: no I/O, no component. A line holds one request object or a batch (an array of
them), as the JSON-RPC 2.0 specification (https://www.jsonrpc.org/specification) writes
them; :func:`read_line` turns it into the calls to run and the errors to answer at once
(parse errors, invalid requests), each answer already bound to its request's id. A
numeric id comes back exactly as it was written (``ids.py``), so ids never collide.

Error codes: the specification's own (-32700 parse error, -32600 invalid request, -32601
method not found, -32602 invalid params, -32603 internal error) and, in the range it
leaves to servers, one per CLI exit code, so an engine that knows one knows the other:
-32002 nothing sent because of the input (``input``, ``configuration``, ``usage``), -32003
refused by Infobip (``rejected``, ``rate_limited``), -32004 ``outcome_unknown``, -32005
``authentication`` / ``unreachable``, and -32000 for a request the worker stopped before
it could send anything. Every error's ``data`` is the connector's error object, the one
the CLI prints: ``{"error": {"type", "message", "details"}}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ... import safejson
from ...errors import ConnectorError, InputError, member_path
from ...redaction import redact_data, sent_ids
from ..uniquejson import repeats
from . import lenient
from .ids import NumberId, keep_spelling

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
#: The worker stopped (SIGTERM) before this request sent anything.
NOT_RUN = -32000

_CODE_BY_EXIT = {2: -32002, 3: -32003, 4: -32004, 5: -32005}
#: A batch may hold at most this many requests; a longer one is answered by one error.
MAX_BATCH = 1000
_ID_TYPES = (str, int, float, NumberId)


class RpcError(Exception):
    """A JSON-RPC error to answer with: ``code``, a short ``message`` and the error object."""

    def __init__(self, code: int, error: ConnectorError) -> None:
        super().__init__(error.message)
        self.code = code
        self.error = error


def invalid_params(path: str, message: str) -> RpcError:
    """-32602 naming the member of ``params`` at fault (``action``, ``connection``...)."""
    return invalid_members([{"path": path, "message": message}])


def invalid_members(problems: list[dict[str, str]]) -> RpcError:
    """-32602 naming every member of ``params`` at fault (``{"path", "message"}`` each)."""
    shown = "; ".join(f"{p['path']}: {p['message']}" for p in problems[:5])
    return RpcError(INVALID_PARAMS, InputError(problems, f"invalid params: {shown}"))


def method_not_found(message: str) -> RpcError:
    """-32601; the error object names ``method`` as the member at fault."""
    problem = [{"path": "method", "message": message}]
    return RpcError(METHOD_NOT_FOUND, InputError(problem, f"method not found: {message}"))


def code_of(error: ConnectorError) -> int:
    """The JSON-RPC code of a typed error: -32000 minus its CLI exit code, -32603 for a bug."""
    return _CODE_BY_EXIT.get(error.exit_code, INTERNAL_ERROR)


def error_object(error: ConnectorError) -> dict[str, Any]:
    """The error as the CLI prints it, the IDs sent kept whole and any known key masked."""
    data = error.to_dict()
    masked: dict[str, Any] = redact_data(data, sent_ids(error.details))
    return masked


def error_answer(request_id: Any, code: int, error: ConnectorError) -> dict[str, Any]:
    """A JSON-RPC error response; ``message`` is the error's own (already redacted)."""
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {"code": code, "message": error.message, "data": error_object(error)},
    }


def result_answer(request_id: Any, result: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


@dataclass(slots=True)
class Call:
    """One request to run. ``answered`` is false for a notification: it gets no answer."""

    id: Any
    method: str
    params: dict[str, Any] | list[Any]
    answered: bool


@dataclass
class Line:
    """What one line asks for: ``calls`` to run, ``answers`` already known (errors), and
    whether its answer is an array (a batch) or one object."""

    calls: list[Call] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    batch: bool = False


def _refused(code: int, message: str, request_id: Any = None) -> dict[str, Any]:
    return error_answer(request_id, code, InputError([{"path": "", "message": message}], message))


def too_long(limit: int) -> Line:
    """The answer to a line longer than ``limit`` bytes: it was not read, so no id is known."""
    message = f"request line longer than {limit} bytes; nothing was run"
    return Line(answers=[_refused(INVALID_REQUEST, message)])


def read_line(raw: bytes) -> Line:
    """The calls and immediate errors of one line (without its newline)."""
    strict = True
    try:
        document = safejson.loads(raw)
    except safejson.JsonError as exc:
        document = lenient.loads(raw) if lenient.may_read(str(exc)) else None
        if document is None:
            # The reason names a position, never the text: the line may hold a key.
            return Line(answers=[_refused(PARSE_ERROR, f"parse error: the line {exc}")])
        strict = False
    repeated = repeats(raw, document)  # before the ids are wrapped to keep their spelling
    keep_spelling(raw, document)
    if not isinstance(document, list):
        line = Line()
        _add(line, document, strict, repeated[0] if repeated else None)
        return line
    if not document:
        return Line(answers=[_refused(INVALID_REQUEST, "invalid request: an empty batch")])
    if len(document) > MAX_BATCH:
        message = f"invalid request: a batch of {len(document)} requests; at most {MAX_BATCH}"
        return Line(answers=[_refused(INVALID_REQUEST, message)])
    line = Line(batch=True)
    for index, item in enumerate(document):
        _add(line, item, strict, _repeat_in(repeated, index))
    return line


def _repeat_in(repeated: list[tuple[str, str]], index: int) -> tuple[str, str] | None:
    """The first member a batch's request ``index`` gives twice, its path within it."""
    prefix = f"[{index}]"
    for path, name in repeated:
        if path == prefix or path.startswith(prefix + "."):
            return path[len(prefix) + 1 :], name
    return None  # (an item that is a list is refused as no request before its repeats count)


def _add(
    line: Line, item: Any, strict: bool = True, repeated: tuple[str, str] | None = None
) -> None:
    """Add ``item``'s call to ``line``, or the invalid-request answer it gets instead.

    ``strict`` false: the line was read by the grammar alone (``lenient.py``), and a
    request holding a value strict JSON refuses is answered, with its id, naming it.
    ``repeated``: the first object of ``item`` that gives one member twice (its path and
    the name): a reader keeps only the last, so the request is answered naming it, not run.
    """
    if not isinstance(item, dict):
        line.answers.append(_refused(INVALID_REQUEST, "invalid request: not a request object"))
        return
    has_id = "id" in item
    request_id = item.get("id")
    id_ok = request_id is None or (type(request_id) in _ID_TYPES)
    unreadable = None if strict else lenient.unreadable(item)
    if unreadable is not None and unreadable[0] == "id":
        id_ok = isinstance(request_id, str)
        if id_ok:  # a string, JSON by the grammar: answered with it, written as its escape
            request_id = NumberId(json.dumps(request_id))
            unreadable = lenient.unreadable({k: v for k, v in item.items() if k != "id"})
    if repeated == ("", "id"):  # which of the two ids to answer is not known: neither
        why = 'invalid request: "id" is given twice; nothing was run'
        line.answers.append(_refused(INVALID_REQUEST, why))
        return
    problem = _problem(item, id_ok)
    if problem is not None:
        line.answers.append(_refused(INVALID_REQUEST, problem, request_id if id_ok else None))
        return
    if repeated is not None:
        path, name = repeated
        why = "is given twice in one object: only the last would be read; remove or rename one"
        line.answers.append(_unreadable(request_id, member_path(path, name), why))
        return
    if unreadable is not None:
        line.answers.append(_unreadable(request_id, *unreadable))
        return
    params = item.get("params", {})
    line.calls.append(Call(request_id, item["method"], params, answered=has_id))


def _unreadable(request_id: Any, path: str, why: str) -> dict[str, Any]:
    """The answer to a request holding, at ``path``, a value strict JSON refuses."""
    if path.startswith("params."):
        error = invalid_params(path[len("params.") :], why).error
        return error_answer(request_id, INVALID_PARAMS, error)
    message = f"invalid request: {path}: {why}"
    error = InputError([{"path": path, "message": why}], message)
    return error_answer(request_id, INVALID_REQUEST, error)


def _problem(item: dict[str, Any], id_ok: bool) -> str | None:
    if item.get("jsonrpc") != "2.0":
        return 'invalid request: "jsonrpc" must be "2.0"'
    if not isinstance(item.get("method"), str):
        return 'invalid request: "method" must be a string'
    if not id_ok:
        return 'invalid request: "id" must be a string, a number or null'
    if not isinstance(item.get("params", {}), dict | list):
        return 'invalid request: "params" must be an object or an array'
    return None
