"""The test suite.

pytest rewrites the asserts of ``test_*.py`` files and conftest modules to say what differed
when one fails; the helper modules beside them (``*_support.py``, the input draws and their
oracle) are registered here, before any test imports them, so that theirs say it too.
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
