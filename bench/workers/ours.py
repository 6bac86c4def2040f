"""Our connector, driven through its public API only, as an engine would call it."""

from __future__ import annotations

import json
from typing import Any

import _harness as h
import _payloads as p
import httpx

DISTRIBUTIONS = (
    "infobip-connector",
    "httpx",
    "pydantic",
    "jsonschema",
    "jsonschema-rs",
    "phonenumbers",
    "orjson",
    "uvloop",
)


def _component() -> Any:
    from infobip_connector import component

    return component


def _connection(spec: h.Spec) -> dict[str, str]:
    return {"token": p.TOKEN, "baseUrl": f"http://127.0.0.1:{spec['port']}"}


def _version() -> dict[str, str]:
    # Run from a source tree the distribution may not be installed; the module knows.
    import infobip_connector

    return {"infobip-connector": getattr(infobip_connector, "__version__", "unknown")}


def inproc(spec: h.Spec) -> h.Result:
    component = _component()
    answer = p.sms_response()
    answer_headers = {"Content-Type": "application/json"}
    sent: list[bytes] = []

    def answer_with(request: httpx.Request) -> httpx.Response:
        if not sent:
            sent.append(request.content)
        return httpx.Response(200, content=answer, headers=answer_headers)

    mock = httpx.MockTransport(answer_with)
    connection = {"token": p.TOKEN, "baseUrl": "https://api.infobip.com"}
    inputs = p.sms_inputs()

    def send() -> object:
        return component.execute("sendSms", inputs, connection, transport=mock)

    runs = h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"])
    return {"reps": runs, "sent_body": json.loads(sent[0]) if sent else None, **_extra()}


def _sequential(spec: h.Spec, action: str, inputs: dict[str, Any]) -> h.Result:
    component = _component()
    connection = _connection(spec)

    def send() -> object:
        return component.execute(action, inputs, connection)

    return {"reps": h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"]), **_extra()}


def seq_sms(spec: h.Spec) -> h.Result:
    return _sequential(spec, "sendSms", p.sms_inputs())


def seq_whatsapp(spec: h.Spec) -> h.Result:
    return _sequential(spec, "sendWhatsappTextMessage", p.whatsapp_inputs())


def concurrent(spec: h.Spec) -> h.Result:
    component = _component()
    connection = _connection(spec)
    inputs = p.sms_inputs()

    async def send() -> object:
        return await component.execute_async("sendSms", inputs, connection)

    from infobip_connector import aclose_pooled_clients

    runs = h.concurrent_loop(
        send,
        spec["n"],
        spec["reps"],
        spec["warmup"],
        spec["in_flight"],
        aclose_pooled_clients,
        loop=spec.get("loop", "asyncio"),
    )
    return {"reps": runs, **_extra()}


def bulk(spec: h.Spec) -> h.Result:
    component = _component()
    connection = {**_connection(spec), "readTimeout": 120, "deadline": 300}
    component.execute("sendSms", p.sms_inputs(), connection)
    inputs = p.bulk_inputs(spec["size"])

    def send() -> None:
        output = component.execute("sendSms", inputs, connection)
        if len(output["messages"]) != spec["size"]:
            raise RuntimeError("output does not list every destination")

    return {"reps": [h.one_shot(send)], **_extra()}


def _extra() -> dict[str, Any]:
    return {"versions_override": _version()}


if __name__ == "__main__":
    h.main(
        {
            "inproc": inproc,
            "seq_sms": seq_sms,
            "seq_whatsapp": seq_whatsapp,
            "concurrent": concurrent,
            "bulk": bulk,
        },
        DISTRIBUTIONS,
    )
