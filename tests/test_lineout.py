"""The hosts' shared stdout (``hosts/lineout.py``), on a real pipe, on each event loop.

Lines far larger than the pipe (64 KiB on Linux) wait on the loop, whole and in order;
past the byte bound the output is congested until the client reads; a closed read end
(EPIPE) is never raised, each line lost is handed back with why; the end's drain is
bounded. Every wait is itself bounded, so a test fails rather than hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from infobip_connector.hosts.lineout import (
    BlockingOutput,
    PipeOutput,
    not_read,
    output_on,
    write_all,
)

LOOPS = ["asyncio"] + (["uvloop"] if importlib.util.find_spec("uvloop") else [])
BIG = 1_000_000  # bytes: far more than a pipe holds


@pytest.fixture(params=LOOPS)
def run(request: pytest.FixtureRequest) -> Iterator[Callable[[Awaitable[Any]], Any]]:
    """Runs a coroutine to its end on the parametrised event loop."""
    loop: asyncio.AbstractEventLoop
    if request.param == "uvloop":
        import uvloop

        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()
    try:
        yield lambda main: loop.run_until_complete(asyncio.wait_for(main, 30))
    finally:
        loop.close()


@pytest.fixture
def pipe() -> Iterator[tuple[int, int, Told]]:
    """(read end, non-blocking write end, a fresh :class:`Told`); whichever end the test
    did not close is closed."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    ends = [read_end, write_end]
    yield read_end, write_end, Told()
    for fd in ends:
        with contextlib.suppress(OSError):  # closed by the test
            os.close(fd)


class Told:
    """What an output told its host: lost lines (why, tags), written tags, rooms."""

    def __init__(self) -> None:
        self.lost: list[tuple[str, list[str]]] = []
        self.written: list[str] = []
        self.rooms = 0

    def attach(self, output: Any) -> Any:
        output.attach(self._lost, self._room, self.written.extend)
        return output

    def pipe(self, fd: int, high_water: int | None = None) -> PipeOutput[str]:
        """A :class:`PipeOutput` on ``fd`` and the running loop, telling this."""
        output: PipeOutput[str] = self.attach(
            PipeOutput(fd, asyncio.get_running_loop(), high_water)
        )
        return output

    def _lost(self, why: str, tags: list[str]) -> None:
        self.lost.append((why, tags))

    def _room(self) -> None:
        self.rooms += 1


def line(tag: str, size: int) -> bytes:
    return tag.encode() + b"x" * size + b"\n"


async def read_all(fd: int, count: int) -> bytes:
    """What the client reads until ``count`` newlines arrived, read off the loop."""

    def read() -> bytes:
        data = b""
        while data.count(b"\n") < count:
            chunk = os.read(fd, 1 << 16)
            assert chunk, "the output ended early"
            data += chunk
        return data

    return await asyncio.get_running_loop().run_in_executor(None, read)


def test_lines_larger_than_the_pipe_go_out_whole_and_in_order(
    run: Callable[[Awaitable[Any]], Any], pipe: tuple[int, int, Told]
) -> None:
    read_end, write_end, told = pipe
    lines = [line("a", BIG), line("b", 10), line("c", BIG)]

    async def main() -> None:
        output = told.pipe(write_end)
        marks = [output.write(data, [data[:1].decode()]) for data in lines]
        await asyncio.sleep(0.05)  # the loop runs on while nobody reads
        assert told.written == []  # not one of them is out whole yet
        assert not output.congested()  # 2 MB is under the bound
        waiting = asyncio.ensure_future(output.until_written(marks[1]))
        await asyncio.sleep(0.01)
        assert not waiting.done()
        wire = await read_all(read_end, 3)
        assert await waiting
        assert wire == b"".join(lines)
        assert told.written == ["a", "b", "c"]
        assert await output.drained(1.0) == []
        assert told.lost == []

    run(main())


def test_past_the_bound_the_output_is_congested_until_the_client_reads(
    run: Callable[[Awaitable[Any]], Any], pipe: tuple[int, int, Told]
) -> None:
    read_end, write_end, told = pipe

    async def main() -> None:
        output = told.pipe(write_end, 300_000)
        for number in range(3):
            output.write(line(str(number), 200_000), [str(number)])
        assert output.congested()
        room = asyncio.ensure_future(output.wait_room())
        await asyncio.sleep(0.05)
        assert not room.done(), "room while nobody read"
        assert told.rooms == 0
        await read_all(read_end, 3)
        await room
        assert not output.congested()
        assert told.rooms == 1

    run(main())


def test_a_closed_read_end_is_never_raised_and_each_line_is_lost_once(
    run: Callable[[Awaitable[Any]], Any], pipe: tuple[int, int, Told]
) -> None:
    read_end, write_end, told = pipe
    os.close(read_end)

    async def main() -> None:
        output = told.pipe(write_end)
        mark = output.write(line("a", 10), ["a"])  # EPIPE at once: not raised
        output.write(line("b", 10), ["b"])  # after the failure: lost at once
        assert not await output.until_written(mark)
        assert output.broken is not None and "stdout cannot be written" in output.broken
        assert told.lost == [(output.broken, ["a"]), (output.broken, ["b"])]
        assert told.written == []
        assert await output.drained(1.0) == []  # nothing left queued to give up

    run(main())


def test_lines_queued_when_the_client_closes_are_lost_with_the_one_cut_mid_way(
    run: Callable[[Awaitable[Any]], Any], pipe: tuple[int, int, Told]
) -> None:
    read_end, write_end, told = pipe

    async def main() -> None:
        output = told.pipe(write_end, 300_000)
        marks = [output.write(line(tag, BIG), [tag]) for tag in "ab"]
        waiting = [asyncio.ensure_future(output.until_written(mark)) for mark in marks]
        room = asyncio.ensure_future(output.wait_room())
        await asyncio.sleep(0.02)
        os.close(read_end)  # gone without reading: the loop sees the write end fail
        assert await asyncio.gather(*waiting) == [False, False]
        await room  # a congestion ends with the failure too
        assert len(told.lost) == 1 and told.lost[0][1] == ["a", "b"]
        assert "stdout cannot be written" in told.lost[0][0]
        assert not output.congested()

    run(main())


def test_the_end_gives_up_on_a_client_that_neither_reads_nor_closes(
    run: Callable[[Awaitable[Any]], Any], pipe: tuple[int, int, Told]
) -> None:
    read_end, write_end, told = pipe

    async def main() -> None:
        output = told.pipe(write_end)
        output.write(line("a", 10), ["a"])  # the pipe takes it whole
        first = output.write(line("b", BIG), ["b"])
        output.write(line("c", 10), ["c"])
        waiting = asyncio.ensure_future(output.until_written(first))
        assert await output.drained(0.1) == ["b", "c"]
        assert not await waiting
        assert output.broken == not_read(0.1)
        output.write(line("d", 10), ["d"])  # nothing is written after the end
        assert told.lost == [(not_read(0.1), ["d"])]
        assert told.written == ["a"]

    run(main())
    os.set_blocking(read_end, False)
    wire = b""
    while chunk := _read_now(read_end):
        wire += chunk
    assert wire.startswith(line("a", 10)) and b"c" not in wire and b"d" not in wire


def _read_now(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return b""


def test_the_end_waits_for_a_client_that_reads(
    run: Callable[[Awaitable[Any]], Any], pipe: tuple[int, int, Told]
) -> None:
    read_end, write_end, told = pipe

    async def main() -> None:
        output = told.pipe(write_end)
        output.write(line("a", BIG), ["a"])
        reading = asyncio.ensure_future(read_all(read_end, 1))
        assert await output.drained(20.0) == []
        assert await reading == line("a", BIG)
        assert told.written == ["a"] and told.lost == []

    run(main())


def test_a_blocking_output_tells_a_failure_rather_than_raise() -> None:
    told = Told()
    wire: list[bytes] = []

    def write(data: bytes) -> None:
        if b"fail" in data:
            raise BrokenPipeError(32, "Broken pipe")
        wire.append(data)

    output = told.attach(BlockingOutput[str](write))
    output.write(b"one\n", ["one"])
    output.write(b"fail\n", ["two"])
    output.write(b"three\n", ["three"])  # never tried once stdout failed
    assert wire == [b"one\n"]
    assert told.written == ["one"]
    assert told.lost == [
        ("stdout cannot be written: Broken pipe", ["two"]),
        ("stdout cannot be written: Broken pipe", ["three"]),
    ]
    assert not asyncio.run(output.until_written(0))


def test_write_all_writes_every_byte_of_a_line_larger_than_the_pipe() -> None:
    read_end, write_end = os.pipe()
    data = line("a", BIG)
    try:
        received = bytearray()

        async def main() -> None:
            reading = asyncio.ensure_future(read_all(read_end, 1))
            await asyncio.get_running_loop().run_in_executor(None, write_all(write_end), data)
            received.extend(await reading)

        asyncio.run(main())
        assert bytes(received) == data
    finally:
        os.close(read_end)
        os.close(write_end)


def test_output_on_a_pipe_is_non_blocking_meanwhile_a_file_is_written_at_once() -> None:
    read_end, write_end = os.pipe()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        with output_on(write_end, loop) as output:
            assert isinstance(output, PipeOutput)
            assert not os.get_blocking(write_end)
        assert os.get_blocking(write_end)  # put back: the flag belongs to a shared file
        with tempfile.TemporaryFile() as file:
            with output_on(file.fileno(), loop) as output:
                assert isinstance(output, BlockingOutput)
                output.write(line("a", BIG), ["a"])
            file.seek(0)
            assert file.read() == line("a", BIG)

    try:
        asyncio.run(main())
    finally:
        os.close(read_end)
        os.close(write_end)
