"""The key inside an ID the connector sent stays, however the text spells the ID; every other
occurrence of it is masked, and a text holding tens of thousands of both is masked in one go.

A kept ID is found as written and as the text reads percent-decoded once (``msg%2DKEY`` for
``msg-KEY``). Only an occurrence inside one kept ID stays: one that two overlapping kept IDs
cover between them, that an escape cuts into, or that overlaps a kept one (a key that
overlaps itself) is masked. Thousands of kept IDs of distinct shapes cost no more than one.
"""

from __future__ import annotations

import pytest

from infobip_connector.masking import mask_secrets
from infobip_connector.redaction import redact, register_secret

from .test_masking_spellings import KEY, _percent

HELD = f"msg-{KEY}"


@pytest.mark.parametrize(
    ("spelled", "held"),
    [
        (f"msg%2D{KEY}", HELD),
        (f"msg%2d{KEY}", HELD),
        (f"%6Dsg-{KEY}", HELD),
        (f"msg-{KEY}%2D1", f"{HELD}-1"),
        (f"msg%2D{KEY[:5]}{_percent(KEY[5:])}", HELD),
        (f"msg%2D{KEY.upper()}", f"msg-{KEY.upper()}"),
        (f"msg%2D{KEY[:9].upper()}{KEY[9:]}%2D1", f"msg-{KEY[:9].upper()}{KEY[9:]}-1"),
        (_percent(HELD), HELD),
        (HELD, HELD),
    ],
    ids=[
        "dash encoded",
        "lower-case hex",
        "before the key",
        "after the key",
        "the key partly encoded too",
        "upper-cased",
        "mixed case, two escapes",
        "all encoded",
        "as written",
    ],
)
def test_a_kept_id_keeps_the_key_inside_it_however_much_of_it_is_percent_encoded(
    spelled: str, held: str
) -> None:
    text = f"{spelled} and {KEY}, {KEY.upper()}, {_percent(KEY)}"
    assert mask_secrets(text, (KEY,), {held}) == f"{spelled} and ***, ***, ***"


@pytest.mark.parametrize(
    ("text", "held", "masked"),
    [
        (f"msg%2D{KEY}{KEY}", HELD, f"msg%2D{KEY}***"),
        (f"{KEY}msg%2D{KEY}", HELD, f"***msg%2D{KEY}"),
        (f"msg%2D{KEY}%2D{KEY}", HELD, f"msg%2D{KEY}%2D***"),
        (f"msg%2D{KEY.upper()}%2d{KEY}", f"msg-{KEY.upper()}", f"msg%2D{KEY.upper()}%2d***"),
        (f"msg_{KEY} msg%5F{KEY}", HELD, "msg_*** msg%5F***"),
        (f"msg%2D{KEY}", f"{HELD}-1", "msg%2D***"),
    ],
    ids=[
        "right after",
        "right before",
        "after an escape",
        "in another case",
        "another ID",
        "a longer kept ID",
    ],
)
def test_the_key_beside_a_partly_encoded_kept_id_is_masked(
    text: str, held: str, masked: str
) -> None:
    assert mask_secrets(text, (KEY,), {held}) == masked


def test_redact_keeps_a_registered_key_inside_a_partly_encoded_kept_id() -> None:
    key = "kept-percent-key-0008"
    register_secret(key)
    text = f"IDs to check: msg%2D{key}%2D1, msg%2D{key}%2D2 ({key.upper()})"
    masked = f"IDs to check: msg%2D{key}%2D1, msg%2D***%2D2 (***)"
    assert redact(text, {f"msg-{key}-1"}) == masked


def test_a_kept_id_in_one_letter_case_keeps_no_key_in_another() -> None:
    # Kept IDs are found as written: the key upper-cased in an ID sent lower-cased is not it.
    assert mask_secrets(f"msg%2D{KEY.upper()}", (KEY,), {HELD}) == "msg%2D***"
    assert mask_secrets(f"msg%2D{KEY}", (KEY,), {f"msg-{KEY.upper()}"}) == "msg%2D***"


def test_several_kept_ids_each_keep_their_own_key() -> None:
    keep = {f"a-{KEY}", f"b-{KEY}-2", f"C-{KEY.upper()}"}
    text = f"a%2D{KEY}, b-{KEY}%2D2, C%2D{KEY.upper()}, c%2D{KEY}, b%2D{KEY}%2D3"
    masked = f"a%2D{KEY}, b-{KEY}%2D2, C%2D{KEY.upper()}, c%2D***, b%2D***%2D3"
    assert mask_secrets(text, (KEY,), keep) == masked


@pytest.mark.parametrize(
    ("dash", "pad", "read"), [("-", "", ""), ("%2D", "", ""), ("%2D", "%41", "A")]
)
def test_an_occurrence_two_overlapping_kept_ids_cover_only_between_them_is_masked(
    dash: str, pad: str, read: str
) -> None:
    # "ab" * 8 occurs at every other character of "ab" * 10: at 2 inside the first kept ID,
    # at 6 inside the second, at 4 inside neither (the first ends at 18, the second starts
    # at 6). Merging the two spans into one would keep the key at 4.
    key = "ab" * 8
    keep = {f"{read}x-{key}", f"{key}-y"}
    text = f"{pad}x{dash}{'ab' * 10}{dash}y"
    assert mask_secrets(text, (key,), keep) == f"{pad}x{dash}ab***ab{dash}y"
    inside_both = f"{pad}x{dash}{key}{dash}y"
    assert mask_secrets(inside_both, (key,), keep) == inside_both


def test_an_occurrence_an_escape_cuts_into_is_masked_even_inside_a_kept_id() -> None:
    # "%41" reads "A": the "41-..." written after "%" spells the key only as written, where
    # no kept ID holds it. Masked, it leaves no kept ID to hold the key written after it.
    key = "41-Cut-Key-0123456789"
    held = f"msgA-Cut-Key-0123456789-{key}"
    assert mask_secrets(f"msg%41-Cut-Key-0123456789-{key}", (key,), {held}) == "msg%***-***"
    assert mask_secrets(f"msgA-Cut-Key-0123456789-{key}", (key,), {held}) == held


# ------------------------------------------------------- texts with tens of thousands of them

# The former checks (each occurrence against every kept span, each kept ID looked for in the
# whole text) took 25 to 45 s for 20,000 of each; this many would take several minutes.
MANY = 50_000


@pytest.mark.parametrize(
    ("held", "bare"),
    [
        (HELD, KEY),
        (f"msg-{KEY.upper()}", KEY.upper()),
        (f"msg%2D{KEY}", f"{KEY[:5]}{_percent(KEY[5:9])}{KEY[9:]}"),
    ],
    ids=["as written", "upper-cased", "partly percent-encoded"],
)
def test_a_text_with_tens_of_thousands_of_kept_ids_and_keys_is_masked(held: str, bare: str) -> None:
    keep = {held.replace("%2D", "-")}
    text = " ".join([held, bare] * MANY)
    assert mask_secrets(text, (KEY,), keep) == " ".join([held, "***"] * MANY)


def test_a_text_listing_tens_of_thousands_of_kept_ids_keeps_each() -> None:
    # As an error lists the messageIds it could not confirm: each ID is another kept string,
    # every other one here with its dash percent-encoded.
    ids = [f"{number}-{KEY}" for number in range(MANY)]
    text = ", ".join(i.replace("-", "%2D", number % 2) for number, i in enumerate(ids))
    assert mask_secrets(f"{text}; {KEY}", (KEY,), set(ids)) == f"{text}; ***"


# ------------------------------------------------- occurrences overlapping a kept one

# A key that overlaps itself: "abcdefgh" + it holds it again 8 characters on.
SELF = "abcdefgh" * 2


@pytest.mark.parametrize(
    ("text", "key", "held", "masked"),
    [
        (f"msg%2D{SELF}ABCDEFGH", SELF, f"msg-{SELF}", "msg%2Dabcdefgh***"),
        (f"msg-{SELF}ABCDEFGH", SELF, f"msg-{SELF}", "msg-abcdefgh***"),
        (f"msg-{SELF}abcdefgh", SELF, f"msg-{SELF}", "msg-abcdefgh***"),
        ("msg-ABCDEFGHabcdefghABCDEFGH", SELF, "msg-ABCDEFGHabcdefgh", "msg-ABCDEFGH***"),
        (f"msg-{SELF}%41BCDEFGH", SELF, f"msg-{SELF}", "msg-abcdefgh***"),
        (f"msg-{SELF}{_percent('ABCDEFGH')}", SELF, f"msg-{SELF}", "msg-abcdefgh***"),
        # Decoded: D-abcabc..., the key every 3 characters; kept at 2, not at 5.
        (
            "D%2D%61bcabca%62cabcabc%61bcabcabcabca",
            "abc" * 5 + "a",
            "D-" + "abc" * 5 + "a",
            "D%2D%61bc***bcabcabca",
        ),
    ],
    ids=[
        "another case, kept ID partly encoded",
        "another case",
        "as written",
        "another case, kept ID in mixed case",
        "percent-encoded, one escape",
        "percent-encoded",
        "percent-encoded, period 3",
    ],
)
def test_an_occurrence_overlapping_a_kept_one_is_masked(
    text: str, key: str, held: str, masked: str
) -> None:
    # The kept ID keeps the occurrence inside it; one that starts inside it and ends past it
    # is in no kept ID, so it is masked, though the mask cuts into the kept ID.
    assert mask_secrets(text, (key,), {held}) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"x{SELF}abcdefgh", "x***abcdefgh"),
        (f"x{SELF}ABCDEFGH", "x***ABCDEFGH"),
        (f"x{_percent(SELF)}{_percent('abcdefgh')}", f"x***{_percent('abcdefgh')}"),
    ],
    ids=["as written", "another case", "percent-encoded"],
)
def test_occurrences_overlapping_a_masked_one_mask_alike_with_or_without_kept_ids(
    text: str, masked: str
) -> None:
    # The leftmost is masked and its mask cuts into the next, so no whole key is left; a
    # kept ID holding the key but not in the text changes nothing.
    assert mask_secrets(text, (SELF,)) == masked
    assert mask_secrets(text, (SELF,), {f"msg-{SELF}"}) == masked


# ------------------------------------------------- thousands of kept IDs of distinct shapes

# 4,096 kept IDs, each with its own key offset and length: checking every shape at every
# occurrence of the key took some 20 s for each of these texts.
SHAPES = [(before, after) for before in range(64) for after in range(64)]


def test_thousands_of_kept_ids_of_distinct_shapes_are_each_kept() -> None:
    # Each ID's text before the key names its shape, so no ID is inside another.
    ids = [
        f"<{before:02d}{after:02d}=".ljust(before + 6, "=") + KEY + "=" * after
        for before, after in SHAPES
    ]
    written = [i.replace("<", "%3C") if number % 2 else i for number, i in enumerate(ids)]
    bare = [KEY, KEY.upper(), f"{KEY[:5]}{_percent(KEY[5:9])}{KEY[9:]}"]
    text = ", ".join(f"{i}, {bare[number % 3]}" for number, i in enumerate(written))
    masked = ", ".join(f"{i}, ***" for i in written)
    assert mask_secrets(text, (KEY,), set(ids)) == masked


def test_thousands_of_kept_ids_nested_in_each_other_are_each_kept() -> None:
    # xKEYy is inside xxKEYyy...: around each key, many prefixes and suffixes are found.
    ids = [f"{'x' * before}{KEY}{'y' * after}" for before, after in SHAPES if before or after]
    text = " ".join(f"{i} {KEY.lower()}" for i in ids)
    assert mask_secrets(text, (KEY,), set(ids)) == " ".join(f"{i} ***" for i in ids)


def test_prefixes_and_suffixes_of_different_kept_ids_are_not_tried_as_pairs() -> None:
    # Around each key, 183 prefixes of kept IDs and 183 suffixes of others are found, and no
    # pair of them is a kept ID: trying every such pair took some 18 s for this text.
    longest = 183
    ids = {"q" * n + KEY + "s" for n in range(1, longest + 1)}
    ids |= {"t" + KEY + "r" * n for n in range(1, longest + 1)}
    around = ("q" * longest, "r" * longest)
    text = " ".join(f"{around[0]}{KEY}{around[1]}" for _ in range(2600))
    assert mask_secrets(text, (KEY,), ids) == " ".join(
        f"{around[0]}***{around[1]}" for _ in range(2600)
    )


def test_kept_ids_with_a_prefix_found_and_no_suffix_found_are_not_tried() -> None:
    # Around each key, 90 prefixes of 8,100 kept IDs, and none of their suffixes: trying
    # every ID with a prefix found took some 7 s for this text.
    ids = {"p" * m + KEY + "s" * n for m in range(1, 91) for n in range(1, 91)}
    text = " ".join(f"{'p' * 90}{KEY}{'t' * 90}" for _ in range(5000))
    assert mask_secrets(text, (KEY,), ids) == " ".join(
        f"{'p' * 90}***{'t' * 90}" for _ in range(5000)
    )
