"""``InfobipNotifier`` sends an SMS or WhatsApp message from a DAG or task callback."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("airflow.sdk")

from airflow.sdk import DAG, BaseNotifier

from infobip_connector.errors import InputError, OutcomeUnknownError
from infobip_connector.hosts.airflow.notifier import InfobipNotifier
from infobip_connector.sandbox import Fault, Sandbox

from .conftest import task_context


def _context() -> dict[str, object]:
    context = task_context()
    context["dag"] = DAG("nightly_export", schedule=None)
    return context


def test_an_sms_to_every_recipient_in_one_bulk(account: Sandbox) -> None:
    notifier = InfobipNotifier(
        to=["+41 79 302 67 27", "+385 91 123 4567"],
        text="{{ dag.dag_id }} failed on {{ ds }}",
        sender="Airflow",
    )
    assert isinstance(notifier, BaseNotifier)
    notifier(_context())  # a callback calls the notifier with its context
    sent = account.accepted_messages
    assert [(m.channel, m.to) for m in sent] == [("sms", "41793026727"), ("sms", "385911234567")]
    assert {m.text for m in sent} == {"nightly_export failed on 2026-11-30"}
    assert account.request_counts["/sms/2/text/advanced"] == 1


def test_a_whatsapp_message_per_recipient(account: Sandbox) -> None:
    InfobipNotifier(
        to="+41 79 302 67 27",
        text="{{ dag.dag_id }} done",
        channel="whatsapp",
        sender="447860099299",
    )(_context())
    (sent,) = account.accepted_messages
    assert (sent.channel, sent.to, sent.text) == ("whatsapp", "41793026727", "nightly_export done")


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"to": "+41 79 302 67 27", "text": "x", "channel": "whatsapp"}, "sender"),
        ({"to": "+41 79 302 67 27", "text": "x", "channel": "whatsapp", "sender": "12"}, "sender"),
        ({"to": "+41 79 302 67 27", "text": "x", "sender": "\u0007"}, "sender"),
        ({"to": "12", "text": "x"}, "to"),
        ({"to": ["+41 79 302 67 27", "12"], "text": "x"}, "to[1]"),
        (
            {
                "to": ["+41 79 302 67 27", "12"],
                "text": "x",
                "channel": "whatsapp",
                "sender": "447860099299",
            },
            "to[1]",
        ),
        ({"to": [], "text": "x"}, "to"),
        ({"to": 41793026727, "text": "x"}, "to"),
        ({"to": "+41 79 302 67 27", "text": ""}, "text"),
        (
            {
                "to": "+41 79 302 67 27",
                "text": "  ",
                "channel": "whatsapp",
                "sender": "447860099299",
            },
            "text",
        ),
    ],
)
def test_settings_are_checked_when_the_dag_is_parsed_in_the_notifiers_terms(
    settings: dict[str, Any], path: str
) -> None:
    with pytest.raises(InputError) as caught:
        InfobipNotifier(**settings)
    assert [e["path"] for e in caught.value.errors] == [path]
    assert path in str(caught.value)


def test_templated_settings_are_left_for_the_send(account: Sandbox) -> None:
    notifier = InfobipNotifier(
        to=["{{ params.to }}"], text="{{ dag.dag_id }}", channel="whatsapp", sender="{{ params.s }}"
    )
    context = {**_context(), "params": {"to": "+41 79 302 67 27", "s": "12"}}
    notifier.render_template_fields(context)  # as the callback does before notify
    assert (notifier.to, notifier.sender) == (["+41 79 302 67 27"], "12")
    with pytest.raises(InputError) as caught:  # rendered wrong: named as the notifier's
        notifier.notify(context)
    assert caught.value.errors[0]["path"] == "sender"
    assert account.requests == []


def test_the_channel_is_checked_when_the_dag_is_parsed() -> None:
    with pytest.raises(ValueError, match="channel"):
        InfobipNotifier(to="1", text="x", channel="fax")  # type: ignore[arg-type]


def test_an_unknown_outcome_names_the_ids_to_check(
    account: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    account.script("POST", "/sms/2/text/advanced", Fault(process=True, drop="before_response"))
    notifier = InfobipNotifier(to="+41 79 302 67 27", text="{{ dag.dag_id }} failed")
    with pytest.raises(OutcomeUnknownError) as caught:  # Airflow logs it, the DAG goes on
        notifier(_context())
    (accepted,) = account.accepted_message_ids
    assert caught.value.__notes__ == [
        f"infobip-connector: IDs to check: bulkId={caught.value.details['bulkId']}; "
        f"messageIds=[{accepted}]"
    ]
    captured = capsys.readouterr()
    logged = [line for line in (captured.out + captured.err).splitlines() if accepted in line]
    assert logged and "IDs to check: bulkId=" in logged[0]
