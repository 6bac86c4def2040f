"""Local visual editor preview: a page generated from ``connector.yaml``, served on loopback."""

from __future__ import annotations

from .server import EditorServer, make_server, run_editor

__all__ = ["EditorServer", "make_server", "run_editor"]
