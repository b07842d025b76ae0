"""The learner's own copies of the notebooks, in a folder git ignores, so that a course update never
conflicts with their work.

    python tools/workspace.py sync my-notebooks         # copy in each notebook not there yet; never overwrite
    python tools/workspace.py diff my-notebooks 03      # what differs between your copy of 03 and the course's now
    python tools/workspace.py reset my-notebooks 03     # a fresh copy of chapter 03; the old one is kept aside
    python tools/workspace.py lab my-notebooks [jupyter options]   # sync, then JupyterLab on the whole course

The primer (``primer``) is copied first, then the chapters. Beside them, ``sync`` puts two links to the course's
own folders, ``solutions`` (the solution notebooks) and ``course_utils`` (the code the chapters import), so that
each is one double-click away in JupyterLab's file browser. ``lab`` serves the repository's root, so that the
links lead somewhere JupyterLab may open, and opens your own copy of chapter 00.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEARNER_NOTEBOOKS = ROOT / "notebooks"
COURSE_FOLDERS = {"solutions": ROOT / "notebooks" / "solutions", "course_utils": ROOT / "course_utils"}


def learner_notebooks() -> list[Path]:
    """The course's learner notebooks: the primer first, then the chapters in order."""
    return sorted(LEARNER_NOTEBOOKS.glob("primer_*.ipynb")) + sorted(LEARNER_NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _known() -> str:
    return ", ".join(nb.name.split("_")[0] for nb in learner_notebooks())


def course_notebook(chapter: str) -> Path:
    """The course's learner notebook for ``chapter``: ``"03"`` (or ``"3"``) for chapter 03, ``"primer"``."""
    prefix = f"{int(chapter):02d}_" if chapter.strip().isdigit() else f"{chapter.strip()}_"
    matches = [nb for nb in learner_notebooks() if nb.name.startswith(prefix)]
    if not matches:
        raise SystemExit(f"No chapter {chapter!r}: the chapters are {_known()}.")
    return matches[0]


def sync(work: Path) -> list[Path]:
    """Copy every learner notebook that ``work`` does not hold yet; return the ones copied."""
    work.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in learner_notebooks():
        target = work / notebook.name
        if not target.exists():
            shutil.copyfile(notebook, target)
            copied.append(target)
    link_course_folders(work)
    return copied


def link_course_folders(work: Path) -> list[Path]:
    """Put links named ``solutions`` and ``course_utils`` in ``work`` to the course's folders (relative links,
    so that the course can be moved); an existing file or link of that name is left alone. Returns the links made.
    Where links cannot be made (Windows without developer mode), says where the folders are instead."""
    made = []
    for name, folder in COURSE_FOLDERS.items():
        link = work / name
        if link.exists() or link.is_symlink() or not folder.is_dir():  # a class handout has no solutions
            continue
        try:
            link.symlink_to(os.path.relpath(folder, work.resolve()), target_is_directory=True)
        except OSError:
            print(f"Could not link {link} to {folder}: open {folder.relative_to(ROOT)} from the course's folder.")
            continue
        made.append(link)
    return made


def reset(work: Path, chapter: str) -> Path:
    """Replace ``work``'s copy of ``chapter`` (e.g. ``03``) with a fresh one; the old copy is renamed, not lost."""
    source = course_notebook(chapter)
    target = work / source.name
    if target.exists():
        backup = target.with_name(f"{target.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}.ipynb")
        target.rename(backup)
        print(f"Your previous copy is kept as {backup}.")
    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    print(f"{target} is a fresh copy of the chapter.")
    return target


def _cells_as_text(path: Path) -> list[str]:
    """The notebook's cells as lines of text: a header line per cell, then its source (outputs left out)."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as error:
        raise SystemExit(f"{path} could not be read as a notebook ({error}).") from error
    lines = []
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines.append(f"# ---- cell {number} ({cell.get('cell_type', '?')}) ----\n")
        lines.extend(line + "\n" for line in source.splitlines())
    return lines


def diff(work: Path, chapter: str) -> str:
    """A unified diff of the cells of ``work``'s copy of ``chapter`` against the course's current version.

    Lines with ``-`` are in your copy only (your answers, or text the course has since changed), lines with
    ``+`` in the course's version only (fixes and additions since you copied it). Outputs are left out.
    """
    course = course_notebook(chapter)
    mine = work / course.name
    if not mine.exists():
        raise SystemExit(f"You have no copy of {course.name} in {work}/ yet: `make lab` copies it in.")
    return "".join(
        difflib.unified_diff(
            _cells_as_text(mine),
            _cells_as_text(course),
            fromfile=f"{mine} (your copy)",
            tofile=f"{course.relative_to(ROOT)} (the course now)",
        )
    )


def lab_command(work: Path, options: list[str] = ()) -> list[str]:
    """The command that starts JupyterLab on the repository's root (solutions and ``course_utils`` included)
    and opens ``work``'s copy of the first chapter; ``options`` are passed on to JupyterLab."""
    work = work.resolve()
    if not work.is_relative_to(ROOT):
        raise SystemExit(f"The notebooks folder must be inside the course ({ROOT}), not {work}.")
    first_chapter = [nb for nb in learner_notebooks() if nb.name[:2].isdigit()][0]
    opened = (work / first_chapter.name).relative_to(ROOT).as_posix()
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{opened}",
        *options,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["sync", "reset", "diff", "lab"])
    parser.add_argument("work", type=Path)
    parser.add_argument("chapter", nargs="?")
    args, options = parser.parse_known_args()
    if options and args.action != "lab":
        parser.error(f"unknown options {options}")
    if args.action in ("sync", "lab"):
        copied = sync(args.work)
        print(
            f"Your notebooks are in {args.work}/ ({len(copied)} new notebook(s) copied in; yours are never "
            f"overwritten). The course's own folders ("
            + ", ".join(f.relative_to(ROOT).as_posix() for f in COURSE_FOLDERS.values() if f.is_dir())
            + ") are in the file browser."
        )
        if args.action == "lab":
            sys.exit(subprocess.call(lab_command(args.work, options)))
    elif not args.chapter:
        sys.exit(f"Say which chapter, e.g. 03 (the chapters are {_known()}).")
    elif args.action == "reset":
        reset(args.work, args.chapter)
    else:
        text = diff(args.work, args.chapter)
        print(text or f"Your copy of chapter {args.chapter} is the same as the course's, cell for cell.")


if __name__ == "__main__":
    main()
