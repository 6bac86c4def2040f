"""The mobile network the sandbox says a destination is on: ``mccMnc`` of its logs.

Infobip reports the network a message went to as ``mccMnc``: the Mobile Country Code (ITU-T
E.212, three digits) followed by the Mobile Network Code. The sandbox has no networks, so it
takes the country from the number's calling code (libphonenumber's region) and puts every
number of a country on one network, ``01``; a country missing from the table gets no
``mccMnc`` (and matches no ``mcc`` filter).
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

#: The network code every destination of a country is given.
MNC = "01"

# ITU-T E.212 Mobile Country Codes, by ISO 3166 region (the countries tests reach for).
_MCC = {
    "AE": "424", "AR": "722", "AT": "232", "AU": "505", "BA": "218", "BE": "206",
    "BG": "284", "BR": "724", "CA": "302", "CH": "228", "CN": "460", "CZ": "230",
    "DE": "262", "DK": "238", "EG": "602", "ES": "214", "FI": "244", "FR": "208",
    "GB": "234", "GR": "202", "HR": "219", "HU": "216", "ID": "510", "IE": "272",
    "IL": "425", "IN": "404", "IT": "222", "JP": "440", "KE": "639", "KR": "450",
    "MX": "334", "MY": "502", "NG": "621", "NL": "204", "NO": "242", "NZ": "530",
    "PH": "515", "PL": "260", "PT": "268", "RO": "226", "RS": "220", "RU": "250",
    "SA": "420", "SE": "240", "SG": "525", "SI": "293", "SK": "231", "TH": "520",
    "TR": "286", "UA": "255", "US": "310", "VN": "452", "ZA": "655",
}  # fmt: skip


@lru_cache(maxsize=4096)
def mcc_mnc(number: str) -> str | None:
    """``"21901"`` for a Croatian number (digits, international form), or None."""
    try:
        parsed = phonenumbers.parse("+" + number.lstrip("+"), None)
    except phonenumbers.NumberParseException:
        return None
    mcc = _MCC.get(phonenumbers.region_code_for_number(parsed) or "")
    return None if mcc is None else mcc + MNC


def on_network(number: str, mcc: str | None, mnc: str | None) -> bool:
    """Whether ``number`` matches the ``mcc`` (and ``mnc``) filters of the logs."""
    code = mcc_mnc(number)
    if code is None:
        return not (mcc or mnc)
    return (not mcc or code[:3] == mcc) and (not mnc or code[3:] == mnc)
