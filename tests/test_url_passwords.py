"""A password in a URL's user information (``https://user:pw@host``: Basic credentials for a
webhook) is shown as ``user:***@`` wherever the URL is shown: input errors, errors quoting
Infobip, the sandbox's log lines, report records and request records; a subscription's
credentials are masked in the sandbox's request records too."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infobip_connector import component
from infobip_connector.errors import ConnectorError, InputError
from infobip_connector.sandbox import Fault, Sandbox
from infobip_connector.sandbox.masking import shown_target

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


SUBSCRIPTION = "/subscriptions/1/subscription/SMS"


def _subscription(credentials_name: str = "credentials", secret_name: str = "secretKey") -> Any:
    security = {"authId": "a1", "type": "HMAC", credentials_name: {secret_name: "hunter2"}}
    return {
        "subscriptionId": "s1",
        "events": ["INBOUND_MESSAGE"],
        "profile": {
            "profileId": "p1",
            "webhook": {"notifyUrl": "https://hooks.example.com/x"},
            "security": security,
        },
    }


def _recorded(body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The sandbox's answer to ``body`` posted as a subscription, and its record as text."""
    sandbox = Sandbox(deliver_reports=False)
    sent = {"Authorization": f"App {CONNECTION['token']}", "Content-Type": "application/json"}
    reply = sandbox.handle("POST", SUBSCRIPTION, {**sent, **(headers or {})}, body)
    (request,) = sandbox.requests
    return reply.status, f"{request.body} {list(request.headers.items())}"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16", "utf-32"])
def test_an_accepted_subscription_is_recorded_without_its_secret(encoding: str) -> None:
    # The JSON reader takes UTF-16 and UTF-32 too, whose bytes spell no member name in ASCII.
    status, record = _recorded(json.dumps(_subscription()).encode(encoding))
    assert status == 201
    assert "hunter2" not in record and "***" in record


@pytest.mark.parametrize(
    "body",
    [
        json.dumps(_subscription()).replace('"credentials"', '"\\u0063redentials"').encode(),
        json.dumps(_subscription()).replace('"secretKey"', '"s\\u0065cretKey"').encode(),
        b'{"authId":"a2","note":{"password":"hunter2"}}',
        b'{"authId":"a2","note":{"Password":["hunter2"]}}',
        b'{"notifyUrl":"https://u:hunter2\\u0040hooks.example.com/x"}',
        b'{"credentials":{"password":"hunter2"}} trailing',
        b'{"credentials":{"password":"hunter2"},"x":NaN}',
        b"password=hunter2&user=u",
        b"<password>hunter2</password>",
        '{"password":"hunter2"} trailing'.encode("utf-16"),
        b"p%61ssword=hunter2",
        b"notifyUrl=http%3A%2F%2Fu%3Ahunter2%40127.0.0.1%2F",
        '{"credentials":{"secret\u212aey":"hunter2"}}'.encode(),
        b'{"notifyUrl":"https://u:hun\\"ter2@hooks.example.com/x"}',
        b'{"notifyUrl":"https://u:p@hunter2@hooks.example.com/x"}',
    ],
    ids=[
        "escaped credentials",
        "escaped secretKey",
        "password elsewhere",
        "Password holding a list",
        "escaped at",
        "not JSON: trailing text",
        "not JSON: NaN",
        "a form",
        "XML",
        "not JSON in UTF-16",
        "a percent-encoded name",
        "a percent-encoded URL",
        "a Kelvin sign in secretKey",
        "a quote in a URL's password",
        "an @ in a URL's password",
    ],
)
def test_the_sandbox_records_no_secret_however_the_body_spells_it(body: bytes) -> None:
    assert "hunter2" not in _no_nul(_recorded(body)[1])


def _no_nul(text: str) -> str:
    return text.replace("\x00", "")


def test_a_body_that_is_not_json_is_kept_when_it_can_hold_no_secret() -> None:
    assert _recorded(b"oops")[1].startswith("oops [")
    assert "(15 bytes, not JSON: not shown)" in _recorded(b"user=u&pw%3Dx=1")[1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Proxy-Authorization", "Basic dTpodW50ZXIy"),
        ("Authorization", "dTpodW50ZXIy App"),
        ("Cookie", "session=dTpodW50ZXIy"),
        ("Referer", "https://u:dTpodW50ZXIy@hooks.example.com/"),
    ],
)
def test_the_sandbox_records_no_credentials_in_headers(name: str, value: str) -> None:
    assert "dTpodW50ZXIy" not in _recorded(b"{}", {name: value})[1]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://u:[hunter2]@127.0.0.1:9/", "its host in brackets is not an IP address"),
        ("http://u:hunter2/x@127.0.0.1:9/", "its port is not a number from 0 to 65535"),
        ("http://u:hunter2\uff20127.0.0.1:9/", "its network location holds characters"),
    ],
)
def test_a_refused_notify_url_is_not_shown(
    url: str, why: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="infobip_connector.sandbox")
    sandbox = Sandbox(report_delay=0.0)
    headers = {"Authorization": f"App {CONNECTION['token']}"}
    sandbox.handle("POST", "/sms/2/text/advanced", headers, json.dumps(sms(url)).encode())
    (report,) = sandbox.reports
    assert report.outcome == "invalid_url" and why in str(report.error)
    assert "hunter2" not in f"{report} {caplog.text}"


def test_a_report_record_shows_no_password_in_its_callback_data() -> None:
    sandbox = Sandbox(report_delay=0.0)
    values = sms("http://127.0.0.1:9/dr")
    values["messages"][0]["callbackData"] = "https://u:hunter2@cb.example.com/x"  # type: ignore[index]
    headers = {"Authorization": f"App {CONNECTION['token']}"}
    sandbox.handle("POST", "/sms/2/text/advanced", headers, json.dumps(values).encode())
    (report,) = sandbox.reports
    assert "u:***@cb.example.com" in str(report.body) and "hunter2" not in str(report.body)


def test_an_unreadable_notify_url_is_told_without_its_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="infobip_connector.sandbox")
    sandbox = Sandbox(report_delay=0.0)
    url = "http://user:hunter2\uff03x@127.0.0.1:9/dr"
    sandbox.handle(
        "POST",
        "/sms/2/text/advanced",
        {"Authorization": f"App {CONNECTION['token']}"},
        json.dumps(sms(url)).encode(),
    )
    (record,) = sandbox.reports
    assert record.outcome == "invalid_url"
    assert record.error == (
        "not a valid URL (its network location holds characters that NFKC normalization changes)"
    )
    assert "hunter2" not in str(record) and "hunter2" not in caplog.text


def _sent(sandbox: Sandbox, **message: object) -> None:
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x", **message}]}
    headers = {"Authorization": f"App {CONNECTION['token']}"}
    sandbox.handle(
        "POST", "/sms/2/text/advanced", headers, json.dumps(body, ensure_ascii=False).encode()
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://me@example.com:hunter2@127.0.0.1:9/dr",
        'http://u"x:hunter2@127.0.0.1:9/dr',
        "http://u<x:hunter2@127.0.0.1:9/dr",
        "http://u:hunter2 x@127.0.0.1:9/dr",
        "http://u:hunter2\u00a0x@127.0.0.1:9/dr",
        "https://u:hunter2 x@hooks.example.com/dr",
    ],
    ids=["@ in the user", "quote in the user", "< in the user", "space", "NBSP", "not loopback"],
)
def test_a_report_shows_the_password_urlsplit_reads_nowhere(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The sandbox posts that password as Basic: the record and the log mask it as read.
    caplog.set_level(logging.INFO, logger="infobip_connector.sandbox")
    sandbox = Sandbox(report_delay=0.0)
    _sent(sandbox, notifyUrl=url)
    assert sandbox.wait_for_reports(10)
    (report,) = sandbox.reports
    assert "hunter2" not in f"{report.url} {report.error} {caplog.text}"


def test_a_failed_posts_error_quotes_no_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="infobip_connector.sandbox")
    sandbox = Sandbox(report_delay=0.0)
    _sent(sandbox, notifyUrl="http://127.0.0.1:9/dr?next=http://u:hunter2@h.example/ x")
    assert sandbox.wait_for_reports(10)
    (report,) = sandbox.reports
    assert "hunter2" not in f"{report.url} {report.error} {caplog.text}"


@pytest.mark.parametrize(
    "text", ["点击http://u:hunter2@h.example/查看", "1http://u:hunter2@h.example/"]
)
def test_a_url_glued_to_a_word_is_masked(text: str) -> None:
    sandbox = Sandbox(deliver_reports=False)
    _sent(sandbox, text=text)
    assert "hunter2" not in str(sandbox.requests[-1].body)


def test_ordinary_records_are_as_sent() -> None:
    sandbox = Sandbox(deliver_reports=False)
    text = "Grüße 👋 \u212a \u2028 a@b.c"
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "text": text}]}
    sent = {"Authorization": f"App {CONNECTION['token']}", "X-A": "Zoë ☃", "x-a": "2"}
    for raw in (json.dumps(body).encode(), json.dumps(body, ensure_ascii=False).encode()):
        sent["Referer"] = "https://example.com:8443/p@q"
        sandbox.handle("POST", "/sms/2/text/advanced", sent, raw)
        record = sandbox.requests[-1]
        assert record.body == body
        assert record.headers.multi_items() == [
            ("authorization", "App ***"),
            ("x-a", "Zoë ☃"),
            ("x-a", "2"),
            ("referer", "https://example.com:8443/p@q"),
        ]


@pytest.mark.parametrize(
    "url",
    [
        "http://u:hunter2 x@127.0.0.1:9/dr",
        "http://u:hunter2\u00a0x@127.0.0.1:9/dr",
        "http:\t//u:hunter2@h.example/",
        "//u:hunter2@h.example/",
    ],
    ids=["space", "NBSP", "tab in the scheme", "no scheme"],
)
def test_a_url_member_is_masked_as_urlsplit_reads_it(url: str) -> None:
    sandbox = Sandbox(deliver_reports=False)
    _sent(sandbox, notifyUrl=url)
    assert "hunter2" not in str(sandbox.requests[-1].body)


@pytest.mark.parametrize(
    "text",
    [
        "Shop http://shop.example.com:8080,info@shop.example.com",
        "访问http://shop.example.com:8080，或邮件info@shop.example.com",
        "[shop](http://shop.example.com:8080)[mail](mailto:info@shop.example.com)",
        "see http://[::1]:8080,ops@a.example now",
        "http://u:@h.example/",
        '"http://shop.example.com:8080","info@shop.example.com"',
        "<http://a.example:80>,<mailto:x@y.example>",
    ],
)
def test_a_text_with_no_password_is_kept(text: str) -> None:
    sandbox = Sandbox(deliver_reports=False)
    _sent(sandbox, text=text, callbackData=text)
    message = sandbox.requests[-1].body["messages"][0]
    assert (message["text"], message["callbackData"]) == (text, text)


@settings(max_examples=300, deadline=None)
@given(
    user=st.text(alphabet=st.characters(blacklist_characters="/?#[]"), max_size=8),
    password=st.text(alphabet=st.characters(blacklist_characters="/?#"), min_size=1, max_size=8),
    after=st.sampled_from(["", "/dr", "/dr?next=x", "#f"]),
)
def test_a_url_shows_no_password_urlsplit_reads(user: str, password: str, after: str) -> None:
    url = f"http://{user}:zq{password}@h.example:8080{after}"
    try:
        read = urlsplit(url).password
    except ValueError:
        return
    shown = shown_target(url)
    if read and shown != "(a URL with a password: not shown)":
        assert read not in shown and shown.endswith(f"@h.example:8080{after}")


@pytest.mark.parametrize("before", ["1.", "...", "(+", "--", ":-"])
def test_a_url_after_punctuation_is_masked(before: str) -> None:
    sandbox = Sandbox(deliver_reports=False)
    _sent(sandbox, text=f"Steps: {before}http://admin:hunter2@router.example/")
    assert "hunter2" not in str(sandbox.requests[-1].body)


def test_a_url_after_a_long_run_of_a_schemes_characters_is_masked() -> None:
    text = "a1" * 50_000 + " http://u:hunter2@h.example/ or info@shop.example"
    sandbox = Sandbox(deliver_reports=False)
    _sent(sandbox, callbackData=text)
    assert "hunter2" not in str(sandbox.requests[-1].body)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://u:pw123@127.0.0.1:9/pw123", "http://u:***@127.0.0.1:9/***"),
        ("http://u:%68unter2@127.0.0.1:9/dr?x=hunter2", "http://u:***@127.0.0.1:9/dr?x=***"),
        ("http://u:hun\tter2@h.example/hunter2", "(a URL with a password: not shown)"),
        ("http://u:1@127.0.0.1:9/", "http://u:***@127.0.0.1:9/"),
        ("http://u:abc*@127.0.0.1:9/abcabc*", "http://u:***@127.0.0.1:9/abc~~~"),
    ],
)
def test_every_copy_of_a_url_password_is_masked(url: str, shown: str) -> None:
    assert shown_target(url) == shown


def test_a_webhook_secret_no_text_encoding_holds_is_no_crash() -> None:
    # JSON can spell a lone surrogate; the secret signs (and authenticates) as its escape.
    sandbox = Sandbox(report_delay=0.0)
    body = _subscription()
    body["profile"]["webhook"]["notifyUrl"] = "http://127.0.0.1:9/hook"
    raw = json.dumps(body).replace('"hunter2"', '"\\ud800"').encode()
    headers = {"Authorization": f"App {CONNECTION['token']}", "Content-Type": "application/json"}
    assert sandbox.handle("POST", SUBSCRIPTION, headers, raw).status == 201
    sandbox.receive_sms("385916242493", "385921004026", "hello")
    assert sandbox.wait_for_reports(10)
    assert [report.outcome for report in sandbox.reports] == ["failed"]


def test_a_failed_posts_error_quotes_no_copy_of_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # http.client refuses a path with a space, quoting the path in its error.
    caplog.set_level(logging.INFO, logger="infobip_connector.sandbox")
    sandbox = Sandbox(report_delay=0.0)
    _sent(sandbox, notifyUrl="http://u:hunter2@127.0.0.1:9/a b/hunter2")
    assert sandbox.wait_for_reports(10)
    (report,) = sandbox.reports
    assert report.outcome == "failed"
    assert "hunter2" not in f"{report.url} {report.error} {caplog.text}"
