"""Whether a strategy hands out any dict, list or set again: ``assert_drawn_anew``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infobip_connector.definition.model import format_path

Parts = tuple[str | int, ...]


def containers_in(value: Any) -> Iterator[tuple[Parts, Any]]:
    """Every dict, list and set ``value`` holds, itself included, with the parts of its
    path in ``value`` (``()`` for ``value`` itself). A loop, not recursion: a drawn value
    may nest hundreds deep."""
    stack: list[tuple[Parts, Any]] = [((), value)]
    while stack:
        parts, item = stack.pop()
        if isinstance(item, dict):
            yield parts, item
            stack.extend(((*parts, _member(key)), v) for key, v in item.items())
        elif isinstance(item, list | tuple):
            if isinstance(item, list):
                yield parts, item
            stack.extend(((*parts, index), v) for index, v in enumerate(item))
        elif isinstance(item, set):
            yield parts, item


def _member(key: Any) -> str:
    # A key that is not text (never valid input, but a mutation may draw one) is told apart
    # from the text it would print as, and from an index.
    return key if isinstance(key, str) else f"{key!r} (a key of type {type(key).__name__})"


def named_places(paths: list[Parts]) -> str:
    return ", ".join(
        format_path(parts, any_index=None) or "the top" for parts in sorted(paths, key=_in_order)
    )


def _in_order(parts: Parts) -> list[tuple[int, int, str]]:
    # Indices by number (m[2] before m[10]), before the members of the same place.
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in parts]


def assert_drawn_anew(strategy: st.SearchStrategy[Any], examples: int = 100) -> None:
    """No dict, list or set in a value ``strategy`` draws is in another draw, or twice in one.

    The strategies build inputs by changing drawn values in place (fix-ups, random values
    put into places, mutations), and the code under test is handed them too. An object
    handed out again (``st.just({...})``, ``sampled_from`` of a list holding ``{}``) carries
    what one example did to it into the next, so that the same choices no longer give the
    same value: hypothesis then fails with ``FlakyStrategyDefinition``. The failure names
    every place of the object in the draw, and in the earlier draw that held it (an action's
    ``Case`` is a tuple: its paths start with the index of its input, ``[0].messages[0]``).
    """
    owners: dict[int, tuple[int, list[Parts]]] = {}
    kept: list[Any] = []  # every draw stays alive, so that no id is reused

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(value=strategy)
    def draw(value: Any) -> None:
        kept.append(value)
        number = len(kept)
        places: dict[int, tuple[Any, list[Parts]]] = {}
        for parts, held in containers_in(value):
            places.setdefault(id(held), (held, []))[1].append(parts)
        for ident, (held, paths) in places.items():
            earlier = owners.get(ident)
            assert earlier is None and len(paths) == 1, (
                f"draw {number} holds one object at {named_places(paths)}"
                + (
                    ""
                    if earlier is None
                    else f", which draw {earlier[0]} held at {named_places(earlier[1])}"
                )
                + f": {held!r:.200}"
            )
            owners[ident] = (number, paths)

    draw()
