"""What every trigger module shares: Infobip's batched body, ``{"results": [...]}``.

Each of Infobip's webhooks (and the pull endpoints a poll reads) posts its items under
``results``; a trigger returns one event per item. Items that are not objects, or that lack
the identity a module names, are refused by path (``results[3].messageId``) before anything
is returned, so a workflow never starts on half an event.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError


def results_of(body: Any, identity: tuple[str, ...] = ("messageId",)) -> list[dict[str, Any]]:
    """The items of ``body["results"]``; InputError by path for each one that is not usable.

    ``identity`` names the fields each item needs (non-empty text or a number), the ones its
    trigger's ``event_key`` is made of.
    """
    if not isinstance(body, dict):
        raise refused([{"path": "(body)", "message": "must be an object with 'results'"}])
    results = body.get("results")
    if not isinstance(results, list):
        raise refused([{"path": "results", "message": "is required: a list of items"}])
    problems = []
    for index, item in enumerate(results):
        if not isinstance(item, dict):
            problems.append({"path": f"results[{index}]", "message": "must be an object"})
            continue
        for name in identity:
            value = item.get(name)
            usable = (isinstance(value, str) and value.strip()) or (
                isinstance(value, int | float) and not isinstance(value, bool)
            )
            if not usable:
                problems.append({"path": f"results[{index}].{name}", "message": "is required"})
    if problems:
        raise refused(problems)
    return results


def field(event: dict[str, Any], *path: str) -> str:
    """The text at ``path`` in ``event`` (``""`` when absent), for building a key."""
    value: Any = event
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def refused(
    problems: list[dict[str, str]], what: str = "Not an Infobip webhook body"
) -> InputError:
    """The InputError for ``problems`` (by path), its message starting with ``what``."""
    shown = "; ".join(f"{p['path']}: {p['message']}" for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return InputError(problems, f"{what}: {shown}{more}")
