"""What runs the component: the CLI, the demo and the editor.

Hosts go through ``infobip_connector.component``; the exceptions are listed in
``docs/architecture.md`` and checked by ``tests/test_layers.py``.
"""
