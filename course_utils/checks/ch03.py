"""Exercises of chapter 03, language as numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.stats
import torch

from course_utils.bigram import bigram_counts, bigram_logits, bigram_nll
from course_utils.checks.core import (
    Case,
    CheckFailed,
    Exercise,
    Mistake,
    call_learner,
    describe,
    register,
    same_values,
)
from course_utils.sampling import sample_next
from course_utils.text import char_vocab, decode, encode, one_hot, sliding_windows

RHYME_LINE = "Humpty Dumpty sat on a wall,\nHumpty Dumpty had a great fall."
RHYME_VOCAB = char_vocab(RHYME_LINE)

# ----------------------------------------------------------------------------------------------------------------
# ch03.encode and ch03.decode


def _encode_cases() -> list[Case]:
    return [
        Case('"hello" with the vocabulary e, h, l, o', ("hello", ["e", "h", "l", "o"])),
        Case("a line of the rhyme with its own vocabulary", (RHYME_LINE, RHYME_VOCAB)),
        Case('"cab" with an unsorted vocabulary [b, c, a]', ("cab", ["b", "c", "a"])),
        Case('"bad" with the vocabulary a, b, c, d, e (c and e unused)', ("bad", ["a", "b", "c", "d", "e"])),
        Case("one character", ("a", ["a", "b"])),
        # the docstring promises an error for a character outside the vocabulary: a silent answer is wrong
        Case(
            '"bed" with the vocabulary b, e (no d)',
            ("bed", ["b", "e"]),
            raises=(KeyError, ValueError),
        ),
    ]


register(
    Exercise(
        id="ch03.encode",
        title="Text to ids",
        difficulty=1,
        minutes=5,
        hint="Build a dict from each character to its position in `vocab` (`enumerate` gives both), then look up "
        "every character of the text in it.",
        reference=encode,
        cases=_encode_cases,
        mistakes=[
            Mistake(
                "ids start at 0: the first character of the vocabulary has id 0, not 1 (off by one).",
                lambda text, vocab: [vocab.index(char) + 1 for char in text],
            ),
            Mistake(
                "an id is the character's position in `vocab`, not its Unicode number (`ord`).",
                lambda text, vocab: [ord(char) for char in text],
            ),
            Mistake(
                "use the order of `vocab` as it is given; do not sort it again.",
                lambda text, vocab: [sorted(vocab).index(char) for char in text],
            ),
            Mistake(
                "look the characters up in the `vocab` you are given, not in a vocabulary built from `text` "
                "(the text need not hold every character of the vocabulary).",
                lambda text, vocab: [char_vocab(text).index(char) for char in text],
            ),
            Mistake(
                "`dict.get(char)` gives None for a character that is not in the vocabulary, and the None slips "
                "into the ids: look it up with `char_to_id[char]`, which raises a KeyError, or raise one yourself.",
                lambda text, vocab: [{c: i for i, c in enumerate(vocab)}.get(char) for char in text],
            ),
            Mistake(
                "a character that is not in the vocabulary must raise an error (a KeyError), not be skipped: "
                "skipping it silently changes the text.",
                lambda text, vocab: [vocab.index(char) for char in text if char in vocab],
            ),
            Mistake(
                "a character that is not in the vocabulary must raise an error (a KeyError), not get a made-up id.",
                lambda text, vocab: [vocab.index(char) if char in vocab else -1 for char in text],
            ),
        ],
    )
)


def _decode_cases() -> list[Case]:
    return [
        Case("ids [1, 0, 2, 2, 3] with the vocabulary e, h, l, o", ([1, 0, 2, 2, 3], ["e", "h", "l", "o"])),
        Case("the first line of the rhyme, encoded", (encode(RHYME_LINE, RHYME_VOCAB), RHYME_VOCAB)),
        Case("ids [0, 1, 2, 3] with an unsorted vocabulary [d, b, a, c]", ([0, 1, 2, 3], ["d", "b", "a", "c"])),
        Case("ids in a numpy array", (np.array([2, 0, 1]), ["b", "c", "a"])),
        Case("ids in a torch tensor", (torch.tensor([0, 1, 1, 0]), ["a", "b"])),
        Case(
            "ids [0, 3] with a vocabulary of 3 characters (3 is past the end)",
            ([0, 3], ["a", "b", "c"]),
            raises=(IndexError, ValueError, KeyError),
        ),
    ]


def _same_text(got: Any, want: str) -> str | None:
    """Compare texts, and name a list of characters (a forgotten join) as such."""
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if not isinstance(got, str):
        return f"expected the string {want!r}, got {describe(got)}: return one string, glued with `''.join(...)`"
    return None if got == want else f"expected {want!r}, got {got!r}"


register(
    Exercise(
        id="ch03.decode",
        title="Ids back to text",
        difficulty=1,
        minutes=4,
        hint="Id `i` is the character `vocab[i]`; collect them in a list and glue them with `''.join(...)`. "
        "`int(i)` turns a numpy or torch number into a plain one.",
        reference=decode,
        cases=_decode_cases,
        compare=_same_text,
        mistakes=[
            Mistake(
                "glue the characters with `''.join`, with nothing between them: you added separators.",
                lambda ids, vocab: " ".join(vocab[int(i)] for i in ids),
            ),
            Mistake(
                "id `i` is `vocab[i]`: ids start at 0, so do not subtract 1 (off by one).",
                lambda ids, vocab: "".join(vocab[int(i) - 1] for i in ids),
            ),
            Mistake(
                "use the order of `vocab` as it is given; do not sort it again.",
                lambda ids, vocab: "".join(sorted(vocab)[int(i)] for i in ids),
            ),
            Mistake(
                "return after the loop, once every id is decoded: a `return` inside the loop stops at the first "
                "character.",
                lambda ids, vocab: vocab[int(ids[0])],
            ),
            Mistake(
                "decode every id, repeats included and in their order: a `set` loses both.",
                lambda ids, vocab: "".join(vocab[int(i)] for i in sorted(set(int(i) for i in ids))),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch03.one_hot


def _one_hot_cases() -> list[Case]:
    return [
        Case("ids [2, 0, 1] with vocab_size 4", ([2, 0, 1], 4)),
        Case("one id, 3, with vocab_size 5", ([3], 5)),
        Case("a numpy array of ids of shape (2, 3) with vocab_size 6", (np.array([[0, 5, 2], [4, 4, 1]]), 6)),
        Case("a tensor of ids [1, 1, 0] with vocab_size 2", (torch.tensor([1, 1, 0]), 2)),
    ]


def _same_float_tensor(got: Any, want: torch.Tensor) -> str | None:
    """Compare values, and ask for a float32 tensor: the network that reads one-hot vectors takes nothing else."""
    if isinstance(got, torch.Tensor) and got.dtype != torch.float32:
        problem = same_values(got, want)
        if problem:
            return problem
        if got.dtype.is_floating_point:  # float64, from np.eye or torch.from_numpy: nn.Linear refuses it
            return (
                f"the values are right but the tensor holds {got.dtype}: the network's weights are float32 and "
                f"refuse other floats, add `.float()`"
            )
        return f"the values are right but the tensor holds {got.dtype}: a network needs floats, add `.float()`"
    if got is not None and not isinstance(got, torch.Tensor):
        problem = same_values(got, want)
        return problem or f"the values are right, but return a torch tensor (got {type(got).__name__}): use `torch.eye`"
    return same_values(got, want)


def _as_ids(ids: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(ids)).long()


register(
    Exercise(
        id="ch03.one_hot",
        title="One-hot vectors",
        difficulty=2,
        minutes=8,
        hint="Row `i` of the identity matrix `torch.eye(vocab_size)` is the one-hot vector of id `i`, and indexing "
        "a tensor with a tensor of ids picks those rows (the result keeps the shape of the ids, plus one axis).",
        reference=one_hot,
        cases=_one_hot_cases,
        compare=_same_float_tensor,
        mistakes=[
            Mistake(
                "the 1 of id `i` goes at position `i`; positions start at 0, so do not shift it (off by one).",
                lambda ids, vocab_size: torch.eye(vocab_size)[_as_ids(ids) - 1],
            ),
            Mistake(
                "one row per id and one column per character of the vocabulary: the shape is "
                "(number of ids, vocab_size), not the transpose (pick rows of the identity, not columns).",
                lambda ids, vocab_size: torch.eye(vocab_size)[:, _as_ids(ids)],
            ),
            Mistake(
                "each vector has exactly vocab_size entries, one per id from 0 to vocab_size - 1.",
                lambda ids, vocab_size: torch.eye(vocab_size + 1)[_as_ids(ids)],
            ),
            Mistake(
                "each vector has vocab_size entries, however large the largest id in `ids` is: "
                "`F.one_hot(ids)` alone makes them only `ids.max() + 1` long, pass `num_classes=vocab_size`.",
                lambda ids, vocab_size: torch.nn.functional.one_hot(_as_ids(ids)).float(),
            ),
            Mistake(
                "keep the shape of `ids`: a (2, 3) array of ids gives a (2, 3, vocab_size) result, not a flat list "
                "of vectors.",
                lambda ids, vocab_size: torch.eye(vocab_size)[_as_ids(ids).flatten()],
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch03.sliding_windows


def _window_cases() -> list[Case]:
    rng = np.random.default_rng(3)
    return [
        Case("ids [5, 6, 7, 8] with context 2", ([5, 6, 7, 8], 2)),
        Case("ids 0 to 9 with context 3", (list(range(10)), 3)),
        Case("the rhyme's first line, encoded, with context 8", (encode(RHYME_LINE, RHYME_VOCAB), 8)),
        Case("two ids with context 1 (exactly one example)", ([4, 2], 1)),
        Case("30 random ids in a numpy array with context 5", (rng.integers(0, 9, 30), 5)),
    ]


def _windows(ids: Any, context: int, first: int, count: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` windows of ``width`` ids starting at 0, 1, ..., and targets from ``ids[first]`` on: the reference
    is ``first = width = context`` and ``count = len(ids) - context``; the mistakes shift one of them."""
    ids = np.asarray(ids)
    inputs = np.stack([ids[start : start + width] for start in range(count)])
    return inputs, ids[first : first + count]


def _shifted_windows(ids: Any, context: int) -> tuple[np.ndarray, np.ndarray]:
    """Targets as whole windows shifted by one, as a GPT trains: not what this exercise asks."""
    ids = np.asarray(ids)
    starts = range(len(ids) - context)
    return np.stack([ids[i : i + context] for i in starts]), np.stack([ids[i + 1 : i + context + 1] for i in starts])


def _jumping_windows(ids: Any, context: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows side by side, each starting where the one before ended, instead of one id further on."""
    ids = np.asarray(ids)
    starts = range(0, len(ids) - context, context)
    return np.stack([ids[i : i + context] for i in starts]), ids[[i + context for i in starts]]


register(
    Exercise(
        id="ch03.sliding_windows",
        title="Training examples by a sliding window",
        difficulty=2,
        minutes=10,
        hint="The window starts at 0, 1, 2, ... and stops when its target would run past the end: that is "
        "`len(ids) - context` starts. Example `i` is `ids[i : i + context]` with target `ids[i + context]`.",
        reference=sliding_windows,
        cases=_window_cases,
        mistakes=[
            Mistake(
                "the target is the id right after the window, `ids[i + context]`, not the last id inside it.",
                lambda ids, c: _windows(ids, c, c - 1, len(ids) - c, c),
            ),
            Mistake(
                "the target is the id right after the window, `ids[i + context]`: yours is one further on.",
                lambda ids, c: _windows(ids, c, c + 1, len(ids) - c - 1, c),
            ),
            Mistake(
                "a window holds `context` ids, `ids[i : i + context]`: yours holds one more, so it includes "
                "its own target.",
                lambda ids, c: _windows(ids, c, c, len(ids) - c - 1, c + 1),
            ),
            Mistake(
                "the window can start at `len(ids) - context` places (0 up to `len(ids) - context - 1`): you "
                "stopped one early and lost the last example.",
                lambda ids, c: _windows(ids, c, c, len(ids) - c - 1, c),
            ),
            Mistake(
                "the last window, `ids[-context:]`, has no id after it, so it is no example: there are "
                "`len(ids) - context` windows, one per target, not `len(ids) - context + 1`.",
                lambda ids, c: _windows(ids, c, c, len(ids) - c + 1, c),
            ),
            Mistake(
                "the window moves on by one id at a time, not by a whole window: windows overlap, and every id "
                "after the first `context` is the target of one example.",
                _jumping_windows,
            ),
            Mistake(
                "`targets[i]` is the single id right after window `i`, so `targets` has one id per example; yours "
                "holds a whole window shifted by one (chapter 10's GPT trains that way, this model does not).",
                _shifted_windows,
            ),
            Mistake(
                "return the pair in the order `(inputs, targets)`: the windows first, then the id after each.",
                lambda ids, c: sliding_windows(ids, c)[::-1],
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch03.bigram_counts


def _counts_cases() -> list[Case]:
    rng = np.random.default_rng(4)
    return [
        Case("ids [0, 1, 1, 2, 0, 1] with vocab_size 3", ([0, 1, 1, 2, 0, 1], 3)),
        Case("the rhyme's first line, encoded", (encode(RHYME_LINE, RHYME_VOCAB), len(RHYME_VOCAB))),
        Case("500 random ids in a numpy array with vocab_size 6", (rng.integers(0, 6, 500), 6)),
        Case("two ids with vocab_size 4 (one pair)", ([3, 0], 4)),
        Case("ids [1, 0, 1] with vocab_size 4 (ids 2 and 3 never occur)", ([1, 0, 1], 4)),
    ]


def _counts_once_per_distinct_pair(ids: Any, vocab_size: int) -> np.ndarray:
    ids = np.asarray(ids)
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    counts[ids[:-1], ids[1:]] += 1  # the classic slip: a repeated index pair is incremented only once
    return counts


def _counts_two_at_a_time(ids: Any, vocab_size: int) -> np.ndarray:
    """The pairs (ids[0], ids[1]), (ids[2], ids[3]), ...: a step of two misses every other pair."""
    ids = np.asarray(ids)
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    np.add.at(counts, (ids[0:-1:2], ids[1::2]), 1)
    return counts


register(
    Exercise(
        id="ch03.bigram_counts",
        title="Counting pairs of neighbours",
        difficulty=2,
        minutes=10,
        hint="Start from `np.zeros((vocab_size, vocab_size), dtype=np.int64)`; each pair `(ids[t], ids[t + 1])` "
        "adds 1 to `counts[ids[t], ids[t + 1]]`. A loop is fine for small inputs; `np.add.at(counts, (ids[:-1], "
        "ids[1:]), 1)` does all pairs at once.",
        reference=bigram_counts,
        cases=_counts_cases,
        mistakes=[
            Mistake(
                "rows are the current id and columns the next one: `counts[a, b]` counts `b` following `a`. Yours is "
                "transposed.",
                lambda ids, v: bigram_counts(ids, v).T,
            ),
            Mistake(
                "a pair that occurs several times was counted once: `counts[ids[:-1], ids[1:]] += 1` with arrays of "
                "indices adds 1 only once per distinct pair. Use `np.add.at(counts, (ids[:-1], ids[1:]), 1)` or a "
                "loop.",
                _counts_once_per_distinct_pair,
                loop_advice="a pair that occurs several times was counted once: in the loop, add 1 to the count "
                "(`counts[a, b] += 1`) rather than setting it to 1 (`counts[a, b] = 1`).",
            ),
            Mistake(
                "there are `len(ids) - 1` pairs, from `(ids[0], ids[1])` to `(ids[-2], ids[-1])`: you missed the last "
                "one.",
                lambda ids, v: bigram_counts(np.asarray(ids)[:-1], v) if len(ids) > 2 else np.zeros((v, v), int),
            ),
            Mistake(
                "the text does not wrap around: the last id has no next id, so do not pair it with the first "
                "(`np.roll` does that).",
                lambda ids, v: bigram_counts(list(ids) + [ids[0]], v),
            ),
            Mistake(
                "pairs overlap: every id but the first and the last is the second id of one pair and the first of "
                "the next, so step through the ids one at a time, not two.",
                _counts_two_at_a_time,
            ),
            Mistake(
                "the table is `vocab_size` by `vocab_size` whichever ids occur: an id that never occurs still has its "
                "row and column, of zeros. Take the size from `vocab_size`, not from the largest id.",
                lambda ids, v: bigram_counts(ids, int(np.max(ids)) + 1),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch03.sample_next: a random draw, checked by its frequencies rather than draw by draw

DRAWS = 3000
MAX_DEVIATION = 5.0  # standard errors from a uniform share that a draw's counts must leave to count as non-uniform
FALSE_ALARM = 1e-7
"""The chance that one id's count of a right answer falls outside its bounds: with at most ten ids checked, a
right answer fails less than once in a million runs."""


def _count_bounds(draws: int, probability: float) -> tuple[int, int]:
    """The fewest and most times an id of ``probability`` may come up in ``draws`` right draws: the exact
    binomial quantiles at ``FALSE_ALARM / 2`` on either side (exact for rare ids too, where a normal bound is
    not)."""
    low = int(scipy.stats.binom.ppf(FALSE_ALARM / 2, draws, probability))
    high = int(scipy.stats.binom.isf(FALSE_ALARM / 2, draws, probability))
    return low, high


def _draw_many(learner_fn: Callable[..., Any], probabilities: torch.Tensor, seed: int, count: int) -> list[int]:
    """``count`` draws with one generator seeded ``seed``, each validated as an id of ``probabilities``."""
    generator = torch.Generator().manual_seed(seed)
    first = call_learner(learner_fn, Case("a first draw", (probabilities.clone(), generator)))
    draws = []
    for index in range(count):
        # call_learner copies its inputs, which would copy the generator too and repeat one draw: call directly
        drawn = first if index == 0 else _draw_once(learner_fn, probabilities, generator, index)
        draws.append(_as_id(drawn, len(probabilities)))
    return draws


def _draw_once(learner_fn: Callable[..., Any], probabilities: torch.Tensor, generator: torch.Generator, index: int):
    # not on copies: a copy of the generator would repeat one draw over and over
    case = Case(f"draw {index + 1}", (probabilities.clone(), generator))
    return call_learner(learner_fn, case, copy_inputs=False, check_inputs=False)


def _as_id(drawn: Any, vocab_size: int) -> int:
    if drawn is None:
        raise CheckFailed("it returned None: did you forget the `return` statement?")
    if isinstance(drawn, bool) or not isinstance(drawn, (int, np.integer)):
        raise CheckFailed(
            f"it returned {describe(drawn)}; return the id as a plain Python int (a one-element tensor's `.item()` "
            f"gives it)."
        )
    if not 0 <= drawn < vocab_size:
        raise CheckFailed(
            f"it drew the id {drawn}, but with {vocab_size} probabilities the ids run from 0 to {vocab_size - 1}: "
            f"are your ids off by one?"
        )
    return int(drawn)


def _check_sample_next(learner_fn: Callable[..., Any]) -> None:
    probabilities = torch.tensor([0.1, 0.5, 0.0, 0.25, 0.15])
    vocab_size = len(probabilities)
    draws = _draw_many(learner_fn, probabilities, seed=0, count=DRAWS)
    counts = np.bincount(draws, minlength=vocab_size)
    shares = counts / DRAWS
    described = f"probabilities {[round(p, 2) for p in probabilities.tolist()]}"

    if len(set(draws)) == 1:
        fresh_generator = (
            "a generator made or seeded inside `sample_next` starts afresh on every call and repeats its first "
            "draw: use the `generator` passed in, which moves on with every draw"
        )
        if draws[0] == int(probabilities.argmax()):
            raise CheckFailed(
                f"with {described}, all {DRAWS} draws gave the id {draws[0]}, the most likely one. Always taking "
                f"the most likely id is argmax (greedy), not sampling: draw at random so that each id comes up as "
                f"often as its probability says, e.g. with `torch.multinomial(probabilities, 1, "
                f"generator=generator)`. (If you did draw at random: {fresh_generator}.)"
            )
        raise CheckFailed(f"with {described}, all {DRAWS} draws gave the id {draws[0]}: {fresh_generator}.")
    uniform_spread = MAX_DEVIATION * math.sqrt(DRAWS * (1 / vocab_size) * (1 - 1 / vocab_size))
    if np.all(np.abs(counts - DRAWS / vocab_size) < uniform_spread):
        raise CheckFailed(
            f"with {described}, every id came up about equally often ({shares.round(2).tolist()} of {DRAWS} "
            f"draws): you sampled uniformly. Draw each id with its own probability, e.g. with `torch.multinomial`."
        )
    for token_id, (share, probability) in enumerate(zip(shares, probabilities.tolist(), strict=True)):
        if probability == 0 and counts[token_id]:
            raise CheckFailed(
                f"with {described}, it drew the id {token_id} {counts[token_id]} times, but its probability is 0 "
                f"(are your ids off by one?)."
            )
        low, high = _count_bounds(DRAWS, probability)
        if not low <= counts[token_id] <= high:
            raise CheckFailed(
                f"with {described}, the id {token_id} came up in {share:.1%} of {DRAWS} draws, but its probability "
                f"is {probability:.0%}: each id must come up as often as its probability says (all shares: "
                f"{shares.round(3).tolist()})."
            )

    certain = torch.tensor([0.0, 0.0, 1.0, 0.0])
    certain_draws = _draw_many(learner_fn, certain, seed=1, count=50)
    if set(certain_draws) != {2}:
        wrong = next(d for d in certain_draws if d != 2)
        raise CheckFailed(
            f"with probabilities [0, 0, 1, 0] the id 2 is certain, but it drew {wrong}"
            + (" (are your ids off by one?)." if abs(wrong - 2) == 1 else ".")
        )

    first_run = _draw_many(learner_fn, probabilities, seed=123, count=60)
    second_run = _draw_many(learner_fn, probabilities, seed=123, count=60)
    if first_run != second_run:
        raise CheckFailed(
            "two generators seeded the same gave different draws, so the randomness did not come from `generator`. "
            "Pass it on: `torch.multinomial(probabilities, 1, generator=generator)` or "
            "`torch.rand(1, generator=generator)`."
        )


register(
    Exercise(
        id="ch03.sample_next",
        title="Drawing the next character",
        difficulty=2,
        minutes=10,
        hint="`torch.multinomial(probabilities, num_samples=1, generator=generator)` draws one id with the given "
        "probabilities and returns a tensor holding it; `.item()` turns that into an int. (By hand: draw "
        "`u = torch.rand(1, generator=generator)` and return the first id where the running total of the "
        "probabilities, `torch.cumsum`, passes `u`.)",
        reference=sample_next,
        custom=_check_sample_next,
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch03.bigram_nll


def _nll_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    hand = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25], [0.8, 0.1, 0.1]])
    random_rows = rng.dirichlet(np.ones(6), size=6)
    return [
        Case("a 3x3 table of probabilities and ids [0, 1, 2, 0]", (hand, [0, 1, 2, 0])),
        Case("a 3x3 table and ids [2, 2, 1, 0, 0] in a numpy array", (hand, np.array([2, 2, 1, 0, 0]))),
        Case("random rows over 6 ids and 200 random ids", (random_rows, rng.integers(0, 6, 200))),
        # the docstring promises infinity for a pair the model calls impossible (`math.log(0)` raises instead)
        Case(
            "a table in which the pair (0, 1) has probability 0, and ids [0, 1, 0]",
            (np.array([[0.5, 0.0, 0.5], [0.5, 0.25, 0.25], [0.8, 0.1, 0.1]]), [0, 1, 0]),
        ),
    ]


register(
    Exercise(
        id="ch03.bigram_nll",
        title="Average negative log-likelihood",
        difficulty=2,
        minutes=8,
        hint="`probabilities[ids[:-1], ids[1:]]` picks, for every pair, the probability the model gave to the id "
        "that came next. Take `-np.log` of each and then the mean.",
        reference=bigram_nll,
        cases=_nll_cases,
        mistakes=[
            Mistake(
                "the negative log-likelihood has a minus sign: log of a probability is negative, and the loss "
                "should be positive.",
                lambda p, ids: -bigram_nll(p, ids),
            ),
            Mistake(
                "take the mean over the pairs, not the sum: the number should not grow with the length of the text.",
                lambda p, ids: bigram_nll(p, ids) * (len(ids) - 1),
            ),
            Mistake(
                "rows are the current id and columns the next: index `probabilities[ids[t], ids[t + 1]]`; you "
                "swapped them.",
                # computed here: bigram_nll itself refuses a table whose rows do not add up to 1
                lambda p, ids: float(-np.mean(np.log(np.asarray(p).T[np.asarray(ids)[:-1], np.asarray(ids)[1:]]))),
            ),
            Mistake(
                "there are `len(ids) - 1` pairs, one prediction each: divide the sum by `len(ids) - 1`, not by "
                "`len(ids)` (`np.mean` over the pairs does it for you).",
                lambda p, ids: bigram_nll(p, ids) * (len(ids) - 1) / len(ids),
            ),
            Mistake(
                "use the natural log, `np.log`, as torch's cross-entropy does; you used log base 2 (bits).",
                lambda p, ids: bigram_nll(p, ids) / math.log(2),
            ),
            Mistake(
                "use the natural log, `np.log`, as torch's cross-entropy does; you used log base 10.",
                lambda p, ids: bigram_nll(p, ids) / math.log(10),
            ),
            Mistake(
                "pick one number per pair, with both index arrays inside one pair of brackets: "
                "`probabilities[ids[:-1], ids[1:]]`. `probabilities[ids[:-1]]` picks whole rows, and a second "
                "`[ids[1:]]` picks rows of those rows again.",
                lambda p, ids: float(-np.mean(np.log(np.asarray(p)[np.asarray(ids)[:-1]][np.asarray(ids)[1:]]))),
            ),
            Mistake(
                "pick one number per pair, `probabilities[ids[:-1], ids[1:]]`: you took the log of whole rows "
                "`probabilities[ids[:-1]]`, every next id and not only the one that came.",
                lambda p, ids: float(-np.mean(np.log(np.asarray(p)[np.asarray(ids)[:-1]]))),
            ),
            Mistake(
                "the text does not wrap around: the last id has no next id, so do not pair it with the first "
                "(`np.roll` does that).",
                lambda p, ids: bigram_nll(p, list(ids) + [ids[0]]),
            ),
            Mistake(
                "take the log of each probability, then average; you took the log of the average probability.",
                lambda p, ids: float(-np.log(np.mean(np.asarray(p)[np.asarray(ids)[:-1], np.asarray(ids)[1:]]))),
            ),
        ],
    )
)


# ----------------------------------------------------------------------------------------------------------------
# ch03.bigram_logits


def _logits_cases() -> list[Case]:
    generator = torch.Generator().manual_seed(31)
    # every weight requires gradients, as a layer's does: the logits must stay connected to it for training
    return [
        Case(
            "ids [0, 2, 1, 2] and a 3x3 weight [[1, 2, 3], [4, 5, 6], [7, 8, 9]] (float32, requires_grad)",
            (
                torch.tensor([0, 2, 1, 2]),
                torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], requires_grad=True),
            ),
        ),
        Case(
            "8 random ids with vocabulary size 5 and a random weight",
            (torch.randint(0, 5, (8,), generator=generator), torch.randn(5, 5, generator=generator).requires_grad_()),
        ),
        Case(
            "the single id 3 with vocabulary size 4",
            (torch.tensor([3]), torch.randn(4, 4, generator=generator).requires_grad_()),
        ),
        Case(
            "30 random ids with vocabulary size 65, as for Shakespeare",
            (
                torch.randint(0, 65, (30,), generator=generator),
                torch.randn(65, 65, generator=generator).requires_grad_(),
            ),
        ),
    ]


def _same_logits(got: Any, want: torch.Tensor) -> str | None:
    """The same numbers, and, where the reference's logits carry gradients to the weight, the learner's too."""
    problem = same_values(got, want)
    if problem:
        return problem
    if want.requires_grad and not (isinstance(got, torch.Tensor) and got.requires_grad):
        return (
            "the numbers are right, but they are cut off from `weight`: training needs the gradients of the logits, "
            "so compute them with torch from `weight` itself (no `.numpy()`, `.detach()`, `.tolist()` or "
            "`torch.tensor(...)` on the way)"
        )
    return None


def _one_hot_rows(ids: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    return one_hot(ids, weight.shape[1])


register(
    Exercise(
        id="ch03.bigram_logits",
        title="The bigram model as a network: one-hot times a weight matrix",
        difficulty=2,
        minutes=10,
        hint="Turn the ids into one-hot vectors with your `one_hot(ids, V)` (V is `weight.shape[1]`), then multiply "
        "by the layer's weight as `torch.nn.Linear` does: `one_hots @ weight.T`.",
        reference=bigram_logits,
        cases=_logits_cases,
        compare=_same_logits,
        mistakes=[
            Mistake(
                "the weight matrix is transposed: torch.nn.Linear stores one row per output, so the layer computes "
                "`one_hots @ weight.T` (you multiplied by `weight` itself).",
                lambda ids, w: _one_hot_rows(ids, w) @ w,
            ),
            Mistake(
                "return the scores (logits) themselves: the softmax that turns them into probabilities comes later, "
                "inside the cross-entropy loss.",
                lambda ids, w: torch.softmax(_one_hot_rows(ids, w) @ w.T, dim=-1),
            ),
            Mistake(
                "return the scores (logits) themselves, not their log-softmax: the cross-entropy loss takes the "
                "raw scores and does that itself.",
                lambda ids, w: torch.log_softmax(_one_hot_rows(ids, w) @ w.T, dim=-1),
            ),
            Mistake(
                "the logits are the raw scores `one_hots @ weight.T`; do not exponentiate them (exponentiating is "
                "the first half of softmax).",
                lambda ids, w: torch.exp(_one_hot_rows(ids, w) @ w.T),
            ),
            Mistake(
                "return a score for every possible next id, shape (n, V), not only the most likely id.",
                lambda ids, w: (_one_hot_rows(ids, w) @ w.T).argmax(dim=-1),
            ),
            Mistake(
                "every id gets its row of scores, the last one too: you left one id out (the targets are "
                "dropped elsewhere, not here).",
                lambda ids, w: _one_hot_rows(ids[:-1], w) @ w.T,
            ),
            Mistake(
                "there is no bias in this layer and nothing to add: the logits are exactly `one_hots @ weight.T`.",
                lambda ids, w: _one_hot_rows(ids, w) @ w.T + 1,
            ),
        ],
    )
)
