"""The primer is part of the course like a chapter: its exercise ids, its summary, its place in the build and
in the learner's folder, and the outcome its notebooks must report under the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import pytest_runtest_setup
from course_utils.checks import Case, Exercise, exercises, summary
from course_utils.checks.core import EXPECT_ENV_VAR, PASSED, UNFINISHED
from course_utils.solutions import primer as solutions
from tests.in_handout import needs_solutions, needs_sources
from tools.build_notebooks import ROOT, sources, targets

PRIMER_IDS = [
    "primer.loss_line",
    "primer.mean",
    "primer.count_letters",
    "primer.center",
    "primer.pick",
    "primer.layer",
]


def _exercise(exercise_id: str) -> Exercise:
    return Exercise(exercise_id, "t", 1, 1, "h", solutions.mean, cases=lambda: [Case("x", ([1.0],))])


def test_exercise_ids_are_chapters_or_the_primer():
    assert _exercise("primer.mean").chapter == "primer"
    assert _exercise("ch07.softmax").chapter == "ch07"
    for bad in ["primer", "primers.mean", "Primer.mean", "primer.2mean", "chapter1.mean", "ch.mean"]:
        with pytest.raises(ValueError, match="must look like 'ch01.mse_loss' \\(or 'primer.mean'\\)"):
            _exercise(bad)


@needs_sources
def test_the_primer_s_exercises_are_registered_in_notebook_order_and_all_of_difficulty_1():
    primer = exercises("primer")
    assert list(primer) == PRIMER_IDS
    assert all(exercise.difficulty == 1 for exercise in primer.values())
    source = (ROOT / "notebooks" / "src" / "primer_python.py").read_text()
    assert [line.split()[-1].rstrip("]") for line in source.splitlines() if "[exercise " in line] == PRIMER_IDS


def test_summary_of_the_primer_names_every_exercise(capsys, monkeypatch):
    monkeypatch.setattr("course_utils.checks.core._OUTCOMES", {})  # none checked yet, whatever ran before
    outcomes = summary("primer")
    assert list(outcomes) == PRIMER_IDS
    assert "primer: 0 of 6 exercises done." in capsys.readouterr().out


@needs_sources
def test_the_build_writes_the_primer_first_as_learner_and_solution_notebook():
    primer_source = sources()[0]
    assert primer_source.name == "primer_python.py"
    assert [path.relative_to(ROOT).as_posix() for path, _ in targets(primer_source)] == [
        "notebooks/primer_python.ipynb",
        "notebooks/solutions/primer_python.ipynb",
    ]


@needs_solutions
@pytest.mark.parametrize(
    ("notebook", "expected"),
    [("notebooks/primer_python.ipynb", UNFINISHED), ("notebooks/solutions/primer_python.ipynb", PASSED)],
)
def test_the_test_suite_expects_the_primer_s_checks_like_a_chapter_s(notebook, expected, monkeypatch):
    class Item:
        path = ROOT / notebook

    monkeypatch.delenv(EXPECT_ENV_VAR, raising=False)
    pytest_runtest_setup(Item())
    assert Path(Item.path).is_file()
    assert os.environ[EXPECT_ENV_VAR] == expected
