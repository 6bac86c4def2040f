"""The request an action builds and the transport sends: the contract between the layers.

It sits beside ``errors.py`` because actions (which build it), the runtime (which hands it
on) and the transport (which sends it) all use it, and actions never import the transport.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import Any, Literal

#: What an action does to the world, declared per action in ``connector.yaml``:
#: ``send`` is paid and never repeated after an ambiguous failure; ``read`` is idempotent
#: and safe to repeat; ``consume`` hands each item out once, so a repeat after an
#: ambiguous failure would lose the items the first attempt took. ``remove`` deletes
#: something at Infobip (a webhook's registration): a repeat finds it gone, so it is
#: repeated like a read; no action declares it, only the connector's own requests use it.
Kind = Literal["send", "read", "consume", "remove"]
KINDS: tuple[Kind, ...] = ("send", "read", "consume", "remove")

#: Methods that never carry a body: the transport drops one if an executor gives it.
BODILESS = frozenset({"GET", "HEAD", "DELETE"})


@dataclass(frozen=True, init=False, slots=True, weakref_slot=True)
class Recipients:
    """Each messageId a send carries with its destination (``to``), as two columns.

    ``ids[i]`` was sent to ``tos[i]``; iterating gives the ``(messageId, to)`` pairs.
    Columns rather than a pair per recipient: a 100,000-recipient bulk builds two lists of
    strings it already holds instead of 100,000 tuples (each also tracked by the cycle
    collector), and the accounting compares each column with the answer's whole, in C.
    """

    ids: list[str] = field(default_factory=list)
    # Phone numbers: the repr shows the messageIds only (see InfobipRequest).
    tos: list[str] = field(default_factory=list, repr=False)

    def __init__(self, ids: list[str] | None = None, tos: list[str] | None = None) -> None:
        ids = [] if ids is None else ids
        tos = [] if tos is None else tos
        if len(ids) != len(tos):
            raise ValueError("recipients: as many destinations as messageIds are needed")
        _RECIPIENTS_IDS(self, ids)
        _RECIPIENTS_TOS(self, tos)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Recipients:
        """The columns of ``(messageId, to)`` pairs."""
        listed = list(pairs)
        return cls([i for i, _ in listed], [to for _, to in listed])

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return zip(self.ids, self.tos, strict=True)


@dataclass(frozen=True, init=False, slots=True, weakref_slot=True)
class InfobipRequest:
    """What an executor asks for; ``reference`` holds the IDs to reconcile an unknown outcome.

    - ``path``: a template such as ``/whatsapp/2/senders/{sender}/templates``; each
      ``{name}`` is filled from ``path_params`` by the transport, percent-encoded with no
      character left safe (a ``/`` or ``..`` in a value can never change the path).
    - ``query``: ``(name, value)`` pairs in order, already in wire form (an array is either
      repeated pairs or one comma-joined pair, see :func:`query_pairs`).
    - ``body``: JSON-encodable, or ``None``; never sent with GET.
    - ``kind``: the action's kind; the transport's retry policy and error wording follow it.
      Defaults to ``send``, the strictest (never repeated after an ambiguous failure).

    ``recipients`` pairs each messageId sent with its destination (``to``), so that an
    answer that swaps them is caught; kept out of ``reference``, which errors and logs
    show, since it lists phone numbers. For the same reason the repr leaves out the
    ``body`` and the ``query`` (a message's recipients and text, a filter by number), as it
    leaves out ``recipients``: printing or logging a request names what it is, not whom it
    writes to or what it says.

    ``confirmable``: messageIds derived from an idempotency key for an execution that
    repeats an earlier one with the same key (a retried task), which may have got them
    accepted. Each ID names one message's content, so with idempotent sending on, Infobip
    rejecting one as a duplicate proves that earlier execution sent this very message.
    """

    method: str
    path: str
    body: Any = field(default=None, repr=False)
    reference: dict[str, Any] = field(default_factory=dict)
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    kind: Kind = "send"
    recipients: Recipients = field(default_factory=Recipients, repr=False)
    confirmable: frozenset[str] = field(default=frozenset(), repr=False)

    def __init__(
        self,
        method: str,
        path: str,
        body: Any = None,
        reference: dict[str, Any] | None = None,
        path_params: Mapping[str, str] | None = None,
        query: tuple[tuple[str, str], ...] = (),
        kind: Kind = "send",
        recipients: Recipients | None = None,
        confirmable: frozenset[str] = frozenset(),
    ) -> None:
        _METHOD(self, method)
        _PATH(self, path)
        _BODY(self, body)
        _REFERENCE(self, {} if reference is None else reference)
        _PATH_PARAMS(self, {} if path_params is None else path_params)
        _QUERY(self, query)
        _KIND(self, kind)
        _RECIPIENTS(self, Recipients() if recipients is None else recipients)
        _CONFIRMABLE(self, confirmable)


def _frozen_as_declared(cls: type) -> None:
    """Make ``cls``, a frozen dataclass with slots, behave as it did without slots: refuse
    assignment the same way, and pickle and copy with the same state.

    On CPython 3.11 the ``__setattr__`` and ``__delattr__`` a frozen dataclass generates name
    the class as it was before its slots were added: assigning a name that is not a field
    raised ``TypeError`` rather than ``FrozenInstanceError``, and a subclass could not set
    one of its own. Its ``__getstate__`` is a list of this class's fields, which loses a
    subclass's own attributes, and which a reader without slots cannot take. The state is
    what it was before: a dict of every field and attribute set, and a subclass's own slots
    in a second dict beside it. Either is read, a field a state lacks taking its default (a
    state lacking one without a default is refused, TypeError); a member that is neither a
    field nor an attribute a subclass may hold is refused (AttributeError), not dropped.
    """
    names = tuple(f.name for f in fields(cls))

    def __setattr__(self: object, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    def __getstate__(self: object) -> dict[str, Any] | tuple[dict[str, Any], dict[str, Any]]:
        state = dict(getattr(self, "__dict__", ()))
        own: dict[str, Any] = {}  # a subclass's own slots, apart as pickle kept them
        # Named as pickle names them (``__x`` of class ``C`` stored as ``_C__x``): by the
        # function ``object.__reduce_ex__`` itself calls, which typeshed leaves out.
        for name in copyreg._slotnames(type(self)):  # type: ignore[attr-defined]
            if hasattr(self, name):
                (state if name in names else own)[name] = getattr(self, name)
        return (state, own) if own else state

    def __setstate__(self: object, state: Any) -> None:
        if (
            type(state) is tuple
            and len(state) == 2
            and (state[0] is None or isinstance(state[0], dict))
            and (state[1] is None or isinstance(state[1], dict))
        ):
            state = {**(state[0] or {}), **(state[1] or {})}
        if not isinstance(state, dict):
            raise TypeError(f"cannot restore {type(self).__name__} from a {type(state).__name__}")
        for name, value in state.items():
            object.__setattr__(self, name, value)
        for known in fields(type(self)):  # type: ignore[arg-type]
            if known.name in state:
                continue
            if known.default is not MISSING:
                object.__setattr__(self, known.name, known.default)
            elif known.default_factory is not MISSING:
                object.__setattr__(self, known.name, known.default_factory())
            else:
                raise TypeError(
                    f"cannot restore {type(self).__name__}: its state lacks {known.name!r}"
                )

    for name, method in (
        ("__setattr__", __setattr__),
        ("__delattr__", __delattr__),
        ("__getstate__", __getstate__),
        ("__setstate__", __setstate__),
    ):
        type.__setattr__(cls, name, method)


_frozen_as_declared(Recipients)
_frozen_as_declared(InfobipRequest)


# Each field is set by its slot's own setter. A frozen dataclass's generated ``__init__``
# goes through ``object.__setattr__`` for each field, which for a request's nine costs
# more than the rest of building a small send's request; an instance ``__dict__`` instead
# of slots is one more object per request for the cycle collector to count, alive until
# the answer is in (see docs/performance.md). The instances stay frozen: assignment raises.
def _setter(cls: type, name: str) -> Callable[[object, Any], None]:
    """The setter of slot ``name`` of ``cls`` (it bypasses the frozen ``__setattr__``)."""
    setter: Callable[[object, Any], None] = getattr(cls, name).__set__
    return setter


_RECIPIENTS_IDS = _setter(Recipients, "ids")
_RECIPIENTS_TOS = _setter(Recipients, "tos")
_METHOD = _setter(InfobipRequest, "method")
_PATH = _setter(InfobipRequest, "path")
_BODY = _setter(InfobipRequest, "body")
_REFERENCE = _setter(InfobipRequest, "reference")
_PATH_PARAMS = _setter(InfobipRequest, "path_params")
_QUERY = _setter(InfobipRequest, "query")
_KIND = _setter(InfobipRequest, "kind")
_RECIPIENTS = _setter(InfobipRequest, "recipients")
_CONFIRMABLE = _setter(InfobipRequest, "confirmable")


def message_ids(reference: Mapping[str, Any]) -> list[str]:
    """The messageIds a request carried: ``messageIds`` (a bulk) or ``messageId`` (one).

    Read from its ``reference``: the runtime accounts for them in the answer, the transport
    recognises them in a duplicate rejection.
    """
    if "messageIds" in reference:
        return list(reference["messageIds"])
    if "messageId" in reference:
        return [reference["messageId"]]
    return []


def wire_scalar(value: Any) -> str:
    """A query or path value as text: booleans as ``true``/``false`` like JSON, else ``str``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query_pairs(name: str, value: Any, *, explode: bool = True) -> list[tuple[str, str]]:
    """One parameter as query pairs, as OpenAPI's ``style: form`` says.

    An array is repeated (``to=a&to=b``) when ``explode`` is true (OpenAPI's default for
    ``form``), else comma-joined (``to=a,b``); any other value is one pair.
    """
    if isinstance(value, list | tuple):
        texts = [wire_scalar(v) for v in value]
        if explode:
            return [(name, t) for t in texts]
        return [(name, ",".join(texts))] if texts else []
    return [(name, wire_scalar(value))]


class NoSuchChoice(Exception):
    """Raised by an ``OptionsSource.shape``: Infobip's answer shows that a value the options
    depend on names nothing (a template the sender does not have).

    ``depends_on`` is the dependency as written in ``dependsOn`` (``messages[].content.
    templateName``); the options runtime reports ``message`` at its place in the input, as an
    InputError, instead of an empty list that would look like "no choices".
    """

    def __init__(self, depends_on: str, message: str) -> None:
        super().__init__(message)
        self.depends_on = depends_on
        self.message = message


@dataclass(frozen=True)
class OptionsSource:
    """Where a property's options come from at edit time, declared in an action's module.

    Pure like an action's executor: ``build_request`` gets the values of the property's
    ``dependsOn`` paths (keyed by the path as written in ``connector.yaml``, e.g.
    ``{"messages[].from": "447860099299"}``) and returns a read request; ``shape`` turns
    Infobip's parsed answer into ``[{"value": str, "label": str}, ...]``, or raises
    :class:`NoSuchChoice` when the answer shows a dependency names nothing. The component
    sends the request through the one transport and checks the shape.
    """

    build_request: Callable[[dict[str, Any]], InfobipRequest]
    shape: Callable[[Any, InfobipRequest], list[dict[str, str]]]
