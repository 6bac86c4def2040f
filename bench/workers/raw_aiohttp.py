"""Floor of the async path: bare aiohttp posting the pre-built body, as the connector's
pooled async client does under the hood (figure 3 only).
"""

from __future__ import annotations

import json

import _harness as h
import _payloads as p
import aiohttp

DISTRIBUTIONS = ("aiohttp", "yarl", "multidict", "uvloop")


def concurrent(spec: h.Spec) -> h.Result:
    in_flight = spec["in_flight"]
    url = f"http://127.0.0.1:{spec['port']}{p.SMS_PATH}"
    body, headers = p.sms_body(), p.headers()
    holder: dict[str, aiohttp.ClientSession] = {}

    async def send() -> object:
        # Made inside the benchmark's event loop, on first use.
        session = holder.get("session")
        if session is None:
            session = holder["session"] = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=in_flight),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        async with session.post(url, data=body, headers=headers, allow_redirects=False) as answer:
            answer.raise_for_status()
            return json.loads(await answer.read())

    async def close() -> None:
        await holder["session"].close()

    loop = spec.get("loop", "asyncio")
    runs = h.concurrent_loop(send, spec["n"], spec["reps"], spec["warmup"], in_flight, close, loop)
    return {"reps": runs}


if __name__ == "__main__":
    h.main({"concurrent": concurrent}, DISTRIBUTIONS)
