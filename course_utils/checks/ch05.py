"""Exercises of chapter 05, dot products.

The inputs are chosen so that the listed mistakes give answers different from the reference and from each other:
directions whose length is neither 0 nor 1 (a forgotten division shows), word vectors of unequal lengths (a
cosine differs from a projection), vectors that point away from a direction (a lost sign shows), and a square
unembedding before the non-square ones (a transposed matrix gives wrong numbers there instead of crashing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from course_utils.checks.core import Case, Exercise, Mistake, register
from course_utils.solutions import ch05 as solutions

# ----------------------------------------------------------------------------------------------------------------
# ch05.dot


def _dot_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    return [
        Case("a = [1, 2, 3] and b = [4, -5, 6]", ([1.0, 2.0, 3.0], [4.0, -5.0, 6.0])),
        Case("two numpy vectors of length 4", (np.array([0.5, -1.0, 2.0, 3.0]), np.array([2.0, 2.0, -1.5, 1.0]))),
        Case("two random vectors of length 7", (rng.normal(size=7), rng.normal(size=7))),
        Case("vectors of length 1, [3] and [-2]", (np.array([3.0]), np.array([-2.0]))),
        Case("two perpendicular vectors, [2, 1] and [-1, 2]", (np.array([2.0, 1.0]), np.array([-1.0, 2.0]))),
        Case("two torch tensors of length 3", (torch.tensor([1.0, 0.0, -2.0]), torch.tensor([3.0, 4.0, 0.5]))),
        Case("vectors of different lengths, [1, 2, 3] and [4, 5]", ([1.0, 2.0, 3.0], [4.0, 5.0]), raises=(ValueError,)),
    ]


def _floats(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both vectors as float arrays; a mistake is not computed for vectors of different lengths (they raise)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("different lengths")
    return a, b


def _products_only(a: Any, b: Any) -> np.ndarray:
    a, b = _floats(a, b)
    return a * b


def _sum_of_sums(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.sum(a) + np.sum(b))


def _without_last_pair(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.sum(a[:-1] * b[:-1]))


def _mean_of_products(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.mean(a * b))


def _product_of_sums(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.sum(a) * np.sum(b))


def _truncated_by_zip(a: Any, b: Any) -> float:
    return float(sum(float(x) * float(y) for x, y in zip(a, b)))  # noqa: B905 - the mistake is the silent zip


def _last_product_only(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(a[-1] * b[-1])


def _first_product_only(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(a[0] * b[0])


def _without_first_pair(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.sum(a[1:] * b[1:]))


def _sum_of_sizes(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.sum(np.abs(a * b)))


def _product_of_lengths(a: Any, b: Any) -> float:
    a, b = _floats(a, b)
    return float(np.linalg.norm(a) * np.linalg.norm(b))


register(
    Exercise(
        id="ch05.dot",
        title="The dot product, by hand",
        difficulty=1,
        minutes=5,
        hint="Start a total at 0; for each position i, add a[i] * b[i] to it; return the total. "
        "`for x, y in zip(a, b)` walks the pairs.",
        reference=solutions.dot,
        cases=_dot_cases,
        mistakes=[
            Mistake(
                "you multiplied the pairs but did not add the products up: the dot product is one number, "
                "the sum of the products.",
                _products_only,
            ),
            Mistake(
                "you added the entries without multiplying them pair by pair: multiply a[i] by b[i] first, "
                "then add those products.",
                _sum_of_sums,
            ),
            Mistake(
                "the last pair is missing: `range(len(a))` runs over every position (0 to len(a) - 1); "
                "`range(len(a) - 1)` stops one early.",
                _without_last_pair,
            ),
            Mistake(
                "the first pair is missing: positions start at 0, so loop over `range(len(a))`, not "
                "`range(1, len(a))`.",
                _without_first_pair,
            ),
            Mistake(
                "only the last product is left: `total = a[i] * b[i]` replaces the total each time; add to it "
                "with `total += a[i] * b[i]`.",
                _last_product_only,
            ),
            Mistake(
                "only the first pair was counted: is your `return` inside the loop? Return the total after the "
                "loop has been over every pair.",
                _first_product_only,
            ),
            Mistake(
                "keep the sign of each product: a negative product lowers the total (no `abs`).",
                _sum_of_sizes,
            ),
            Mistake(
                "that is the mean of the products; the dot product is their sum (do not divide by the length).",
                _mean_of_products,
            ),
            Mistake(
                "you multiplied the two sums; multiply pair by pair first, then add the products.",
                _product_of_sums,
            ),
            Mistake(
                "that is the product of the two lengths, |a| |b|: the dot product also depends on the angle "
                "between them, it is the sum of a[i] * b[i].",
                _product_of_lengths,
            ),
            Mistake(
                "`zip` stops at the end of the shorter vector, so vectors of different lengths give a number "
                "instead of an error: compare `len(a)` and `len(b)` first and raise a ValueError if they differ "
                "(or use `zip(a, b, strict=True)`).",
                _truncated_by_zip,
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch05.project


def _project_cases() -> list[Case]:
    rng = np.random.default_rng(6)
    return [
        Case("v = [3, 4] onto the direction [2, 0] (length 2)", (np.array([3.0, 4.0]), np.array([2.0, 0.0]))),
        Case(
            "v = [-2, 1, 1], which points away from the direction [3, 0, 4] (length 5)",
            (np.array([-2.0, 1.0, 1.0]), np.array([3.0, 0.0, 4.0])),
        ),
        Case("a random v of length 10 onto a random direction", (rng.normal(size=10), 3 * rng.normal(size=10))),
        Case("v perpendicular to the direction", (np.array([0.0, 5.0]), np.array([7.0, 0.0]))),
        Case("v = [1, 1] onto a direction of length 1", (np.array([1.0, 1.0]), np.array([0.6, 0.8]))),
        Case("the zero direction [0, 0]", (np.array([1.0, 2.0]), np.array([0.0, 0.0])), raises=(ValueError,)),
    ]


def _length(x: Any) -> float:
    return float(np.linalg.norm(np.asarray(x, dtype=np.float64)))


def _plain_dot(v: Any, d: Any) -> float:
    return float(np.dot(v, d))


register(
    Exercise(
        id="ch05.project",
        title="Projection onto a direction",
        difficulty=1,
        minutes=8,
        hint="Take the dot product of v and direction, then divide by the length of direction, "
        "`np.sqrt(dot(direction, direction))`. Keep the sign.",
        reference=solutions.project,
        cases=_project_cases,
        mistakes=[
            Mistake(
                "divide the dot product by the length of the direction: otherwise a longer direction gives a "
                "bigger answer for the same v.",
                _plain_dot,
            ),
            Mistake(
                "divide by the length of the direction |d|, not by its square |d|² (dividing by |d|² gives how "
                "many copies of d fit, not a length).",
                lambda v, d: float(np.dot(v, d) / _length(d) ** 2),
            ),
            Mistake(
                "that is the cosine similarity (you also divided by |v|): the projection keeps v's length, "
                "divide by the length of the direction only.",
                lambda v, d: float(np.dot(v, d) / (_length(v) * _length(d))),
            ),
            Mistake(
                "divide by the length of the direction, not by the length of v.",
                lambda v, d: float(np.dot(v, d) / _length(v)),
            ),
            Mistake(
                "divide by the length of the direction as an arrow, |d| = sqrt(d · d), not by the number of its "
                "entries, len(d).",
                lambda v, d: float(np.dot(v, d) / len(d)),
            ),
            Mistake(
                "square the entries before adding them: |d| = sqrt(d[0]² + d[1]² + ...), not sqrt(d[0] + d[1] + ...).",
                lambda v, d: float(np.dot(v, d) / np.sqrt(np.sum(np.asarray(d, dtype=np.float64)))),
            ),
            Mistake(
                "keep the sign: a vector that points away from the direction has a negative projection.",
                lambda v, d: abs(float(np.dot(v, d) / _length(d))),
            ),
            Mistake(
                "return one number, the signed length along the direction, not the projected vector itself.",
                lambda v, d: np.dot(v, d) / _length(d) ** 2 * np.asarray(d, dtype=np.float64),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch05.direction and ch05.direction_scores

WORDS = ["man", "woman", "king", "queen", "boy", "girl", "crown", "sword"]


def _word_vectors(seed: int, d: int) -> np.ndarray:
    """Random word vectors whose lengths differ a lot (as real ones do), so that normalising them changes things."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(WORDS), d))
    return vectors * rng.uniform(0.3, 4.0, size=(len(WORDS), 1))


def _direction_cases() -> list[Case]:
    return [
        Case(
            "two pairs, man -> woman and king -> queen, in 4 dimensions",
            (_word_vectors(1, 4), WORDS, [("man", "woman"), ("king", "queen")]),
        ),
        Case(
            "three pairs in 6 dimensions",
            (_word_vectors(2, 6), WORDS, [("man", "woman"), ("king", "queen"), ("boy", "girl")]),
        ),
        Case("one pair, boy -> girl, in 3 dimensions", (_word_vectors(3, 3), WORDS, [("boy", "girl")])),
        Case(
            "pairs given as lists, in 5 dimensions",
            (_word_vectors(4, 5), WORDS, [["king", "queen"], ["man", "woman"], ["crown", "sword"]]),
        ),
        Case(
            "a pair with a word not in the vocabulary, ('king', 'queene')",
            (_word_vectors(1, 4), WORDS, [("man", "woman"), ("king", "queene")]),
            raises=(KeyError, ValueError),
        ),
        Case("no pairs at all", (_word_vectors(1, 4), WORDS, []), raises=(ValueError,)),
    ]


def _rows(vectors: np.ndarray, words: list[str], chosen: list[str]) -> np.ndarray:
    return np.asarray(vectors, dtype=np.float64)[[list(words).index(word) for word in chosen]]


def _differences(vectors: np.ndarray, words: list[str], pairs: list) -> np.ndarray:
    return _rows(vectors, words, [b for _, b in pairs]) - _rows(vectors, words, [a for a, _ in pairs])


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


register(
    Exercise(
        id="ch05.direction",
        title="A direction from pairs of words",
        difficulty=2,
        minutes=12,
        hint="For each pair (a, b), find the rows of a and b (`words.index(a)`), subtract: vector(b) - vector(a). "
        "Average the differences (`np.mean(..., axis=0)`), then divide the average by its length.",
        reference=solutions.direction,
        cases=_direction_cases,
        mistakes=[
            Mistake(
                "divide the average by its length, so that the direction has length 1.",
                lambda vectors, words, pairs: np.mean(_differences(vectors, words, pairs), axis=0),
            ),
            Mistake(
                "subtract the other way round: vector(b) - vector(a), so the direction points from the first word "
                "of each pair to the second (from man to woman).",
                lambda vectors, words, pairs: -_unit(np.mean(_differences(vectors, words, pairs), axis=0)),
            ),
            Mistake(
                "use the raw word vectors: normalising each word's vector first changes the differences.",
                lambda vectors, words, pairs: _unit(
                    np.mean(_differences(_unit(np.asarray(vectors, dtype=np.float64)), words, pairs), axis=0)
                ),
            ),
            Mistake(
                "average the raw differences and normalise once at the end: scaling each difference to length 1 "
                "before averaging weighs every pair the same, which is not what is asked.",
                lambda vectors, words, pairs: _unit(np.mean(_unit(_differences(vectors, words, pairs)), axis=0)),
            ),
            Mistake(
                "divide the average (or the sum) of the differences by its length, so that the direction has length 1.",
                lambda vectors, words, pairs: np.sum(_differences(vectors, words, pairs), axis=0),
            ),
            Mistake(
                "divide by the length of the average, not by its square: the direction must have length 1.",
                lambda vectors, words, pairs: (
                    np.mean(_differences(vectors, words, pairs), axis=0)
                    / np.sum(np.mean(_differences(vectors, words, pairs), axis=0) ** 2)
                ),
            ),
            Mistake(
                "use every pair, not only the first one: the average over several pairs is steadier.",
                lambda vectors, words, pairs: _unit(_differences(vectors, words, pairs[:1])[0]),
            ),
        ],
    )
)


def _scores_cases() -> list[Case]:
    vectors = _word_vectors(5, 4)
    return [
        Case(
            "three words on a direction of length 3",
            (vectors, WORDS, np.array([0.0, 3.0, 0.0, 0.0]), ["woman", "king", "sword"]),
        ),
        Case(
            "two words on a random direction of length 2.5",
            (vectors, WORDS, 2.5 * _unit(np.random.default_rng(7).normal(size=4)), ["girl", "man"]),
        ),
        Case(
            "all eight words in 6 dimensions",
            (_word_vectors(6, 6), WORDS, np.random.default_rng(8).normal(size=6), list(reversed(WORDS))),
        ),
        Case("one word on a direction of length 1", (vectors, WORDS, np.array([0.6, 0.0, -0.8, 0.0]), ["queen"])),
        Case(
            "a query word not in the vocabulary, 'quen'",
            (vectors, WORDS, np.array([1.0, 0.0, 0.0, 0.0]), ["king", "quen"]),
            raises=(KeyError, ValueError),
        ),
    ]


register(
    Exercise(
        id="ch05.direction_scores",
        title="Scoring words along a direction",
        difficulty=1,
        minutes=8,
        hint="For each query word, in order, find its row in `vectors` and `project` it onto `direction` (your "
        "function from the projection exercise); return the scores as a numpy array.",
        reference=solutions.direction_scores,
        cases=_scores_cases,
        mistakes=[
            Mistake(
                "divide by the length of the direction (use `project`): a plain dot product grows with the "
                "direction's length.",
                lambda vectors, words, d, query: _rows(vectors, words, query) @ np.asarray(d, dtype=np.float64),
            ),
            Mistake(
                "use each word's raw vector: normalising it first gives the cosine, which forgets how far the word "
                "reaches along the direction.",
                lambda vectors, words, d, query: _unit(_rows(vectors, words, query)) @ _unit(np.asarray(d, float)),
            ),
            Mistake(
                "keep the sign: words on the far side of the direction score below zero.",
                lambda vectors, words, d, query: np.abs(_rows(vectors, words, query) @ _unit(np.asarray(d, float))),
            ),
            Mistake(
                "divide by the length of the direction |d|, not by its square |d|².",
                lambda vectors, words, d, query: (
                    _rows(vectors, words, query) @ np.asarray(d, float) / np.sum(np.asarray(d, float) ** 2)
                ),
            ),
            Mistake(
                "divide by the length of the direction, not by the length of each word's vector.",
                lambda vectors, words, d, query: (
                    (_rows(vectors, words, query) @ np.asarray(d, float))
                    / np.linalg.norm(_rows(vectors, words, query), axis=1)
                ),
            ),
            Mistake(
                "find each query word's own row with `words.index(word)`: row i of `vectors` is the vector of "
                "words[i], not of query_words[i].",
                lambda vectors, words, d, query: np.asarray(vectors, float)[: len(query)] @ _unit(np.asarray(d, float)),
            ),
            Mistake(
                "your scores lost their fractions: an array made with `dtype=int` (such as `np.zeros(n, dtype=int)`) "
                "cuts each score to a whole number; use a float array.",
                lambda vectors, words, d, query: np.trunc(_rows(vectors, words, query) @ _unit(np.asarray(d, float))),
            ),
            Mistake(
                "keep the order of `query_words`: score i belongs to query_words[i] (do not sort the scores).",
                lambda vectors, words, d, query: np.sort(_rows(vectors, words, query) @ _unit(np.asarray(d, float))),
            ),
            Mistake(
                "score only the query words, one score each, not every word of the vocabulary.",
                lambda vectors, words, d, query: np.asarray(vectors, float) @ _unit(np.asarray(d, float)),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch05.unembed


def _unembed_cases() -> list[Case]:
    generator = torch.Generator().manual_seed(5)
    return [
        Case(
            "h of shape (2, 3) and a square W_U of shape (3, 3)",
            (torch.randn(2, 3, generator=generator), torch.randn(3, 3, generator=generator)),
        ),
        Case(
            "one final vector, h of shape (4,), and W_U of shape (4, 6)",
            (torch.randn(4, generator=generator), torch.randn(4, 6, generator=generator)),
        ),
        Case(
            "a batch: h of shape (2, 5, 4) and W_U of shape (4, 9)",
            (torch.randn(2, 5, 4, generator=generator), torch.randn(4, 9, generator=generator)),
        ),
        Case(
            "h of shape (3, 8) and W_U of shape (8, 2) (more dimensions than tokens)",
            (torch.randn(3, 8, generator=generator), torch.randn(8, 2, generator=generator)),
        ),
        Case(
            "a batch of one sequence, as the notebook's prompt: h of shape (1, 3, 4) and W_U of shape (4, 5)",
            (torch.randn(1, 3, 4, generator=generator), torch.randn(4, 5, generator=generator)),
        ),
    ]


register(
    Exercise(
        id="ch05.unembed",
        title="The unembedding: a logit per token",
        difficulty=1,
        minutes=6,
        hint="Each logit is a dot product of a final vector (length d) with a column of W_U (length d): "
        "`h @ W_U` takes every such dot product at once and keeps h's leading dimensions.",
        reference=solutions.unembed,
        cases=_unembed_cases,
        mistakes=[
            Mistake(
                "W_U has one column per token (shape (d, vocab)): multiply h by W_U, not by its transpose.",
                lambda h, W: h @ W.T,
            ),
            Mistake(
                "return the logits themselves; the softmax that turns them into probabilities comes after "
                "(chapter 07).",
                lambda h, W: torch.softmax(h @ W, dim=-1),
            ),
            Mistake(
                "return the logits themselves; a log-softmax, which turns them into log-probabilities, comes after "
                "(chapter 07).",
                lambda h, W: torch.log_softmax(h @ W, dim=-1),
            ),
            Mistake(
                "return every logit, one per token, not the id of the highest one.",
                lambda h, W: (h @ W).argmax(dim=-1),
            ),
            Mistake(
                "keep every leading dimension, even one of size 1: h of shape (1, T, d) gives logits of shape "
                "(1, T, vocab) (no `squeeze`).",
                lambda h, W: (h @ W).squeeze(),
            ),
            Mistake(
                "keep h's leading dimensions: (batch, positions, d) gives (batch, positions, vocab), not a flat "
                "list of rows.",
                lambda h, W: h.reshape(-1, h.shape[-1]) @ W,
            ),
            Mistake(
                "give logits at every position, not only at the last one.",
                lambda h, W: h[..., -1, :] @ W,
            ),
            Mistake(
                "a logit is a dot product, a sum over the d dimensions: multiply h by W_U with `@`, not entry by "
                "entry with `*`.",
                lambda h, W: h[..., :, None] * W,
            ),
        ],
    )
)
