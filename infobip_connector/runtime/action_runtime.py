"""One action made executable: its compiled schemas, checks and executor, used per execution."""

from __future__ import annotations

import importlib
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime
from functools import partial
from types import ModuleType
from typing import Any

from .. import digits
from ..definition.model import Action, ComponentDefinition, PhoneCheck, format_path
from ..definition.schemas import input_schema, output_schema
from ..errors import InputError, OutcomeUnknownError, UnreadableAnswer
from ..gcpause import paused_gc
from ..outcome import advice, after_arrival, mark_interrupted
from ..redaction import get_logger
from ..request import InfobipRequest
from .accounting import check_accounted, returned_entries
from .checks import ActionChecks
from .columns import Columns, declared_fields
from .digit_gate import bounded
from .empty_filters import empty_filter_problems, unknown_empty_problems, url_members
from .given_values import guide_of
from .idempotency import derived_ids
from .output_integers import IntegerPlaces
from .placement import Placement
from .plain_checks import PlainChecks
from .problems import Parts, input_error, said, taint
from .rejections import log_rejections
from .shaping import Fitted, blanked, fit, json_kind
from .text_forms import PatternFailed, lean_schema
from .validation import SchemaValidator
from .values import PAUSE_FROM, drop_emptied, prune_counted
from .whole_numbers import WholeNumbers
from .wireform import as_read

log = get_logger("infobip_connector.runtime")

# What the schema found no problem with taints no place (problems.taint of nothing).
_UNTAINTED: frozenset[Parts] = frozenset()
# Inputs of fewer values are validated with the full schema: the lean one (text_forms.py)
# saves a pattern per recipient, which a few recipients do not repay.
LEAN_FROM = 64
_UNPAUSED = nullcontext()


class ActionRuntime:
    def __init__(self, component: ComponentDefinition, action: Action) -> None:
        self.action = action
        self.executor: ModuleType = importlib.import_module(action.executor)
        # Optional: what an answer Infobip accepted says that the person should hear of
        # (``warnings(output, request) -> list[str]``), logged here as WARNINGs.
        self._warnings = getattr(self.executor, "warnings", None)
        for required in ("build_request", "shape_output"):
            if not callable(getattr(self.executor, required, None)):
                raise TypeError(f"executor {action.executor} of {action.name} lacks {required}()")
        self._input_prop = root = action.as_property()
        schema = input_schema(component, action)
        self.inputs = SchemaValidator(schema, root)
        # The same schema without the patterns the checks test themselves (text_forms.py):
        # what validate runs first.
        lean = lean_schema(schema, root)
        self._lean = SchemaValidator(lean, root) if lean is not None else None
        self._output_prop = action.output.as_property()
        # What a fitted output's entries may hold (see _read): a bulk's ``messages`` items,
        # or the output itself when it is the one entry.
        listed = next((c for c in self._output_prop.properties or [] if c.name == "messages"), None)
        self._entry_fields = (
            declared_fields(listed.items)
            if listed is not None and listed.type == "ARRAY"
            else None,
            declared_fields(self._output_prop),
        )
        self.outputs = SchemaValidator(output_schema(component, action), self._output_prop)
        # What a send's answer passes first: the output's schema with numbers that may have
        # lost digits refused too (digit_gate.py); only an answer failing it is looked at.
        self._gate = SchemaValidator(bounded(output_schema(component, action)), self._output_prop)
        # A float where a whole number is declared passes both schemas (2.0 is an integer
        # to JSON Schema): such an answer is fitted too, so that 2.0 comes out as 2.
        self._integers = IntegerPlaces(self._output_prop)
        self.checks = ActionChecks(action)
        self.placement = Placement(action)
        self.whole_numbers = WholeNumbers(action.as_property())
        self._given = guide_of(self._input_prop)
        self._url_members = url_members(root)
        # An empty filter is told from the input itself (empty_filters.py), and rules between
        # inputs judge them all: those actions take the generic path.
        self._plain = (
            None if self._url_members or root.rules else PlainChecks(self.checks.plan, self.inputs)
        )

    def validate(
        self,
        values: Any,
        now: datetime | None = None,
        *,
        phone_check: PhoneCheck = "valid",
        idempotency_key: str | None = None,
        derived: list[str] | None = None,
        local: bool = False,
        share: bool = False,
    ) -> dict[str, Any]:
        """Pruned, schema-checked, rule-checked and normalised values, or InputError.

        Schema and rules run in one pass: every problem is reported at once, in the order
        the person wrote the values, except that a member name the schema validator cannot
        read (a lone surrogate) is told without the checks' problems, which rely on its
        verdict (``SchemaValidator.judged``). With ``idempotency_key`` (checked by
        ``idempotency.checked_key``), a send's missing IDs are derived from it and from what
        each names (``idempotency.derived_ids``) instead of drawn at random, and listed in
        ``derived`` when given; other kinds assign no IDs and ignore it.
        ``local``: the connection is a sandbox on this machine, so a URL Infobip calls back
        (``format: callback-url``) may be a loopback one.
        ``share``: the result may hold the objects of ``values`` that need no change (a
        bulk's recipients) rather than copies; for a request that is sent and dropped, never
        for values handed back to the caller, who may change them.
        """
        derive = None
        if idempotency_key is not None and self.action.kind == "send":
            derive = partial(_derive, idempotency_key, self.action.name, derived)
        if not isinstance(values, dict):
            raise InputError([{"path": "", "message": "the input must be an object of properties"}])
        if self._plain is not None:
            # Nearly every input: a plain one checked on its copy (plain_checks.py).
            checked = self._plain.checked(values, now, phone_check, local, derive)
            if checked is not None:
                return checked
        lists: list[list[Any]] | None = [] if share else None
        # The pruning pauses the collector itself for a large input (values.py); the rest is
        # paused for an input as large (PAUSE_FROM), as pausing costs more than a small one's
        # work.
        pruned, emptied, floats, size, dropped = prune_counted(values, self._input_prop, lists)
        with paused_gc if size >= PAUSE_FROM else _UNPAUSED:
            if floats:
                # Before the checks: an ID derived from the values must not depend on it.
                self.whole_numbers.normalise(pruned)
            problems = None
            lean = self._lean
            # The lean schema says nothing the full one would not: where it finds no problem,
            # the patterns it leaves out are all the full one could add, and the checks test
            # them; anything else is validated with the full schema, as it reports it.
            if lean is not None and size >= LEAN_FROM and not lean.problems(pruned):
                try:
                    problems = self.checks.apply(
                        pruned,
                        now,
                        check=phone_check,
                        derive=derive,
                        local=local,
                        patterns=True,
                        shared=_ids(lists),
                    )
                except PatternFailed:
                    # Validated again from the input: the checks normalised some values.
                    lists = [] if share else None
                    pruned, emptied, floats, _, _ = prune_counted(values, self._input_prop, lists)
                    if floats:
                        self.whole_numbers.normalise(pruned)
            if problems is None:
                problems, readable = self.inputs.judged(pruned)
                if readable:  # else the validator stopped at a name: no checks on unjudged values
                    problems += self.checks.apply(
                        pruned,
                        now,
                        check=phone_check,
                        taint=taint(problems) if problems else _UNTAINTED,
                        derive=derive,
                        local=local,
                        shared=_ids(lists),
                    )
            if dropped:
                # A misspelled member given empty is pruned before the schema sees it.
                problems += unknown_empty_problems(values, pruned, self._input_prop)
            if self._url_members:
                # Before the pruning's "not given" reaches the URL: an empty filter.
                problems += empty_filter_problems(values, self._url_members)
            if problems:
                raise input_error(problems, values)
            result: dict[str, Any] = drop_emptied(pruned, self._given) if emptied else pruned
            return result

    def prepare(
        self,
        values: Any,
        now: datetime | None = None,
        *,
        phone_check: PhoneCheck = "valid",
        idempotency_key: str | None = None,
        repeated: bool = False,
        local: bool = False,
        derived: list[str] | None = None,
    ) -> InfobipRequest:
        """The request to send: the executor's, with the declared parameters and kind.

        ``repeated``: this execution repeats an earlier one with the same key, which may
        have been accepted; the IDs derived from the key become the request's
        ``confirmable`` IDs. ``derived``, when given, gets those IDs too.
        """
        derived = [] if derived is None else derived
        validated = self.validate(
            values,
            now,
            phone_check=phone_check,
            idempotency_key=idempotency_key,
            derived=derived,
            local=local,
            share=True,
        )
        request: InfobipRequest = self.executor.build_request(validated)
        request = self.placement.apply(request, validated)
        if repeated and derived:
            request = replace(request, confirmable=frozenset(derived))
        return request

    def as_read(self, request: InfobipRequest, derived: Collection[str]) -> Any:
        """``request`` (this action's, from :meth:`prepare`, which gave ``derived``) in the
        form in which two requests Infobip reads alike are equal (``wireform.py``)."""
        return as_read(request, self._input_prop, derived)

    def finish(
        self, body: Any, request: InfobipRequest, *, as_sent: bool = False
    ) -> dict[str, Any]:
        """The declared output from Infobip's parsed answer, every messageId accounted for.

        ``as_sent``: the executor's output without fitting it to the declared output (no
        field dropped): for a poll, whose trigger checks each item strictly and refuses an
        unreadable one alone, rather than lose its wrong-typed fields without a word.

        Infobip has accepted the request by now, so no failure here may lose its IDs:
        anything but the connector's own errors becomes ``OutcomeUnknownError`` with them,
        and an interruption carries them on (``outcome.mark_interrupted``).
        """
        try:
            if len(request.recipients.ids) == 1:
                # One message's answer is too small for the cycle collector to matter, and
                # pausing it would cost more than reading that answer.
                shaped, columns = self._read(body, request, as_sent)
            else:
                with paused_gc:
                    shaped, columns = self._read(body, request, as_sent)
            digits.forget()  # the output is checked: the answer is not read again
            if self.action.kind == "send":
                log_rejections(self.action.name, shaped, columns)
            if self._warnings is not None:
                for said in self._warnings(shaped, request):
                    log.warning("%s: %s", self.action.name, said)
        except Exception as exc:
            digits.forget()
            raise after_arrival(exc, request.reference, request.kind) from None
        except BaseException as exc:
            digits.forget()
            mark_interrupted(exc, request.reference, request.kind)
            raise
        return shaped

    def _read(
        self, body: Any, request: InfobipRequest, as_sent: bool
    ) -> tuple[dict[str, Any], Columns | None]:
        """The output of ``finish``, every messageId accounted for (raises as it says).

        With it, for a send to several recipients, its entries' ``Columns``: each field is
        read once, in C, for the accounting and the warning about rejected messages both.
        """
        # Fitted: the answer was fitted to the declared output already (``_shape``).
        fitted = as_sent
        if as_sent:
            shaped: dict[str, Any] = self.executor.shape_output(body, request)
        else:
            shaped, fitted = self._shape(body, request)
        columns = None
        if len(request.recipients.ids) > 1 and (
            self.action.accountsMessages or self.action.kind == "send"
        ):
            entries = returned_entries(shaped)
            # Fitted to the declared output (not as sent), the entries hold declared fields
            # only: an undeclared one (Send SMS declares no messageCount) needs no reading.
            fields = None
            if not as_sent:
                fields = self._entry_fields[0 if entries is shaped.get("messages") else 1]
            columns = Columns(entries, fields)
        if self.action.accountsMessages:
            # Only an entry the accounting did not find plain (or refused) can hold a float
            # where a whole number is declared (a status number, a messageCount): that answer
            # is fitted, unless it was, so that 1.0 comes out as 1, and accounted for again.
            try:
                plain = check_accounted(shaped, request.reference, request.recipients, columns)
            except OutcomeUnknownError:
                if fitted or not self._integers.hold_float(shaped):
                    raise
                refit = True
            else:
                refit = not plain and not fitted and self._integers.hold_float(shaped)
            if refit:
                shaped = self._fitted(self._with_digits(body, shaped, request), request)
                if columns is not None:
                    columns = Columns(returned_entries(shaped), columns.fields)
                check_accounted(shaped, request.reference, request.recipients, columns)
        return shaped, columns

    def _shape(self, body: Any, request: InfobipRequest) -> tuple[dict[str, Any], bool]:
        """The executor's output, fitted to the declared output when it is not as declared
        (``_fitted``), and whether it was."""
        try:
            shaped = self.executor.shape_output(body, request)
        except UnreadableAnswer:
            # The executor's check of the answer may have met a number that lost digits (a
            # send's answer is read by orjson): it judges the answer read with every digit.
            again = digits.again(body)
            if again is None:
                raise
            body = again
            shaped = self.executor.shape_output(body, request)
        # Problems first, unexplained: a valid answer (nearly every one) is told by that alone.
        # A float where a whole number is declared passes the schemas (2.0 is an integer to
        # JSON Schema) and is looked for here, except in a send's answer: its accounting
        # meets those places anyway (``_read``), at no cost to a plain answer.
        if not self._gate.problems(shaped) and (
            self.action.accountsMessages or not self._integers.hold_float(shaped)
        ):
            return shaped, False
        # A number may have lost digits (a send's answer is read by orjson): read the
        # answer again keeping them, then apply the output rule to that.
        shaped = self._with_digits(body, shaped, request)
        if self.outputs.problems(shaped) or self._integers.hold_float(shaped):
            return self._fitted(shaped, request), True
        return shaped, False

    def _with_digits(self, body: Any, shaped: Any, request: InfobipRequest) -> Any:
        """The output of ``body`` read again with every digit (``digits.again``), or
        ``shaped`` (the output of ``body``) when it cannot be: for an output whose check met
        a number orjson may have misread.

        Those are a float where text is declared or past ±2^63 where a number is (a whole
        number past 64 bits, ``digits.py``), and a float where a whole number is declared:
        orjson reads a number too small for a double (``1e-400``) as 0.0, which the output
        rule would turn into 0, where read again it is its literal text. A send's output
        declares whole numbers and text only (``tests/test_tiny_numbers.py`` holds every
        send to it), so no other place of an output the check passed can hold such a 0.0;
        the accounting meets the whole numbers' places anyway (``_read``).
        """
        again = digits.again(body)
        return shaped if again is None else self.executor.shape_output(again, request)

    def _fitted(self, shaped: Any, request: InfobipRequest) -> dict[str, Any]:
        """``shaped`` fitted to the declared output (``shaping.fit``), each field not as
        declared named in a WARNING; OutcomeUnknownError when the answer is unusable."""
        fitted = fit(shaped, self._output_prop)
        if fitted.value is None:
            # Every problem carries a message, as the output check's own do.
            problems = [{"path": "", "message": f"must be an object, not {json_kind(shaped)}"}]
        else:
            problems = self._unkept(fitted.value, fitted)
        value = fitted.value
        if value is None or problems or not value:
            raise OutcomeUnknownError(
                "Infobip accepted the request (HTTP 2xx) but its answer does not have the "
                "expected shape; " + advice(request.kind, request.reference),
                {**request.reference, "problems": problems[:5]},
            )
        notes = fitted.notes()
        if notes:
            log.warning(
                "%s: %d field(s) of Infobip's answer not of the declared type: %s",
                self.action.name,
                len(notes),
                "; ".join(notes[:5]) + ("; ..." if len(notes) > 5 else ""),
            )
        result: dict[str, Any] = value
        return result

    def _unkept(self, shaped: Any, fitted: Fitted) -> list[dict[str, str]]:
        """The output check's problems with ``shaped``, except at the places ``fitted``
        kept as given (``shaping``: never dropped) and below them."""
        kept = {parts for parts, _ in fitted.kept}
        # The kept values are not judged: the check reads None there (one may be nested
        # deeper than the validator reads, and must not make the whole answer unreadable).
        checked = blanked(shaped, kept) if kept else shaped
        return [
            {"path": format_path(list(parts)), "message": said(message)}
            for parts, message in self.outputs.problems(checked)
            if not any(parts[:end] in kept for end in range(len(parts) + 1))
        ]


def _derive(
    key: str, action: str, record: list[str] | None, values: Any, places: list[Parts]
) -> list[str]:
    ids = derived_ids(key, action, values, places)
    if record is not None:
        record.extend(ids)
    return ids


def _ids(lists: list[list[Any]] | None) -> set[int] | None:
    """The ids of the lists ``prune_counted`` left sharing the input's objects, if any."""
    return {id(items) for items in lists} if lists else None
