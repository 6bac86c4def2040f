"""The sandbox's route table: matching, path and query parsing, 404 and 405 in Infobip's
error shape, over the in-process transport and over a real socket."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from infobip_connector.sandbox import Sandbox
from infobip_connector.sandbox.routes import Answer, Request, Route, parse_query, resolve
from infobip_connector.sandbox.table import ROUTES

from .sandbox_support import KEY, client_for, conforms


@pytest.fixture(params=["transport", "socket"])
def client(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    yield from client_for(Sandbox(KEY, deliver_reports=False), request.param)


def _handler(sandbox: Sandbox, request: Request) -> Answer:
    return Answer(200, dict(request.path_params), "ok")


def test_a_pattern_matches_one_decoded_segment_per_parameter() -> None:
    route = Route("GET", "/whatsapp/2/senders/{sender}/templates", _handler)
    assert route.match("/whatsapp/2/senders/447860099299/templates") == {"sender": "447860099299"}
    assert route.match("/whatsapp/2/senders/a%2Bb/templates") == {"sender": "a+b"}
    assert route.match("/whatsapp/2/senders//templates") is None
    assert route.match("/whatsapp/2/senders/a/b/templates") is None
    assert route.match("/whatsapp/2/senders/a/templates/x") is None


def test_resolve_tells_an_unknown_path_from_a_wrong_method() -> None:
    assert resolve(ROUTES, "GET", "/sms/1/bulks").route is not None
    wrong = resolve(ROUTES, "DELETE", "/sms/1/bulks")
    assert wrong.route is None
    assert wrong.allowed == ("GET", "PUT")
    unknown = resolve(ROUTES, "GET", "/sms/9/nothing")
    assert unknown.route is None and unknown.allowed == ()


def test_query_is_a_multi_dict_that_keeps_blank_values() -> None:
    assert parse_query("bulkId=a&bulkId=b&limit=&x=%20y") == {
        "bulkId": ["a", "b"],
        "limit": [""],
        "x": [" y"],
    }


def test_every_route_is_reachable_and_none_is_shadowed() -> None:
    for route in ROUTES:
        path = route.pattern.replace("{sender}", "447860099299")
        assert resolve(ROUTES, route.method, path).route is route


def test_unknown_route_is_404_in_infobips_error_shape(client: httpx.Client) -> None:
    response = client.get("/sms/9/unknown")
    assert response.status_code == 404
    body = response.json()
    assert body == {
        "requestError": {
            "serviceException": {"messageId": "NOT_FOUND", "text": "Requested URL not found"}
        }
    }
    conforms("sms_api_exception.json", body)


def test_wrong_method_on_a_known_path_is_405_with_allow(client: httpx.Client) -> None:
    response = client.delete("/sms/1/bulks/status", params={"bulkId": "b"})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PUT"
    assert response.json()["requestError"]["serviceException"]["messageId"] == (
        "METHOD_NOT_ALLOWED"
    )


def test_every_route_wants_the_key(client: httpx.Client) -> None:
    for route in ROUTES:
        path = route.pattern.replace("{sender}", "447860099299")
        response = client.request(route.method, path, headers={"Authorization": "Basic x"})
        assert response.status_code == 401, path


def test_a_body_route_refuses_a_non_object_body(client: httpx.Client) -> None:
    response = client.post("/sms/1/preview", json=["text"])
    assert response.status_code == 400
    response = client.post(
        "/sms/1/preview", content=b"text=hi", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_query_strings_do_not_change_the_recorded_path() -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.infobip.com",
        headers={"Authorization": f"App {KEY}"},
    ) as client:
        client.get("/sms/3/reports", params={"limit": 5})
    assert sandbox.request_counts["/sms/3/reports"] == 1
    assert sandbox.requests[-1].path == "/sms/3/reports"
