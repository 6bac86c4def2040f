"""Faults a read of the whole change found: each is a test that failed before its fix.

- a poll's result survives copy, deepcopy and pickle with its ``refused`` items;
- the delivery sensor's message IDs with a lone surrogate are an input error at their path
  (not a UnicodeEncodeError at DAG parse time);
- an XML body's long text is kept exactly as sent (only over-long numbers stay text).
"""

from __future__ import annotations

import copy
import pickle

import pytest

from infobip_connector.definition.model import Property
from infobip_connector.errors import InputError
from infobip_connector.hosts.airflow.delivery import message_ids_of
from infobip_connector.triggers.polling import PollResult
from infobip_connector.triggers.xmlbody import read_xml


@pytest.mark.parametrize(
    "clone", [copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))]
)
def test_a_poll_result_copies_and_pickles_with_its_refused_items(clone: object) -> None:
    result = PollResult([{"messageId": "m"}], {"cursor": 1}, [{"path": "results[1]"}])
    again = clone(result)  # type: ignore[operator]
    assert type(again) is PollResult and again == result
    assert again.refused == [{"path": "results[1]"}]


def test_a_lone_surrogate_in_a_sensor_message_id_is_an_input_error_at_its_path() -> None:
    with pytest.raises(InputError) as caught:
        message_ids_of(["ok", "\ud800abc"], "message_ids")
    assert caught.value.errors[0]["path"] == "message_ids[1]"


def test_a_long_xml_text_keeps_its_spaces_as_a_short_one_does() -> None:
    shape = Property(
        type="OBJECT",
        properties=[
            Property(name="text", type="STRING"),
            Property(name="count", type="INTEGER"),
        ],
    )
    for length in (10, 5_000):
        text = "  " + "x" * length + " "
        data = f"<doc><text>{text}</text><count> 3 </count></doc>".encode()
        assert read_xml(data, shape, 32) == {"text": text, "count": 3}
