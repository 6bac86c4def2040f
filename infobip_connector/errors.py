"""The error taxonomy shared by the runtime, the CLI and the editor.

Every error says whether anything may have reached Infobip, carries JSON-safe
details a workflow can branch on, and never holds the API key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, ClassVar

from .redaction import redact, redact_data, sent_ids

#: An input error lists at most this many problems (and says how many there were).
MAX_LISTED_ERRORS = 100
#: Details nested deeper than this are cut (with a marker): they must serialise anywhere.
MAX_DETAIL_DEPTH = 32
#: How an error path writes a member whose name is empty: a path ending in a bare dot (or
#: naming the object that holds the member) would not say which member is meant.
EMPTY_NAME = '""'


def member_path(parent: str, name: str) -> str:
    """The path of member ``name`` of the value at ``parent`` (``""``: the top level), as
    every error path writes it: ``connection.readTimeout``, ``connection.""``, ``""``."""
    shown = name or EMPTY_NAME
    return f"{parent}.{shown}" if parent else shown


class ConnectorError(Exception):
    """Base class of every error the connector raises on purpose."""

    type: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1
    #: Whether the request may have reached Infobip (False: provably nothing was sent).
    may_have_been_sent: ClassVar[bool] = False

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        # The last line of defence: whatever a message quotes (an answer, a header, a URL),
        # a known key or an Authorization value never survives into an error.
        message = redact(message)
        super().__init__(message)
        self.message = message
        # The IDs the connector sent stay whole even where they contain a key's spelling.
        safe = json_safe(details) if details else {}
        self.details: dict[str, Any] = redact_data(safe, sent_ids(safe)) if safe else {}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"type": self.type, "message": self.message, "details": self.details}}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling calls ``cls(*args)`` by default, which fits no subclass whose signature
        # differs from ``(message)``; a process pool (Airflow, Celery, ProcessPoolExecutor)
        # would then report BrokenProcessPool instead of this error. Rebuild from the state.
        return (_rebuild, (type(self), self.args), self.__dict__)


def _rebuild(cls: type[ConnectorError], args: tuple[Any, ...]) -> ConnectorError:
    error = cls.__new__(cls)
    error.args = args
    return error


def json_safe(value: Any, depth: int = 0) -> Any:
    """``value`` as strict JSON data: what ``json.dumps(allow_nan=False)`` always accepts.

    Non-finite numbers and values that are not JSON become text, keys become text, and
    anything nested deeper than ``MAX_DETAIL_DEPTH`` is replaced by a marker, so details
    quoting an odd answer never break an engine, the CLI or a later recursive walk.
    """
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is str:
        return value
    if kind is float:
        return value if math.isfinite(value) else str(value)
    if depth >= MAX_DETAIL_DEPTH:
        return "(nested too deeply)"
    if isinstance(value, dict):
        return {str(k): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value]
    if isinstance(value, bool | int | str):
        return json_safe(_plain(value), depth)
    if isinstance(value, float):
        return json_safe(float(value), depth)
    return f"({type(value).__name__})"


def _plain(value: bool | int | str) -> bool | int | str:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    return str.__str__(value)


class InputError(ConnectorError):
    """The values break the input schema or a rule; nothing was sent."""

    type = "input"
    exit_code = 2

    def __init__(self, errors: list[dict[str, str]], message: str | None = None) -> None:
        total = len(errors)
        self.errors = errors[:MAX_LISTED_ERRORS]
        if message is None:
            shown = "; ".join(f"{e['path'] or '(input)'}: {e['message']}" for e in errors[:5])
            more = f" (and {total - 5} more)" if total > 5 else ""
            message = f"Invalid input, nothing was sent: {shown}{more}"
        details: dict[str, Any] = {"errors": self.errors}
        if total > MAX_LISTED_ERRORS:
            details["total"] = total
        super().__init__(message, details)


class ConfigurationError(InputError):
    """The connection values are unusable (bad base URL, empty token); nothing was sent."""

    type = "configuration"


class AuthenticationError(ConnectorError):
    """Infobip refused the API key (401) or its permissions (403); nothing was sent."""

    type = "authentication"
    exit_code = 5


class RejectedError(ConnectorError):
    """Infobip refused the request (4xx other than 401/403/429); nothing was sent."""

    type = "rejected"
    exit_code = 3


class RateLimitedError(ConnectorError):
    """Infobip kept answering 429 until the attempts or the deadline ran out; nothing was sent."""

    type = "rate_limited"
    exit_code = 3


class UnreachableError(ConnectorError):
    """No connection to Infobip could be made; nothing was sent."""

    type = "unreachable"
    exit_code = 5


class OutcomeUnknownError(ConnectorError):
    """The request may have reached Infobip; check the IDs in ``details`` before resending."""

    type = "outcome_unknown"
    exit_code = 4
    may_have_been_sent = True


class UnreadableAnswer(Exception):
    """An executor's finding that Infobip's answer contradicts the request or lacks what it
    is about: the field's ``path`` and the ``problem`` in words (never its value). Not an
    error the user sees: ``outcome.after_arrival`` makes it the unknown outcome of the
    request, with its IDs and the advice of its kind."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem


class InternalError(ConnectorError):
    """A bug in the connector; the message is redacted like every other."""

    type = "internal"
    exit_code = 1


class UsageError(InputError):
    """The command line is wrong (a missing key, flags that do not go together); nothing sent.

    Raised by the CLI only; ``errors`` names the option or variable at fault as its path.
    """

    type = "usage"

    def __init__(self, errors: list[dict[str, str]], message: str | None = None) -> None:
        shown = "; ".join(f"{e['path'] + ': ' if e['path'] else ''}{e['message']}" for e in errors)
        super().__init__(errors, message or shown)


def format_path(parts: Iterable[str | int], root: str = "", *, any_index: str | None = "*") -> str:
    """How every error names a part: ``("messages", 0, "to")`` → ``messages[0].to``.

    The one path formatter of the package. ``root`` starts the path (``body``: a request
    body's ``body.messages[0].to``); ``any_index`` is the key written as an index, ``[*]``,
    the way the definition's walks say "any item" (None where every key is data, as in a
    value's own members). Keys are shown with :func:`printable_name`, an empty one as
    :data:`EMPTY_NAME` (:func:`member_path`).
    """
    path = root
    for part in parts:
        if isinstance(part, int) or (part == any_index and any_index is not None):
            path += f"[{part}]"
        else:
            path = member_path(path, printable_name(part))
    return path


def printable_name(key: str) -> str:
    """``key`` as a path shows it: each lone UTF-16 surrogate as its escape (``\\udc00``),
    so the path can be written as UTF-8; any other key as it is."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return key.encode("utf-8", "backslashreplace").decode()
    return key
