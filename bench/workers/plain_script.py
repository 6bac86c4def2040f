"""Baseline of figure 6: the plain script a person would write instead of the CLI.

``python plain_script.py PORT BODY_FILE``: posts the pre-built request body with httpx
and prints the parsed answer as indented JSON, the way the CLI prints its output (orjson,
one write: the fastest a script can print the same text). Not a worker: figure 6 times
whole processes, so this runs as a command, start-up included.
"""

from __future__ import annotations

import sys

import _payloads as p
import httpx
import orjson


def main() -> None:
    port, body_file = sys.argv[1], sys.argv[2]
    with open(body_file, "rb") as source:
        body = source.read()
    response = httpx.post(
        f"http://127.0.0.1:{port}{p.SMS_PATH}", content=body, headers=p.headers(), timeout=120
    )
    response.raise_for_status()
    answer = response.json()
    sys.stdout.buffer.write(orjson.dumps(answer, option=orjson.OPT_INDENT_2))
    sys.stdout.buffer.write(b"\n")


if __name__ == "__main__":
    main()
