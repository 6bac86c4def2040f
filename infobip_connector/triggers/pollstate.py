"""Whose a poll state is: the trigger and the account it was polled for.

A state only means something for the pull endpoint and the account it came from: the
digests of ``newInboundSms`` passed to ``smsDeliveryReport``, or a sandbox's state passed
to a poll of the real account, would silently drop events whose keys happen to be there and
keep another source's keys for 48 hours. So each state names its ``trigger`` and an
``account``: a digest of the connection's base URL (Infobip's personal base URL is the
account's; the API key is left out, so a new key for the same account keeps the state, and
no secret is derived from). A state naming another trigger or account is an InputError at
``state.trigger`` / ``state.account``, before anything is fetched.

A state without both members was written before they existed; it is read as before (there
is nothing to compare) and the state returned names them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..errors import InputError

_OWNER = ("trigger", "account")
_ACCOUNT_BYTES = 8


def account_of(base_url: object) -> str:
    """The ``account`` a state names for a connection to ``base_url`` (normalised). A base
    URL that is not text still gets one: the client refuses it before anything is sent."""
    text = base_url if isinstance(base_url, str) else repr(base_url)
    data = text.rstrip("/").lower().encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=_ACCOUNT_BYTES, person=b"ibc-poll-acct").hexdigest()


def owned(state: Any, trigger: str, account: str) -> Any:
    """``state`` without its owner members, once they are checked against ``trigger`` and
    ``account``; anything that is not an object with them is returned as it is (the
    window's own checks say what is wrong). Raises InputError at the member that differs."""
    if not isinstance(state, dict) or not any(name in state for name in _OWNER):
        return state
    expected = {"trigger": trigger, "account": account}
    problems = []
    for name in _OWNER:
        given = state.get(name)
        if given is None:
            message = "is missing: a state names its trigger and account together"
        elif given != expected[name]:
            message = _differs(name, given, trigger)
        else:
            continue
        problems.append({"path": f"state.{name}", "message": message})
    if problems:
        raise InputError(
            problems, "The trigger state is not one a poll returned: " + problems[0]["message"]
        )
    return {k: v for k, v in state.items() if k not in _OWNER}


def with_owner(state: dict[str, Any], trigger: str, account: str) -> dict[str, Any]:
    """``state`` naming the trigger and account it belongs to."""
    return {**state, "trigger": trigger, "account": account}


def _differs(name: str, given: Any, trigger: str) -> str:
    if name == "trigger":
        shown = repr(given)[:60]
        return (
            f"is {shown}: this state belongs to another trigger's polls, not {trigger}'s; "
            "pass the state the last poll of this trigger returned (null for its first poll)"
        )
    return (
        "names another account (the connection's base URL differs): this state belongs to "
        "polls of another connection; pass the state the last poll of this connection "
        "returned (null for its first poll)"
    )
