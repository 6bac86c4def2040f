"""The MCP server itself, on the official SDK's low-level ``Server`` (the ``mcp`` extra).

The low-level server fits a component whose tools come from a definition: the schemas are
the derived ones, handed over as they are, where the SDK's decorator API would derive its
own from Python signatures. Served over stdio (the default, ``stdio.py``) or streamable
HTTP. Tool calls run on the server's event loop (``ToolRunner.call``, the component's async
path with its pooled client), so a send that takes long does not hold up the protocol. A
call runs through ``inflight.py``: a cancelled request (``notifications/cancelled``, the
client leaving) still lets its send finish, free its key and be accounted for (kept by key,
logged) instead of cutting it off mid-flight; its result is then not sent, as the protocol
wants. Over HTTP, a call whose client left before its response ended is logged the same way
(``httpanswers.py``). Stopping (signals, the end of input) is ``stopping.py``'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections.abc import Generator
from functools import partial
from typing import Any

import anyio
import mcp_types as types
from mcp.server import Server, ServerRequestContext

from ..._version import __version__
from ..cliflags import GRACE
from ..stopsignals import handling, keep_from_loop_threads
from .badlines import AnsweringReader
from .badparams import ParamsErrors, invalid_params
from .calls import SANDBOX_NOTE, ToolRunner, UnknownTool, unknown_tool_errors
from .httpanswers import answers_watched, watch_of
from .httpbody import MAX_BODY_BYTES, bodies_read
from .httpguard import HttpGuard, guarded
from .inflight import InFlight
from .resources import ResourceSpec
from .stopping import (
    HTTP_CLOSE_SECONDS,
    Stopper,
    StoppingReader,
    TellingWriter,
    streams_ended,
)
from .structured import NESTED_META, structured_content
from .unread import answer_unread

INSTRUCTIONS = (
    "Infobip SMS and WhatsApp actions, one tool each. Tools marked destructive send paid "
    "messages or change a scheduled bulk; the delivery-report and inbound pulls hand each item "
    "out once, so never repeat one after an error that says the outcome is unknown. A failed "
    "call comes back as an error result whose error.details.errors name each wrong field by "
    "path (messages[0].destinations[0].to) and say what is expected; nothing was sent then "
    "unless error.type is outcome_unknown. A send tool takes an optional idempotency_key and "
    "repeated; after outcome_unknown, retry a send only with the key in "
    "error.details.idempotency_key and repeated: true, so the same IDs are sent again rather "
    "than new ones; only when the account has Infobip's idempotent sending (connection "
    "option idempotentSending) are those Infobip already accepted refused and reported "
    "accepted, otherwise such a retry sends them again, so check the IDs with getSmsLogs "
    "first. A send that ended with a result is remembered by key for this server's life "
    "(24 hours at most): the same key and arguments return that result again, marked as a "
    "replay, and nothing is sent; the key with other arguments is an input error. The "
    "resource infobip-connector://reference lists every property."
)
HTTP_PATH = "/mcp"


def build_server(
    runner: ToolRunner, resources: dict[str, ResourceSpec], in_flight: InFlight | None = None
) -> Server[Any]:
    """A low-level MCP server offering ``runner``'s tools and ``resources``; its calls run
    through ``in_flight`` (a new one with the default grace period when None)."""

    async def list_tools(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        tools = [
            types.Tool(
                name=spec.name,
                title=spec.title,
                description=spec.description,
                input_schema=spec.input_schema,
                output_schema=spec.output_schema,
                annotations=types.ToolAnnotations.model_validate(spec.annotations),
            )
            for spec in runner.tools.values()
        ]
        return types.ListToolsResult(tools=tools)

    calls = InFlight(runner, GRACE) if in_flight is None else in_flight

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        try:
            # Run to its end even when the request is cancelled (inflight.py).
            result = await calls.call(
                ctx.request_id, params.name, params.arguments, watch_of(ctx.request)
            )
        except UnknownTool as exc:
            raise invalid_params(
                [{"path": "params.name", "message": exc.expected}], str(exc)
            ) from None
        text: list[types.ContentBlock] = [types.TextContent(text=result.text)]
        if result.is_error:
            # The error object is no output: given as structuredContent it would fail the
            # tool's outputSchema, which some clients check error results against too (and
            # then lose the error, with a send's IDs). It is the text's last line.
            return types.CallToolResult(content=text, is_error=True, _meta=result.meta)
        structured, meta = structured_content(result.structured), result.meta
        if structured is not result.structured:
            meta = {**(meta or {}), NESTED_META: True}
        return types.CallToolResult(
            content=text, structured_content=structured, is_error=False, _meta=meta
        )

    async def list_resources(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        listed = [
            types.Resource(
                uri=r.uri,
                name=r.name,
                title=r.title,
                description=r.description,
                mime_type=r.mime_type,
                size=len(r.text.encode("utf-8")),
            )
            for r in resources.values()
        ]
        return types.ListResourcesResult(resources=listed)

    async def read_resource(
        _ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        found = resources.get(str(params.uri))
        if found is None:
            known = ", ".join(resources)
            wrong = [{"path": "params.uri", "message": f"must be one of: {known}"}]
            raise invalid_params(wrong, f"unknown resource {params.uri}; one of: {known}")
        contents = types.TextResourceContents(
            uri=found.uri, mime_type=found.mime_type, text=found.text
        )
        return types.ReadResourceResult(contents=[contents])

    async def list_resource_templates(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        # None: the resources are fixed URIs. Answered, as the capability is advertised.
        return types.ListResourceTemplatesResult(resource_templates=[])

    instructions = f"{INSTRUCTIONS} {SANDBOX_NOTE}" if runner.sandbox else INSTRUCTIONS
    server: Server[Any] = Server(
        "infobip-connector",
        version=__version__,
        title="Infobip connector",
        instructions=instructions,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
        on_list_resource_templates=list_resource_templates,
    )
    # Inside the SDK's tracing, which sees its error; an unknown tool named with the rest.
    server.middleware.append(ParamsErrors(partial(unknown_tool_errors, runner)))
    return server


def serve_stdio(server: Server[Any], in_flight: InFlight) -> None:
    """Serve one client over stdin and stdout (``stdio.py``) until it closes stdin or a
    stop signal; either way the calls in flight end first (``stopping.py``)."""
    from ... import aclose_pooled_clients
    from ..eventloop import loop_factory
    from .stdio import stdio_streams

    factory = loop_factory()  # uvloop when installed, as for serve

    async def serve() -> None:
        stopper = Stopper(in_flight)
        await keep_from_loop_threads()
        try:
            with handling(stopper.signalled):
                async with stdio_streams(drain=in_flight.grace) as (read_stream, write_stream):
                    writer = TellingWriter(write_stream, in_flight)
                    read_stream.gone = stopper.output_gone  # a call read then is not run
                    write_stream.gone = stopper.output_gone  # a write failed: the same
                    reader = StoppingReader(AnsweringReader(read_stream, writer), stopper)
                    await server.run(reader, writer, server.create_initialization_options())
                    answer_unread(read_stream.unread(), write_stream)
        finally:
            in_flight.report("its answer was never written")
            await aclose_pooled_clients()  # the async path's connections, as serve does

    anyio.run(serve, backend_options={"loop_factory": factory} if factory else None)


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: a free port).

    Bound here, before the HTTP server starts, so that a port in use or an address of
    another machine is an OSError the CLI turns into a usage error (the HTTP server would
    log it and exit 1). Raises OSError (``socket.gaierror`` for a name that does not
    resolve).
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def serve_http(
    server: Server[Any], sock: socket.socket, guard: HttpGuard, in_flight: InFlight
) -> None:
    """Serve streamable HTTP at ``/mcp`` on the listening ``sock`` until stopped.

    The SDK's DNS-rebinding protection is on whatever the address: it answers only the
    ``Host`` and ``Origin`` values of ``guard`` (421 and 403 otherwise). The address is
    printed on stderr (stdout stays clean).
    """
    import uvicorn
    from mcp.server.transport_security import TransportSecuritySettings

    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=list(guard.hosts),
        allowed_origins=list(guard.origins),
    )
    app = server.streamable_http_app(
        streamable_http_path=HTTP_PATH,
        transport_security=security,
        max_request_body_size=MAX_BODY_BYTES,
    )
    bound = sock.getsockname()
    # Every path, the header's exact rules; then each body answered as its stdio line is.
    stopped = asyncio.Event()  # the event streams end then, not at uvicorn's timeout
    checked = guarded(streams_ended(answers_watched(bodies_read(app)), stopped), guard, bound[1])
    shown = f"[{bound[0]}]" if sock.family == socket.AF_INET6 else bound[0]
    sys.stderr.write(f"MCP server (streamable HTTP) on http://{shown}:{bound[1]}{HTTP_PATH}\n")
    sys.stderr.flush()
    config = uvicorn.Config(
        checked, log_level="warning", lifespan="on", timeout_graceful_shutdown=HTTP_CLOSE_SECONDS
    )

    class Web(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            # Uvicorn's own handling exits at once and raises the signal again: Stopper's
            # lets the calls in flight end and be answered first.
            yield

    web = Web(config)

    async def serve() -> None:
        stopper = Stopper(in_flight)
        stopper.then(stopped.set)
        stopper.then(lambda: setattr(web, "should_exit", True))
        try:
            with handling(stopper.signalled):
                await web.serve([sock])
        finally:
            # The calls whose HTTP response had not ended (each one that did told its watch).
            in_flight.report("its HTTP response had not ended when the server stopped")

    anyio.run(serve)
