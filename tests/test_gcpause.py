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


def test_an_answer_scope_holds_collection_only_once_held_and_until_it_closes() -> None:
    from infobip_connector.gcpause import (
        close_answer_scope,
        hold_until_output,
        open_answer_scope,
    )

    hold_until_output()  # outside a scope: no effect
    assert gc.isenabled()
    outer = open_answer_scope()
    assert gc.isenabled()  # opening pauses nothing: a network wait may follow
    inner = open_answer_scope()
    hold_until_output()
    hold_until_output()  # held once
    assert not gc.isenabled()
    close_answer_scope(inner)
    assert gc.isenabled()
    close_answer_scope(outer)
    assert gc.isenabled()


def test_an_answer_scope_closed_by_an_error_resumes_collection() -> None:
    from infobip_connector.gcpause import (
        close_answer_scope,
        hold_until_output,
        open_answer_scope,
    )

    with pytest.raises(ValueError):
        outer = open_answer_scope()
        try:
            hold_until_output()
            raise ValueError("boom")
        finally:
            close_answer_scope(outer)
    assert gc.isenabled()


def test_a_bulk_answer_is_not_walked_by_the_collector_before_its_output_is_shaped() -> None:
    # The first allocation after a large answer is parsed would set off a collection that
    # walks every object of the answer; the shaping frees them anyway. From the answer's
    # arrival to the output, no collection may start.
    import httpx

    from infobip_connector import component
    from infobip_connector.sandbox import Sandbox

    events: list[str] = []
    sandbox = Sandbox().transport()

    def answer(request: httpx.Request) -> httpx.Response:
        response = sandbox.handle_request(request)
        response.read()
        events.append("answer")
        return response

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            events.append("collection")

    values = {
        "messages": [
            {"destinations": [{"to": f"4179{i:07d}"} for i in range(2_000)], "text": "Hello"}
        ]
    }
    gc.callbacks.append(collected)
    try:
        output = component.execute(
            "sendSms",
            values,
            {"token": "sandbox-key-for-local-tests"},
            transport=httpx.MockTransport(answer),
        )
        events.append("output")
    finally:
        gc.callbacks.remove(collected)
    assert len(output["messages"]) == 2_000
    assert events[events.index("answer") :] == ["answer", "output"]
    assert gc.isenabled()
