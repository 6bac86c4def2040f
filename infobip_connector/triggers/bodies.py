"""A webhook body, from bytes to data: content type, size and depth, JSON or XML.

Everything here refuses with :class:`BodyError` carrying the HTTP status it means (413 too
large, 415 a content type the trigger does not take, 400 unreadable); nothing else escapes
for any bytes, so a webhook never answers 500 to what a sender posts.
"""

from __future__ import annotations

from typing import Any

from .. import safejson
from ..definition.model import Property
from ..redaction import scrub_known_keys
from .xmlbody import XmlError, read_xml

#: Largest body accepted by default: Infobip batches at most a few hundred items of about
#: 1 KB (100 delivery reports by default, ``maxBucketSize`` in its Subscriptions API).
MAX_BODY_BYTES = 4 * 1024 * 1024
#: Deepest nesting accepted: Infobip's webhook bodies nest about 8 levels.
MAX_DEPTH = 32


class BodyError(Exception):
    """The body cannot be read; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        # What the answer's details.errors names: the header for 415, else the body.
        self.path = "request.headers.content-type" if status == 415 else "request.body"


def media_type(content_type: str | None, accepted: list[str]) -> str:
    """The declared media type ``content_type`` names; a BodyError 415 for anything else.

    Parameters other than a UTF-8 ``charset`` are ignored, as HTTP allows.
    """
    if not content_type:
        raise BodyError(415, f"a Content-Type is required: one of {', '.join(accepted)}")
    kind, _, parameters = content_type.partition(";")
    kind = kind.strip().lower()
    if kind not in accepted:
        raise BodyError(415, f"Content-Type must be one of {', '.join(accepted)}")
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            raise BodyError(415, "the body must be UTF-8 (charset=utf-8)")
    return kind


def read_body(data: bytes, kind: str, shape: Property, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """The data in ``data``, a body of media type ``kind``.

    ``shape`` is the body as declared (``{results: [event]}``): XML carries no types, so its
    text is read as the types declared there. Raises BodyError (413, 400).
    """
    if len(data) > max_bytes:
        raise BodyError(413, f"the body is larger than {max_bytes} bytes")
    if not data.strip():
        raise BodyError(400, "the body is empty")
    if kind == "application/xml":
        try:
            return scrub_known_keys(read_xml(data, shape, MAX_DEPTH), None)
        except XmlError as exc:
            raise BodyError(400, f"the XML body {exc}") from None
    try:
        # One undecodable string is read as U+FFFD (and logged), not a refused batch; big
        # integers keep every digit (the event checks refuse what cannot be written).
        value, _ = safejson.loads_infobip_digits(data, "The webhook body")
    except safejson.JsonError as exc:
        raise BodyError(400, f"the JSON body {exc}") from None
    if safejson.nested_deeper_than(value, MAX_DEPTH):
        raise BodyError(400, f"the JSON body is nested deeper than {MAX_DEPTH} levels")
    return scrub_known_keys(value, data)
