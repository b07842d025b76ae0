"""Fixtures for the unit tests (the notebook set-up is in the repository's conftest.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test drew, so that hundreds of tests do not pile them up in memory."""
    yield
    plt.close("all")
