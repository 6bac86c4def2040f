"""Infobip's XML webhook bodies (delivery reports v3) read into the data their JSON twin holds.

The XML form carries no types: ``<messageCount>1</messageCount>`` is text. It is read guided by
the declared body (``{results: [report]}``): an element declared as an OBJECT becomes an
object of its child elements, one declared as an ARRAY a list of its child elements (whatever
their tag, e.g. ``<results><result>...``), and a leaf the declared type (INTEGER, NUMBER,
BOOLEAN, else text). Undeclared elements are left out, as the event shaping would drop them.

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

# A whole number a JSON reader would give as an integer (and int() can read).
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


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
        parent, path, value, _ = self.stack[-1]
        prop, child_path = _child(parent, path, value, name)
        self.stack.append((prop, child_path, _empty(prop), []))

    def end(self, name: str) -> None:
        prop, path, value, text = self.stack.pop()
        if prop is not None and prop.type not in ("OBJECT", "ARRAY"):
            value = _leaf("".join(text), prop, path)
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


def _leaf(text: str, prop: Property, path: str) -> Any:
    value = text.strip()
    if prop.type == "INTEGER":
        # At most 18 digits: what every JSON encoder downstream can write (orjson: 64 bits).
        if not _WHOLE.fullmatch(value):
            raise XmlError(f"has {path}: {_shown(value)} is not an integer of up to 18 digits")
        return int(value)
    if prop.type == "NUMBER":
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise XmlError(f"has {path}: {_shown(value)} is not a finite number")
        # Whole numbers as integers, as a JSON reader gives "1" and "0.5".
        return int(value) if _WHOLE.fullmatch(value) else number
    if prop.type == "BOOLEAN":
        if value in ("true", "false"):
            return value == "true"
        raise XmlError(f"has {path}: {_shown(value)} is not true or false")
    return text


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def read_xml(data: bytes, shape: Property, max_depth: int) -> Any:
    """The data the XML document ``data`` holds, read as ``shape`` declares; XmlError if not."""
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


def _refuse_dtd(*_: Any) -> None:
    raise XmlError("has a document type or entity declaration, which is not accepted")
