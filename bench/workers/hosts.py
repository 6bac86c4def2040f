"""Figure 7's worker: one small Send SMS per workflow step, through each long-lived host.

Scenarios (all against the loopback server, the same input as figure 2's SMS):

- ``step_inproc``: ``component.execute("sendSms", ...)``, the floor;
- ``step_serve``: one JSON-RPC ``execute`` line to ``infobip-connector serve`` over its
  pipes, then read its answer line, per step;
- ``step_mcp``: one MCP ``tools/call`` of ``sendSms`` to ``infobip-connector mcp`` over
  stdio (newline-delimited JSON-RPC, after the ``initialize`` handshake), per step;
- ``serve_concurrent``: many ``execute`` lines in flight through one ``serve`` worker,
  answers matched by id.

Wall time per step is what a workflow engine waits; CPU is this worker's only (the host's
child process is not counted), so only wall and rate are compared.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from typing import IO, Any

import _harness as h
import _payloads as p

DISTRIBUTIONS = ("infobip-connector", "httpx", "mcp", "uvloop")
# The host child inherits the connection from the environment, as ``run`` reads it.
MCP_PROTOCOL = "2025-06-18"


def _env(spec: h.Spec) -> dict[str, str]:
    env = {
        **os.environ,
        "INFOBIP_API_KEY": p.TOKEN,
        "INFOBIP_BASE_URL": f"http://127.0.0.1:{spec['port']}",
    }
    if "loop" in spec:  # the host's event loop; otherwise its default (uvloop when installed)
        env["INFOBIP_CONNECTOR_LOOP"] = spec["loop"]
    return env


def _start(spec: h.Spec, command: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "infobip_connector", command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_env(spec),
    )


def _exchange(stdin: IO[bytes], stdout: IO[bytes], line: bytes) -> bytes:
    stdin.write(line)
    stdin.flush()
    answer = stdout.readline()
    if not answer:
        raise RuntimeError("the host closed its stdout")
    return answer


def _stepper(process: subprocess.Popen[bytes], line: bytes, ok: bytes) -> Callable[[], None]:
    """One step: write ``line``, read one answer line, which must contain ``ok``."""
    assert process.stdin is not None and process.stdout is not None
    stdin, stdout = process.stdin, process.stdout

    def step() -> None:
        answer = _exchange(stdin, stdout, line)
        # A cheap check on every answer: a refused send must not be timed as a send.
        if ok not in answer or b'"isError":true' in answer.replace(b" ", b""):
            raise RuntimeError(f"unexpected answer: {answer[:300]!r}")

    return step


def _stop(process: subprocess.Popen[bytes]) -> None:
    assert process.stdin is not None
    process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _loop(spec: h.Spec, step: Callable[[], object]) -> h.Result:
    runs = h.timed_loop(step, spec["n"], spec["reps"], spec["warmup"])
    return {"reps": runs, "versions_override": _version()}


def _version() -> dict[str, str]:
    import infobip_connector

    return {"infobip-connector": getattr(infobip_connector, "__version__", "unknown")}


def step_inproc(spec: h.Spec) -> h.Result:
    from infobip_connector import component

    connection = {"token": p.TOKEN, "baseUrl": f"http://127.0.0.1:{spec['port']}"}
    inputs = p.sms_inputs()
    return _loop(spec, lambda: component.execute("sendSms", inputs, connection))


def _rpc(request_id: int, method: str, params: dict[str, Any]) -> bytes:
    message = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
    return p.dumps(message) + b"\n"


def step_serve(spec: h.Spec) -> h.Result:
    process = _start(spec, "serve")
    try:
        line = _rpc(1, "execute", {"action": "sendSms", "input": p.sms_inputs()})
        return _loop(spec, _stepper(process, line, b'"result"'))
    finally:
        _stop(process)


def step_mcp(spec: h.Spec) -> h.Result:
    process = _start(spec, "mcp")
    assert process.stdin is not None and process.stdout is not None
    try:
        hello = {
            "protocolVersion": MCP_PROTOCOL,
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "0"},
        }
        answer = _exchange(process.stdin, process.stdout, _rpc(0, "initialize", hello))
        if b'"result"' not in answer:
            raise RuntimeError(f"initialize refused: {answer[:300]!r}")
        initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
        process.stdin.write(p.dumps(initialized) + b"\n")
        call = {"name": "sendSms", "arguments": p.sms_inputs()}
        return _loop(spec, _stepper(process, _rpc(1, "tools/call", call), b'"result"'))
    finally:
        _stop(process)


def serve_concurrent(spec: h.Spec) -> h.Result:
    """``n`` sends with ``in_flight`` outstanding through one ``serve`` worker.

    The client is kept cheap, so that it is not what limits the rate: the host is started
    once (the first ``in_flight`` sends all wait for the same start), every request line is
    the same pre-encoded bytes but for its id, and one reader task matches answers to ids.
    """
    import orjson  # a dependency of the package, so present wherever ours runs

    pending: dict[int, asyncio.Future[None]] = {}
    ids = itertools.count(1)
    params = {"action": "sendSms", "input": p.sms_inputs()}
    head = b'{"jsonrpc":"2.0","id":'
    tail = b',"method":"execute","params":' + p.dumps(params) + b"}\n"
    state: dict[str, Any] = {}

    async def started() -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "infobip_connector",
            "serve",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=_env(spec),
            limit=1 << 20,
        )
        state["reader"] = asyncio.create_task(read(process))
        state["process"] = process
        return process

    async def read(process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        while line := await process.stdout.readline():
            answer = orjson.loads(line)
            future = pending.pop(answer["id"])
            if "result" in answer:
                future.set_result(None)
            else:
                future.set_exception(RuntimeError(f"unexpected answer: {line[:300]!r}"))
        for future in pending.values():
            future.set_exception(RuntimeError("the host closed its stdout"))

    async def send() -> object:
        process = state.get("process")
        if process is None:
            if "starting" not in state:  # only the first send starts it; the others wait
                state["starting"] = asyncio.ensure_future(started())
            process = await state["starting"]
        request_id = next(ids)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        pending[request_id] = future
        process.stdin.write(b"%s%d%s" % (head, request_id, tail))
        return await future

    async def close() -> None:
        process = state["process"]
        process.stdin.close()
        await process.wait()
        await state["reader"]

    # The client runs on the same kind of loop as the host, as the in-process floor does.
    loop = spec.get("loop", "asyncio")
    runs = h.concurrent_loop(
        send, spec["n"], spec["reps"], spec["warmup"], spec["in_flight"], close, loop
    )
    return {"reps": runs, "versions_override": _version()}


if __name__ == "__main__":
    h.main(
        {
            "step_inproc": step_inproc,
            "step_serve": step_serve,
            "step_mcp": step_mcp,
            "serve_concurrent": serve_concurrent,
        },
        DISTRIBUTIONS,
    )
