"""``infobip-connector demo``: the workflow people build, against the embedded sandbox.

1. ``announce`` sends an SMS bulk (two messages, three recipients, one of them scheduled in
   a named time zone inside a delivery window);
2. ``preview`` previews the text of an SMS fallback, as written and transliterated;
3. ``reports`` fetches the bulk's delivery reports (the bulk ID taken from step 1);
4. ``follow_up`` sends a WhatsApp template message to every recipient reported delivered,
   with the transliterated preview of step 2 as its SMS failover;
5. ``reply``: the first of them answers by SMS, and the ``newInboundSms`` trigger turns the
   message into the event that starts the next workflow (polled here; a webhook call carries
   the same event).

Values reference earlier outputs as ``{{step.path}}``, and a list can be built per item of
an earlier output (``forEach``), the way an engine chains and loops over steps.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from ..component import Component
from . import jsonout

if TYPE_CHECKING:
    from ..sandbox import Sandbox

_REFERENCE = re.compile(r"\{\{\s*([A-Za-z]\w*)\.([\w.\[\]]+)\s*\}\}")


def _next_weekday_morning(zone: str) -> str:
    """09:30 on the next Monday to Friday at least a day ahead, in ``zone``: always valid."""
    day = datetime.now(ZoneInfo(zone)) + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=9, minute=30, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")


def workflow() -> list[tuple[str, str, dict[str, Any]]]:
    """The steps: (step name, action, input values with ``{{step.path}}`` references)."""
    return [
        (
            "announce",
            "sendSms",
            {
                "messages": [
                    {
                        "from": "InfoSMS",
                        "destinations": [{"to": "+41 79 302 67 27"}, {"to": "0041 79 302 67 28"}],
                        "text": "Your order #1042 has shipped. Track it at https://example.com/t/1042",
                    },
                    {
                        "from": "InfoSMS",
                        "destinations": [{"to": "+385 91 123 4567", "messageId": "reminder-1042"}],
                        "text": "Reminder: your parcel arrives tomorrow between 9:00 and 12:00.",
                        "sendAt": {
                            "dateTime": _next_weekday_morning("Europe/Zagreb"),
                            "zoneId": "Europe/Zagreb",
                        },
                        "deliveryTimeWindow": {
                            "days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
                            "from": {"hour": 7, "minute": 0},
                            "to": {"hour": 17, "minute": 0},
                        },
                    },
                ],
                "includeSmsCountInResponse": True,
            },
        ),
        (
            "preview",
            "previewSms",
            {
                "text": "Pošiljka #1042 je dostavljena. Hvala što kupujete kod nas!",
                "transliteration": "CENTRAL_EUROPEAN",
            },
        ),
        ("reports", "getSmsDeliveryReports", {"bulkId": "{{announce.bulkId}}"}),
        (
            "follow_up",
            "sendWhatsappTemplateMessage",
            {
                "messages": {
                    "forEach": "reports.results",
                    "where": {"status.groupName": "DELIVERED"},
                    "item": {
                        "from": "+44 7860 099299",
                        "to": "{{item.to}}",
                        "content": {
                            "templateName": "order_update",
                            "language": "en",
                            "templateData": {
                                "body": {"placeholders": ["#1042", "shipped", "tomorrow"]},
                                "header": {"type": "TEXT", "placeholder": "#1042"},
                                "buttons": [
                                    {"type": "URL", "parameter": "1042"},
                                    {"type": "QUICK_REPLY", "parameter": "support-1042"},
                                ],
                            },
                        },
                        "callbackData": "order-1042 sms={{item.messageId}}",
                        "smsFailover": {
                            "from": "InfoSMS",
                            "text": "{{preview.previews[1].textPreview}}",
                        },
                    },
                },
            },
        ),
    ]


def resolve(value: Any, outputs: dict[str, Any]) -> Any:
    """Replace ``{{step.path}}`` references with values from earlier steps' outputs.

    ``{"forEach": "step.path", "where": {path: value}, "item": template}`` becomes one
    ``template`` per item of that list whose ``where`` paths have those values, resolved with
    the item as the step ``item``.
    """
    if isinstance(value, dict) and "forEach" in value:
        step, _, path = value["forEach"].partition(".")
        where = value.get("where", {})
        return [
            resolve(value["item"], {**outputs, "item": item})
            for item in _lookup(outputs[step], path)
            if all(_lookup(item, key) == wanted for key, wanted in where.items())
        ]
    if isinstance(value, dict):
        return {k: resolve(v, outputs) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, outputs) for v in value]
    if isinstance(value, str):
        return _REFERENCE.sub(lambda m: str(_lookup(outputs[m.group(1)], m.group(2))), value)
    return value


def _lookup(data: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+", path):
        data = data[int(part)] if part.isdigit() else data[part]
    return data


def readable(data: Any, indent: str = "") -> str:
    """JSON with short objects and lists kept on one line, so a step fits on a screen."""
    flat = json.dumps(data, ensure_ascii=False)
    if len(flat) + len(indent) <= 88 or not isinstance(data, dict | list) or not data:
        return flat
    inner = indent + "  "
    if isinstance(data, dict):
        items = [f"{inner}{json.dumps(k)}: {readable(v, inner)}" for k, v in data.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    return "[\n" + ",\n".join(inner + readable(v, inner) for v in data) + "\n" + indent + "]"


#: What the first recipient answers, and the account's number it goes to (the WhatsApp
#: sender of step 4, which also takes SMS).
REPLY_TEXT = "YES, tomorrow morning suits me"
REPLY_TO = "447860099299"
REPLY_TRIGGER = "newInboundSms"


def _reply(
    component: Component, sandbox: Sandbox, connection: dict[str, Any], outputs: dict[str, Any]
) -> dict[str, Any]:
    """A recipient of step 4 replies by SMS; the trigger's event for it (one poll)."""
    sender = outputs["follow_up"]["messages"][0]["to"]
    message_id = sandbox.receive_sms(sender, REPLY_TO, REPLY_TEXT)
    events, _ = component.poll(REPLY_TRIGGER, connection, None, transport=sandbox.transport())
    event: dict[str, Any] = next(e for e in events if e["messageId"] == message_id)
    return event


def run_demo(
    *, as_json: bool = False, compact: bool = False, out: TextIO | None = None
) -> dict[str, Any]:
    from ..sandbox import Sandbox

    stream = out or sys.stdout
    component = Component()
    sandbox = Sandbox()
    transport = sandbox.transport()
    connection = {"token": "demo-key-" + secrets.token_hex(8)}
    outputs: dict[str, Any] = {}
    if not as_json:
        stream.write(
            "Demo: a five-step workflow against the embedded Infobip sandbox "
            "(nothing is sent to Infobip; no account needed).\n"
        )
    for number, (step, action, template) in enumerate(workflow(), start=1):
        values = resolve(template, outputs)
        outputs[step] = component.execute(action, values, connection, transport=transport)
        if not as_json:
            title = component.definition.action(action).title
            stream.write(f"\n== Step {number}: {step} — {title} ({action})\n")
            stream.write("-- input, as the engine resolved it:\n")
            stream.write(readable(values) + "\n")
            stream.write("-- output, for the next step:\n")
            stream.write(readable(outputs[step]) + "\n")
    outputs["reply"] = _reply(component, sandbox, connection, outputs)
    if as_json:
        text = json.dumps(outputs, indent=None if compact else 2, ensure_ascii=False)
        stream.write(jsonout.escaped_break_text(text) + "\n")
    else:
        title = component.definition.trigger(REPLY_TRIGGER).title
        stream.write(
            f"\n== Step 5: reply — {title} ({REPLY_TRIGGER})\n"
            f"-- {outputs['reply']['from']} answers by SMS to {REPLY_TO}; the event that starts "
            "the next workflow:\n"
        )
        stream.write(readable(outputs["reply"]) + "\n")
        stream.write(
            "\nStep 3 asked for the reports of step 1's bulk; step 4 sent the template to each "
            "recipient reported delivered, with step 2's transliterated text as SMS failover; "
            "step 5 is the trigger's event for the reply (`infobip-connector listen` or `poll` "
            "print such events as JSON lines). "
            "Run `infobip-connector run ACTION --input FILE` with INFOBIP_API_KEY and "
            "INFOBIP_BASE_URL (your personal base URL) set to send for real.\n"
        )
    return outputs
