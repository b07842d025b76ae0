"""The learner's own copies of the notebooks, in a folder git ignores, so that a course update never
conflicts with their work.

    python tools/workspace.py sync my-notebooks         # copy in each chapter not there yet; never overwrite
    python tools/workspace.py reset my-notebooks 03     # a fresh copy of chapter 03; the old one is kept aside
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEARNER_NOTEBOOKS = ROOT / "notebooks"


def learner_notebooks() -> list[Path]:
    return sorted(LEARNER_NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def sync(work: Path) -> list[Path]:
    """Copy every learner notebook that ``work`` does not hold yet; return the ones copied."""
    work.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in learner_notebooks():
        target = work / notebook.name
        if not target.exists():
            shutil.copyfile(notebook, target)
            copied.append(target)
    return copied


def reset(work: Path, chapter: str) -> Path:
    """Replace ``work``'s copy of ``chapter`` (e.g. ``03``) with a fresh one; the old copy is renamed, not lost."""
    matches = [nb for nb in learner_notebooks() if nb.name.startswith(f"{int(chapter):02d}_")]
    if not matches:
        known = ", ".join(nb.name[:2] for nb in learner_notebooks())
        raise SystemExit(f"No chapter {chapter!r}: the chapters are {known}.")
    source = matches[0]
    target = work / source.name
    if target.exists():
        backup = target.with_name(f"{target.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}.ipynb")
        target.rename(backup)
        print(f"Your previous copy is kept as {backup}.")
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    print(f"{target} is a fresh copy of the chapter.")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["sync", "reset"])
    parser.add_argument("work", type=Path)
    parser.add_argument("chapter", nargs="?")
    args = parser.parse_args()
    if args.action == "sync":
        copied = sync(args.work)
        print(
            f"Your notebooks are in {args.work}/ ({len(copied)} new chapter(s) copied in; yours are never overwritten)."
        )
    else:
        if not args.chapter:
            sys.exit("Say which chapter to reset, e.g. 03.")
        reset(args.work, args.chapter)


if __name__ == "__main__":
    main()
