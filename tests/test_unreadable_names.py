"""A member name the schema validator cannot read stops the checks: one typed error, no crash.

A name with a lone UTF-16 surrogate can only come from a Python caller (the JSON readers
refuse it). The validator stops there and tells that name alone, so other faults in the
input go unjudged; the checks, which rely on the schema's verdict for the types they read,
must not look at such an input (a ``to`` of ``False`` once reached the number check).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import InputError

from .test_free_member_rules import flow

NAME = "\udc80"


def _template(header: Any) -> dict[str, Any]:
    # The name in a list's flat object of texts: the pruning copies those without reading
    # their names, so the validator is the first to meet it.
    values = flow({})
    data = values["messages"][0]["content"]["templateData"]
    data["header"] = header
    data["buttons"] = [{NAME: "a"}]
    return values


CASES = [
    ("sendSms", {"messages": [{"destinations": [{"to": False}, {NAME: "a"}], "text": "Hi"}]}),
    ("sendSms", {"messages": [{"destinations": [{"to": ["4179"]}, {NAME: "a"}], "text": "Hi"}]}),
    ("sendWhatsappTemplateMessage", _template({"type": "IMAGE", "mediaUrl": ["x"]})),
    (  # a bulk, validated with the lean schema first and its recipients shared
        "sendSms",
        {
            "messages": [
                {
                    "destinations": [{"to": "41793026727"}] * 70 + [{"to": False}, {NAME: "a"}],
                    "text": "Hi",
                }
            ]
        },
    ),
]


@pytest.mark.parametrize(("action", "values"), CASES)
def test_an_unreadable_name_is_told_alone(action: str, values: dict[str, Any]) -> None:
    with pytest.raises(InputError) as raised:
        component.runtime(action).validate(values)
    assert [e["message"] for e in raised.value.errors] == [
        "is a member name that is not valid Unicode text (lone surrogate)"
    ]
    assert raised.value.errors[0]["path"].endswith(".\\udc80")


@pytest.mark.parametrize(("action", "values"), CASES)
def test_an_unreadable_name_reaches_nobody(action: str, values: dict[str, Any]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    connection = {"token": "unreadable-name-key-0001", "baseUrl": "https://xyz.api.infobip.com"}
    with pytest.raises(InputError):
        component.execute(action, values, connection, transport=httpx.MockTransport(refuse))
