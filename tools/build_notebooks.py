"""Build each chapter's learner notebook and solution notebook from its one source file.

    python tools/build_notebooks.py            # write notebooks/NN_name.ipynb and notebooks/solutions/NN_name.ipynb
    python tools/build_notebooks.py --check    # exit 1 if a committed notebook differs from what the build writes

A source is ``notebooks/src/NN_name.py`` (or the primer, ``notebooks/src/primer_python.py``) in the
percent format that Jupytext and VS Code read: cells start
with a line ``# %%`` (code) or ``# %% [markdown]`` (markdown, each line behind ``# ``). One more kind of cell
stands for a whole exercise:

    # %% [exercise ch01.mse_loss]
    # What the learner is asked to do, in markdown.

It becomes a markdown cell (title, difficulty, time, the task, a hint to unfold), a code cell (in the learner
notebook the reference's signature and docstring with a stub that raises ``NotImplementedError``; in the
solution notebook the reference's source, taken from ``course_utils`` with ``inspect.getsource``) and the check
cell. Every notebook with exercises ends with a progress summary. Cell ids are deterministic.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import inspect
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_utils.checks.core import STUB_MESSAGE

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "notebooks" / "src"
LEARNER_DIR = ROOT / "notebooks"
SOLUTION_DIR = ROOT / "notebooks" / "solutions"

CELL_MARKER = re.compile(r"^# %%(?:\s+\[(?P<kind>[^\]]+)\])?\s*$")
STUB_HINT = "# YOUR CODE HERE"
SOLUTION_BANNER = (
    "> **Solutions.** This is the solution notebook: every exercise is filled in with the reference solution "
    "that the checks compare against. Try the exercises in the learner's notebook first."
)


@dataclass
class SourceCell:
    kind: str  # "code", "markdown" or "exercise"
    text: str
    exercise_id: str = ""


def parse_source(text: str, source_name: str = "<source>") -> list[SourceCell]:
    """Split a percent-format source into cells."""
    cells: list[SourceCell] = []
    current: SourceCell | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            body = "\n".join(lines).strip("\n")
            if current.kind in ("markdown", "exercise"):
                body = "\n".join(_uncomment(line, source_name) for line in body.splitlines())
            current.text = body
            cells.append(current)

    for number, line in enumerate(text.splitlines(), start=1):
        marker = CELL_MARKER.match(line)
        if marker is None:
            if current is None and line.strip():
                raise ValueError(f"{source_name}:{number}: text before the first '# %%' cell marker")
            lines.append(line)
            continue
        close()
        kind = (marker.group("kind") or "code").split()
        lines = []
        if kind == ["code"] or kind == ["markdown"]:
            current = SourceCell(kind[0], "")
        elif len(kind) == 2 and kind[0] == "exercise":
            current = SourceCell("exercise", "", exercise_id=kind[1])
        else:
            raise ValueError(f"{source_name}:{number}: unknown cell kind {' '.join(kind)!r}")
    close()
    return cells


def _uncomment(line: str, source_name: str) -> str:
    if line == "#":
        return ""
    if not line.startswith("# "):
        raise ValueError(f"{source_name}: a markdown line must start with '# ': {line!r}")
    return line[2:]


def learner_stub(exercise_id: str, source: str) -> str:
    """The reference's signature and docstring, with a body that raises NotImplementedError."""
    function = ast.parse(source).body[0]
    if not isinstance(function, ast.FunctionDef):
        raise ValueError(f"{exercise_id}: the reference must be a function")
    lines = source.splitlines()
    first_body = function.body[0]
    has_docstring = isinstance(first_body, ast.Expr) and isinstance(getattr(first_body, "value", None), ast.Constant)
    keep_until = first_body.end_lineno if has_docstring else first_body.lineno - 1
    indent = " " * first_body.col_offset
    stub = [f"{indent}{STUB_HINT}", f'{indent}raise NotImplementedError("{exercise_id} {STUB_MESSAGE}")']
    return "\n".join(lines[:keep_until] + stub)


def exercise_cells(exercise_id: str, task: str, solutions: bool) -> list[tuple[str, str]]:
    from course_utils.checks import get

    exercise = get(exercise_id)
    source = textwrap.dedent(inspect.getsource(exercise.reference)).strip("\n")
    dots = "●" * exercise.difficulty + "○" * (3 - exercise.difficulty)
    header = (
        f"### Exercise `{exercise.id}`: {exercise.title}\n\n"
        f"Difficulty {dots} ({exercise.difficulty} of 3) · about {exercise.minutes} minutes\n\n"
        + (f"{task}\n\n" if task else "")
        + f"<details><summary>Hint</summary>\n\n{exercise.hint}\n\n</details>"
    )
    code = source if solutions else learner_stub(exercise_id, source)
    check_cell = f'from course_utils.checks import check\n\n{exercise.name} = check("{exercise.id}", {exercise.name})'
    return [("markdown", header), ("code", code), ("code", check_cell)]


def build(source_path: Path, solutions: bool) -> nbformat.NotebookNode:
    """The learner notebook (``solutions=False``) or solution notebook built from ``source_path``."""
    cells: list[tuple[str, str]] = []
    chapters = set()
    for cell in parse_source(source_path.read_text(encoding="utf-8"), source_path.name):
        if cell.kind == "exercise":
            cells.extend(exercise_cells(cell.exercise_id, cell.text, solutions))
            chapters.add(cell.exercise_id.partition(".")[0])
        else:
            cells.append((cell.kind, cell.text))
    if len(chapters) > 1:
        raise ValueError(f"{source_path.name}: exercises from several chapters: {sorted(chapters)}")
    if chapters:
        chapter = chapters.pop()
        cells.append(("markdown", "## Your progress\n\nWhich exercises of this chapter are done:"))
        cells.append(("code", f'from course_utils.checks import summary\n\nsummary("{chapter}");'))
    if solutions:
        cells.insert(1, ("markdown", SOLUTION_BANNER))

    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    stem = source_path.stem
    for index, (kind, text) in enumerate(cells):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        new_cell = make(text)
        new_cell.id = hashlib.sha1(f"{stem}:{index}".encode()).hexdigest()[:12]
        cells[index] = new_cell
    notebook.cells = cells
    nbformat.validate(notebook)
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def sources() -> list[Path]:
    """The primer for learners new to Python first, then the chapters in their order."""
    return sorted(SOURCE_DIR.glob("primer_*.py")) + sorted(SOURCE_DIR.glob("[0-9][0-9]_*.py"))


def targets(source_path: Path, learner_dir: Path = LEARNER_DIR, solution_dir: Path = SOLUTION_DIR):
    name = source_path.stem + ".ipynb"
    return [(learner_dir / name, False), (solution_dir / name, True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare the committed notebooks with the build")
    args = parser.parse_args()
    stale = []
    for source_path in sources():
        for path, solutions in targets(source_path):
            text = render(build(source_path, solutions))
            if args.check:
                if not path.is_file() or path.read_text(encoding="utf-8") != text:
                    stale.append(path.relative_to(ROOT))
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path}")
    if stale:
        print("These notebooks differ from their sources; run `make notebooks` and commit the result:")
        print("\n".join(f"  {path}" for path in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
