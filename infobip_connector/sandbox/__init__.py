"""An embedded emulator of Infobip's SMS and WhatsApp API, for tests and local development.

It answers like the live service (wire format, validation, statuses, delivery reports to
loopback addresses) and can misbehave on purpose (scripted or random faults). It never sends
anything anywhere. Use it in-process through ``SandboxTransport`` or over HTTP through
``SandboxServer``; it shares no code with the connector's client, so it checks the client
rather than agreeing with it.
"""

from .core import RecordedRequest, Reply, Sandbox
from .faults import FAULT_KINDS, Fault, FaultKind
from .reports import DeliveryReportRecord
from .segments import sms_count
from .sending import AcceptedMessage
from .server import SandboxServer, run_server
from .templates import NO_TEMPLATES_SENDER, Template
from .transport import SandboxTransport

__all__ = [
    "FAULT_KINDS",
    "NO_TEMPLATES_SENDER",
    "AcceptedMessage",
    "DeliveryReportRecord",
    "Fault",
    "FaultKind",
    "RecordedRequest",
    "Reply",
    "Sandbox",
    "SandboxServer",
    "SandboxTransport",
    "Template",
    "run_server",
    "sms_count",
]
