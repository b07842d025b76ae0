"""Reference solutions for chapter 05, dot products.

The word vectors these functions read come from :mod:`course_utils.word_vectors` (chapter 04): ``vectors`` is an
``(n_words, d)`` array whose row ``i`` is the vector of ``words[i]``.
"""

from __future__ import annotations

import numpy as np
import torch


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """The dot product of two vectors of the same length, by hand: multiply each pair of entries, add them up.

    ``a`` and ``b`` are 1-D (a list, a numpy array or a torch tensor) of the same length ``d``. Returns one
    number, ``a[0] * b[0] + a[1] * b[1] + ... + a[d-1] * b[d-1]``, as a float. Write the multiplications and
    the sum yourself: no ``np.dot``, ``@`` or ``np.sum(a * b)`` shortcut (that is what you are rebuilding).
    Vectors of different lengths raise a ValueError: there is no pair for the extra entries.
    """
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"the vectors have different lengths, {len(a)} and {len(b)}: a dot product pairs entries.")
    total = 0.0
    for x, y in zip(a, b, strict=True):
        total += float(x) * float(y)
    return total


def project(v: np.ndarray, direction: np.ndarray) -> float:
    """The signed length of ``v`` along ``direction``: ``v . direction / |direction|``.

    ``v`` and ``direction`` are 1-D numpy arrays of the same length; ``direction`` may have any length but 0.
    The result is positive when ``v`` points along ``direction``, negative when it points away, 0 when the two
    are perpendicular; its size does not depend on how long ``direction`` is. A zero ``direction`` raises a
    ValueError: it points nowhere.
    """
    v = np.asarray(v, dtype=np.float64)
    direction = np.asarray(direction, dtype=np.float64)
    if v.shape != direction.shape or v.ndim != 1:
        raise ValueError(f"v {v.shape} and direction {direction.shape} must be 1-D vectors of the same length.")
    length = np.sqrt(np.sum(direction**2))
    if length == 0:
        raise ValueError("the direction is the zero vector, which points nowhere: project onto a nonzero vector.")
    return float(np.sum(v * direction) / length)


def direction(vectors: np.ndarray, words: list[str], pairs: list[tuple[str, str]]) -> np.ndarray:
    """A direction of meaning from pairs of words: the mean of ``vector(b) - vector(a)``, scaled to length 1.

    ``vectors`` is an ``(n_words, d)`` array of raw (not normalised) word vectors and ``words`` its list of
    words (row ``i`` is the vector of ``words[i]``). ``pairs`` is a list of ``(a, b)`` word pairs that differ
    the same way, such as ``[("man", "woman"), ("king", "queen")]``. Returns a ``(d,)`` array of length 1 that
    points from the ``a`` words towards the ``b`` words. An empty ``pairs`` raises a ValueError (there is nothing
    to average); a word not in ``words`` raises a KeyError or ValueError (``words.index`` raises the latter).
    """
    if len(pairs) == 0:
        raise ValueError("pairs is empty: give at least one (a, b) pair of words.")
    row = {word: index for index, word in enumerate(words)}
    differences = []
    for a, b in pairs:
        for word in (a, b):
            if word not in row:
                raise KeyError(f"{word!r} is not in the vocabulary.")
        differences.append(vectors[row[b]] - vectors[row[a]])
    mean = np.mean(differences, axis=0)
    return mean / np.sqrt(np.sum(mean**2))


def direction_scores(
    vectors: np.ndarray, words: list[str], direction: np.ndarray, query_words: list[str]
) -> np.ndarray:
    """How far each query word's raw vector reaches along ``direction``: ``project`` of each, in order.

    ``vectors`` (``(n_words, d)``) and ``words`` are as in :func:`direction`; ``direction`` is a ``(d,)`` array
    of any nonzero length; ``query_words`` a list of words. Returns a ``(len(query_words),)`` float array:
    entry ``i`` is ``vectors[row of query_words[i]] . direction / |direction|``. A query word not in ``words``
    raises a KeyError or ValueError.
    """
    row = {word: index for index, word in enumerate(words)}
    for word in query_words:
        if word not in row:
            raise KeyError(f"{word!r} is not in the vocabulary.")
    if direction.shape != (vectors.shape[1],) or not np.any(direction):
        raise ValueError(f"direction must be a nonzero vector of length {vectors.shape[1]}, the width of vectors.")
    rows = vectors[[row[word] for word in query_words]]  # (n_queries, d)
    return rows @ direction / np.sqrt(np.sum(direction**2))


def unembed(h: torch.Tensor, W_U: torch.Tensor) -> torch.Tensor:
    """Logits from final vectors: one dot product of each vector with every column of the unembedding ``W_U``.

    ``h`` has shape ``(..., d)``: a final vector per position, with any leading (batch, position) dimensions.
    ``W_U`` has shape ``(d, vocab)``, one column per token, as seed 000 draws it (12,288 x 50,257 for GPT-3).
    Returns ``(..., vocab)``: ``logits[..., t] = h[...] . W_U[:, t]``, the score of token ``t``.
    """
    if h.shape[-1] != W_U.shape[0]:
        raise ValueError(f"h ends in width {h.shape[-1]} but W_U has {W_U.shape[0]} rows: W_U must be (d, vocab).")
    return h @ W_U
