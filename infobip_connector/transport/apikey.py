"""The rule an API key meets before it is used: it must travel in a header unchanged.

One rule for every path (connection values, settings made directly, the CLI's and the
hosts' start-up checks through ``connection.py``). Errors name ``token`` and never quote
the value: a key typed into the wrong field must not be printed back.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ConfigurationError
from ..redaction import MAX_SECRET_LENGTH, MIN_SECRET_LENGTH
from .secret import is_secret

TOKEN_TYPE = "must be text: the API key from the Infobip web interface"
#: Longer than any Infobip key; a bound keeps error snippets (cut after masking) whole.
MAX_TOKEN_LENGTH = MAX_SECRET_LENGTH


def _fail(path: str, message: str) -> ConfigurationError:
    return ConfigurationError([{"path": path, "message": message}])


def check_token(secret: Any) -> None:
    """Refuse a token that could not travel in a header unchanged; one rule for every path.

    Only visible ASCII (``!`` to ``~``): httpx refuses other characters while aiohttp
    would send them, so without this the two paths would disagree. ``secret`` is the
    token as a ``SecretStr``; the plain text is never held in a local of this frame.
    Raises ``ConfigurationError`` at ``token``; never quotes the token.
    """
    if secret is None or (is_secret(secret) and secret.get_secret_value() == ""):
        raise _fail("token", "is required: the API key from the Infobip web interface")
    if not is_secret(secret) or not isinstance(secret.get_secret_value(), str):
        raise _fail("token", TOKEN_TYPE)
    if not secret.get_secret_value().strip():
        raise _fail("token", "is required: the API key from the Infobip web interface")
    if not all("!" <= c <= "~" for c in secret.get_secret_value()):
        raise _fail(
            "token",
            "must be visible ASCII characters only: no spaces, control or non-ASCII characters",
        )
    if len(secret.get_secret_value()) < MIN_SECRET_LENGTH:
        # A key this short could not be masked in logs without mangling ordinary words.
        raise _fail(
            "token",
            f"is too short to be an Infobip API key (at least {MIN_SECRET_LENGTH} characters)",
        )
    if len(secret.get_secret_value()) > MAX_TOKEN_LENGTH:
        raise _fail("token", f"is longer than any Infobip API key ({MAX_TOKEN_LENGTH} at most)")
    if "*" in secret.get_secret_value():
        # Masking writes "***" where a key was: a key holding "*" could be put back
        # together from the mask and the text around it ("x" + "***bcd..." for "*bcd...").
        raise _fail(
            "token",
            "holds '*', as no Infobip API key does (the masks that hide keys in logs are "
            "made of it): check that it is the API key",
        )
    if _looks_like_url(secret.get_secret_value()):
        raise _fail("token", "looks like a URL, not an API key: are token and baseUrl swapped?")
    if _NUMBER_SPELLING.fullmatch(secret.get_secret_value()) and any(
        c.isdigit() for c in secret.get_secret_value()
    ):
        # Infobip's keys hold letters. A key that a JSON number can spell could be echoed as
        # a number (1.234567890123456e15) that no masking of text finds, or that a double
        # reads with its last digits changed: refused, it can never be.
        raise _fail(
            "token",
            "holds only digits and number signs (+ - . e E), as no Infobip API key does: "
            "check that it is the API key, not an account ID or a phone number",
        )


#: The characters of a JSON number: a key made of these alone, with a digit, is refused.
_NUMBER_SPELLING = re.compile(r"[-+.eE0-9]+")


def _looks_like_url(text: str) -> bool:
    # No Infobip key holds "//" or the name: such a text is part of a URL, and could match
    # the fixed text of a base URL (settings._holds_key).
    return "//" in text or "infobip" in text.lower()
