"""What the sandbox shows of the credentials it is given: never the secret itself.

A notify URL may carry Basic credentials (``http://user:pw@127.0.0.1:9000/``, posted as an
``Authorization: Basic`` header), and a subscription's security settings carry a password or
an HMAC secret. The sandbox keeps them to post with, but its log lines, its report records
(``sandbox.reports``) and its request records (``sandbox.requests``) show ``***`` instead
(another character for keys holding ``*``, ``mask_of``), as the connector masks its API
key: a test's log or snapshot never holds a credential.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
# scheme://user:password@ : the password up to the '@' that ends the user information.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:\"'<>]*):[^\s/?#@\"'<>]*@")
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
    """``text`` with the password of every URL in it masked (the user name is kept)."""
    if "://" not in text:
        return text
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{MASK}@", text)


#: What JSON bytes hold wherever ``shown_body`` would mask something: an '@' (a URL's
#: ``user:password@``), a secret member's name, or an escape (``\u0040``) spelling either.
_SHOWN_MARKS = (*(name.encode() for name in sorted(_SECRET_MEMBERS)), b"\\u")
_AT = ord("@")


def may_mask(raw: bytes) -> bool:
    """Whether ``shown_body`` may change the JSON body ``raw`` (UTF-8) holds: most bodies hold
    none of ``_SHOWN_MARKS`` and are recorded as parsed, without a walk."""
    # ``find`` and an int: ``b"..." in`` raises and clears a TypeError inside each test.
    return _AT in raw or any(raw.find(mark) != -1 for mark in _SHOWN_MARKS)


def shown_body(value: Any) -> Any:
    """A JSON body as a record shows it: URL passwords and credential secrets masked."""
    if isinstance(value, str):
        return shown_url(value)
    if isinstance(value, dict):
        return {
            k: MASK if k in _SECRET_MEMBERS and isinstance(v, str) else shown_body(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [shown_body(item) for item in value]
    return value
