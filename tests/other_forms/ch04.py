"""Right answers to chapter 04's exercises in other forms: loops, Python lists, numpy for torch and torch for numpy,
sorted() instead of argsort, the eigenvectors of the covariance instead of the SVD."""

import math

import numpy as np
import torch


def embed_lookup(ids, W_E):
    ids = torch.as_tensor(ids)
    rows = []
    for i in ids.reshape(-1).tolist():  # one id at a time
        if not 0 <= i < len(W_E):
            raise ValueError(f"id {i} has no row in W_E ({len(W_E)} rows)")
        rows.append(W_E[i])
    return torch.stack(rows).reshape(*ids.shape, W_E.shape[1])


def one_hot_matmul(ids, W_E):
    ids = np.asarray(ids)
    one_hots = np.eye(len(W_E))[ids]  # numpy: row i of the identity is the one-hot of i (IndexError if out of range)
    return one_hots @ W_E.numpy()  # a float64 numpy array


def cosine_similarity(a, b):
    a, b = [float(x) for x in a], [float(x) for x in b]  # Python lists and a loop
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    length_a = math.sqrt(sum(x * x for x in a))
    length_b = math.sqrt(sum(y * y for y in b))
    if length_a == 0 or length_b == 0:
        raise ValueError("a vector of zeros has no direction")
    return np.float64(dot / (length_a * length_b))  # a numpy number


def nearest_neighbours(vectors, words, query, k):
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    table = dict(zip(words, torch.as_tensor(np.asarray(vectors)).double(), strict=True))  # torch, by word
    target = table[query]  # KeyError for a word not in the table
    scores = {}
    for word, vector in table.items():  # a loop over the words
        if word != query:
            scores[word] = float(vector @ target / (vector.norm() * target.norm()))
    return tuple(sorted(scores, key=lambda word: -scores[word])[:k])  # a tuple, sorted() instead of argsort


def analogy(vectors, words, a, b, c, k):
    vectors = torch.as_tensor(np.asarray(vectors)).double()
    rows = {word: i for i, word in enumerate(words)}
    unit = torch.nn.functional.normalize(vectors, dim=1)
    target = unit[rows[b]] - unit[rows[a]] + unit[rows[c]]
    scores = torch.nn.functional.cosine_similarity(vectors, target[None, :], dim=1)
    ranked = [words[i] for i in torch.argsort(scores, descending=True, stable=True).tolist()]
    return [word for word in ranked if word not in (a, b, c)][:k]


def pca_project(X, n_components):
    X = torch.as_tensor(np.asarray(X), dtype=torch.float64)
    if n_components > min(X.shape):
        raise ValueError(f"at most {min(X.shape)} components, got {n_components}")
    centred = X - X.mean(dim=0)
    # the principal directions are the eigenvectors of the covariance; eigh sorts them smallest first, so flip
    _, eigenvectors = torch.linalg.eigh(centred.T @ centred)
    return centred @ eigenvectors.flip(dims=[1])[:, :n_components]  # a float64 tensor


OTHER_FORMS = {
    "ch04.embed_lookup": embed_lookup,
    "ch04.one_hot_matmul": one_hot_matmul,
    "ch04.cosine_similarity": cosine_similarity,
    "ch04.nearest_neighbours": nearest_neighbours,
    "ch04.analogy": analogy,
    "ch04.pca_project": pca_project,
}
