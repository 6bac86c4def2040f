"""What the list-reading actions share: a list answer, and where to look after a lost pull.

Infobip hands delivery reports and inbound messages out once (``GET /sms/3/reports``,
``GET /sms/1/inbox/reports``), so an unknown outcome cannot be repaired by fetching again.
The request's ``reference`` (the details of an ``outcome_unknown``) names the filters it
used and where the items it may have taken can still be seen.
"""

from __future__ import annotations

from typing import Any

# Query parameters that narrow a pull; echoed in the reference so the items can be found.
FILTERS = ("bulkId", "messageId", "entityId", "applicationId", "campaignReferenceId")


def reference(values: dict[str, Any], look_up: str) -> dict[str, Any]:
    """The filters given (only those) and ``lookUp``: where the items can still be seen."""
    given = {name: values[name] for name in FILTERS if name in values}
    return {**given, "lookUp": look_up}


def with_results(body: Any) -> Any:
    """``body`` with an empty ``results`` list when an object answer leaves it out.

    Nothing was handed out then; without the list the answer would not match the declared
    output and a harmless empty pull would end as ``outcome_unknown``.
    """
    if isinstance(body, dict) and "results" not in body:
        return {**body, "results": []}
    return body
