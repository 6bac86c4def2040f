"""Every logger of the package masks keys and URL passwords itself.

A logger's filters only see the records created on that logger, so a module logging on
its own ``logging.getLogger(...)`` would print a request line, a URL or a key in clear to
any handler an engine attaches, whatever the package's root logger filters.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

import pytest

import infobip_connector
from infobip_connector.redaction import install_log_redaction, register_secret

KEY = "log-canary-key-0123456789abcdef"
PASSWORD = "LOG-CANARY-PW"


def _module_loggers() -> dict[str, logging.Logger]:
    """Every module-level logger of the package, by the module that holds it."""
    found: dict[str, logging.Logger] = {}
    for info in pkgutil.walk_packages(infobip_connector.__path__, "infobip_connector."):
        if info.name.endswith("__main__"):
            continue  # runs the command line when imported
        if info.name.startswith("infobip_connector.sandbox."):
            # The emulator shares no code with the connector (see test_layers); it masks the
            # URLs it logs itself (sandbox/masking.py, test_url_passwords.py).
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra (airflow, mcp) that is not installed
            continue
        for name, value in vars(module).items():
            if isinstance(value, logging.Logger):
                found[f"{info.name}.{name}"] = value
    return found


def test_the_package_has_module_loggers() -> None:
    names = {logger.name for logger in _module_loggers().values()}
    assert {"infobip_connector.webserver", "infobip_connector.editor"} <= names


@pytest.mark.parametrize("where", sorted(_module_loggers()))
def test_every_module_logger_redacts(where: str, caplog: pytest.LogCaptureFixture) -> None:
    logger = _module_loggers()[where]
    holder = object.__new__(type("Owner", (), {}))
    register_secret(KEY, holder)
    caplog.set_level(logging.DEBUG, logger=logger.name)
    logger.warning(
        "GET http://user:%s@hooks.example.com/x key=%s Authorization: App %s", PASSWORD, KEY, KEY
    )
    text = caplog.text
    assert "hooks.example.com" in text
    assert PASSWORD not in text and KEY not in text
    assert "user:***@" in text


@pytest.mark.parametrize("name", ["aiohttp.server", "aiohttp.web", "uvicorn.access"])
def test_server_library_loggers_redact_once_installed(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    install_log_redaction()
    caplog.set_level(logging.INFO, logger=name)
    logging.getLogger(name).error("Error handling request http://u:%s@127.0.0.1/x", PASSWORD)
    assert "u:***@127.0.0.1" in caplog.text and PASSWORD not in caplog.text
