"""What masking writes into a text (the dots of a cut, the space after an Authorization
scheme, escapes read) never spells a secret with the text around it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import orjson
import pytest

from infobip_connector.redaction import redact, scrub_answer, snippet
from infobip_connector.redaction.keys import carrying
from infobip_connector.redaction.text import MAX_ESCAPE_LEVELS


@pytest.mark.parametrize(
    ("secrets", "text", "limit"),
    [
        (["p4ss."], "p4ssXXXXXXXX", 7),  # the dots end the secret
        (["ss..."], "p4ssXXXXXXXX", 7),
        (["a-A", "A%"], "a-A%61%2Da%Aa-A", 10),  # the cut leaves '%', which decodes with 'a'
    ],
)
def test_the_dots_of_a_cut_spell_no_secret(secrets: list[str], text: str, limit: int) -> None:
    with carrying(secrets):
        shown = snippet(text, limit)
    assert len(shown) <= limit
    decoded = re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), shown)
    for secret in secrets:
        assert secret.lower() not in shown.lower() + " " + decoded.lower(), shown


def test_a_cut_that_spells_nothing_is_unchanged() -> None:
    with carrying(["p4ss."]):
        assert snippet("hello world, how are you", 10) == "hello w..."


def test_the_space_after_an_authorization_scheme_is_kept_as_written() -> None:
    with carrying(["p4ss Basic "]):
        shown = redact("p4ss Basic\tfoo")
    assert shown == "p4ss Basic\t***"
    assert redact("App  abcdef and Bearer xyz") == "App  *** and Bearer ***"


def test_a_secret_escaped_twice_is_masked_once_a_first_level_is_shown_read() -> None:
    # Once escapes are read to mask a key, the next level becomes readable: it is read too.
    with carrying(["p4ss"]):
        assert redact(r"\u0070\u0034ss \\u0070\\u0034ss") == "*** ***"
        # Nothing found at a level: the text is shown as written, escapes and all.
        assert redact(r"\\u0070\\u0034ss") == r"\\u0070\\u0034ss"


def test_two_overlapping_secrets_of_one_length_are_masked_alike_in_every_process() -> None:
    # Their order was a set's, which the hash seed decides.
    script = (
        "from infobip_connector.redaction import redact\n"
        "from infobip_connector.redaction.keys import carrying\n"
        "with carrying(['~ab~ab~ab~ab~ab~a', 'b~ab~ab~ab~ab~ab~']):\n"
        "    print(redact('AA*ab~ab~B~AB~AB~AB~AB~AB~AA'))\n"
    )
    shown = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert len(shown) == 1, shown


def test_a_cut_keeps_its_dots_after_an_authorization_value() -> None:
    assert snippet("App App App App ", 10) == "App ***..."


def test_escapes_are_read_level_after_level_up_to_a_bound() -> None:
    def escaped(level: int) -> str:
        """'q' escaped ``level`` times: each read turns the first ``\\u005c`` into '\\'."""
        return "\\" + "u005c" * (level - 1) + "u0071" if level else "q"

    with carrying(["q"]):
        # A key at every level up to the bound: each is read and masked.
        shown = redact(" ".join(escaped(level) for level in range(MAX_ESCAPE_LEVELS + 1)))
        assert shown.split() == ["***"] * (MAX_ESCAPE_LEVELS + 1)
        # One level more: the text is not shown (each level costs a pass over all of it).
        deep = " ".join(escaped(level) for level in range(MAX_ESCAPE_LEVELS + 2))
        assert redact(deep).startswith("(not shown")


def test_a_secret_beyond_ascii_is_found_in_its_other_letter_cases() -> None:
    with carrying(["pwσ"]):
        assert redact("got PWΣ and pwς") == "got *** and ***"


def test_the_dots_of_a_cut_spell_no_secret_through_a_json_escape() -> None:
    with carrying(["abc."]):
        shown = snippet(r"ab\u0063" + "X" * 10, 11)
    assert "abc." not in shown.encode().decode("unicode_escape"), shown


@pytest.mark.parametrize(
    ("secret", "text"),
    [
        ("parolası", "got PAROLASI"),  # upper-cased, the dotless i folds to another letter
        ("pwσ.", "got PWΣ%2E"),  # percent-encoded in part
        ("parolası", "got PAROLAS%49"),  # both
    ],
)
def test_a_secret_beyond_ascii_is_found_whatever_its_folding(secret: str, text: str) -> None:
    with carrying([secret]):
        assert redact(text) == "got ***"


@pytest.mark.parametrize(
    ("secret", "echo"), [("pw-secretσ", "PW-SECRETΣ"), ("parolası", "PAROLASI")]
)
def test_an_answer_echoing_a_secret_beyond_ascii_upper_cased_is_masked(
    secret: str, echo: str
) -> None:
    body = {"echo": f"got {echo}!"}
    with carrying([secret]):
        scrubbed = scrub_answer(body, orjson.dumps(body), secret, {})
    assert scrubbed == {"echo": "got ***!"}


def test_the_words_said_for_a_text_too_deep_spell_no_secret() -> None:
    def escaped(level: int) -> str:
        return "\\" + "u005c" * (level - 1) + "u0071" if level else "q"

    deep = " ".join(escaped(level) for level in range(MAX_ESCAPE_LEVELS + 2))
    with carrying(["q", "not shown"]):  # a carried secret may be any text
        shown = redact(deep)
    assert shown.startswith("(") and "not shown" not in shown.lower(), shown
