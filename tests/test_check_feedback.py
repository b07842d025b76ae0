"""What every check does for a learner, whatever the chapter: expected exceptions, crash reports that point at
the learner's own line, a time limit, inputs changed in place, globals used instead of arguments, CPU tensors,
Jupyter showing only the message, right answers in other forms handed on in the reference's form, and the
smaller messages (no double punctuation, where two strings differ, the summary in the notebook's order)."""

from __future__ import annotations

import inspect
import linecache
import math
import threading

import numpy as np
import pytest
import torch

from course_utils.checks import Case, CheckFailed, Exercise, Mistake, check, get, show_traceback, summary
from course_utils.checks.core import EXPECT_ENV_VAR, _in_notebook_order, call_learner, exercises


@pytest.fixture(autouse=True)
def _no_expectation(monkeypatch):
    monkeypatch.delenv(EXPECT_ENV_VAR, raising=False)


def _failure(exercise_id: str, learner_fn) -> str:
    with pytest.raises(CheckFailed) as failure:
        get(exercise_id).check(learner_fn)
    message = str(failure.value)
    assert "\nLook at: " in message, message
    return message


# -- expected exceptions --------------------------------------------------------------------------------------


def _lookup_exercise() -> Exercise:
    def lookup(table: dict, key: str) -> int:
        """table[key]; a missing key raises KeyError."""
        return table[key]

    return Exercise(
        id="ch99.lookup",
        title="Look up",
        difficulty=1,
        minutes=1,
        hint="index the dict",
        reference=lookup,
        cases=lambda: [Case("a present key", ({"a": 1}, "a")), Case("a missing key", ({"a": 1}, "b"), raises=KeyError)],
        mistakes=[Mistake("dict.get gives None for a missing key", lambda table, key: table.get(key))],
    )


def test_a_case_that_expects_an_exception_passes_a_learner_who_raises_one(capsys):
    exercise = _lookup_exercise()
    assert exercise.cases()[1].raises == (KeyError,)  # a single class is made a tuple

    def raising(table, key):
        if key not in table:
            raise KeyError(f"no {key}")
        return table[key]

    assert exercise.check(raising) is raising
    assert "✔" in capsys.readouterr().out


def test_a_silent_answer_where_an_exception_is_promised_fails_and_names_the_mistake():
    exercise = _lookup_exercise()
    with pytest.raises(CheckFailed, match="promises KeyError.*\nLook at: dict.get gives None"):
        exercise.check(lambda table, key: table.get(key))
    with pytest.raises(CheckFailed, match="promises KeyError.*\nLook at: raise KeyError"):
        exercise.check(lambda table, key: table.get(key, 0))


def test_an_input_that_has_no_answer_neither_confirms_nor_rules_out_a_wrong_formula():
    def halve(x: float) -> float:
        """x / 2; x = 0 raises ValueError (say the exercise's docstring promises it)."""
        if x == 0:
            raise ValueError("zero")
        return x / 2

    exercise = Exercise(
        id="ch99.halve",
        title="Halve",
        difficulty=1,
        minutes=1,
        hint="divide by two",
        reference=halve,
        cases=lambda: [Case("x = 4", (4.0,)), Case("x = 6", (6.0,)), Case("x = 0", (0.0,), raises=ValueError)],
        mistakes=[Mistake("you divided by three", lambda x: x / 3)],
    )
    # the learner divides by three and never raises: on x = 0 the learner's 0.0 equals the mistake's 0.0 anyway,
    # but a learner who returns nan there (0 / 0) must not lose the name of the mistake made on x = 4
    with pytest.raises(CheckFailed, match="Look at: you divided by three"):
        exercise.check(lambda x: x / 3 if x else float("nan"))


def test_a_reference_that_does_not_raise_where_promised_is_an_authoring_error():
    exercise = _lookup_exercise()
    exercise.cases = lambda: [Case("a present key", ({"a": 1}, "a"), raises=KeyError)]
    with pytest.raises(AssertionError, match="reference does not raise"):
        exercise.check(lambda table, key: table[key])


def test_case_raises_must_be_exception_classes():
    with pytest.raises(TypeError, match="exception classes"):
        Case("x", (), raises=("KeyError",))


# -- crashes --------------------------------------------------------------------------------------------------


def test_a_crash_shows_the_learners_line_the_exception_in_one_line_and_advice():
    def relu(x):
        y = x * 1.0
        return max(y, 0)

    message = _failure("ch02.relu", relu)
    assert "raised ValueError: The truth value of an array" in message
    assert "test_check_feedback.py, in `relu`: `return max(y, 0)`" in message
    line = relu.__code__.co_firstlineno + 2
    assert f"at line {line} of" in message
    assert "np.maximum(x, 0)" in message.split("Look at:")[1]
    assert "Hint: `np.maximum(a, b)`" in message  # the exercise's hint follows the table's advice


@pytest.mark.parametrize(
    ("exercise_id", "source", "advice"),
    [
        ("ch02.accuracy", "return (scores.argmax(dim=1) == labels).mean().item()", ".float().mean()"),
        ("ch03.encode", "return [dict(enumerate(vocab))[char] for char in text]", "the right way round"),
        (
            "ch03.sliding_windows",
            "return [ids[i : i + context] for i in range(len(ids))], [ids[i + context] for i in range(len(ids))]",
            "ran past the end",
        ),
        (
            "ch01.mse_loss",
            "return sum((p - t) ** 2 for p, t in zip(predictions, targets)) / undefined_count",
            "not defined",
        ),
        ("ch01.predict", "return sizes * slope + bias", "not defined"),
    ],
)
def test_common_crashes_get_advice_from_the_table(exercise_id, source, advice):
    exercise = get(exercise_id)
    parameters = ", ".join(inspect.signature(exercise.reference).parameters)
    namespace = {"np": np, "torch": torch}
    cell = f"def {exercise.name}({parameters}):\n    {source}\n"
    # as Jupyter does: the cell's source is registered in linecache under the name its code is compiled with
    filename = f"/tmp/ipykernel_0/{abs(hash(cell))}.py"
    linecache.cache[filename] = (len(cell), None, cell.splitlines(keepends=True), filename)
    exec(compile(cell, filename, "exec"), namespace)  # noqa: S102 - a learner's cell
    message = _failure(exercise_id, namespace[exercise.name])
    assert advice in message.split("Look at:")[1], message
    assert f"`{source}`" in message  # the learner's own line, as they wrote it


def test_an_endless_loop_is_stopped_and_reported_with_the_line_it_was_running():
    exercise = get("ch01.mse_loss")

    def mse_loss(predictions, targets):
        total, i = 0.0, 0
        while i < len(predictions):
            total += (predictions[i] - targets[i]) ** 2  # i never grows
        return total / len(predictions)

    exercise_with_short_limit = Exercise(**{**exercise.__dict__, "id": "ch99.mse_loss", "time_limit": 0.3})
    with pytest.raises(CheckFailed, match=r"did not return within 0.3 s: an endless loop\?") as failure:
        exercise_with_short_limit.check(mse_loss)
    running = str(failure.value).split("It was running ")[1]
    assert "test_check_feedback.py, in `mse_loss`" in running
    assert "`while i < len(predictions):`" in running or "`total += (predictions[i] - targets[i]) ** 2" in running
    assert "condition never becomes false" in str(failure.value)


def test_the_time_limit_works_outside_the_main_thread_too():
    # where no SIGALRM timer can be used (another thread, Windows), the exception is raised in the thread
    def endless(x):
        while True:
            x = x + 0

    outcome = {}

    def run():
        try:
            call_learner(endless, Case("one number", (1.0,)), time_limit=0.3)
        except CheckFailed as failure:
            outcome["message"] = str(failure)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert "did not return within 0.3 s" in outcome["message"]


def test_a_function_that_returns_in_time_is_not_interrupted_later():
    assert call_learner(lambda x: x + 1, Case("one", (1,)), time_limit=0.05) == 2
    threading.Event().wait(0.2)  # a stray timer would interrupt here


# -- inputs, globals, devices ---------------------------------------------------------------------------------


def test_a_function_that_changes_its_input_in_place_is_told_so():
    def relu(x):
        x[x < 0] = 0
        return x

    message = _failure("ch02.relu", relu)
    assert "changed its input `x` in place" in message
    assert "x = x.copy()" in message


def test_a_tensor_changed_in_place_is_told_so():
    def accuracy(scores, labels):
        scores.sub_(scores.max(dim=1, keepdim=True).values)  # changes the caller's scores
        return (scores.argmax(dim=1) == labels).float().mean().item()

    assert "changed its input `scores` in place" in _failure("ch02.accuracy", accuracy)


CONTEXT = 3
rhyme_vocab = ["a", "b"]


def test_a_global_read_instead_of_an_argument_is_named():
    def sliding_windows(ids, context):
        starts = range(len(ids) - CONTEXT)
        return [list(ids[i : i + CONTEXT]) for i in starts], [ids[i + CONTEXT] for i in starts]

    message = _failure("ch03.sliding_windows", sliding_windows)
    assert "reads the notebook's variable `CONTEXT` where it should use its argument `context`" in message

    def encode(text, vocab):
        return [rhyme_vocab.index(char) for char in text]

    message = _failure("ch03.encode", encode)
    assert "reads the notebook's variable `rhyme_vocab`" in message and "(text, vocab)" in message


def test_a_constant_imported_from_course_utils_is_not_blamed():
    # ch06 tells the learner to split with GPT2_SPLIT_PATTERN: naming it as a mistake would mislead
    import regex

    from course_utils.data import GPT2_SPLIT_PATTERN

    source = (
        "def encode_like_gpt2(text, ranks):\n"
        "    return [ranks[p.encode()] for p in regex.findall(GPT2_SPLIT_PATTERN, text)]\n"
    )
    namespace = {"GPT2_SPLIT_PATTERN": GPT2_SPLIT_PATTERN, "regex": regex}  # as the notebook imports it
    exec(source, namespace)
    assert "reads the notebook's variable" not in _failure("ch06.encode_like_gpt2", namespace["encode_like_gpt2"])


def test_the_check_runs_on_the_cpu_whatever_the_default_device():
    # "meta" tensors have no values: a check that made its inputs or ran the learner there could not compare
    previous = torch.get_default_device()
    torch.set_default_device("meta")
    try:
        learner = lambda scores, labels: (scores.argmax(dim=1) == labels).float().mean().item()  # noqa: E731
        assert get("ch02.accuracy").check(learner) is learner
    finally:
        torch.set_default_device(previous)


def test_a_check_never_seeds_or_draws_from_torchs_global_generator(capsys):
    state = torch.random.get_rng_state()
    reference = get("ch03.sample_next").reference
    learner = lambda probabilities, generator: reference(probabilities, generator)  # noqa: E731
    get("ch03.sample_next").check(learner)
    assert torch.equal(torch.random.get_rng_state(), state)


def test_sampling_that_ignores_the_generator_fails_by_the_same_seed_rule():
    def sample_next(probabilities, generator):
        return int(torch.multinomial(probabilities, 1).item())  # torch's global generator, not the one given

    assert "seeded the same gave different draws" in _failure("ch03.sample_next", sample_next)


def test_the_frequency_bounds_let_a_right_answer_fail_less_than_once_in_a_million():
    from scipy.stats import binom

    from course_utils.checks.ch03 import DRAWS, FALSE_ALARM, _count_bounds

    for probability in (0.001, 0.1, 0.15, 0.25, 0.5):
        low, high = _count_bounds(DRAWS, probability)
        outside = binom.cdf(low - 1, DRAWS, probability) + binom.sf(high, DRAWS, probability)
        assert outside <= FALSE_ALARM
    assert 10 * FALSE_ALARM <= 1e-6


# -- how a failure is shown -----------------------------------------------------------------------------------


def test_jupyter_shows_only_the_message_and_the_full_traceback_stays_reachable(capsys):
    with pytest.raises(CheckFailed) as failure:
        get("ch02.relu").check(lambda x: max(x, 0))
    lines = failure.value._render_traceback_()
    assert lines[0].startswith("CheckFailed: ✘ ch02.relu")
    assert any(line.startswith("Look at: ") for line in lines)
    assert not any("Traceback" in line or "core.py" in line for line in lines)
    assert "show_traceback()" in lines[-1]
    show_traceback()
    full = capsys.readouterr().err
    assert "Traceback" in full and "ValueError: The truth value" in full  # the learner's own exception, chained


def test_ipython_shows_the_short_form(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        result = shell.run_cell("from course_utils.checks import check\ncheck('ch02.relu', lambda x: max(x, 0))")
    finally:
        InteractiveShell.clear_instance()
    assert isinstance(result.error_in_exec, CheckFailed)
    shown = capsys.readouterr()
    shown = shown.out + shown.err
    assert "✘ ch02.relu" in shown and "Look at: " in shown and "show_traceback()" in shown
    assert "Traceback" not in shown and "core.py" not in shown


def test_no_double_punctuation_after_a_question():
    message = _failure("ch01.mse_loss", lambda predictions, targets: None)
    assert "statement?." not in message and "`return` statement?" in message


def test_long_strings_show_where_they_first_differ():
    def chat_script(system, turns, next_speaker):
        script = system
        for speaker, words in turns:
            script += f"\n\n{speaker.upper()}.\n{words}"
        return script + f"\n\n{next_speaker.upper()}:\n"  # a colon only on the last tag

    message = _failure("ch00.chat_script", chat_script)
    assert "differ first at character" in message


def test_unfinished_asks_to_run_the_cell(capsys):
    def stub(text):
        raise NotImplementedError("ch00.count_tokens is not done yet")

    get("ch00.count_tokens").check(stub)
    assert "Run the cell that defines `count_tokens`" in capsys.readouterr().out


def test_advice_fits_a_loop():
    def counts_with_array_indexing(ids, vocab_size):
        ids = np.asarray(ids)
        counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
        counts[ids[:-1], ids[1:]] += 1
        return counts

    assert "np.add.at" in _failure("ch03.bigram_counts", counts_with_array_indexing)


def test_swapped_arguments_are_refused():
    with pytest.raises(TypeError, match="swapped.*check\\('ch01.mse_loss', mse_loss\\)"):

        def mse_loss(predictions, targets):
            return 0.0

        check(mse_loss, "ch01.mse_loss")
    with pytest.raises(TypeError, match="exercise's id"):
        check(3, print)
    with pytest.raises(CheckFailed, match="where your function belongs"):
        get("ch01.mse_loss").check("mse_loss")


def test_summary_lists_exercises_in_the_notebooks_order(capsys):
    ordered = list(_in_notebook_order(exercises("ch03")))
    # the notebook has sample_next (section 3.5) before bigram_counts (3.6); the registry has them the other way
    assert ordered.index("ch03.sample_next") < ordered.index("ch03.bigram_counts")
    summary("ch03")
    printed = capsys.readouterr().out
    assert printed.index("ch03.sample_next") < printed.index("ch03.bigram_counts")


# -- right answers in other forms -----------------------------------------------------------------------------


def test_a_right_answer_in_another_form_is_handed_on_in_the_references_form(capsys):
    def standardize(values):
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        return [(v - mean) / std for v in values], np.float64(mean), std

    use = get("ch01.standardize").check(standardize)
    printed = capsys.readouterr().out
    assert "Yours returns a tuple (a list, a numpy.float64, a float) where the course's returns a tuple (" in printed
    scaled, mean, std = use(np.array([1.0, 2.0, 3.0]))
    assert isinstance(scaled, np.ndarray) and scaled.dtype == np.float64
    assert type(mean) is float and type(std) is float
    assert use.__wrapped__ is standardize and use.__name__ == "standardize"


def test_an_answer_whose_form_depends_on_its_input_keeps_each_form():
    def relu(x):
        return np.where(np.asarray(x) > 0, x, 0.0).tolist()  # a list for an array, a float for a number

    use = get("ch02.relu").check(relu)
    assert isinstance(use(np.array([-1.0, 2.0])), np.ndarray)
    assert isinstance(use(-1.5), np.float64)


def test_math_log_fails_where_a_probability_is_zero():
    def bigram_nll(probabilities, ids):
        pairs = list(zip(ids[:-1], ids[1:], strict=True))
        return -sum(math.log(probabilities[a][b]) for a, b in pairs) / len(pairs)

    assert "`np.log` works on whole arrays and gives -inf for 0" in _failure("ch03.bigram_nll", bigram_nll)
