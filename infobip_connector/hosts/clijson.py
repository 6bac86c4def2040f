"""The command line's JSON: the files it reads (bounded, a member named twice refused), what
it prints on stdout and the error object it writes on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from .. import safejson
from ..errors import ConnectorError, InputError, UsageError
from ..redaction import redact, sent_ids
from . import jsonout
from .uniquejson import loads_unique

MAX_INPUT_BYTES = 50 * 1024 * 1024


def dump_json(data: Any, pretty: bool = True) -> None:
    jsonout.write(data, pretty=pretty)


def fail(error: ConnectorError) -> NoReturn:
    # Strict JSON on one line: an engine reading stderr must be able to parse it (details
    # are JSON-safe), whatever it takes for a line break.
    text = json.dumps(error.to_dict(), ensure_ascii=False, allow_nan=False)
    sys.stderr.write(jsonout.escaped_break_text(redact(text, sent_ids(error.details))) + "\n")
    raise SystemExit(error.exit_code)


def read_json(source: str, what: str) -> Any:
    """JSON from a file path or ``-`` (stdin), refusing anything over the size limit.

    Read with a bound whatever the source is: a device (``/dev/zero``) or a FIFO reports
    size 0 and would otherwise be read without end. ``what`` is ``input`` or ``connection``;
    errors name its option: the input's are input errors (exit 2), a connection file's
    usage errors at ``--connection`` (exit 2).
    """
    option = f"--{what}"
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as file:
                raw = file.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(
            [{"path": option, "message": f"cannot read {what} {source}: {exc.strerror}"}]
        ) from None
    error = InputError if option == "--input" else UsageError
    path = "" if option == "--input" else option
    if len(raw) > MAX_INPUT_BYTES:
        raise error([{"path": path, "message": f"{what} is larger than 50 MB; split it up"}])
    try:
        return loads_unique(raw)  # a member named twice is refused, never half-read
    except safejson.JsonError as exc:
        raise error([{"path": path, "message": f"{what} {exc}"}]) from None
