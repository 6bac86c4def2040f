"""The sandbox's SMS logs and delivery reports carry the destination's network (``mccMnc``:
the country's Mobile Country Code and network ``01``), and the logs' ``mcc``/``mnc`` filters
match on it."""

from __future__ import annotations

from typing import Any

import pytest

from infobip_connector import component
from infobip_connector.sandbox import Sandbox
from infobip_connector.sandbox.networks import mcc_mnc

CONNECTION = {"token": "sandbox-key-for-local-tests"}


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    sandbox = Sandbox(deliver_reports=False)
    messages = [
        {"destinations": [{"to": "+385 91 624 2493"}], "text": "Croatia"},
        {"destinations": [{"to": "41793026727"}], "text": "Switzerland"},
    ]
    component.execute("sendSms", {"messages": messages}, CONNECTION, transport=sandbox.transport())
    return sandbox


def logs(sandbox: Sandbox, **filters: Any) -> list[str]:
    answer = component.execute("getSmsLogs", filters, CONNECTION, transport=sandbox.transport())
    return sorted(entry["destination"] for entry in answer["results"])


def test_logs_carry_the_network_and_filter_on_it(sandbox: Sandbox) -> None:
    assert logs(sandbox, mcc="219") == ["385916242493"]
    assert logs(sandbox, mcc="219", mnc="01") == ["385916242493"]
    assert logs(sandbox, mcc="228") == ["41793026727"]
    assert logs(sandbox, mcc="219", mnc="02") == []
    assert logs(sandbox, mcc="310") == []
    answer = component.execute("getSmsLogs", {}, CONNECTION, transport=sandbox.transport())
    networks = {entry["destination"]: entry.get("mccMnc") for entry in answer["results"]}
    assert networks == {"385916242493": "21901", "41793026727": "22801"}


def test_delivery_reports_carry_the_network(sandbox: Sandbox) -> None:
    answer = component.execute(
        "getSmsDeliveryReports", {}, CONNECTION, transport=sandbox.transport()
    )
    assert {r["to"]: r.get("mccMnc") for r in answer["results"]} == {
        "385916242493": "21901",
        "41793026727": "22801",
    }


def test_a_number_of_a_country_without_a_code_has_no_network() -> None:
    assert mcc_mnc("not a number") is None
    assert mcc_mnc("37423123456") is None  # Armenia: not in the table
