"""The ``infobip`` Airflow connection type, derived from the connection in ``connector.yaml``.

An Airflow ``Connection`` has fixed fields (host, login, password, port, schema) and a JSON
``extra``. The definition's secret property (the API key, ``token``) goes in ``password``,
its URL property (``baseUrl``) in ``host``, and every other connection property is an extra
of the same name, offered on the form as a ``conn-fields`` entry whose JSON Schema is the
property's schema from ``schemas/connection.schema.json``. A property added to the
definition therefore appears on the form and is read back without touching this module.

No Airflow import: ``get_provider_info`` (read by Airflow while it starts) and the tests
without Airflow use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ... import component

if TYPE_CHECKING:
    from ...component import Component

#: Airflow's JSON Schema form (``conn-fields``) renders these keywords; the rest (the text
#: patterns with characters beyond U+FFFF, ``x-`` annotations) are left to the connector,
#: which checks every value again before anything is sent.
_FORM_KEYWORDS = ("default", "enum", "minimum", "maximum", "minLength", "maxLength")
#: Prefix Airflow 2 put on extras saved by its form; still read, so old connections work.
_LEGACY_PREFIX = "extra__{conn_type}__"


@dataclass(frozen=True)
class ConnectionLayout:
    """Where each connection property of the definition lives on an Airflow Connection.

    ``password`` / ``host``: the names of the secret and the URL property; ``extras``: the
    names of the others, in the definition's order.
    """

    conn_type: str
    password: str
    host: str
    extras: tuple[str, ...]


@cache
def layout(of: Component = component) -> ConnectionLayout:
    """The layout of a component's connection (the installed one by default; read once)."""
    definition = of.definition
    properties = definition.authorization.properties
    secret = [p.name for p in properties if p.secret and p.name]
    url = [p.name for p in properties if p.controlType == "URL" and p.name]
    if len(secret) != 1 or len(url) != 1:
        # A definition with two keys or two URLs needs a decision here, not a guess.
        raise RuntimeError("the Airflow connection needs exactly one secret and one URL property")
    extras = tuple(p.name for p in properties if p.name and p.name not in (secret[0], url[0]))
    return ConnectionLayout(definition.name, secret[0], url[0], extras)


def conn_fields(of: Component = component) -> dict[str, dict[str, Any]]:
    """``conn-fields`` for the provider info: one form field per extra, as JSON Schema.

    Each schema admits ``null`` too (a field left empty on the form): the connector treats
    an empty value as not given and applies the definition's default.
    """
    schema = of.connection_schema()["properties"]
    fields: dict[str, dict[str, Any]] = {}
    for name in layout(of).extras:
        prop = schema[name]
        types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        form: dict[str, Any] = {"type": [*types, "null"]}
        form.update({key: prop[key] for key in _FORM_KEYWORDS if key in prop})
        if types == ["boolean"]:
            form.pop("enum", None)  # a check box, not a list of two choices
        field: dict[str, Any] = {"label": prop.get("title", name), "schema": form}
        if prop.get("description"):
            field["description"] = prop["description"]
        fields[name] = field
    return fields


def field_behaviour(of: Component = component) -> dict[str, Any]:
    """``ui-field-behaviour``: the key in the password field, the base URL in the host field,
    and the fixed fields the connection does not use hidden (the extras have fields of their
    own, so the raw ``extra`` box is hidden as well)."""
    found = {p.name: p for p in of.definition.authorization.properties}
    password, host = found[layout(of).password], found[layout(of).host]
    placeholders = {"password": password.placeholder, "host": host.placeholder or host.example}
    return {
        "hidden-fields": ["login", "port", "schema", "extra"],
        "relabeling": {"password": password.label or "API key", "host": host.label or "Base URL"},
        "placeholders": {field: text for field, text in placeholders.items() if text},
    }


def connection_values(
    *,
    host: str | None,
    password: str | None,
    port: int | None = None,
    schema: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The connector's connection values from an Airflow Connection's fields.

    ``host`` may carry a scheme (``http://127.0.0.1:8080``, the sandbox); ``port`` and
    ``schema`` are only set by the URI form (``infobip://:KEY@host:8080/http``) and follow
    Airflow's HTTP connections: ``schema`` is the scheme (``http``/``https``) when ``host``
    has none. Extras given as text (every extra of a URI is text) are converted to the type
    the definition declares when they read as one; anything else is passed on as it is, for
    the connector to refuse by name. Nothing is checked here: ``connection_from_values``
    is the one policy.
    """
    names = layout()
    values: dict[str, Any] = {}
    for name, value in (extra or {}).items():
        key = _unprefixed(name, names.conn_type)
        values[key] = _typed(key, value)
    if password not in (None, ""):
        values[names.password] = password
    if host not in (None, ""):
        values[names.host] = _base_url(str(host), port, schema)
    return values


def _unprefixed(name: Any, conn_type: str) -> Any:
    prefix = _LEGACY_PREFIX.format(conn_type=conn_type)
    return name[len(prefix) :] if isinstance(name, str) and name.startswith(prefix) else name


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _base_url(host: str, port: int | None, schema: str | None) -> str:
    found = _SCHEME.match(host)
    scheme = found.group(0) if found else (f"{schema}://" if schema else "")
    authority, slash, path = host[found.end() if found else 0 :].partition("/")
    if port is not None and not re.search(r":\d+$", authority):
        authority = f"{authority}:{port}"
    return f"{scheme}{authority}{slash}{path}"


def _typed(name: Any, value: Any) -> Any:
    """``value`` converted from text to the property's declared type, when it reads as one."""
    if not isinstance(value, str) or not isinstance(name, str):
        return value
    declared = component.connection_schema()["properties"].get(name, {}).get("type")
    text = value.strip()
    if declared == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if declared == "integer" and re.fullmatch(r"[+-]?\d{1,18}", text):
        return int(text)
    if declared == "number" and re.fullmatch(r"[+-]?(\d{1,18}(\.\d{0,18})?|\.\d{1,18})", text):
        return float(text)
    return value
