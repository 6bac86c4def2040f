"""The wrapper secrets travel in: text whose ``repr`` and ``str`` are masked.

The connector wraps the API key and the webhook secrets it is given as text in its own
``SecretStr``, which behaves as pydantic's (``get_secret_value()``, ``'**********'`` for
its text, equal and hashed by value) without importing pydantic: every CLI step is a
fresh process, and pydantic's import cost more than the rest of a send. A pydantic
``SecretStr`` given by a caller is taken as well, everywhere one of ours is; since a
caller can only hold one once pydantic is imported, telling it apart imports nothing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from pydantic import SecretStr as PydanticSecretStr

    #: What a secret may be held as: the connector's wrapper or pydantic's.
    Secret: TypeAlias = "SecretStr | PydanticSecretStr"

_MASK = "**********"


class SecretStr:
    """A secret text; only ``get_secret_value()`` gives it, every rendering is masked."""

    __slots__ = ("_secret_value",)

    def __init__(self, secret_value: str) -> None:
        self._secret_value = secret_value

    def get_secret_value(self) -> str:
        return self._secret_value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and self._secret_value == other._secret_value

    def __hash__(self) -> int:
        return hash(self._secret_value)

    def __len__(self) -> int:
        return len(self._secret_value)

    def __str__(self) -> str:
        return _MASK if self._secret_value else ""

    def __repr__(self) -> str:
        return f"SecretStr({str(self)!r})"


def _pydantic_class() -> type[Any] | None:
    """pydantic's ``SecretStr`` if pydantic is loaded (else no caller can hold one)."""
    types = sys.modules.get("pydantic.types")
    found: type[Any] | None = getattr(types, "SecretStr", None)
    return found


def is_secret(value: Any) -> bool:
    """``value`` is a ``SecretStr``, the connector's or pydantic's (or a subclass of one)."""
    if isinstance(value, SecretStr):
        return True
    theirs = _pydantic_class()
    return theirs is not None and isinstance(value, theirs)


def is_exactly_secret(value: Any) -> bool:
    """``value``'s class is exactly one of the two ``SecretStr`` (a subclass may compute
    its key on every call, so the policy does not remember one as checked)."""
    kind = type(value)
    return kind is SecretStr or kind is _pydantic_class()
