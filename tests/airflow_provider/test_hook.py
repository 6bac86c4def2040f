"""``InfobipHook`` reads the ``infobip`` connection from Airflow (here from
``AIRFLOW_CONN_INFOBIP_DEFAULT``) and runs actions, options and the connection test against
the sandbox."""

from __future__ import annotations

import pytest

pytest.importorskip("airflow.sdk")

from infobip_connector.errors import ConfigurationError
from infobip_connector.hosts.airflow.hook import InfobipHook
from infobip_connector.sandbox import Sandbox, SandboxServer

from .conftest import KEY, SMS, airflow_connection


def test_the_hook_reads_the_connection_from_the_environment(account: Sandbox) -> None:
    settings = InfobipHook().get_conn()
    assert settings.token.get_secret_value() == KEY
    assert settings.base_url.startswith("http://127.0.0.1:")
    assert (InfobipHook.conn_type, InfobipHook.default_conn_name) == ("infobip", "infobip_default")


def test_execute_runs_an_action(account: Sandbox) -> None:
    output = InfobipHook().execute("sendSms", SMS)
    assert output["messages"][0]["to"] == "41793026727"
    assert account.accepted_message_ids == {output["messages"][0]["messageId"]}


def test_options_lists_the_choices_from_infobip(account: Sandbox) -> None:
    choices = InfobipHook().options(
        "sendWhatsappTemplateMessage",
        "messages[].content.templateName",
        {"messages": [{"from": "447860099299"}]},
    )
    assert {"value": "order_update", "label": "order_update (en)"} in choices


def test_test_connection_calls_the_balance(account: Sandbox) -> None:
    ok, message = InfobipHook().test_connection()
    assert ok, message
    assert message.startswith("Connection to Infobip works: balance ")
    assert account.request_counts["/account/1/balance"] == 1


def test_a_wrong_key_fails_the_connection_test_without_showing_it(
    airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "wrong-key-" + "7" * 20
    monkeypatch.setenv("AIRFLOW_CONN_OTHER", airflow_connection(airflow_server.url, key=wrong))
    ok, message = InfobipHook("other").test_connection()
    assert not ok
    assert message.startswith("authentication: ")
    assert wrong not in message and KEY not in message


def test_the_uri_form_works_too(
    airflow_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = airflow_server.url.rsplit(":", 1)[1]
    # Airflow's URI form: the key as password, the scheme as schema, extras as text.
    monkeypatch.setenv(
        "AIRFLOW_CONN_BY_URI", f"infobip://:{KEY}@127.0.0.1:{port}/http?maxAttempts=1"
    )
    settings = InfobipHook("by_uri").get_conn()
    assert settings.base_url == airflow_server.url
    assert settings.max_attempts == 1


@pytest.mark.parametrize(
    ("connection", "path"),
    [
        ({"conn_type": "infobip", "host": "xyz.api.infobip.com"}, "password"),
        ({"conn_type": "infobip", "password": KEY, "host": "evil.example.com"}, "host"),
        (
            {"conn_type": "infobip", "password": KEY, "extra": {"maxAttempts": 0}},
            "extra.maxAttempts",
        ),
        ({"conn_type": "infobip", "password": KEY, "extra": {"maxAtempts": 2}}, "extra.maxAtempts"),
        ({"conn_type": "infobip", "password": KEY, "extra": [1, 2]}, "extra"),
    ],
)
def test_a_bad_connection_names_the_airflow_field(
    connection: dict[str, object], path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.setenv("AIRFLOW_CONN_BAD", json.dumps(connection))
    with pytest.raises(ConfigurationError) as caught:
        InfobipHook("bad").get_conn()
    assert caught.value.errors[0]["path"] == path
    assert caught.value.message.startswith(
        "Airflow connection 'bad' is unusable, nothing was sent: "
    )
    assert KEY not in caught.value.message and KEY not in str(caught.value.details)
    ok, message = InfobipHook("bad").test_connection()
    assert not ok and path in message
