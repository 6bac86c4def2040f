"""``InfobipNotifier``: an SMS or WhatsApp message when a DAG or task succeeds or fails.

Used like Airflow's other notifiers, as a callback::

    DAG(..., on_failure_callback=InfobipNotifier(to="+41793026727",
                                                 text="{{ dag.dag_id }} failed"))

The text and recipients are templated with the callback's context. What is known when the
DAG is parsed (everything not templated) is checked then, by the rules the send applies
later, and an error names the notifier's parameter (``to[1]``, ``sender``, ``text``): a
callback's failure is only logged, so a notifier that could never send must not get that
far.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from airflow.sdk import BaseNotifier

from ... import component
from ...errors import ConnectorError, InputError
from .failures import name_ids
from .hook import InfobipHook
from .templating import is_templated

if TYPE_CHECKING:
    from airflow.sdk import Context

Channel = Literal["sms", "whatsapp"]


class InfobipNotifier(BaseNotifier):
    """Send ``text`` to ``to`` (one number or a list) by SMS or WhatsApp.

    :param to: recipient phone number(s), in any form Send SMS accepts (templated).
    :param text: the message (templated).
    :param channel: ``"sms"`` (one Send SMS bulk to every recipient) or ``"whatsapp"`` (a
        Send WhatsApp Text Message per recipient; WhatsApp delivers free-form text only
        within 24 hours of the recipient's last message to the sender, so use SMS for
        alerts to people who do not write to you).
    :param sender: the SMS sender ID, or the WhatsApp sender number (required for WhatsApp).
    :param infobip_conn_id: the Airflow connection (type ``infobip``).

    Bad values (a wrong number, no WhatsApp sender, an empty text) raise the connector's
    ``InputError`` naming the parameter (``to[1]``, ``sender``): values given as they are
    when the notifier is made (DAG parse time), templated ones when it sends. A bad
    ``channel`` is a ``ValueError``. Callbacks are not retried, so no idempotency key is used.
    """

    template_fields: Sequence[str] = ("to", "text", "sender")

    def __init__(
        self,
        *,
        to: str | list[str],
        text: str,
        channel: Channel = "sms",
        sender: str | None = None,
        infobip_conn_id: str = InfobipHook.default_conn_name,
    ) -> None:
        super().__init__()
        if channel not in ("sms", "whatsapp"):
            raise ValueError("channel must be 'sms' or 'whatsapp'")
        check_settings(channel, to, text, sender)
        self.to = to
        self.text = text
        self.channel = channel
        self.sender = sender
        self.infobip_conn_id = infobip_conn_id

    def notify(self, context: Context) -> None:
        hook = InfobipHook(self.infobip_conn_id)
        recipients = [self.to] if isinstance(self.to, str) else list(self.to)
        sends = notification_inputs(self.channel, recipients, self.text, self.sender)
        for index, (action, inputs) in enumerate(sends):
            try:
                hook.execute(action, inputs)
            except InputError as error:
                raise in_notifier_terms(error, self.channel, self.to, index) from None
            except ConnectorError as error:
                name_ids(error, self.log)  # an unknown outcome: the IDs to check
                raise


#: A placeholder for a value rendered only when the notifier sends (valid by every rule).
_RENDERED_LATER = {"to": "41793026727", "text": "rendered later", "sender": "41793026727"}


def check_settings(channel: Channel, to: Any, text: Any, sender: Any) -> None:
    """Check the notifier's settings as the send will (phone numbers as the lenient
    ``possible`` check, since the connection's ``phoneNumberCheck`` is not read at parse
    time); templated values are left for the send. Raises ``InputError`` naming ``to``,
    ``to[i]``, ``text`` or ``sender``; nothing is sent."""
    if isinstance(to, list | tuple) and not to:
        raise InputError([{"path": "to", "message": "must name at least one recipient"}])
    if not isinstance(to, str | list | tuple):
        raise InputError([{"path": "to", "message": "must be a phone number or a list of them"}])
    recipients = [to] if isinstance(to, str) else list(to)
    shown = [_RENDERED_LATER["to"] if is_templated(r) else r for r in recipients]
    text = _RENDERED_LATER["text"] if is_templated(text) else text
    sender = _RENDERED_LATER["sender"] if is_templated(sender) else sender
    sends = notification_inputs(channel, shown, text, sender)
    for index, (action, inputs) in enumerate(sends):
        try:
            component.validate_input(action, inputs, phone_number_check="possible")
        except InputError as error:
            raise in_notifier_terms(error, channel, to, index) from None


def in_notifier_terms(error: InputError, channel: Channel, to: Any, index: int) -> InputError:
    """``error`` of the ``index``-th send with each path as the notifier's parameter: the
    recipient's place in ``to``, ``text``, ``sender``; other paths stay as they are."""
    single = isinstance(to, str)

    def recipient(i: int) -> str:
        return "to" if single else f"to[{i}]"

    def rename(path: str) -> str:
        if channel == "sms":
            if found := re.fullmatch(r"messages\[0\]\.destinations(?:\[(\d+)\](?:\.to)?)?", path):
                return recipient(int(found[1])) if found[1] is not None else "to"
            return {"messages[0].text": "text", "messages[0].from": "sender"}.get(path, path)
        return {"to": recipient(index), "content.text": "text", "from": "sender"}.get(path, path)

    errors = [{**e, "path": rename(e["path"])} for e in error.errors]
    listed = "; ".join(f"{e['path']}: {e['message']}" for e in errors)
    return InputError(errors, f"InfobipNotifier settings are invalid, nothing was sent: {listed}")


def notification_inputs(
    channel: Channel, recipients: list[Any], text: str, sender: str | None
) -> list[tuple[str, dict[str, Any]]]:
    """The actions and inputs that send ``text`` to ``recipients`` on ``channel``: one Send
    SMS bulk, or one Send WhatsApp Text Message per recipient."""
    if channel == "sms":
        message: dict[str, Any] = {"destinations": [{"to": to} for to in recipients]}
        message["text"] = text
        if sender is not None:
            message["from"] = sender
        return [("sendSms", {"messages": [message]})]
    return [
        ("sendWhatsappTextMessage", {"from": sender, "to": to, "content": {"text": text}})
        for to in recipients
    ]
