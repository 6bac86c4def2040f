"""An aiohttp failure keeps its meaning for the retry policy whatever its words.

The project accepts aiohttp from 3.11; exceptions of earlier versions than the installed one
lack attributes the wording reads (a certificate error before 3.14 set no ``os_error``).
Reading them raised AttributeError inside the mapping, which turned a connection that was
never made (nothing sent) into an unknown outcome.
"""

from __future__ import annotations

import ssl

import aiohttp
import httpx

from infobip_connector.transport.aiohttp_sender import _as_httpx

KEY = aiohttp.client_reqrep.ConnectionKey("h", 443, True, True, None, None, None)


def _certificate_error_without_os_error() -> aiohttp.ClientConnectorCertificateError:
    """A certificate error as aiohttp 3.11 to 3.13 made it: its key and cause, no OS error."""
    cause = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] self-signed")
    raised = aiohttp.ClientConnectorCertificateError.__new__(
        aiohttp.ClientConnectorCertificateError, KEY, cause
    )
    raised._conn_key = KEY
    raised._certificate_error = cause
    raised.args = (KEY, cause)
    return raised


def test_a_certificate_error_of_an_older_aiohttp_is_a_connection_never_made() -> None:
    error = _as_httpx(_certificate_error_without_os_error())
    assert type(error) is httpx.ConnectError
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)


class _Unworded(aiohttp.ClientConnectorError):
    """A connector error whose text cannot be read at all."""

    def __str__(self) -> str:
        raise AttributeError("_os_error")

    @property
    def os_error(self) -> OSError:
        raise AttributeError("_os_error")


def test_a_failure_whose_words_cannot_be_read_is_named_by_its_class() -> None:
    raised = _Unworded(KEY, ConnectionRefusedError(111, "refused"))
    error = _as_httpx(raised)
    assert type(error) is httpx.ConnectError and str(error) == "_Unworded"


class _UnwordedDrop(aiohttp.ServerDisconnectedError):
    def __str__(self) -> str:
        raise ValueError("no words")


def test_a_drop_whose_words_cannot_be_read_stays_a_drop() -> None:
    error = _as_httpx(_UnwordedDrop())
    assert type(error) is httpx.RemoteProtocolError and str(error) == "_UnwordedDrop"
