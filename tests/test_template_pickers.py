"""Send WhatsApp Template Message: the template and language pickers (dynamic options),
in process, over a socket and from the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from infobip_connector import component
from infobip_connector.errors import InputError
from infobip_connector.sandbox import NO_TEMPLATES_SENDER, Fault, Sandbox, SandboxServer
from infobip_connector.sandbox.templates import Template

from .template_support import ACTION, CONNECTION, KEY, SANDBOX_OPTIONS, SENDER, one_message
from .test_e2e import cli, error_of

__all__ = ["SANDBOX_OPTIONS"]  # the ``server`` fixture's settings (conftest.py)

NAME = "messages[0].content.templateName"
LANGUAGE = "messages[0].content.language"


def _options(sandbox: Sandbox, path: str, values: dict[str, Any]) -> list[dict[str, str]]:
    return component.options(ACTION, path, values, {"token": KEY}, transport=sandbox.transport())


def test_the_template_picker_lists_the_senders_approved_templates() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    options = _options(sandbox, NAME, one_message())
    assert options == [
        {"value": "welcome", "label": "welcome (de, en)"},
        {"value": "order_update", "label": "order_update (en)"},
        {"value": "verification_code", "label": "verification_code (en)"},
        {"value": "order_payment", "label": "order_payment (en)"},
    ]
    assert [(r.method, r.path) for r in sandbox.requests] == [
        ("GET", f"/whatsapp/2/senders/{SENDER}/templates")
    ]


def test_the_language_picker_lists_the_chosen_templates_languages() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    values = one_message({"templateName": "welcome"})
    assert _options(sandbox, LANGUAGE, values) == [
        {"value": "de", "label": "de"},
        {"value": "en", "label": "en"},
    ]
    with pytest.raises(InputError) as caught:
        _options(sandbox, LANGUAGE, one_message({"language": "en"}))
    assert caught.value.errors[0]["path"] == NAME


def test_the_sender_is_looked_up_in_infobips_form() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.add_template(SENDER, Template("spring_sale", "hr", "Proljetna rasprodaja!", id="7"))
    values = one_message(**{"from": "+44 7860 099299"})
    assert {"value": "spring_sale", "label": "spring_sale (hr)"} in _options(sandbox, NAME, values)


def test_the_picker_asks_infobip_exactly_this_and_keeps_approved_templates() -> None:
    seen: list[httpx.Request] = []
    answer = {
        "templates": [
            {"name": "a", "language": "en", "status": "APPROVED"},
            {"name": "b", "language": "en", "status": "PENDING"},
            {"name": "c", "language": "en", "status": "REJECTED"},
            {"name": "a", "language": "fr", "status": "APPROVED"},
        ]
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    options = component.options(
        ACTION,
        "messages[].content.templateName",
        one_message(),
        CONNECTION,
        transport=httpx.MockTransport(handler),
    )
    assert options == [{"value": "a", "label": "a (en, fr)"}]
    (request,) = seen
    assert request.method == "GET" and request.content == b""
    assert request.url.raw_path == f"/whatsapp/2/senders/{SENDER}/templates".encode()


@pytest.mark.parametrize(
    ("message", "path"),
    [({"from": None}, "messages[0].from"), ({"from": "12"}, "messages[0].from")],
)
def test_a_missing_or_wrong_sender_is_input_error_and_nothing_is_asked(
    message: dict[str, Any], path: str
) -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    with pytest.raises(InputError) as caught:
        _options(sandbox, NAME, one_message(**message))
    assert caught.value.errors[0]["path"] == path
    assert sandbox.requests == []


def test_the_picker_is_a_read_a_503_is_retried() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    sandbox.script("GET", f"/whatsapp/2/senders/{SENDER}/templates", Fault(status=503))
    assert _options(sandbox, NAME, one_message())[0]["value"] == "welcome"
    assert len(sandbox.requests) == 2


def test_cli_options_over_a_socket(server: SandboxServer, sandbox: Sandbox, tmp_path: Any) -> None:
    (tmp_path / "input.json").write_text(json.dumps(one_message()))
    result = cli(
        server.url,
        "options",
        ACTION,
        "messages[].content.templateName",
        "--input",
        str(tmp_path / "input.json"),
        key=KEY,
    )
    assert result.returncode == 0, result.stderr
    assert [o["value"] for o in json.loads(result.stdout)] == [
        "welcome",
        "order_update",
        "verification_code",
        "order_payment",
    ]


#: The pickers' properties as ``options`` names them (any message: ``[]``).
PICKED_NAME = "messages[].content.templateName"
PICKED_LANGUAGE = "messages[].content.language"


def _sandbox_cli(*args: str, values: dict[str, Any], tmp_path: Any) -> Any:
    """``infobip-connector ARGS --input FILE --sandbox`` (FILE holding ``values``), run."""
    (tmp_path / "input.json").write_text(json.dumps(values))
    command = [*args, "--input", str(tmp_path / "input.json"), "--sandbox"]
    return subprocess.run(
        [sys.executable, "-m", "infobip_connector", *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_sandbox_has_a_sender_without_templates(tmp_path: Any) -> None:
    values = one_message(**{"from": NO_TEMPLATES_SENDER})
    result = _sandbox_cli("options", ACTION, PICKED_NAME, values=values, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    # The language picker of a template the sender does not have: at templateName.
    values = one_message({"templateName": "welcome"}, **{"from": NO_TEMPLATES_SENDER})
    result = _sandbox_cli("options", ACTION, PICKED_LANGUAGE, values=values, tmp_path=tmp_path)
    assert error_of(result)["type"] == "input"
    assert error_of(result)["details"]["errors"][0]["path"] == NAME


def test_the_sender_without_templates_can_be_given_one() -> None:
    sandbox = Sandbox(api_key=KEY, deliver_reports=False)
    assert _options(sandbox, NAME, one_message(**{"from": NO_TEMPLATES_SENDER})) == []
    sandbox.add_template(NO_TEMPLATES_SENDER, Template("first", "en", "Hello", id="9"))
    options = _options(sandbox, NAME, one_message(**{"from": NO_TEMPLATES_SENDER}))
    assert options == [{"value": "first", "label": "first (en)"}]
    assert _options(sandbox, NAME, one_message())[0]["value"] == "welcome"  # the others keep theirs
