"""Plausible wrong answers to the primer's exercises, and what the check's message must point at."""

import numpy as np


def _mean_return_in_loop(numbers):
    total = 0.0
    for number in numbers:
        total = total + number
        return total / len(numbers)  # indented one level too far: returns after the first number


def _count_set_to_one(text):
    counts = {}
    for letter in text:
        counts[letter] = 1
    return counts


def _count_letters_only(text):
    counts = {}
    for letter in text:
        if letter.isalpha():
            counts[letter] = counts.get(letter, 0) + 1
    return counts


def _count_lowercase(text):
    counts = {}
    for letter in text.lower():
        counts[letter] = counts.get(letter, 0) + 1
    return counts


def _count_without_a_start(text):
    counts = {}
    for letter in text:
        counts[letter] += 1  # KeyError: the first time, the letter has no count yet
    return counts


def _pick_row_by_row(table, columns):
    return np.array([table[row][columns] for row in range(len(table))])  # all the columns from each row


def _pick_with_a_loop_over_columns(table, columns):
    return np.array([table[column, row] for row, column in enumerate(columns)])


WRONG_ANSWERS = {
    "primer.mean": [
        (lambda numbers: sum(numbers), "that is the sum"),
        (lambda numbers: sum(numbers) // len(numbers), "`//`"),
        (_mean_return_in_loop, "inside the loop"),
        (lambda numbers: sum(numbers) / (len(numbers) - 1), "Start a total at 0"),
        (lambda numbers: numbers.mean(), "'list' object has no attribute 'mean'"),
    ],
    "primer.loss_line": [
        (lambda step, loss: f"step {step}: loss {loss}", "exactly three decimals"),
        (lambda step, loss: f"step {step}: loss {round(loss, 3)}", "round(loss, 3)"),
        (lambda step, loss: f"step {step}: loss {loss:.2f}", "not two"),
        (lambda step, loss: f"step {step} loss {loss:.3f}", ":.3f"),
        (lambda step, loss: print(f"step {step}: loss {loss:.3f}"), "return"),
    ],
    "primer.count_letters": [
        (_count_set_to_one, "every count is 1"),
        (_count_letters_only, "counts.get(letter, 0) + 1"),
        (lambda text: {letter: text.count(letter) for letter in text.replace(" ", "")}, "spaces"),
        (_count_lowercase, "'A' and 'a'"),
        (_count_without_a_start, "KeyError"),
    ],
    "primer.center": [
        (lambda m: m - m.mean(), "whole matrix"),
        (lambda m: m - m.mean(axis=1, keepdims=True), "row means"),
        (lambda m: m - m.mean(axis=1), "lays it along each row"),
        (lambda m: m.mean(axis=0), "returned the column means"),
        (lambda m: m / m.mean(axis=0), "matrix.mean(axis=0)"),
    ],
    "primer.pick": [
        (lambda t, c: t[:, c], "a square of numbers"),
        (lambda t, c: t[c], "picks whole rows"),
        (_pick_with_a_loop_over_columns, "swapped"),
        (lambda t, c: t.max(axis=1), "largest"),
        (_pick_row_by_row, "a square of numbers"),
        (lambda t, c: np.take(t, c), "Index with two arrays"),
    ],
    "primer.layer": [
        (lambda x, w, b: x @ w, "forget to add the bias"),
        (lambda x, w, b: x * w + b, "position by position"),
        (lambda x, w, b: x @ w.T + b, "not `weights.T`"),
        (lambda x, w, b: (x @ w) * b, "added, not multiplied"),
        (lambda x, w, b: w @ x + b, "`inputs @ weights` is the matrix product"),
    ],
}
