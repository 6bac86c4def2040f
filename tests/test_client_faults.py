"""The fault matrix and the retry policy, against a mocked httpx transport."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from infobip_connector import (
    AuthenticationError,
    ConnectorError,
    OutcomeUnknownError,
    RateLimitedError,
    RejectedError,
    UnreachableError,
    component,
)
from infobip_connector.transport import answers, exchange

from .client_support import BASE, WA_OK, WA_URL, sent, sms_answer


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "BACKOFF_BASE", 0.001)


MINIMAL = {
    "bulkId": "B1",
    "messages": [{"destinations": [{"to": "41793026727", "messageId": "M1"}], "text": "x"}],
}


def run_sms(connection: dict[str, Any]) -> dict[str, Any]:
    return component.execute("sendSms", MINIMAL, connection)


def test_connect_error_then_success(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    httpx_mock.add_callback(sms_answer)
    assert run_sms(connection)["bulkId"] == "B1"
    assert len(sent(httpx_mock)) == 2


def test_connect_errors_until_attempts_run_out(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ConnectTimeout("slow"))
    with pytest.raises(UnreachableError) as info:
        run_sms(connection)
    assert len(sent(httpx_mock)) == 3 and info.value.exit_code == 5


def test_429_retry_after_zero_then_success(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "0"})
    httpx_mock.add_callback(sms_answer)
    run_sms(connection)
    assert len(sent(httpx_mock)) == 2


def test_429_with_huge_retry_after_gives_up(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitedError) as info:
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1
    assert info.value.details["retryAfter"] == 3600


def test_429_with_http_date_retry_after(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(
        status_code=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    )
    httpx_mock.add_callback(sms_answer)
    run_sms(connection)
    assert len(sent(httpx_mock)) == 2


def test_429_storm_stops_at_max_attempts(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    for _ in range(2):
        httpx_mock.add_response(status_code=429, headers={"Retry-After": "0"})
    with pytest.raises(RateLimitedError):
        run_sms({**connection, "maxAttempts": 2})
    assert len(sent(httpx_mock)) == 2


@pytest.mark.parametrize(
    "fault",
    [
        httpx.ReadTimeout("slow"),
        httpx.WriteTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
        httpx.ReadError("reset"),
    ],
)
def test_ambiguous_failures_are_never_retried(
    httpx_mock: HTTPXMock, connection: dict[str, str], fault: Exception
) -> None:
    httpx_mock.add_exception(fault)
    with pytest.raises(OutcomeUnknownError) as info:
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1
    assert info.value.details["bulkId"] == "B1"
    assert info.value.details["messageIds"] == ["M1"]
    assert info.value.exit_code == 4


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_outcome_unknown(
    httpx_mock: HTTPXMock, connection: dict[str, str], status: int
) -> None:
    httpx_mock.add_response(status_code=status, text="oops")
    with pytest.raises(OutcomeUnknownError):
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1


def test_200_with_html_body_is_outcome_unknown(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    httpx_mock.add_response(status_code=200, html="<html>maintenance</html>")
    with pytest.raises(OutcomeUnknownError) as info:
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1
    assert info.value.details["messageIds"] == ["M1"]


def test_200_with_wrong_shape_is_outcome_unknown(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    httpx_mock.add_response(json=["not", "an", "object"])
    with pytest.raises(OutcomeUnknownError):
        run_sms(connection)


def test_400_legacy_shape_names_fields(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(
        status_code=400,
        json={
            "requestError": {
                "serviceException": {
                    "messageId": "BAD_REQUEST",
                    "text": "Bad request",
                    "validationErrors": {
                        "messages[0].destinations[0].to": ["invalid destination address"]
                    },
                }
            }
        },
    )
    with pytest.raises(RejectedError) as info:
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1
    assert info.value.details["messageId"] == "BAD_REQUEST"
    assert info.value.details["violations"] == [
        {"field": "messages[0].destinations[0].to", "message": "invalid destination address"}
    ]
    assert "messages[0].destinations[0].to" in info.value.message


def test_400_new_shape_names_fields(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(
        status_code=400,
        json={
            "errorCode": "E400",
            "description": "Request cannot be processed.",
            "action": "Check the syntax",
            "violations": [
                {"property": "content.text", "violation": "size must be between 1 and 4096"}
            ],
            "resources": [],
        },
    )
    with pytest.raises(RejectedError) as info:
        run_sms(connection)
    assert info.value.details["action"] == "Check the syntax"
    assert info.value.details["violations"][0]["field"] == "content.text"


@pytest.mark.parametrize("status", [401, 403])
def test_authentication(httpx_mock: HTTPXMock, connection: dict[str, str], status: int) -> None:
    httpx_mock.add_response(
        status_code=status,
        json={
            "requestError": {
                "serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}
            }
        },
    )
    with pytest.raises(AuthenticationError) as info:
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1 and info.value.exit_code == 5


def test_redirects_are_never_followed(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(status_code=307, headers={"Location": "https://evil.example.com/steal"})
    with pytest.raises(RejectedError, match="not followed"):
        run_sms(connection)
    assert len(sent(httpx_mock)) == 1


def test_rejected_messages_inside_200_are_kept_and_logged(
    httpx_mock: HTTPXMock, connection: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    rejected = {
        "groupId": 5,
        "groupName": "REJECTED",
        "id": 51,
        "name": "REJECTED_DESTINATION_NOT_REGISTERED",
        "description": "Destination not registered",
    }
    httpx_mock.add_response(
        json={
            "bulkId": "B1",
            "messages": [{"messageId": "M1", "status": rejected, "to": "41793026727"}],
        }
    )
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        output = run_sms(connection)
    assert output["messages"][0]["status"]["groupName"] == "REJECTED"
    assert "REJECTED_DESTINATION_NOT_REGISTERED" in caplog.text


def test_a_long_rejection_name_is_cut_in_the_warning(
    httpx_mock: HTTPXMock, connection: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    rejected = {"groupId": 5, "groupName": "REJECTED", "id": 51, "name": "R" * 100_000}
    message = {"messageId": "M1", "status": rejected, "to": "41793026727"}
    httpx_mock.add_response(json={"bulkId": "B1", "messages": [message]})
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        output = run_sms(connection)
    assert output["messages"][0]["status"]["name"] == "R" * 100_000  # the output keeps it
    (record,) = [r for r in caplog.records if "rejected" in r.getMessage()]
    assert len(record.getMessage()) < 300


def _answer_deprecated(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], times: int
) -> None:
    """Infobip answering ``times`` sends with ``headers`` added, in a process that has warned
    of no deprecation yet (whatever ran before)."""
    monkeypatch.setattr(answers, "_deprecations_seen", set())

    def deprecated(request: httpx.Request) -> httpx.Response:
        answer = sms_answer(request)
        answer.headers.update(headers)
        return answer

    for _ in range(times):
        httpx_mock.add_callback(deprecated)


def test_deprecation_headers_warn_once(
    httpx_mock: HTTPXMock,
    connection: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = {"Deprecation": "true", "Sunset": "Sat, 01 Jan 2028 00:00:00 GMT"}
    _answer_deprecated(httpx_mock, monkeypatch, headers, times=2)
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        run_sms(connection)
        run_sms(connection)
    assert caplog.text.count("Deprecation") == 1


def test_a_long_deprecation_header_is_cut_in_the_warning(
    httpx_mock: HTTPXMock,
    connection: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _answer_deprecated(httpx_mock, monkeypatch, {"Deprecation": "D" * 50_000}, times=1)
    with caplog.at_level(logging.WARNING, logger="infobip_connector"):
        run_sms(connection)
    (record,) = [r for r in caplog.records if "deprecated" in r.getMessage()]
    assert len(record.getMessage()) < 400


@pytest.mark.parametrize("status", [400, 401, 403, 404])
@pytest.mark.parametrize("shape", ["requestError", "errorCode"])
def test_an_error_answer_of_any_length_is_quoted_cut(
    httpx_mock: HTTPXMock, connection: dict[str, str], status: int, shape: str
) -> None:
    long = "T" * 50_000
    if shape == "requestError":
        exception = {"messageId": long, "text": long, "validationErrors": {long: [long] * 200}}
        body: dict[str, Any] = {"requestError": {"serviceException": exception}}
    else:
        violations = [{"property": long, "violation": long}] * 200
        body = {"errorCode": long, "description": long, "action": long, "violations": violations}
    httpx_mock.add_response(status_code=status, json=body)
    with pytest.raises(ConnectorError) as info:
        run_sms(connection)
    assert len(info.value.message) < 4_000  # five violations of 500 characters at most
    assert len(json.dumps(info.value.details)) < 50_000
    assert "TTT" in info.value.message


def test_deadline_bounds_the_retries(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "2"})
    with pytest.raises(RateLimitedError):
        run_sms({**connection, "deadline": 1})
    assert len(sent(httpx_mock)) == 1


def test_invalid_input_never_reaches_infobip(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    with pytest.raises(ConnectorError) as info:
        component.execute(
            "sendSms", {"messages": [{"destinations": [{"to": "nope"}], "text": "x"}]}, connection
        )
    assert info.value.type == "input"
    assert sent(httpx_mock) == []


def test_async_twin(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    httpx_mock.add_response(url=WA_URL, json=WA_OK)
    output = asyncio.run(
        component.execute_async(
            "sendWhatsappTextMessage",
            {
                "from": "447860099299",
                "to": "41793026727",
                "messageId": "W1",
                "content": {"text": "Hi"},
            },
            connection,
            # The pooled async path is aiohttp; pytest-httpx intercepts httpx transports.
            transport=httpx.AsyncHTTPTransport(),
        )
    )
    assert output == WA_OK and len(sent(httpx_mock)) == 2


def test_connection_check(httpx_mock: HTTPXMock, connection: dict[str, str]) -> None:
    httpx_mock.add_response(
        url=BASE + "/account/1/balance", method="GET", json={"balance": 12.5, "currency": "EUR"}
    )
    assert component.test_connection(connection) == {"balance": 12.5, "currency": "EUR"}


def test_cookies_from_one_answer_never_ride_along(
    httpx_mock: HTTPXMock, connection: dict[str, str]
) -> None:
    def with_cookie(request: httpx.Request) -> httpx.Response:
        answer = sms_answer(request)
        answer.headers["Set-Cookie"] = "session=account-a; Path=/"
        return answer

    httpx_mock.add_callback(with_cookie)
    httpx_mock.add_callback(sms_answer)
    run_sms(connection)
    run_sms({**connection, "token": "another-account-key"})
    assert "cookie" not in sent(httpx_mock)[1].headers


@pytest.mark.parametrize("status", [400, 401, 403, 404])
@pytest.mark.parametrize(
    "body",
    [
        {"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": 5}}},
        {"errorCode": "E401", "description": 1.5},
        {"errorCode": "E401", "description": 0},
        {"errorCode": 9 * 10**4000, "description": 9 * 10**3999, "action": 10**3000},
    ],
)
def test_an_error_answer_with_numbers_for_texts_is_told_as_its_status(
    httpx_mock: HTTPXMock, connection: dict[str, str], status: int, body: dict[str, Any]
) -> None:
    httpx_mock.add_response(status_code=status, content=json.dumps(body).encode())
    expected = AuthenticationError if status in (401, 403) else RejectedError
    with pytest.raises(expected) as info:
        run_sms(connection)
    assert len(info.value.message) < 1_500
    assert len(json.dumps(info.value.details)) < 2_000
    if body.get("description") in (0, 1.5):  # Infobip's text, a number, quoted as given
        assert f": {body['description']}" in info.value.message
