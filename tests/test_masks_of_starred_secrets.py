"""A secret holding '*' (a webhook's password or signing secret) is masked with another
character, so that no mask can spell it again with the text around it."""

from __future__ import annotations

import io
import re

import httpx
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infobip_connector.masking import MASK, mask_for, mask_secret_in_data, mask_secrets
from infobip_connector.redaction import mask_key_in_data, redact, register_secret, scrub_answer
from infobip_connector.redaction.keys import carrying, known_mask, known_secrets
from infobip_connector.sandbox import Sandbox
from infobip_connector.sandbox.masking import long_keys, mask_of, without_keys
from infobip_connector.sandbox.server import SandboxServer


def _spellings(text: str) -> list[str]:
    """``text`` as the masking reads it: as written, in lower case, percent-decoded once."""
    decoded = re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text)
    return [text, text.lower(), decoded.lower()]


def _spelled(secret: str, text: str) -> bool:
    return any(secret.lower() in spelling.lower() for spelling in _spellings(text))


def test_a_secret_without_a_star_keeps_the_usual_mask() -> None:
    assert mask_for(("p4ssword",)) == MASK
    assert mask_for(()) == MASK
    assert mask_secrets("got p4ssword", ("p4ssword",)) == "got ***"


def test_the_mask_of_a_starred_secret_is_a_character_none_of_the_secrets_holds() -> None:
    assert mask_for(("p4ss*",)) == "###"
    assert mask_for(("p4ss*", "x#y")) == "~~~"
    every = "*#~^!?=+"
    mask = mask_for((every,))
    assert mask == "\u2500" * 3
    assert mask_for((every + "\u2500",)) == "\u2501" * 3


def test_the_mask_character_is_caseless_printable_and_never_held() -> None:
    # A secret holding every candidate up to far past U+2500, letters with case among them.
    secret = "*#~^!?=+" + "".join(chr(c) for c in range(0x2500, 0x2C80))
    mask = mask_for((secret,))
    character = mask[0]
    assert mask == character * 3
    assert character not in secret
    assert character.lower() == character.upper() == character
    assert character.isprintable() and not character.isspace()


@pytest.mark.parametrize(
    ("secret", "text"),
    [
        ("x*", "xxx*"),
        ("p4ss*", "got p4ssp4ssp4ss*"),
        ("P4SS*", "got p4ssp4ssP4SS*"),
        ("p4ss*", "got p4ssp4ss%70%34%73%73%2A"),
        ("**", "a ** b"),
        ("*", "*"),
        ("a*#", "aaa*##a*#"),
    ],
)
def test_a_starred_secret_is_not_spelled_again_by_its_mask(secret: str, text: str) -> None:
    assert _spelled(secret, text)
    masked = mask_secrets(text, (secret,))
    assert not _spelled(secret, masked), masked


def test_the_logs_use_the_same_mask_for_authorization_values_and_url_passwords() -> None:
    with carrying(["p4ss*"]):
        line = redact("p4ssp4ss* App p4ss* https://user:p4ss*@example.com/")
        known = "".join(known_secrets())
    found = re.fullmatch(r"p4ss(.)\1\1 App \1{3} https://user:\1{3}@example\.com/", line)
    assert found is not None, line
    # Not '*', nor any character of a key known here ('#' is, if another test registered one).
    assert found.group(1) not in known + known.swapcase()


def test_an_answer_masked_for_a_starred_token_does_not_spell_it() -> None:
    token = "abcdefghijklmnop*"
    answer = {"text": "abcdefghijklmnop" * 2 + "*", "other": ["x" + token]}
    masked = mask_secret_in_data(answer, token)
    assert not any(_spelled(token, text) for text in [masked["text"], *masked["other"]])


def test_the_sandbox_masks_its_keys_with_one_mask_none_of_them_holds() -> None:
    sandbox_key, presented = "sandbox-key-0001#", "wrong-key-000000*"
    keys = long_keys((sandbox_key, presented, None, "short*"))
    assert keys == (sandbox_key, presented)
    assert mask_of(keys) == "~~~"
    assert mask_of(("abcdefghijklmnop",)) == "***"
    assert mask_of(("abcdefghijklmnop*~!$+",)) is None
    for text in ["/sms/sandbox-key-0001" + presented, "/sms/wrong-key-000000" + sandbox_key]:
        shown = without_keys(text, keys, "~~~")
        assert not any(_spelled(key, shown) for key in keys), shown


@pytest.mark.parametrize(
    ("presented", "path"),
    [
        # The mask is escaped in the line ('#' as %23): made of other characters, it could
        # spell a key holding them.
        ("%23zzzzzzzzzzzzzzzz*", "%2523zzzzzzzzzzzzzzzz*zzzzzzzzzzzzzzzz*"),
        ("wrong-key-000000*", "wrong-key-000000wrong-key-000000*"),
        ("wrong-key-0000*~!$+", "wrong-key-0000*~!$+"),  # no character left: no line
        # Escaped again for the log, the path spells the key as the client wrote it.
        ("abcdefghijklmn%22pq", "abcdefghijklmn%22pq"),
        # The line's own words and the scheme, then the mask of the value.
        ("ms auth=Appxx ***", "sms"),
        # The scheme itself, percent-encoded.
        ("ABCDEFGHIJKLMNOP", "sms"),
        # The line's own words and a scheme, read with its escapes decoded.
        ("s auth=ABCDEFGHIJ", "sms"),
    ],
)
def test_the_sandbox_log_line_spells_no_presented_key(presented: str, path: str) -> None:
    log = io.StringIO()
    schemes = {
        "ms auth=Appxx ***": "Appxx",
        "ABCDEFGHIJKLMNOP": "%41BCDEFGHIJKLMNOP",
        "s auth=ABCDEFGHIJ": "%41BCDEFGHIJ",
    }
    scheme = schemes.get(presented, "App")
    with SandboxServer(Sandbox(deliver_reports=False), access_log=log) as server:
        httpx.post(
            f"{server.url}/{path}/sms/1/preview",
            json={"text": "hi"},
            headers={"Authorization": f"{scheme} {presented}"},
        )
    line = log.getvalue()
    assert line.count("\n") == 1
    assert not _spelled(presented, line), line
    if "~!$+" in presented:
        assert line.startswith("(a request not shown")


class _Owner:
    """Holds a registered key for as long as a test needs it."""


def test_an_answer_scrubbed_for_each_secret_in_turn_spells_none_of_them() -> None:
    # As an exchange scrubs an answer: for the connection's key, then for each secret its
    # request carries, in the carrying block. The key may hold '#' (only '*' is refused).
    token, owner = "abcdefghijklmnop#", _Owner()
    register_secret(token, owner)
    for carried, echo in [
        (["p4ss*"], "abcdefghijklmnopp4ss*"),
        (["p4ss*", "~~~pass"], "p4ss*pass ~p4ss*pass"),
        (["p4ss*", "###pass"], "p4ss*pass"),
    ]:
        body = {"echo": echo}
        raw = orjson.dumps(body)
        with carrying(carried):
            for secret in (token, *carried):
                body = scrub_answer(body, raw, secret, {})
        for secret in (token, *carried):
            assert not _spelled(secret, body["echo"]), (secret, body)


def test_a_secret_beyond_ascii_is_masked_in_an_answer_in_any_letter_case() -> None:
    secret = "\u03a9mega-pass"
    for echo in (secret, secret.upper()):  # bytes fold no letter case beyond ASCII
        body = {"echo": f"got {echo}!"}
        assert scrub_answer(body, orjson.dumps(body), secret, {}) == {"echo": "got ***!"}


@pytest.mark.parametrize("held", range(9))
def test_no_mask_character_can_make_an_escape_or_be_held(held: int) -> None:
    # A secret holding '*' and, in turn, the first ``held`` characters a mask is made of.
    secret = "*" + "#~^!?=+"[:held] + "\u2500"
    mask = mask_for((secret, secret.upper()))
    assert len(set(mask)) == 1 and len(mask) == 3
    character = mask[0]
    assert character not in "%\\0123456789abcdefABCDEF" and not character.isspace()
    assert character.casefold() not in secret.casefold()


_PIECES = st.sampled_from(["a", "b", "A", "*", "**", "%2A", "%61", "#", "~", " "])


@settings(max_examples=400, deadline=None)
@given(
    secrets=st.lists(
        st.text(alphabet="ab*#~A", min_size=1, max_size=6).filter(lambda s: "*" in s),
        min_size=1,
        max_size=3,
    ),
    pieces=st.lists(st.one_of(_PIECES, st.integers(0, 2)), max_size=24),
)
def test_no_starred_secret_is_left_in_any_spelling(
    secrets: list[str], pieces: list[str | int]
) -> None:
    # A text of the secrets' own characters, escapes and stars around whole secrets.
    ordered = tuple(sorted(set(secrets), key=len, reverse=True))
    text = "".join(
        piece if isinstance(piece, str) else ordered[piece % len(ordered)] for piece in pieces
    )
    masked = mask_secrets(text, ordered)
    for secret in ordered:
        assert not _spelled(secret, masked), (secret, text, masked)


def test_a_token_masked_in_data_gets_the_mask_of_every_known_key() -> None:
    # The editor's answers and a refused connection's errors: a token holding '*' beside a
    # registered key holding '#'.
    key, owner, token = "qrstuvwxyzabcdef#", _Owner(), "T0KEN-abcdefghij*"
    register_secret(key, owner)
    masked = mask_key_in_data({"t": [key[:-1] + token]}, token)
    assert not _spelled(key, masked["t"][0]) and not _spelled(token, masked["t"][0])


def test_a_key_registered_during_a_carrying_block_changes_its_mask() -> None:
    with carrying(["p4ss*"]):
        first = known_mask()
        owner = _Owner()
        register_secret(f"registered-key-{first[0]}-0001", owner)
        second = known_mask()
        assert second != first
        assert second[0] not in "".join(known_secrets())


def test_the_sandbox_line_saying_a_request_is_not_shown_spells_no_key_either() -> None:
    key = "(a request not shown: "  # a key may be any text, this one too
    log = io.StringIO()
    with SandboxServer(Sandbox(key, deliver_reports=False), access_log=log) as server:
        httpx.get(
            f"{server.url}/sms/1/preview",
            headers={"Authorization": "%28a%20request%20not%20shown%3A x"},
        )
    line = log.getvalue()
    assert line == "(-)\n"
