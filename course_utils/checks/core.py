"""The exercise system: each exercise, its reference solution, and a check that teaches.

An exercise is a function the learner writes. ``check(exercise_id, learner_fn)`` runs it on several
inputs against the reference and has three outcomes:

* unfinished (the stub still raises ``NotImplementedError``): says so and does not raise;
* wrong (a wrong value or shape, ``None``, an exception): raises :class:`CheckFailed`, saying on which
  input, what was expected, and what to look at;
* right: says so in one line.

It returns the function later cells should use: the learner's once it passes, the reference until then,
so a learner who skips an exercise can still run the rest of the chapter.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

EXPECT_ENV_VAR = "COURSE_EXPECT_CHECKS"
"""Set by the test suite for each notebook it runs: ``unfinished`` for learner notebooks, ``passed`` for
solutions. A check whose outcome differs then raises, so a leaked solution or a broken one fails CI."""

UNFINISHED, PASSED, FAILED = "unfinished", "passed", "failed"


class CheckFailed(AssertionError):
    """The learner's answer is wrong; the message says where and what to look at."""


class _Unfinished(Exception):
    """The learner's function still raises the stub's NotImplementedError."""


@dataclass(frozen=True)
class Case:
    """One input to try: ``label`` is how a message names it (``"a 3x2 matrix of ones"``)."""

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer: ``wrong`` computes it from a case's inputs; ``advice`` is what to look at."""

    advice: str
    wrong: Callable[..., Any]


Comparison = Callable[[Any, Any], "str | None"]


# --------------------------------------------------------------------------------------------------------------
# Comparing values


def to_numpy(value: Any) -> np.ndarray:
    """A numpy array of ``value`` (a number, list, numpy array or torch tensor on any device)."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def describe(value: Any, limit: int = 80) -> str:
    """A short description of ``value`` for a message: arrays give their shape and first values."""
    if isinstance(value, (np.ndarray, torch.Tensor)):
        array = to_numpy(value)
        kind = "tensor" if isinstance(value, torch.Tensor) else "array"
        text = np.array2string(array.ravel()[:6], precision=4, separator=", ")
        more = ", ..." if array.size > 6 else ""
        return f"{kind} of shape {tuple(array.shape)} ({array.dtype}) starting {text[:-1]}{more}]"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def same_values(got: Any, want: Any, *, atol: float = 1e-6, rtol: float = 1e-5) -> str | None:
    """``None`` if ``got`` equals ``want`` (numbers to a tolerance), else a sentence saying how they differ.

    Equivalent forms count as equal: a list, a numpy array or a torch tensor with the same values and shape.
    """
    if got is None and want is not None:
        return "it returned None: did you forget the `return` statement?"
    if isinstance(want, (np.ndarray, torch.Tensor, list)) or (
        isinstance(want, tuple) and all(isinstance(w, (int, float)) for w in want) and want
    ):
        return _same_arrays(got, want, atol=atol, rtol=rtol)
    if isinstance(want, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"expected a tuple of {len(want)} values, got {describe(got)}"
        for position, (g, w) in enumerate(zip(got, want, strict=True)):
            problem = same_values(g, w, atol=atol, rtol=rtol)
            if problem:
                return f"value {position} of the tuple: {problem}"
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"expected a dict, got {describe(got)}"
        if set(got) != set(want):
            missing, extra = set(want) - set(got), set(got) - set(want)
            return f"the keys differ: missing {sorted(map(repr, missing))}, unexpected {sorted(map(repr, extra))}"
        for key in want:
            problem = same_values(got[key], want[key], atol=atol, rtol=rtol)
            if problem:
                return f"at key {key!r}: {problem}"
        return None
    if isinstance(want, (bool, np.bool_)):
        same = isinstance(got, (bool, np.bool_)) and bool(got) == bool(want)
        return None if same else f"expected {bool(want)}, got {describe(got)}"
    if isinstance(want, str) or want is None:
        return None if isinstance(got, type(want)) and got == want else f"expected {want!r}, got {describe(got)}"
    if isinstance(want, (int, float, np.number)):
        try:
            number = float(to_numpy(got)) if np.size(to_numpy(got)) == 1 else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            return f"expected a single number, got {describe(got)}"
        if isinstance(want, (int, np.integer)) and not float(number).is_integer():
            return f"expected the whole number {want}, got {number}"
        if not np.isclose(number, float(want), atol=atol, rtol=rtol):
            return f"expected {float(want):.6g}, got {number:.6g}"
        return None
    return None if got == want else f"expected {describe(want)}, got {describe(got)}"


def _same_arrays(got: Any, want: Any, *, atol: float, rtol: float) -> str | None:
    want_array = to_numpy(want)
    try:
        got_array = to_numpy(got)
    except Exception:  # noqa: BLE001 - anything that does not convert is simply the wrong kind of answer
        return f"expected an array of shape {want_array.shape}, got {describe(got)}"
    if got_array.dtype == object:
        return f"expected numbers of shape {want_array.shape}, got {describe(got)}"
    if got_array.shape != want_array.shape:
        return f"the shape is {tuple(got_array.shape)}, expected {tuple(want_array.shape)}"
    if want_array.dtype.kind in "iub" and got_array.dtype.kind == "f" and not np.all(np.mod(got_array, 1) == 0):
        return (
            f"expected whole numbers, got fractions such as {got_array.ravel()[np.mod(got_array.ravel(), 1) != 0][0]}"
        )
    if not np.allclose(got_array.astype(np.float64), want_array.astype(np.float64), atol=atol, rtol=rtol):
        differ = ~np.isclose(got_array.astype(np.float64), want_array.astype(np.float64), atol=atol, rtol=rtol)
        first = tuple(int(i) for i in np.argwhere(differ)[0])
        where = f" at index {first}" if first else ""
        return (
            f"{int(differ.sum())} of {differ.size} values differ; first{where}: "
            f"expected {want_array[first]:.6g}, got {got_array[first]:.6g}"
        )
    return None


# --------------------------------------------------------------------------------------------------------------
# Exercises


@dataclass
class Exercise:
    """One exercise: its id ``chNN.name``, how hard (1-3) and long (minutes) it is, a hint, the reference
    solution, and either ``cases`` (inputs to compare learner and reference on, with the ``mistakes``
    that explain a wrong answer) or a ``custom`` check that raises :class:`CheckFailed` itself."""

    id: str
    title: str
    difficulty: int
    minutes: int
    hint: str
    reference: Callable[..., Any]
    cases: Callable[[], Sequence[Case]] | None = None
    mistakes: Sequence[Mistake] = ()
    compare: Comparison = same_values
    custom: Callable[[Callable[..., Any]], None] | None = None

    def __post_init__(self) -> None:
        chapter, _, name = self.id.partition(".")
        if not (chapter.startswith("ch") and chapter[2:].isdigit() and name.isidentifier()):
            raise ValueError(f"exercise id {self.id!r} must look like 'ch01.mse_loss'")
        if self.difficulty not in (1, 2, 3):
            raise ValueError(f"{self.id}: difficulty must be 1, 2 or 3, not {self.difficulty!r}")
        if (self.cases is None) == (self.custom is None):
            raise ValueError(f"{self.id}: give either cases or a custom check, not both or neither")

    @property
    def chapter(self) -> str:
        return self.id.partition(".")[0]

    @property
    def name(self) -> str:
        return self.reference.__name__

    def check(self, learner_fn: Callable[..., Any]) -> Callable[..., Any]:
        """Check ``learner_fn`` and return the function later cells should use (see the module docstring)."""
        if learner_fn is self.reference:
            print(
                f"○ {self.id}: `{self.name}` is still the course's reference solution, which the check put in "
                f"place while your version was unfinished. Run the cell that defines your `{self.name}` first, "
                f"then this check again."
            )
            return self._record(UNFINISHED, self.reference)
        if not callable(learner_fn):
            self._record(FAILED, None)
            raise CheckFailed(
                f"✘ {self.id}: expected the function `{self.name}`, got {describe(learner_fn)}. "
                f"Pass the function itself, without calling it: check(..., {self.name})."
            )
        try:
            if self.custom is not None:
                self.custom(learner_fn)
                count = ""
            else:
                cases = list(self.cases())
                self._check_cases(learner_fn, cases)
                count = f" on all {len(cases)} test inputs"
        except _Unfinished:
            print(f"○ {self.id} is not done yet: the cells below use the reference solution until it is.")
            return self._record(UNFINISHED, self.reference)
        except CheckFailed as failure:
            self._record(FAILED, None)
            raise CheckFailed(f"✘ {self.id} ({self.title}): {failure}") from None
        print(f"✔ {self.id} ({self.title}): correct{count}.")
        return self._record(PASSED, learner_fn)

    def _check_cases(self, learner_fn: Callable[..., Any], cases: Sequence[Case]) -> None:
        # Cases run in the author's order and the first wrong one is reported: put the cases that tell the
        # mistakes apart first (a square matrix before the non-square one that makes a transposed one crash).
        for index, case in enumerate(cases):
            want = self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            got = call_learner(learner_fn, case)
            problem = self.compare(got, want)
            if problem:
                advice = self._diagnose(learner_fn, case, got, cases[index + 1 :])
                raise CheckFailed(f"on {case.label}, {problem}.\nLook at: {advice}")

    def _diagnose(self, learner_fn: Callable[..., Any], case: Case, got: Any, later: Sequence[Case]) -> str:
        """The advice of the mistake that explains the learner's answer, or the exercise's hint."""
        suspects = [mistake for mistake in self.mistakes if self._matches(mistake, case, got) is True]
        # One input can make a mistake look right by coincidence, and two mistakes can give the same number
        # (weight * size * bias with a bias of 1): a mistake is named only if it also explains the learner's
        # answers on the later inputs, as far as their code gets through them.
        for later_case in later:
            if not suspects:
                break
            try:
                later_got = learner_fn(*copy.deepcopy(later_case.args), **copy.deepcopy(later_case.kwargs))
            except Exception:  # noqa: BLE001 - the answer on this input is already wrong; stop looking
                break
            # a mistake that cannot even be computed on this input (no windows fit) is neither kept nor ruled out
            suspects = [m for m in suspects if self._matches(m, later_case, later_got) is not False]
        return suspects[0].advice if suspects else self.hint

    def _matches(self, mistake: Mistake, case: Case, got: Any) -> bool | None:
        """Whether ``mistake`` gives the learner's answer ``got`` on ``case``; None if it cannot be computed there."""
        try:
            wrong = mistake.wrong(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        except Exception:  # noqa: BLE001 - a mistake that cannot be computed here says nothing either way
            return None
        return self.compare(got, wrong) is None

    def _record(self, outcome: str, use: Callable[..., Any] | None) -> Callable[..., Any] | None:
        _OUTCOMES[self.id] = outcome
        expected = os.environ.get(EXPECT_ENV_VAR)
        if expected and outcome != FAILED and outcome != expected:
            raise AssertionError(
                f"{self.id}: the check reported '{outcome}' where this notebook must report '{expected}' "
                f"({EXPECT_ENV_VAR}={expected}): a learner notebook holds a solution, or a solution is unfinished."
            )
        return use


def call_learner(learner_fn: Callable[..., Any], case: Case) -> Any:
    """Call ``learner_fn`` on a copy of ``case``'s inputs, turning its exceptions into teaching messages."""
    try:
        return learner_fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
    except NotImplementedError as error:
        if is_stub(error):
            raise _Unfinished from error
        name = getattr(learner_fn, "__name__", "your function")
        raise CheckFailed(
            f"on {case.label}, `{name}` raised NotImplementedError: {error}. "
            f"Libraries such as torch say this when a value has a type they cannot handle there "
            f"(an integer tensor where a float one belongs, or arguments in the wrong order)."
        ) from error
    except Exception as error:  # noqa: BLE001 - any error in the learner's code is a wrong answer to report
        name = getattr(learner_fn, "__name__", "your function")
        raise CheckFailed(f"on {case.label}, `{name}` raised {type(error).__name__}: {error}") from error


STUB_MESSAGE = "is not done yet"
"""The stub of every learner notebook raises ``NotImplementedError("<exercise id> is not done yet")``."""


def is_stub(error: NotImplementedError) -> bool:
    """Whether ``error`` means "not done yet": the stub's own, or a bare ``raise NotImplementedError`` of the
    learner's. torch also raises NotImplementedError ("... not implemented for 'Long'") for a wrong answer."""
    # torch's own come with a message; a learner's placeholder is bare
    return STUB_MESSAGE in str(error) or not error.args


# --------------------------------------------------------------------------------------------------------------
# The registry


_EXERCISES: dict[str, Exercise] = {}
_OUTCOMES: dict[str, str] = {}


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry (each chapter's module in ``course_utils.checks`` calls this)."""
    if exercise.id in _EXERCISES and _EXERCISES[exercise.id] is not exercise:
        raise ValueError(f"exercise {exercise.id} is registered twice")
    _EXERCISES[exercise.id] = exercise
    return exercise


def _load_chapter_modules() -> None:
    import importlib
    import pkgutil

    import course_utils.checks as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("ch") and module.name[2:].isdigit():
            importlib.import_module(f"course_utils.checks.{module.name}")


def exercises(chapter: str | None = None) -> dict[str, Exercise]:
    """All exercises (or one chapter's, e.g. ``"ch01"``), by id, in the order their chapter defines them."""
    _load_chapter_modules()
    return {key: ex for key, ex in _EXERCISES.items() if chapter is None or ex.chapter == chapter}


def registry() -> dict[str, tuple[Callable[..., Any], Callable[..., Any]]]:
    """Exercise id -> ``(check, reference)``, where ``check(learner_fn)`` checks a learner's function."""
    return {key: (ex.check, ex.reference) for key, ex in exercises().items()}


def get(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id`` (e.g. ``"ch01.mse_loss"``), with a clear error for an unknown id."""
    known = exercises()
    if exercise_id not in known:
        chapter = exercise_id.partition(".")[0]
        same_chapter = [key for key in known if key.startswith(chapter + ".")]
        raise KeyError(f"No exercise {exercise_id!r}. Exercises of {chapter}: {', '.join(same_chapter) or 'none'}.")
    return known[exercise_id]


def check(exercise_id: str, learner_fn: Callable[..., Any]) -> Callable[..., Any]:
    """Check the learner's function for ``exercise_id`` and return the function later cells should use."""
    return get(exercise_id).check(learner_fn)


def summary(chapter: str) -> dict[str, str]:
    """Print which of ``chapter``'s exercises are done, and return id -> outcome.

    Under the test suite (``COURSE_EXPECT_CHECKS`` set) it also asserts that every exercise of the chapter
    was checked in this notebook, with the expected outcome, so that a check cell cannot silently go missing.
    """
    chapter_exercises = exercises(chapter)
    if not chapter_exercises:
        raise KeyError(f"No exercises are registered for chapter {chapter!r}.")
    outcomes = {key: _OUTCOMES.get(key, "not checked") for key in chapter_exercises}
    done = sum(outcome == PASSED for outcome in outcomes.values())
    print(f"{chapter}: {done} of {len(outcomes)} exercises done.")
    # symbols that the common monospace fonts (DejaVu Sans Mono on most Linux hubs) have; emoji often show as boxes
    symbols = {PASSED: "✔ done", UNFINISHED: "○ not done yet", FAILED: "✘ not right yet"}
    for key, outcome in outcomes.items():
        ex = chapter_exercises[key]
        print(f"  {symbols.get(outcome, '·  not checked')}  {key}  {ex.title} (difficulty {ex.difficulty})")
    expected = os.environ.get(EXPECT_ENV_VAR)
    if expected:
        wrong = {key: outcome for key, outcome in outcomes.items() if outcome != expected}
        assert not wrong, f"expected every exercise of {chapter} to report '{expected}', got {wrong}"
    return outcomes
