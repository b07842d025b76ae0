"""Write a copy of the course for a class, without the solution notebooks and their sources.

    python tools/handout.py ../course-for-students

It copies the files git tracks, less ``notebooks/solutions/`` and ``notebooks/src/``, and adds ``HANDOUT.md``,
which says what the copy is. The copy is a working course: its ``make lab`` and ``make test`` pass (the tests
that need the sources or the solution notebooks skip themselves where ``HANDOUT.md`` is, saying why). The
checks still need the reference solutions, which live in ``course_utils``: a determined student can read them
there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = ("notebooks/solutions/", "notebooks/src/")
MARKER = "HANDOUT.md"

_MARKER_TEXT = """# A class handout of *GPT from scratch*

This copy of the course was written by `make handout` from commit `{commit}` of the course{dirty}. It has the
learner notebooks, `course_utils`, the data and the tests, but not the solution notebooks (`notebooks/solutions/`)
nor the chapters' sources (`notebooks/src/`). `make lab` and `make test` work as in the course; the tests that
need what is left out skip themselves here (this file tells them where they are) and are run by the course's own
CI.

The exercise checks compare with reference solutions that live in `course_utils`: a determined student can read
them there.
"""


def handout(target: Path) -> int:
    """Copy the course into ``target`` (new or empty) without solutions; return the number of files written."""
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty: choose a new folder.")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    # the files are copied from the working tree: say so when they differ from the commit named
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    dirty = ", with changes not committed yet (the files as they were in its working folder)" if changed else ""
    count = 0
    for name in tracked.splitlines():
        if name.startswith(LEFT_OUT) or name == MARKER or not (ROOT / name).is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
        count += 1
    (target / MARKER).write_text(_MARKER_TEXT.format(commit=commit, dirty=dirty), encoding="utf-8")
    return count + 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(f"Wrote {handout(Path(sys.argv[1]))} files to {sys.argv[1]}, without solutions.")
