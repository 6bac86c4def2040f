"""The connector's own SecretStr: masked like pydantic's, and pydantic's taken as well.

``run`` must not import pydantic (it cost more than the rest of a CLI step), so keys given
as text travel in ``transport/secret.py``'s ``SecretStr``; callers who build settings with
pydantic's ``SecretStr`` get the same checks and equal settings.
"""

from __future__ import annotations

import copy
import logging
import pickle

import pytest
from pydantic import SecretStr as PydanticSecretStr

from infobip_connector import ConfigurationError, ConnectionSettings, connection_from_values
from infobip_connector.transport.secret import SecretStr, is_exactly_secret, is_secret
from infobip_connector.triggers.webhook import WebhookSettings

KEY = "wrapper-key-7c41e9d2a0"


def test_every_rendering_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    secret = SecretStr(KEY)
    shown = [repr(secret), str(secret), f"{secret!s:>40}", repr([secret]), repr((secret,))]
    assert all(KEY not in text for text in shown)
    assert repr(secret) == "SecretStr('**********')" == repr(PydanticSecretStr(KEY))
    assert str(SecretStr("")) == "" == str(PydanticSecretStr(""))
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("key %s %r", secret, secret)
    assert KEY not in caplog.text
    assert secret.get_secret_value() == KEY and len(secret) == len(KEY)


def test_equal_and_hashed_by_value_and_copied_whole() -> None:
    assert SecretStr(KEY) == SecretStr(KEY) and hash(SecretStr(KEY)) == hash(SecretStr(KEY))
    assert SecretStr(KEY) != SecretStr(KEY + "x") and SecretStr(KEY) != KEY
    for again in (copy.copy(SecretStr(KEY)), pickle.loads(pickle.dumps(SecretStr(KEY)))):
        assert again == SecretStr(KEY) and again.get_secret_value() == KEY
    with pytest.raises(AttributeError):
        SecretStr(KEY).other = 1  # type: ignore[attr-defined]


def test_both_kinds_are_secrets_subclasses_only_loosely() -> None:
    class Computed(SecretStr):
        pass

    for value in (SecretStr(KEY), PydanticSecretStr(KEY)):
        assert is_secret(value) and is_exactly_secret(value)
    assert is_secret(Computed(KEY)) and not is_exactly_secret(Computed(KEY))
    assert not is_secret(KEY) and not is_exactly_secret(KEY)


def test_pydantic_secret_gives_the_same_settings_as_text() -> None:
    from_text = connection_from_values({"token": KEY})
    assert isinstance(from_text.token, SecretStr)
    assert ConnectionSettings(token=PydanticSecretStr(KEY)) == from_text
    assert ConnectionSettings(token=SecretStr(KEY)) == from_text
    with pytest.raises(ConfigurationError) as caught:
        ConnectionSettings(token=PydanticSecretStr("short"))
    assert caught.value.errors[0]["path"] == "token"


@pytest.mark.parametrize("base", [SecretStr, PydanticSecretStr])
def test_the_key_checked_is_the_key_sent(base: type) -> None:
    given = [KEY]

    class Changing(base):  # type: ignore[misc, valid-type]
        def get_secret_value(self) -> str:
            return given[0]

    settings = ConnectionSettings(token=Changing(KEY))
    given[0] = "bad key\r\nX-Injected: 1"
    # Read when checked and held as the connector's own: later reads cannot change it.
    assert type(settings.token) is SecretStr
    assert settings.token.get_secret_value() == KEY


def test_webhook_secrets_take_text_or_either_secret() -> None:
    for given in (KEY, SecretStr(KEY), PydanticSecretStr(KEY)):
        settings = WebhookSettings(hmac_secret=given, basic_auth=("user", given))  # type: ignore[arg-type]
        assert settings.hmac_secret is not None and settings.basic_auth is not None
        assert settings.hmac_secret.get_secret_value() == KEY
        assert settings.basic_auth[1].get_secret_value() == KEY
        assert KEY not in repr(settings)
