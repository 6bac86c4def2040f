"""Peer: the community ``infobip-api-python-sdk`` 5.x (pydantic 1, requests).

Used the way its documentation shows: a channel built from auth params, one call
per message. Its HTTP layer calls ``requests.post`` without a session, so every
send opens a new connection; that is the library's behaviour, not a setup choice.
"""

from __future__ import annotations

from typing import Any

import _harness as h
import _payloads as p
from infobip_channels.sms.channel import SMSChannel
from infobip_channels.whatsapp.channel import WhatsAppChannel

DISTRIBUTIONS = ("infobip-api-python-sdk", "pydantic", "requests", "urllib3")


def _auth(spec: h.Spec) -> dict[str, str]:
    return {"base_url": f"http://127.0.0.1:{spec['port']}", "api_key": p.TOKEN}


def _checked(response: Any) -> Any:
    # On an unexpected answer the SDK returns the raw requests.Response instead of a model.
    if getattr(response, "status_code", None) != 200 or not hasattr(response, "raw_response"):
        raise RuntimeError(f"unexpected answer: {response!r}")
    return response


def seq_sms(spec: h.Spec) -> h.Result:
    channel = SMSChannel.from_auth_params(_auth(spec))
    message = {
        "messages": [{"destinations": [{"to": p.SMS_TO}], "from": p.SMS_SENDER, "text": p.TEXT}]
    }

    def send() -> object:
        return _checked(channel.send_sms_message(message))

    return {"reps": h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"])}


def seq_whatsapp(spec: h.Spec) -> h.Result:
    channel = WhatsAppChannel.from_auth_params(_auth(spec))
    message = {"from": p.WA_FROM, "to": p.WA_TO, "content": {"text": p.TEXT}}

    def send() -> object:
        return _checked(channel.send_text_message(message))

    return {"reps": h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"])}


if __name__ == "__main__":
    h.main({"seq_sms": seq_sms, "seq_whatsapp": seq_whatsapp}, DISTRIBUTIONS)
