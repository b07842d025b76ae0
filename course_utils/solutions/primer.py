"""Reference solutions for the primer, Python, numpy and PyTorch as the course uses them.

The solution notebook runs each function's source as a cell after ``import numpy as np`` and ``import torch``,
so they use nothing else.
"""

from __future__ import annotations

import numpy as np
import torch


def mean(numbers: list[float]) -> float:
    """The average of ``numbers``, a non-empty list: their sum divided by how many there are.

    Write it with a ``for`` loop (no numpy): ``mean([1.0, 2.0, 6.0])`` is ``3.0``.
    """
    if len(numbers) == 0:
        raise ValueError("The mean of an empty list is not defined: give at least one number.")
    total = 0.0
    for number in numbers:
        total = total + number
    return total / len(numbers)


def loss_line(step: int, loss: float) -> str:
    """One line of a training log: ``loss_line(20, 0.12345)`` is ``"step 20: loss 0.123"``.

    The step as it is, the loss rounded to three decimals.
    """
    return f"step {step}: loss {loss:.3f}"


def count_letters(text: str) -> dict[str, int]:
    """How often each character occurs in ``text``, as a dict from character to count.

    ``count_letters("noon")`` is ``{"n": 2, "o": 2}``. Spaces and punctuation count as characters too.
    """
    counts: dict[str, int] = {}
    for letter in text:
        counts[letter] = counts.get(letter, 0) + 1
    return counts


def center(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` (shape ``(rows, columns)``) with each column's mean subtracted from that column.

    Every column of the result has mean 0. Use broadcasting, no loop.
    """
    return matrix - matrix.mean(axis=0)


def pick(table: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """One number from each row of ``table``: from row ``i``, the number in column ``columns[i]``.

    ``table`` has shape ``(rows, n)`` and ``columns`` holds one whole number per row; the result has shape
    ``(rows,)``.
    """
    if len(columns) != len(table):
        raise ValueError(f"Give one column per row: {len(table)} rows but {len(columns)} columns.")
    rows = np.arange(len(table))
    return table[rows, columns]


def layer(inputs: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """A layer of a network: every row of ``inputs`` times the matrix ``weights``, plus ``bias``.

    ``inputs`` has shape ``(batch, n_in)``, ``weights`` ``(n_in, n_out)`` and ``bias`` ``(n_out,)``; the
    result has shape ``(batch, n_out)``.
    """
    return inputs @ weights + bias
