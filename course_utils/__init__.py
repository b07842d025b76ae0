"""course_utils: the helper package of the course *GPT from scratch*.

What a chapter writes that later chapters need is saved here once and imported from then on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from course_utils.config import is_fast, scaled
from course_utils.device import cpu_generator, pick_device
from course_utils.seeding import seed_everything

if TYPE_CHECKING:
    from course_utils.learner_progress import Progress


def progress(folder: str | Path | None = None) -> Progress:
    """Your exercises in every chapter, their status, a bar per chapter and the next one to do, with a link to its
    notebook; make it a cell's last line (``course_utils.progress()``). See :mod:`course_utils.learner_progress`."""
    from course_utils.learner_progress import progress as show  # on call, so that `python -m` finds it unloaded

    return show(folder)


__all__ = ["cpu_generator", "is_fast", "pick_device", "progress", "scaled", "seed_everything"]
