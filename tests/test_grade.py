"""The class grader: finding submissions, reading outcomes, the CSV and the HTML report, and a synthetic class.

The synthetic class runs five primer notebooks in kernels (about 30 s on a quiet 2-core machine); everything else
here runs no kernel and takes well under a second.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from pathlib import Path

import pytest

from course_utils import grade
from tests.in_handout import needs_solutions

ROOT = Path(__file__).resolve().parent.parent
LEARNER = ROOT / "notebooks" / "primer_python.ipynb"
SOLUTION = ROOT / "notebooks" / "solutions" / "primer_python.ipynb"


def _notebook(path: Path = LEARNER) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, notebook: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def _code(source: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}


def _check_cell(notebook: dict, exercise_id: str) -> int:
    return grade.checked_exercises(notebook)[exercise_id]


def _answer_cell(notebook: dict, exercise_id: str) -> int:
    """The code cell just before the exercise's check: the one the learner writes in."""
    index = _check_cell(notebook, exercise_id) - 1
    while notebook["cells"][index]["cell_type"] != "code":
        index -= 1
    return index


def _csv(out: Path) -> tuple[list[str], list[dict[str, str]]]:
    with (out / "grades.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


# ------------------------------------------------------------------------------------------------ without kernels


def test_every_chapter_s_exercises_are_found_by_the_registry():
    chapters = grade.course_exercises()
    assert list(chapters)[0] == "primer"
    numbered = [c for c in chapters if c != "primer"]
    assert numbered == sorted(numbered) and "ch01" in numbered
    for chapter, ids in chapters.items():
        assert ids and all(i.startswith(chapter + ".") for i in ids)
    for learner in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = _notebook(learner)
        chapter = grade.chapter_of(notebook, learner.name)
        if chapter in chapters:  # every exercise of the chapter has a check cell in its notebook, in order
            assert list(grade.checked_exercises(notebook)) == chapters[chapter], learner.name


def test_submissions_are_found_in_both_layouts_and_what_is_skipped_is_said(tmp_path: Path):
    learner = _notebook()
    ch01 = _notebook(ROOT / "notebooks" / "01_linear_regression.ipynb")
    # nbgitpuller's clone in a home folder, with the course's solutions and a checkpoint beside the learner's copy
    home = tmp_path / "class" / "ana" / "gpt-from-scratch" / "notebooks"
    _write(home / "primer_python.ipynb", learner)
    _write(home / "solutions" / "primer_python.ipynb", learner)  # the course's solutions are never graded
    _write(home / ".ipynb_checkpoints" / "primer_python-checkpoint.ipynb", learner)
    # make lab's folder wins over an older copy in notebooks/
    _write(tmp_path / "class" / "ben" / "notebooks" / "01_linear_regression.ipynb", ch01)
    _write(tmp_path / "class" / "ben" / "my-notebooks" / "01_linear_regression.ipynb", ch01)
    _write(tmp_path / "class" / "ben" / "my-notebooks" / "01_linear_regression.backup-20260101.ipynb", ch01)
    # one notebook per student per chapter, loose; its chapter comes from its checks, not its name
    _write(tmp_path / "class" / "cleo_primer_python.ipynb", learner)
    _write(tmp_path / "class" / "dan-homework.ipynb", learner)
    (tmp_path / "class" / "readme.txt").write_text("not a notebook")
    (tmp_path / "class" / "eve").mkdir()
    (tmp_path / "class" / "fay").mkdir()
    (tmp_path / "class" / "fay" / "primer_python.ipynb").write_text("{ this is not json")
    _write(tmp_path / "class" / "gus" / "scratch.ipynb", {"cells": [], "nbformat": 4, "metadata": {}})

    found = grade.find_submissions(tmp_path / "class")
    chosen = {(s.student, s.chapter): s.path.relative_to(tmp_path / "class").as_posix() for s in found.submissions}
    assert chosen == {
        ("ana", "primer"): "ana/gpt-from-scratch/notebooks/primer_python.ipynb",
        ("ben", "ch01"): "ben/my-notebooks/01_linear_regression.ipynb",
        ("cleo", "primer"): "cleo_primer_python.ipynb",
        ("dan-homework", "primer"): "dan-homework.ipynb",
        ("fay", "primer"): "fay/primer_python.ipynb",
    }
    assert found.students == ["ana", "ben", "cleo", "dan-homework", "eve", "fay", "gus"]
    notes = "\n".join(found.notes)
    assert "readme.txt: skipped, not a notebook" in notes
    assert "eve: the folder holds no notebook" in notes
    assert "gus: scratch.ipynb is not a notebook of this course" in notes
    assert "ben: 2 copies of ch01; graded ben/my-notebooks/01_linear_regression.ipynb" in notes
    fay = next(s for s in found.submissions if s.student == "fay")
    assert fay.notebook is None and "not a notebook Jupyter can open" in fay.problem


def test_an_empty_folder_gives_an_empty_report_not_a_crash(tmp_path: Path):
    (tmp_path / "class").mkdir()
    report = grade.grade_class(tmp_path / "class", tmp_path / "out", echo=False)
    assert report.rows == [] and report.students == []
    headers, rows = _csv(tmp_path / "out")
    assert headers == list(grade.CSV_HEADERS) == ["student", "chapter", "exercise", "outcome", "message", "seconds"]
    assert rows == []
    assert "No notebooks of the course were found" in (tmp_path / "out" / "report.html").read_text()
    with pytest.raises(NotADirectoryError, match="is not a folder"):
        grade.grade_class(tmp_path / "nowhere", tmp_path / "out", echo=False)


def test_a_notebook_that_does_not_parse_is_reported_for_each_of_its_exercises(tmp_path: Path):
    (tmp_path / "class" / "fay").mkdir(parents=True)
    (tmp_path / "class" / "fay" / "primer_python.ipynb").write_text("{ this is not json")
    grade.grade_class(tmp_path / "class", tmp_path / "out", echo=False)
    _, rows = _csv(tmp_path / "out")
    assert [row["exercise"] for row in rows] == grade.course_exercises()["primer"]
    for row in rows:
        assert row["outcome"] == "not reached" and "not a notebook Jupyter can open" in row["message"]
        assert row["seconds"] == ""


def test_an_older_notebook_s_missing_and_renamed_exercises_are_reported():
    notebook = _notebook()
    renamed = _check_cell(notebook, "primer.mean")
    notebook["cells"][renamed]["source"] = 'mean = check("primer.average", mean)'
    submission = grade.Submission("ana", "primer", LEARNER, b"", notebook)
    ids = grade.course_exercises()["primer"]
    log = {i: {"exercise": i, "outcome": "unfinished", "message": "not done yet", "seconds": 0.01} for i in ids}
    del log["primer.mean"]
    result = {"stopped": None, "cell": None, "errors": [{"cell": renamed, "ename": "KeyError", "evalue": "..."}]}
    rows, notes = grade._rows(submission, ids, result, log)
    by_id = {row.exercise: row for row in rows}
    assert by_id["primer.mean"].outcome == "not reached"
    assert "no check for this exercise" in by_id["primer.mean"].message
    assert all(row.outcome == "unfinished" for row in rows if row.exercise != "primer.mean")
    assert any("primer.average, which this version of the course does not have" in note for note in notes)


def test_a_stopped_notebook_names_the_cell_for_the_exercises_after_it_only():
    notebook = _notebook()
    ids = grade.course_exercises()["primer"]
    stop = _check_cell(notebook, ids[2]) - 1
    log = {i: {"outcome": "unfinished", "message": "not done yet", "seconds": 0.0} for i in ids[:2]}
    for stopped, words in [("cell timeout", "timed out"), ("kernel died", "stopped the kernel")]:
        result = {"stopped": stopped, "cell": stop, "errors": []}
        rows, notes = grade._rows(grade.Submission("ana", "primer", LEARNER, b"", notebook), ids, result, log)
        assert [row.outcome for row in rows] == ["unfinished"] * 2 + ["not reached"] * (len(ids) - 2)
        for row in rows[2:]:
            assert row.message.startswith(f"cell {stop + 1} (`") and words in row.message


def test_the_html_report_is_self_contained_with_pass_rates(tmp_path: Path):
    rows = [
        grade.Row("ana", "primer", "primer.mean", "passed", "correct", 0.1),
        grade.Row("ana", "primer", "primer.pick", "failed", "✘ <wrong> shape", 0.2),
        grade.Row("ben", "primer", "primer.mean", "failed", "expected 2", 0.1),
        grade.Row("ben", "primer", "primer.pick", "not reached", "cell 3 raised NameError", None),
    ]
    report = grade.Report(rows, ["ana", "ben"], {"primer": ["primer.mean", "primer.pick"]}, ["a note"], 1.0)
    page = grade.render_html(report, tmp_path)
    assert "<script" not in page and "http" not in page and "<link" not in page  # nothing to fetch
    assert "&lt;wrong&gt;" in page and "<wrong>" not in page  # messages are escaped
    assert grade._pass_rates(report) == {"primer.mean": (1, 2), "primer.pick": (0, 2)}
    assert ">50%<br><small>1/2</small><" in page and ">0%<br><small>0/2</small><" in page
    assert "title='primer.pick: not reached. cell 3 raised NameError'" in page
    assert "a note" in page
    grade.write_csv(report, tmp_path / "grades.csv")
    headers, written = _csv(tmp_path)
    assert headers == list(grade.CSV_HEADERS)
    assert written[3] == {
        "student": "ben",
        "chapter": "primer",
        "exercise": "primer.pick",
        "outcome": "not reached",
        "message": "cell 3 raised NameError",
        "seconds": "",
    }


def test_a_chapter_not_handed_in_is_shown_apart_and_not_counted_in_the_pass_rates(tmp_path: Path):
    """ben handed in the primer only: his chapter 01 cells say so (not an orange crash), and chapter 01's pass
    rates are over ana alone, so that a chapter few handed in does not look like the one the class struggles
    with. A student's exercises of one chapter with the same outcome and message share one message."""
    chapters = {"primer": ["primer.mean", "primer.pick"], "ch01": ["ch01.predict", "ch01.mse_loss"]}
    missing = "no notebook of ch01 was handed in"
    rows = [
        grade.Row("ana", "primer", "primer.mean", "passed", "correct", 0.1),
        grade.Row("ana", "primer", "primer.pick", "unfinished", "not done yet", 0.1),
        grade.Row("ana", "ch01", "ch01.predict", "passed", "correct", 0.1),
        grade.Row("ana", "ch01", "ch01.mse_loss", "failed", "squared?", 0.1),
        grade.Row("ben", "primer", "primer.mean", "unfinished", "not done yet", 0.1),
        grade.Row("ben", "primer", "primer.pick", "unfinished", "not done yet", 0.1),
        grade.Row("ben", "ch01", "ch01.predict", "not reached", missing, None),
        grade.Row("ben", "ch01", "ch01.mse_loss", "not reached", missing, None),
    ]
    report = grade.Report(rows, ["ana", "ben"], chapters, [], 1.0, missing={("ben", "ch01")})
    assert grade._pass_rates(report) == {
        "primer.mean": (1, 2),
        "primer.pick": (0, 2),
        "ch01.predict": (1, 1),
        "ch01.mse_loss": (0, 1),
    }
    page = grade.render_html(report, tmp_path)
    assert page.count("<td class='not-handed-in'") == 2 and page.count("<td class='not-reached'") == 0
    assert f"title='ch01.predict: {missing}'" in page
    assert ">100%<br><small>1/1</small><" in page
    assert "lowest pass rate: <code>ch01.mse_loss</code> (0%), <code>primer.pick</code> (0%)" in page
    messages = re.findall(r"<li class='message' id='(m\d+)'><strong>([^<]*)</strong>", page)
    assert [text for _, text in messages] == [
        "ana, primer.pick: unfinished",
        "ana, ch01.mse_loss: failed",
        "ben, every exercise of primer: unfinished",
        "ben, every exercise of 01: not handed in",
    ]
    for anchor, text in messages:  # each of the student's cells links to its message
        student = text.split(",")[0]
        row = page.split(f"<td class='student'>{student}</td>")[1].split("</tr>")[0]
        assert f"href='#{anchor}'" in row


def test_bad_options_are_refused_with_a_clear_message(capsys):
    for argv in ([], ["x", "--jobs", "0"], ["x", "--cell-timeout", "-1"]):
        with pytest.raises(SystemExit):
            grade.main(argv)
        assert "error:" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ a synthetic class


@needs_solutions  # the right answers come from the solution notebook
def test_a_synthetic_class_is_graded_cell_by_cell(tmp_path: Path):
    """Five students made from the primer's learner notebook, run in kernels two at a time (about 50 s quiet).

    nothing: the notebook as handed out, in an nbgitpuller clone beside the course's solutions (which are left out);
    right: every answer cell taken from the solution notebook, handed in as one loose file, printing megabytes at
    the end; wrong: one wrong answer, and a cell before the last check kills the grader's process that runs it;
    crash: the first code cell raises; loop: a cell after the second check never ends.
    """
    learner, solution = _notebook(), _notebook(SOLUTION)
    ids = grade.course_exercises()["primer"]
    assert list(grade.checked_exercises(learner)) == ids
    submissions = tmp_path / "class"

    _write(submissions / "nothing" / "course" / "notebooks" / "primer_python.ipynb", learner)
    _write(submissions / "nothing" / "course" / "notebooks" / "solutions" / "primer_python.ipynb", solution)

    right = copy.deepcopy(learner)
    for exercise_id in ids:
        right["cells"][_answer_cell(right, exercise_id)]["source"] = solution["cells"][
            _answer_cell(solution, exercise_id)
        ]["source"]
    right["cells"].append(_code('print("spam " * 600_000)  # 3 MB\n'))
    _write(submissions / "right_primer_python.ipynb", right)

    wrong = copy.deepcopy(learner)
    wrong["cells"][_answer_cell(wrong, "primer.mean")]["source"] = (
        "def mean(numbers):\n    return sum(numbers) / (len(numbers) - 1)\n"
    )
    kill_at = _check_cell(wrong, ids[-1]) - 1
    wrong["cells"].insert(kill_at, _code("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"))
    _write(submissions / "wrong" / "primer_python.ipynb", wrong)

    crash = copy.deepcopy(learner)
    first_code = next(i for i, cell in enumerate(crash["cells"]) if cell["cell_type"] == "code")
    crash["cells"][first_code]["source"] = 'raise RuntimeError("the first cell is broken")\n'
    _write(submissions / "crash" / "primer_python.ipynb", crash)

    loop = copy.deepcopy(learner)
    loop_at = _check_cell(loop, ids[1]) + 1
    loop["cells"].insert(loop_at, _code("while True:\n    pass\n"))
    _write(submissions / "loop" / "primer_python.ipynb", loop)
    (submissions / "grading-notes.txt").write_text("not a notebook")

    # the loop student waits out the cell limit: 15 s keeps that short and is still 5x the primer's slowest cell
    limits = grade.Limits(cell_timeout=15, notebook_timeout=300, memory_gb=4)
    grade.grade_class(submissions, tmp_path / "out", jobs=2, limits=limits, echo=False)
    headers, rows = _csv(tmp_path / "out")
    assert headers == ["student", "chapter", "exercise", "outcome", "message", "seconds"]
    table = {(row["student"], row["exercise"]): row for row in rows}
    students = ["crash", "loop", "nothing", "right", "wrong"]
    assert len(rows) == len(students) * len(ids) and set(table) == {(s, i) for s in students for i in ids}
    assert all(row["chapter"] == "primer" for row in rows)

    for exercise_id in ids:
        cell = table[("nothing", exercise_id)]
        assert (cell["outcome"], cell["message"]) == ("unfinished", "not done yet")
        assert float(cell["seconds"]) >= 0

        cell = table[("right", exercise_id)]
        assert cell["outcome"] == "passed" and cell["message"].startswith("correct"), cell
        assert float(cell["seconds"]) >= 0

        cell = table[("wrong", exercise_id)]
        if exercise_id == "primer.mean":
            assert cell["outcome"] == "failed" and cell["message"].startswith("✘ primer.mean")
            assert "Look at:" in cell["message"] and float(cell["seconds"]) >= 0
        elif exercise_id == ids[-1]:  # the checks before the kill were logged as they ran: nothing else is lost
            assert cell["outcome"] == "not reached" and cell["message"].startswith(
                f"cell {kill_at + 1} (`import os, signal`) stopped the grader's process for this notebook (it was "
                "killed by SIGKILL"
            )
        else:
            assert (cell["outcome"], cell["message"]) == ("unfinished", "not done yet")

        cell = table[("loop", exercise_id)]
        if exercise_id in ids[:2]:
            assert (cell["outcome"], cell["message"]) == ("unfinished", "not done yet")
        else:
            expected = f"cell {loop_at + 1} (`while True:`) timed out (the limit is 15 s per cell)"
            assert (cell["outcome"], cell["message"], cell["seconds"]) == ("not reached", expected, "")

    # the crash: checks that need nothing from the first cell still run; the others name it
    crashed = [table[("crash", i)] for i in ids]
    assert {cell["outcome"] for cell in crashed} == {"unfinished", "not reached"}
    for cell in crashed:
        if cell["outcome"] == "not reached":
            assert cell["message"].startswith(f"cell {first_code + 1} (`raise RuntimeError(")
            assert cell["message"].endswith("raised RuntimeError: the first cell is broken")

    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "grading-notes.txt: skipped, not a notebook" in page and "pass rate" in page
    assert "the grader&#x27;s limit of 2,000,000 bytes of outputs: the rest were cut" in page
    printed = _notebook(tmp_path / "out" / "notebooks" / "right" / "right_primer_python.ipynb")["cells"][-1]
    assert "".join(printed["outputs"][-1]["text"]) == "[grader: outputs cut after 2,000,000 bytes]\n"
    assert "solutions" not in {p.parent.name for p in (tmp_path / "out" / "notebooks").rglob("*.ipynb")}
    assert (tmp_path / "out" / "notebooks" / "right" / "right_primer_python.ipynb").is_file()


def test_a_kernel_that_goes_quiet_gets_the_notebook_run_again_then_is_reported(tmp_path: Path):
    """A first cell that leaves the kernel idle stands in for a lost reply (course_utils.kernel_watch): the napper's
    sleeps only in the first run (a file marks it), the sleeper's in every run. Two kernels at a time: about 20 s."""
    learner = _notebook()
    ids = grade.course_exercises()["primer"]
    sleeps_once = (  # and prints past the output limit then: the second run's report must not say so
        "import os, time\nif not os.path.exists('slept'):\n    open('slept', 'w').close()\n"
        "    for _ in range(25):\n        print('x' * 100_000)\n    time.sleep(30)\n"
    )
    for student, source in [("napper", sleeps_once), ("sleeper", "import time\ntime.sleep(30)\n")]:
        notebook = copy.deepcopy(learner)
        notebook["cells"].insert(0, _code(source))
        _write(tmp_path / "class" / student / "primer_python.ipynb", notebook)
    limits = grade.Limits(cell_timeout=60, notebook_timeout=120, memory_gb=None, stall_timeout=2)
    grade.grade_class(tmp_path / "class", tmp_path / "out", jobs=2, limits=limits, echo=False)
    _, rows = _csv(tmp_path / "out")
    by_student = {student: [row for row in rows if row["student"] == student] for student in ("napper", "sleeper")}
    assert [(row["outcome"], row["message"]) for row in by_student["napper"]] == [("unfinished", "not done yet")] * len(
        ids
    )
    for row in by_student["sleeper"]:
        assert row["outcome"] == "not reached" and row["message"].startswith("cell 1 (`import time`) left the kernel")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "napper: primer_python.ipynb was run a second time in a fresh kernel: in the first run, cell 1: the " in page
    assert "sleeper: primer_python.ipynb: cell 1 (`import time`) left the kernel idle, twice, without finishing" in page
    assert "napper: primer_python.ipynb: cell 1 (`import os, time`) printed past" not in page
