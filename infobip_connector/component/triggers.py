"""The component's triggers: events from webhook calls and polls, webhook registration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..definition.schemas import event_schema
from ..errors import ConfigurationError
from ..transport.connection import ConnectionSettings, settings_for
from .actions import Actions, Connection, client_module

if TYPE_CHECKING:
    import httpx

    from ..triggers.polling import PollResult
    from ..triggers.recent import RecentKeys
    from ..triggers.runtime import TriggerRuntime
    from ..triggers.webhook import WebhookAnswer, WebhookRequest, WebhookSettings


class Triggers(Actions):
    """The Infobip component's triggers, on top of its actions (``component/actions.py``).

    Triggers (infobip_connector/triggers/): what starts a workflow, one event per item.
    """

    @property
    def trigger_names(self) -> list[str]:
        return [t.name for t in self.definition.triggers]

    def event_schema(self, trigger: str) -> dict[str, Any]:
        """The JSON Schema every event of ``trigger`` validates against."""
        return event_schema(self.definition, self.definition.trigger(trigger))

    def trigger_runtime(self, trigger: str) -> TriggerRuntime:
        """``trigger`` ready to turn bodies into events (built once); InputError if unknown."""
        found = self._triggers.get(trigger) if isinstance(trigger, str) else None
        if found is None:
            declared = self.definition.trigger(trigger)
            with self._lock:
                found = self._triggers.get(declared.name)
                if found is None:
                    from ..triggers.runtime import TriggerRuntime

                    found = TriggerRuntime(self.definition, declared)
                    self._triggers[declared.name] = found
        return found

    def handle_webhook(
        self,
        trigger: str,
        request: WebhookRequest,
        settings: WebhookSettings | dict[str, Any],
        *,
        seen: RecentKeys | None = None,
        now: float | None = None,
    ) -> WebhookAnswer:
        """The answer to one webhook call of ``trigger``: status, events, error.

        ``settings`` is a ``WebhookSettings`` or its JSON form (``basicAuth``, ``hmacSecret``,
        ...; ConfigurationError when unusable). Repeats of events already returned are left
        out, remembered in ``seen`` or else in this component's window for the trigger and
        these settings (never shared with a receiver whose settings differ). A host that
        cannot use the events calls ``answer.release()`` before answering Infobip 5xx.
        ``now`` (seconds since 1970; the clock when None) is when events' ages are measured.
        """
        from ..triggers import webhook
        from ..triggers.receivers import ReceiverWindows

        runtime = self.trigger_runtime(trigger)
        checked = webhook.WebhookSettings.from_values(settings)
        del settings  # its secrets would show in tracebacks rendered with their locals
        if seen is None:
            with self._lock:
                if self._receivers is None:
                    self._receivers = ReceiverWindows()
            seen = self._receivers.window(runtime.name, checked)
        return webhook.handle(runtime, request, checked, seen, now=now)

    def poll(
        self,
        trigger: str,
        connection: Connection,
        state: Any,
        *,
        transport: httpx.BaseTransport | None = None,
        now: float | None = None,
    ) -> PollResult:
        """``(events, new_state)`` of one poll of ``trigger`` (``state``: the last poll's, or
        ``None``). A lost answer is an OutcomeUnknownError saying items may be lost; items
        handed out that cannot be read are in the result's ``refused``."""
        settings, runtime, action = self._polling(trigger, connection)
        from ..triggers.polling import poll
        from ..triggers.pollstate import account_of

        def fetch(values: dict[str, Any]) -> Any:
            _, runtime, request = self._prepared(action, values, settings, transport)
            # As sent: the trigger checks each item and refuses a bad one alone.
            body = client_module().send(settings, request, transport)
            return runtime.finish(body, request, as_sent=True)

        return poll(runtime, fetch, state, now=now, account=account_of(settings.base_url))

    async def poll_async(
        self,
        trigger: str,
        connection: Connection,
        state: Any,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        now: float | None = None,
    ) -> PollResult:
        """The async twin of :meth:`poll`."""
        settings, runtime, action = self._polling(trigger, connection)
        from ..triggers.polling import poll_async
        from ..triggers.pollstate import account_of

        async def fetch(values: dict[str, Any]) -> Any:
            _, runtime, request = self._prepared(action, values, settings, transport)
            body = await client_module().send_async(settings, request, transport)
            return runtime.finish(body, request, as_sent=True)

        account = account_of(settings.base_url)
        return await poll_async(runtime, fetch, state, now=now, account=account)

    def _polling(
        self, trigger: str, connection: Connection
    ) -> tuple[ConnectionSettings, TriggerRuntime, str]:
        """The checked connection, the trigger and the action its polls run."""
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        if isinstance(settings, ConfigurationError):
            raise settings
        runtime = self.trigger_runtime(trigger)
        source = runtime.trigger.polling
        return settings, runtime, source.action if source else ""

    def register_webhook(
        self,
        trigger: str,
        url: Any,
        connection: Connection,
        *,
        security: Any = None,
        resources: Any = None,
        transport: httpx.BaseTransport | None = None,
    ) -> dict[str, Any]:
        """Ask Infobip to post ``trigger``'s events to ``url`` (a subscription of its
        Subscriptions API, with its notification profile and, for ``security``, its security
        settings: the trigger's ``WebhookSettings`` or their JSON form, Basic or HMAC).
        ``resources`` (your numbers) narrow it. Returns the registration as plain JSON, to
        keep for :meth:`unregister_webhook`. A ``send``: never repeated after an ambiguous
        failure, whose OutcomeUnknownError carries the IDs that may have been created
        (``unregister_webhook`` with them removes whatever was). Bad input: InputError."""
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        if isinstance(settings, ConfigurationError):
            raise settings
        from ..triggers.registration import register_request

        declared = self.definition.trigger(trigger)
        registration, request = register_request(
            declared, url, security, resources=resources, local=settings.is_loopback
        )
        del security  # its secrets would show in tracebacks rendered with their locals
        from .. import digits
        from ..transport import client

        try:
            client.send(settings, request, transport)
        finally:
            digits.forget()  # no output is made of the answer: nothing reads it again
        return registration.to_json()

    def unregister_webhook(
        self,
        trigger: str,
        registration: Any,
        connection: Connection,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> dict[str, list[str]]:
        """Remove what :meth:`register_webhook` created (the subscription, its profile and
        security settings); what is already gone is not an error, but is reported:
        ``{"removed": [...], "alreadyGone": [...]}`` naming ``subscription``, ``profile``,
        ``security`` (a subscription already gone may mean another account or base URL).
        Each removal is a ``remove``: retried like a read. A registration that is not the
        trigger's (its trigger or channel): InputError naming ``registration.<member>``."""
        settings = settings_for(connection)
        del connection  # its token would show in tracebacks rendered with their locals
        if isinstance(settings, ConfigurationError):
            raise settings
        from ..triggers.registration import already_gone, read_registration, removal_requests

        kept = read_registration(registration, self.definition.trigger(trigger))
        from ..errors import RejectedError
        from ..transport import client

        outcome: dict[str, list[str]] = {"removed": [], "alreadyGone": []}
        for part, request in removal_requests(kept):
            try:
                client.send(settings, request, transport)
            except RejectedError as error:
                if not already_gone(error):
                    raise
                outcome["alreadyGone"].append(part)
            else:
                outcome["removed"].append(part)
        return outcome
