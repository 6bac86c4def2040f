"""The choices an options answer offers, kept to those a run would accept.

An options answer is untrusted: Infobip (or anything answering in its place) may name a
template ``""``, ``"a\\nb"``, 5,000 characters long or ``"\\u202eevil"``. Offered in a
dropdown, such a choice is refused by the input checks once picked, and a bidi override
also turns the label around. So each value is checked with the property's own rules (its
derived JSON Schema, as ``validate_input`` checks it); a value they refuse is left out and
said in a log record. A label that could not be shown as one plain line (a control or bidi
character, blank) is replaced by its value; an over-long one is cut.

At most ``MAX_OPTIONS`` choices are passed on; a longer list is cut and says so
(``Options.truncated``), as does the count of choices left out (``Options.dropped``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..definition.model import Property
from ..definition.schemas import property_schema
from ..definition.texts import text_problem
from ..redaction import get_logger
from .validation import SchemaValidator

log = get_logger("infobip_connector.options")

#: The most options passed on: a dropdown with more is no help, and an answer is untrusted.
MAX_OPTIONS = 1000
#: Labels past this many characters are cut (with "…"): a label is read, not sent.
MAX_LABEL = 200


class Options(list[dict[str, str]]):
    """``[{"value", "label"}, ...]``, a plain list to JSON, knowing what was left out.

    ``truncated``: the answer had more valid choices than ``MAX_OPTIONS``, the rest are not
    here. ``dropped``: how many choices were left out because the input rules refuse
    their value.
    """

    truncated: bool = False
    dropped: int = 0

    def notes(self) -> list[str]:
        """What a person should be told about this list; empty when it is whole."""
        said = []
        if self.dropped:
            said.append(
                f"{self.dropped} choice(s) from Infobip left out: their value is not one the "
                "property accepts"
            )
        if self.truncated:
            said.append(f"only the first {MAX_OPTIONS} choices are listed; type the value instead")
        return said


def checked_choices(options: Sequence[dict[str, str]], prop: Property, shown: str) -> Options:
    """``options`` (already of the shape ``{value, label}``, all text) without the values
    ``prop`` refuses, labels made safe, cut at ``MAX_OPTIONS``. ``shown``: the property's
    path, for the log record. Raises nothing."""
    validator = SchemaValidator(property_schema(prop), prop)
    kept = Options()
    for option in options:
        value = option["value"]
        if validator.errors(value):
            kept.dropped += 1
            continue
        if len(kept) == MAX_OPTIONS:
            kept.truncated = True
            continue  # counted on, so that a refused value past the cut is said too
        kept.append({"value": value, "label": _label(option["label"], value)})
    for note in kept.notes():
        log.warning("options of %s: %s", shown, note)
    return kept


def _label(label: str, value: str) -> str:
    if text_problem(label, kind="identifier") is not None:
        return value if len(value) <= MAX_LABEL else value[: MAX_LABEL - 1] + "…"
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
