"""A password in a URL's user information (``https://user:pw@host``: Basic credentials for a
webhook) is shown as ``user:***@`` wherever the URL is shown: input errors, errors quoting
Infobip, the sandbox's log lines, report records and request records; a subscription's
credentials are masked in the sandbox's request records too."""

from __future__ import annotations

import logging

import pytest

from infobip_connector import component
from infobip_connector.errors import ConnectorError, InputError
from infobip_connector.sandbox import Fault, Sandbox

CONNECTION = {"token": "sandbox-key-for-local-tests"}
PASSWORD = "S3CRET-PW"


def sms(notify_url: str) -> dict[str, object]:
    message = {"destinations": [{"to": "41793026727"}], "text": "x", "notifyUrl": notify_url}
    return {"messages": [message]}


def test_an_input_error_quoting_the_url_masks_its_password() -> None:
    with pytest.raises(InputError) as caught:
        component.validate_input("sendSms", sms(f"https://user:{PASSWORD}@hooks.example.com/d r"))
    shown = caught.value.message + str(caught.value.to_dict())
    assert "notifyUrl" in shown and "user:***@" in shown
    assert PASSWORD not in shown


def test_an_error_quoting_infobip_masks_a_url_password() -> None:
    sandbox = Sandbox(deliver_reports=False)
    answer = {
        "requestError": {
            "serviceException": {
                "messageId": "BAD_REQUEST",
                "text": f"cannot call http://user:{PASSWORD}@hooks.example.com/x",
            }
        }
    }
    sandbox.script("POST", "/sms/2/text/advanced", Fault(status=400, body=answer))
    with pytest.raises(ConnectorError) as caught:
        component.execute(
            "sendSms", sms("https://hooks.example.com/x"), CONNECTION, transport=sandbox.transport()
        )
    shown = str(caught.value.to_dict())
    assert "user:***@hooks.example.com" in shown and PASSWORD not in shown


def test_the_sandbox_shows_no_notify_url_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="infobip_connector.sandbox")
    sandbox = Sandbox(report_delay=0.0)
    url = f"http://user:{PASSWORD}@127.0.0.1:9/dr"  # nothing listens: the post fails
    component.execute("sendSms", sms(url), CONNECTION, transport=sandbox.transport())
    assert sandbox.wait_for_reports(10)
    (record,) = sandbox.reports
    assert record.outcome == "failed"
    assert record.url == "http://user:***@127.0.0.1:9/dr"
    assert PASSWORD not in str(record.error)
    assert "user:***@" in caplog.text and PASSWORD not in caplog.text
    (request,) = sandbox.requests
    assert PASSWORD not in str(request.body)


def test_the_sandbox_records_no_subscription_secret() -> None:
    sandbox = Sandbox(deliver_reports=False)
    secret = "hmac-secret-for-records"
    registration = component.register_webhook(
        "newInboundSms",
        "https://hooks.example.com/x",
        CONNECTION,
        security={"hmacSecret": secret},
        transport=sandbox.transport(),
    )
    (request,) = sandbox.requests
    assert request.body["profile"]["security"]["credentials"] == {"secretKey": "***"}
    # Kept to sign with.
    kept = sandbox.subscriptions.security[registration["authId"]]
    assert kept["credentials"] == {"secretKey": secret}


@pytest.mark.parametrize(
    "body",
    [
        b'{"authId":"a2","type":"BASIC","\\u0063redentials":{"username":"u","password":"hunter2"}}',
        b'{"authId":"a2","type":"BASIC","credentials":{"username":"u","p\\u0061ssword":"hunter2"}}',
        b'{"authId":"a2","note":{"password":"hunter2"}}',
        b'{"notifyUrl":"https://u:hunter2\\u0040hooks.example.com/x"}',
    ],
    ids=["escaped credentials", "escaped password", "password elsewhere", "escaped at"],
)
def test_the_sandbox_records_no_secret_however_the_body_spells_it(body: bytes) -> None:
    # The record is made from the parsed body: what its bytes spell with escapes is masked
    # as what they spell plainly.
    sandbox = Sandbox(deliver_reports=False)
    headers = {"Authorization": f"App {CONNECTION['token']}", "Content-Type": "application/json"}
    sandbox.handle("POST", "/subscriptions/1/security", headers, body)
    (request,) = sandbox.requests
    assert "hunter2" not in str(request.body)
