"""The bigram model: the next character predicted from the current one alone, by counting.

Chapter 03 builds it on Shakespeare by counting, then trains the same model as a network (exercises
``ch03.bigram_counts``, ``ch03.bigram_nll`` and ``ch03.bigram_logits`` are checked against the functions
here). Its average negative log-likelihood on the held-out text, :func:`heldout_bigram_nll`, is the number
every later model must beat; chapter 10's GPT compares itself with it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import torch

from course_utils import validate
from course_utils.data import shakespeare_split
from course_utils.text import char_vocab, encode_array, one_hot


def bigram_counts(ids: Sequence[int], vocab_size: int) -> np.ndarray:
    """Count the pairs of neighbours in ``ids``: ``counts[a, b]`` is how many times id ``b`` directly follows id
    ``a``.

    ``ids`` is a list or 1-D array of at least 2 whole numbers from 0 to ``vocab_size - 1``. Returns an integer
    array of shape ``(vocab_size, vocab_size)``: row ``a`` is the current id, column ``b`` the next one, and all
    the counts add up to ``len(ids) - 1``.

    >>> bigram_counts([0, 1, 1], vocab_size=2)
    array([[0, 1],
           [0, 1]])
    """
    vocab_size = validate.whole_number(vocab_size, "vocab_size", minimum=1)
    ids = validate.token_ids(ids, "ids", vocab_size=vocab_size, min_length=2)
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    # np.add.at adds 1 for every pair, repeats included; `counts[ids[:-1], ids[1:]] += 1` would add it only once
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    return counts


def bigram_probabilities(counts: np.ndarray, smoothing: float = 1.0) -> np.ndarray:
    """Turn counts into probabilities: row ``a`` becomes the distribution of the id that follows ``a``.

    ``smoothing`` is added to every count first (add-one or Laplace smoothing when it is 1), so that a pair
    never seen in training gets a small probability instead of 0. Returns a float array of the same shape as
    ``counts``, each row adding up to 1.
    """
    counts = validate.number_array(counts, "counts", shape=(None, None), labels=("vocab_size", "vocab_size"))
    smoothing = validate.real_number(smoothing, "smoothing", minimum=0.0)
    if counts.shape[0] != counts.shape[1] or (counts < 0).any() or not np.array_equal(counts, np.round(counts)):
        raise ValueError(
            f"counts must be a square table of whole, non-negative counts (from bigram_counts), got "
            f"{validate.describe(counts)} with values from {counts.min():.4g} to {counts.max():.4g}: "
            f"are these already probabilities?"
        )
    smoothed = counts + smoothing
    totals = smoothed.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        raise ValueError(
            f"{int((totals == 0).sum())} rows of counts are all zero (characters never followed by anything): "
            f"use smoothing > 0 so that every row is a distribution."
        )
    return smoothed / totals


def bigram_nll(probabilities: np.ndarray, ids: Sequence[int]) -> float:
    """The bigram model's average negative log-likelihood of ``ids``, in nats per predicted id.

    ``probabilities`` has shape ``(vocab_size, vocab_size)``; ``probabilities[a, b]`` is the probability that
    ``b`` follows ``a``. Each of the ``len(ids) - 1`` pairs ``(ids[t], ids[t + 1])`` scores
    ``-ln probabilities[ids[t], ids[t + 1]]``; the result is their mean (a natural log, as torch's
    cross-entropy uses). A pair with probability 0 scores infinity.
    """
    probabilities = validate.probabilities(
        probabilities,
        "probabilities",
        shape=(None, None),
        labels=("vocab_size", "vocab_size"),
        axis=1,
        hint="Each row must be the distribution of the next id: pass bigram_probabilities(counts).",
    )
    if probabilities.shape[0] != probabilities.shape[1]:
        raise ValueError(
            f"probabilities must be a square table (vocab_size, vocab_size), got shape {probabilities.shape}."
        )
    ids = validate.token_ids(ids, "ids", vocab_size=len(probabilities), min_length=2)
    of_each_next = probabilities[ids[:-1], ids[1:]]  # the probability the model gave to what came next
    with np.errstate(divide="ignore"):  # log(0) is -inf: a pair the model called impossible
        return float(-np.mean(np.log(of_each_next)))


def heldout_bigram_nll(smoothing: float = 1.0) -> float:
    """The course's bar to beat: a character bigram's average negative log-likelihood on held-out Shakespeare.

    Counts pairs of characters in the training part of :func:`course_utils.data.shakespeare_split`, smooths
    them (add ``smoothing`` to every count), and scores the held-out part in nats per character. The
    vocabulary is every character of the training text (the held-out text uses no other).
    """
    return _heldout_bigram_nll(validate.real_number(smoothing, "smoothing", minimum=0.0))


@functools.cache  # the checked smoothing is a float, so the cache never sees an unhashable argument
def _heldout_bigram_nll(smoothing: float) -> float:
    train_text, heldout_text = shakespeare_split()
    vocab = char_vocab(train_text)
    counts = bigram_counts(encode_array(train_text, vocab), len(vocab))
    return bigram_nll(bigram_probabilities(counts, smoothing), encode_array(heldout_text, vocab))


def bigram_logits(ids: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """The bigram network's scores: every id as a one-hot vector, through a ``Linear(V, V)`` layer without bias.

    ``ids`` is a 1-D tensor of ``n`` whole numbers from 0 to ``V - 1``. ``weight`` is the layer's ``(V, V)``
    float weight matrix, stored as ``torch.nn.Linear`` stores it (row ``j`` holds the weights of output ``j``,
    the score of next id ``j``), so the layer computes ``one_hot(ids, V) @ weight.T``. Returns a float tensor
    of shape ``(n, V)``: row ``t`` holds a score (a logit) for every id that could follow ``ids[t]``.
    """
    if not isinstance(weight, torch.Tensor) or weight.ndim != 2 or weight.shape[0] != weight.shape[1]:
        raise ValueError(f"weight must be a square (V, V) tensor, got {getattr(weight, 'shape', type(weight))}.")
    if not isinstance(ids, torch.Tensor) or ids.ndim != 1:
        raise ValueError(f"ids must be a 1-D tensor of ids, got {getattr(ids, 'shape', type(ids))}.")
    return one_hot(ids, weight.shape[1]) @ weight.T
