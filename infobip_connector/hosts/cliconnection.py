"""Where ``run`` and ``check`` get their connection: a file, the environment or the sandbox.

The one rule: nothing ever falls back to the embedded sandbox. A missing or blank key is a
usage error (exit 2) that says how to give one or to ask for the sandbox; ``--sandbox``
is the only way in, and it ignores whatever key the environment holds instead of
checking it, saying so on stderr. No message ever quotes a key or part of one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import UsageError

if TYPE_CHECKING:
    import httpx

KEY_VARIABLE = "INFOBIP_API_KEY"
BASE_URL_VARIABLE = "INFOBIP_BASE_URL"
# What `listen` reads when its flags are not given (hosts/listen.py).
BASIC_AUTH_VARIABLE = "INFOBIP_WEBHOOK_BASIC_AUTH"
HMAC_SECRET_VARIABLE = "INFOBIP_WEBHOOK_HMAC_SECRET"
#: The key the CLI hands the embedded sandbox, which accepts any key the connector accepts.
#: Random per process: a fixed key is a word that can turn up in data, where masking it
#: would corrupt an ID (a messageId ``sandbox-key-7``).
SANDBOX_KEY = "sandbox-" + secrets.token_hex(16)
HOW_TO_GIVE_A_KEY = (
    f"set {KEY_VARIABLE} (or pass --connection FILE with a token) to send through Infobip, "
    "or pass --sandbox to try the embedded sandbox; nothing was sent"
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def resolve_connection(
    *,
    connection_file: str | None,
    sandbox: bool,
    environ: Mapping[str, str],
    read_json: Callable[[str, str], Any],
    notices: TextIO,
) -> tuple[dict[str, Any], httpx.BaseTransport | None]:
    """The connection values for ``run`` / ``check`` and, for the sandbox, its transport.

    ``read_json(path, what)`` loads the connection file. Raises UsageError when no key
    is given and the sandbox was not asked for, when ``--sandbox`` and ``--connection``
    are both given, or when the file holds something other than an object. Anything
    else wrong with the values is left to the connection's own checks.
    """
    if sandbox:
        if connection_file is not None:
            raise UsageError(
                [
                    {
                        "path": "--connection",
                        "message": "does not go with --sandbox: pass one or the other",
                    }
                ]
            )
        ignored = [name for name in (KEY_VARIABLE, BASE_URL_VARIABLE) if environ.get(name)]
        note = f"; {' and '.join(ignored)} ignored" if ignored else ""
        notices.write(
            f"Using the embedded sandbox (--sandbox): nothing is sent to Infobip{note}.\n"
        )
        from ..sandbox import Sandbox

        return {"token": SANDBOX_KEY}, Sandbox().transport()
    if connection_file is not None:
        return _from_file(connection_file, read_json), None
    return _from_environment(environ), None


def _from_file(path: str, read_json: Callable[[str, str], Any]) -> dict[str, Any]:
    values = read_json(path, "connection")
    if not isinstance(values, dict):
        raise UsageError([{"path": "--connection", "message": f"{path} must hold a JSON object"}])
    if _blank(values.get("token")):
        raise UsageError(
            [{"path": "--connection", "message": f"{path} has no token: {HOW_TO_GIVE_A_KEY}"}]
        )
    return values


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    key = environ.get(KEY_VARIABLE)
    base_url = environ.get(BASE_URL_VARIABLE)
    if _blank(key):
        state = "is not set" if key is None else "is empty"
        message = f"{state}: {HOW_TO_GIVE_A_KEY}"
        if not _blank(base_url):
            # A base URL alone must not look like a configured connection.
            message = f"{state}, but {BASE_URL_VARIABLE} is: a base URL needs a key; " + (
                HOW_TO_GIVE_A_KEY
            )
        raise UsageError([{"path": KEY_VARIABLE, "message": message}])
    values: dict[str, Any] = {"token": key}
    if base_url is not None and not base_url.strip():
        # Set but blank (``INFOBIP_BASE_URL=' '``): most likely a variable that did not
        # expand; sending to the default host instead would hide the mistake.
        raise UsageError(
            [
                {
                    "path": BASE_URL_VARIABLE,
                    "message": "is set but blank: give your base URL "
                    "(such as xxxxx.api.infobip.com) or unset it to use api.infobip.com",
                }
            ]
        )
    if base_url is not None:
        values["baseUrl"] = base_url
    return values
