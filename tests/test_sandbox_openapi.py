"""The OpenAPI slices in tests/fixtures/openapi are valid schemas and match the published
description when it is available (it is not on a fresh clone)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

from .conftest import SHARED
from .operation_slices import NO_SHARED

ROOT = Path(__file__).resolve().parent.parent
SLICES = ROOT / "tests" / "fixtures" / "openapi"
SOURCE = SHARED / "infobip-openapi"
EXPECTED = {
    "sms_advanced_request.json": "SMSAdvancedTextualRequest",
    "sms_response.json": "SMSResponse",
    "sms_api_exception.json": "ApiException",
    "sms_delivery_report.json": "SMSReportResponse",
    "whatsapp_text_request.json": "TextMessage",
    "whatsapp_single_message_info.json": "SingleMessageInfo",
    "whatsapp_api_exception.json": "ApiException",
    "whatsapp_delivery_report.json": "whatsappDlrReportsResponse",
    "whatsapp_template_request.json": "BulkMessage",
    "whatsapp_bulk_message_info.json": "BulkMessageInfo",
    "whatsapp_templates_response.json": "TemplatesApiResponse",
    "sms_preview_request.json": "PreviewRequest",
    "sms_preview_response.json": "PreviewResponse",
    "sms_reports_v3_response.json": "DeliveryReports",
    "sms_logs_v3_response.json": "LogResponseSmsLogSmsMessageContent",
    "sms_inbound_response.json": "SmsMoReportResponse",
    "sms_bulk_response.json": "BulkResponse",
    "sms_bulk_request.json": "BulkRequest",
    "sms_bulk_status_response.json": "BulkStatusResponse",
    "sms_bulk_status_request.json": "UpdateStatusRequest",
    "webhook_sms_inbound.json": "SmsMoReportResponse",
    "webhook_sms_reports_v3.json": "DeliveryReports",
    "webhook_whatsapp_inbound.json": "WhatsAppInboundMessages",
    "webhook_whatsapp_seen.json": "SeenResult",
}


def extractor() -> ModuleType:
    path = ROOT / "scripts" / "extract_openapi_slices.py"
    spec = importlib.util.spec_from_file_location("extract_openapi_slices", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_slice_is_a_self_contained_draft_2020_12_schema(name: str) -> None:
    schema = json.loads((SLICES / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "$ref" not in json.dumps(schema)
    assert schema["type"] == "object"


def test_slices_name_the_schemas_they_were_cut_from() -> None:
    for name, schema_name in EXPECTED.items():
        schema = json.loads((SLICES / name).read_text(encoding="utf-8"))
        assert (
            schema["$comment"].startswith(schema_name + ":") or schema.get("title") == schema_name
        )


@pytest.mark.skipif(not SOURCE.is_dir(), reason=NO_SHARED)
def test_slices_match_the_openapi_description() -> None:
    module = extractor()
    built = module.build_slices(SOURCE)
    assert sorted(built) == sorted(EXPECTED)
    for name, schema in built.items():
        assert (SLICES / name).read_text(encoding="utf-8") == module.render(schema), (
            f"{name} is stale: run python scripts/extract_openapi_slices.py"
        )


@pytest.mark.skipif(not SOURCE.is_dir(), reason=NO_SHARED)
def test_published_examples_validate_against_the_slices() -> None:
    spec = json.loads((SOURCE / "infobip-sms-openapi.json").read_text(encoding="utf-8"))
    operation = spec["paths"]["/sms/2/text/advanced"]["post"]
    request_schema = json.loads((SLICES / "sms_advanced_request.json").read_text(encoding="utf-8"))
    for example in operation["requestBody"]["content"]["application/json"]["examples"].values():
        jsonschema.Draft202012Validator(request_schema).validate(example["value"])
    response_schema = json.loads((SLICES / "sms_response.json").read_text(encoding="utf-8"))
    ok = operation["responses"]["200"]["content"]["application/json"]["examples"]
    for example in ok.values():
        jsonschema.Draft202012Validator(response_schema).validate(example["value"])
