"""``InfobipOperator`` runs any action; ``InfobipSendSmsOperator`` and its siblings, one per
action of ``connector.yaml``, are generated from the definition.

``inputs`` is templated (Jinja, with XCom through ``ti.xcom_pull`` or an upstream task's
``.output``), and the action's output is the task's return value, pushed to XCom.

Retries (Airflow's ``retries=``): a send passes the task's idempotency key (DAG ID, task
ID, map index and run ID), so every try of one task instance sends the same bulk and
message IDs. Whether a retry is safe therefore depends on Infobip: with idempotent sending
enabled for the account and ``idempotentSending`` on in the connection, Infobip refuses a
repeated ID as a duplicate and a retry cannot send twice; without it, a try whose outcome is
unknown fails the task at once, without retries, with the IDs to reconcile. Errors that
a retry cannot fix (input, configuration, rejected) fail at once too; see ``failures``.

A try after the first (``try_number`` 2 or more) tells the connector it repeats an earlier
one: with ``idempotentSending`` on, a message whose derived ID Infobip rejects as a
duplicate (``REJECTED_DUPLICATE_MESSAGE_ID``) was sent by that earlier try, since the ID
names this very message, and it is reported accepted, listed in
``confirmedByDuplicateRejection``; the task succeeds. With it off, the log says that such a
rejection is reported as it comes.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseOperator

from ... import component
from ...errors import ConnectorError
from .failures import end_try
from .hook import InfobipHook
from .idempotency import repeats_earlier_try, task_key

if TYPE_CHECKING:
    from airflow.sdk import Context

    from ...component import Component

#: Infobip's orange, so the tasks stand out in the graph view.
UI_COLOR = "#ff6b00"
UI_FGCOLOR = "#ffffff"


class InfobipOperator(BaseOperator):
    """Run one Infobip action and push its output to XCom.

    :param action: the action's name in ``connector.yaml`` (``sendSms``, ``getSmsLogs``,
        ...); fixed by the generated per-action operators.
    :param inputs: the action's input values, as ``infobip-connector run`` takes them
        (templated: strings are rendered with Jinja, XComArgs resolved).
    :param infobip_conn_id: the Airflow connection (type ``infobip``).

    A bad input or connection fails the task without retries (nothing was sent); see the
    module's documentation for when Airflow's retries are safe for a send.
    """

    template_fields: Sequence[str] = ("inputs",)
    template_fields_renderers: ClassVar[dict[str, str]] = {"inputs": "json"}
    ui_color = UI_COLOR
    ui_fgcolor = UI_FGCOLOR
    #: The action a generated subclass runs; ``None`` on the generic operator.
    fixed_action: ClassVar[str | None] = None

    def __init__(
        self,
        *,
        action: str | None = None,
        inputs: Any = None,
        infobip_conn_id: str = InfobipHook.default_conn_name,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        fixed = type(self).fixed_action
        if fixed is not None and action not in (None, fixed):
            raise ValueError(f"{type(self).__name__} runs {fixed!r}; leave action out")
        chosen = fixed or action
        if chosen is None:
            raise ValueError("action is required: the name of an action in connector.yaml")
        # An unknown name fails when the DAG is parsed (an InputError listing the actions).
        self.kind: str = component.definition.action(chosen).kind
        self.action = chosen
        self.inputs = {} if inputs is None else inputs
        self.infobip_conn_id = infobip_conn_id

    def execute(self, context: Context) -> dict[str, Any]:
        hook = InfobipHook(self.infobip_conn_id)
        ti = context["ti"]
        key = task_key(ti) if self.kind == "send" else None
        idempotent = False
        try:
            # Read once: a bad connection fails here, before anything is sent, and the
            # handler below decides from what was read instead of reading it again.
            settings = hook.get_conn()
            idempotent = settings.idempotent_sending
            repeated = key is not None and repeats_earlier_try(ti)
            if repeated and not idempotent:
                self.log.warning(
                    "Try %s of this send repeats an earlier try, but idempotentSending is off "
                    "in connection %r: a message Infobip rejects as a duplicate "
                    "(REJECTED_DUPLICATE_MESSAGE_ID) is reported rejected, not confirmed as "
                    "sent by the earlier try. Turn idempotentSending on once Infobip has "
                    "enabled idempotent sending for the account.",
                    getattr(ti, "try_number", "?"),
                    self.infobip_conn_id,
                )
            return hook.execute(
                self.action, self.inputs, idempotency_key=key, repeated=repeated, settings=settings
            )
        except ConnectorError as error:
            end_try(error, kind=self.kind, idempotent_sending=idempotent, log=self.log)


def _class_name(action: str) -> str:
    return f"Infobip{action[:1].upper()}{action[1:]}Operator"


def generated_operators(of: Component = component) -> dict[str, type[InfobipOperator]]:
    """A new operator class per action of ``of`` (class name → class), in the definition's
    order; the module's own, for the installed definition, are :func:`operator_classes`."""
    made: dict[str, type[InfobipOperator]] = {}
    for action in of.definition.actions:
        name = _class_name(action.name)
        doc = (
            f"{action.title} (``{action.name}``, {action.kind}): {action.description}\n\n"
            f":param inputs: the input of ``{action.name}`` (templated), as in "
            "docs/reference.md.\n:param infobip_conn_id: the Airflow connection (type "
            "``infobip``).\n\nGenerated from connector.yaml; see ``InfobipOperator``."
        )
        namespace = {
            "fixed_action": action.name,
            "__doc__": doc,
            "__module__": __name__,
            "__qualname__": name,
        }
        # new_class runs BaseOperator's metaclass, as a class statement would.
        made[name] = types.new_class(name, (InfobipOperator,), {}, _filler(namespace))
    return made


def _filler(namespace: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def fill(body: dict[str, Any]) -> None:
        body.update(namespace)

    return fill


_OPERATORS: dict[str, type[InfobipOperator]] | None = None


def operator_classes() -> dict[str, type[InfobipOperator]]:
    """Class name → the generated operator of each action, in the definition's order."""
    global _OPERATORS
    if _OPERATORS is None:
        _OPERATORS = generated_operators()
        globals().update(_OPERATORS)
    return dict(_OPERATORS)


def __getattr__(name: str) -> type[InfobipOperator]:
    # The per-action operators exist once the definition is read: ``from ...operators
    # import InfobipSendSmsOperator`` works for any action connector.yaml declares.
    found = operator_classes().get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return found


def __dir__() -> list[str]:
    return sorted([*globals(), *operator_classes()])
