"""Exercises of the primer: Python, numpy and PyTorch as the course uses them.

Each first case is chosen so that every listed mistake gives an answer of its own there: a mean of numbers
that do not divide evenly (so ``//`` shows), a text with spaces and one with capitals, a square matrix and a
square table (so that a transposed or row-wise answer still runs and can be named), a bias other than 0 and 1.
"""

from __future__ import annotations

import numpy as np
import torch

from course_utils.checks.core import Case, Exercise, Mistake, register
from course_utils.solutions import primer as solutions


def _loss_line_cases() -> list[Case]:
    return [
        Case("step 20 and loss 0.12345", (20, 0.12345)),
        Case("step 1 and loss 2.0", (1, 2.0)),
        Case("step 300 and loss 0.0004999", (300, 0.0004999)),
        Case("step 7 and loss 1.23456", (7, 1.23456)),
    ]


register(
    Exercise(
        id="primer.loss_line",
        title="A line of a training log, with an f-string",
        difficulty=1,
        minutes=5,
        hint='Return `f"step {step}: loss {loss:.3f}"`: inside the braces, `:.3f` writes a number with 3 decimals.',
        reference=solutions.loss_line,
        cases=_loss_line_cases,
        mistakes=[
            Mistake(
                "the loss must be written with exactly three decimals: `{loss:.3f}` inside the f-string.",
                lambda step, loss: f"step {step}: loss {loss}",
            ),
            Mistake(
                "`round(loss, 3)` drops trailing zeros (2.0, not 2.000): write `{loss:.3f}` in the f-string instead.",
                lambda step, loss: f"step {step}: loss {round(loss, 3)}",
            ),
            Mistake(
                "three decimals, not two: `:.3f`.",
                lambda step, loss: f"step {step}: loss {loss:.2f}",
            ),
        ],
    )
)


def _mean_cases() -> list[Case]:
    rng = np.random.default_rng(0)
    return [
        Case("[1.0, 2.0, 4.0]", ([1.0, 2.0, 4.0],)),
        Case("[-1.0, 1.0, 3.0, 5.0]", ([-1.0, 1.0, 3.0, 5.0],)),
        Case("a list of one number, [4.0]", ([4.0],)),
        Case("ten random numbers", ([float(x) for x in rng.normal(10, 3, size=10)],)),
    ]


register(
    Exercise(
        id="primer.mean",
        title="The mean of a list, with a loop",
        difficulty=1,
        minutes=5,
        hint="Start a total at 0, add each number to it in a `for` loop, and after the loop divide by `len(numbers)`.",
        reference=solutions.mean,
        cases=_mean_cases,
        mistakes=[
            Mistake("that is the sum: divide it by how many numbers there are, `len(numbers)`.", lambda n: sum(n)),
            Mistake("`//` divides and rounds down to a whole number; the mean needs `/`.", lambda n: sum(n) // len(n)),
            Mistake(
                "your `return` is inside the loop, so the function stops after the first number: un-indent it so "
                "that it runs once, after the loop.",
                lambda n: n[0] / len(n),
            ),
        ],
    )
)


def _count_cases() -> list[Case]:
    return [
        Case('"to be or not to be"', ("to be or not to be",)),
        Case('"Anna and Bob"', ("Anna and Bob",)),
        Case("an empty text", ("",)),
        Case("a line of Shakespeare", ("Shall I compare thee to a summer's day?\nThou art more lovely.",)),
    ]


def _counted_once(text: str) -> dict[str, int]:
    return {letter: 1 for letter in text}


register(
    Exercise(
        id="primer.count_letters",
        title="Count the characters of a text, in a dict",
        difficulty=1,
        minutes=8,
        hint=(
            "Start with an empty dict, `counts = {}`. For each character: `counts[letter] = counts.get(letter, 0) + 1`"
            " (`.get` gives 0 for a character not seen yet)."
        ),
        reference=solutions.count_letters,
        cases=_count_cases,
        mistakes=[
            Mistake(
                "every count is 1: each time you meet a character, add 1 to the count you have so far "
                "(`counts.get(letter, 0) + 1`) rather than setting it to 1.",
                _counted_once,
            ),
            Mistake(
                "spaces (and newlines and punctuation) are characters too: count every character of the text.",
                lambda text: solutions.count_letters(text.replace(" ", "")),
            ),
            Mistake(
                "'A' and 'a' are different characters: count the text as it is, without `.lower()`.",
                lambda text: solutions.count_letters(text.lower()),
            ),
        ],
    )
)


def _center_cases() -> list[Case]:
    rng = np.random.default_rng(1)
    return [
        Case(
            "the 3x3 matrix [[1, 2, 3], [4, 6, 8], [7, 10, 19]]",
            (np.array([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0], [7.0, 10.0, 19.0]]),),
        ),
        Case("a 4x2 matrix", (np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 60.0]]),)),
        Case("a 5x3 matrix of random numbers", (rng.normal(5.0, 2.0, size=(5, 3)),)),
    ]


register(
    Exercise(
        id="primer.center",
        title="Center the columns of a matrix, by broadcasting",
        difficulty=1,
        minutes=8,
        hint=(
            "`matrix.mean(axis=0)` is one mean per column, shape `(columns,)`. Subtracting it from the matrix "
            "stretches it down every row: `matrix - matrix.mean(axis=0)`."
        ),
        reference=solutions.center,
        cases=_center_cases,
        mistakes=[
            Mistake(
                "you subtracted the mean of the whole matrix, one number: each column needs its own mean, "
                "`matrix.mean(axis=0)`.",
                lambda m: m - m.mean(),
            ),
            Mistake(
                "those are the row means (`axis=1`): the mean of each column is `matrix.mean(axis=0)`, "
                "axis 0 being the one that runs down the rows.",
                lambda m: m - m.mean(axis=1, keepdims=True),
            ),
            Mistake(
                "`matrix.mean(axis=1)` is one mean per row, and broadcasting lays it along each row, not down "
                "the columns: use `axis=0`.",
                lambda m: m - m.mean(axis=1),
            ),
            Mistake(
                "you returned the column means themselves: subtract them from the matrix.",
                lambda m: m.mean(axis=0),
            ),
        ],
    )
)


def _pick_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    return [
        Case(
            "the 3x3 table [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]] and columns [2, 0, 1]",
            (np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]]), np.array([2, 0, 1])),
        ),
        Case(
            "a 2x4 table and columns [3, 1]",
            (np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]), np.array([3, 1])),
        ),
        Case("a 6x5 random table", (rng.uniform(size=(6, 5)), rng.integers(0, 5, size=6))),
        Case("a table of one row", (np.array([[0.25, 0.75]]), np.array([1]))),
    ]


register(
    Exercise(
        id="primer.pick",
        title="Pick one number from each row, by indexing with arrays",
        difficulty=1,
        minutes=8,
        hint=(
            "Index with two arrays of the same length: `table[rows, columns]` takes `table[rows[i], columns[i]]` "
            "for each `i`. The rows are `np.arange(len(table))`: 0, 1, 2, ..."
        ),
        reference=solutions.pick,
        cases=_pick_cases,
        mistakes=[
            Mistake(
                "`table[:, columns]` takes all those columns from every row, a square of numbers: pair each row "
                "with its own column, `table[np.arange(len(table)), columns]`.",
                lambda t, c: t[:, c],
            ),
            Mistake(
                "`table[columns]` picks whole rows: give the row numbers too, `table[np.arange(len(table)), columns]`.",
                lambda t, c: t[c],
            ),
            Mistake(
                "rows and columns are swapped: the row index comes first, `table[rows, columns]`.",
                lambda t, c: t[c, np.arange(len(t))],
            ),
            Mistake(
                "you took each row's largest number: take the one in column `columns[i]`, whatever its size.",
                lambda t, c: t.max(axis=1),
            ),
        ],
    )
)


def _layer_cases() -> list[Case]:
    draws = torch.Generator().manual_seed(3)
    return [
        Case(
            "inputs [[1, 2], [3, 4]], weights [[1, -1], [2, 0.5]] and bias [0.5, -2]",
            (
                torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
                torch.tensor([[1.0, -1.0], [2.0, 0.5]]),
                torch.tensor([0.5, -2.0]),
            ),
        ),
        Case(
            "a batch of 4 inputs of 3 numbers, 2 outputs",
            (
                torch.arange(12.0).reshape(4, 3),
                torch.tensor([[0.5, 1.0], [-1.0, 2.0], [0.0, 3.0]]),
                torch.tensor([1.5, -1.0]),
            ),
        ),
        Case(
            "a random batch of 8 inputs of 5 numbers, 3 outputs",
            (torch.randn(8, 5, generator=draws), torch.randn(5, 3, generator=draws), torch.randn(3, generator=draws)),
        ),
    ]


register(
    Exercise(
        id="primer.layer",
        title="A layer: a matrix product plus a bias, in PyTorch",
        difficulty=1,
        minutes=6,
        hint="`inputs @ weights` is the matrix product, shape `(batch, n_out)`; adding `bias` adds it to every row.",
        reference=solutions.layer,
        cases=_layer_cases,
        mistakes=[
            Mistake("did you forget to add the bias?", lambda x, w, b: x @ w),
            Mistake(
                "`*` multiplies number by number, position by position; a layer is a matrix product, `@`.",
                lambda x, w, b: x * w + b,
            ),
            Mistake(
                "`weights` has shape `(n_in, n_out)` already: `inputs @ weights`, not `weights.T`.",
                lambda x, w, b: x @ w.T + b,
            ),
            Mistake("the bias is added, not multiplied: `inputs @ weights + bias`.", lambda x, w, b: (x @ w) * b),
        ],
    )
)
