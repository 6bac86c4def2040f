"""Execution keys: the same key gives a send byte-identical IDs, whatever runs it again."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import InputError, component
from infobip_connector.runtime.idempotency import (
    MAX_KEY_LENGTH,
    NAMESPACE,
    content_digest,
    derived_ids,
)
from infobip_connector.runtime.problems import Parts
from infobip_connector.sandbox import Sandbox, SandboxServer

from .action_support import CONNECTION, Recorder
from .sandbox_support import KEY

SMS = {
    "messages": [
        {"destinations": [{"to": "41793026727"}, {"to": "+385 91 234 5678"}], "text": "Hello"},
        {"destinations": [{"to": "447911123456", "messageId": "mine-1"}], "text": "Hi"},
    ]
}
WA = {"from": "441134960000", "to": "441134960001", "content": {"text": "Hello"}}
RUN_KEY = "dag=billing/task=notify/run=2026-11-30T07:00:00+00:00"


def _ids(body: dict[str, Any]) -> list[str]:
    """The bulkId and every messageId of a Send SMS body, in order."""
    return [body["bulkId"]] + [d["messageId"] for m in body["messages"] for d in m["destinations"]]


def _sent(action: str, values: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The body the connector put on the wire for one execution (a fresh account each time)."""
    recorder = Recorder(Sandbox(KEY, deliver_reports=False))
    component.execute(action, values, CONNECTION, transport=recorder, idempotency_key=key)
    (exchange,) = recorder.exchanges
    body: dict[str, Any] = exchange.body
    return body


def _uuid5(action: str, key: str, values: Any, place: Parts, n: int = 0) -> str:
    """The documented formula, spelled out with the standard library's uuid5."""
    digest = content_digest(values, place).hex()
    return str(uuid.uuid5(NAMESPACE, f"{action}\n{key}\n{digest}\n{n}"))


def test_the_same_key_gives_byte_identical_ids() -> None:
    first, again = _sent("sendSms", SMS, RUN_KEY), _sent("sendSms", SMS, RUN_KEY)
    assert _ids(first) == _ids(again)
    assert json.dumps(first) == json.dumps(again)


def test_ids_are_name_based_uuids_of_the_action_key_and_content() -> None:
    body = _sent("sendSms", SMS, RUN_KEY)
    ids = _ids(body)
    assert [uuid.UUID(i).version for i in ids[:3]] == [5, 5, 5]
    assert ids[3] == "mine-1"  # given by the user: kept as it is
    # The values as checked (numbers normalised), every derived place still empty.
    checked = json.loads(json.dumps(body))
    del checked["bulkId"]
    for destination in checked["messages"][0]["destinations"]:
        del destination["messageId"]
    assert ids[1] == _uuid5(
        "sendSms", RUN_KEY, checked, ("messages", 0, "destinations", 0, "messageId")
    )
    assert ids[2] == _uuid5(
        "sendSms", RUN_KEY, checked, ("messages", 0, "destinations", 1, "messageId")
    )
    assert ids[0] == _uuid5("sendSms", RUN_KEY, checked, ("bulkId",))


def test_without_a_key_or_with_another_the_ids_differ() -> None:
    keyed = _ids(_sent("sendSms", SMS, RUN_KEY))
    other = _ids(_sent("sendSms", SMS, RUN_KEY + "/try=2"))
    random_1, random_2 = _ids(_sent("sendSms", SMS, None)), _ids(_sent("sendSms", SMS, None))
    for ids in (other, random_1, random_2):
        assert ids[:3] != keyed[:3] and ids[3] == "mine-1"
    assert random_1[:3] != random_2[:3]
    assert all(uuid.UUID(i).version == 4 for i in random_1[:3])


def test_given_ids_are_kept_and_the_bulk_path_derives_the_rest() -> None:
    """A bulk large enough for the per-list fast path, some IDs given, some not."""
    destinations = [{"to": f"4179302{i:04d}"} for i in range(300)]
    for i in range(0, 300, 7):
        destinations[i]["messageId"] = f"given-{i}"
    values = {"bulkId": "my-bulk", "messages": [{"destinations": destinations, "text": "Hi"}]}
    body = _sent("sendSms", values, RUN_KEY)
    assert body["bulkId"] == "my-bulk"
    sent = body["messages"][0]["destinations"]
    derived = {d["to"]: d["messageId"] for i, d in enumerate(sent) if i % 7}
    assert all(sent[i]["messageId"] == f"given-{i}" for i in range(0, 300, 7))
    assert len(set(derived.values())) == len(derived) == 300 - len(range(0, 300, 7))
    # The same bulk reversed: every recipient keeps its ID (and the slow path agrees).
    values["messages"][0]["destinations"] = destinations[::-1]
    again = _sent("sendSms", values, RUN_KEY)["messages"][0]["destinations"]
    assert {d["to"]: d["messageId"] for d in again if d["to"] in derived} == derived
    alone = {
        "bulkId": "my-bulk",
        "messages": [{"destinations": [{"to": sent[1]["to"]}], "text": "Hi"}],
    }
    assert (
        _sent("sendSms", alone, RUN_KEY)["messages"][0]["destinations"][0]["messageId"]
        == (derived[sent[1]["to"]])
    )


def test_derived_ids_match_the_standard_uuid5() -> None:
    values = {
        "messages": [{"destinations": [{"to": "41793026727"}, {"to": "41793026727"}], "text": "Hi"}]
    }
    places: list[Parts] = [
        ("bulkId",),
        ("messages", 0, "destinations", 0, "messageId"),
        ("messages", 0, "destinations", 1, "messageId"),
    ]
    key = "ключ 🔑 key"
    assert derived_ids(key, "sendSms", values, places) == [
        _uuid5("sendSms", key, values, places[0]),
        _uuid5("sendSms", key, values, places[1]),
        # The same message twice in one request: counted, so each has an ID of its own.
        _uuid5("sendSms", key, values, places[2], 1),
    ]


def test_async_gives_the_same_ids_as_sync() -> None:
    with SandboxServer(Sandbox(KEY, deliver_reports=False)) as server:
        connection = {"token": KEY, "baseUrl": server.url}
        asyncio.run(component.execute_async("sendSms", SMS, connection, idempotency_key=RUN_KEY))
        (request,) = [r for r in server.sandbox.requests if r.method == "POST"]
        assert _ids(request.body) == _ids(_sent("sendSms", SMS, RUN_KEY))


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "empty"),
        ("   ", "blank"),
        ("x" * (MAX_KEY_LENGTH + 1), "at most 256"),
        ("run\n1", "U+000A at position 4"),
        ("run\u202e1", "U+202E"),
        ("a\x00", "U+0000"),
        (12, "text, not int"),
        (b"key", "text, not bytes"),
        (["k"], "text, not list"),
    ],
)
def test_a_bad_key_is_an_input_error_and_nothing_is_sent(key: Any, says: str) -> None:
    sandbox = Sandbox(KEY, deliver_reports=False)
    with pytest.raises(InputError) as caught:
        component.execute(
            "sendSms", SMS, CONNECTION, transport=sandbox.transport(), idempotency_key=key
        )
    assert caught.value.errors[0]["path"] == "idempotency_key"
    assert says in caught.value.errors[0]["message"]
    assert sandbox.requests == []
    with pytest.raises(InputError):
        asyncio.run(
            component.execute_async(
                "sendSms", SMS, CONNECTION, transport=sandbox.transport(), idempotency_key=key
            )
        )
    # A bad key is refused by every kind, even one that ignores a good key.
    with pytest.raises(InputError):
        component.execute(
            "previewSms",
            {"text": "Hi"},
            CONNECTION,
            transport=sandbox.transport(),
            idempotency_key=key,
        )
    assert sandbox.requests == []


def test_the_longest_key_is_accepted() -> None:
    key = "k" * MAX_KEY_LENGTH
    assert _ids(_sent("sendSms", SMS, key)) == _ids(_sent("sendSms", SMS, key))


def test_other_kinds_ignore_a_key() -> None:
    """A read assigns no IDs: the key changes nothing on the wire."""
    assert _sent("previewSms", {"text": "Hi"}, RUN_KEY) == _sent("previewSms", {"text": "Hi"}, None)


# --- the command line ----------------------------------------------------------------------


def _cli(
    capsys: pytest.CaptureFixture[str],
    server: SandboxServer,
    tmp_path: Path,
    *extra: str,
    inputs: Any = SMS,
    settings: dict[str, Any] | None = None,
) -> tuple[int, str, str]:
    """``run sendSms`` of ``inputs`` against ``server`` (with connection ``settings``)."""
    from infobip_connector.hosts.cli import main

    values = tmp_path / "sms.json"
    values.write_text(json.dumps(inputs), encoding="utf-8")
    connection = tmp_path / "connection.json"
    given = {"token": KEY, "baseUrl": server.url, **(settings or {})}
    connection.write_text(json.dumps(given), encoding="utf-8")
    try:
        main(["run", "sendSms", "--input", str(values), "--connection", str(connection), *extra])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_idempotency_key_repeats_the_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with SandboxServer(Sandbox(KEY, deliver_reports=False)) as server:
        outputs = []
        for _ in range(2):
            code, out, _err = _cli(capsys, server, tmp_path, "--idempotency-key", RUN_KEY)
            assert code == 0
            outputs.append(json.loads(out))
        bodies = [r.body for r in server.sandbox.requests if r.method == "POST"]
    assert len(bodies) == 2 and _ids(bodies[0]) == _ids(bodies[1]) == _ids(
        _sent("sendSms", SMS, RUN_KEY)
    )
    assert outputs[0]["bulkId"] == _ids(bodies[0])[0]


def test_cli_bad_idempotency_key_names_the_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with SandboxServer(Sandbox(KEY, deliver_reports=False)) as server:
        code, _out, err = _cli(capsys, server, tmp_path, "--idempotency-key", " ")
        assert server.sandbox.requests == []
    assert code == 2
    error = json.loads(err.strip().splitlines()[-1])["error"]
    assert error["type"] == "input"
    assert error["details"]["errors"][0]["path"] == "--idempotency-key"


def test_a_given_id_equal_to_a_derived_one_is_refused_at_the_derived_place() -> None:
    """Two messages would share an ID: one recipient would get nothing."""
    # A messageId names its own message alone: this recipient's ID in a bulk of its own.
    alone = {"messages": [{"destinations": [{"to": "447911123456"}], "text": "Hello"}]}
    derived = _sent("sendSms", alone, RUN_KEY)["messages"][0]["destinations"][0]["messageId"]
    values = {
        "messages": [
            {
                "destinations": [
                    {"to": "41793026727", "messageId": derived},
                    {"to": "447911123456"},
                ],
                "text": "Hello",
            }
        ]
    }
    recorder = Recorder(Sandbox(KEY, deliver_reports=False))
    with pytest.raises(InputError) as info:
        component.execute(
            "sendSms", values, CONNECTION, transport=recorder, idempotency_key=RUN_KEY
        )
    assert recorder.exchanges == []
    (problem,) = info.value.details["errors"]
    assert problem["path"] == "messages[0].destinations[1].messageId"
    assert "messages[0].destinations[0].messageId" in problem["message"]
    # Without a key the same input is fine: the missing ID is drawn at random.
    _sent("sendSms", values, None)
