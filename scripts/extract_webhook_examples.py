"""Write Infobip's published example bodies of the webhooks the triggers accept, for the tests.

Each file ``tests/fixtures/webhooks/<webhook>.json`` maps a content type to the examples the
OpenAPI description gives for that webhook's request body (name -> body; an XML body is its
text), so the trigger tests run on a clone without the OpenAPI files.

    python scripts/extract_webhook_examples.py [--source DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "infobip-openapi"
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "webhooks"

#: webhook name (the ``webhooks`` key of the description) -> description file
WEBHOOKS = {
    "receive-inbound-sms-messages": "infobip-sms-openapi.json",
    "receive-outbound-sms-message-reports-v3": "infobip-sms-openapi.json",
    "receive-inbound-whatsapp-messages": "infobip-whatsapp-openapi.json",
    "receive-whatsapp-delivery-reports": "infobip-whatsapp-openapi.json",
    "receive-whatsapp-seen-reports": "infobip-whatsapp-openapi.json",
}


def build(source: Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, Any] = {}
    files = {}
    for webhook, spec_file in WEBHOOKS.items():
        if spec_file not in specs:
            specs[spec_file] = json.loads((source / spec_file).read_text(encoding="utf-8"))
        content = specs[spec_file]["webhooks"][webhook]["post"]["requestBody"]["content"]
        files[f"{webhook}.json"] = {
            kind: {name: example["value"] for name, example in media.get("examples", {}).items()}
            for kind, media in content.items()
        }
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for filename, examples in build(args.source).items():
        target = args.out / filename
        target.write_text(json.dumps(examples, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
