"""What the list-reading actions share: a list answer, and where to look after a lost pull.

Infobip hands delivery reports and inbound messages out once (``GET /sms/3/reports``,
``GET /sms/1/inbox/reports``), so an unknown outcome cannot be repaired by fetching again.
The request's ``reference`` (the details of an ``outcome_unknown``) names the filters it
used and where the items it may have taken can still be seen.
"""

from __future__ import annotations

from typing import Any

from ..errors import OutcomeUnknownError
from ..request import InfobipRequest
from ..runtime.shaping import json_kind
from .answer_fields import filled

# Query parameters that narrow a pull; echoed in the reference so the items can be found.
FILTERS = ("bulkId", "messageId", "entityId", "applicationId", "campaignReferenceId")


def reference(values: dict[str, Any], look_up: str) -> dict[str, Any]:
    """The filters given (only those) and ``lookUp``: where the items can still be seen."""
    given = {name: values[name] for name in FILTERS if name in values}
    return {**given, "lookUp": look_up}


def with_results(body: Any) -> Any:
    """``body`` with an empty ``results`` list when an object answer leaves it out or gives
    it ``null`` (the output rule: a field not given).

    Nothing was listed then; without the list the answer would not match the declared
    output and a harmless empty read would end as ``outcome_unknown``.
    """
    return filled(body, "results", [])


def consumed(body: Any, request: InfobipRequest) -> Any:
    """``body``, the answer of a consume, when it holds a list of ``results``.

    A consume hands each item out once, so an answer without that list (``{}``, ``results``
    null or not a list) is not an empty pull: items it handed out may be lost. That is an
    OutcomeUnknownError saying so and where to look them up (``request.reference``), the same
    as any unreadable consume answer, never a silent empty result.
    """
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body
    if not isinstance(body, dict):
        got = f"an answer that is not an object ({json_kind(body)})"
        problem = {
            "path": "",
            "message": f"must be an object with a list of results, not {json_kind(body)}",
        }
    elif body.get("results") is None:
        got = "no results"
        problem = {"path": "results", "message": "is required: a list of items"}
    else:
        got = f"results that are not a list ({json_kind(body['results'])})"
        problem = {"path": "results", "message": "must be a list of items"}
    look_up = request.reference.get("lookUp", "Infobip's logs")
    raise OutcomeUnknownError(
        f"Infobip answered the pull with {got}: items it handed out may be lost, as each is "
        f"handed out once, and a later pull will not return them. Look them up: {look_up}.",
        {**request.reference, "itemsMayBeLost": True, "problems": [problem]},
    )
