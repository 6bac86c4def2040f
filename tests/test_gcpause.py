"""The cycle collector pause around bulk work: it must always give collection back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from infobip_connector.gcpause import paused_gc


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_collection_is_paused_inside_and_resumed_after() -> None:
    with paused_gc:
        assert not gc.isenabled()
        with paused_gc:
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still holds it
    assert gc.isenabled()


def test_collection_resumes_after_an_error() -> None:
    with pytest.raises(ValueError), paused_gc:
        raise ValueError("boom")
    assert gc.isenabled()


def test_an_application_that_disabled_collection_keeps_it_disabled() -> None:
    gc.disable()
    with paused_gc:
        pass
    assert not gc.isenabled()


def test_overlapping_threads_resume_collection_only_when_the_last_leaves() -> None:
    entered = threading.Barrier(2)
    release = threading.Event()
    seen: list[bool] = []

    def hold() -> None:
        with paused_gc:
            entered.wait()
            release.wait()

    worker = threading.Thread(target=hold)
    worker.start()
    with paused_gc:
        entered.wait()
    seen.append(gc.isenabled())  # this thread left, the worker is still inside
    release.set()
    worker.join()
    assert seen == [False]
    assert gc.isenabled()


def test_a_bulk_execution_leaves_collection_enabled() -> None:
    from infobip_connector import component
    from infobip_connector.sandbox import Sandbox

    values = {
        "messages": [
            {"destinations": [{"to": f"4179{i:07d}"} for i in range(2_000)], "text": "Hello"}
        ]
    }
    sandbox = Sandbox()
    output = component.execute(
        "sendSms", values, {"token": "sandbox-key-for-local-tests"}, transport=sandbox.transport()
    )
    assert len(output["messages"]) == 2_000
    assert gc.isenabled()
