"""Write a copy of the course for a class, without the solution notebooks and their sources.

    python tools/handout.py ../course-for-students

It copies the files git tracks, less ``notebooks/solutions/`` and ``notebooks/src/``. The checks still need
the reference solutions, which live in ``course_utils``: a determined student can read them there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = ("notebooks/solutions/", "notebooks/src/")


def handout(target: Path) -> int:
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty: choose a new folder.")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    count = 0
    for name in tracked.splitlines():
        if name.startswith(LEFT_OUT):
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
        count += 1
    return count


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(f"Wrote {handout(Path(sys.argv[1]))} files to {sys.argv[1]}, without solutions.")
