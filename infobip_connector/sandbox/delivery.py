"""Posting delivery reports: one URL parse for the check and the connection, a bounded pool.

A notify URL is parsed once into a ``Target``; the loopback check and the connection both use
that parse, so a URL with userinfo (``http://user:pw@127.0.0.1:9/``) is checked as and sent
to the same host. Reports are posted by a few daemon threads shared by every sandbox in the
process, however many notify URLs arrive; a failing post is recorded and logged, never lost.
"""

from __future__ import annotations

import base64
import heapq
import http.client
import ipaddress
import itertools
import logging
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from . import wire

log = logging.getLogger("infobip_connector.sandbox")

POST_TIMEOUT = 2.0
WORKERS = 4
XML_TYPE = "application/xml"


@dataclass(frozen=True)
class Target:
    """Where a report goes, from the one parse of its notify URL."""

    scheme: str
    host: str
    port: int
    path: str
    authorization: str | None

    @property
    def is_loopback(self) -> bool:
        if self.host.rstrip(".").lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


#: Why urlsplit refused a URL, by a word of its message (which quotes parts of the network
#: location, a password among them, so is never shown itself).
_REFUSALS = (
    ("Port", "its port is not a number from 0 to 65535"),
    ("IPv", "its host in brackets is not an IP address"),
    ("NFKC", "its network location holds characters that NFKC normalization changes"),
)


def _refusal(exc: ValueError) -> str:
    said = str(exc)
    return next((why for word, why in _REFUSALS if word in said), "urlsplit refused it")


def parse_target(url: str) -> Target | str:
    """The ``Target`` of ``url``, or a sentence saying why it is not a usable URL."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "the URL contains a control character"
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        return f"not a valid URL ({_refusal(exc)})"
    if parts.scheme not in ("http", "https"):
        return "not an http:// or https:// URL"
    if not host:
        return "the URL has no host"
    authorization = None
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(
            credentials.encode("utf-8", "backslashreplace")
        ).decode("ascii")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default_port, path, authorization)


def _xml_children(parent: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if item is not None:
                _xml_children(ET.SubElement(parent, key), item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    else:
        parent.text = str(value)


def encode_report(body: dict[str, Any], content_type: str) -> bytes:
    """A report body as JSON, or as Infobip's XML (``reportResponse/results/result``)."""
    if content_type != XML_TYPE:
        return wire.encode(body)
    root = ET.Element("reportResponse")
    results = ET.SubElement(root, "results")
    for result in body.get("results", []):
        _xml_children(ET.SubElement(results, "result"), result)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data


def post(
    target: Target, data: bytes, content_type: str, extra: Mapping[str, str] | None = None
) -> tuple[int | None, str | None]:
    """POST ``data`` to ``target``: (status, None) on a 2xx answer, else (status, error).

    ``extra`` headers (a subscription's Basic credentials or HMAC signature) are added last, so
    they win over the URL's user information. Redirects are not followed and no proxy is used,
    so a report meant for a loopback receiver never leaves the machine.
    """
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    headers = {"Content-Type": content_type, "User-Agent": "infobip-sandbox"}
    if target.authorization is not None:
        headers["Authorization"] = target.authorization
    headers.update(extra or {})
    connection = connection_class(target.host, target.port, timeout=POST_TIMEOUT)
    try:
        connection.request("POST", target.path, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        status = int(response.status)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()
    return status, None if 200 <= status < 300 else f"HTTP {status}"


class _Pool:
    """``WORKERS`` daemon threads running jobs, each not before its due time, earliest first.

    Jobs wait in a heap rather than a FIFO queue, so a retry scheduled for later never holds a
    worker while jobs due now wait behind it.
    """

    def __init__(self) -> None:
        self._jobs: list[tuple[float, int, Callable[[], None]]] = []
        self._ready = threading.Condition()
        self._order = itertools.count()
        self._started = 0

    def submit(self, due: float, job: Callable[[], None]) -> None:
        with self._ready:
            heapq.heappush(self._jobs, (due, next(self._order), job))
            self._ready.notify()
            if self._started < WORKERS:
                self._started += 1
                threading.Thread(
                    target=self._work, name=f"infobip-sandbox-reports-{self._started}", daemon=True
                ).start()

    def _next(self) -> Callable[[], None]:
        with self._ready:
            while True:
                if self._jobs:
                    wait = self._jobs[0][0] - time.monotonic()
                    if wait <= 0:
                        return heapq.heappop(self._jobs)[2]
                    self._ready.wait(wait)
                else:
                    self._ready.wait()

    def _work(self) -> None:
        while True:
            job = self._next()
            try:
                job()
            except Exception:  # a job must never take a worker down with it
                log.exception("delivery report job failed")


POOL = _Pool()
