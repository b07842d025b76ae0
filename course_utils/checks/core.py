"""The exercise system: each exercise, its reference solution, and a check that teaches.

An exercise is a function the learner writes. ``check(exercise_id, learner_fn)`` runs it on several
inputs against the reference and has three outcomes:

* unfinished (the stub still raises ``NotImplementedError``): says so and does not raise;
* wrong (a wrong value or shape, ``None``, an exception): raises :class:`CheckFailed`, saying on which
  input, what was expected, and what to look at;
* right: says so in one line.

It returns the function later cells should use: the learner's once it passes (converted to the reference's
form where the learner returned another, such as a list for an array), the reference until then, so a learner
who skips an exercise can still run the rest of the chapter.

Every check, whatever the chapter, runs the learner's function on CPU tensors and on copies of its inputs
(a function that changes its arguments in place is told so), within a time limit (an endless loop is
reported, not waited for), and explains a crash by the learner's own line, the exception in one line and
what to look at. In Jupyter a failure shows only the check's message (see :class:`CheckFailed`).
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import dis
import functools
import inspect
import json
import linecache
import os
import re
import signal
import sys
import sysconfig
import threading
import time
import traceback
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

EXPECT_ENV_VAR = "COURSE_EXPECT_CHECKS"
"""Set by the test suite for each notebook it runs: ``unfinished`` for learner notebooks, ``passed`` for
solutions. A check whose outcome differs then raises, so a leaked solution or a broken one fails CI."""

UNFINISHED, PASSED, FAILED = "unfinished", "passed", "failed"


TIME_LIMIT_S = 10.0
"""How long one call of the learner's function may take before the check calls it an endless loop."""

_LAST_FAILURE: list[BaseException] = []


class CheckFailed(AssertionError):
    """The learner's answer is wrong; the message says where and what to look at.

    Jupyter (IPython) shows only the message, without the traceback through the check's own code: the
    traceback says nothing a learner can act on. :func:`show_traceback` prints the full one.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting the traceback; it shows these lines, one per entry
        _LAST_FAILURE[:] = [self]
        # "CheckFailed: " as Python names an exception, so that a reader (and a tool scanning outputs) sees a failure
        lines = f"{type(self).__name__}: {self}".splitlines()
        lines.append("(The full traceback: `from course_utils.checks import show_traceback; show_traceback()`.)")
        return lines


def show_traceback() -> None:
    """Print the full traceback of the last check that failed in Jupyter, the learner's exception included."""
    if not _LAST_FAILURE and getattr(sys, "last_value", None) is None:
        print("No check has failed yet.")
        return
    failure = _LAST_FAILURE[0] if _LAST_FAILURE else sys.last_value
    traceback.print_exception(type(failure), failure, failure.__traceback__, chain=True)


class _Unfinished(Exception):
    """The learner's function still raises the stub's NotImplementedError."""


class _TimedOut(BaseException):
    """Raised inside the learner's function when it runs past its time limit (a BaseException, so that the
    learner's own ``except Exception`` does not swallow it)."""


@dataclass(frozen=True)
class Case:
    """One input to try: ``label`` is how a message names it (``"a 3x2 matrix of ones"``).

    ``raises``: the exceptions the docstring promises for this input (``raises=(KeyError, ValueError)`` for a
    character outside the vocabulary). The learner passes the case by raising one of them; the reference must
    raise one of them too.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    raises: tuple[type[BaseException], ...] = ()

    def __post_init__(self) -> None:
        raises = self.raises if isinstance(self.raises, tuple) else (self.raises,)
        if not all(isinstance(kind, type) and issubclass(kind, Exception) for kind in raises):
            raise TypeError(f"Case {self.label!r}: raises must be exception classes, got {self.raises!r}")
        object.__setattr__(self, "raises", raises)


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer: ``wrong`` computes it from a case's inputs; ``advice`` is what to look at.

    ``loop_advice``, if given, replaces ``advice`` for a learner whose function has a Python loop (advice such
    as "use np.add.at or a loop" does not fit someone who already wrote the loop).
    """

    advice: str
    wrong: Callable[..., Any]
    loop_advice: str = ""

    def advice_for(self, learner_fn: Callable[..., Any]) -> str:
        """The advice that fits ``learner_fn``: ``loop_advice`` if it has a loop and one is given."""
        return self.loop_advice if self.loop_advice and _has_loop(learner_fn) else self.advice


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


def bool_mask_compare(how_to_build: str) -> Callable[[Any, Any], str | None]:
    """A ``compare`` for exercises whose answer is a boolean mask (True where a query may look at a key): a
    tensor of another dtype or no tensor at all is named, with ``how_to_build`` as the advice, before the values
    are compared."""

    def compare(got: Any, want: Any) -> str | None:
        if isinstance(got, torch.Tensor) and got.dtype != torch.bool:
            return (
                f"it is a tensor of dtype {got.dtype}; a mask must be of dtype torch.bool (True where a query may "
                f"look at a key): {how_to_build}"
            )
        if not isinstance(got, torch.Tensor) and got is not None:
            return f"expected a torch tensor of dtype torch.bool, got {type(got).__name__}"
        return same_values(got, want)

    return compare


def same_values(got: Any, want: Any, *, atol: float = 1e-6, rtol: float = 1e-5) -> str | None:
    """``None`` if ``got`` equals ``want`` (numbers to a tolerance), else a sentence saying how they differ.

    Equivalent forms count as equal: a list, a numpy array or a torch tensor with the same values and shape.
    """
    if got is None and want is not None:
        return "it returned None: did you forget the `return` statement?"
    if isinstance(want, str) and isinstance(got, str) and got != want:
        return _string_difference(got, want)
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


def _string_difference(got: str, want: str) -> str:
    """Where two strings first differ, with a few characters of context (a long script is unreadable whole)."""
    at = next((i for i, (g, w) in enumerate(zip(got, want, strict=False)) if g != w), min(len(got), len(want)))
    if len(got) + len(want) <= 80:
        where = f"expected {want!r}, got {got!r}"
    else:
        start = max(0, at - 20)
        dots = "..." if start else ""
        where = f"expected {dots}{want[start : at + 20]!r}, got {dots}{got[start : at + 20]!r}"
    if at == len(got) < len(want):
        return f"{where}: yours stops at character {at}, where {want[at : at + 20]!r} should follow"
    if at == len(want) < len(got):
        return f"{where}: yours goes on after character {at} with {got[at : at + 20]!r}"
    return f"{where}: they differ first at character {at} ({want[at]!r} expected, {got[at]!r} found)"


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
    that explain a wrong answer) or a ``custom`` check that raises :class:`CheckFailed` itself.

    ``time_limit``: seconds one call of the learner's function may take. ``convert_output``: whether a right
    answer returned in another form than the reference's (a list for an array, a numpy number for a float) is
    handed to later cells converted to the reference's form."""

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
    time_limit: float = TIME_LIMIT_S
    convert_output: bool = True

    def __post_init__(self) -> None:
        chapter, _, name = self.id.partition(".")
        numbered = chapter.startswith("ch") and chapter[2:].isdigit()
        if not ((numbered or chapter == "primer") and name.isidentifier()):
            raise ValueError(f"exercise id {self.id!r} must look like 'ch01.mse_loss' (or 'primer.mean')")
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
        _STARTED[self.id] = time.perf_counter()
        if learner_fn is self.reference:
            print(
                f"○ {self.id}: `{self.name}` is still the course's reference solution, which the check put in "
                f"place while your version was unfinished. Run the cell that defines your `{self.name}` first, "
                f"then this check again."
            )
            return self._record(UNFINISHED, self.reference, "not done yet")
        if isinstance(learner_fn, str):
            raise self._failed(
                f"✘ {self.id}: the check got the text {learner_fn!r} where your function belongs. "
                f"Pass the function itself: check({self.id!r}, {self.name})."
            )
        if not callable(learner_fn):
            raise self._failed(
                f"✘ {self.id}: expected the function `{self.name}`, got {describe(learner_fn)}. "
                f"Pass the function itself, without calling it: check(..., {self.name})."
            )
        forms: list[tuple[tuple, Any, Any]] = []
        try:
            # the cases and the learner's code run on the CPU whatever default device the notebook has set (the
            # device mode costs every torch call a little, so it is entered only where it changes something)
            on_cpu = torch.get_default_device().type == "cpu"
            with contextlib.nullcontext() if on_cpu else torch.device("cpu"):
                if self.custom is not None:
                    self.custom(learner_fn)
                    count = ""
                else:
                    cases = list(self.cases())
                    forms = self._check_cases(learner_fn, cases)
                    count = f" on all {len(cases)} test inputs"
        except _Unfinished:
            print(
                f"○ {self.id} is not done yet: the cells below use the reference solution until it is. "
                f"(Written it already? Run the cell that defines `{self.name}`, then this one.)"
            )
            return self._record(UNFINISHED, self.reference, "not done yet")
        except CheckFailed as failure:
            message = str(failure)
            if "\nLook at:" not in message:
                advice = self._crash_advice(learner_fn, failure) if isinstance(failure, _Crashed) else self.hint
                message += f"\nLook at: {advice}"
            # chained to the learner's own exception (if any), not to the check's internals
            raise self._failed(f"✘ {self.id} ({self.title}): {message}") from failure.__cause__
        converted = _in_reference_form(learner_fn, forms) if self.convert_output else None
        note = ""
        if converted is not None:
            note = f" Yours returns {converted.form_note}: the cells below get its answers converted."
        print(f"✔ {self.id} ({self.title}): correct{count}.{note}")
        return self._record(PASSED, converted or learner_fn, f"correct{count}.{note}")

    def _check_cases(self, learner_fn: Callable[..., Any], cases: Sequence[Case]) -> list[tuple[tuple, Any, Any]]:
        """Compare learner and reference on every case; return (inputs, reference's answer, learner's)."""
        # Cases run in the author's order and the first wrong one is reported: put the cases that tell the
        # mistakes apart first (a square matrix before the non-square one that makes a transposed one crash).
        forms = []
        for index, case in enumerate(cases):
            if case.raises:
                self._check_raises(learner_fn, case, cases[index + 1 :])
                continue
            want = self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            try:
                got = call_learner(learner_fn, case, time_limit=self.time_limit)
            except _Crashed as crash:
                raise CheckFailed(f"{crash}\nLook at: {self._crash_advice(learner_fn, crash)}") from crash.__cause__
            problem = self.compare(got, want)
            if problem:
                advice = self._diagnose(learner_fn, case, got, cases[index + 1 :])
                raise CheckFailed(f"on {case.label}, {_sentence(problem)}\nLook at: {advice}")
            forms.append((case.args, want, got))
        return forms

    def _check_raises(self, learner_fn: Callable[..., Any], case: Case, later: Sequence[Case]) -> None:
        names = " or ".join(kind.__name__ for kind in case.raises)
        try:
            self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        except case.raises:
            pass
        else:
            raise AssertionError(f"{self.id}: the reference does not raise {names} on {case.label}")
        try:
            got = call_learner(learner_fn, case, time_limit=self.time_limit)
        except _Crashed as crash:
            raise CheckFailed(
                f"{crash}\nLook at: the docstring promises {names} here; raise it yourself with a message that "
                f"says what was wrong (`raise {case.raises[0].__name__}(...)`). {self.hint}"
            ) from crash.__cause__
        if isinstance(got, _Raised):
            return
        advice = self._diagnose(learner_fn, case, got, later, fallback="")
        raise CheckFailed(
            f"on {case.label}, it returned {describe(got)}, but the docstring promises {names} there: an answer "
            f"for an input that has none would go on silently wrong.\nLook at: "
            + (advice or f"raise {case.raises[0].__name__} with a message that says what was wrong. {self.hint}")
        )

    def _crash_advice(self, learner_fn: Callable[..., Any], crash: _Crashed) -> str:
        parts = [crash.advice] if crash.advice else []
        globals_used = global_variables_read(learner_fn)
        if globals_used:
            parts.append(_globals_advice(learner_fn, globals_used))
        parts.append(f"Hint: {self.hint}" if len(parts) else self.hint)
        return " ".join(parts)

    def _diagnose(
        self, learner_fn: Callable[..., Any], case: Case, got: Any, later: Sequence[Case], fallback: str | None = None
    ) -> str:
        """The advice of the mistake that explains the learner's answer, else a word on the notebook's globals
        the function reads, else the exercise's hint (or ``fallback``)."""
        suspects = [mistake for mistake in self.mistakes if self._matches(mistake, case, got) is True]
        # One input can make a mistake look right by coincidence, and two mistakes can give the same number
        # (weight * size * bias with a bias of 1): a mistake is named only if it also explains the learner's
        # answers on the later inputs, as far as their code gets through them.
        for later_case in later:
            if not suspects:
                break
            if later_case.raises and not case.raises:
                # an input that has no answer (a zero direction) cannot confirm or rule out a wrong formula
                continue
            try:
                later_got = call_learner(learner_fn, later_case, time_limit=self.time_limit, check_inputs=False)
            except CheckFailed:  # the answer on this input is already wrong; stop looking
                break
            # a mistake that cannot even be computed on this input (no windows fit) is neither kept nor ruled out
            suspects = [m for m in suspects if self._matches(m, later_case, later_got) is not False]
        if suspects:
            return suspects[0].advice_for(learner_fn)
        globals_used = global_variables_read(learner_fn)
        if globals_used:
            return f"{_globals_advice(learner_fn, globals_used)} {self.hint}"
        return self.hint if fallback is None else fallback

    def _matches(self, mistake: Mistake, case: Case, got: Any) -> bool | None:
        """Whether ``mistake`` gives the learner's answer ``got`` on ``case``; None if it cannot be computed there."""
        if isinstance(got, _Raised):
            return None
        try:
            with np.errstate(divide="ignore", invalid="ignore"):  # log(0) in a mistake is no news to the learner
                wrong = mistake.wrong(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        except Exception:  # noqa: BLE001 - a mistake that cannot be computed here says nothing either way
            return None
        if self.compare(got, wrong) is None:
            return True
        try:  # answers that hold None or other non-numbers ([0, 1, None]) are compared as they are
            return bool(type(got) is type(wrong) and got == wrong)
        except Exception:  # noqa: BLE001 - values that do not compare (arrays of another shape) do not match
            return False

    def _failed(self, message: str) -> CheckFailed:
        """Record a failure with its message and return the exception to raise."""
        self._record(FAILED, None, message)
        return CheckFailed(message)

    def _record(self, outcome: str, use: Callable[..., Any] | None, message: str = "") -> Callable[..., Any] | None:
        _OUTCOMES[self.id] = outcome
        seconds = time.perf_counter() - _STARTED.pop(self.id, time.perf_counter())
        _publish(self.id, outcome, message, seconds)
        expected = os.environ.get(EXPECT_ENV_VAR)
        if expected and outcome != FAILED and outcome != expected:
            raise AssertionError(
                f"{self.id}: the check reported '{outcome}' where this notebook must report '{expected}' "
                f"({EXPECT_ENV_VAR}={expected}): a learner notebook holds a solution, or a solution is unfinished."
            )
        return use


OUTCOME_LOG_ENV_VAR = "COURSE_OUTCOME_LOG"
"""Set by the grader (``python -m course_utils.grade``): the file to which every check appends its outcome, one
JSON line ``{"exercise", "outcome", "message", "seconds"}`` each, as it happens (so a kernel that dies later
loses nothing)."""

_STARTED: dict[str, float] = {}
_PUBLISH_WARNED: list[str] = []


def _publish(exercise_id: str, outcome: str, message: str, seconds: float) -> None:
    """Tell the grader's log (when one is set) and the learner's progress file of an outcome. Neither may break a
    check: a file that cannot be written gives one warning per session, never an error."""
    log = os.environ.get(OUTCOME_LOG_ENV_VAR)
    record = {"exercise": exercise_id, "outcome": outcome, "message": message, "seconds": round(seconds, 3)}
    try:
        if log:
            with open(log, "a", encoding="utf-8") as file:
                file.write(json.dumps(record) + "\n")
        from course_utils import learner_progress

        learner_progress.record(exercise_id, outcome)
    except Exception as error:  # noqa: BLE001 - recording is a service to the learner; the check goes on
        if not _PUBLISH_WARNED:
            _PUBLISH_WARNED.append(exercise_id)
            warnings.warn(f"could not record the outcome of {exercise_id}: {error}", stacklevel=3)


def _sentence(text: str) -> str:
    """``text`` ending in one full stop: a problem that ends in "?" or "." gets none added."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


# --------------------------------------------------------------------------------------------------------------
# Calling the learner's function


class _Raised:
    """What :func:`call_learner` returns when the learner raised an exception the case expects."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"{type(self.error).__name__}: {self.error}"


class _Crashed(CheckFailed):
    """The learner's function raised (or ran past its time limit); ``advice`` says what to look at."""

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.advice = advice


def call_learner(
    learner_fn: Callable[..., Any],
    case: Case,
    *,
    time_limit: float = TIME_LIMIT_S,
    check_inputs: bool = True,
    copy_inputs: bool = True,
) -> Any:
    """Call ``learner_fn`` on a copy of ``case``'s inputs, turning its exceptions into teaching messages.

    Raises :class:`CheckFailed` if the function raised (saying on which line of the learner's code, and what
    to look at), ran longer than ``time_limit`` seconds, or changed its inputs in place (``check_inputs``).
    An exception that ``case.raises`` expects is returned, wrapped, rather than raised. ``copy_inputs=False``
    passes the case's own inputs (a random generator that must move on from call to call).
    """
    args, kwargs = (copy.deepcopy(case.args), copy.deepcopy(case.kwargs)) if copy_inputs else (case.args, case.kwargs)
    before = copy.deepcopy((args, kwargs)) if check_inputs else None
    name = getattr(learner_fn, "__name__", "your function")
    try:
        result = call_with_time_limit(learner_fn, args, kwargs, time_limit)
    except _TimedOut as timeout:
        where = _learner_line(timeout)
        raise _Crashed(
            f"on {case.label}, `{name}` did not return within {time_limit:g} s: an endless loop?"
            + (f" It was running {where}." if where else ""),
            "a `while` loop whose condition never becomes false (does the loop change what it tests?), or a loop "
            "over a list that the loop itself appends to.",
        ) from None
    except NotImplementedError as error:
        if is_stub(error):
            raise _Unfinished from error
        if case.raises and isinstance(error, case.raises):
            return _Raised(error)
        raise _crash(name, case, error) from error
    except Exception as error:  # noqa: BLE001 - any error in the learner's code is a wrong answer to report
        if case.raises and isinstance(error, case.raises):
            return _Raised(error)
        raise _crash(name, case, error) from error
    if check_inputs:
        _refuse_changed_inputs(learner_fn, case, before, (args, kwargs))
    return result


def call_with_time_limit(
    function: Callable[..., Any], args: tuple = (), kwargs: dict | None = None, seconds: float = TIME_LIMIT_S
) -> Any:
    """``function(*args, **kwargs)``, interrupted by ``_TimedOut`` inside it after ``seconds``.

    In the main thread on Linux and macOS (where a Jupyter kernel runs a cell) a SIGALRM timer interrupts the
    function; elsewhere (Windows, another thread, or a timer already in use) CPython raises the exception
    asynchronously in the calling thread. Either way a Python loop is interrupted; a single long call into C
    (one huge matrix product) ends first. Where neither is possible the function runs without a limit.
    """
    kwargs = kwargs or {}
    if seconds is None or seconds <= 0:
        return function(*args, **kwargs)
    if (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    ):
        return _call_with_alarm(function, args, kwargs, seconds)
    if hasattr(ctypes, "pythonapi") and sys.implementation.name == "cpython":
        return _call_with_async_exception(function, args, kwargs, seconds)
    return function(*args, **kwargs)


def _call_with_alarm(function: Callable[..., Any], args: tuple, kwargs: dict, seconds: float) -> Any:
    def interrupt(signum: int, frame: Any) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call_with_async_exception(function: Callable[..., Any], args: tuple, kwargs: dict, seconds: float) -> Any:
    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"running": True, "fired": False}

    def interrupt() -> None:
        with lock:
            if state["running"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, ctypes.py_object(_TimedOut))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        return function(*args, **kwargs)
    finally:
        with lock:
            state["running"] = False
            timer.cancel()
            if state["fired"]:  # withdraw the exception if the function returned before it arrived
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, None)


def _crash(name: str, case: Case, error: BaseException) -> _Crashed:
    """The report of a crash: where in the learner's code, the exception in one line, and advice."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    if len(first_line) > 200:
        first_line = first_line[:197] + "..."
    one_line = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    where = _learner_line(error)
    message = f"on {case.label}, `{name}` raised {one_line}"
    if where:
        message += f"\n  at {where}"
    return _Crashed(message, advice_for_exception(error))


_LIBRARY_DIRECTORIES = tuple(
    str(Path(path).resolve())
    for path in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
) + (str(Path(__file__).resolve().parent.parent),)


def _learner_line(error: BaseException) -> str:
    """``line N of <file>: <source>`` for the deepest frame of ``error``'s traceback in the learner's code
    (not in Python's library, installed packages or course_utils); "" if there is none."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not str(Path(frame.filename).resolve()).startswith(_LIBRARY_DIRECTORIES)
        and not frame.filename.startswith("<frozen")
    ]
    if not frames:
        return ""
    frame = frames[-1]
    source = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    return f"line {frame.lineno} of {_place(frame.filename)}, in `{frame.name}`" + (f": `{source}`" if source else "")


def _place(filename: str) -> str:
    """A notebook cell as Jupyter numbers it ("cell In[7]"), else the file's name."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        number = shell.compile._filename_map.get(filename) if shell is not None else None
    except Exception:  # noqa: BLE001 - without IPython (or if its internals change) name the file instead
        number = None
    return f"cell In[{number}]" if number is not None else Path(filename).name


_EXCEPTION_ADVICE: list[tuple[type[BaseException], str, str]] = [
    (
        Exception,
        r"truth value of an array with more than one element is ambiguous|Boolean value of Tensor with more than "
        r"one value is ambiguous",
        "Python's `max`, `min`, `if`, `and` and `or` look at one number at a time, and an array is many: use "
        "numpy's or torch's element-wise forms (`np.maximum(x, 0)`, `np.where(...)`, `&`, `|`).",
    ),
    (
        RuntimeError,
        r"a leaf Variable that requires grad|modified by an inplace operation",
        "an in-place change (`+=`, `x[...] = ...`, or a method ending in `_` such as `masked_fill_`) of a tensor "
        "that autograd needs: write `x = x + ...` instead, or change weights inside `with torch.no_grad():`.",
    ),
    (
        RuntimeError,
        r"could not infer output dtype|mean\(\): .*dtype|Input dtype must be either a floating point",
        "`.mean()` needs floats: turn a boolean or integer tensor into floats first, `(a == b).float().mean()`.",
    ),
    (
        RuntimeError,
        r"does not require grad and does not have a grad_fn",
        "the loss has no gradient to follow: was it computed under `torch.no_grad()`, or made from `.item()`, "
        "`.detach()` or numpy? Compute the forward pass and the loss with plain torch operations, outside "
        "`no_grad`.",
    ),
    (
        Exception,
        r"mat1 and mat2 shapes cannot be multiplied|mismatch in its core dimension|size mismatch",
        "a matrix product `A @ B` needs as many columns in A as rows in B: print the shapes (`A.shape`); is a "
        "matrix transposed (`.T`)?",
    ),
    (
        Exception,
        r"could not be broadcast|must match the size of tensor",
        "two arrays whose shapes do not fit together: print the shapes (`x.shape`) and compare them with the "
        "docstring's.",
    ),
    (
        Exception,
        r"[Ee]xpected .*dtype|expected scalar type|dtype .* but (got|found)|Found dtype",
        "two tensors of different number types (float and integer, or float32 and float64): convert with "
        "`.float()` or `.long()` as the docstring asks.",
    ),
    (
        Exception,
        r"same device|cuda|mps",
        "tensors on different devices: the check runs on the CPU, so do not move tensors with `.to(device)` "
        "or `.cuda()` inside the function.",
    ),
    (
        Exception,
        r"only one element tensors can be converted|only (length-1|size-1) arrays can be converted",
        "a function of Python's `math` module (`math.erf`, `math.exp`, `math.sin`) or `float(...)` takes one "
        "number, and this is a whole tensor: use torch's element-wise form (`torch.erf`, `torch.exp`, "
        "`torch.sin`).",
    ),
    (
        ValueError,
        r"math domain error",
        "`math.log` and `math.sqrt` refuse 0 and negative numbers and take one number at a time; `np.log` works "
        "on whole arrays and gives -inf for 0 (a probability of 0 costs infinitely much).",
    ),
    (
        TypeError,
        r"positional argument|unexpected keyword argument|takes \d+ .*given",
        "the function's parameters differ from the exercise's: keep the signature the cell gives (the same "
        "names, in the same order).",
    ),
    (
        TypeError,
        r"NoneType",
        "a value is None: does a helper you call `return` its result? (A function without `return` gives None.)",
    ),
    (
        TypeError,
        r"unhashable type",
        "a dict key or set member must be a number, string or tuple: turn an array or tensor element into a "
        "number with `int(...)` first.",
    ),
    (
        TypeError,
        r"indices must be integers|only integer scalar arrays|integer scalar|cannot be interpreted as an integer",
        "an index must be a whole number: `int(i)` turns a float or a numpy or torch number into one; a Python "
        "list cannot be indexed by a list or an array (`np.asarray(x)` first).",
    ),
    (
        AttributeError,
        r"'list' object has no attribute",
        "a Python list has none of numpy's methods (`.mean()`, `.shape`, `.T`): make it an array with "
        "`np.asarray(...)` first.",
    ),
    (
        AttributeError,
        r"'numpy\.",
        "a numpy array has no torch methods (`.float()`, `.item()` on many values, `dim=`): use numpy's own "
        "(`.astype(float)`, `axis=`), or make a tensor with `torch.as_tensor(...)`.",
    ),
    (
        KeyError,
        r"",
        "a dict has no entry for that key: is the dict built the right way round (character to id for encoding, "
        "id to character for decoding), and from the vocabulary you were given?",
    ),
    (
        IndexError,
        r"",
        "an index ran past the end: positions run from 0 to len - 1, and a loop over pairs stops one early "
        "(`range(len(ids) - 1)`). Check the loop's range and any `+ 1`.",
    ),
    (
        UnboundLocalError,
        r"",
        "a variable is read before it gets a value in the function: give it one before the loop or the `if`, "
        "or do not assign to a name you also use from outside.",
    ),
    (
        NameError,
        r"",
        "a name the function uses is not defined: a typo, or a variable from a cell you have not run?",
    ),
    (
        ZeroDivisionError,
        r"",
        "a division by zero: a count or a length that is 0 on this input?",
    ),
    (
        RecursionError,
        r"",
        "the function calls itself again and again without end.",
    ),
    (
        NotImplementedError,
        r"",
        "libraries such as torch say this when a value has a type they cannot handle there (an integer tensor "
        "where a float one belongs, or arguments in the wrong order).",
    ),
]


def advice_for_exception(error: BaseException) -> str:
    """What to look at for a common exception (the first entry of the table whose type and message fit)."""
    message = str(error)
    for kind, pattern, advice in _EXCEPTION_ADVICE:
        if isinstance(error, kind) and re.search(pattern, message):
            return advice
    return ""


# --------------------------------------------------------------------------------------------------------------
# Inputs changed in place, globals read instead of arguments, loops


def _refuse_changed_inputs(learner_fn: Callable[..., Any], case: Case, before: tuple, after: tuple) -> None:
    names = _parameter_names(learner_fn, len(case.args))
    changed = [
        names[position]
        for position, (old, new) in enumerate(zip(before[0], after[0], strict=True))
        if _same_data(old, new) is False
    ] + [key for key in before[1] if _same_data(before[1][key], after[1][key]) is False]
    if changed:
        which = ", ".join(f"`{name}`" for name in changed)
        raise CheckFailed(
            f"on {case.label}, `{getattr(learner_fn, '__name__', 'your function')}` changed its input {which} in "
            f"place: the caller's values are different after the call. Later cells (and autograd) still need "
            f"them.\nLook at: compute a new value instead of changing the one you were given: `x = x - m` "
            f"rather than `x -= m`, `np.maximum(x, 0)` rather than `x[x < 0] = 0`, `masked_fill` rather than "
            f"`masked_fill_`; or work on a copy (`x = x.copy()`, `x.clone()`)."
        )


def _parameter_names(function: Callable[..., Any], count: int) -> list[str]:
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    return [names[i] if i < len(names) else f"argument {i + 1}" for i in range(count)]


def _same_data(old: Any, new: Any) -> bool | None:
    """Whether two inputs hold the same data; None for objects that are not plain data (a model, a generator)."""
    if isinstance(old, (np.ndarray, torch.Tensor)):
        if type(old) is not type(new) or tuple(old.shape) != tuple(new.shape):
            return False
        a, b = to_numpy(old), to_numpy(new)
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(old, (list, tuple)):
        if type(old) is not type(new) or len(old) != len(new):
            return False
        verdicts = [_same_data(a, b) for a, b in zip(old, new, strict=True)]
        return False if False in verdicts else True
    if isinstance(old, dict):
        if type(new) is not dict or old.keys() != new.keys():
            return False
        return False if any(_same_data(old[k], new[k]) is False for k in old) else True
    if isinstance(old, (int, float, str, bytes, bool, type(None), np.number)):
        return True  # immutable: the learner cannot change the caller's
    return None


def global_variables_read(function: Callable[..., Any]) -> dict[str, Any]:
    """The global variables holding data (not modules, functions or classes) that ``function``'s code reads."""
    code = getattr(function, "__code__", None)
    namespace = getattr(function, "__globals__", None)
    if code is None or namespace is None:
        return {}
    found = {}
    for name in sorted(_global_names(code)):
        if name in namespace and not name.startswith("__"):
            value = namespace[name]
            if not (
                callable(value) or isinstance(value, types.ModuleType) or value is None or _course_constant(name, value)
            ):
                found[name] = value
    return found


def _course_constant(name: str, value: Any) -> bool:
    """Whether ``name`` is a constant the learner imported from ``course_utils`` (``GPT2_SPLIT_PATTERN``): the
    exercise tells them to use it, so reading it is no mistake to point at."""
    return any(
        getattr(module, name, None) is value
        for module_name, module in list(sys.modules.items())
        if module_name.startswith("course_utils") and module is not None
    )


def _global_names(code: types.CodeType) -> set[str]:
    names = {op.argval for op in dis.get_instructions(code) if op.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):  # comprehensions and inner functions
            names |= _global_names(constant)
    return names


def _globals_advice(function: Callable[..., Any], globals_used: dict[str, Any]) -> str:
    parameters = _parameter_names(function, len(inspect.signature(function).parameters))
    sentences = []
    for name in globals_used:
        same = [p for p in parameters if p.lower() == name.lower()]
        if same:
            sentences.append(
                f"your function reads the notebook's variable `{name}` where it should use its argument "
                f"`{same[0]}`: the check calls it with other inputs than the notebook's."
            )
        else:
            sentences.append(
                f"your function reads the notebook's variable `{name}`, which the check's inputs do not change: "
                f"use its arguments ({', '.join(parameters)}) instead."
            )
    return " ".join(sentences)


def _has_loop(function: Callable[..., Any]) -> bool:
    """Whether ``function``'s code (comprehensions included) walks through something with ``for`` or ``while``."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False

    def loops(code: types.CodeType) -> bool:
        if any(op.opname in ("FOR_ITER", "JUMP_BACKWARD", "JUMP_ABSOLUTE") for op in dis.get_instructions(code)):
            return True
        return any(isinstance(c, types.CodeType) and loops(c) for c in code.co_consts)

    return loops(code)


# --------------------------------------------------------------------------------------------------------------
# Right answers in other forms


def _input_form(value: Any, dtypes: bool = True) -> tuple:
    """A key for the kind of input: what the reference returns may depend on it (a number or an array, and the
    dtype: softmax of float64 logits is float64). ``dtypes=False`` leaves dtypes out, for inputs of a dtype that
    no case had."""
    if isinstance(value, tuple):
        return ("tuple",) + tuple(_input_form(v, dtypes) for v in value)
    if isinstance(value, np.ndarray):
        return ("ndarray", value.ndim) + ((value.dtype.str,) if dtypes else ())
    if isinstance(value, torch.Tensor):
        return ("tensor", value.ndim) + ((str(value.dtype),) if dtypes else ())
    return (type(value).__name__,)


def _form(value: Any) -> tuple:
    """The form of an answer: its type, with the dtype of arrays and the forms of a tuple's or list's parts."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str)
    if isinstance(value, torch.Tensor):
        return ("tensor", str(value.dtype))
    if isinstance(value, tuple):
        return ("tuple",) + tuple(_form(v) for v in value)
    if isinstance(value, list):
        parts = {_form(v) for v in value}
        return ("list", parts.pop() if len(parts) == 1 else None)
    return (type(value),)


def _to_form(value: Any, form: tuple) -> Any:
    """``value`` converted to ``form`` (see :func:`_form`); raises if it does not convert."""
    kind = form[0]
    if kind == "ndarray":
        return np.asarray(to_numpy(value) if isinstance(value, torch.Tensor) else value).astype(np.dtype(form[1]))
    if kind == "tensor":
        dtype = getattr(torch, form[1].removeprefix("torch."))
        return value.to(dtype) if isinstance(value, torch.Tensor) else torch.as_tensor(np.asarray(value), dtype=dtype)
    if kind == "tuple":
        if len(value) != len(form) - 1:
            raise ValueError("a tuple of another length")
        return tuple(_to_form(v, f) for v, f in zip(value, form[1:], strict=True))
    if kind == "list":
        items = value.tolist() if isinstance(value, (np.ndarray, torch.Tensor)) else list(value)
        return items if form[1] is None else [_to_form(v, form[1]) for v in items]
    target = form[0]
    if isinstance(target, type) and issubclass(target, np.generic):
        return target(to_numpy(value).item() if isinstance(value, torch.Tensor) else value)
    if target in (float, int, bool):
        return target(to_numpy(value).item()) if isinstance(value, (np.ndarray, torch.Tensor)) else target(value)
    return value


def _form_name(form: tuple) -> str:
    kind = form[0]
    if kind == "ndarray":
        return f"a numpy array ({np.dtype(form[1])})"
    if kind == "tensor":
        return f"a tensor ({form[1]})"
    if kind == "tuple":
        return "a tuple (" + ", ".join(_form_name(f) for f in form[1:]) + ")"
    if kind == "list":
        return "a list"
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _in_reference_form(learner_fn: Callable[..., Any], forms: list[tuple[tuple, Any, Any]]) -> Callable | None:
    """``learner_fn`` wrapped to return the reference's forms, or None if it already returns them."""
    by_input: dict[tuple, tuple] = {}
    differ = []
    for args, want, got in forms:
        want_form, got_form = _form(want), _form(got)
        by_input.setdefault(_input_form(args), want_form)
        by_input.setdefault(_input_form(args, dtypes=False), want_form)
        if want_form != got_form:
            differ.append((got_form, want_form))
    if not differ:
        return None
    every_form = set(by_input.values())
    only_form = every_form.pop() if len(every_form) == 1 else None

    @functools.wraps(learner_fn)
    def in_reference_form(*args: Any, **kwargs: Any) -> Any:
        answer = learner_fn(*args, **kwargs)
        form = by_input.get(_input_form(args), by_input.get(_input_form(args, dtypes=False), only_form))
        if form is None or _form(answer) == form:
            return answer
        try:
            return _to_form(answer, form)
        except Exception:  # noqa: BLE001 - an answer that does not convert is passed on as it is
            return answer

    got_form, want_form = differ[0]
    in_reference_form.form_note = f"{_form_name(got_form)} where the course's returns {_form_name(want_form)}"
    return in_reference_form


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
        if (module.name.startswith("ch") and module.name[2:].isdigit()) or module.name == "primer":
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
    if callable(exercise_id) and isinstance(learner_fn, str):
        name = getattr(exercise_id, "__name__", "your_function")
        raise TypeError(
            f"check takes the exercise's id first and your function second: the arguments are swapped. "
            f"Write check({learner_fn!r}, {name})."
        )
    if not isinstance(exercise_id, str):
        raise TypeError(
            f"check's first argument is the exercise's id, a string such as 'ch01.mse_loss', not "
            f"{describe(exercise_id)}: write check('chNN.name', your_function)."
        )
    return get(exercise_id).check(learner_fn)


def summary(chapter: str) -> dict[str, str]:
    """Print which of ``chapter``'s exercises are done, and return id -> outcome.

    Under the test suite (``COURSE_EXPECT_CHECKS`` set) it also asserts that every exercise of the chapter
    was checked in this notebook, with the expected outcome, so that a check cell cannot silently go missing.
    """
    chapter_exercises = exercises(chapter)
    if not chapter_exercises:
        raise KeyError(f"No exercises are registered for chapter {chapter!r}.")
    chapter_exercises = _in_notebook_order(chapter_exercises)
    outcomes = {key: _OUTCOMES.get(key, "not checked") for key in chapter_exercises}
    done = sum(outcome == PASSED for outcome in outcomes.values())
    print(f"{chapter}: {done} of {len(outcomes)} exercises done.")
    # symbols that the common monospace fonts (DejaVu Sans Mono on most Linux hubs) have; emoji often show as boxes
    symbols = {PASSED: "✔ done", UNFINISHED: "○ not done yet", FAILED: "✘ not right yet"}
    for key, outcome in outcomes.items():
        ex = chapter_exercises[key]
        print(f"  {symbols.get(outcome, '·  not checked')}  {key}  {ex.title} (difficulty {ex.difficulty})")
    print("Every chapter, and the next exercise to do: `import course_utils; course_utils.progress()`.")
    expected = os.environ.get(EXPECT_ENV_VAR)
    if expected:
        wrong = {key: outcome for key, outcome in outcomes.items() if outcome != expected}
        assert not wrong, f"expected every exercise of {chapter} to report '{expected}', got {wrong}"
    return outcomes


NOTEBOOK_SOURCES = Path(__file__).resolve().parents[2] / "notebooks" / "src"
"""Where the chapters' sources are: :func:`summary` lists exercises in the order their notebook has them."""
LEARNER_NOTEBOOKS = NOTEBOOK_SOURCES.parent
"""Where the learner notebooks are: the order comes from their check cells where the sources are left out (a
class handout)."""

_EXERCISE_CELL = re.compile(r"^# %% \[exercise (\S+)\]", re.MULTILINE)
_CHECK_CELL = re.compile(r"""check\(\\?["']((?:ch\d\d|primer)\.\w+)\\?["']""")


def _in_notebook_order(chapter_exercises: dict[str, Exercise]) -> dict[str, Exercise]:
    """The exercises in the order their notebook's source has them (or, without the sources, the order of the
    learner notebook's checks); any it does not have (or every one, where neither is next to the package) keep
    their order of registration, after the others."""
    order: dict[str, int] = {}
    if NOTEBOOK_SOURCES.is_dir():
        for source in sorted(NOTEBOOK_SOURCES.glob("*.py")):
            for match in _EXERCISE_CELL.finditer(source.read_text(encoding="utf-8")):
                order.setdefault(match.group(1), len(order))
    elif LEARNER_NOTEBOOKS.is_dir():
        for notebook in sorted(LEARNER_NOTEBOOKS.glob("*.ipynb")):
            for match in _CHECK_CELL.finditer(notebook.read_text(encoding="utf-8")):
                order.setdefault(match.group(1), len(order))
    keys = sorted(chapter_exercises, key=lambda key: order.get(key, len(order)))  # sorted() keeps ties in order
    return {key: chapter_exercises[key] for key in keys}
