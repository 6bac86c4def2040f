"""Handlers for the SMS endpoints beyond sending: preview, delivery reports, logs, inbound
messages and scheduled bulks (Infobip's OpenAPI operations ``preview-sms-message``,
``get-outbound-sms-message-delivery-reports-v3``, ``get-outbound-sms-message-logs-v3``,
``get-inbound-sms-messages``, ``get-scheduled-sms-messages``, ``reschedule-sms-messages``,
``get-scheduled-sms-messages-status`` and ``update-scheduled-sms-messages-status``).

Each takes the account and a parsed request and returns an ``Answer``; bad query parameters
and bodies are 400 with validation errors by name, an unknown bulk is 404 ``Bulk not found``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import wire
from .datetimes import calendar_problem, offset_problem
from .endpoint_rules import BULK_REQUEST, BULK_STATUS_REQUEST, PREVIEW_REQUEST
from .ledger import TRANSITIONS, WAITING, ScheduledBulk, SmsRecord, log_entry, report_entry
from .networks import on_network
from .routes import Answer, Request
from .segments import sms_preview
from .transliteration import transliterate
from .validation import Obj, validate

if TYPE_CHECKING:
    from .core import Sandbox

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
# BulkRequest.sendAt "can only be scheduled for no later than 180 days in advance".
SCHEDULE_HORIZON = timedelta(days=180)
_LOG_STATUSES = ("ACCEPTED", "PENDING", "UNDELIVERABLE", "DELIVERED", "EXPIRED", "REJECTED")


def bad_request(problems: dict[str, list[str]]) -> Answer:
    return Answer(400, wire.error_body(400, problems), "bad_request")


def _limit(request: Request, problems: dict[str, list[str]], default: int = DEFAULT_LIMIT) -> int:
    raw = request.first("limit")
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems["limit"] = ["must be an integer"]
        return default
    if value < 1 or value > MAX_LIMIT:
        problems["limit"] = [f"must be between 1 and {MAX_LIMIT}"]
    return value


def _instant(request: Request, name: str, problems: dict[str, list[str]]) -> datetime | None:
    raw = request.first(name)
    if not raw:
        return None
    impossible = calendar_problem(raw.replace(" ", "+"))
    if impossible is not None:
        problems[name] = [impossible]
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        problems[name] = ["must be a date-time such as 2020-02-23T17:42:05.390+01:00"]
        return None
    if moment.tzinfo is None:
        problems[name] = ["must have a time zone offset"]
        return None
    offset = offset_problem(moment)
    if offset is not None:
        problems[name] = [offset]
        return None
    return moment


def preview(sandbox: Sandbox, request: Request) -> Answer:
    """``POST /sms/1/preview``: parts and characters left, plain and with the configuration
    asked for (language, transliteration)."""
    problems = validate(PREVIEW_REQUEST, request.body)
    if problems:
        return bad_request(problems)
    text: str = request.body["text"]
    language = request.body.get("languageCode")
    transliteration = request.body.get("transliteration")
    configurations: list[dict[str, Any]] = [{}]
    if language or transliteration:
        asked: dict[str, Any] = {}
        if language:
            asked["language"] = {"languageCode": language}
        if transliteration:
            asked["transliteration"] = transliteration
        configurations.append(asked)
    previews = []
    for configuration in configurations:
        code = configuration.get("language", {}).get("languageCode")
        table = configuration.get("transliteration")
        count, remaining = sms_preview(text, code, table)
        entry: dict[str, Any] = {
            "textPreview": transliterate(text, table) if table else text,
            "messageCount": count,
            "charactersRemaining": remaining,
        }
        if configuration:
            entry["configuration"] = configuration
        previews.append(entry)
    return Answer(200, {"originalText": text, "previews": previews}, "ok")


def delivery_reports(sandbox: Sandbox, request: Request) -> Answer:
    """``GET /sms/3/reports``: queued reports, each handed out once, oldest first."""
    problems: dict[str, list[str]] = {}
    limit = _limit(request, problems)
    if problems:
        return bad_request(problems)
    filters = {
        "bulkId": request.first("bulkId"),
        "messageId": request.first("messageId"),
        "entityId": request.first("entityId"),
        "applicationId": request.first("applicationId"),
        "campaignReferenceId": request.first("campaignReferenceId"),
    }

    def keep(record: SmsRecord) -> bool:
        values = _values(record)
        return all(wanted is None or values[name] == wanted for name, wanted in filters.items())

    taken = sandbox.ledger.take_reports(keep, limit)
    return Answer(200, {"results": [report_entry(record) for record in taken]}, "ok")


def _values(record: SmsRecord) -> dict[str, str | None]:
    return {
        "bulkId": record.bulk_id,
        "messageId": record.message_id,
        "entityId": record.entity_id,
        "applicationId": record.application_id,
        "campaignReferenceId": record.campaign_reference_id,
        "sender": record.sender,
        "destination": record.to,
        "generalStatus": str(record.status.get("groupName")),
    }


# Logs filters that take several values (``?bulkId=a&bulkId=b``), and those that take one.
_MANY = ("bulkId", "messageId", "campaignReferenceId")
_ONE = ("sender", "destination", "entityId", "applicationId", "generalStatus")


def logs(sandbox: Sandbox, request: Request) -> Answer:
    """``GET /sms/3/logs``: sent messages, newest first, filtered; with ``useCursor=true`` a
    ``cursor`` pages through them."""
    problems: dict[str, list[str]] = {}
    limit = _limit(request, problems)
    since = _instant(request, "sentSince", problems)
    until = _instant(request, "sentUntil", problems)
    status = request.first("generalStatus")
    if status is not None and status not in _LOG_STATUSES:
        problems["generalStatus"] = ["must be one of: " + ", ".join(_LOG_STATUSES)]
    offset = _cursor(request, problems)
    if request.first("mnc") and not request.first("mcc"):
        # "Mobile Country Code is required if this property is used."
        problems["mcc"] = ["is required when mnc is given"]
    if problems:
        return bad_request(problems)
    # Repeated (``?bulkId=a&bulkId=b``) or comma-separated (``?bulkId=a,b``), as Infobip takes.
    many = {
        name: [one for value in request.query[name] for one in value.split(",")]
        for name in _MANY
        if request.query.get(name)
    }
    one = {name: request.first(name) for name in _ONE if request.first(name) is not None}
    mcc, mnc = request.first("mcc"), request.first("mnc")

    def keep(record: SmsRecord) -> bool:
        values = _values(record)
        if any(values[name] not in wanted for name, wanted in many.items()):
            return False
        if (mcc or mnc) and not on_network(record.to, mcc, mnc):
            return False
        if any(values[name] != wanted for name, wanted in one.items()):
            return False
        return (since is None or record.sent_at >= since) and (
            until is None or record.sent_at <= until
        )

    found = [record for record in reversed(sandbox.ledger.logs) if keep(record)]
    page = found[offset : offset + limit]
    body: dict[str, Any] = {"results": [log_entry(record) for record in page]}
    if request.first("useCursor") == "true":
        cursor: dict[str, Any] = {"limit": limit}
        if offset + limit < len(found):
            cursor["nextCursor"] = str(offset + limit)
        body["cursor"] = cursor
    return Answer(200, body, "ok")


def _cursor(request: Request, problems: dict[str, list[str]]) -> int:
    raw = request.first("cursor")
    if not raw:
        return 0
    if not raw.isdigit():
        problems["cursor"] = ["is not a cursor this account handed out"]
        return 0
    return int(raw)


def inbound(sandbox: Sandbox, request: Request) -> Answer:
    """``GET /sms/1/inbox/reports``: received messages, each handed out once."""
    problems: dict[str, list[str]] = {}
    limit = _limit(request, problems)
    if problems:
        return bad_request(problems)
    filters = {
        name: request.first(name)
        for name in ("applicationId", "entityId", "campaignReferenceId")
        if request.first(name) is not None
    }
    taken = sandbox.ledger.take_inbound(
        lambda entry: all(entry.get(name) == value for name, value in filters.items()), limit
    )
    body = {
        "results": taken,
        "messageCount": len(taken),
        "pendingMessageCount": len(sandbox.ledger.inbox),
    }
    return Answer(200, body, "ok")


def _bulk(sandbox: Sandbox, request: Request, rule: Obj | None = None) -> ScheduledBulk | Answer:
    """The bulk the ``bulkId`` parameter names, after the body is checked against ``rule``;
    or the answer refusing the request (400 without a bulkId or with a bad body, 404)."""
    bulk_id = request.first("bulkId")
    if not bulk_id:
        return bad_request({"bulkId": ["must not be blank"]})
    if rule is not None:
        problems = validate(rule, request.body)
        if problems:
            return bad_request(problems)
    bulk = sandbox.ledger.bulks.get(bulk_id)
    if bulk is None:
        body = {
            "requestError": {
                "serviceException": {"messageId": "NOT_FOUND", "text": "Bulk not found"}
            }
        }
        return Answer(404, body, "not_found")
    return bulk


def _send_at_answer(bulk: ScheduledBulk) -> Answer:
    return Answer(200, {"bulkId": bulk.bulk_id, "sendAt": wire.timestamp(bulk.send_at)}, "ok")


def _status_answer(bulk: ScheduledBulk) -> Answer:
    return Answer(200, {"bulkId": bulk.bulk_id, "status": bulk.status}, "ok")


def get_bulk(sandbox: Sandbox, request: Request) -> Answer:
    """``GET /sms/1/bulks?bulkId=``: the scheduled bulk's ``sendAt``."""
    bulk = _bulk(sandbox, request)
    return bulk if isinstance(bulk, Answer) else _send_at_answer(bulk)


def reschedule(sandbox: Sandbox, request: Request) -> Answer:
    """``PUT /sms/1/bulks?bulkId=`` with ``{"sendAt": ...}``: a waiting bulk gets a new
    time in the future, at most 180 days ahead; a finished or canceled one cannot be
    rescheduled."""
    bulk = _bulk(sandbox, request, BULK_REQUEST)
    if isinstance(bulk, Answer):
        return bulk
    send_at = datetime.strptime(request.body["sendAt"], "%Y-%m-%dT%H:%M:%S.%f%z")
    if bulk.status not in WAITING:
        return bad_request({"bulkId": [f"bulk is {bulk.status} and cannot be rescheduled"]})
    now = sandbox.ledger.now()
    if send_at <= now:
        return bad_request({"sendAt": ["must be in the future"]})
    if send_at > now + SCHEDULE_HORIZON:
        return bad_request({"sendAt": ["must be at most 180 days ahead"]})
    sandbox.ledger.reschedule(bulk, send_at)
    return _send_at_answer(bulk)


def get_bulk_status(sandbox: Sandbox, request: Request) -> Answer:
    """``GET /sms/1/bulks/status?bulkId=``."""
    bulk = _bulk(sandbox, request)
    return bulk if isinstance(bulk, Answer) else _status_answer(bulk)


def update_bulk_status(sandbox: Sandbox, request: Request) -> Answer:
    """``PUT /sms/1/bulks/status?bulkId=`` with ``{"status": "PAUSED"|"PROCESSING"|"CANCELED"}``:
    PENDING may be paused or canceled, PAUSED resumed (PROCESSING) or canceled, PROCESSING
    paused or canceled; FINISHED, CANCELED and FAILED are final. Other changes are 400."""
    bulk = _bulk(sandbox, request, BULK_STATUS_REQUEST)
    if isinstance(bulk, Answer):
        return bulk
    wanted = request.body["status"]
    if wanted not in TRANSITIONS.get(bulk.status, frozenset()):
        return bad_request({"status": [f"cannot change a {bulk.status} bulk to {wanted}"]})
    sandbox.ledger.set_status(bulk, wanted)
    return _status_answer(bulk)
