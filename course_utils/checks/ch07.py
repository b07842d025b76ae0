"""Exercises of chapter 07, softmax and sampling.

Every exercise works over the last dimension of a tensor with any number of leading (batch) dimensions, so the
cases come in batches. They are ordered so that the listed mistakes give different answers early: ordinary
logits of different sizes per row (a softmax over the wrong axis differs), then logits like 1000 and 1e4 (an
exponential without the maximum subtracted overflows), -inf entries, ties, and a vocabulary of one token.

``ch07.sample`` draws at random, so its check compares frequencies, never draws: the same seed must give the
same draws, the generator passed in must be the one that moves, and over many draws each token must come up
about as often as its probability says, within exact binomial bounds that a right answer leaves less than once
in a million checks. The check never seeds torch's global generator, so an answer that ignores the one passed in
cannot pass by luck.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from scipy.stats import binom

from course_utils.checks.core import Case, CheckFailed, Exercise, Mistake, call_learner, describe, register, to_numpy
from course_utils.sampling import (
    check_temperature,
    check_top_k,
    check_top_p,
    cross_entropy,
    sample,
    softmax,
    softmax_with_temperature,
    top_k_filter,
    top_p_filter,
)

NEG_INF = float("-inf")


def _only_valid(mistakes: list[Mistake], check_argument: Callable[[Any], None]) -> list[Mistake]:
    """The mistakes, each refusing the input that the docstring promises an error for (a mistake that cannot be
    computed there says nothing about an answer that failed to raise, so the check's own advice is given)."""

    def refusing(wrong: Callable[..., Any]) -> Callable[..., Any]:
        def wrong_on_valid_input(logits: torch.Tensor, argument: Any) -> Any:
            check_argument(argument)
            return wrong(logits, argument)

        return wrong_on_valid_input

    return [Mistake(mistake.advice, refusing(mistake.wrong)) for mistake in mistakes]


def _logits(*rows: list[float]) -> torch.Tensor:
    return torch.tensor(rows if len(rows) > 1 else rows[0], dtype=torch.float32)


def _random_logits(seed: int, *shape: int, scale: float = 2.0) -> torch.Tensor:
    return scale * torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _same_tensors(got: Any, want: torch.Tensor) -> str | None:
    """Compare values with nan equal to nan and -inf to -inf (so that a mistake giving nan is recognised). Other
    forms with the right values (a numpy array, another dtype) pass: the check hands them on converted."""
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    want_array = to_numpy(want).astype(np.float64)
    try:
        got_array = to_numpy(got)
    except Exception:  # noqa: BLE001 - anything that does not convert is simply the wrong kind of answer
        return f"expected a tensor of shape {tuple(want.shape)}, got {describe(got)}"
    if got_array.dtype == object or got_array.dtype.kind not in "biuf":
        return f"expected numbers of shape {tuple(want.shape)}, got {describe(got)}"
    if got_array.shape != want_array.shape:
        return f"the shape is {tuple(got_array.shape)}, expected {tuple(want_array.shape)}"
    got_array = got_array.astype(np.float64)
    close = np.isclose(got_array, want_array, atol=1e-5, rtol=1e-4, equal_nan=True)
    if not close.all():
        first = tuple(int(i) for i in np.argwhere(~close)[0])
        where = f" at index {first}" if first else ""
        nan_note = " (nan: an exponential overflowed, or 0/0)" if np.isnan(got_array[first]) else ""
        return (
            f"{int((~close).sum())} of {close.size} values differ; first{where}: expected {want_array[first]:.6g}, "
            f"got {got_array[first]:.6g}{nan_note}"
        )
    return None


# ----------------------------------------------------------------------------------------------------------------
# ch07.softmax


def _softmax_cases() -> list[Case]:
    return [
        Case("logits [2.0, 1.0, 0.1]", (_logits([2.0, 1.0, 0.1]),)),
        Case(
            "a batch of 3 rows of 4 logits",
            (_logits([1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 2.0, 0.0], [3.0, 3.0, 1.0, -2.0]),),
        ),
        Case("a batch of 2 rows of 3 logits, softmax over dim=0 (down the columns)", (_random_logits(1, 2, 3), 0)),
        Case("logits [1000, 1001]", (_logits([1000.0, 1001.0]),)),
        Case("rows [1000, 1001] and [0, 1], each on its own scale", (_logits([1000.0, 1001.0], [0.0, 1.0]),)),
        Case("extreme logits [1e4, -1e4, 0]", (_logits([1e4, -1e4, 0.0]),)),
        Case("logits with -inf entries [0, -inf, 1, -inf]", (_logits([0.0, NEG_INF, 1.0, NEG_INF]),)),
        Case("ties [1, 1, 1]", (_logits([1.0, 1.0, 1.0]),)),
        Case("a vocabulary of one token, in a batch of 3", (_logits([5.0], [-2.0], [0.0]),)),
        Case("a batch of shape (2, 3, 5)", (_random_logits(2, 2, 3, 5),)),
        Case("float64 logits", (_random_logits(3, 4, 6).double(),)),
    ]


def _exp_normalised(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    exps = torch.exp(logits)
    return exps / exps.sum(dim=dim, keepdim=True)


def _softmax_global_max(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    exps = torch.exp(logits - logits.max())
    return exps / exps.sum(dim=dim, keepdim=True)


register(
    Exercise(
        id="ch07.softmax",
        title="Softmax, safely",
        difficulty=1,
        minutes=8,
        hint="Subtract each row's largest logit (`logits.amax(dim=dim, keepdim=True)`), take `torch.exp`, then "
        "divide by the sum along `dim` (`keepdim=True` keeps the shapes lined up for the division).",
        reference=softmax,
        cases=_softmax_cases,
        compare=_same_tensors,
        mistakes=[
            Mistake(
                "subtract the largest logit before `torch.exp`: exp(1000) overflows to inf, and inf / inf is nan.",
                _exp_normalised,
            ),
            Mistake(
                "subtract each row's own maximum (`amax(dim=dim, keepdim=True)`), not the maximum of the whole "
                "tensor: a row far below it underflows to 0 / 0.",
                _softmax_global_max,
            ),
            Mistake(
                "normalise along the `dim` you are given: each row along `dim` must add up to 1 (you used the other "
                "axis).",
                lambda logits, dim=-1: softmax(logits, 0),
            ),
            Mistake(
                "use the `dim` argument: you always normalised along the last dimension.",
                lambda logits, dim=-1: softmax(logits, -1),
            ),
            Mistake(
                "divide by the sum of each row along `dim`, not by the sum of the whole tensor "
                "(`.sum(dim=dim, keepdim=True)`).",
                lambda logits, dim=-1: (
                    torch.exp(logits - logits.amax(dim=dim, keepdim=True))
                    / torch.exp(logits - logits.amax(dim=dim, keepdim=True)).sum()
                ),
            ),
            Mistake(
                "divide the exponentials by their sum: without it the numbers do not add up to 1.",
                lambda logits, dim=-1: torch.exp(logits - logits.amax(dim=dim, keepdim=True)),
            ),
            Mistake(
                "take the exponential first: dividing the logits by their sum is not softmax (logits can be "
                "negative and add up to 0).",
                lambda logits, dim=-1: logits / logits.sum(dim=dim, keepdim=True),
            ),
            Mistake(
                "return the probabilities, not their logarithm (that is log-softmax).",
                lambda logits, dim=-1: torch.log_softmax(logits, dim=dim),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch07.softmax_with_temperature


def _temperature_cases() -> list[Case]:
    return [
        Case("logits [2.0, 1.0, 0.1] at temperature 0.5", (_logits([2.0, 1.0, 0.1]), 0.5)),
        Case("a batch of 3 rows of 5 logits at temperature 2", (_random_logits(4, 3, 5), 2.0)),
        Case("logits [3, 1, 2] at temperature 1", (_logits([3.0, 1.0, 2.0]), 1.0)),
        Case("logits [1.0, 3.0, 2.0] at temperature 0 (greedy)", (_logits([1.0, 3.0, 2.0]), 0.0)),
        Case("a batch of 2 rows at temperature 0", (_logits([0.5, -1.0, 2.0, 0.0], [3.0, 1.0, 1.0, -2.0]), 0)),
        Case("a tie [1, 3, 3, 2] at temperature 0 (the first of the tied)", (_logits([1.0, 3.0, 3.0, 2.0]), 0.0)),
        Case("float64 logits at temperature 0", (_logits([0.0, 2.0, 1.0]).double(), 0.0)),
        Case("logits [1000, 1001] at temperature 0.5", (_logits([1000.0, 1001.0]), 0.5)),
        Case("logits with -inf entries at temperature 0.7", (_logits([0.0, NEG_INF, 1.0, 0.5]), 0.7)),
        Case("a vocabulary of one token at temperature 3", (_logits([4.0], [-1.0]), 3.0)),
        Case("a batch of shape (2, 2, 4) at temperature 10", (_random_logits(5, 2, 2, 4), 10.0)),
        Case("a negative temperature, -0.5", (_logits([1.0, 2.0]), -0.5), raises=(ValueError,)),
    ]


def _first_max_one_hot(logits: torch.Tensor) -> torch.Tensor:
    return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)


register(
    Exercise(
        id="ch07.softmax_with_temperature",
        title="Temperature",
        difficulty=2,
        minutes=10,
        hint="Divide the logits by the temperature and apply your `softmax`. Temperature 0 cannot be divided by: "
        "handle it first with a one-hot at `logits.argmax(dim=-1)` (`F.one_hot(..., logits.shape[-1])`), "
        "converted with `.to(logits.dtype)`. A negative temperature has no meaning: `raise ValueError(...)` saying so.",
        reference=softmax_with_temperature,
        cases=_temperature_cases,
        compare=_same_tensors,
        mistakes=_only_valid(
            [
                Mistake(
                    "divide the logits by the temperature, do not multiply: a temperature above 1 must flatten the "
                    "distribution.",
                    lambda logits, temperature: softmax(logits * temperature),
                ),
                Mistake(
                    "apply the temperature to the logits, before softmax, not to the probabilities after it.",
                    lambda logits, temperature: (
                        softmax(logits) / temperature if temperature else _first_max_one_hot(logits)
                    ),
                ),
                Mistake(
                    "temperature 0 must be handled before dividing: logits / 0 is inf or nan. Return a one-hot at the "
                    "largest logit instead.",
                    lambda logits, temperature: (
                        softmax(logits / temperature) if temperature else torch.softmax(logits / temperature, dim=-1)
                    ),
                ),
                Mistake(
                    "at temperature 0 return a one-hot vector (1 at the largest logit, 0 elsewhere) of the logits' "
                    "shape, not the position of the largest logit.",
                    lambda logits, temperature: (
                        softmax_with_temperature(logits, temperature) if temperature else logits.argmax(dim=-1)
                    ),
                ),
                Mistake(
                    "on a tie at temperature 0, put the 1 on the first of the tied logits only (`argmax` picks it): "
                    "`logits == max` marks every tied one.",
                    lambda logits, temperature: (
                        softmax_with_temperature(logits, temperature)
                        if temperature
                        else (logits == logits.amax(dim=-1, keepdim=True)).to(logits.dtype)
                    ),
                ),
                Mistake(
                    "on a tie at temperature 0, put the 1 on the first of the tied logits, not the last.",
                    lambda logits, temperature: (
                        softmax_with_temperature(logits, temperature)
                        if temperature
                        else _first_max_one_hot(logits.flip(-1)).flip(-1)
                    ),
                ),
                Mistake(
                    "subtract the largest logit before `torch.exp`, or use your `softmax` that does: exp(1000 / 0.5) "
                    "overflows to inf, and inf / inf is nan.",
                    lambda logits, temperature: (
                        _exp_normalised(logits / temperature) if temperature else _first_max_one_hot(logits)
                    ),
                ),
            ],
            check_temperature,
        ),
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch07.sample: a random draw, checked by its frequencies rather than draw by draw

ROWS = torch.tensor([[0.1, 0.5, 0.0, 0.25, 0.15], [0.05, 0.0, 0.6, 0.05, 0.3]], dtype=torch.float64)
"""Two rows drawn from in one batch: neither is sorted, each has a token of probability 0."""
DRAWS = 4000
FAILURE_RATE = 1e-6  # how often a right answer may fail the frequency test, all tokens together


def binomial_bounds(draws: int, probability: float, failure_rate: float) -> tuple[int, int]:
    """The counts ``[low, high]`` that a token of ``probability`` falls outside in ``draws`` draws with a
    probability of at most ``failure_rate`` (exact binomial tails, half the rate on each side)."""
    low = int(binom.ppf(failure_rate / 2, draws, probability))  # P(count < low) < rate / 2
    high = int(binom.isf(failure_rate / 2, draws, probability))  # P(count > high) <= rate / 2
    return low, high


def _ids(drawn: Any, shape: tuple[int, ...], vocab_size: int, described: str) -> np.ndarray:
    """The learner's draws as an integer array of ``shape``, with a message naming what is wrong."""
    if drawn is None:
        raise CheckFailed("it returned None: did you forget the `return` statement?")
    try:
        array = to_numpy(drawn)
    except Exception:  # noqa: BLE001 - anything that does not convert is simply the wrong kind of answer
        raise CheckFailed(f"with {described}, it returned {describe(drawn)}; return a tensor of token ids.") from None
    if not isinstance(drawn, torch.Tensor):
        raise CheckFailed(
            f"with {described}, it returned {describe(drawn)}; return a torch tensor of ids: the generate loop "
            f"appends it to a tensor of ids with `torch.cat`."
        )
    if array.dtype.kind not in "iu":
        raise CheckFailed(
            f"with {described}, it returned {describe(drawn)}; return whole-number ids (dtype torch.long), which "
            f"later code can index with: `torch.multinomial` gives them."
        )
    if array.shape != shape:
        extra = (
            " Drop the last dimension of size 1 that `torch.multinomial(..., 1)` adds (`[..., 0]`)."
            if array.shape == (*shape, 1)
            else ""
        )
        raise CheckFailed(
            f"with {described}, the result has shape {tuple(array.shape)}; expected one id per row, shape {shape} "
            f"(the shape of probs without its last dimension).{extra}"
        )
    if array.size and (array.min() < 0 or array.max() >= vocab_size):
        bad = int(array.max() if array.max() >= vocab_size else array.min())
        raise CheckFailed(
            f"with {described}, it drew the id {bad}, but with {vocab_size} probabilities per row the ids run from "
            f"0 to {vocab_size - 1}: are your ids off by one?"
        )
    return array.astype(np.int64)


def _draw(learner_fn: Callable[..., Any], probs: torch.Tensor, generator: torch.Generator, described: str):
    """One call, with the generator itself (not a copy: it must move on from call to call)."""
    try:
        drawn = learner_fn(probs.clone(), generator)
    except Exception as error:  # noqa: BLE001 - any error in the learner's code is a wrong answer to report
        raise CheckFailed(f"with {described}, `sample` raised {type(error).__name__}: {error}") from error
    return _ids(drawn, tuple(probs.shape[:-1]), probs.shape[-1], described)


def _check_sample(learner_fn: Callable[..., Any]) -> None:
    # a first call through call_learner, so that the stub reads as unfinished and a crash is reported
    first = Case("a batch of shape (2, 3, 5)", (softmax(_random_logits(13, 2, 3, 5)), torch.Generator().manual_seed(0)))
    _ids(call_learner(learner_fn, first), (2, 3), 5, first.label)

    # many rows in one batch give many draws in one call: DRAWS copies of each of the two rows of ROWS
    many = ROWS.expand(DRAWS, *ROWS.shape).contiguous()  # (DRAWS, 2, 5)
    described = f"{DRAWS} copies of the rows {ROWS.tolist()}"
    generator = torch.Generator().manual_seed(1)
    state = generator.get_state()
    draws = _draw(learner_fn, many, generator, described)  # (DRAWS, 2)
    if (draws == ROWS.argmax(dim=-1).numpy()).all():
        raise CheckFailed(
            f"with {described}, every draw was the most likely id of its row. Always taking the most likely id is "
            f"argmax (greedy), not sampling: draw at random so that each id comes up as often as its probability "
            f"says, e.g. with `torch.multinomial(rows, 1, generator=generator)`."
        )
    if torch.equal(generator.get_state(), state):
        raise CheckFailed(
            "the generator passed in did not move, so the draws came from somewhere else (torch's global generator, "
            "or one of your own). Pass it on: `torch.multinomial(rows, 1, generator=generator)` or "
            "`torch.rand(..., generator=generator)`; then the same seed gives the same text on any machine."
        )

    for row, probabilities in enumerate(ROWS.tolist()):  # float64, so that 0.1 prints as 0.1
        counts = np.bincount(draws[:, row], minlength=len(probabilities))
        shares = (counts / DRAWS).round(3).tolist()
        where = f"with {described}, in row {row} ({probabilities})"
        uniform_low, uniform_high = binomial_bounds(DRAWS, 1 / len(probabilities), FAILURE_RATE)
        if all(uniform_low <= count <= uniform_high for count in counts):
            raise CheckFailed(
                f"{where} every id came up about equally often (shares {shares}): you sampled uniformly. Draw each "
                f"id with its own probability, e.g. with `torch.multinomial`."
            )
        resoftmaxed = torch.softmax(torch.tensor(probabilities), dim=-1).tolist()
        if all(
            low <= count <= high
            for count, p in zip(counts, resoftmaxed, strict=True)
            for low, high in [binomial_bounds(DRAWS, p, FAILURE_RATE)]
        ):
            raise CheckFailed(
                f"{where} the shares {shares} match softmax(probs), not probs: the input is already probabilities, "
                f"draw from it as it is."
            )
        for token_id, (count, probability) in enumerate(zip(counts, probabilities, strict=True)):
            if probability == 0 and count:
                raise CheckFailed(
                    f"{where} the id {token_id} came up {count} times, but its probability is 0 (are your ids off "
                    f"by one, or did you draw every row from the first one?)."
                )
        for token_id, (count, probability) in enumerate(zip(counts, probabilities, strict=True)):
            if probability == 0:
                continue
            # a right answer fails one of these 10 tests less than once in a million checks, all together
            low, high = binomial_bounds(DRAWS, probability, FAILURE_RATE / ROWS.numel())
            if not low <= count <= high:
                raise CheckFailed(
                    f"{where} the id {token_id} came up in {count / DRAWS:.1%} of the draws, but its probability is "
                    f"{probability:.0%} (a right answer gives {low} to {high} of {DRAWS}): each row's ids must come "
                    f"up as often as that row's probabilities say (all shares: {shares})."
                )

    same = ROWS.expand(50, *ROWS.shape).contiguous()
    first_run = _draw(learner_fn, same, torch.Generator().manual_seed(123), "a generator seeded 123")
    second_run = _draw(learner_fn, same, torch.Generator().manual_seed(123), "a generator seeded 123")
    if not np.array_equal(first_run, second_run):
        raise CheckFailed(
            "two generators seeded the same gave different draws, so the randomness did not come from `generator` "
            "alone. Draw every random number with it: `torch.multinomial(rows, 1, generator=generator)`."
        )
    generator = torch.Generator().manual_seed(5)
    if np.array_equal(_draw(learner_fn, same, generator, "one generator"), _draw(learner_fn, same, generator, "it")):
        raise CheckFailed(
            "two calls with the same generator gave the same 100 draws: a generator made or seeded inside `sample` "
            "starts afresh on every call. Use the `generator` passed in, which moves on with every draw."
        )

    for probs, want, label in [
        (torch.tensor([[0.0, 0.0, 1.0, 0.0]] * 50), 2, "50 rows [0, 0, 1, 0] (the id 2 is certain)"),
        (torch.ones(50, 1), 0, "50 rows of a vocabulary of one token"),
    ]:
        drawn = _draw(learner_fn, probs, torch.Generator().manual_seed(2), label)
        if not (drawn == want).all():
            raise CheckFailed(f"with {label}, it drew {int(drawn[drawn != want][0])} instead of {want}.")
    single = torch.tensor([0.2, 0.8])
    _draw(learner_fn, single, torch.Generator().manual_seed(3), "one row of shape (2,), which gives one id, shape ()")


register(
    Exercise(
        id="ch07.sample",
        title="Drawing the next token",
        difficulty=2,
        minutes=10,
        hint="`torch.multinomial` draws from the rows of a 2-D tensor: flatten the leading dimensions with "
        "`probs.reshape(-1, probs.shape[-1])`, draw one id per row with `torch.multinomial(rows, 1, "
        "generator=generator)`, and reshape the (rows, 1) result to `probs.shape[:-1]`.",
        reference=sample,
        custom=_check_sample,
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch07.top_k_filter


def _top_k_cases() -> list[Case]:
    return [
        Case("logits [1, 3, 2, 5, 4] with k = 2", (_logits([1.0, 3.0, 2.0, 5.0, 4.0]), 2)),
        Case("a batch of 3 rows of 6 logits with k = 3", (_random_logits(6, 3, 6), 3)),
        Case("logits [0.5, -1, 2, 0] with k = 1", (_logits([0.5, -1.0, 2.0, 0.0]), 1)),
        Case("a tie at the k-th value: [1, 3, 3, 2] with k = 2", (_logits([1.0, 3.0, 3.0, 2.0]), 2)),
        Case("a tie at the top: [1, 3, 3, 2] with k = 1 (both 3s are kept)", (_logits([1.0, 3.0, 3.0, 2.0]), 1)),
        Case("k = 5 with 5 logits (every token kept)", (_logits([2.0, 0.0, 1.0, -1.0, 3.0]), 5)),
        Case(
            "k = 10 with only 4 logits (a k at least the vocabulary size keeps every token)",
            (_logits([2.0, 0.0, 1.0, -1.0]), 10),
        ),
        Case("logits with -inf entries [0, -inf, 2, 1] with k = 2", (_logits([0.0, NEG_INF, 2.0, 1.0]), 2)),
        Case("extreme logits [1e4, -1e4, 0] with k = 2", (_logits([1e4, -1e4, 0.0]), 2)),
        Case("a vocabulary of one token with k = 1", (_logits([2.0], [-3.0]), 1)),
        Case("a batch of shape (2, 2, 5) with k = 2", (_random_logits(7, 2, 2, 5), 2)),
        Case("k = 0", (_logits([1.0, 2.0, 3.0]), 0), raises=(ValueError,)),
    ]


def _top_k_exactly_k(logits: torch.Tensor, k: int) -> torch.Tensor:
    values, indices = torch.topk(logits, min(k, logits.shape[-1]), dim=-1)
    return torch.full_like(logits, NEG_INF).scatter(-1, indices, values)


def _top_k_strict(logits: torch.Tensor, k: int) -> torch.Tensor:
    if k >= logits.shape[-1]:
        return logits.clone()
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits <= kth_largest, NEG_INF)


def _top_k_threshold(logits: torch.Tensor, k: int, *, fill: float = NEG_INF, kth: int | None = None) -> torch.Tensor:
    if k >= logits.shape[-1]:
        return logits.clone()
    position = k - 1 if kth is None else kth
    threshold = torch.sort(logits, dim=-1, descending=True).values[..., position : position + 1]
    return logits.masked_fill(logits < threshold, fill)


register(
    Exercise(
        id="ch07.top_k_filter",
        title="Top-k filtering",
        difficulty=2,
        minutes=10,
        hint="If `k` is at least the number of logits, return them all (`logits.clone()`). Otherwise the k-th "
        "largest of each row is `torch.topk(logits, k, dim=-1).values[..., -1:]`; set every logit below it to "
        "-inf with `logits.masked_fill(logits < kth, float('-inf'))`. A k below 1 would keep nothing: raise a "
        "ValueError.",
        reference=top_k_filter,
        cases=_top_k_cases,
        compare=_same_tensors,
        mistakes=_only_valid(
            [
                Mistake(
                    "set the filtered logits to -inf, not 0: a logit of 0 still has a chance after softmax (exp(0) = "
                    "1), only -inf gives probability 0.",
                    lambda logits, k: _top_k_threshold(logits, k, fill=0.0),
                ),
                Mistake(
                    "keep the k largest logits, not the k smallest (`torch.topk` gives the largest by default).",
                    lambda logits, k: (
                        logits.clone()
                        if k >= logits.shape[-1]
                        else logits.masked_fill(logits > torch.sort(logits, dim=-1).values[..., k - 1 : k], NEG_INF)
                    ),
                ),
                Mistake(
                    "off by one: the k-th largest is at position k - 1 of the sorted values (`values[..., -1:]` of "
                    "`torch.topk(logits, k)`), so you kept k + 1 tokens.",
                    lambda logits, k: _top_k_threshold(logits, k, kth=min(k, logits.shape[-1] - 1)),
                ),
                Mistake(
                    "keep the logits equal to the k-th largest: set to -inf only those strictly below it (`<`, not "
                    "`<=`), so you kept k - 1 tokens.",
                    _top_k_strict,
                ),
                Mistake(
                    "ties at the k-th value are kept: compare every logit with the k-th largest value rather than "
                    "keeping exactly the k positions that `topk` returns.",
                    _top_k_exactly_k,
                ),
                Mistake(
                    "filter each row on its own, along the last dimension (`dim=-1`): you compared down the columns.",
                    lambda logits, k: (
                        top_k_filter(logits.transpose(0, -1), k).transpose(0, -1)
                        if logits.ndim > 1
                        else top_k_filter(logits, k)
                    ),
                ),
                Mistake(
                    "return the filtered logits; softmax comes later, in the sampler.",
                    lambda logits, k: softmax(top_k_filter(logits, k)),
                ),
            ],
            check_top_k,
        ),
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch07.top_p_filter

FOUR = torch.log(torch.tensor([0.4, 0.3, 0.2, 0.1]))


def _top_p_cases() -> list[Case]:
    return [
        Case("probabilities (0.4, 0.3, 0.2, 0.1) with p = 0.8", (FOUR.clone(), 0.8)),
        Case("the same tokens in another order (0.1, 0.4, 0.2, 0.3) with p = 0.65", (FOUR[[3, 0, 2, 1]].clone(), 0.65)),
        Case("probabilities (0.4, 0.3, 0.2, 0.1) with a tiny p = 0.05", (FOUR.clone(), 0.05)),
        Case("a batch of 3 rows of 6 logits with p = 0.9", (_random_logits(8, 3, 6), 0.9)),
        Case(
            "ties at the cut-off: probabilities (0.3, 0.2, 0.3, 0.2) with p = 0.65 (the lower id first)",
            (torch.log(torch.tensor([0.3, 0.2, 0.3, 0.2])), 0.65),
        ),
        Case("probabilities (0.4, 0.3, 0.2, 0.1) with p = 0.999", (FOUR.clone(), 0.999)),
        Case("logits [1000, 1001] with p = 0.5", (_logits([1000.0, 1001.0]), 0.5)),
        Case("logits with -inf entries [0, -inf, 1, 0.5] with p = 0.9", (_logits([0.0, NEG_INF, 1.0, 0.5]), 0.9)),
        Case("a vocabulary of one token with p = 0.3", (_logits([5.0], [-1.0]), 0.3)),
        Case("a batch of shape (2, 2, 5) with p = 0.7", (_random_logits(9, 2, 2, 5), 0.7)),
        Case("p = 0", (FOUR.clone(), 0.0), raises=(ValueError,)),
        Case("p = 1.5", (FOUR.clone(), 1.5), raises=(ValueError,)),
    ]


def _top_p_by_rule(
    logits: torch.Tensor,
    p: float,
    keep: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    *,
    descending: bool = True,
    sort: bool = True,
    unsort: bool = True,
    fill: float = NEG_INF,
    on_logits: bool = False,
) -> torch.Tensor:
    """A top-p filter with one step changed: ``keep(cumulative, probs)`` decides which sorted tokens stay."""
    if sort:
        sorted_logits, order = torch.sort(logits, dim=-1, descending=descending, stable=True)
    else:
        sorted_logits, order = logits, torch.arange(logits.shape[-1]).expand(logits.shape)
    probs = sorted_logits if on_logits else torch.softmax(sorted_logits, dim=-1)
    kept_sorted = keep(torch.cumsum(probs, dim=-1), probs)
    if not unsort:
        return sorted_logits.masked_fill(~kept_sorted, fill)
    kept = torch.zeros_like(kept_sorted).scatter(-1, order, kept_sorted)
    return logits.masked_fill(~kept, fill)


def _first_and_sum_within(p: float) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The rule ``cumsum <= p`` with the likeliest token always kept: it still drops the token crossing p."""

    def keep(cumulative: torch.Tensor, probs: torch.Tensor) -> torch.Tensor:
        kept = cumulative <= p
        kept[..., 0] = True
        return kept

    return keep


def _crossing_kept(p: float) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    return lambda cumulative, probs: cumulative - probs < p


register(
    Exercise(
        id="ch07.top_p_filter",
        title="Top-p (nucleus) filtering",
        difficulty=3,
        minutes=15,
        hint="Sort each row's logits from largest to smallest with `torch.sort(logits, dim=-1, descending=True, "
        "stable=True)`, which also gives the original positions. Turn the sorted logits into probabilities and take "
        "`torch.cumsum`; a token stays if the probability of the tokens before it (`cumsum - probs`) is below `p`. "
        "Put the keep/drop marks back in the tokens' own order with `scatter(-1, order, ...)` and fill the dropped "
        "logits with -inf. A p outside (0, 1] gets `raise ValueError(...)`.",
        reference=top_p_filter,
        cases=_top_p_cases,
        compare=_same_tensors,
        mistakes=_only_valid(
            [
                Mistake(
                    "keep the token that carries the sum past p: a token stays if the probability *before* it is below "
                    "p (`cumsum - probs < p`), not if the sum *with* it is. Otherwise a tiny p keeps nothing.",
                    lambda logits, p: _top_p_by_rule(logits, p, lambda cumulative, probs: cumulative <= p),
                ),
                Mistake(
                    "keep the token that carries the sum past p: keeping the first token and then every token while "
                    "the sum *with* it is at most p (`cumsum <= p`) still drops the one that crosses p. A token stays "
                    "if the probability *before* it is below p (`cumsum - probs < p`).",
                    lambda logits, p: _top_p_by_rule(logits, p, _first_and_sum_within(p)),
                ),
                Mistake(
                    "set the dropped logits to -inf, not 0: a logit of 0 still has a chance after softmax.",
                    lambda logits, p: _top_p_by_rule(logits, p, _crossing_kept(p), fill=0.0),
                ),
                Mistake(
                    "sort the tokens from the most probable down before adding up their probabilities "
                    "(`torch.sort(..., descending=True)`): you added them up in the order of their ids.",
                    lambda logits, p: _top_p_by_rule(logits, p, _crossing_kept(p), sort=False),
                ),
                Mistake(
                    "sort from the most probable down (`descending=True`): you kept the least probable tokens.",
                    lambda logits, p: _top_p_by_rule(logits, p, _crossing_kept(p), descending=False),
                ),
                Mistake(
                    "put the result back in the tokens' own order (`scatter(-1, order, kept_sorted)`): you returned "
                    "the logits in sorted order.",
                    lambda logits, p: _top_p_by_rule(logits, p, _crossing_kept(p), unsort=False),
                ),
                Mistake(
                    "add up probabilities (the softmax of the sorted logits), not the logits themselves.",
                    lambda logits, p: _top_p_by_rule(logits, p, _crossing_kept(p), on_logits=True),
                ),
                Mistake(
                    "among tokens tied at the cut-off, the lower id comes first: sort with `stable=True`.",
                    lambda logits, p: top_p_filter(logits.flip(-1), p).flip(-1),
                ),
                Mistake(
                    "return the filtered logits; softmax comes later, in the sampler.",
                    lambda logits, p: softmax(top_p_filter(logits, p)),
                ),
            ],
            check_top_p,
        ),
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch07.cross_entropy


def _cross_entropy_cases() -> list[Case]:
    targets = torch.randint(0, 5, (2, 3), generator=torch.Generator().manual_seed(11))
    return [
        Case("4 positions of 5 logits, targets [1, 0, 4, 2]", (_random_logits(10, 4, 5), torch.tensor([1, 0, 4, 2]))),
        Case("a batch of shape (2, 3, 5) with targets of shape (2, 3)", (_random_logits(12, 2, 3, 5), targets)),
        Case("logits [[1000, 1001]] with target [0]", (_logits([1000.0, 1001.0])[None], torch.tensor([0]))),
        Case("extreme logits [[1e4, -1e4, 0]] with target [1]", (_logits([1e4, -1e4, 0.0])[None], torch.tensor([1]))),
        Case(
            "logits with -inf entries [[0, -inf, 1]] with target [2]",
            (_logits([0.0, NEG_INF, 1.0])[None], torch.tensor([2])),
        ),
        Case("equal logits over 10 tokens (a uniform guess)", (torch.zeros(3, 10), torch.tensor([0, 4, 9]))),
        Case("a vocabulary of one token", (torch.zeros(3, 1), torch.zeros(3, dtype=torch.long))),
        Case(
            "a batch of shape (3, 2, 4) with targets of shape (3, 2)",
            (_random_logits(14, 3, 2, 4), torch.tensor([[3, 0], [1, 1], [2, 3]])),
        ),
    ]


def _log_probs_naive(logits: torch.Tensor) -> torch.Tensor:
    return torch.log(_exp_normalised(logits))


def _picked(log_probs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return log_probs.gather(-1, targets[..., None])[..., 0]


register(
    Exercise(
        id="ch07.cross_entropy",
        title="Cross-entropy, with log-sum-exp",
        difficulty=3,
        minutes=15,
        hint="The log of a token's probability is its logit minus log(sum(exp(logits))). Compute that log-sum-exp "
        "stably: `m = logits.amax(dim=-1, keepdim=True)`, then `m[..., 0] + torch.log(torch.exp(logits - m)"
        ".sum(dim=-1))`. Pick each position's true logit with `logits.gather(-1, targets[..., None])[..., 0]`, "
        "and return the mean of (log-sum-exp - true logit).",
        reference=cross_entropy,
        cases=_cross_entropy_cases,
        compare=_same_tensors,
        mistakes=[
            Mistake(
                "average over the positions (`.mean()`), do not sum: the loss must not grow with the batch.",
                lambda logits, targets: -_picked(torch.log_softmax(logits, dim=-1), targets).sum(),
            ),
            Mistake(
                "the loss is *minus* the log of the probability: a log of a probability is at most 0.",
                lambda logits, targets: _picked(torch.log_softmax(logits, dim=-1), targets).mean(),
            ),
            Mistake(
                "take the log of the probabilities only through log-sum-exp: a probability as small as exp(-20000) "
                "rounds to 0 in softmax, and log(0) is -inf, while `logit - logsumexp` stays finite.",
                lambda logits, targets: -_picked(torch.log(torch.softmax(logits, dim=-1)), targets).mean(),
            ),
            Mistake(
                "compute the log-probability with log-sum-exp (the largest logit subtracted inside the exp), not "
                "as the log of a naive softmax: exp(1000) overflows and log(0) is -inf.",
                lambda logits, targets: -_picked(_log_probs_naive(logits), targets).mean(),
            ),
            Mistake(
                "use only the true token's log-probability at each position (`gather` with the targets), not the "
                "average over the whole vocabulary.",
                lambda logits, targets: -torch.log_softmax(logits, dim=-1).mean(),
            ),
            Mistake(
                "use the natural log (`torch.log`), as torch's cross-entropy does, not log base 2.",
                lambda logits, targets: -_picked(torch.log_softmax(logits, dim=-1), targets).mean() / math.log(2),
            ),
            Mistake(
                "average over every position, the batch and the sequence alike (`.mean()` over all of them).",
                lambda logits, targets: -_picked(torch.log_softmax(logits, dim=-1), targets).sum() / len(targets),
            ),
        ],
    )
)
