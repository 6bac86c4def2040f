"""Request inputs, pre-built request bodies and canned Infobip responses.

Standard library only: this module is imported by the loopback server and by
every worker, including the ones running in the peers' virtual environments.
"""

from __future__ import annotations

import json
from typing import Any

SMS_PATH = "/sms/2/text/advanced"
SMS3_PATH = "/sms/3/messages"
WHATSAPP_PATH = "/whatsapp/1/message/text"
BALANCE_PATH = "/account/1/balance"

TOKEN = "bench-key-0123456789"
TEXT = "Hello from the benchmark"
SMS_SENDER = "InfoSMS"
SMS_TO = "41793026727"
WA_FROM = "441134960000"
WA_TO = "441134960001"
# Fixed identifiers, given to our connector and posted by the raw parties, so every party
# posts a body of the same size and shape, and the canned answers list the IDs sent.
BULK_ID = "6c8a3e6e-4d1f-4f77-9a55-3b5b8e0f6a10"
MESSAGE_ID = "0f7c9d6e-2b7a-4f0e-8c1d-5a9e3b2c1d40"

# A request body at least this large is a bulk send and gets the bulk answer.
BULK_THRESHOLD_BYTES = 4 * 1024

PENDING_ACCEPTED = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": "Message sent to next instance",
}
PENDING_ENROUTE = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 7,
    "name": "PENDING_ENROUTE",
    "description": "Message sent to next instance",
}


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


# --- inputs given to our connector -------------------------------------------------


# The IDs are given, as the canned answers list them: the connector checks that an answer
# accounts for every messageId it sent, and the server answers from pre-built bytes.
def sms_inputs() -> dict[str, Any]:
    destination = {"to": SMS_TO, "messageId": MESSAGE_ID}
    return {
        "bulkId": BULK_ID,
        "messages": [{"destinations": [destination], "from": SMS_SENDER, "text": TEXT}],
    }


def whatsapp_inputs() -> dict[str, Any]:
    return {"from": WA_FROM, "to": WA_TO, "messageId": MESSAGE_ID, "content": {"text": TEXT}}


def bulk_number(i: int) -> str:
    return f"4179{i:07d}"


def bulk_message_id(i: int) -> str:
    return f"bench-{i:07d}"


def bulk_inputs(size: int) -> dict[str, Any]:
    # Message IDs are given so the canned answer lists exactly the IDs sent.
    destinations = [{"to": bulk_number(i), "messageId": bulk_message_id(i)} for i in range(size)]
    return {
        "bulkId": BULK_ID,
        "messages": [{"destinations": destinations, "from": SMS_SENDER, "text": TEXT}],
    }


# --- bodies the raw httpx party posts (what our connector puts on the wire) ---------


def sms_body() -> bytes:
    return dumps(
        {
            "bulkId": BULK_ID,
            "messages": [
                {
                    "destinations": [{"to": SMS_TO, "messageId": MESSAGE_ID}],
                    "from": SMS_SENDER,
                    "text": TEXT,
                }
            ],
        }
    )


def whatsapp_body() -> bytes:
    return dumps({"from": WA_FROM, "to": WA_TO, "messageId": MESSAGE_ID, "content": {"text": TEXT}})


def bulk_body(size: int) -> bytes:
    return dumps(bulk_inputs(size))


def headers() -> dict[str, str]:
    return {
        "Authorization": f"App {TOKEN}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }


# --- canned answers -----------------------------------------------------------------


def sms_response() -> bytes:
    return dumps(
        {
            "bulkId": BULK_ID,
            "messages": [{"messageId": MESSAGE_ID, "status": PENDING_ACCEPTED, "to": SMS_TO}],
        }
    )


def sms3_response() -> bytes:
    return dumps(
        {
            "bulkId": BULK_ID,
            "messages": [
                {
                    "messageId": MESSAGE_ID,
                    "status": PENDING_ACCEPTED,
                    "destination": SMS_TO,
                    "details": {"messageCount": 1},
                }
            ],
        }
    )


def whatsapp_response() -> bytes:
    return dumps(
        {"to": WA_TO, "messageCount": 1, "messageId": MESSAGE_ID, "status": PENDING_ENROUTE}
    )


def balance_response() -> bytes:
    return dumps({"balance": 47.79, "currency": "EUR"})


def bulk_response(size: int) -> bytes:
    return dumps(
        {
            "bulkId": BULK_ID,
            "messages": [
                {"messageId": bulk_message_id(i), "status": PENDING_ACCEPTED, "to": bulk_number(i)}
                for i in range(size)
            ],
        }
    )
