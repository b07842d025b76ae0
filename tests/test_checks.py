"""Every exercise check passes its reference, calls a stub unfinished, and rejects the listed wrong answers
with a message that points at the mistake."""

from __future__ import annotations
import __future__

import functools
import importlib
import inspect
import pkgutil
import textwrap

import numpy as np
import pytest
import torch

import tests.wrong_answers as wrong_answers_package
from course_utils.checks import Case, CheckFailed, Exercise, Mistake, exercises, registry, same_values
from course_utils.checks.core import EXPECT_ENV_VAR
from tools.build_notebooks import learner_stub

ALL = exercises()


def _wrong_answers() -> dict:
    listed = {}
    for module in pkgutil.iter_modules(wrong_answers_package.__path__):
        listed.update(importlib.import_module(f"tests.wrong_answers.{module.name}").WRONG_ANSWERS)
    return listed


WRONG = _wrong_answers()


def _as_learner(function):
    """The reference as a learner would hand it in: the same code, but not the reference object itself."""

    @functools.wraps(function)
    def learner(*args, **kwargs):
        return function(*args, **kwargs)

    return learner


def _stub(exercise):
    """The learner notebook's stub for ``exercise``, made by the notebook build and defined here."""
    source = learner_stub(exercise.id, textwrap.dedent(inspect.getsource(exercise.reference)))
    namespace = dict(inspect.getmodule(exercise.reference).__dict__)
    exec(compile(source, "<stub>", "exec", flags=__future__.annotations.compiler_flag), namespace)
    return namespace[exercise.name]


@pytest.fixture(autouse=True)
def _no_expectation(monkeypatch):
    monkeypatch.delenv(EXPECT_ENV_VAR, raising=False)


def test_registry_maps_ids_to_check_and_reference():
    assert ALL, "no exercises registered"
    for exercise_id, (check, reference) in registry().items():
        assert ALL[exercise_id].reference is reference
        assert callable(check)


@pytest.mark.parametrize("exercise_id", ALL)
def test_reference_passes(exercise_id, capsys):
    exercise = ALL[exercise_id]
    learner = _as_learner(exercise.reference)
    assert exercise.check(learner) is learner
    assert "✔" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", ALL)
def test_stub_is_unfinished_and_falls_back_to_reference(exercise_id, capsys):
    exercise = ALL[exercise_id]
    assert exercise.check(_stub(exercise)) is exercise.reference
    assert "not done yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", ALL)
def test_every_exercise_lists_wrong_answers(exercise_id):
    assert len(WRONG.get(exercise_id, [])) >= 5, f"tests/wrong_answers must list five wrong answers for {exercise_id}"


@pytest.mark.parametrize(
    ("exercise_id", "index"), [(key, i) for key, answers in WRONG.items() for i in range(len(answers))]
)
def test_wrong_answer_fails_with_a_pointed_message(exercise_id, index):
    wrong, expected_words = WRONG[exercise_id][index]
    with pytest.raises(CheckFailed) as failure:
        ALL[exercise_id].check(wrong)
    assert expected_words in str(failure.value), f"message does not point at the mistake: {failure.value}"


@pytest.mark.parametrize("exercise_id", ALL)
def test_returning_none_is_reported(exercise_id):
    with pytest.raises(CheckFailed, match="return"):
        ALL[exercise_id].check(lambda *args, **kwargs: None)


@pytest.mark.parametrize("exercise_id", ALL)
def test_an_exception_in_learner_code_is_reported(exercise_id):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    with pytest.raises(CheckFailed, match="ZeroDivisionError: boom"):
        ALL[exercise_id].check(broken)


def test_passing_the_reference_back_asks_to_rerun_the_definition(capsys):
    exercise = next(iter(ALL.values()))
    assert exercise.check(exercise.reference) is exercise.reference
    assert "Run the cell that defines your" in capsys.readouterr().out


def test_passing_a_value_instead_of_a_function_is_reported():
    exercise = next(iter(ALL.values()))
    with pytest.raises(CheckFailed, match="without calling it"):
        exercise.check(3.0)


def test_expectation_catches_a_leaked_solution(monkeypatch):
    exercise = next(iter(ALL.values()))
    monkeypatch.setenv(EXPECT_ENV_VAR, "unfinished")
    with pytest.raises(AssertionError, match="must report 'unfinished'"):
        exercise.check(_as_learner(exercise.reference))


def test_expectation_catches_an_unfinished_solution(monkeypatch):
    exercise = next(iter(ALL.values()))
    monkeypatch.setenv(EXPECT_ENV_VAR, "passed")
    with pytest.raises(AssertionError, match="must report 'passed'"):
        exercise.check(_stub(exercise))


def test_check_by_id_gives_a_clear_error_for_an_unknown_id():
    from course_utils.checks import check

    with pytest.raises(KeyError, match="Exercises of ch01"):
        check("ch01.no_such_exercise", print)


class TestSameValues:
    def test_equivalent_forms_are_equal(self):
        want = np.array([1.0, 2.0])
        assert same_values([1.0, 2.0], want) is None
        assert same_values(torch.tensor([1.0, 2.0]), want) is None

    def test_shape_mismatch_names_both_shapes(self):
        assert "shape is (2, 1), expected (2,)" in same_values(np.ones((2, 1)), np.ones(2))

    def test_value_mismatch_names_the_first_index(self):
        message = same_values(np.array([1.0, 5.0]), np.array([1.0, 2.0]))
        assert "1 of 2 values differ" in message and "index (1,)" in message

    def test_none_asks_for_return(self):
        assert "return" in same_values(None, 1.0)

    def test_number_and_tuple(self):
        assert same_values(2.0000001, 2.0) is None
        assert "expected 2" in same_values(3.0, 2.0)
        assert "value 1 of the tuple" in same_values((1, np.ones(2)), (1, np.zeros(2)))


def test_same_values_for_booleans_strings_and_dicts():
    assert same_values(np.bool_(True), True) is None
    assert "expected True" in same_values(1, True)
    assert same_values("abc", "abc") is None
    assert "expected 'abc'" in same_values(b"abc", "abc")
    assert "missing" in same_values({"a": 1}, {"a": 1, "b": 2})
    assert "at key 'a'" in same_values({"a": 2}, {"a": 1})


def test_summary_reports_progress_and_asserts_under_the_test_suite(monkeypatch, capsys):
    from course_utils.checks import summary

    monkeypatch.setattr("course_utils.checks.core._OUTCOMES", {})
    chapter = next(iter(ALL.values())).chapter
    first = next(ex for ex in ALL.values() if ex.chapter == chapter)
    first.check(_as_learner(first.reference))
    outcomes = summary(chapter)
    assert outcomes[first.id] == "passed"
    assert f"{chapter}: 1 of" in capsys.readouterr().out
    monkeypatch.setenv(EXPECT_ENV_VAR, "passed")
    assert sum(ex.chapter == chapter for ex in ALL.values()) > 1, "this test needs a chapter of two exercises"
    with pytest.raises(AssertionError, match="not checked"):
        summary(chapter)
    with pytest.raises(KeyError, match="No exercises"):
        summary("ch99")


def test_torchs_not_implemented_error_is_a_wrong_answer_not_an_unfinished_one():
    exercise = ALL["ch01.predict"]

    def wrong(sizes, weight, bias):
        # torch raises NotImplementedError for an operation its integer tensors do not have
        return torch.softmax(torch.tensor([1, 2]), dim=0)

    try:
        wrong(None, 0, 0)
    except NotImplementedError:
        pass
    else:
        pytest.fail("this torch operation no longer raises NotImplementedError: pick another")
    with pytest.raises(CheckFailed, match="raised NotImplementedError: .*not implemented for 'Long'"):
        exercise.check(wrong)


def test_a_bare_not_implemented_error_of_the_learner_counts_as_unfinished(capsys):
    def placeholder(sizes, weight, bias):
        raise NotImplementedError

    assert ALL["ch01.predict"].check(placeholder) is ALL["ch01.predict"].reference
    assert "not done yet" in capsys.readouterr().out


def _doubling_exercise() -> Exercise:
    def double(x: float) -> float:
        """Twice x."""
        return 2 * x

    return Exercise(
        id="ch99.double",
        title="Double",
        difficulty=1,
        minutes=1,
        hint="multiply by two",
        reference=double,
        cases=lambda: [Case("x = 2", (2.0,)), Case("x = 3", (3.0,)), Case("x = -1", (-1.0,))],
        mistakes=[
            Mistake("you squared x", lambda x: x * x),
            Mistake("you added two", lambda x: x + 2),
        ],
    )


def test_a_mistake_is_named_only_if_the_later_inputs_agree():
    exercise = _doubling_exercise()
    # on x = 2, squaring and adding two both give 4: the later inputs tell which it was
    with pytest.raises(CheckFailed, match="you squared x"):
        exercise.check(lambda x: x * x)
    with pytest.raises(CheckFailed, match="you added two"):
        exercise.check(lambda x: x + 2)
    # x ** 3 - 4 gives 4 at x = 2 too, by coincidence: neither mistake explains it, so the hint is shown
    with pytest.raises(CheckFailed, match="Look at: multiply by two"):
        exercise.check(lambda x: x**3 - 4)
