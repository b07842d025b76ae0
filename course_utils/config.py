"""Fast mode: one switch that shrinks data and training so that every notebook runs in seconds.

The tests set ``COURSE_FAST=1``. A learner's default is the full run. Every notebook reads the switch
through :func:`scaled`, so nothing but the sizes differs between a fast and a full run.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

FAST_ENV_VAR = "COURSE_FAST"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def is_fast() -> bool:
    """Return True when ``COURSE_FAST`` asks for the shrunken run (``1``, ``true``, ``yes`` or ``on``)."""
    value = os.environ.get(FAST_ENV_VAR, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(
        f"{FAST_ENV_VAR}={os.environ[FAST_ENV_VAR]!r} is not understood: "
        f"set it to 1 for the fast run, or unset it (or 0) for the full run."
    )


def scaled(full: T, fast: T) -> T:
    """Return ``full`` for a learner's run and ``fast`` when fast mode is on.

    >>> steps = scaled(full=2000, fast=20)
    """
    if type(full) is not type(fast):
        raise TypeError(
            f"scaled(full={full!r}, fast={fast!r}): give both values the same type "
            f"(got {type(full).__name__} and {type(fast).__name__})."
        )
    return fast if is_fast() else full
