"""The package's folders are its layers, and each layer imports only what it may.

Read from the source with ``ast`` (every import counts: top-level, inside functions and
under ``TYPE_CHECKING``), so a layer crossing fails here before anyone imports anything.
The rules and their reasons are in ``docs/architecture.md`` ("Layout").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "infobip_connector"
SOURCE = Path(__file__).resolve().parent.parent / PACKAGE

#: Top-level modules every layer may use: the error taxonomy and what it needs, the request
#: every layer hands on, and helpers shared by several layers (see docs/architecture.md).
SHARED = {
    "_version",
    "errors",
    "redaction",
    "masking",
    "maskchars",
    "outcome",
    "request",
    "safejson",
    "digits",
    "gcpause",
    "nonjson",
    "jsonwalk",
    "webserver",
}

#: What each layer may import from the package, besides itself. ``""`` is the package root.
ALLOWED: dict[str, set[str]] = {
    "shared": SHARED,
    "definition": {"errors"},
    "runtime": SHARED | {"definition"},
    "actions": {"errors", "request", "runtime"},
    "transport": SHARED | {"definition"},
    # The emulator shares nothing with the connector's client, so it checks the client
    # instead of agreeing with it; it only borrows the HTTP server the editor runs on too.
    "sandbox": {"webserver"},
    "hosts": SHARED | {"", "component", "sandbox"},
    # Triggers turn Infobip's bodies into events with the definition and the runtime's
    # shaping; a poll sends through the function ``component`` hands it.
    "triggers": SHARED | {"definition", "runtime", "transport"},
    "component": SHARED | {"definition", "runtime", "transport", "triggers"},
    "root": SHARED | {"component", "transport", "hosts", "triggers"},
}

#: Where a host reaches past ``component``, and why (each is also in docs/architecture.md).
HOST_EXCEPTIONS = {
    # ``schemas`` and ``docs`` write the checkout's files from its own connector.yaml.
    ("hosts.clidefinition", "definition.project"),
    ("hosts.clidefinition", "definition.model"),
    ("hosts.clidefinition", "definition.reference"),
    # ... and ``schemas`` the checked copy of the packaged one the loader reads.
    ("hosts.clidefinition", "definition.compiled"),
    # The CLI's stderr summary of REJECTED entries uses the runtime's one definition of them.
    ("hosts.cli", "runtime.rejections"),
    # The MCP server offers the property reference as a resource, rendered like ``docs``.
    ("hosts.mcp.resources", "definition.reference"),
}

#: The Airflow provider (``hosts/airflow/``) is the one place that imports Airflow, an optional
#: extra. Airflow calls ``get_provider_info`` while it starts, and the modules below serve it
#: and the tests run without Airflow, so they import none of it; and like every host made for
#: production, the provider never reaches for the sandbox.
AIRFLOW_HOST = "hosts.airflow"
AIRFLOW_FREE = {
    "hosts.airflow",
    "hosts.airflow.provider",
    "hosts.airflow.connection_form",
    "hosts.airflow.delivery",
    "hosts.airflow.idempotency",
    "hosts.airflow.templating",
}

#: Layers that never do I/O: none may load an HTTP library, even lazily.
PURE = {
    "definition",
    "runtime",
    "actions",
    "triggers",
    "request",
    "errors",
    "redaction",
    "masking",
    "maskchars",
}
HTTP_LIBRARIES = {"httpx", "aiohttp", "yarl", "http", "socket", "urllib"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SOURCE.rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _imports(module: str, path: Path) -> Iterator[str]:
    """Every module ``module`` imports, absolute (``""`` for the package root)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([PACKAGE, *base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            # ``from .. import safejson`` imports a module, not a name of the package.
            folder = SOURCE.joinpath(*target.split(".")[1:])
            names = [alias.name for alias in node.names]
            modules = [n for n in names if (folder / n).is_dir() or (folder / f"{n}.py").exists()]
            if len(modules) < len(names) or not target.startswith(PACKAGE):
                yield target
            yield from (f"{target}.{name}" for name in modules)


def _own(imported: str) -> str | None:
    """The package-relative name of an import of ours, else None."""
    if imported == PACKAGE:
        return ""
    if imported.startswith(PACKAGE + "."):
        return imported[len(PACKAGE) + 1 :]
    return None


def _layer(module: str) -> str:
    head = module.split(".")[0]
    if module in ("", "__main__"):
        return "root"
    if head in SHARED:
        return "shared"
    return head


EDGES = [
    (module, own)
    for module, path in _modules()
    for imported in _imports(module, path)
    if (own := _own(imported)) is not None
]


def test_the_layers_are_folders() -> None:
    top = {module for module, _ in _modules() if "." not in module}
    folders = {"definition", "runtime", "transport", "actions", "sandbox", "hosts", "triggers"}
    assert folders <= top
    assert top - folders - {""} <= SHARED | {"component", "__main__"}, (
        "a new top-level module: put it in the layer that uses it, or list it as shared"
    )


def test_the_edges_are_read() -> None:
    # Guards the reader itself: if it found nothing, every rule below would pass.
    assert ("actions.send_sms", "request") in EDGES
    assert ("hosts.cli", "") in EDGES or ("hosts.cli", "component") in EDGES
    assert ("component.actions", "transport.client") in EDGES
    assert ("sandbox.server", "webserver") in EDGES
    assert ("triggers.runtime", "runtime.validation") in EDGES


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    crossings = [
        f"{module} imports {PACKAGE}.{own}".rstrip(".")
        for module, own in EDGES
        if _layer(module) == layer
        and own.split(".")[0] != module.split(".")[0]
        and own.split(".")[0] not in ALLOWED[layer]
        and (own != "" or "" not in ALLOWED[layer])
        and (module, own) not in HOST_EXCEPTIONS
    ]
    assert not crossings, "\n".join(crossings)


def test_hosts_reach_past_component_only_where_listed() -> None:
    listed = {(module, own) for module, own in EDGES if (module, own) in HOST_EXCEPTIONS}
    assert listed == HOST_EXCEPTIONS, "an exception no longer used: drop it here and in the docs"


def test_shared_modules_are_used_by_more_than_one_layer() -> None:
    users: dict[str, set[str]] = {name: set() for name in SHARED - {"_version"}}
    for module, own in EDGES:
        head = own.split(".")[0]
        if head in users and _layer(module) != "shared":
            users[head].add(_layer(module))
    # Through another shared module counts too: errors.py needs redaction.py.
    for module, own in EDGES:
        head = own.split(".")[0]
        if head in users and _layer(module) == "shared" and module != head:
            users[head].add(f"shared:{module}")
    lonely = {name: sorted(layers) for name, layers in users.items() if len(layers) < 2}
    assert not lonely, f"move these into the one layer that uses them: {lonely}"


def test_pure_layers_never_load_an_http_library() -> None:
    loaded = [
        f"{module} imports {imported}"
        for module, path in _modules()
        if module.split(".")[0] in PURE
        for imported in _imports(module, path)
        if imported.split(".")[0] in HTTP_LIBRARIES
    ]
    assert not loaded, "\n".join(loaded)


def test_only_the_airflow_provider_imports_airflow() -> None:
    importing = {
        module
        for module, path in _modules()
        for imported in _imports(module, path)
        if imported.split(".")[0] == "airflow"
    }
    assert importing, "the reader found no Airflow import at all"
    outside = sorted(m for m in importing if not m.startswith(AIRFLOW_HOST + "."))
    assert not outside, f"only {AIRFLOW_HOST} may import Airflow: {outside}"
    assert not importing & AIRFLOW_FREE, sorted(importing & AIRFLOW_FREE)
    assert {module for module, _ in _modules()} >= AIRFLOW_FREE


def test_the_airflow_provider_never_uses_the_sandbox() -> None:
    found = [
        f"{module} imports {PACKAGE}.{own}"
        for module, own in EDGES
        if module.startswith(AIRFLOW_HOST) and own.split(".")[0] == "sandbox"
    ]
    assert not found, "\n".join(found)
