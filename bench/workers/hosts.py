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
import time
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

    The client is what an efficient engine would be, so that it is not what limits the
    rate: the host is started once, before the warm-up; every request line is the same
    pre-encoded bytes but for its id; answers are read a pipe's worth at a time, and each
    answer read is checked (its id one in flight, a ``result``) and replaced at once by a
    new request, the new requests of one read going out in one write. So exactly
    ``in_flight`` requests are outstanding until the last ones of a repetition.
    """
    import orjson  # a dependency of the package, so present wherever ours runs

    params = {"action": "sendSms", "input": p.sms_inputs()}
    head = b'{"jsonrpc":"2.0","id":'
    tail = b',"method":"execute","params":' + p.dumps(params) + b"}\n"
    ids = itertools.count(1)
    in_flight: int = spec["in_flight"]

    async def batch(process: asyncio.subprocess.Process, count: int) -> None:
        assert process.stdin is not None and process.stdout is not None
        pending: set[int] = set()

        def requests(k: int) -> bytes:
            numbers = [next(ids) for _ in range(k)]
            pending.update(numbers)
            return b"".join([b"%s%d%s" % (head, number, tail) for number in numbers])

        sent = min(in_flight, count)
        process.stdin.write(requests(sent))
        done, rest = 0, b""
        while done < count:
            chunk = await process.stdout.read(1 << 16)
            if not chunk:
                raise RuntimeError("the host closed its stdout")
            *lines, rest = (rest + chunk).split(b"\n")
            for line in lines:
                answer = orjson.loads(line)
                if "result" not in answer or answer["id"] not in pending:
                    raise RuntimeError(f"unexpected answer: {line[:300]!r}")
                pending.remove(answer["id"])
            done += len(lines)
            more = min(len(lines), count - sent)
            if more:
                process.stdin.write(requests(more))
                sent += more

    async def main() -> list[h.Result]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "infobip_connector",
            "serve",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=_env(spec),
        )
        assert process.stdin is not None
        await batch(process, spec["warmup"])
        runs = []
        for _ in range(spec["reps"]):
            wall0, cpu0 = time.perf_counter(), time.process_time()
            await batch(process, spec["n"])
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            runs.append({"wall": wall, "cpu": cpu, "n": spec["n"]})
        process.stdin.close()
        await process.wait()
        return runs

    # The client runs on the same kind of loop as the host, as the in-process floor does.
    with asyncio.Runner(loop_factory=h.loop_factory(spec.get("loop", "asyncio"))) as runner:
        runs = runner.run(main())
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
