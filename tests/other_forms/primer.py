"""Right answers to the primer's exercises in other forms: numpy numbers, a Counter, lists for arrays."""

from collections import Counter

import numpy as np


def mean(numbers):
    return np.float64(sum(numbers)) / len(numbers)  # a numpy number, not a float


def loss_line(step, loss):
    return "step {}: loss {:.3f}".format(step, loss)  # str.format instead of an f-string  # noqa: UP032


def count_letters(text):
    return dict(Counter(text))  # counted by the standard library's Counter, made a plain dict


def center(matrix):
    return (matrix - matrix.mean(axis=0)).tolist()  # a list of lists, not an array


def pick(table, columns):
    return [table[row, column] for row, column in enumerate(columns)]  # a list of numpy numbers


def layer(inputs, weights, bias):
    return (inputs.numpy() @ weights.numpy() + bias.numpy()).tolist()  # through numpy, a list of lists


OTHER_FORMS = {
    "primer.mean": mean,
    "primer.loss_line": loss_line,
    "primer.count_letters": count_letters,
    "primer.center": center,
    "primer.pick": pick,
    "primer.layer": layer,
}
