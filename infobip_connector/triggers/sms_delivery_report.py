"""SMS Delivery Report: Infobip's ``receive-outbound-sms-message-reports-v3`` webhook (JSON or
XML) and, polled, ``GET /sms/3/reports`` (the getSmsDeliveryReports action): the same items.

One event per report. A message can be reported more than once as its status changes, so the
identity is the message with its status: a repeat of the same report is dropped, a later
status of the same message is a new event.

Two formats arrive at the same URL: subscriptions post v3 (``sender``, ``messageCount``,
``platform``), while the ``notifyUrl`` of a message sent through ``/sms/2/text/advanced`` (the
sendSms action) gets ``receive-outbound-sms-message-reports`` (v2: ``from``, ``smsCount``,
``entityId`` and ``applicationId`` at the top). The v2 names are read as their v3 twins, so an
event has the same fields whichever format carried it.
"""

from __future__ import annotations

from typing import Any

from ..definition.model import Property
from .results import field, results_of

#: The v2 fields, declared so an XML body's are read (as these types) rather than dropped.
OTHER_FORMAT_FIELDS = (
    Property(name="from", type="STRING"),
    Property(name="smsCount", type="INTEGER"),
    Property(name="entityId", type="STRING"),
    Property(name="applicationId", type="STRING"),
)
# v2 name -> v3 name.
_RENAMED = (("from", "sender"), ("smsCount", "messageCount"))
_PLATFORM = ("entityId", "applicationId")


def events_from_body(body: Any) -> list[dict[str, Any]]:
    return [_as_v3(item) for item in results_of(body)]


def _as_v3(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with its v2 fields under their v3 names (a v3 field given wins)."""
    if not any(old in item for old, _ in _RENAMED) and not any(k in item for k in _PLATFORM):
        return item
    report = dict(item)
    for old, new in _RENAMED:
        value = report.pop(old, None)
        if value is not None and report.get(new) is None:
            report[new] = value
    platform = {k: report.pop(k) for k in _PLATFORM if report.get(k) is not None}
    if platform and not isinstance(report.get("platform"), dict):
        report["platform"] = platform
    return report


def event_key(event: dict[str, Any]) -> str:
    status = field(event, "status", "id") or field(event, "status", "name")
    return f"{field(event, 'messageId')}|{status}"
