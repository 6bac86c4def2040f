"""``InfobipNotifier``: an SMS or WhatsApp message when a DAG or task succeeds or fails.

Used like Airflow's other notifiers, as a callback::

    DAG(..., on_failure_callback=InfobipNotifier(to="+41793026727",
                                                 text="{{ dag.dag_id }} failed"))

The text and recipients are templated with the callback's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from airflow.sdk import BaseNotifier

from .hook import InfobipHook

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

    Bad values (a wrong number, no WhatsApp sender) raise the connector's ``InputError``
    before anything is sent. Callbacks are not retried, so no idempotency key is used.
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
        self.to = to
        self.text = text
        self.channel = channel
        self.sender = sender
        self.infobip_conn_id = infobip_conn_id

    def notify(self, context: Context) -> None:
        hook = InfobipHook(self.infobip_conn_id)
        recipients = [self.to] if isinstance(self.to, str) else list(self.to)
        for action, inputs in notification_inputs(self.channel, recipients, self.text, self.sender):
            hook.execute(action, inputs)


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
