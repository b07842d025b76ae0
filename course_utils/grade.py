"""Grade a class: run every student's learner notebooks and collect each exercise's outcome from its check.

    python -m course_utils.grade SUBMISSIONS_DIR [--out grading-report] [--jobs 2] [--full]
                                 [--cell-timeout 120] [--notebook-timeout 900] [--memory-gb 4]

``SUBMISSIONS_DIR`` holds the class's work in either layout (both may be mixed):

* one folder per student, named for the student, holding their learner notebooks at any depth: a copy of the
  course (``alice/gpt-from-scratch/notebooks/01_linear_regression.ipynb``, as nbgitpuller clones it into a home
  folder), ``my-notebooks/`` (as ``make lab`` makes it), or the notebooks loose in the folder. Notebooks under a
  ``solutions`` folder, JupyterLab's ``.ipynb_checkpoints`` and ``make reset``'s ``.backup-`` copies are left
  out; where a student has two copies of a chapter, the one in ``my-notebooks/`` is graded, else the newest;
* one notebook per student per chapter, loose in ``SUBMISSIONS_DIR``, named ``<student>_<course notebook>``
  (``alice_01_linear_regression.ipynb``), as a learning platform's download can be named.

A notebook's chapter is read from the checks it calls (``check("ch01.mse_loss", ...)``), else from its name.
Each notebook is copied into a temporary folder of its own and run there, in a fresh kernel of the course's
environment started by a process of its own, in fast mode unless ``--full`` is given, with a time limit per cell
and per notebook and a memory limit per kernel (where the system enforces one: Linux). Cells run on after an
error, as far as they can, so that a failed exercise does not hide the next one. Every check writes its outcome
to a log as it happens (``COURSE_OUTCOME_LOG``, see :mod:`course_utils.checks.core`), so a kernel that dies later
loses nothing.

Each exercise of the course's chapters gets one of four outcomes: ``passed``, ``failed`` (with the check's
message), ``unfinished`` (the stub still raises), or ``not reached`` (its check did not run: the message says
which cell raised, timed out or killed the kernel before it, or that the notebook has no check for it, as in a
notebook from an older version of the course).

The folder ``--out`` receives ``grades.csv`` (``student,chapter,exercise,outcome,message,seconds``: one row per
student and exercise of each chapter anyone handed in; ``seconds`` is how long the check ran), ``report.html`` (one
self-contained page: a row per student, a column per exercise, a chapter not handed in shown apart, the pass rate of
each exercise among those who handed its chapter in at the bottom, the messages below) and ``notebooks/<student>/``:
each notebook as it ran, with its outputs.

A temporary working copy is not a sandbox: a student's code runs with the grader's rights. Run the grader in a
container or as an unprivileged user (see the README).
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_utils.checks.core import EXPECT_ENV_VAR, FAILED, OUTCOME_LOG_ENV_VAR, PASSED, UNFINISHED

NOT_REACHED = "not reached"
OUTCOMES = (PASSED, FAILED, UNFINISHED, NOT_REACHED)
CSV_HEADERS = ("student", "chapter", "exercise", "outcome", "message", "seconds")
COURSE_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_LIMIT_BYTES = 2_000_000
"""Outputs a notebook may print in all before the rest are cut (an error's output is always kept)."""

_CHECK_CALL = re.compile(r"""\bcheck\(\s*["']((?:ch\d\d|primer)\.\w+)["']""")
_CHAPTER_IN_NAME = re.compile(r"(?:^|[^0-9])(\d\d)_[A-Za-z]|(?:^|[^A-Za-z])(primer)_[A-Za-z]")
_FLAT_NAME = re.compile(r"^(?P<student>.+?)[ _.-]+(?P<notebook>(?:\d\d|primer)_\w+)$")


# --------------------------------------------------------------------------------------------------------------
# The course's chapters and exercises, found by the registry: a new chapter needs nothing here


def course_exercises() -> dict[str, list[str]]:
    """Chapter (``"primer"``, ``"ch01"``, ...) -> its exercise ids in notebook order, the primer first."""
    from course_utils.checks.core import _in_notebook_order, exercises

    chapters = sorted({exercise.chapter for exercise in exercises().values()}, key=chapter_sort_key)
    return {chapter: list(_in_notebook_order(exercises(chapter))) for chapter in chapters}


def chapter_sort_key(chapter: str) -> tuple[int, str]:
    """The primer first, then the chapters by number."""
    return (-1, chapter) if chapter == "primer" else (int(chapter[2:]) if chapter[2:].isdigit() else 999, chapter)


def chapter_label(chapter: str) -> str:
    """``"ch01"`` -> ``"01"`` (as the notebooks are numbered); ``"primer"`` stays."""
    return chapter[2:] if chapter.startswith("ch") else chapter


def checked_exercises(notebook: dict[str, Any]) -> dict[str, int]:
    """Exercise id -> index of the code cell that checks it, for every ``check("chNN.name", ...)`` call."""
    found: dict[str, int] = {}
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") == "code":
            for exercise_id in _CHECK_CALL.findall(_source(cell)):
                found.setdefault(exercise_id, index)
    return found


def chapter_of(notebook: dict[str, Any] | None, name: str) -> str | None:
    """The chapter a notebook belongs to: the one most of its checks name, else the number in its file name."""
    if notebook is not None:
        chapters = Counter(exercise_id.partition(".")[0] for exercise_id in checked_exercises(notebook))
        if chapters:
            return chapters.most_common(1)[0][0]
    match = _CHAPTER_IN_NAME.search(name)
    if match is None:
        return None
    return f"ch{match.group(1)}" if match.group(1) else "primer"


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


# --------------------------------------------------------------------------------------------------------------
# Finding the submissions


@dataclass
class Submission:
    """One student's notebook for one chapter, read into memory before anything runs."""

    student: str
    chapter: str
    path: Path
    content: bytes
    notebook: dict[str, Any] | None  # None when it does not parse
    problem: str = ""  # why it cannot run (it does not parse)


@dataclass
class Found:
    submissions: list[Submission] = field(default_factory=list)
    students: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_notebook(path: Path) -> tuple[bytes, dict[str, Any] | None, str]:
    try:
        content = path.read_bytes()
    except OSError as error:
        return b"", None, f"it could not be read ({error.strerror or error})"
    try:
        notebook = json.loads(content.decode("utf-8"))
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("it has no list of cells")
    except (ValueError, UnicodeDecodeError) as error:
        return content, None, f"it is not a notebook Jupyter can open ({str(error)[:120]})"
    return content, notebook, ""


def _is_candidate(path: Path, student_folder: Path) -> bool:
    parts = path.relative_to(student_folder).parts
    return (
        path.suffix == ".ipynb"
        and ".ipynb_checkpoints" not in parts
        and "solutions" not in parts[:-1]
        and ".backup-" not in path.name
        and not any(part.startswith(".") for part in parts)
    )


def find_submissions(root: Path) -> Found:
    """Every student's notebooks under ``root`` (see the module docstring for the layouts); what is skipped and
    why goes into ``notes``."""
    found = Found()
    by_student: dict[str, dict[str, list[Submission]]] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        if entry.is_dir():
            student = entry.name
            by_student.setdefault(student, {})
            candidates = sorted(path for path in entry.rglob("*.ipynb") if _is_candidate(path, entry))
            for path in candidates:
                content, notebook, problem = _read_notebook(path)
                chapter = chapter_of(notebook, path.name)
                if chapter is None:
                    found.notes.append(
                        f"{student}: {path.relative_to(entry)} is not a notebook of this course "
                        + (
                            f"({problem})."
                            if problem
                            else "(it checks no exercise and its name has no chapter number)."
                        )
                    )
                    continue
                submission = Submission(student, chapter, path, content, notebook, problem)
                by_student[student].setdefault(chapter, []).append(submission)
            if not candidates:
                found.notes.append(f"{student}: the folder holds no notebook.")
        elif entry.suffix == ".ipynb":
            match = _FLAT_NAME.match(entry.stem)
            student = match.group("student") if match else entry.stem
            content, notebook, problem = _read_notebook(entry)
            chapter = chapter_of(notebook, entry.name)
            if chapter is None:
                found.notes.append(
                    f"{entry.name}: skipped, not a notebook of this course "
                    + (f"({problem})." if problem else "(it checks no exercise and its name has no chapter number).")
                )
                continue
            by_student.setdefault(student, {}).setdefault(chapter, []).append(
                Submission(student, chapter, entry, content, notebook, problem)
            )
        else:
            found.notes.append(f"{entry.name}: skipped, not a notebook (a notebook's name ends in .ipynb).")
    for student in sorted(by_student):
        found.students.append(student)
        for chapter in sorted(by_student[student], key=chapter_sort_key):
            copies = by_student[student][chapter]
            # a notebook that opens, then make lab's copy, then the newest
            chosen = max(copies, key=lambda s: (s.notebook is not None, "my-notebooks" in s.path.parts, _mtime(s.path)))
            if len(copies) > 1:
                others = ", ".join(str(s.path.relative_to(root)) for s in copies if s is not chosen)
                found.notes.append(
                    f"{student}: {len(copies)} copies of {chapter}; graded {chosen.path.relative_to(root)}, "
                    f"not {others}."
                )
            found.submissions.append(chosen)
    return found


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# --------------------------------------------------------------------------------------------------------------
# Running one notebook: the parent copies it into a folder of its own and starts `--worker` on that folder


@dataclass
class Limits:
    cell_timeout: float = 120.0
    notebook_timeout: float = 900.0
    memory_gb: float | None = 4.0
    fast: bool = True
    # a kernel that uses no CPU this long while its cell is unfinished has lost its reply: run the notebook again
    stall_timeout: float = 60.0


def kernel_environment(log: Path, limits: Limits, jobs: int) -> dict[str, str]:
    """The environment of a student's kernel: the course importable, fast mode as asked, no progress file, no
    test-suite expectations, and every check's outcome written to ``log``."""
    env = dict(os.environ)
    env.pop(EXPECT_ENV_VAR, None)
    env["PYTHONPATH"] = os.pathsep.join([str(COURSE_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["COURSE_FAST"] = "1" if limits.fast else "0"
    env["COURSE_PROGRESS"] = "0"
    env["MPLBACKEND"] = "Agg"
    env[OUTCOME_LOG_ENV_VAR] = str(log)
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, jobs))))
    return env


def _set_memory_limit(gigabytes: float | None) -> str:
    """Limit this process and the kernel it starts to ``gigabytes`` of memory, where the platform allows."""
    if not gigabytes:
        return ""
    try:
        import resource
    except ImportError:  # Windows
        return "no memory limit on this platform"
    limit = int(gigabytes * 2**30)
    # RLIMIT_DATA counts what a process allocates and not the libraries it maps, so torch's large shared libraries
    # do not eat into it (Linux 4.7 and later); where the platform has no such limit the whole address space is.
    for name in ("RLIMIT_DATA", "RLIMIT_AS"):
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        try:
            resource.setrlimit(kind, (limit, limit))
            return ""
        except (ValueError, OSError) as error:
            reason = str(error)
    return f"no memory limit ({reason})"


def run_worker(folder: Path) -> None:
    """Run ``folder/notebook.ipynb`` as ``folder/job.json`` says, and write ``folder/result.json``."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from course_utils.kernel_watch import KernelStalled, StallWatchingClient, kernel_pid

    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    limits = Limits(**job["limits"])
    result: dict[str, Any] = {"stopped": None, "cell": None, "detail": "", "errors": []}
    memory_note = _set_memory_limit(limits.memory_gb)
    if memory_note:
        result["memory_note"] = memory_note
    work = folder / "work"
    notebook = nbformat.read(work / job["name"], as_version=4)
    deadline = time.monotonic() + limits.notebook_timeout
    state = {"cell": None, "printed": 0}

    def cell_timeout(cell: Any) -> int:
        return max(1, int(min(limits.cell_timeout, deadline - time.monotonic())))

    class GradingClient(StallWatchingClient):
        def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
            if msg["msg_type"] in ("stream", "display_data", "execute_result", "update_display_data"):
                state["printed"] += len(json.dumps(msg["content"]))
                if state["printed"] > OUTPUT_LIMIT_BYTES:
                    if state["printed"] - len(json.dumps(msg["content"])) <= OUTPUT_LIMIT_BYTES:
                        note = nbformat.v4.new_output(
                            "stream", name="stderr", text=f"[grader: outputs cut after {OUTPUT_LIMIT_BYTES:,} bytes]\n"
                        )
                        outs.append(note)
                        result["outputs_cut_at"] = cell_index
                    return None
            return super().output(outs, msg, display_id, cell_index)

    def on_start(**_: Any) -> None:
        pid = kernel_pid(client)
        if pid:
            (folder / "kernel.pid").write_text(str(pid))

    def on_cell_start(cell: Any, cell_index: int, **_: Any) -> None:
        state["cell"] = cell_index
        # for the parent, should this worker be killed (by the student's code, or for memory) before it reports
        (folder / "cell.txt").write_text(str(cell_index))

    def new_client(notebook: Any) -> GradingClient:
        return GradingClient(
            notebook,
            timeout=int(limits.cell_timeout),
            timeout_func=cell_timeout,
            stall_seconds=limits.stall_timeout,  # course_utils.kernel_watch
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": str(work)}},
            on_notebook_start=on_start,
            on_cell_start=on_cell_start,
        )

    env = kernel_environment(Path(job["log"]), limits, job["jobs"])
    started = time.monotonic()
    client = new_client(notebook)
    try:
        try:
            client.execute(env=env, cwd=str(work))
        except KernelStalled as stall:  # once more in a fresh kernel, from a fresh copy and an empty check log
            result["restarted"] = str(stall)
            notebook = nbformat.read(work / job["name"], as_version=4)
            Path(job["log"]).write_text("", encoding="utf-8")
            state.update(cell=None, printed=0)
            result.pop("outputs_cut_at", None)  # the second run cuts its own outputs, if it prints as much
            client = new_client(notebook)
            client.execute(env=env, cwd=str(work))
    except KernelStalled as stall:
        result["stopped"] = "kernel stalled"
        result["detail"] = str(stall)
    except CellTimeoutError:
        notebook_limit = time.monotonic() >= deadline - 1
        result["stopped"] = "notebook timeout" if notebook_limit else "cell timeout"
        result["limit_s"] = limits.notebook_timeout if notebook_limit else limits.cell_timeout
    except DeadKernelError as error:
        result["stopped"] = "kernel died"
        result["detail"] = str(error)[:200]
    except Exception as error:  # noqa: BLE001 - anything else is reported for this notebook, not raised
        result["stopped"] = "grader error"
        result["detail"] = f"{type(error).__name__}: {str(error)[:300]}"
    result["cell"] = state["cell"]
    result["seconds"] = round(time.monotonic() - started, 1)
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                result["errors"].append({"cell": index, "ename": output["ename"], "evalue": output["evalue"][:300]})
    nbformat.write(notebook, folder / "executed.ipynb")
    (folder / "result.json").write_text(json.dumps(result), encoding="utf-8")


@dataclass
class Row:
    student: str
    chapter: str
    exercise: str
    outcome: str
    message: str
    seconds: float | None


@dataclass
class NotebookResult:
    submission: Submission
    rows: list[Row]
    notes: list[str]
    seconds: float
    executed: Path | None = None


def _describe_cell(notebook: dict[str, Any] | None, index: int) -> str:
    """``cell 12 (`loss = mse_loss(...)`)``: its place among all cells, counted from 1, and its first line."""
    cells = (notebook or {}).get("cells", [])
    first = (
        _source(cells[index]).strip().splitlines()[0] if index < len(cells) and _source(cells[index]).strip() else ""
    )
    first = first if len(first) <= 50 else first[:47] + "..."
    return f"cell {index + 1}" + (f" (`{first}`)" if first else "")


def grade_notebook(submission: Submission, exercise_ids: Sequence[str], limits: Limits, jobs: int) -> NotebookResult:
    """Run one submission in a temporary folder of its own, by a process of its own, and return its rows."""
    started = time.monotonic()
    notes: list[str] = []
    if submission.notebook is None:
        rows = [
            Row(
                submission.student,
                submission.chapter,
                ex,
                NOT_REACHED,
                f"the notebook did not run: {submission.problem}",
                None,
            )
            for ex in exercise_ids
        ]
        return NotebookResult(
            submission, rows, [f"{submission.student}: {submission.path.name}: {submission.problem}"], 0.0
        )
    folder = Path(tempfile.mkdtemp(prefix=f"grade-{_safe(submission.student)}-"))
    try:
        work = folder / "work"
        work.mkdir()
        name = submission.path.name
        (work / name).write_bytes(submission.content)
        log = folder / "outcomes.jsonl"
        job = {"name": name, "log": str(log), "jobs": jobs, "limits": limits.__dict__}
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        result = _run_worker_process(folder, limits)
        rows, more_notes = _rows(submission, exercise_ids, result, _read_log(log))
        notes += more_notes
        executed = None
        if (folder / "executed.ipynb").is_file():
            executed = folder.parent / f"{folder.name}-executed.ipynb"
            shutil.move(folder / "executed.ipynb", executed)
        return NotebookResult(submission, rows, notes, time.monotonic() - started, executed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_worker_process(folder: Path, limits: Limits) -> dict[str, Any]:
    command = [sys.executable, "-m", "course_utils.grade", "--worker", str(folder)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(COURSE_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    # a backstop above the notebook's own limit, for a worker that hangs outside a cell (a kernel that never starts)
    backstop = limits.notebook_timeout + 120
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=backstop)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        output, _ = process.communicate()
        _kill_kernel(folder)
        return {"stopped": "notebook timeout", "cell": None, "limit_s": backstop, "errors": []}
    result_file = folder / "result.json"
    if result_file.is_file():  # the worker finished, and nbclient shut the kernel down
        return json.loads(result_file.read_text(encoding="utf-8"))
    _kill_kernel(folder)  # a kernel left behind by a worker that died
    try:  # the cell that was running, if any had started
        cell = int((folder / "cell.txt").read_text())
    except (OSError, ValueError):
        cell = None
    if process.returncode < 0:  # killed by a signal: by the student's code (it can reach its parent), or the system
        number = -process.returncode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        detail = f"it was killed by {name}: by the notebook's own code, or by the system for lack of memory"
        return {"stopped": "worker killed", "cell": cell, "detail": detail, "errors": []}
    # the last lines that say something (jupyter_client's warnings about its transport are noise here)
    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip() and "WARNING" not in line]
    detail = " ".join(lines[-3:])[-300:] or f"its process ended with status {process.returncode} and said nothing"
    return {"stopped": "grader error", "cell": cell, "detail": detail, "errors": []}


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _kill_kernel(folder: Path) -> None:
    """Stop the kernel a dead or stopped worker left behind (it leads a process group of its own)."""
    pid_file = folder / "kernel.pid"
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return
    command_line = Path(f"/proc/{pid}/cmdline")
    if command_line.parent.parent.is_dir() and Path("/proc/self").exists():
        # Linux: only if that process is still a kernel (a process id is reused once its process has ended)
        try:
            if b"ipykernel" not in command_line.read_bytes():
                return
        except OSError:
            return
    _kill_group(pid)


def _read_log(log: Path) -> dict[str, dict[str, Any]]:
    """The last outcome each check wrote to the log (a learner may run a check twice)."""
    latest: dict[str, dict[str, Any]] = {}
    if log.is_file():
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
                latest[str(record["exercise"])] = record
            except (ValueError, KeyError, TypeError):
                continue
    return latest


def _rows(
    submission: Submission, exercise_ids: Sequence[str], result: dict[str, Any], log: dict[str, dict[str, Any]]
) -> tuple[list[Row], list[str]]:
    notebook = submission.notebook
    check_cells = checked_exercises(notebook or {})
    notes = []
    unknown = sorted(set(check_cells) - set(exercise_ids))
    if unknown:
        notes.append(
            f"{submission.student}: {submission.path.name} checks {', '.join(unknown)}, which this version of the "
            f"course does not have (a notebook from an older version?)."
        )
    if result.get("restarted"):
        notes.append(
            f"{submission.student}: {submission.path.name} was run a second time in a fresh kernel: in the first "
            f"run, {result['restarted']}."
        )
    if result.get("memory_note"):
        notes.append(f"{submission.student}: {submission.path.name}: {result['memory_note']}.")
    if result.get("outputs_cut_at") is not None:
        notes.append(
            f"{submission.student}: {submission.path.name}: {_describe_cell(notebook, result['outputs_cut_at'])} "
            f"printed past the grader's limit of {OUTPUT_LIMIT_BYTES:,} bytes of outputs: the rest were cut (the "
            "notebook ran on)."
        )
    stopped, stop_cell = result.get("stopped"), result.get("cell")
    limit = f"{result.get('limit_s', 0):.0f} s"
    stop_reason = {
        "cell timeout": f"timed out (the limit is {limit} per cell)",
        "notebook timeout": f"was running when the notebook reached its time limit ({limit})",
        "kernel died": "stopped the kernel (out of memory, or the process exited)",
        "kernel stalled": (
            "left the kernel idle, twice, without finishing (does it sleep, or wait on a lock, a queue or the "
            "network? the grader gives up on a kernel that uses no CPU for a while)"
        ),
        "grader error": f"could not be run by the grader ({result.get('detail', '')})",
        "worker killed": f"stopped the grader's process for this notebook ({result.get('detail', '')})",
    }.get(stopped or "", "")
    if stopped:
        where = _describe_cell(notebook, stop_cell) if stop_cell is not None else "the notebook"
        notes.append(f"{submission.student}: {submission.path.name}: {where} {stop_reason}.")
    errors = [e for e in result.get("errors", []) if e["ename"] != "CheckFailed"]
    rows = []
    for exercise_id in exercise_ids:
        record = log.get(exercise_id)
        if record is not None and record.get("outcome") in (PASSED, FAILED, UNFINISHED):
            message = str(record.get("message", ""))
            seconds = record.get("seconds")
            rows.append(Row(submission.student, submission.chapter, exercise_id, record["outcome"], message, seconds))
            continue
        cell = check_cells.get(exercise_id)
        if cell is None:
            message = "the notebook has no check for this exercise (a notebook from an older version of the course?)"
        elif stopped and (stop_cell is None or stop_cell <= cell):
            where = _describe_cell(notebook, stop_cell) if stop_cell is not None else "the notebook"
            message = f"{where} {stop_reason}"
        else:
            before = [e for e in errors if e["cell"] <= cell]
            if before:
                first = before[0]
                message = f"{_describe_cell(notebook, first['cell'])} raised {first['ename']}: {first['evalue']}"
                message = message.splitlines()[0]
            else:
                message = "its check did not run"
        rows.append(Row(submission.student, submission.chapter, exercise_id, NOT_REACHED, message, None))
    return rows, notes


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:40] or "student"


# --------------------------------------------------------------------------------------------------------------
# The whole class


@dataclass
class Report:
    rows: list[Row]
    students: list[str]
    chapters: dict[str, list[str]]
    notes: list[str]
    seconds: float
    missing: set[tuple[str, str]] = field(default_factory=set)
    """(student, chapter) pairs with no notebook handed in: ``not reached`` in the CSV, shown apart in the page."""


def grade_class(
    submissions_dir: str | Path,
    out: str | Path,
    *,
    jobs: int = 2,
    limits: Limits | None = None,
    echo: bool = True,
) -> Report:
    """Grade every submission under ``submissions_dir`` and write ``grades.csv``, ``report.html`` and the run
    notebooks into ``out``. Returns what was written."""
    from course_utils import validate

    for value, name in ((submissions_dir, "submissions_dir"), (out, "out")):
        if not isinstance(value, (str, Path)):
            raise TypeError(f"{name} must be a path (a str or pathlib.Path), not {validate.describe(value)}.")
    submissions_dir, out = Path(submissions_dir), Path(out)
    jobs = validate.whole_number(jobs, "jobs", minimum=1)
    if limits is not None and not isinstance(limits, Limits):
        raise TypeError(f"limits must be a course_utils.grade.Limits, not {validate.describe(limits)}.")
    limits = limits or Limits()
    started = time.monotonic()
    say = print if echo else (lambda *a, **k: None)
    if not submissions_dir.is_dir():
        raise NotADirectoryError(
            f"submissions_dir: {submissions_dir} is not a folder: give the folder that holds the students' work."
        )
    found = find_submissions(submissions_dir)
    known = course_exercises()
    for submission in found.submissions:
        if submission.chapter not in known:
            found.notes.append(
                f"{submission.student}: {submission.path.name} belongs to {submission.chapter}, which this version "
                "of the course has no exercises for: not graded."
            )
    submissions = [s for s in found.submissions if s.chapter in known]
    chapters = {chapter: ids for chapter, ids in known.items() if any(s.chapter == chapter for s in submissions)}
    if not submissions:
        say(f"No notebooks of the course found in {submissions_dir}: see `python -m course_utils.grade --help`.")
    else:
        say(f"Grading {len(submissions)} notebooks of {len(found.students)} students with {jobs} at a time.")
    results: list[NotebookResult] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(grade_notebook, s, chapters[s.chapter], limits, jobs) for s in submissions]
        for number, future in enumerate(futures, start=1):
            result = future.result()
            results.append(result)
            counts = Counter(row.outcome for row in result.rows)
            summary = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
            say(
                f"[{number}/{len(futures)}] {result.submission.student} {result.submission.path.name}: {summary} "
                f"({result.seconds:.0f} s)"
            )
    rows: list[Row] = []
    notes = list(found.notes)
    handed_in = {(r.submission.student, r.submission.chapter) for r in results}
    out.mkdir(parents=True, exist_ok=True)
    for result in results:
        notes += result.notes
        if result.executed is not None:
            target = out / "notebooks" / _safe(result.submission.student) / result.submission.path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(result.executed, target)
    by_key = {(r.submission.student, r.submission.chapter): r for r in results}
    for student in found.students:
        for chapter, ids in chapters.items():
            if (student, chapter) in handed_in:
                rows += by_key[(student, chapter)].rows
            else:
                rows += [
                    Row(student, chapter, ex, NOT_REACHED, f"no notebook of {chapter} was handed in", None)
                    for ex in ids
                ]
    missing = {(student, chapter) for student in found.students for chapter in chapters} - handed_in
    report = Report(rows, found.students, chapters, notes, time.monotonic() - started, missing)
    write_csv(report, out / "grades.csv")
    (out / "report.html").write_text(render_html(report, submissions_dir), encoding="utf-8")
    for note in notes:
        say(f"note: {note}")
    say(f"Wrote {out / 'grades.csv'} and {out / 'report.html'} ({report.seconds:.0f} s).")
    return report


def write_csv(report: Report, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_HEADERS)
        for row in report.rows:
            seconds = "" if row.seconds is None else f"{row.seconds:.2f}"
            writer.writerow([row.student, chapter_label(row.chapter), row.exercise, row.outcome, row.message, seconds])


SYMBOLS = {PASSED: "✔", FAILED: "✘", UNFINISHED: "○", NOT_REACHED: "!"}
NOT_HANDED_IN = "not handed in"
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: center; }
th.exercise { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; white-space: nowrap; }
td.student { text-align: left; font-weight: bold; }
td a { color: inherit; text-decoration: none; display: block; }
.passed { background: #c8e6c9; color: #1b5e20; }
.failed { background: #ffcdd2; color: #b71c1c; }
.unfinished { background: #eeeeee; color: #616161; }
.not-reached { background: #ffe0b2; color: #e65100; }
.not-handed-in { background: #fff; color: #9e9e9e; }
tr.rates td { font-weight: bold; }
tr.rates small { font-weight: normal; color: #555; }
.legend span { padding: 2px 8px; margin-right: 8px; border: 1px solid #ddd; }
li.message { margin-bottom: 0.6em; white-space: pre-wrap; }
li.message:target { background: #fff9c4; }
"""


def _pass_rates(report: Report) -> dict[str, tuple[int, int]]:
    """Exercise id -> (students who passed it, students who handed its chapter in): a student who handed in
    nothing for a chapter does not count against its exercises."""
    cell = {(r.student, r.exercise): r for r in report.rows}
    rates = {}
    for chapter, exercise_ids in report.chapters.items():
        graded = [s for s in report.students if (s, chapter) not in report.missing]
        for exercise_id in exercise_ids:
            outcomes = [cell[(s, exercise_id)].outcome for s in graded if (s, exercise_id) in cell]
            rates[exercise_id] = (sum(o == PASSED for o in outcomes), len(outcomes))
    return rates


def render_html(report: Report, submissions_dir: Path) -> str:
    """One self-contained page: a row per student, a column per exercise, pass rates at the bottom, and the
    messages below, one entry for the exercises of a student's chapter that share an outcome and a message."""
    esc = html.escape
    ids = [(chapter, ex) for chapter, exercises in report.chapters.items() for ex in exercises]
    cell = {(r.student, r.exercise): r for r in report.rows}
    legend = [(_css(o), f"{SYMBOLS[o]} {o}") for o in OUTCOMES] + [(_css(NOT_HANDED_IN), f"– {NOT_HANDED_IN}")]
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Grades</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Grades: {esc(submissions_dir.name)}</h1>",
        f"<p>{len(report.students)} students, {len(ids)} exercises in {len(report.chapters)} chapters; "
        f"graded in {report.seconds:.0f} s. Hover over a cell for the check's message; click it for the full one. "
        f"A chapter a student handed in no notebook for is shown as {NOT_HANDED_IN} (<code>{NOT_REACHED}</code> "
        "in grades.csv) and does not count in the pass rates.</p><p class='legend'>"
        + "".join(f"<span class='{css}'>{esc(text)}</span>" for css, text in legend)
        + "</p>",
    ]
    if not report.students:
        parts.append("<p><strong>No notebooks of the course were found.</strong></p>")
    if ids:
        # the messages, grouped: a student's exercises of one chapter with the same outcome and message share one
        groups: dict[tuple[str, str, str, str], list[str]] = {}
        for student in report.students:
            for chapter, ex in ids:
                row = cell.get((student, ex))
                if row is not None and row.outcome != PASSED:
                    outcome = NOT_HANDED_IN if (student, chapter) in report.missing else row.outcome
                    groups.setdefault((student, chapter, outcome, row.message), []).append(ex)
        anchors = {key: f"m{number}" for number, key in enumerate(groups, start=1)}
        anchor_of = {(key[0], ex): anchors[key] for key, exercises in groups.items() for ex in exercises}

        parts.append("<table><tr><th rowspan='2'>student</th>")
        parts += [
            f"<th colspan='{len(exercises)}'>{esc(chapter_label(chapter))}</th>"
            for chapter, exercises in report.chapters.items()
        ]
        parts.append("<th rowspan='2'>passed</th></tr><tr>")
        parts += [f"<th class='exercise' title='{esc(ex)}'>{esc(ex.partition('.')[2])}</th>" for _, ex in ids]
        parts.append("</tr>")
        for student in report.students:
            parts.append(f"<tr><td class='student'>{esc(student)}</td>")
            passed = 0
            for chapter, ex in ids:
                row = cell.get((student, ex))
                if row is None:
                    parts.append("<td></td>")
                    continue
                passed += row.outcome == PASSED
                if (student, chapter) in report.missing:
                    css, symbol, tip = _css(NOT_HANDED_IN), "–", f"{row.exercise}: {row.message}"
                else:
                    css, symbol, tip = _css(row.outcome), SYMBOLS[row.outcome], f"{row.exercise}: {row.outcome}."
                    tip += f" {row.message}" if row.message else ""
                inner = f"<a href='#{anchor_of[(student, ex)]}'>{symbol}</a>" if (student, ex) in anchor_of else symbol
                parts.append(f"<td class='{css}' title='{esc(tip, quote=True)}'>{inner}</td>")
            parts.append(f"<td>{passed}/{len(ids)}</td></tr>")
        parts.append("<tr class='rates'><td class='student'>pass rate</td>")
        rates = _pass_rates(report)
        for _, ex in ids:
            passed, graded = rates[ex]
            if not graded:
                parts.append(f"<td title='{esc(ex)}: nobody handed this chapter in'>–</td>")
                continue
            rate = passed / graded
            shade = f"hsl({int(120 * rate)}, 60%, 80%)"
            tip = f"{ex}: {passed} of the {graded} students who handed its chapter in passed"
            parts.append(
                f"<td style='background: {shade}' title='{esc(tip)}'>"
                f"{rate:.0%}<br><small>{passed}/{graded}</small></td>"
            )
        parts.append("<td></td></tr></table>")
        hardest = sorted((passed / graded, ex) for ex, (passed, graded) in rates.items() if graded)[:3]
        if hardest:
            parts.append(
                "<p>The exercises with the lowest pass rate: "
                + ", ".join(f"<code>{esc(ex)}</code> ({rate:.0%})" for rate, ex in hardest)
                + ".</p>"
            )
        parts.append("<h2>Messages</h2><ol>")
        for key, exercises in groups.items():
            student, chapter, outcome, message = key
            names = (
                ", ".join(exercises)
                if len(exercises) < len(report.chapters[chapter])
                else f"every exercise of {chapter_label(chapter)}"
            )
            parts.append(
                f"<li class='message' id='{anchors[key]}'><strong>{esc(student)}, {esc(names)}: "
                f"{esc(outcome)}</strong>\n{esc(message)}</li>"
            )
        parts.append("</ol>")
    if report.notes:
        parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{esc(note)}</li>" for note in report.notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _css(outcome: str) -> str:
    return outcome.replace(" ", "-")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.grade", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("submissions", type=Path, nargs="?", help="the folder of the class's work")
    parser.add_argument("--out", type=Path, default=Path("grading-report"), help="where the report goes")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    parser.add_argument("--full", action="store_true", help="run in full mode (default: fast mode, COURSE_FAST=1)")
    parser.add_argument("--cell-timeout", type=float, default=120.0, help="seconds per cell (default 120)")
    parser.add_argument("--notebook-timeout", type=float, default=900.0, help="seconds per notebook (default 900)")
    parser.add_argument(
        "--memory-gb", type=float, default=4.0, help="memory per kernel in GiB, 0: none (default 4; enforced on Linux)"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        run_worker(args.worker)
        return 0
    if args.submissions is None:
        parser.error("say which folder holds the class's work: python -m course_utils.grade SUBMISSIONS_DIR")
    if args.jobs < 1 or args.cell_timeout <= 0 or args.notebook_timeout <= 0 or args.memory_gb < 0:
        parser.error("--jobs, --cell-timeout and --notebook-timeout must be positive, --memory-gb 0 or more")
    limits = Limits(args.cell_timeout, args.notebook_timeout, args.memory_gb or None, fast=not args.full)
    try:
        grade_class(args.submissions, args.out, jobs=args.jobs, limits=limits)
    except NotADirectoryError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
