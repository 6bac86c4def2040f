"""The CLI's JSON output: the same text the standard library writes, in one write."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from infobip_connector.hosts import jsonout
from infobip_connector.hosts.cli import main


class CountingBytes(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.writes += 1
        return super().write(data)


def test_a_bulk_output_goes_out_in_one_write_as_indented_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    destinations = [{"to": f"4179{i:07d}"} for i in range(500)]
    source = tmp_path / "bulk.json"
    source.write_text(json.dumps({"messages": [{"destinations": destinations, "text": "Grüße"}]}))
    raw = CountingBytes()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="utf-8"))
    monkeypatch.delenv("INFOBIP_API_KEY", raising=False)
    main(["run", "sendSms", "--sandbox", "--input", str(source)])
    sys.stdout.flush()
    text = raw.getvalue().decode("utf-8")
    output = json.loads(text)
    assert len(output["messages"]) == 500
    # Byte for byte what json.dump(indent=2, ensure_ascii=False) wrote before, in one call.
    assert text == json.dumps(output, indent=2, ensure_ascii=False) + "\n"
    assert raw.writes == 1


@pytest.mark.parametrize("pretty", [True, False])
def test_values_orjson_cannot_write_fall_back_to_strict_json(pretty: bool) -> None:
    data = {"big": 2**70, "text": "ž", "nested": [{"a": None}]}
    encoded = jsonout.encode(data, pretty=pretty)
    assert json.loads(encoded) == data
    assert encoded.decode("utf-8") == jsonout.encode({**data, "big": 1}, pretty=pretty).decode(
        "utf-8"
    ).replace(": 1,", f": {2**70},").replace(":1,", f":{2**70},")


def test_output_is_strict_json() -> None:
    encoded = jsonout.encode({"value": float("nan"), "other": float("inf")})
    json.loads(encoded, parse_constant=lambda name: pytest.fail(f"{name} in the output"))


def test_a_text_stream_without_bytes_gets_text() -> None:
    out = io.StringIO()
    jsonout.write({"a": [1, 2]}, pretty=False, out=out)
    assert out.getvalue() == '{"a":[1,2]}\n'
