"""Peer: Infobip's official generated ``infobip-api-python-client`` 6.x (SMS only).

Sends through ``SmsApi.send_sms_messages`` to ``/sms/3/messages`` with one
``ApiClient`` (and so one urllib3 connection pool) reused across sends.
"""

from __future__ import annotations

import _harness as h
import _payloads as p
from infobip_api_client import ApiClient, Configuration, SmsApi
from infobip_api_client.models import (
    SmsDestination,
    SmsMessage,
    SmsMessageContent,
    SmsRequest,
    SmsTextContent,
)

DISTRIBUTIONS = ("infobip-api-python-client", "pydantic", "urllib3")


def seq_sms(spec: h.Spec) -> h.Result:
    configuration = Configuration(host=f"http://127.0.0.1:{spec['port']}", api_key=p.TOKEN)
    api = SmsApi(ApiClient(configuration))

    def send() -> object:
        # Built per send, as a caller turning workflow data into a request would.
        request = SmsRequest(
            messages=[
                SmsMessage(
                    sender=p.SMS_SENDER,
                    destinations=[SmsDestination(to=p.SMS_TO)],
                    content=SmsMessageContent(SmsTextContent(text=p.TEXT)),
                )
            ]
        )
        response = api.send_sms_messages(request)
        if not response.messages:
            raise RuntimeError("empty answer")
        return response

    return {"reps": h.timed_loop(send, spec["n"], spec["reps"], spec["warmup"])}


if __name__ == "__main__":
    h.main({"seq_sms": seq_sms}, DISTRIBUTIONS)
