"""A learner's progress across the chapters, kept on their own machine.

Every check records its latest outcome per exercise in a small file in the learner's working folder (the folder
of the notebook, where its kernel runs): ``.course_progress.json``, git-ignored, written atomically (a new file
renamed over the old one, so a crash never leaves half a file). No account, no network. ``COURSE_PROGRESS=0``
turns it off, and it is off while the test suite runs (``COURSE_EXPECT_CHECKS`` set), so that parallel tests
never race on one file. A folder that cannot be written or a damaged file gives one warning, never an error.

    import course_utils; course_utils.progress()      # in any notebook
    python -m course_utils.learner_progress my-notebooks   # in a terminal (``make progress``)

shows every chapter's exercises with their status, a bar per chapter, and the next exercise to do, linked to
its notebook.
"""

from __future__ import annotations

import html
import json
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = ".course_progress.json"
ENV_VAR = "COURSE_PROGRESS"
_FORMAT = 1
_WARNED: set[str] = set()
COURSE_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def enabled() -> bool:
    """Whether checks record progress: not with ``COURSE_PROGRESS=0``, nor under the test suite."""
    from course_utils.checks.core import EXPECT_ENV_VAR

    if os.environ.get(ENV_VAR, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return not os.environ.get(EXPECT_ENV_VAR)


def progress_file(folder: str | Path | None = None) -> Path:
    """The progress file of ``folder`` (the current folder, a notebook's own, by default)."""
    if folder is not None and not isinstance(folder, (str, Path)):
        raise TypeError(
            f"folder must be a path (a str or pathlib.Path) to your notebooks' folder, not {type(folder).__name__}"
        )
    return Path(os.getcwd() if folder is None else folder) / FILE_NAME


def _warn_once(key: str, message: str) -> None:
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, stacklevel=3)


def read(folder: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Exercise id -> ``{"outcome": ..., "when": ...}`` from ``folder``'s progress file; empty when there is none.

    A damaged file gives a warning once and counts as empty (the next check replaces it)."""
    path = progress_file(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        exercises = data["exercises"]
        if not isinstance(exercises, dict) or not all(isinstance(v, dict) for v in exercises.values()):
            raise ValueError("its exercises are not a mapping")
        return exercises
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as error:
        _warn_once(
            f"read {path}",
            f"The progress file {path} could not be read ({error}); your progress starts again from here. "
            f"Delete the file if this warning comes back.",
        )
        return {}


def record(exercise_id: str, outcome: str, folder: str | Path | None = None) -> None:
    """Save ``outcome`` as ``exercise_id``'s latest, unless progress is off. Never raises for a file that cannot
    be written: warns once instead."""
    if not enabled():
        return
    path = progress_file(folder)
    exercises = read(folder)
    exercises[exercise_id] = {"outcome": outcome, "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
    text = json.dumps({"format": _FORMAT, "exercises": exercises}, indent=1, sort_keys=True)
    temporary = None
    try:
        # written beside the file and renamed over it: a rename is atomic, so no reader sees half a file
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=FILE_NAME + ".", suffix=".tmp", delete=False
        ) as file:
            temporary = file.name
            file.write(text)
        os.replace(temporary, path)
    except OSError as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        _warn_once(
            f"write {path}",
            f"Your progress could not be saved in {path.parent} ({error.strerror or error}); the checks work as "
            f"before. Set COURSE_PROGRESS=0 to stop trying.",
        )


@dataclass
class ChapterProgress:
    chapter: str
    notebook: Path | None
    exercises: list[tuple[str, str, str]]  # id, title, outcome ("not checked" when never run)

    @property
    def done(self) -> int:
        return sum(outcome == "passed" for _, _, outcome in self.exercises)


_SYMBOLS = {"passed": "✔", "failed": "✘", "unfinished": "○", "not checked": "·"}


class Progress:
    """What :func:`progress` shows: in Jupyter a table with a bar per chapter, in a terminal text."""

    def __init__(self, folder: Path, chapters: list[ChapterProgress]) -> None:
        self.folder = folder
        self.chapters = chapters

    @property
    def next_exercise(self) -> tuple[ChapterProgress, str, str] | None:
        """The first exercise, in course order, not passed yet: (chapter, id, title)."""
        for chapter in self.chapters:
            for exercise_id, title, outcome in chapter.exercises:
                if outcome != "passed":
                    return chapter, exercise_id, title
        return None

    def _link(self, chapter: ChapterProgress) -> str:
        if chapter.notebook is None:
            return ""
        return Path(os.path.relpath(chapter.notebook, self.folder)).as_posix()

    def __str__(self) -> str:
        total = sum(len(c.exercises) for c in self.chapters)
        done = sum(c.done for c in self.chapters)
        saved = progress_file(self.folder)
        where = f"saved in {saved}" if saved.is_file() else f"nothing saved yet: checks write {saved}"
        lines = [f"Your progress: {done} of {total} exercises done ({where})."]
        for chapter in self.chapters:
            width = 20
            filled = round(width * chapter.done / len(chapter.exercises)) if chapter.exercises else 0
            name = chapter.notebook.stem if chapter.notebook else chapter.chapter
            lines.append(f"{name:<28} {'█' * filled}{'░' * (width - filled)} {chapter.done}/{len(chapter.exercises)}")
            for exercise_id, title, outcome in chapter.exercises:
                lines.append(f"    {_SYMBOLS.get(outcome, '·')} {exercise_id:<30} {title} ({outcome})")
        following = self.next_exercise
        if following is None:
            lines.append("Every exercise is done.")
        else:
            chapter, exercise_id, title = following
            link = self._link(chapter)
            # a path that leaves the folder (the course's own notebook) reads better whole in a terminal
            shown = chapter.notebook if link.startswith("../") else link
            where = f" in {shown}" if chapter.notebook else ""
            lines.append(f"Next: {exercise_id} ({title}){where}.")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        total = sum(len(c.exercises) for c in self.chapters)
        done = sum(c.done for c in self.chapters)
        colours = {"passed": "#2e7d32", "failed": "#c62828", "unfinished": "#757575", "not checked": "#9e9e9e"}
        parts = [f"<p><strong>Your progress: {done} of {total} exercises done.</strong></p>"]
        following = self.next_exercise
        if following is not None:
            chapter, exercise_id, title = following
            link = self._link(chapter)
            target = f"<a href='{esc(link, quote=True)}'>{esc(link)}</a>" if link else esc(chapter.chapter)
            parts.append(f"<p>Next: <code>{esc(exercise_id)}</code> ({esc(title)}) in {target}.</p>")
        else:
            parts.append("<p>Every exercise is done.</p>")
        parts.append("<table>")
        for chapter in self.chapters:
            share = chapter.done / len(chapter.exercises) if chapter.exercises else 0
            link = self._link(chapter)
            name = esc(chapter.notebook.stem if chapter.notebook else chapter.chapter)
            title = f"<a href='{esc(link, quote=True)}'>{name}</a>" if link else name
            marks = "".join(
                f"<span title='{esc(i)}: {esc(t)} ({o})' style='color:{colours.get(o, '#9e9e9e')}'>"
                f"{_SYMBOLS.get(o, '·')}</span> "
                for i, t, o in chapter.exercises
            )
            listed = "".join(
                f"<li style='list-style:none'><span style='color:{colours.get(o, '#9e9e9e')}'>{_SYMBOLS.get(o, '·')}"
                f"</span> <code>{esc(i)}</code> {esc(t)} ({o})</li>"
                for i, t, o in chapter.exercises
            )
            opened = " open" if following is not None and following[0] is chapter else ""
            marks = f"<details{opened}><summary>{marks}</summary><ul style='margin:0'>{listed}</ul></details>"
            parts.append(
                f"<tr><td style='text-align:left'>{title}</td><td style='text-align:left'>"
                f"<div style='width:160px;height:10px;background:#eee'><div style='width:{share * 100:.0f}%;"
                f"height:10px;background:#2e7d32'></div></div></td><td>{chapter.done}/{len(chapter.exercises)}</td>"
                f"<td style='text-align:left'>{marks}</td></tr>"
            )
        parts.append("</table><p style='color:#757575'>Click a chapter's marks to see its exercises.</p>")
        return "".join(parts)


def _chapter_notebook(chapter: str, folder: Path) -> Path | None:
    prefix = "primer_" if chapter == "primer" else f"{chapter[2:]}_"
    for place in (folder, COURSE_NOTEBOOKS):
        matches = sorted(place.glob(f"{prefix}*.ipynb")) if place.is_dir() else []
        matches = [m for m in matches if ".backup-" not in m.name]
        if matches:
            return matches[0].resolve()
    return None


def progress(folder: str | Path | None = None) -> Progress:
    """Every chapter's exercises with their latest outcome in ``folder`` (the current folder by default), a bar
    per chapter and the next exercise to do. In a notebook, make it the cell's last line to see it."""
    from course_utils.checks.core import exercises
    from course_utils.grade import course_exercises

    path = progress_file(folder)
    here = path.parent
    if not here.is_dir():
        raise FileNotFoundError(f"No folder {here}: give the folder that holds your notebooks (e.g. my-notebooks).")
    saved = read(here)
    known = exercises()
    chapters = [
        ChapterProgress(
            chapter,
            _chapter_notebook(chapter, here),
            [(i, known[i].title, saved.get(i, {}).get("outcome", "not checked")) for i in ids],
        )
        for chapter, ids in course_exercises().items()
    ]
    return Progress(here, chapters)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("usage: python -m course_utils.learner_progress [FOLDER]   (default: the current folder)")
        return 2
    folder = Path(args[0]) if args else Path.cwd()
    if not folder.is_dir():
        print(f"No folder {folder}: `make lab` makes my-notebooks/, where your progress is saved.")
        return 1
    print(progress(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
