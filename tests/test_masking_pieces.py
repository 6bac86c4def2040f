"""A large answer is searched for the key a piece at a time: no place may be missed."""

from __future__ import annotations

import pytest

from infobip_connector import masking
from infobip_connector.masking import held_of, may_hold

KEY = "Bench-Key-0123456789abcdef"


@pytest.mark.parametrize("shift", [-len(KEY), -len(KEY) + 1, -5, -1, 0, 1, 5])
@pytest.mark.parametrize("piece", [1, 2, 7])
@pytest.mark.parametrize("spelled", [KEY, KEY.upper(), KEY.swapcase()])
def test_a_key_across_a_piece_boundary_is_found(shift: int, piece: int, spelled: str) -> None:
    at = piece * masking._PIECE + shift
    filler = b'{"messageId":"x","to":"41790000000"},' * ((piece + 2) * masking._PIECE // 37)
    data = filler[:at] + spelled.encode() + filler[at:]
    assert len(data) > masking._PIECE
    assert may_hold(data, KEY)
    assert not may_hold(filler, KEY)


def test_a_key_at_the_very_end_of_a_large_answer_is_found() -> None:
    data = b"0" * (3 * masking._PIECE) + KEY.lower().encode()
    assert may_hold(data, KEY)
    assert not may_hold(data[:-1], KEY)


@pytest.mark.parametrize(
    ("size", "at"),
    [(40, 0), (3 * masking._PIECE, 0), (3 * masking._PIECE, masking._PIECE)],
    ids=["short", "large", "piece start"],
)
def test_a_key_where_a_search_starts_is_found(size: int, at: int) -> None:
    # The first byte searched (of the data, or of a piece): a search's answer 0 is a find.
    filler = b"0" * size
    data = filler[:at] + KEY.swapcase().encode() + filler[at:]
    assert may_hold(data, KEY)
    assert held_of(data, ["Other-Key-0123456789abcdef", KEY]) == [KEY]
    assert held_of(filler, [KEY]) == []
