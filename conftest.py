"""Test-suite set-up: fast mode for everything, and for each notebook the outcome its checks must report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_utils.checks.core import EXPECT_ENV_VAR, PASSED, UNFINISHED

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("COURSE_FAST", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # nbval starts a notebook's kernel while setting up its first cell, and the kernel inherits this
    # environment: every check in a learner notebook must then report "not done yet", and every check
    # in a solution notebook must pass (course_utils.checks.core reads the variable).
    if item.path.suffix == ".ipynb":
        os.environ[EXPECT_ENV_VAR] = PASSED if item.path.parent.name == "solutions" else UNFINISHED
    else:
        os.environ.pop(EXPECT_ENV_VAR, None)
