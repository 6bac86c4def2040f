"""The MCP server host: the component's actions as tools for AI agents (``infobip-connector mcp``).

``command.py`` (options, checks, start) and the plain-data modules ``tools.py``,
``calls.py`` and ``resources.py`` import no MCP SDK; only ``server.py`` does, so the CLI
and these modules work without the ``mcp`` extra.
"""
