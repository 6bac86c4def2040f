"""Reading Infobip's answers: the bytes of one attempt and the reasons an error answer gives.

Both of Infobip's error shapes (``requestError.serviceException`` and the newer
``errorCode``/``violations``) are read into one ``{messageId, text, violations}``; the
policy that decides what an answer means stays in ``client.py``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from operator import itemgetter
from typing import Any

import httpx

from .. import safejson
from ..redaction import get_logger, redact_data, snippet

log = get_logger("infobip_connector.client")


@dataclass(frozen=True, slots=True, repr=False)
class Answer:
    """What one attempt got back: as much of an HTTP response as the policy below reads.

    Either transport's own response object would do, but building an ``httpx.Response``
    from aiohttp's answer costs more than the rest of the connector's work on a small send.
    """

    status_code: int
    headers: Mapping[str, str]  # case-insensitive: httpx's Headers or aiohttp's CIMultiDict
    content: bytes

    def json(self) -> Any:
        """The body as strict JSON; raises ``safejson.JsonError`` (a ValueError) otherwise."""
        return safejson.loads(self.content)

    def __repr__(self) -> str:
        # Not the body: it may echo the key, and frames holding an answer are shown by
        # ``repr`` in tracebacks rendered with ``capture_locals=True``.
        return f"Answer(status_code={self.status_code}, {len(self.content)} bytes)"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def infobip_error(response: Answer) -> dict[str, Any]:
    """Infobip's reasons from either error shape, as ``{messageId, text, violations}``."""
    try:
        # Every digit of a whole number, as in any answer but a send's (an error answer is
        # off the hot path, so it is not read twice).
        body, _ = safejson.loads_infobip_digits(response.content, "Infobip's error answer")
    except ValueError:
        text = snippet(response.text.strip(), 200)
        return {"text": text} if text else {}
    if not isinstance(body, dict):
        return {}
    info: dict[str, Any] = {}
    legacy = body.get("requestError")
    if isinstance(legacy, dict):
        exc = legacy.get("serviceException") or legacy.get("policyException") or {}
        if isinstance(exc, dict):
            info["messageId"] = _scalar(exc.get("messageId"))
            info["text"] = _scalar(exc.get("text"))
            errors = exc.get("validationErrors")
            if isinstance(errors, dict):
                info["violations"] = [
                    {"field": str(f), "message": _text(m)}
                    for f, msgs in errors.items()
                    for m in (msgs if isinstance(msgs, list) else [msgs])
                ]
    elif "errorCode" in body or "violations" in body:
        info["messageId"] = _scalar(body.get("errorCode"))
        info["text"] = _scalar(body.get("description"))
        if body.get("action"):
            info["action"] = _scalar(body.get("action"))
        violations = body.get("violations")
        if isinstance(violations, list):
            info["violations"] = [
                {"field": _text(v.get("property")), "message": _text(v.get("violation"))}
                for v in violations
                if isinstance(v, dict)
            ]
    cleaned: dict[str, Any] = redact_data(
        {k: _cut(k, v) for k, v in info.items() if v not in (None, "", [])}
    )
    return cleaned


#: How much of each of Infobip's error fields the connector's errors quote, in characters:
#: an answer may hold texts of any length there, and every message quotes them.
_LIMITS = {"messageId": 100, "text": 500, "action": 200, "field": 200, "message": 300}
#: How many violations are kept (the message names the first five).
MAX_VIOLATIONS = 50


def _cut(name: str, value: Any) -> Any:
    """``value`` of the error field ``name``, its texts masked and cut (``snippet``); a
    number kept unless its digits pass the limit, then cut as its text."""
    limit = _LIMITS.get(name, 200)
    if isinstance(value, str):
        return snippet(value, limit)
    if name == "violations":
        return [{k: _cut(k, v) for k, v in item.items()} for item in value[:MAX_VIOLATIONS]]
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = str(value)
        return value if len(shown) <= limit else snippet(shown, limit)
    return value


def _scalar(value: Any) -> str | int | float | None:
    """A field of Infobip's error as one plain value: its messages quote them.

    An answer may put anything there (a list nested a thousand deep, ``NaN`` from a
    lenient reader); only text and numbers are kept as they are.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool | int | float):
        return "" if value is None else str(value)
    return f"(a JSON {'object' if isinstance(value, dict) else 'list'})"


def rejected_message(status: int, info: dict[str, Any], answerer: str = "Infobip") -> str:
    """The message of a 4xx refusal; ``answerer`` is who refused (``The sandbox`` when the
    emulator answered in this process: its refusals must not read as Infobip's)."""
    head = f"{answerer} rejected the request (HTTP {status}"
    # infobip_error leaves out empty fields: a 0 there is Infobip's and is quoted.
    head += f" {info['messageId']})" if "messageId" in info else ")"
    if "text" in info:
        head += f": {info['text']}"
    fields = "; ".join(f"{v['field']}: {v['message']}" for v in info.get("violations", [])[:5])
    return f"{head}{' — ' + fields if fields else ''}. Nothing was sent."


_deprecations_seen: set[tuple[str, str]] = set()


_DEPRECATION_NAMES = frozenset({b"deprecation", b"sunset"})
_NAME = itemgetter(0)


def warn_deprecation(response: Answer, path: str) -> None:
    headers = response.headers
    # A lookup in an ``httpx.Headers`` encodes the name and walks every header in Python;
    # one look at the names first spares the two lookups of nearly every answer.
    if isinstance(headers, httpx.Headers) and _DEPRECATION_NAMES.isdisjoint(
        map(bytes.lower, map(_NAME, headers.raw))  # in C: no frame per header
    ):
        return
    for header in ("Deprecation", "Sunset"):
        value = headers.get(header)
        if value and (path, header) not in _deprecations_seen:
            _deprecations_seen.add((path, header))
            log.warning(
                "Infobip marks %s as deprecated (%s: %s)", path, header, snippet(value, 200)
            )
