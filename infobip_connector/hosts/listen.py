"""``infobip-connector listen``: a trigger's webhook served over HTTP, events as JSON lines.

Each call Infobip makes to the webhook goes through ``component.handle_webhook`` (method,
size, Basic/HMAC, content type, body, repeats). The events it returns are written to stdout,
one compact JSON object per line, flushed per event, by the main thread (items of a body that
could not be read, or are older than ``--max-event-age``, go to stderr as ``{"refused": ...}``
lines); the call is answered
200 only once its events are written, so a call whose events could not be written (stdout
closed) is answered 503 and Infobip sends it again to whatever listens next. A broken stdout
pipe ends the command cleanly (exit 0), unregistering what it registered.

With ``--state FILE`` the repeat window is kept in ``FILE`` (on the wall clock, saved
atomically after each call that returned events), so a restart does not return again what
was returned before; with the events' maximum age (``--max-event-age``) that bounds replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import queue
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from aiohttp import web

from ..errors import InputError, UsageError
from ..redaction import get_logger
from ..webserver import BackgroundServer, BodyRefused, read_body
from . import jsonout
from .cliconnection import BASIC_AUTH_VARIABLE, HMAC_SECRET_VARIABLE

if TYPE_CHECKING:
    from .. import RecentKeys, WebhookSettings
    from ..component import Component

log = get_logger("infobip_connector.listen")
#: A kept window of 100,000 keys is about 3 MB of JSON.
STATE_BYTES = 16 * 1024 * 1024

#: Seconds a call may take to arrive, and to wait for its events to be written.
BODY_TIMEOUT = 30.0
WRITE_TIMEOUT = 30.0
#: Seconds a connection may stay idle between calls.
IDLE_TIMEOUT = 15.0
#: How often (seconds) the main thread looks up from the queue, so Ctrl-C is handled.
TICK = 0.5

#: Where ``--basic-auth`` and ``--hmac-secret`` may come from instead of the command line.


@dataclass
class _Batch:
    """Events of one call, and the future the main thread resolves once they are written."""

    events: list[dict[str, Any]]
    written: Future[bool]


def webhook_settings(
    *,
    basic_auth: str | None,
    hmac_secret: str | None,
    allow_unauthenticated: bool,
    environ: Mapping[str, str],
    max_event_age: float | None = None,
) -> WebhookSettings:
    """The settings the webhook checks calls with, from the options or the environment.

    ``basic_auth`` is ``USER:PASS`` (split at the first ``:``, so a password may hold one).
    An option wins over its variable. Raises UsageError naming the option (never quoting a
    secret) for an unusable value, or when no check is configured and
    ``allow_unauthenticated`` is false. ``max_event_age``: seconds (None: the default).
    """
    from .. import WebhookSettings
    from ..errors import ConfigurationError

    basic_text = basic_auth if basic_auth is not None else environ.get(BASIC_AUTH_VARIABLE)
    secret = hmac_secret if hmac_secret is not None else environ.get(HMAC_SECRET_VARIABLE)
    basic: tuple[str, str] | None = None
    if basic_text is not None:
        username, colon, password = basic_text.partition(":")
        if not colon:
            raise UsageError(
                [{"path": "--basic-auth", "message": "must be USER:PASS (no ':' found)"}]
            )
        basic = (username, password)
    try:
        settings = WebhookSettings(
            basic_auth=basic,  # type: ignore[arg-type]  # checked and wrapped on creation
            hmac_secret=secret,  # type: ignore[arg-type]
            allow_unauthenticated=allow_unauthenticated,
        )
        if max_event_age is not None:  # else the settings' own default
            settings = dataclasses.replace(settings, max_event_age=max_event_age)
        return settings
    except ConfigurationError as exc:
        options = {
            "basicAuth": "--basic-auth",
            "hmacSecret": "--hmac-secret",
            "maxEventAge": "--max-event-age",
        }
        problems = []
        for problem in exc.errors:
            head = str(problem.get("path", "")).split(".")[0]
            message = str(problem.get("message", ""))
            if head == "basicAuth" and basic is None and secret is None:
                message = (
                    "give --basic-auth USER:PASS or --hmac-secret SECRET (as set at Infobip), "
                    "or --allow-unauthenticated for local tests"
                )
            problems.append({"path": options.get(head, "--basic-auth"), "message": message})
        raise UsageError(problems) from None


class Listener:
    """The webhook of ``trigger`` on ``host:port`` at ``path``; events go to ``out``.

    Bound on creation (OSError for a port in use or a host that is not local). ``serve``
    writes events until stdout breaks or the process is interrupted.
    """

    def __init__(
        self,
        component: Component,
        trigger: str,
        settings: WebhookSettings,
        *,
        host: str,
        port: int,
        path: str,
        state: str | None = None,
    ) -> None:
        self._component = component
        self._trigger = trigger
        self._state = state
        self._saving = threading.Lock()
        self._seen = None if state is None else _window(state, settings.max_event_age)
        self._settings = settings
        self._path = path
        self._queue: queue.Queue[_Batch] = queue.Queue()
        # Built now, not on the first call: Infobip gives a call a few seconds only.
        component.trigger_runtime(trigger)
        self._server = BackgroundServer(
            host, port, name="infobip-listen", keepalive_timeout=IDLE_TIMEOUT, workers=4
        )

    @property
    def url(self) -> str:
        """The webhook's address on this machine (``http://host:port/path``)."""
        host = self._server.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self._server.port}{self._path}"

    def start(self) -> None:
        self._server.start(self._handle)

    def stop(self) -> None:
        """Stop serving; calls still waiting for their events to be written get a 503."""
        while True:
            try:
                batch = self._queue.get_nowait()
            except queue.Empty:
                break
            if not batch.written.done():
                batch.written.set_result(False)
        self._server.stop()

    def serve(self, out: TextIO, idle: Callable[[], None] | None = None) -> None:
        """Write each call's events to ``out`` as JSON lines until ``out`` breaks.

        Returns on a broken pipe (the call that could not be written is answered 503).
        ``idle`` is called between looks at the queue (tests use it to stop the loop).
        """
        while True:
            try:
                batch = self._queue.get(timeout=TICK)
            except queue.Empty:
                if idle is not None:
                    idle()
                continue
            try:
                for event in batch.events:
                    jsonout.write(event, pretty=False, out=out)
            except (BrokenPipeError, ValueError, OSError):
                # ValueError: stdout closed under us. Either way nobody reads any more.
                batch.written.set_result(False)
                return
            batch.written.set_result(True)

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        from .. import WebhookRequest

        if request.path != self._path:
            return _json(404, {"error": {"type": "input", "message": "no webhook here"}})
        try:
            body = await read_body(request, self._settings.max_body_bytes + 1, BODY_TIMEOUT)
        except BodyRefused as refused:
            message = "the body is too large" if refused.status == 413 else "the body timed out"
            return _json(refused.status, {"error": {"type": "input", "message": message}})
        # The multidict itself: its items() give a repeated header twice, which is refused.
        call = WebhookRequest(request.method, request.headers, body)
        answer = await self._server.run_blocking(self._handle_webhook, call)
        if answer.status == 200 and answer.events:
            batch = _Batch(answer.events, Future())
            self._queue.put(batch)
            try:
                written = await asyncio.wait_for(asyncio.wrap_future(batch.written), WRITE_TIMEOUT)
            except TimeoutError:
                written = False
            if not written:
                # Infobip's retry must find them new again, not as repeats already returned.
                answer.release()
                message = "the events could not be handed on; send them again"
                return _json(503, {"error": {"type": "unreachable", "message": message}})
            if answer.keys and self._state is not None:
                await self._server.run_blocking(self._save)
        for item in answer.refused:
            # As ``poll`` does: the items not handed on as events, on stderr, one line each.
            with contextlib.suppress(OSError, ValueError):
                jsonout.write({"refused": item}, pretty=False, out=sys.stderr)
        response = web.Response(
            status=answer.status, body=answer.http_body(), content_type="application/json"
        )
        response.headers.update(answer.headers)
        return response

    def _handle_webhook(self, call: Any) -> Any:
        return self._component.handle_webhook(self._trigger, call, self._settings, seen=self._seen)

    def _save(self) -> None:
        """The window written to the state file; a failure is logged (the events were handed
        on, so the call is still answered 200)."""
        from .pollcmd import write_state

        assert self._seen is not None and self._state is not None
        with self._saving:
            try:
                write_state(self._state, self._seen.to_state())
            except UsageError as exc:
                log.warning("the repeat window could not be saved: %s", exc.errors[0]["message"])


def _window(path: str, max_age: float) -> RecentKeys:
    """The repeat window kept in ``path`` (empty when there is no such file); UsageError at
    ``--state`` naming the file when it is not one."""
    from .. import RecentKeys
    from .pollcmd import read_state

    done = "nothing was served"
    state = read_state(path, STATE_BYTES, done)
    try:
        return RecentKeys.from_state(state, max_age=max_age)
    except InputError as exc:
        problem = exc.errors[0]
        message = f"{path} is not a listen state ({problem['path']}: {problem['message']})"
        raise UsageError(
            [{"path": "--state", "message": f"{message}; fix or remove it ({done})"}]
        ) from None


def _json(status: int, data: dict[str, Any]) -> web.Response:
    body = jsonout.encode(data, pretty=False)
    return web.Response(status=status, body=body, content_type="application/json")


def listen(
    listener: Listener,
    trigger: str,
    *,
    register: Callable[[str], dict[str, Any]] | None,
    unregister: Callable[[dict[str, Any]], None],
    notices: TextIO,
    out: TextIO,
) -> None:
    """Serve ``listener`` (``trigger``'s webhook) until stdout breaks or an interrupt.

    ``register(url)`` (when given) registers the webhook and returns the registration, which
    ``unregister`` removes on the way out, whatever ends the command. Errors of ``register``
    propagate with the server stopped.
    """
    listener.start()
    registration: dict[str, Any] | None = None
    try:
        notices.write(f"Listening for {trigger} on {listener.url} (Ctrl-C stops)\n")
        notices.flush()
        if register is not None:
            registration = register(listener.url)
            notices.write(f"Registered: {jsonout.encode(registration, pretty=False).decode()}")
            notices.flush()
        listener.serve(out)
    finally:
        listener.stop()
        if registration is not None:
            unregister(registration)
            notices.write("Unregistered the webhook.\n")
            notices.flush()


def check_path(path: str) -> str:
    """``--path``: an absolute path without query or fragment; UsageError otherwise."""
    if not path.startswith("/") or any(c in path for c in "?# \t\r\n"):
        raise UsageError(
            [{"path": "--path", "message": "must start with / and hold no ?, # or spaces"}]
        )
    return path


def warn_if_reachable(host: str, notices: TextIO) -> None:
    """Say on ``notices`` when ``host`` lets other machines call the webhook."""
    from ..sandbox.server import is_loopback_host

    if not is_loopback_host(host):
        notices.write(
            f"warning: the webhook on {host} is reachable from other machines; anyone who can "
            "reach it and passes its checks can start workflows\n"
        )
