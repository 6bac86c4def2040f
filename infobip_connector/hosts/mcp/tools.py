"""Which actions the MCP server offers as tools, and how each tool is described.

Plain data only (no MCP SDK here), so the choice of tools and their schemas are tested
without the ``mcp`` extra. A tool is one action: its name, title and description come from
``connector.yaml``, its schemas are the derived ones (``schemas/*.json``; the output's with
room for values kept as Infobip gave them, ``structured.py``), and its hints follow the
action's ``kind``:

========  ============  ===============  ==============
kind      readOnlyHint  destructiveHint  idempotentHint
========  ============  ===============  ==============
read      true          false            true
send      false         true             false
consume   false         true             false
remove    false         true             true
========  ============  ===============  ==============

A send is paid and reaches people, so repeating it sends again. A consume action (a pull
of delivery reports or inbound SMS) sends nothing, but Infobip hands each item out once:
the call takes the items out of the queue (a change no second call undoes, hence
destructive), and a repeat returns other items or none (not idempotent). So it is not
read-only either, and ``--read-only`` leaves it out with the sends.

Every send tool also takes an optional ``idempotency_key`` (the component's execution key):
the same key gives a call made again the same bulkId and messageIds, so an agent that
retries after ``outcome_unknown`` with the key that error carries does not mint new IDs.
Its optional ``repeated`` (``execute(repeated=...)``) says such a retry repeats that call,
so a message Infobip refuses as a duplicate is reported accepted.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import UsageError
from .structured import as_given_schema

if TYPE_CHECKING:
    from ...component import Component

#: The argument ``--confirm-sends`` adds to every send tool.
CONFIRM = "confirm"
#: The optional argument of every send tool, handed to ``execute(idempotency_key=...)``.
IDEMPOTENCY_KEY = "idempotency_key"
_KEY_DESCRIPTION = (
    "Optional key of this send (1 to 256 printable characters). The same key with the same "
    "arguments gives the same bulkId and messageIds. After an outcome_unknown error, retry "
    "only with the key that error carries (error.details.idempotency_key): the IDs stay the "
    "same, so they can be checked, and an account with Infobip's idempotent sending refuses "
    "a message it already accepted instead of sending it twice; pass repeated: true with it. "
    "Without it the server picks a new key for each call."
)
_KEY_NOTE = (
    " Send tools take an optional idempotency_key and repeated: after an outcome_unknown "
    "error, retry with the key in error.details.idempotency_key and repeated: true, never "
    "without the key."
)
#: The optional argument of every send tool, handed to ``execute(repeated=...)``.
REPEATED = "repeated"
_REPEATED_DESCRIPTION = (
    "Optional, only with idempotency_key: true when this call repeats an earlier one with "
    "the same idempotency_key and arguments whose outcome is unknown (it ended in an "
    "outcome_unknown error). A message Infobip then refuses as a duplicate was sent by that "
    "call and is reported accepted (listed in confirmedByDuplicateRejection; needs "
    "idempotentSending on in the connection). Leave it out on a first call."
)

_HINTS: dict[str, dict[str, bool]] = {
    "read": {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True},
    "send": {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": False},
    "consume": {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": False},
    # Deletes at Infobip; a repeat finds the item gone, so repeating is safe.
    "remove": {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": True},
}


@dataclass(frozen=True)
class ToolSpec:
    """One action as an MCP tool; the schemas are JSON Schema dicts (Draft 2020-12)."""

    name: str
    title: str
    description: str
    kind: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    #: MCP tool annotations by their wire names (``readOnlyHint``, ...), plus ``title``.
    annotations: dict[str, Any]
    #: Whether a call must carry ``confirm: true`` (a send under ``--confirm-sends``).
    needs_confirmation: bool = False
    #: Whether a call may carry ``idempotency_key`` (every send).
    takes_idempotency_key: bool = False


def pick_actions(component: Component, actions: str | None, *, read_only: bool) -> list[str]:
    """The action names to offer, in the definition's order.

    ``actions`` is ``--actions`` as given (comma-separated names, or None for all);
    ``read_only`` keeps only the actions of kind ``read``. Raises UsageError at
    ``--actions`` for an unknown or empty name (listing the names there are), and for a
    name that ``--read-only`` excludes.
    """
    names = component.action_names
    if actions is None:
        chosen = list(names)
    else:
        asked = [part.strip() for part in actions.split(",")]
        unknown = [a for a in asked if a not in names]
        if unknown:
            shown = ", ".join(repr(a) for a in unknown)
            raise UsageError(
                [{"path": "--actions", "message": f"unknown {shown}; one of: {', '.join(names)}"}]
            )
        chosen = [n for n in names if n in asked]
    if not read_only:
        return chosen
    kinds = {a.name: a.kind for a in component.definition.actions}
    if actions is not None:
        sending = [n for n in chosen if kinds[n] != "read"]
        if sending:
            named = ", ".join(f"{n} ({kinds[n]})" for n in sending)
            message = (
                f"--read-only offers only actions that change nothing, and {named} would; "
                "drop them or --read-only"
            )
            raise UsageError([{"path": "--actions", "message": message}])
    return [n for n in chosen if kinds[n] == "read"]


def build_tools(
    component: Component, names: Sequence[str], *, confirm_sends: bool
) -> dict[str, ToolSpec]:
    """The tools of ``names`` by name; with ``confirm_sends`` each send needs ``confirm``.

    The schemas are copies, so a tool's schema can gain ``confirm``, ``idempotency_key`` and
    ``repeated`` without touching the component's. Raises ValueError if an action already
    has an input of one of these names (the definition would then clash with the tool's argument).
    """
    tools: dict[str, ToolSpec] = {}
    for name in names:
        action = component.definition.action(name)
        input_schema = copy.deepcopy(component.input_schema(name))
        sends = action.kind == "send"
        confirm = confirm_sends and sends
        if confirm:
            _add_argument(name, input_schema, CONFIRM, _CONFIRM_SCHEMA, required=True)
        if sends:
            _add_argument(name, input_schema, IDEMPOTENCY_KEY, _KEY_SCHEMA, required=False)
            _add_argument(name, input_schema, REPEATED, _REPEATED_SCHEMA, required=False)
        tools[name] = ToolSpec(
            name=name,
            title=action.title,
            description=_sentence(action.description) + (_KEY_NOTE if sends else ""),
            kind=action.kind,
            input_schema=input_schema,
            output_schema=as_given_schema(copy.deepcopy(component.output_schema(name))),
            annotations={"title": action.title, **_HINTS[action.kind], "openWorldHint": True},
            needs_confirmation=confirm,
            takes_idempotency_key=sends,
        )
    return tools


_CONFIRM_SCHEMA = {
    "description": "true once the user has agreed to this send; without it nothing is sent.",
    "type": "boolean",
    "const": True,
}
_REPEATED_SCHEMA = {"description": _REPEATED_DESCRIPTION, "type": "boolean"}
_KEY_SCHEMA = {"description": _KEY_DESCRIPTION, "type": "string", "minLength": 1, "maxLength": 256}


def _sentence(text: str) -> str:
    """``text`` ending as a sentence does, so a note appended reads as the next one."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?:" else text + "."


def _add_argument(
    name: str, schema: dict[str, Any], argument: str, shape: dict[str, Any], *, required: bool
) -> None:
    properties = schema.setdefault("properties", {})
    if argument in properties:
        raise ValueError(f"{name} has an input named {argument!r}; the tool cannot add it")
    properties[argument] = dict(shape)
    if required:
        schema["required"] = [*schema.get("required", []), argument]
