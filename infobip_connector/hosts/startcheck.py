"""The servers' check of their connection at start-up: an unusable one stops them there.

``serve`` and ``mcp`` run for long and answer many calls with one connection. One whose
values can never work (a key too short to be an Infobip API key, a base URL that is not
https or not a host) would let them start and then fail every call with the same
``configuration`` error, at the path ``token`` although the user set a variable. The
connection's own checks (``component.connection_error``: the shapes only, nothing on
the network) run once before serving instead, and what they find is a
``usage`` error (exit 2) naming what the user gave: ``INFOBIP_API_KEY``,
``INFOBIP_BASE_URL`` or ``--connection FILE``. The embedded sandbox's connection is the
CLI's own and is not checked. No message quotes the key: the checks never do.
"""

from __future__ import annotations

from typing import Any

from ..component import connection_error
from ..errors import UsageError
from .cliconnection import BASE_URL_VARIABLE, KEY_VARIABLE

#: Where each connection value comes from when it is taken from the environment.
_VARIABLES = {"token": KEY_VARIABLE, "baseUrl": BASE_URL_VARIABLE}


def check_connection(values: dict[str, Any], *, connection_file: str | None, server: str) -> None:
    """Raise UsageError when ``values`` (from ``connection_file``, else the environment)
    cannot be used by any call of ``server`` (``serve``, ``mcp``); nothing is sent."""
    error = connection_error(values)
    if error is None:
        return
    problems = []
    for problem in error.errors:
        path, message = problem["path"], problem["message"]
        if connection_file is not None:
            problems.append(
                {"path": "--connection", "message": f"{connection_file}: {path}: {message}"}
            )
        else:
            problems.append({"path": _VARIABLES.get(path, path), "message": message})
    shown = "; ".join(f"{p['path']}: {p['message']}" for p in problems)
    raise UsageError(
        problems, f"{server} did not start, its connection cannot work: {shown}; nothing was sent"
    )
