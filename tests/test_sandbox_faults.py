"""Each fault looks to an httpx client the way its network counterpart would, in-process and
over real sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infobip_connector.sandbox import Fault, Sandbox, SandboxServer, SandboxTransport

SMS = "/sms/2/text/advanced"
KEY = "fault-key-0123456789"
HEADERS = {"Authorization": f"App {KEY}"}
TIMEOUT = httpx.Timeout(5.0, read=0.3)


def sms(message_id: str) -> dict[str, Any]:
    return {"messages": [{"text": "x", "destinations": [{"to": "41", "messageId": message_id}]}]}


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, str]]:
    sandbox = Sandbox(KEY, deliver_reports=False)
    with SandboxServer(sandbox) as server:
        yield sandbox, server.url


@pytest.fixture(params=["transport", "async-transport", "server"])
def send(request: pytest.FixtureRequest, served: tuple[Sandbox, str]) -> Iterator[Any]:
    """A (sandbox, post) pair; post(path, json) returns the response or raises what httpx
    raises."""
    if request.param == "server":
        sandbox, url = served
        sandbox.reset()
        with httpx.Client(base_url=url, headers=HEADERS, timeout=TIMEOUT) as http:
            yield sandbox, lambda path, body: http.post(path, json=body)
        return
    sandbox = Sandbox(KEY, deliver_reports=False)
    transport = SandboxTransport(sandbox)
    if request.param == "transport":
        with httpx.Client(
            transport=transport, base_url="http://sandbox", headers=HEADERS, timeout=TIMEOUT
        ) as http:
            yield sandbox, lambda path, body: http.post(path, json=body)
        return

    def post(path: str, body: Any) -> httpx.Response:
        async def run() -> httpx.Response:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://sandbox", headers=HEADERS, timeout=TIMEOUT
            ) as http:
                return await http.post(path, json=body)

        return asyncio.run(run())

    yield sandbox, post


def test_scripted_status_body_and_headers(send: Any) -> None:
    sandbox, post = send
    sandbox.script(
        "POST",
        SMS,
        Fault(status=503),
        Fault(status=429, headers={"Retry-After": "0"}),
        Fault(status=502, body="upstream down"),
        Fault(status=500, body={"custom": True}),
    )
    first = post(SMS, sms("a"))
    assert first.status_code == 503
    assert first.json()["requestError"]["serviceException"]["messageId"] == "SERVICE_UNAVAILABLE"
    limited = post(SMS, sms("b"))
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "0")
    assert post(SMS, sms("c")).text == "upstream down"
    assert post(SMS, sms("d")).json() == {"custom": True}
    assert post(SMS, sms("e")).status_code == 200
    assert sandbox.accepted_message_ids == {"e"}
    assert sandbox.pending_faults == 0


def test_faults_only_fire_for_their_method_and_path(send: Any) -> None:
    sandbox, post = send
    sandbox.script("GET", SMS, Fault(status=500))
    sandbox.script("POST", "/whatsapp/1/message/text", Fault(status=500))
    assert post(SMS, sms("a")).status_code == 200
    assert sandbox.pending_faults == 2


def test_processed_then_500_accepts_the_message(send: Any) -> None:
    sandbox, post = send
    sandbox.set_idempotent_sending(True)  # so that the retry below is refused, not sent again
    sandbox.script("POST", SMS, Fault(status=500, process=True))
    assert post(SMS, sms("lost")).status_code == 500
    assert sandbox.accepted_message_ids == {"lost"}
    assert sandbox.requests[-1].outcome == "accepted + fault 500"
    retry = post(SMS, sms("lost")).json()
    assert retry["messages"][0]["status"]["name"] == "REJECTED_DUPLICATE_MESSAGE_ID"


def test_process_alone_accepts_the_message_and_loses_the_answer(send: Any) -> None:
    sandbox, post = send
    sandbox.script("POST", SMS, Fault(process=True))
    answer = post(SMS, sms("gone"))
    assert answer.status_code == 500
    assert sandbox.accepted_message_ids == {"gone"}
    assert sandbox.requests[-1].outcome == "accepted + fault 500"


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (Fault(process=True), "fault 500"),
        (Fault(), "fault 500"),
        (Fault(status=503, process=True), "fault 503"),
        (Fault(process=True, delay=0.5), "fault delay 0.5s"),
        (Fault(process=True, drop="mid_body"), "fault drop mid_body"),
        (Fault(drop="mid_body"), "fault 500, drop mid_body"),
        (Fault(drop="before_response"), "fault drop before_response"),
        (Fault(delay=0.5), "fault 500, delay 0.5s"),
    ],
)
def test_describe_says_what_the_client_sees(fault: Fault, said: str) -> None:
    assert fault.describe() == said


def test_drop_before_response(send: Any) -> None:
    sandbox, post = send
    sandbox.script(
        "POST", SMS, Fault(drop="before_response"), Fault(drop="before_response", process=True)
    )
    with pytest.raises(httpx.RemoteProtocolError):
        post(SMS, sms("a"))
    with pytest.raises(httpx.RemoteProtocolError):
        post(SMS, sms("b"))
    assert sandbox.accepted_message_ids == {"b"}
    assert post(SMS, sms("c")).status_code == 200


def test_drop_mid_body(send: Any) -> None:
    sandbox, post = send
    sandbox.script("POST", SMS, Fault(drop="mid_body", process=True))
    # In-process the cut is a ReadError; over a socket httpx reports the short body as a
    # protocol error. Both are transport errors raised after the status line arrived.
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        post(SMS, sms("half"))
    assert sandbox.accepted_message_ids == {"half"}
    assert post(SMS, sms("next")).status_code == 200


def test_hang_ends_in_a_read_timeout(send: Any) -> None:
    sandbox, post = send
    sandbox.script("POST", SMS, Fault(drop="hang", process=True))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        post(SMS, sms("hung"))
    assert 0.25 <= time.monotonic() - started < 3
    assert sandbox.accepted_message_ids == {"hung"}
    assert sandbox.requests[-1].status is None


def test_delay_within_and_beyond_the_read_timeout(send: Any) -> None:
    sandbox, post = send
    sandbox.script("POST", SMS, Fault(delay=0.1, process=True), Fault(delay=0.6, process=True))
    started = time.monotonic()
    assert post(SMS, sms("slow")).status_code == 200
    assert time.monotonic() - started >= 0.1
    with pytest.raises(httpx.ReadTimeout):
        post(SMS, sms("too-slow"))
    assert sandbox.accepted_message_ids == {"slow", "too-slow"}


def test_wildcard_script_and_unprocessed_default(send: Any) -> None:
    sandbox, post = send
    sandbox.script("*", "*", Fault())
    response = post(SMS, sms("w"))
    assert response.status_code == 500
    assert sandbox.accepted_message_ids == set()


def test_sync_hang_without_read_timeout_ends_when_the_transport_closes() -> None:
    sandbox = Sandbox(deliver_reports=False)
    transport = sandbox.transport()
    sandbox.script("GET", "/account/1/balance", Fault(drop="hang"))
    http = httpx.Client(transport=transport, base_url="http://sandbox", timeout=None)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            http.get("/account/1/balance", headers=HEADERS)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    import threading

    worker = threading.Thread(target=call)
    worker.start()
    time.sleep(0.1)
    transport.close()
    worker.join(2)
    assert not worker.is_alive()
    assert isinstance(outcome[0], httpx.RemoteProtocolError)


def test_fault_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        Fault(status=42)
    with pytest.raises(ValueError):
        Fault(delay=-1)
    with pytest.raises(ValueError):
        Fault(drop="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Sandbox().fault_rate(1.5)
    with pytest.raises(ValueError):
        Sandbox().fault_rate(0.5, kinds=["meteor"])  # type: ignore[list-item]
