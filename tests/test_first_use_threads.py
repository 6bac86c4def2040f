"""The first executions of a fresh process, started from several threads at once.

An engine's thread pool may run its first tasks together: the modules the connector imports
on first use must be complete before any thread uses them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import threading
    import httpx
    from infobip_connector import component

    CONNECTION = {"token": "t" * 24, "baseUrl": "https://xyz.api.infobip.com"}
    ANSWER = (
        b'{"bulkId":"b","messages":[{"messageId":"m1","to":"41793026727","status":'
        b'{"groupId":1,"groupName":"PENDING","id":26,"name":"P","description":"d"}}]}'
    )
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=ANSWER))
    values = {
        "bulkId": "b",
        "messages": [{"destinations": [{"to": "41793026727", "messageId": "m1"}], "text": "hi"}],
    }
    start = threading.Barrier(8)
    failures = []

    def first_sends():
        start.wait()
        try:
            for _ in range(20):
                component.execute("sendSms", values, CONNECTION, transport=transport)
        except BaseException as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=first_sends) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(failures[:3] if failures else "ok")
    """
)


def test_first_executions_from_several_threads_at_once_all_succeed() -> None:
    for _ in range(3):
        ran = subprocess.run(
            [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
        )
        assert ran.returncode == 0, ran.stderr[-2000:]
        assert ran.stdout.strip() == "ok", ran.stdout[-2000:]
