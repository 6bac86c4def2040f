"""Infobip's XML webhook bodies (delivery reports v3) read into the data their JSON twin holds.

The XML form carries no types: ``<messageCount>1</messageCount>`` is text. It is read guided by
the declared body (``{results: [report]}``): an element declared as an OBJECT becomes an
object of its child elements, one declared as an ARRAY a list of its child elements (whatever
their tag, e.g. ``<results><result>...``), and a leaf the declared type (INTEGER, NUMBER,
BOOLEAN, else text). Undeclared elements are left out, as the event shaping would drop them.

Read exactly as strictly as JSON: a leaf whose text is not its declared type (``1_000`` or
``١٢`` for a number, ``yes`` for a boolean) stays text, an element declared as a value that
holds elements is read as an object, and one declared as an object that holds text is read as
that text, so the event checks (``items.py``) refuse that item at the element's path, exactly
as they refuse the same mistyped field in JSON. Numbers follow JSON's grammar, for INTEGER
fields too (``1.0``, ``1E2``, ``-0.0`` are read as JSON reads them: whole numbers); an integer
keeps every digit (the checks refuse one past 64 bits).

Safety: expat (the standard library's parser) with no DTD at all: a document type or entity
declaration is refused, so no entity can expand (billion laughs) or reach a file or URL. The
depth is bounded; every failure is an :class:`XmlError`.
"""

from __future__ import annotations

import math
import re
from typing import Any
from xml.parsers import expat

from ..definition.model import Property
from ..redaction import get_logger

log = get_logger("infobip_connector.webhook")

# Numbers as JSON writes them (int() and float() would also take "+1", "1_000", "١٢", "inf").
_WHOLE = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_MAX_DIGITS = 4000
#: Marks a value element that held elements (mixed content): read as an object, refused.
_ELEMENTS = "\x00elements"


class XmlError(ValueError):
    """The XML cannot be read as the declared body; the message names where."""


class _Reader:
    def __init__(self, shape: Property, max_depth: int) -> None:
        self.max_depth = max_depth
        # One frame per open element: (declared property or None, path, value, text parts).
        self.stack: list[tuple[Property | None, str, Any, list[str]]] = []
        self.shape = shape
        self.result: Any = None

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if len(self.stack) >= self.max_depth:
            raise XmlError(f"is nested deeper than {self.max_depth} levels")
        if not self.stack:
            self.stack.append((self.shape, "", {}, []))
            return
        parent, path, value, text = self.stack[-1]
        if parent is not None and parent.type not in ("OBJECT", "ARRAY"):
            text.append(_ELEMENTS)
        prop, child_path = _child(parent, path, value, name)
        self.stack.append((prop, child_path, _empty(prop), []))

    def end(self, name: str) -> None:
        prop, path, value, text = self.stack.pop()
        if prop is not None and prop.type not in ("OBJECT", "ARRAY"):
            value = {} if _ELEMENTS in text else _leaf("".join(text), prop)
        elif prop is not None and "".join(text).strip():
            value = "".join(text)  # text where an object or list is declared
        if not self.stack:
            self.result = value
            return
        parent, _, container, _ = self.stack[-1]
        if prop is None or parent is None:
            return
        if parent.type == "ARRAY":
            container.append(value)
        else:
            assert prop.name is not None
            if prop.name in container:
                raise XmlError(f"has {path or prop.name} twice")
            container[prop.name] = value

    def text(self, data: str) -> None:
        if self.stack:
            self.stack[-1][3].append(data)


def _child(
    parent: Property | None, path: str, container: Any, name: str
) -> tuple[Property | None, str]:
    if parent is None:
        return None, path
    if parent.type == "ARRAY":
        assert parent.items is not None
        return parent.items, f"{path}[{len(container)}]"
    child = parent.child(name) if parent.type == "OBJECT" else None
    return child, f"{path}.{name}" if path else name


def _empty(prop: Property | None) -> Any:
    if prop is None:
        return None
    return {} if prop.type == "OBJECT" else [] if prop.type == "ARRAY" else None


def _leaf(text: str, prop: Property) -> Any:
    """``text`` as ``prop``'s type; text that is not one stays text (the checks refuse it)."""
    value = text.strip()
    if prop.type in ("INTEGER", "NUMBER") and len(value) > _MAX_DIGITS:
        return value  # int() refuses longer; no field of Infobip's is a number this long
    if prop.type in ("INTEGER", "NUMBER") and _NUMBER.fullmatch(value):
        if _WHOLE.fullmatch(value):
            return int(value)  # as a JSON reader gives "1" (and "0.5" as a float)
        # An INTEGER written "1.0", "1E2" or "-0.0" is read as the float JSON gives, so the
        # event checks take it as the whole number it is (and refuse "1.5") in both forms.
        number = float(value)
        return number if math.isfinite(number) else value
    if prop.type == "BOOLEAN" and value in ("true", "false"):
        return value == "true"
    return value if prop.type in ("INTEGER", "NUMBER", "BOOLEAN") else text


def read_xml(data: bytes, shape: Property, max_depth: int) -> Any:
    """The data the XML document ``data`` holds, read as ``shape`` declares; XmlError if not.

    A document that is not well-formed only because of bytes that are not UTF-8 or character
    references to lone UTF-16 surrogates is read with each of them as U+FFFD (and logged), so
    one undecodable text does not cost the batch, as with JSON (``safejson.loads_infobip``).
    """
    try:
        return _parse(data, shape, max_depth)
    except XmlError:
        repaired, replaced = _repair(data)
        if not replaced:
            raise
    value = _parse(repaired, shape, max_depth)
    log.warning(
        "The XML webhook body held %d character(s) that are not Unicode text; each was read "
        "as U+FFFD",
        replaced,
    )
    return value


def _parse(data: bytes, shape: Property, max_depth: int) -> Any:
    reader = _Reader(shape, max_depth)
    parser = expat.ParserCreate(encoding="utf-8")
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlError(
            f"is not well-formed XML ({expat.errors.messages[exc.code]}, line {exc.lineno})"
        ) from None
    except RecursionError:
        raise XmlError(f"is nested deeper than {max_depth} levels") from None
    return reader.result


# A character reference (decimal or hex) to a UTF-16 surrogate, U+D800 to U+DFFF.
_SURROGATE_REFERENCE = re.compile(r"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*5[5-7][0-9]{3});")


def _repair(data: bytes) -> tuple[bytes, int]:
    """``data`` with non-UTF-8 bytes and surrogate references as U+FFFD, and how many."""
    text = data.decode("utf-8", "replace")
    count = text.count("\ufffd") - data.count("\ufffd".encode())

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        reference = match.group()[2:-1]
        number = int(reference[1:], 16) if reference[0] in "xX" else int(reference)
        if not 0xD800 <= number <= 0xDFFF:
            return match.group()
        count += 1
        return "&#xFFFD;"

    return _SURROGATE_REFERENCE.sub(replace, text).encode("utf-8"), count


def _refuse_dtd(*_: Any) -> None:
    raise XmlError("has a document type or entity declaration, which is not accepted")
