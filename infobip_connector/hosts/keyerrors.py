"""The idempotency key's errors in ``serve`` and MCP: one wording, in each host's terms.

Both hosts take a send's key as a member of their own (``idempotencyKey`` for ``serve``,
``idempotency_key`` for MCP) and refuse it in the same cases: a key that is not usable
(listed in one answer with whatever is wrong with the input, so a caller fixes both at
once: :func:`checked_key`, :func:`with_input_problems`), a key another send is still
running with, and a key a finished send already used (``runningkeys.py``) for another
message (``reused``) or for this one, whose result is no longer kept (``dropped``: only the
IDs it named are left, so the error says which to check, or, when it named none, that
there are none and where to look instead). :class:`KeyErrors` words those once; a host
gives its names (where the key lives, what "the same send" means to its callers) and the
error it answers with: ``serve`` invalid params (-32602), MCP an ``input`` error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..component import checked_idempotency_key
from ..errors import InputError
from ..outcome import NO_IDS

Problems = list[dict[str, str]]


def checked_key(key: object, path: str, problems: Problems) -> str | None:
    """``key`` when it is a usable execution key; else None, with its problems (at
    ``path``) added to ``problems`` for :func:`with_input_problems` to answer."""
    try:
        return checked_idempotency_key(key, path)
    except InputError as exc:
        problems.extend(exc.errors)
        return None


def with_input_problems(problems: Problems, validate: Callable[[], object]) -> InputError:
    """The InputError listing ``problems`` (the host's own members: the key, ...) and then,
    in the same answer, whatever ``validate`` (the action's checks of the input, raising
    InputError) finds wrong with the input."""
    try:
        validate()
    except InputError as more:
        return InputError([*problems, *more.errors])
    return InputError(list(problems))


@dataclass(frozen=True)
class KeyErrors:
    """A host's errors for a key it will not run a send with (``RunningKeys.held`` takes
    :meth:`in_use`, :meth:`reused` and :meth:`dropped`); nothing was sent in each case.

    ``path``: the key's member; ``here``: the process (``this worker``); ``same``: what
    makes a send the same one (``this same input and connection``); ``other``: what makes
    it another (``other input or another connection``); ``again``: how a caller repeats the
    call (``send the request again``); ``error(path, message)``: the host's error.
    """

    path: str
    here: str
    same: str
    other: str
    again: str
    error: Callable[[str, str], Exception]

    def in_use(self) -> Exception:
        """Another send with this key is still running."""
        return self.error(
            self.path,
            f"a send with this key is still running in {self.here}: nothing was sent; "
            f"{self.again} once it has ended and its result is given back (nothing is sent "
            "twice)",
        )

    def reused(self) -> Exception:
        """A send of another message ended with this key."""
        return self.error(
            self.path,
            f"was used in {self.here} by a send of {self.other}, which has ended: a key "
            "stands for one message, so nothing was sent; give this send a key of its own",
        )

    def dropped(self, ids: str) -> Exception:
        """This very send ended with a result that is no longer kept; ``ids``: the IDs it
        named (``outcome.ids_text``; :data:`outcome.NO_IDS` when it named none)."""
        return self.error(
            self.path,
            f"ended before in {self.here} with a result, for {self.same}, but the result of "
            f"this key is no longer kept; nothing was sent; {_check_by(ids)}",
        )


def _check_by(ids: str) -> str:
    if ids == NO_IDS:
        return (
            "its result named no IDs (no bulkId or messageId), so there are none to check it "
            "by: look its messages up in Infobip's logs or delivery reports by the time it was "
            "sent, before sending them again under a key of their own"
        )
    return f"check by its IDs: {ids}"
