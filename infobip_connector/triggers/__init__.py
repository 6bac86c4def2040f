"""Triggers: what starts a workflow, one event per item Infobip reports.

A trigger's events arrive as a webhook Infobip posts (``webhook.py``: authentication by
``security.py``, body limits and parsing by ``bodies.py``) or by polling a consume action
(``polling.py``). Either way one module per trigger (``new_inbound_sms.py``, ...) turns
Infobip's batched body into events, ``runtime.py`` shapes each to the declared event type,
and ``recent.py`` drops repeats. Pure: no socket here; polling sends through the function
``component`` hands it.
"""
