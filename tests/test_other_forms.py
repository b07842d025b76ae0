"""Right answers written in other forms than the reference's (lists for arrays, loops, numpy numbers, tensors)
pass their checks, and every later cell of the chapter still runs with them.

The unit test checks each answer and that the function the check hands on gives the reference's form on every
test input (cheap, for every chapter). The notebook test runs the learner notebooks of the primer and chapters
00-03, in fast mode, with each exercise cell replaced by the answer of tests/other_forms, and requires every
check to pass and every cell to run (later chapters rely on the cheap test, to keep CI fast).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import tests.other_forms as other_forms_package
from course_utils.checks import exercises
from course_utils.checks.core import EXPECT_ENV_VAR, PASSED, _form

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_CHAPTERS = ("primer", "00", "01", "02", "03")
# every chapter with exercises needs an answer in another form for each of them
CHAPTERS = sorted({exercise_id.partition(".")[0].removeprefix("ch") for exercise_id in exercises()})
STUB = re.compile(r'raise NotImplementedError\("((?:ch\d+|primer)\.\w+) is not done yet"\)')


def _exercise_prefix(chapter: str) -> str:
    """The exercises' id prefix: ``ch03`` for chapter 03, ``primer`` for the primer."""
    return chapter if chapter == "primer" else f"ch{chapter}"


def _other_forms() -> dict:
    found = {}
    for module in pkgutil.iter_modules(other_forms_package.__path__):
        found.update(importlib.import_module(f"tests.other_forms.{module.name}").OTHER_FORMS)
    return found


OTHER_FORMS = _other_forms()


@pytest.fixture(autouse=True)
def _no_expectation(monkeypatch):
    monkeypatch.delenv(EXPECT_ENV_VAR, raising=False)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_of_the_chapter_has_an_answer_in_another_form(chapter):
    missing = sorted(set(exercises(_exercise_prefix(chapter))) - set(OTHER_FORMS))
    assert not missing, (
        f"tests/other_forms/{_exercise_prefix(chapter)}.py has no right answer in another form for {missing}"
    )


@pytest.mark.parametrize("exercise_id", sorted(OTHER_FORMS))
def test_an_answer_in_another_form_passes_and_is_handed_on_in_the_references_form(exercise_id, capsys):
    exercise = exercises()[exercise_id]
    learner = OTHER_FORMS[exercise_id]
    use = exercise.check(learner)
    assert "✔" in capsys.readouterr().out
    assert use is learner or use.__wrapped__ is learner
    if exercise.cases is None:
        return  # a custom check requires the form itself (a float loss, an int id) and says so
    for case in exercise.cases():
        if case.raises:
            continue
        want = exercise.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        got = use(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        assert _form(got) == _form(want), f"on {case.label}: {_form(got)} handed on, the reference gives {_form(want)}"


def _cell_source(function) -> str:
    """The answer as a learner's cell: the imports its module has, then the function."""
    module = inspect.getmodule(function)
    imports = [line for line in inspect.getsource(module).splitlines() if line.startswith(("import ", "from "))]
    return "\n".join(imports) + "\n\n\n" + textwrap.dedent(inspect.getsource(function))


@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS)
def test_the_learner_notebook_runs_to_the_end_with_answers_in_other_forms(chapter, monkeypatch):
    (path,) = (ROOT / "notebooks").glob(f"{chapter}_*.ipynb")
    notebook = nbformat.read(path, as_version=4)
    substituted = []
    for cell in notebook.cells:
        match = STUB.search(cell.source) if cell.cell_type == "code" else None
        if match:
            cell.source = _cell_source(OTHER_FORMS[match.group(1)])
            substituted.append(match.group(1))
    assert set(substituted) == set(exercises(_exercise_prefix(chapter))), "every exercise cell must be substituted"
    # every check must pass (the summary at the end asserts it too), in fast mode; the kernel inherits this
    monkeypatch.setenv(EXPECT_ENV_VAR, PASSED)
    monkeypatch.setenv("COURSE_FAST", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    outputs = "".join(
        output.get("text", "") for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    )
    for exercise_id in substituted:
        assert f"✔ {exercise_id} " in outputs
