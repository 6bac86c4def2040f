"""The Airflow provider's parts that need no Airflow: the provider info and connection form
derived from connector.yaml, reading an Airflow connection's fields back into connection
values, the idempotency key of a task instance, and the delivery sensor's bookkeeping.

These run in every environment; the tests that need Airflow are in the other modules here.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from infobip_connector import Component, component
from infobip_connector.errors import InputError
from infobip_connector.hosts.airflow.connection_form import (
    conn_fields,
    connection_values,
    field_behaviour,
    layout,
)
from infobip_connector.hosts.airflow.delivery import (
    MAX_FILTER_CHARS,
    log_queries,
    message_ids_of,
    progress,
    summary,
)
from infobip_connector.hosts.airflow.idempotency import task_key
from infobip_connector.hosts.airflow.provider import get_provider_info

from ..conftest import ROOT


def _with_extra_connection_property(tmp_path: Path) -> Component:
    """A copy of the definition whose connection has one more property, ``region``."""
    data = yaml.safe_load((ROOT / "connector.yaml").read_text(encoding="utf-8"))
    data["connection"]["authorizations"][0]["properties"].append(
        {
            "name": "region",
            "label": "Region",
            "type": "STRING",
            "controlType": "SELECT",
            "required": False,
            "default": "eu",
            "options": [{"label": "EU", "value": "eu"}, {"label": "US", "value": "us"}],
            "description": "Where the account lives.",
        }
    )
    (tmp_path / "icon.svg").write_text((ROOT / "infobip_connector" / "icon.svg").read_text())
    path = tmp_path / "connector.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return Component(path)


def test_the_key_is_the_password_and_the_base_url_the_host() -> None:
    found = layout()
    assert (found.conn_type, found.password, found.host) == ("infobip", "token", "baseUrl")
    schema = component.connection_schema()["properties"]
    assert set(found.extras) == set(schema) - {"token", "baseUrl"}
    behaviour = field_behaviour()
    assert behaviour["relabeling"] == {"password": "Token", "host": "Base URL"}
    assert behaviour["placeholders"]["host"] == "xxxxx.api.infobip.com"
    assert {"login", "port", "schema"} <= set(behaviour["hidden-fields"])


def test_every_other_connection_property_is_a_form_field_with_its_schema() -> None:
    schema = component.connection_schema()["properties"]
    fields = conn_fields()
    assert list(fields) == list(layout().extras)
    attempts = fields["maxAttempts"]
    assert attempts["label"] == schema["maxAttempts"]["title"]
    assert attempts["description"] == schema["maxAttempts"]["description"]
    assert attempts["schema"] == {
        "type": ["integer", "null"],
        "default": 3,
        "minimum": 1,
        "maximum": 10,
    }
    assert fields["phoneNumberCheck"]["schema"]["enum"] == ["valid", "possible"]
    # A boolean is a check box, not a list of two choices.
    assert fields["allowCustomHost"]["schema"] == {"type": ["boolean", "null"], "default": False}
    assert all("pattern" not in field["schema"] for field in fields.values())


def test_a_property_added_to_the_definition_appears_on_the_form(tmp_path: Path) -> None:
    other = _with_extra_connection_property(tmp_path)
    fields = conn_fields(other)
    assert fields["region"] == {
        "label": "Region",
        "schema": {"type": ["string", "null"], "default": "eu", "enum": ["eu", "us"]},
        "description": "Where the account lives.",
    }
    assert "region" in layout(other).extras


def test_the_provider_info_names_the_distribution_and_the_connection_type() -> None:
    info = get_provider_info()
    assert info["package-name"] == "infobip-connector"  # Airflow refuses any other name
    (connection,) = info["connection-types"]
    assert connection["connection-type"] == "infobip"
    assert connection["hook-class-name"] == "infobip_connector.hosts.airflow.hook.InfobipHook"
    assert connection["conn-fields"] == conn_fields()
    assert info["notifications"] == ["infobip_connector.hosts.airflow.notifier.InfobipNotifier"]
    json.dumps(info)  # plain data, as Airflow caches it


def test_the_provider_info_is_valid_for_airflow() -> None:
    pytest.importorskip("airflow.sdk")
    import importlib.resources

    import jsonschema

    for name in ("provider_info.schema.json", "provider.yaml.schema.json"):
        text = importlib.resources.files("airflow").joinpath(name).read_text(encoding="utf-8")
        schema = json.loads(text)
        info = get_provider_info()
        if name == "provider.yaml.schema.json":
            # provider.yaml's schema also covers the form, with fields the runtime omits.
            schema = {**schema, "required": []}
        jsonschema.Draft7Validator(schema).validate(info)


def test_the_entry_point_is_declared() -> None:
    from importlib.metadata import entry_points

    (found,) = [
        e
        for e in entry_points(group="apache_airflow_provider")
        if e.dist is not None and e.dist.name == "infobip-connector"
    ]
    assert found.value == "infobip_connector.hosts.airflow.provider:get_provider_info"
    assert found.load() is get_provider_info


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"host": "xyz12.api.infobip.com"}, "xyz12.api.infobip.com"),
        ({"host": "http://127.0.0.1:8080"}, "http://127.0.0.1:8080"),
        # The URI form: infobip://:KEY@127.0.0.1:8080/http
        ({"host": "127.0.0.1", "port": 8080, "schema": "http"}, "http://127.0.0.1:8080"),
        ({"host": "https://[::1]", "port": 9}, "https://[::1]:9"),
        ({"host": "http://127.0.0.1:8080/base", "port": 1}, "http://127.0.0.1:8080/base"),
        ({"host": "proxy.example.com/infobip", "port": 8443}, "proxy.example.com:8443/infobip"),
    ],
)
def test_the_host_becomes_the_base_url(fields: dict[str, Any], expected: str) -> None:
    values = connection_values(password="k" * 20, **fields)
    assert values == {"token": "k" * 20, "baseUrl": expected}


def test_extras_are_connection_properties_typed_as_declared() -> None:
    values = connection_values(
        host=None,
        password="k" * 20,
        extra={
            "maxAttempts": "2",  # every extra of a URI is text
            "deadline": "12.5",
            "allowCustomHost": "True",
            "phoneNumberCheck": "possible",
            "extra__infobip__readTimeout": 9,  # the prefix Airflow 2's form wrote
            "connectTimeout": "soon",  # left as it is: the connector refuses it by name
        },
    )
    assert values == {
        "token": "k" * 20,
        "maxAttempts": 2,
        "deadline": 12.5,
        "allowCustomHost": True,
        "phoneNumberCheck": "possible",
        "readTimeout": 9,
        "connectTimeout": "soon",
    }


def test_empty_fields_are_not_given() -> None:
    assert connection_values(host="", password=None, extra={}) == {}


def test_the_idempotency_key_identifies_the_task_instance_not_the_try() -> None:
    ti = SimpleNamespace(dag_id="d", task_id="t", run_id="manual__2026/x", map_index=None)
    assert task_key(ti) == "airflow:d/t/-1/manual__2026/x"
    mapped = SimpleNamespace(dag_id="d", task_id="t", run_id="r", map_index=3)
    other_run = SimpleNamespace(dag_id="d", task_id="t", run_id="r2", map_index=3)
    assert len({task_key(mapped), task_key(other_run), task_key(ti)}) == 3


@pytest.mark.parametrize(
    ("dag_id", "run_id"), [("d" * 250, "manual"), ("d", "manual\n2026"), ("d", "s__\u200b")]
)
def test_a_long_or_unprintable_task_key_becomes_a_digest(dag_id: str, run_id: str) -> None:
    ti = SimpleNamespace(dag_id=dag_id, task_id="t", run_id=run_id, map_index=0)
    other = SimpleNamespace(dag_id=dag_id, task_id="t", run_id=run_id + "x", map_index=0)
    key = task_key(ti)
    assert key.startswith("airflow:sha256:") and len(key) == 15 + 64
    assert key == task_key(ti) != task_key(other)


def test_message_ids_come_from_a_list_an_id_or_a_send_output() -> None:
    send_output = {"bulkId": "b", "messages": [{"messageId": "m1"}, {"messageId": "m2"}]}
    assert message_ids_of(send_output) == ["m1", "m2"]
    assert message_ids_of(["m1", "m2", "m1"]) == ["m1", "m2"]
    assert message_ids_of("m1") == ["m1"]


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ([], "message_ids"),
        (["m1", 7], "message_ids[1]"),
        (["m1", "  "], "message_ids[1]"),
        ({"messages": [{"messageId": "m"}, {"to": "x"}]}, "message_ids.messages[1].messageId"),
        (42, "message_ids"),
        (None, "message_ids"),
    ],
)
def test_wrong_message_ids_are_an_input_error_by_path(value: Any, path: str) -> None:
    with pytest.raises(InputError) as caught:
        message_ids_of(value)
    assert caught.value.errors[0]["path"] == path


def test_logs_are_read_100_ids_at_a_time() -> None:
    ids = [f"m{i}" for i in range(250)]
    queries = list(log_queries(ids))
    assert [len(q["messageId"]) for q in queries] == [100, 100, 50]
    assert [q["limit"] for q in queries] == [100, 100, 50]
    assert [i for q in queries for i in q["messageId"]] == ids


@pytest.mark.parametrize("length", [36, 100, 200])
def test_each_joined_filter_stays_within_2048_characters(length: int) -> None:
    ids = [f"{i:04d}".ljust(length, "x") for i in range(250)]
    queries = list(log_queries(ids))
    assert all(len(",".join(q["messageId"])) <= MAX_FILTER_CHARS for q in queries)
    assert all(len(q["messageId"]) <= 100 for q in queries)
    assert [i for q in queries for i in q["messageId"]] == ids
    # As full as the limit allows: one more ID would not have fitted.
    for query, following in itertools.pairwise(queries):
        assert len(",".join([*query["messageId"], following["messageId"][0]])) > MAX_FILTER_CHARS
    for query in queries:
        component.validate_input("getSmsLogs", query)


def test_the_joined_filter_is_measured_in_utf16_code_units() -> None:
    ids = message_ids_of(["\U0001f600" * 99 + f"{i:02d}" for i in range(30)])
    queries = list(log_queries(ids))
    for query in queries:
        joined = ",".join(query["messageId"])
        assert len(joined.encode("utf-16-le")) // 2 <= MAX_FILTER_CHARS
    assert [len(q["messageId"]) for q in queries] == [10, 10, 10]


def test_a_message_id_with_a_comma_is_refused_where_it_was_given() -> None:
    with pytest.raises(InputError) as caught:
        message_ids_of({"messages": [{"messageId": "m1"}, {"messageId": "m,2"}]})
    assert caught.value.errors[0]["path"] == "message_ids.messages[1].messageId"
    assert "comma" in caught.value.errors[0]["message"]


def _entry(message_id: str, group: str) -> dict[str, Any]:
    return {"messageId": message_id, "status": {"groupName": group}}


def test_a_message_waits_until_its_status_group_is_final() -> None:
    entries = [
        _entry("m3", "DELIVERED"),
        _entry("m1", "PENDING"),
        _entry("m4", "REJECTED"),
        _entry("m5", "UNDELIVERABLE"),
        _entry("m6", "EXPIRED"),
    ]
    final, waiting = progress(["m1", "m2", "m3", "m4", "m5", "m6"], entries)
    assert [e["messageId"] for e in final] == ["m3", "m4", "m5", "m6"]
    assert waiting == ["m1", "m2"]  # m2 is not in the logs yet
    assert summary(final, waiting) == (
        "4 of 6 messages final (1 DELIVERED, 1 EXPIRED, 1 REJECTED, 1 UNDELIVERABLE); "
        "waiting for m1, m2"
    )
