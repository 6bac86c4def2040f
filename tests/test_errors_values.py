"""Errors are values engines can move: they pickle whole and their details are strict JSON.

A process pool (Airflow, Celery, ``ProcessPoolExecutor``) pickles the exception a task
raised; an error that cannot be rebuilt turns into ``BrokenProcessPool`` and its details are
lost. Every error class is found by introspection, so a new one is covered without editing
this test.
"""

from __future__ import annotations

import inspect
import json
import math
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from infobip_connector import errors
from infobip_connector.hosts import cli
from infobip_connector.hosts.cli import main

from .outcomes import run_args
from .rawserver import RawServer, answer


def _error_classes() -> list[type[errors.ConnectorError]]:
    found: list[type[errors.ConnectorError]] = []
    pending = [errors.ConnectorError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    in_module = {c for c in vars(errors).values() if isinstance(c, type)}
    assert {c for c in in_module if issubclass(c, errors.ConnectorError)} <= set(found)
    assert cli.UsageError in found
    return sorted(set(found), key=lambda c: c.__qualname__)


CLASSES = _error_classes()
DETAILS = {"bulkId": "B1", "messageIds": ["M1", "M2"], "status": 500, "nested": {"a": [1, 2.5]}}


def _make(cls: type[errors.ConnectorError]) -> errors.ConnectorError:
    first = next(iter(inspect.signature(cls).parameters))
    if first == "errors":
        return cls([{"path": "messages[0].text", "message": "is required"}])  # type: ignore[call-arg]
    return cls("something went wrong", DETAILS)


def _roundtrip(error: BaseException) -> Any:
    return pickle.loads(pickle.dumps(error))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_survives_pickling(cls: type[errors.ConnectorError]) -> None:
    error = _make(cls)
    error.add_note("a note")
    copy = _roundtrip(error)
    assert type(copy) is cls
    assert copy.message == error.message and str(copy) == str(error)
    assert copy.details == error.details
    assert copy.to_dict() == error.to_dict()
    assert copy.__notes__ == ["a note"]
    assert vars(copy) == vars(error)


def _raise_input_error() -> None:
    raise errors.InputError([{"path": "messages[0].destinations[2].to", "message": "bad"}])


def test_an_error_crosses_a_process_pool() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_input_error)
        with pytest.raises(errors.InputError) as info:
            future.result(timeout=60)
    assert info.value.errors == [{"path": "messages[0].destinations[2].to", "message": "bad"}]


ODD = {
    "nan": math.nan,
    "inf": [math.inf, -math.inf],
    "keys": {1: "one", None: "none"},
    "tuple": (1, 2),
    "object": object(),
    "bytes": b"raw",
    "deep": [],
}


def _odd_details() -> dict[str, Any]:
    deep: list[Any] = []
    for _ in range(2_000):
        deep = [deep]
    return {**ODD, "deep": deep}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_details_are_strict_json(cls: type[errors.ConnectorError]) -> None:
    if next(iter(inspect.signature(cls).parameters)) == "errors":
        error = cls([{"path": "x", "message": "y", "value": math.nan}])  # type: ignore[call-arg,list-item]
    else:
        error = cls("odd details", _odd_details())
    json.dumps(error.to_dict(), allow_nan=False)
    json.dumps(_roundtrip(error).to_dict(), allow_nan=False)


def _strict(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    ("status", "body", "exit_code"),
    [
        (400, b'{"requestError": {"serviceException": {"messageId": NaN, "text": "bad"}}}', 3),
        (400, b'{"errorCode": Infinity, "description": "bad", "violations": []}', 3),
        (500, b'{"requestError": {"serviceException": {"messageId": NaN}}}', 4),
        (200, b'{"bulkId": "B1", "messages": [], "x": NaN}', 4),
    ],
)
def test_the_cli_never_prints_nan(
    status: int,
    body: bytes,
    exit_code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    values = {"messages": [{"destinations": [{"to": "41793026727"}], "text": "x"}]}
    with RawServer(answer(status, body)) as server:
        connection = {"token": "strict-json-key-1", "baseUrl": server.url, "maxAttempts": 1}
        with pytest.raises(SystemExit) as info:
            main(run_args(tmp_path, values, connection))
    out, err = capsys.readouterr()
    assert info.value.code == exit_code, err
    assert out == ""
    error = _strict(err.strip().splitlines()[-1])["error"]
    assert error["type"] in ("rejected", "outcome_unknown")
