"""What the suite needs from its machine, and what happens when it is missing.

CI provides everything (services, Chromium, the shared courses): there a missing
piece fails the run. On a developer's machine the test says what to install.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(what: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI must provide it)")
    pytest.skip(what)
