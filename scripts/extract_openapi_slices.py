"""Write self-contained JSON Schema slices of Infobip's OpenAPI description for the tests.

Each slice is one request, response, error or webhook body schema with every ``$ref`` resolved
inline and prose (descriptions, examples) left out, so it loads with ``json.load`` and validates
with ``jsonschema.Draft202012Validator`` on a clone that does not have the OpenAPI files.

    python scripts/extract_openapi_slices.py [--source DIR] [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "infobip-openapi"
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "openapi"
SMS_SPEC = "infobip-sms-openapi.json"
WHATSAPP_SPEC = "infobip-whatsapp-openapi.json"

# Keywords that only document; dropping them keeps the slices small and stable.
_PROSE = frozenset({"description", "example", "examples", "externalDocs", "xml", "summary"})
# Keywords whose value maps names to schemas (the names are not keywords).
_NAMED = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})


def _request(path: str, method: str) -> tuple[str, ...]:
    return ("paths", path, method, "requestBody")


def _response(path: str, method: str, status: str) -> tuple[str, ...]:
    return ("paths", path, method, "responses", status)


def _webhook(name: str) -> tuple[str, ...]:
    return ("webhooks", name, "post", "requestBody")


# slice file -> (spec file, where the schema is used); taking the schema an operation refers to
# avoids the identically named schemas the descriptions contain.
SLICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sms_advanced_request.json": (SMS_SPEC, _request("/sms/2/text/advanced", "post")),
    "sms_response.json": (SMS_SPEC, _response("/sms/2/text/advanced", "post", "200")),
    "sms_api_exception.json": (SMS_SPEC, _response("/sms/2/text/advanced", "post", "400")),
    "sms_delivery_report.json": (
        SMS_SPEC,
        ("webhooks", "receive-outbound-sms-message-reports", "post", "requestBody"),
    ),
    "whatsapp_text_request.json": (WHATSAPP_SPEC, _request("/whatsapp/1/message/text", "post")),
    "whatsapp_single_message_info.json": (
        WHATSAPP_SPEC,
        _response("/whatsapp/1/message/text", "post", "200"),
    ),
    "whatsapp_api_exception.json": (
        WHATSAPP_SPEC,
        _response("/whatsapp/1/message/text", "post", "400"),
    ),
    "whatsapp_delivery_report.json": (
        WHATSAPP_SPEC,
        ("webhooks", "receive-whatsapp-delivery-reports", "post", "requestBody"),
    ),
    "whatsapp_template_request.json": (
        WHATSAPP_SPEC,
        _request("/whatsapp/1/message/template", "post"),
    ),
    "whatsapp_bulk_message_info.json": (
        WHATSAPP_SPEC,
        _response("/whatsapp/1/message/template", "post", "200"),
    ),
    "whatsapp_templates_response.json": (
        WHATSAPP_SPEC,
        _response("/whatsapp/2/senders/{sender}/templates", "get", "200"),
    ),
    "sms_preview_request.json": (SMS_SPEC, _request("/sms/1/preview", "post")),
    "sms_preview_response.json": (SMS_SPEC, _response("/sms/1/preview", "post", "200")),
    "sms_reports_v3_response.json": (SMS_SPEC, _response("/sms/3/reports", "get", "200")),
    "sms_logs_v3_response.json": (SMS_SPEC, _response("/sms/3/logs", "get", "200")),
    "sms_inbound_response.json": (SMS_SPEC, _response("/sms/1/inbox/reports", "get", "200")),
    "sms_bulk_response.json": (SMS_SPEC, _response("/sms/1/bulks", "get", "200")),
    "sms_bulk_request.json": (SMS_SPEC, _request("/sms/1/bulks", "put")),
    "sms_bulk_status_response.json": (SMS_SPEC, _response("/sms/1/bulks/status", "get", "200")),
    "sms_bulk_status_request.json": (SMS_SPEC, _request("/sms/1/bulks/status", "put")),
    "webhook_sms_inbound.json": (SMS_SPEC, _webhook("receive-inbound-sms-messages")),
    "webhook_sms_reports_v3.json": (SMS_SPEC, _webhook("receive-outbound-sms-message-reports-v3")),
    "webhook_whatsapp_inbound.json": (WHATSAPP_SPEC, _webhook("receive-inbound-whatsapp-messages")),
    "webhook_whatsapp_seen.json": (WHATSAPP_SPEC, _webhook("receive-whatsapp-seen-reports")),
}


def _lookup(spec: dict[str, Any], pointer: str) -> Any:
    if not pointer.startswith("#/"):
        raise ValueError(f"only local references are supported: {pointer}")
    node: Any = spec
    for part in pointer[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _inline(spec: dict[str, Any], node: Any, seen: tuple[str, ...] = ()) -> Any:
    if isinstance(node, list):
        return [_inline(spec, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        pointer = node["$ref"]
        if pointer in seen:
            raise ValueError(f"recursive schema at {pointer}; cannot inline")
        target = _inline(spec, _lookup(spec, pointer), (*seen, pointer))
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        return {**target, **_inline(spec, siblings, seen)} if siblings else target
    result: dict[str, Any] = {}
    branches: list[dict[str, Any]] = []
    for key, value in node.items():
        if key in _PROSE:
            continue
        if key == "discriminator" and isinstance(value, dict) and "mapping" in value:
            # The mapping names the variants (header and button types) by reference only;
            # inline each as "if the type is V, then the variant applies", so the slice
            # validates a variant's members and lists them for the definition comparison.
            result[key] = {"propertyName": value["propertyName"]}
            branches = _variants(spec, value, seen)
            continue
        if key in _NAMED and isinstance(value, dict):
            result[key] = {name: _inline(spec, sub, seen) for name, sub in value.items()}
        else:
            result[key] = _inline(spec, value, seen)
    if branches:
        result["allOf"] = [*result.get("allOf", []), *branches]
    return result


def _is_base(spec: dict[str, Any], part: dict[str, Any]) -> bool:
    return "$ref" in part and "discriminator" in _lookup(spec, part["$ref"])


def _variants(
    spec: dict[str, Any], discriminator: dict[str, Any], seen: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One ``if``/``then`` per mapped variant. A variant's ``allOf`` references to discriminated
    bases (its own, and others it may also stand for, such as the buttons a carousel card
    allows) are left out: a base only restates the discriminator, and inlining it again
    would recurse."""
    name = discriminator["propertyName"]
    branches = []
    for value, pointer in discriminator["mapping"].items():
        variant = dict(_lookup(spec, pointer))
        parts = [part for part in variant.pop("allOf", []) if not _is_base(spec, part)]
        if parts:
            variant["allOf"] = parts
        branches.append(
            {
                "if": {"properties": {name: {"const": value}}, "required": [name]},
                "then": _inline(spec, variant, (*seen, pointer)),
            }
        )
    return branches


def _schema_at(spec: dict[str, Any], location: tuple[str, ...]) -> tuple[str, Any]:
    node: Any = spec
    for part in location:
        node = node[part]
    if "$ref" in node:  # a shared response object
        node = _lookup(spec, node["$ref"])
    raw = node["content"]["application/json"]["schema"]
    name = raw.get("$ref", "").rsplit("/", 1)[-1].split(".")[-1] or "inline"
    return name, raw


def build_slices(source: Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    slices: dict[str, dict[str, Any]] = {}
    for filename, (spec_file, location) in SLICES.items():
        if spec_file not in specs:
            specs[spec_file] = json.loads((source / spec_file).read_text(encoding="utf-8"))
        spec = specs[spec_file]
        name, raw = _schema_at(spec, location)
        schema = _inline(spec, raw)
        version = spec.get("info", {}).get("version", "?")
        slices[filename] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": (
                f"{name}: {' '.join(location[1:3])} in Infobip's OpenAPI description {version}"
                f" ({spec_file}), references inlined; written by"
                " scripts/extract_openapi_slices.py"
            ),
            **schema,
        }
    return slices


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail if the slices are stale")
    args = parser.parse_args(argv)
    stale = []
    for filename, schema in build_slices(args.source).items():
        target = args.out / filename
        text = render(schema)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(filename)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    if stale:
        print("stale slices: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
