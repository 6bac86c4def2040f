"""A request's target — path with its parameters filled, and the query — as one string.

Built once per execution and used by both the sync (httpx) and async (aiohttp) paths, so the
two encode identically. Every path and query value is percent-encoded with no character left
safe, and a dot is encoded too: a ``/``, ``?``, ``#`` or ``..`` in a value (a sender, a bulk
ID) can never change the path that is called or add a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from urllib.parse import quote, quote_plus, unquote

from ..errors import InputError

# Web servers and proxies commonly refuse request lines past 8 KiB (HTTP libraries stop at
# 64 KiB), so a longer target is refused before sending, at the parameter that made it long.
MAX_TARGET_CHARS = 8_192

_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9]*)\}")


def escape(value: str) -> str:
    """``value`` percent-encoded for a path segment or query component (RFC 3986)."""
    # quote() leaves "." alone; a segment of "." or ".." would be collapsed by URL
    # normalisation into another path, so it is encoded as well.
    return quote(value, safe="").replace(".", "%2E")


def fill_path(template: str, params: Mapping[str, str]) -> str:
    """``/senders/{sender}/templates`` with ``{sender}`` replaced by its escaped value.

    Raises ``KeyError`` naming a placeholder without a value: an executor or definition
    bug, since path properties are required and non-empty by the meta-schema.
    """
    return _PLACEHOLDER.sub(lambda m: escape(params[m.group(1)]), template)


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """``[("a", "1"), ("a", "2")]`` → ``a=1&a=2``, every name and value escaped."""
    return "&".join(f"{escape(name)}={escape(value)}" for name, value in pairs)


def request_target(path: str, params: Mapping[str, str], query: Iterable[tuple[str, str]]) -> str:
    """The path and query of a request, ready to follow the base URL.

    Raises ``InputError`` (nothing sent) at the longest parameter when the target would be
    over ``MAX_TARGET_CHARS`` characters, e.g. a hundred long IDs in one filter.
    """
    if not params and not query and "{" not in path and len(path) <= MAX_TARGET_CHARS:
        return path  # a send's target: nothing to fill, encode or measure by parameter
    pairs = list(query)
    encoded = encode_query(pairs)
    filled = fill_path(path, params) if params or "{" in path else path
    target = f"{filled}?{encoded}" if encoded else filled
    if len(target) > MAX_TARGET_CHARS:
        sizes: dict[str, int] = {}
        for name, value in [*params.items(), *pairs]:
            sizes[name] = sizes.get(name, 0) + len(escape(value)) + len(name) + 2
        longest = max(sizes, key=sizes.__getitem__)
        raise InputError(
            [
                {
                    "path": longest,
                    "message": f"makes the request address {len(target):,} characters long, "
                    f"over the {MAX_TARGET_CHARS:,} that web servers accept: ask for fewer "
                    "or shorter values at once",
                }
            ]
        )
    return target


def shown_target(target: str) -> str:
    """``target`` (from :func:`request_target`, or a redirect's ``Location``) as log lines
    and errors show it: each query value left out (``/sms/3/logs?destination=...&limit=...``),
    since a filter may be a recipient's number or a message's text; the path and the
    parameters' names stay."""
    path, _, query = target.partition("?")
    if not query:
        return target
    pairs = (pair.partition("=")[0] + "=..." for pair in query.split("&") if pair)
    return f"{path}?" + "&".join(pairs)


def without_query_values(text: str, target: str, query: Sequence[tuple[str, str]]) -> str:
    """``text``, a failure's words, with the values of ``query`` (the request's parameters;
    ``target``: its :func:`request_target`) left out wherever it quotes them after a '?'
    or '&', as :func:`shown_target` shows them.

    Some transports word a failure with the whole URL (aiohttp: a connect timeout, an
    answer it cannot read). Found as sent, percent-decoded, with '+' for spaces, in another
    order or cut short: each of the request's parameters keeps its name only. Words
    without a '?' are returned as they are.
    """
    if not query or "?" not in text:
        return text
    encoded = target.partition("?")[2]
    shown = "?" + shown_target(target).partition("?")[2]
    text = text.replace("?" + encoded, shown)
    decoded = unquote(encoded)
    if decoded != encoded:
        text = text.replace("?" + decoded, shown)
    # Each pair in any order, its value in any spelling (the longest first, so that no
    # spelling leaves the tail of a longer one): a decoded value may hold a space or ')',
    # where the pattern below stops. Plain replaces, so no value is kept by a cache.
    spelled = {
        (name_form, value_form)
        for name, value in query
        if value
        for name_form in (name, escape(name))
        for value_form in (value, escape(value), quote_plus(value))
    }
    for name, value in sorted(spelled, key=lambda pair: -len(pair[1])):
        for mark in "?&":
            text = text.replace(f"{mark}{name}={value}", f"{mark}{name}=...")
    return _values_after(tuple(name for name, _ in query)).sub(r"\1=...", text)


def shown_location(location: str, query: Sequence[tuple[str, str]]) -> str:
    """A redirect's ``Location`` as errors show it: its query's values left out
    (:func:`shown_target`), and the request's own query values (``query``) of 4 characters
    or more left out wherever they stand, in any spelling: a server may repeat them without
    their names, escaped, or in the path. Shorter values (a ``limit``) name no one and
    would be found in unrelated text."""
    shown = shown_target(location)
    spelled = {
        form
        for _, value in query
        if len(value) >= 4
        for form in (value, escape(value), quote_plus(value))
    }
    for form in sorted(spelled, key=len, reverse=True):
        shown = shown.replace(form, "...")
    return shown


@lru_cache(maxsize=256)
def _values_after(names: tuple[str, ...]) -> re.Pattern[str]:
    """What follows ``name=`` after a '?' or '&', for each of ``names``, as sent or read
    (keyed by the names alone: no value is kept)."""
    spelled = sorted({form for name in names for form in (name, escape(name))}, key=len)
    alternatives = "|".join(re.escape(name) for name in reversed(spelled))
    return re.compile(rf"(?<=[?&])({alternatives})=[^&\s'\"<>#)]*")
