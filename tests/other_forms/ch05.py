"""Right answers to chapter 05's exercises in other forms: loops over lists, torch tensors, numpy scalars."""

import math

import numpy as np
import torch


def dot(a, b):
    if len(a) != len(b):
        raise ValueError(f"a has {len(a)} entries and b has {len(b)}")
    return sum(a[i] * b[i] for i in range(len(a)))  # a numpy float, or a 0-d tensor for tensors


def project(v, direction):
    v = torch.tensor(np.asarray(v), dtype=torch.float32)
    direction = torch.tensor(np.asarray(direction), dtype=torch.float32)
    length = torch.sqrt(torch.sum(direction * direction))
    if length == 0:
        raise ValueError("the direction is zero")
    return torch.dot(v, direction) / length  # a 0-d float32 tensor


def direction(vectors, words, pairs):
    if len(pairs) == 0:
        raise ValueError("no pairs")
    total = [0.0] * len(vectors[0])
    for a, b in pairs:
        vector_a, vector_b = vectors[words.index(a)], vectors[words.index(b)]
        for i in range(len(total)):
            total[i] += (vector_b[i] - vector_a[i]) / len(pairs)
    length = math.sqrt(sum(x * x for x in total))
    return [x / length for x in total]  # a list of numpy floats


def direction_scores(vectors, words, direction, query_words):
    return [project(vectors[words.index(word)], direction) for word in query_words]  # a list, with `project`


def unembed(h, W_U):
    return np.asarray(h) @ np.asarray(W_U)  # numpy, not torch


OTHER_FORMS = {
    "ch05.dot": dot,
    "ch05.project": project,
    "ch05.direction": direction,
    "ch05.direction_scores": direction_scores,
    "ch05.unembed": unembed,
}
