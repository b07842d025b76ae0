"""A learner's progress file: written by every check, atomically, off under the tests and with COURSE_PROGRESS=0,
never breaking a check; and ``progress()`` over every chapter the registry knows. No kernels: about 2 s."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import course_utils
from course_utils import learner_progress
from course_utils.checks import get
from course_utils.checks.core import EXPECT_ENV_VAR
from course_utils.grade import course_exercises
from course_utils.solutions import primer as references


def _stub(numbers):
    raise NotImplementedError("primer.mean is not done yet")


def mean(numbers):  # a learner's right answers (the reference itself is refused as "still the reference")
    return references.mean(numbers)


def loss_line(step, loss):
    return references.loss_line(step, loss)


@pytest.fixture
def learner_folder(tmp_path: Path, monkeypatch) -> Path:
    """A notebook's folder with progress on, as for a learner (the test suite turns it off for everything else)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(learner_progress.ENV_VAR, "1")
    monkeypatch.delenv(EXPECT_ENV_VAR, raising=False)
    monkeypatch.setattr(learner_progress, "_WARNED", set())
    return tmp_path


def _saved(folder: Path) -> dict:
    return json.loads((folder / ".course_progress.json").read_text(encoding="utf-8"))["exercises"]


def test_every_check_records_its_latest_outcome(learner_folder: Path, capsys):
    get("primer.mean").check(_stub)
    assert _saved(learner_folder)["primer.mean"]["outcome"] == "unfinished"
    with pytest.raises(AssertionError):
        get("primer.mean").check(lambda numbers: sum(numbers))
    assert _saved(learner_folder)["primer.mean"]["outcome"] == "failed"
    get("primer.mean").check(mean)
    get("primer.loss_line").check(loss_line)
    saved = _saved(learner_folder)
    assert {key: value["outcome"] for key, value in saved.items()} == {
        "primer.mean": "passed",
        "primer.loss_line": "passed",
    }
    assert sorted(p.name for p in learner_folder.iterdir()) == [".course_progress.json"]  # no temporary file left


def test_progress_is_off_with_the_switch_and_under_the_test_suite(learner_folder: Path, monkeypatch, capsys):
    monkeypatch.setenv(learner_progress.ENV_VAR, "0")
    get("primer.mean").check(mean)
    monkeypatch.setenv(learner_progress.ENV_VAR, "1")
    monkeypatch.setenv(EXPECT_ENV_VAR, "passed")
    get("primer.mean").check(mean)
    assert not (learner_folder / ".course_progress.json").exists()


def test_a_folder_that_cannot_be_written_warns_once_and_the_check_goes_on(learner_folder: Path, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(learner_progress.tempfile, "NamedTemporaryFile", refuse)
    with pytest.warns(UserWarning, match="could not be saved.*Permission denied"):
        assert get("primer.mean").check(mean) is mean
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second time says nothing
        get("primer.mean").check(mean)
    assert "✔ primer.mean" in capsys.readouterr().out
    assert not (learner_folder / ".course_progress.json").exists()


def test_a_damaged_file_warns_once_and_is_replaced(learner_folder: Path, capsys):
    (learner_folder / ".course_progress.json").write_text('{"exercises": [1, 2')
    with pytest.warns(UserWarning, match="could not be read"):
        get("primer.mean").check(mean)
    assert _saved(learner_folder)["primer.mean"]["outcome"] == "passed"


def test_progress_shows_every_chapter_a_bar_and_the_next_exercise(learner_folder: Path, capsys):
    get("primer.loss_line").check(loss_line)
    (learner_folder / "primer_python.ipynb").write_text("{}")  # the learner's own copy is the one linked
    shown = course_utils.progress()
    text, page = str(shown), shown._repr_html_()
    total = sum(len(ids) for ids in course_exercises().values())
    assert f"Your progress: 1 of {total} exercises done" in text
    for chapter, ids in course_exercises().items():
        assert all(exercise_id in text for exercise_id in ids), chapter
    assert "primer_python" in text and "█" in text and "1/6" in text
    assert "Next: primer.mean (" in text and "in primer_python.ipynb." in text
    assert "<a href='primer_python.ipynb'>primer_python.ipynb</a>" in page
    assert page.count("<tr>") == len(course_exercises())
    assert learner_progress.main([str(learner_folder)]) == 0
    assert "Next: primer.mean" in capsys.readouterr().out
    assert learner_progress.main(["no-such-folder"]) == 1


def test_in_a_folder_without_the_notebooks_the_next_one_is_the_course_s_shown_whole(learner_folder: Path):
    """A learner who runs `progress()` in a folder of their own that holds no copy of the notebooks: the text
    names the course's notebook by its whole path (not ../../.. from a temporary folder), and says that nothing
    is saved yet rather than naming a file that does not exist."""
    text = str(course_utils.progress())
    assert "(nothing saved yet: checks write " in text and "saved in" not in text
    course_notebook = learner_progress.COURSE_NOTEBOOKS.resolve() / "primer_python.ipynb"
    assert text.splitlines()[-1].endswith(f" in {course_notebook}.")
    get("primer.mean").check(mean)
    assert f"(saved in {learner_folder / '.course_progress.json'})" in str(course_utils.progress())
