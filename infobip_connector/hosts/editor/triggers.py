"""The editor's triggers: what each one emits (schema and sample), and a simulated event.

Simulating goes through the editor's embedded sandbox, the same one its runs send to: a
person replies by SMS (``Sandbox.receive_sms``) and the ``newInboundSms`` trigger polls it, so
the page shows the event exactly as the trigger emits it (a webhook call carries the same
event). Triggers whose events the sandbox only posts to a webhook (the WhatsApp ones) show
their schema and sample; they are not simulated here.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from infobip_connector import component

from .api import SANDBOX_CONNECTION, RequestError

if TYPE_CHECKING:
    from infobip_connector.sandbox import Sandbox

#: What a simulated reply may hold, with its default: the values ``Sandbox.receive_sms`` takes.
REPLY_FIELDS = {"from": "41793026727", "to": "447860099299", "text": "YES"}
#: The triggers a person's action can be simulated for, and what that action is called.
SIMULATED = {"newInboundSms": "a person replies by SMS"}
_MAX_FIELD = 4096


def _trigger(name: Any) -> str:
    if not isinstance(name, str) or name not in component.trigger_names:
        known = ", ".join(component.trigger_names)
        raise RequestError(f"unknown trigger {name!r}; this component has: {known}")
    return name


def trigger_info(name: Any) -> dict[str, Any]:
    """``{name, title, description, types, eventSchema, sample, simulate}`` of a trigger.

    ``simulate`` is ``{"label", "fields"}`` (the values a simulation takes, with defaults) or
    None. Raises RequestError for a name that is not a trigger.
    """
    trigger = component.definition.trigger(_trigger(name))
    label = SIMULATED.get(trigger.name)
    return {
        "name": trigger.name,
        "title": trigger.title,
        "description": trigger.description,
        "types": list(trigger.types),
        "eventSchema": component.event_schema(trigger.name),
        "sample": trigger.output.sample,
        "simulate": {"label": label, "fields": dict(REPLY_FIELDS)} if label else None,
    }


class Simulator:
    """Simulated events from one sandbox, each trigger polled with a state of its own."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._states: dict[str, Any] = {}
        self._lock = threading.Lock()

    def simulate(self, name: Any, values: Any) -> dict[str, Any]:
        """``{"events": [...], "refused": [...]}``: the events the trigger emits after the
        simulated action, and the items the poll took that the trigger refused (each
        ``{"path", "errors", "item"}``, as ``PollResult.refused``): taken from Infobip's
        queue, they are shown rather than lost from view.

        Raises RequestError for a trigger that is not simulated or values that are not an
        object of texts; the sandbox's own checks come back as the typed error.
        """
        trigger = _trigger(name)
        if trigger not in SIMULATED:
            simulated = ", ".join(SIMULATED)
            raise RequestError(f"{trigger} is not simulated here; these are: {simulated}")
        reply = _reply_values(values)
        with self._lock:
            self._sandbox.receive_sms(reply["from"], reply["to"], reply["text"])
            polled = component.poll(
                trigger,
                dict(SANDBOX_CONNECTION),
                self._states.get(trigger),
                transport=self._sandbox.transport(),
            )
            self._states[trigger] = polled.state
        return {"events": polled.events, "refused": polled.refused}


def _reply_values(values: Any) -> dict[str, str]:
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise RequestError("'values' must be an object")
    unknown = [key for key in values if key not in REPLY_FIELDS]
    if unknown:
        raise RequestError(f"'values' has no member {str(unknown[0])[:60]!r}")
    reply = {**REPLY_FIELDS, **values}
    for key, value in reply.items():
        if not isinstance(value, str) or len(value) > _MAX_FIELD:
            raise RequestError(f"'values.{key}' must be text of at most {_MAX_FIELD} characters")
        if key != "text" and not value.strip():
            raise RequestError(f"'values.{key}' must not be blank")
    return reply
