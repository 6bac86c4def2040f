"""The test suite.

pytest rewrites the asserts of ``test_*.py`` files and conftest modules to say what differed
when one fails; every other module beside them (the ``*_support.py`` helpers, the input draws
and their oracle, ...) is registered here, before any test imports it, so that its asserts say
it too. Subpackages (``airflow_provider``, ``defined``) register their own if they need to.
"""

from pathlib import Path

import pytest

pytest.register_assert_rewrite(
    *(
        f"{__name__}.{module.stem}"
        for module in sorted(Path(__file__).parent.glob("*.py"))
        if not module.stem.startswith(("test_", "__")) and module.stem != "conftest"
    )
)
