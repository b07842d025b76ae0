"""Exercise checks: ``check("ch01.mse_loss", mse_loss)`` and the registry the tests use.

Each chapter's exercises live in a module of this package named after it (``ch01.py``), which defines
them with :class:`Exercise` and registers them; :func:`registry` finds them all.
"""

from course_utils.checks.core import (
    Case,
    CheckFailed,
    Exercise,
    Mistake,
    call_learner,
    check,
    describe,
    exercises,
    get,
    register,
    registry,
    same_values,
    show_traceback,
    summary,
    to_numpy,
)

__all__ = [
    "Case",
    "CheckFailed",
    "Exercise",
    "Mistake",
    "call_learner",
    "check",
    "describe",
    "exercises",
    "get",
    "register",
    "registry",
    "same_values",
    "show_traceback",
    "summary",
    "to_numpy",
]
