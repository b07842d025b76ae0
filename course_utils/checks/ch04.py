"""Exercises of chapter 04, embeddings."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from course_utils.checks.core import Case, Exercise, Mistake, describe, register, same_values, to_numpy
from course_utils.solutions.ch04 import embed_lookup, one_hot_matmul
from course_utils.word_vectors import analogy, cosine_similarity, nearest_neighbours, pca_project


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _matrix(rows: int, cols: int, seed: int) -> torch.Tensor:
    return torch.randn(rows, cols, generator=_generator(seed))


def _t(value: Any) -> torch.Tensor:
    return value if isinstance(value, torch.Tensor) else torch.as_tensor(np.asarray(value))


# ----------------------------------------------------------------------------------------------------------------
# ch04.embed_lookup and ch04.one_hot_matmul

# an id with no row: as_token_ids says so (ValueError); plain indexing (IndexError) and torch's one_hot
# (RuntimeError) refuse it too, which is also fine
_LOOKUP_ERRORS = (ValueError, IndexError, RuntimeError)


def _lookup_cases() -> list[Case]:
    # a square W_E first, so that a lookup of columns runs and can be named; then 2-D ids, then a wide W_E
    return [
        Case("ids [2, 0, 2] in a 4x4 W_E", (torch.tensor([2, 0, 2]), _matrix(4, 4, 0))),
        Case("a batch of 2 sequences of 3 ids in a 5x5 W_E", (torch.tensor([[4, 1, 0], [3, 3, 2]]), _matrix(5, 5, 1))),
        Case("ids [6, 0, 3, 1] in a 7x3 W_E (7 tokens, 3 dimensions)", (torch.tensor([6, 0, 3, 1]), _matrix(7, 3, 2))),
        Case("a single id, 5, as a 0-d tensor, in a 6x4 W_E", (torch.tensor(5), _matrix(6, 4, 3))),
        Case("ids given as a Python list [1, 1, 0]", ([1, 1, 0], _matrix(3, 8, 4))),
        Case("id 7 in a 4x2 W_E (no row 7)", (torch.tensor([1, 7]), _matrix(4, 2, 5)), raises=_LOOKUP_ERRORS),
    ]


_COLUMNS = Mistake(
    "you picked columns of W_E: the course stores one ROW per token (as torch.nn.Embedding does), so the "
    "embedding of id i is W_E[i], a row of d numbers.",
    lambda ids, W_E: W_E.T[_t(ids)],
)
_FLATTENED = Mistake(
    "keep the shape of `ids`: a (2, 3) batch of ids gives a (2, 3, d) result, one vector in place of each id "
    "(indexing W_E with the whole tensor of ids does this by itself).",
    lambda ids, W_E: W_E[_t(ids).reshape(-1)],
)
_SUMMED = Mistake(
    "return one vector per id, not their sum: each token keeps its own embedding.",
    lambda ids, W_E: W_E[_t(ids)].sum(dim=0),
)
_FROM_ONE = Mistake("ids start at 0: the first row of W_E, W_E[0], is the embedding of id 0 (off by one).",
                    lambda ids, W_E: W_E[_t(ids) - 1])  # fmt: skip
_SCALED = Mistake(
    "a lookup only picks rows; do not multiply by sqrt(d) (the original transformer does that in its model, "
    "not in the lookup).",
    lambda ids, W_E: W_E[_t(ids)] * W_E.shape[1] ** 0.5,
)

register(
    Exercise(
        id="ch04.embed_lookup",
        title="Look up embeddings",
        difficulty=1,
        minutes=5,
        hint="Indexing a tensor with a tensor of ids, `W_E[ids]`, picks the rows with those numbers and keeps the "
        "shape of `ids` in front: ids of shape (2, 3) give (2, 3, d).",
        reference=embed_lookup,
        cases=_lookup_cases,
        mistakes=[_COLUMNS, _FLATTENED, _SUMMED, _FROM_ONE, _SCALED],
    )
)

register(
    Exercise(
        id="ch04.one_hot_matmul",
        title="A lookup is a matrix product",
        difficulty=2,
        minutes=10,
        hint="`torch.nn.functional.one_hot(ids, num_classes=len(W_E))` gives integer one-hots of shape "
        "(*ids.shape, vocab_size); make them float (`.float()` or `.to(W_E.dtype)`) and multiply: `one_hots @ W_E`.",
        reference=one_hot_matmul,
        cases=_lookup_cases,
        mistakes=[
            Mistake(
                "multiply the one-hots by W_E itself, not by its transpose: `one_hots @ W_E`. A one-hot row times "
                "W_E picks a ROW of W_E.",
                lambda ids, W_E: torch.nn.functional.one_hot(_t(ids).long(), len(W_E)).float() @ W_E.T,
            ),
            _FLATTENED,
            Mistake(
                "multiply each id's one-hot row by W_E separately; summing the one-hots first adds the embeddings "
                "of all the ids into one vector.",
                lambda ids, W_E: torch.nn.functional.one_hot(_t(ids).long(), len(W_E)).float().sum(0) @ W_E,
            ),
            _FROM_ONE,
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch04.cosine_similarity


def _cosine_cases() -> list[Case]:
    return [
        Case("a = [3, 4], b = [4, 3] (lengths 5 and 5)", (np.array([3.0, 4.0]), np.array([4.0, 3.0]))),
        Case("a = [1, 2, 2] (length 3), b = [0, 0, 7] (length 7)", (np.array([1.0, 2.0, 2.0]), np.array([0.0, 0, 7]))),
        Case("a = [2, 0], b = [-1, 1] (angle 135 degrees)", (np.array([2.0, 0.0]), np.array([-1.0, 1.0]))),
        Case(
            "two random vectors of 50 numbers",
            (_matrix(1, 50, 5)[0].numpy() * 3, _matrix(1, 50, 6)[0].numpy()),
        ),
        Case("a vector with itself times 10", (np.array([0.5, -1.5, 2.0]), np.array([5.0, -15.0, 20.0]))),
        Case("two torch tensors", (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([-2.0, 0.5, 1.0]))),
        Case("a vector of zeros (no direction)", (np.zeros(3), np.array([1.0, 2.0, 3.0])), raises=(ValueError,)),
    ]


def _np(value: Any) -> np.ndarray:
    """A float64 array of ``value``; a vector of zeros raises, so that no mistake claims the zero-vector case."""
    array = to_numpy(value).astype(np.float64)
    if array.ndim == 1 and not array.any():
        raise ValueError("a vector of zeros")
    return array


register(
    Exercise(
        id="ch04.cosine_similarity",
        title="Cosine similarity",
        difficulty=1,
        minutes=5,
        hint="The dot product `a @ b` divided by the length of a and by the length of b "
        "(`np.linalg.norm(a)`, the square root of the sum of squares).",
        reference=cosine_similarity,
        cases=_cosine_cases,
        mistakes=[
            Mistake(
                "that is the plain dot product: divide it by both lengths, so that only the angle counts.",
                lambda a, b: float(_np(a) @ _np(b)),
            ),
            Mistake(
                "divide by the lengths of BOTH vectors, a's and b's.",
                lambda a, b: float(_np(a) @ _np(b) / np.linalg.norm(_np(a))),
            ),
            Mistake(
                "divide by the lengths of BOTH vectors, a's and b's.",
                lambda a, b: float(_np(a) @ _np(b) / np.linalg.norm(_np(b))),
            ),
            Mistake(
                "a length is the square root of the sum of squares: you divided by the sums of squares themselves.",
                lambda a, b: float(_np(a) @ _np(b) / (np.sum(_np(a) ** 2) * np.sum(_np(b) ** 2))),
            ),
            Mistake(
                "multiply the two lengths in the denominator; do not add them.",
                lambda a, b: float(_np(a) @ _np(b) / (np.linalg.norm(_np(a)) + np.linalg.norm(_np(b)))),
            ),
            Mistake(
                "return the cosine itself, not the angle (no arccos).",
                lambda a, b: float(np.arccos(_np(a) @ _np(b) / np.linalg.norm(_np(a)) / np.linalg.norm(_np(b)))),
            ),
            Mistake(
                "that is the cosine DISTANCE, 1 - similarity (scipy's `cosine`): return the similarity.",
                lambda a, b: float(1 - _np(a) @ _np(b) / np.linalg.norm(_np(a)) / np.linalg.norm(_np(b))),
            ),
            Mistake(
                "`len(a)` counts the numbers in a vector; its LENGTH is `np.linalg.norm(a)`, the square root of the "
                "sum of squares.",
                lambda a, b: float(_np(a) @ _np(b) / (len(_np(a)) * len(_np(b)))),
            ),
            Mistake(
                "keep the sign: vectors pointing in opposite ways have a negative cosine (no abs).",
                lambda a, b: abs(float(_np(a) @ _np(b) / np.linalg.norm(_np(a)) / np.linalg.norm(_np(b)))),
            ),
            Mistake(
                "that is the distance between the points, not the cosine of the angle between them.",
                lambda a, b: float(np.linalg.norm(_np(a) - _np(b))),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch04.nearest_neighbours and ch04.analogy


def _same_words(got: Any, want: list[str]) -> str | None:
    """Compare lists of words, saying when a list holds numbers or pairs instead of words."""
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if isinstance(got, (np.ndarray, torch.Tensor)) or not isinstance(got, (list, tuple)):
        return f"expected a list of {len(want)} words, got {describe(got)}"
    got = list(got)
    if any(not isinstance(word, str) for word in got):
        example = next(word for word in got if not isinstance(word, str))
        return f"expected a list of words (strings), but it holds {describe(example)}"
    if len(got) != len(want):
        return f"expected {len(want)} words, got {len(got)}: {got}"
    if got != want:
        return f"expected {want}, got {got}"
    return None


# Vectors of a small made-up vocabulary whose lengths differ a lot, so that ranking by dot product or by
# distance gives other answers than ranking by angle.
_TOY_WORDS = ["king", "queen", "man", "woman", "prince", "apple", "pear", "sword", "crown", "girl"]


def _toy_vectors() -> np.ndarray:
    generator = np.random.default_rng(4)
    directions = generator.normal(size=(len(_TOY_WORDS), 6))
    lengths = np.array([1.0, 3.0, 0.5, 2.0, 4.0, 0.3, 5.0, 1.5, 0.8, 2.5])
    return directions / np.linalg.norm(directions, axis=1, keepdims=True) * lengths[:, None]


def _random_vocabulary(n: int, d: int, seed: int) -> tuple[np.ndarray, list[str]]:
    generator = np.random.default_rng(seed)
    vectors = generator.normal(size=(n, d)) * generator.uniform(0.2, 5.0, size=(n, 1))
    return vectors, [f"w{i}" for i in range(n)]


def _neighbour_cases() -> list[Case]:
    toy = _toy_vectors()
    big, big_words = _random_vocabulary(60, 8, seed=7)
    two_d = np.array([[1.0, 0.0], [0.0, 1.0], [10.0, 1.0], [0.7, 0.7], [-1.0, 0.1]])
    return [
        Case("10 made-up words of 6 dimensions, query 'king', k = 3", (toy, _TOY_WORDS, "king", 3)),
        Case("the same words, query 'pear', k = 4", (toy, _TOY_WORDS, "pear", 4)),
        Case("60 random words of 8 dimensions, query 'w3', k = 5", (big, big_words, "w3", 5)),
        Case(
            "5 words in 2-D, query 'a' = [1, 0], k = 2 (c = [10, 1] is long but close in angle)",
            (two_d, ["a", "b", "c", "d", "e"], "a", 2),
        ),
        Case("the same 5 words, query 'e', k = 4 (all the others)", (two_d, ["a", "b", "c", "d", "e"], "e", 4)),
        Case("a query not in the words, 'jester'", (toy, _TOY_WORDS, "jester", 3), raises=(KeyError, ValueError)),
        Case("k = 0", (toy, _TOY_WORDS, "king", 0), raises=(ValueError,)),
    ]


def _cosines(vectors: Any, target: np.ndarray) -> np.ndarray:
    vectors = _np(vectors)
    return vectors @ target / np.linalg.norm(vectors, axis=1) / np.linalg.norm(target)


def _rank(scores: np.ndarray, words: list[str], k: int, exclude: list[int], largest: bool = True) -> list[str]:
    if k < 1:
        raise ValueError("no k words to rank")  # a mistake says nothing about an input the check expects refused
    scores = np.array(scores, dtype=np.float64)
    scores[exclude] = -np.inf if largest else np.inf
    order = np.argsort(-scores if largest else scores, kind="stable")
    return [words[i] for i in order[:k]]


register(
    Exercise(
        id="ch04.nearest_neighbours",
        title="Nearest neighbours",
        difficulty=2,
        minutes=10,
        hint="Divide every row of `vectors` by its length (`np.linalg.norm(vectors, axis=1, keepdims=True)`); then "
        "`unit @ unit[row]` is the cosine of every word with the query. Set the query's own score to `-np.inf`, "
        "and `np.argsort(-scores)[:k]` gives the best rows first.",
        reference=nearest_neighbours,
        cases=_neighbour_cases,
        compare=_same_words,
        mistakes=[
            Mistake(
                "leave the query itself out: every word is its own nearest neighbour, with similarity 1.",
                lambda v, w, q, k: _rank(_cosines(v, _np(v)[w.index(q)]), w, k, []),
            ),
            Mistake(
                "rank by cosine similarity: the plain dot product favours long vectors (divide each vector by "
                "its length first).",
                lambda v, w, q, k: _rank(_np(v) @ _np(v)[w.index(q)], w, k, [w.index(q)]),
            ),
            Mistake(
                "rank by the angle (cosine similarity), not by the distance between the points.",
                lambda v, w, q, k: _rank(
                    np.linalg.norm(_np(v) - _np(v)[w.index(q)], axis=1), w, k, [w.index(q)], largest=False
                ),
            ),
            Mistake(
                "best first: sort by similarity from largest to smallest (`np.argsort(-scores)`).",
                lambda v, w, q, k: _rank(-_cosines(v, _np(v)[w.index(q)]), w, k, [w.index(q)]),
            ),
            Mistake(
                "these are the k best, but the worst of them first: list them best first (`np.argsort(-scores)`, "
                "or reverse the end of an ascending sort).",
                lambda v, w, q, k: _rank(_cosines(v, _np(v)[w.index(q)]), w, k, [w.index(q)])[::-1],
            ),
            Mistake(
                "return k words: after leaving out the query there are still k to give.",
                lambda v, w, q, k: _rank(_cosines(v, _np(v)[w.index(q)]), w, k - 1, [w.index(q)]),
            ),
        ],
    )
)


def _analogy_cases() -> list[Case]:
    toy = _toy_vectors()
    big, big_words = _random_vocabulary(80, 10, seed=11)
    return [
        Case(
            "10 made-up words of 6 dimensions: man is to woman as king is to ?, k = 3",
            (toy, _TOY_WORDS, "man", "woman", "king", 3),
        ),
        Case(
            "the same words: apple is to pear as sword is to ?, k = 4",
            (toy, _TOY_WORDS, "apple", "pear", "sword", 4),
        ),
        Case("80 random words of 10 dimensions: w1 : w2 :: w3 : ?, k = 5", (big, big_words, "w1", "w2", "w3", 5)),
        Case("the same words: w40 : w7 :: w13 : ?, k = 2", (big, big_words, "w40", "w7", "w13", 2)),
        Case(
            "a word not in the vocabulary, 'jester'",
            (toy, _TOY_WORDS, "man", "jester", "king", 3),
            raises=(KeyError, ValueError),
        ),
    ]


def _unit(vectors: Any) -> np.ndarray:
    vectors = _np(vectors)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _analogy_by(target_of: Any, exclude_of: Any = None, score: str = "cosine") -> Any:
    def wrong(v, w, a, b, c, k):
        rows = [w.index(a), w.index(b), w.index(c)]
        target = target_of(_unit(v), _np(v), rows)
        scores = _cosines(v, target) if score == "cosine" else _np(v) @ target
        return _rank(scores, w, k, rows if exclude_of is None else exclude_of(rows))

    return wrong


register(
    Exercise(
        id="ch04.analogy",
        title="Analogies by vector arithmetic",
        difficulty=2,
        minutes=10,
        hint="Scale every row to length 1, form `unit[b] - unit[a] + unit[c]`, score every word by its cosine "
        "with that point (`unit @ target / norm(target)`), set the scores of a, b and c to `-np.inf`, and take the "
        "k best with `np.argsort(-scores)[:k]`.",
        reference=analogy,
        cases=_analogy_cases,
        compare=_same_words,
        mistakes=[
            Mistake(
                "the arithmetic is the wrong way round: a is to b as c is to ?, so start at c and add the move from "
                "a to b: b - a + c (not a - b + c).",
                _analogy_by(lambda u, v, r: u[r[0]] - u[r[1]] + u[r[2]]),
            ),
            Mistake(
                "leave a, b and c out of the answers (as gensim's most_similar does): otherwise c itself, or b, "
                "usually comes first.",
                _analogy_by(lambda u, v, r: u[r[1]] - u[r[0]] + u[r[2]], exclude_of=lambda rows: []),
            ),
            Mistake(
                "scale the vectors of a, b and c to length 1 before adding them, so that one long vector does not "
                "outweigh the other two.",
                _analogy_by(lambda u, v, r: v[r[1]] - v[r[0]] + v[r[2]]),
            ),
            Mistake(
                "rank the words by cosine similarity with b - a + c, not by the plain dot product (which favours "
                "long vectors).",
                _analogy_by(lambda u, v, r: u[r[1]] - u[r[0]] + u[r[2]], score="dot"),
            ),
            Mistake(
                "leave out all three question words, a and b as well as c.",
                _analogy_by(lambda u, v, r: u[r[1]] - u[r[0]] + u[r[2]], exclude_of=lambda rows: rows[2:]),
            ),
        ],
    )
)

# ----------------------------------------------------------------------------------------------------------------
# ch04.pca_project


def _same_up_to_sign(got: Any, want: np.ndarray) -> str | None:
    """Compare projections allowing each column to be flipped: a principal direction's sign is arbitrary."""
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    try:
        got_array = to_numpy(got).astype(np.float64)
    except (TypeError, ValueError):
        return f"expected an array of shape {want.shape}, got {describe(got)}"
    if got_array.shape != want.shape:
        return f"the shape is {tuple(got_array.shape)}, expected {tuple(want.shape)} (points, components)"
    flipped = got_array.copy()
    for column in range(want.shape[1]):
        if np.linalg.norm(flipped[:, column] + want[:, column]) < np.linalg.norm(flipped[:, column] - want[:, column]):
            flipped[:, column] *= -1
    return same_values(flipped, want, atol=1e-6, rtol=1e-4)


def _pca_data(n: int, d: int, seed: int) -> np.ndarray:
    generator = np.random.default_rng(seed)
    # spread very different along different directions, and far from the origin, as real word vectors are
    scales = np.linspace(4.0, 0.5, d)
    mixing = np.linalg.qr(generator.normal(size=(d, d)))[0]
    return generator.normal(size=(n, d)) * scales @ mixing + generator.normal(size=d) * 3


def _pca_cases() -> list[Case]:
    return [
        Case("12 points in 5 dimensions, 2 components", (_pca_data(12, 5, 0), 2)),
        Case("30 points in 8 dimensions, 3 components", (_pca_data(30, 8, 1), 3)),
        Case("6 points in 10 dimensions (fewer points than dimensions), 2 components", (_pca_data(6, 10, 2), 2)),
        Case("20 points in 4 dimensions, 1 component", (_pca_data(20, 4, 3), 1)),
        Case("5 components of 4-dimensional points", (_pca_data(20, 4, 4), 5), raises=(ValueError,)),
    ]


def _centred(X: Any) -> np.ndarray:
    X = _np(X)
    return X - X.mean(axis=0)


def _svd(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.linalg.svd(X, full_matrices=False)


register(
    Exercise(
        id="ch04.pca_project",
        title="PCA with the SVD",
        difficulty=3,
        minutes=15,
        hint="`centred = X - X.mean(axis=0)`; `U, S, Vt = np.linalg.svd(centred, full_matrices=False)`; the rows of "
        "`Vt` are the principal directions, largest spread first: `centred @ Vt[:n_components].T`.",
        reference=pca_project,
        cases=_pca_cases,
        compare=_same_up_to_sign,
        mistakes=[
            Mistake(
                "subtract the mean point (`X.mean(axis=0)`) first: without centring, the first direction points "
                "at the cloud's centre instead of along its spread.",
                lambda X, n: _np(X) @ _svd(_np(X))[2][:n].T,
            ),
            Mistake(
                "the principal directions are the ROWS of Vt (columns of V): use `Vt[:n_components].T`, not "
                "`Vt[:, :n_components]`.",
                lambda X, n: _centred(X) @ _svd(_centred(X))[2][:, :n],
            ),
            Mistake(
                "the columns of U are the projections divided by the singular values: project the centred data on "
                "the rows of Vt instead (or multiply U's columns by S).",
                lambda X, n: _svd(_centred(X))[0][:, :n],
            ),
            Mistake(
                "take the FIRST directions (largest spread): np.linalg.svd sorts them largest first "
                "(np.linalg.eigh sorts smallest first).",
                lambda X, n: _centred(X) @ np.linalg.eigh(_centred(X).T @ _centred(X))[1][:, :n],
            ),
            Mistake(
                "subtract the mean of each column (`axis=0`, the mean point), not of each row.",
                lambda X, n: (
                    (_np(X) - _np(X).mean(axis=1, keepdims=True))
                    @ _svd(_np(X) - _np(X).mean(axis=1, keepdims=True))[2][:n].T
                ),
            ),
            Mistake(
                "only centre the data; dividing each column by its standard deviation changes the directions.",
                lambda X, n: (_centred(X) / _np(X).std(axis=0)) @ _svd(_centred(X) / _np(X).std(axis=0))[2][:n].T,
            ),
        ],
    )
)
