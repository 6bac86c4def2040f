"""The MCP server itself, on the official SDK's low-level ``Server`` (the ``mcp`` extra).

The low-level server fits a component whose tools come from a definition: the schemas are
the derived ones, handed over as they are, where the SDK's decorator API would derive its
own from Python signatures. Served over stdio (the default, ``stdio.py``) or streamable
HTTP. Tool calls run on the server's event loop (``ToolRunner.call``, the component's async
path with its pooled client), so a send that takes long does not hold up the protocol. A
call is awaited in a shielded scope: a cancelled request (``notifications/cancelled``, the
client leaving) still lets its send finish, free its key and be accounted for instead of
cutting it off mid-flight; its result is then not sent, as the protocol wants.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

import anyio
import mcp_types as types
from mcp.server import Server, ServerRequestContext
from mcp.shared.exceptions import MCPError

from ..._version import __version__
from .calls import SANDBOX_NOTE, ToolRunner, UnknownTool
from .httpguard import HttpGuard
from .resources import ResourceSpec

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


def build_server(runner: ToolRunner, resources: dict[str, ResourceSpec]) -> Server[Any]:
    """A low-level MCP server offering ``runner``'s tools and ``resources``."""

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

    async def call_tool(
        _ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        try:
            with anyio.CancelScope(shield=True):
                result = await runner.call(params.name, params.arguments)
        except UnknownTool as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc)) from None
        return types.CallToolResult(
            content=[types.TextContent(text=result.text)],
            structured_content=result.structured,
            is_error=result.is_error,
            _meta=result.meta,
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
            raise MCPError(types.INVALID_PARAMS, f"unknown resource {params.uri}; one of: {known}")
        contents = types.TextResourceContents(
            uri=found.uri, mime_type=found.mime_type, text=found.text
        )
        return types.ReadResourceResult(contents=[contents])

    instructions = f"{INSTRUCTIONS} {SANDBOX_NOTE}" if runner.sandbox else INSTRUCTIONS
    return Server(
        "infobip-connector",
        version=__version__,
        title="Infobip connector",
        instructions=instructions,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


def serve_stdio(server: Server[Any]) -> None:
    """Serve one client over stdin and stdout until it closes stdin (``stdio.py``)."""
    from ... import aclose_pooled_clients
    from ..eventloop import loop_factory
    from .stdio import stdio_streams

    factory = loop_factory()  # uvloop when installed, as for serve

    async def serve() -> None:
        try:
            async with stdio_streams() as (read_stream, write_stream):
                await server.run(read_stream, write_stream, server.create_initialization_options())
        finally:
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


def serve_http(server: Server[Any], sock: socket.socket, guard: HttpGuard) -> None:
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
    app = server.streamable_http_app(streamable_http_path=HTTP_PATH, transport_security=security)
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if sock.family == socket.AF_INET6 else bound[0]
    sys.stderr.write(f"MCP server (streamable HTTP) on http://{shown}:{bound[1]}{HTTP_PATH}\n")
    sys.stderr.flush()
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    anyio.run(uvicorn.Server(config).serve, [sock])
