"""Markers for the tests that need what a class handout leaves out (``make handout``: no solution notebooks, no
chapter sources). They skip only in a handout, which ``tools/handout.py`` marks with ``HANDOUT.md``; in the course
itself a missing source or solution still fails, as it should."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKER = ROOT / "HANDOUT.md"
IN_HANDOUT = MARKER.is_file()

needs_sources = pytest.mark.skipif(
    IN_HANDOUT, reason="a class handout has no chapter sources (notebooks/src/); the course's own CI tests them"
)
needs_solutions = pytest.mark.skipif(
    IN_HANDOUT,
    reason="a class handout has no solution notebooks (notebooks/solutions/); the course's own CI tests them",
)
