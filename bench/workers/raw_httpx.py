"""Baseline party: bare httpx posting a pre-built body and parsing the JSON answer.

This is the floor any httpx-based connector sits on; the connector's figures are
reported as ratios to it.
"""

from __future__ import annotations

import _harness as h
import _payloads as p
import httpx

DISTRIBUTIONS = ("httpx", "httpcore", "h11")


def _mock_transport() -> httpx.MockTransport:
    answer = p.sms_response()
    answer_headers = {"Content-Type": "application/json"}

    def answer_with(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=answer, headers=answer_headers)

    return httpx.MockTransport(answer_with)


def inproc(spec: h.Spec) -> h.Result:
    client = httpx.Client(transport=_mock_transport())
    body, headers = p.sms_body(), p.headers()
    url = "https://api.infobip.com" + p.SMS_PATH

    def send() -> object:
        return client.post(url, content=body, headers=headers).json()

    return {"reps": h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"])}


def _sequential(spec: h.Spec, path: str, body: bytes) -> h.Result:
    client = httpx.Client(base_url=f"http://127.0.0.1:{spec['port']}")
    headers = p.headers()

    def send() -> object:
        response = client.post(path, content=body, headers=headers)
        response.raise_for_status()
        return response.json()

    return {"reps": h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"])}


def seq_sms(spec: h.Spec) -> h.Result:
    return _sequential(spec, p.SMS_PATH, p.sms_body())


def seq_whatsapp(spec: h.Spec) -> h.Result:
    return _sequential(spec, p.WHATSAPP_PATH, p.whatsapp_body())


def concurrent(spec: h.Spec) -> h.Result:
    in_flight = spec["in_flight"]
    # Pool as large as the concurrency, as a tuned caller would configure it.
    client = httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{spec['port']}",
        limits=httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight),
    )
    body, headers = p.sms_body(), p.headers()

    async def send() -> object:
        response = await client.post(p.SMS_PATH, content=body, headers=headers)
        response.raise_for_status()
        return response.json()

    runs = h.concurrent_loop(send, spec["n"], spec["reps"], spec["warmup"], in_flight)
    return {"reps": runs}


def bulk(spec: h.Spec) -> h.Result:
    client = httpx.Client(base_url=f"http://127.0.0.1:{spec['port']}", timeout=120)
    headers = p.headers()
    client.post(p.SMS_PATH, content=p.sms_body(), headers=headers).json()
    body = p.bulk_body(spec["size"])

    def send() -> None:
        response = client.post(p.SMS_PATH, content=body, headers=headers)
        response.raise_for_status()
        parsed = response.json()
        if len(parsed["messages"]) != spec["size"]:
            raise RuntimeError("bulk answer does not list every destination")

    return {"reps": [h.one_shot(send)]}


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
