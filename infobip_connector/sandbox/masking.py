"""What the sandbox shows of the credentials it is given: never the secret itself.

A notify URL may carry Basic credentials (``http://user:pw@127.0.0.1:9000/``, posted as an
``Authorization: Basic`` header), and a subscription's security settings carry a password or
an HMAC secret. The sandbox keeps them to post with, but its log lines, its report records
(``sandbox.reports``) and its request records (``sandbox.requests``) show ``***`` instead
(another character for keys holding ``*``, ``mask_of``), as the connector masks its API
key: a test's log or snapshot never holds a credential.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

MASK = "***"
# scheme://user:password@ inside a text: a password of the characters RFC 3986 allows in one
# but those that often end a URL in a text (',', ';', quotes, brackets), so that nothing after
# a URL (an e-mail address) is taken for a part of it. A scheme of at most 32 characters: a
# start inside a long run of a scheme's characters then scans a bounded part of it.
_URL_PASSWORD = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]{0,31}://[^\s/?#@:\"'<>]*):[A-Za-z0-9._~%!$&*+=:-]+@"
)
# The members of a subscription's ``security.credentials`` that are secret.
_SECRET_MEMBERS = frozenset({"password", "secretKey", "clientSecret"})


# Shorter values would mask words of a path; the connector refuses keys this short (the
# server's CONNECTOR_MIN_KEY_LENGTH says the same).
MIN_KEY_LENGTH = 16


#: What the masks of keys in a log line are made of: the first of these no key holds. Each is
#: written as it is in a line escaped for the log (``server._logged_path``), none starts a
#: percent escape, and none has a letter case.
_MASK_CHARACTERS = "*~!$+"


def long_keys(keys: tuple[str | None, ...]) -> tuple[str, ...]:
    """Those of ``keys`` long enough to be a key (``MIN_KEY_LENGTH``): the ones masked."""
    return tuple(key for key in keys if key and len(key) >= MIN_KEY_LENGTH)


def mask_of(keys: tuple[str, ...]) -> str | None:
    """The one mask of every key of ``keys`` in a text: ``***``, or three of the first of
    ``~!$+`` that none of them holds, or None when they hold all five.

    A mask made of a character of a key could spell that key, or another masked in the same
    text, again with the text around it (``abc*`` masked in ``abcabc*``: ``abc***``).
    """
    held = set("".join(keys))
    return next((c * 3 for c in _MASK_CHARACTERS if c not in held), None)


def spells_a_key(text: str, keys: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``keys`` in any letter case."""
    return any(re.search(re.escape(key), text, flags=re.IGNORECASE) for key in keys)


def without_keys(text: str, keys: tuple[str, ...], mask: str) -> str:
    """``text`` with each of ``keys`` (``long_keys``) masked by ``mask`` (``mask_of``) in
    any letter case."""
    for key in keys:
        text = re.sub(re.escape(key), mask, text, flags=re.IGNORECASE)
    return text


def shown_url(text: str) -> str:
    """``text`` (a text that may hold URLs) with the password of every URL in it masked, the
    user name kept: a password of the characters ``_URL_PASSWORD`` takes. One holding others
    (a ',', a quote, whitespace) shows in a text; ``shown_target`` reads a text that is one
    URL whole."""
    if "://" not in text:
        return text
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", text)


#: What ``shown_target`` shows of a URL whose password urlsplit reads but the text does not
#: spell in one piece (a tab inside it, which urlsplit drops).
_HIDDEN_URL = "(a URL with a password: not shown)"
#: The shortest password whose copies elsewhere in its URL are masked too.
_SHORTEST_COPY = 4


def shown_target(url: str) -> str:
    """``url`` (a text that is one URL: a notifyUrl, a member named ``...Url``) with the
    password urlsplit reads in it masked (to the network location's last '@', whatever it
    holds), and any URL after it masked as ``shown_url`` masks a text."""
    password = _password(url)
    if password:
        mask = mask_of((password, unquote(password)))
        if f":{password}@" not in url or mask is None:
            return _HIDDEN_URL
        url = without_copies(url.replace(f":{password}@", f":{mask}@"), url)
    return shown_url(url)


def without_copies(text: str, url: str) -> str:
    """``text`` (what may quote ``url``, as an error about it does) without the copies of the
    password urlsplit reads in ``url``: as given and as the sandbox sends it (percent-decoded),
    each of at least ``_SHORTEST_COPY`` characters (masking a shorter one, a digit of a port,
    would mostly garble the text)."""
    password = _password(url)
    if not password:
        return text
    copies = {password, unquote(password)}
    mask = mask_of(tuple(copies)) or _HIDDEN_URL
    for copy in copies:
        if len(copy) >= _SHORTEST_COPY:
            text = text.replace(copy, mask)
    return text


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


#: The secret members' names as ``shown_body`` compares them: in any letter case.
_SECRET_NAMES = frozenset(name.lower() for name in _SECRET_MEMBERS)
#: What ASCII JSON holds wherever it may name a secret member: the name in any letter case,
#: or a JSON escape (``\u0061``) that may spell one (or a URL's '@').
_NAMES_SECRET = re.compile(
    b"|".join(re.escape(name.encode()) for name in sorted(_SECRET_NAMES)) + rb"|\\u",
    re.IGNORECASE,
)
_AT = ord("@")
#: What keeps a body that is not JSON out of a record: a secret member's name in any letter
#: case, or what may spell one or a URL's password otherwise (a percent or JSON escape, an
#: '@', a NUL of UTF-16 or UTF-32).
_UNSHOWN_TEXT = re.compile(_NAMES_SECRET.pattern + rb"|[\x00%@\\]", re.IGNORECASE)


def may_mask(raw: bytes) -> bool:
    """Whether ``shown_body`` may change the JSON body read from ``raw``: most bodies are ASCII
    with neither an '@' (a URL's ``user:password@``) nor what may name a secret member
    (``_NAMES_SECRET``), and are recorded as parsed, without a walk. Any other is walked: a
    name ``str.lower`` folds from outside ASCII (the Kelvin sign's ``K``), UTF-16 or UTF-32
    (which the JSON reader takes too, spelling names apart in these bytes)."""
    # An int: ``b"@" in`` raises and clears a TypeError inside the test.
    return (
        _AT in raw
        or not raw.isascii()
        or json.detect_encoding(raw) != "utf-8"
        or _NAMES_SECRET.search(raw) is not None
    )


def _shown_member(name: Any, value: Any) -> Any:
    if isinstance(name, str):
        if name.lower() in _SECRET_NAMES:
            return MASK
        if isinstance(value, str) and name.lower().endswith("url"):
            return shown_target(value)  # one URL (notifyUrl, callbackUrl): read as a URL
    return shown_body(value)


def shown_body(value: Any) -> Any:
    """A JSON body as a record shows it: URL passwords masked, and the value of a member
    named as a credential's secret (``password``, in any letter case), whatever its type."""
    if isinstance(value, str):
        return shown_url(value)
    if isinstance(value, dict):
        return {k: _shown_member(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [shown_body(item) for item in value]
    return value


def recorded_body(raw: bytes, parsed: Any, is_json: bool) -> Any:
    """The body a record keeps: ``parsed`` (read from ``raw``) as ``shown_body`` shows it when
    it is JSON (``is_json``), walked only when that may change it. A body that is not JSON (a
    form, XML, broken or over-deep JSON) is kept as its text when that is ASCII holding
    nothing of ``_UNSHOWN_TEXT``, else as a note of its size: it may spell a secret in ways
    no reading of it can tell apart. None for no body."""
    if is_json:
        return shown_body(parsed) if may_mask(raw) else parsed
    if not raw:
        return None
    if isinstance(parsed, str) and raw.isascii() and _UNSHOWN_TEXT.search(raw) is None:
        return parsed
    return f"({len(raw)} bytes, not JSON: not shown)"
