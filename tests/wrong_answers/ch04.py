"""Plausible wrong answers to chapter 04's exercises, and what the check's message must point at."""

import numpy as np
import torch


def _ids(ids):
    return ids if isinstance(ids, torch.Tensor) else torch.as_tensor(np.asarray(ids))


# --- embed_lookup ---------------------------------------------------------------------------------------------


def _lookup_columns(ids, W_E):
    return W_E[:, _ids(ids)].movedim(0, -1)


def _lookup_flat(ids, W_E):
    return torch.stack([W_E[int(i)] for i in _ids(ids).reshape(-1)])


def _lookup_sum(ids, W_E):
    return W_E[_ids(ids)].sum(dim=0)


def _lookup_from_one(ids, W_E):
    return W_E[_ids(ids) - 1]


def _lookup_scaled(ids, W_E):
    return W_E[_ids(ids)] * np.sqrt(W_E.shape[1])


def _lookup_loop_1d(ids, W_E):
    # works for a list of ids, breaks on a batch: a loop over ids that assumes one dimension
    return torch.stack([W_E[i] for i in _ids(ids).tolist()])


# --- one_hot_matmul -------------------------------------------------------------------------------------------


def _matmul_transposed(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids), len(W_E)).float() @ W_E.T


def _matmul_flat(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids).reshape(-1), len(W_E)).float() @ W_E


def _matmul_summed(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids), len(W_E)).float().sum(dim=0) @ W_E


def _matmul_integer_one_hots(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids), len(W_E)) @ W_E


def _matmul_sized_by_largest_id(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids)).float() @ W_E


def _matmul_from_one(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids) - 1, len(W_E)).float() @ W_E


# --- cosine_similarity ----------------------------------------------------------------------------------------


def _f(vector):
    return np.asarray(vector, dtype=np.float64)


def _cosine_dot(a, b):
    return float(_f(a) @ _f(b))


def _cosine_one_length(a, b):
    return float(_f(a) @ _f(b) / np.linalg.norm(_f(b)))


def _cosine_squared_lengths(a, b):
    return float(_f(a) @ _f(b) / (np.sum(_f(a) ** 2) * np.sum(_f(b) ** 2)))


def _cosine_added_lengths(a, b):
    return float(_f(a) @ _f(b) / (np.linalg.norm(_f(a)) + np.linalg.norm(_f(b))))


def _cosine_angle(a, b):
    return float(np.arccos(_f(a) @ _f(b) / (np.linalg.norm(_f(a)) * np.linalg.norm(_f(b)))))


def _cosine_distance(a, b):
    return float(1 - _f(a) @ _f(b) / (np.linalg.norm(_f(a)) * np.linalg.norm(_f(b))))


def _euclidean(a, b):
    return float(np.linalg.norm(_f(a) - _f(b)))


# --- nearest_neighbours ---------------------------------------------------------------------------------------


def _unit(vectors):
    vectors = _f(vectors)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _neighbours_with_query(vectors, words, query, k):
    unit = _unit(vectors)
    scores = unit @ unit[words.index(query)]
    return [words[i] for i in np.argsort(-scores)[:k]]


def _neighbours_by_dot(vectors, words, query, k):
    vectors = _f(vectors)
    row = words.index(query)
    scores = vectors @ vectors[row]
    scores[row] = -np.inf
    return [words[i] for i in np.argsort(-scores)[:k]]


def _neighbours_by_distance(vectors, words, query, k):
    vectors = _f(vectors)
    row = words.index(query)
    distances = np.linalg.norm(vectors - vectors[row], axis=1)
    return [words[i] for i in np.argsort(distances)[1 : k + 1]]


def _neighbours_worst_first(vectors, words, query, k):
    unit = _unit(vectors)
    row = words.index(query)
    scores = unit @ unit[row]
    scores[row] = np.inf
    return [words[i] for i in np.argsort(scores)[:k]]


def _neighbours_one_short(vectors, words, query, k):
    unit = _unit(vectors)
    scores = unit @ unit[words.index(query)]
    return [words[i] for i in np.argsort(-scores)[1:k]]


def _neighbours_indices(vectors, words, query, k):
    unit = _unit(vectors)
    row = words.index(query)
    scores = unit @ unit[row]
    scores[row] = -np.inf
    return list(np.argsort(-scores)[:k])


def _neighbours_with_scores(vectors, words, query, k):
    unit = _unit(vectors)
    row = words.index(query)
    scores = unit @ unit[row]
    scores[row] = -np.inf
    return [(words[i], float(scores[i])) for i in np.argsort(-scores)[:k]]


# --- analogy --------------------------------------------------------------------------------------------------


def _analogy(vectors, words, a, b, c, k, *, order="b-a+c", exclude="abc", normalise=True, score="cosine"):
    raw = _f(vectors)
    unit = _unit(vectors)
    rows = [words.index(a), words.index(b), words.index(c)]
    v = unit if normalise else raw
    target = v[rows[1]] - v[rows[0]] + v[rows[2]] if order == "b-a+c" else v[rows[0]] - v[rows[1]] + v[rows[2]]
    scores = unit @ target / np.linalg.norm(target) if score == "cosine" else raw @ target
    excluded = {"abc": rows, "": [], "c": rows[2:]}[exclude]
    scores[excluded] = -np.inf
    return [words[i] for i in np.argsort(-scores)[:k]]


def _analogy_reversed(vectors, words, a, b, c, k):
    return _analogy(vectors, words, a, b, c, k, order="a-b+c")


def _analogy_keeping_question_words(vectors, words, a, b, c, k):
    return _analogy(vectors, words, a, b, c, k, exclude="")


def _analogy_unnormalised(vectors, words, a, b, c, k):
    return _analogy(vectors, words, a, b, c, k, normalise=False)


def _analogy_by_dot(vectors, words, a, b, c, k):
    return _analogy(vectors, words, a, b, c, k, score="dot")


def _analogy_excluding_only_c(vectors, words, a, b, c, k):
    return _analogy(vectors, words, a, b, c, k, exclude="c")


# --- pca_project ----------------------------------------------------------------------------------------------


def _svd(X):
    return np.linalg.svd(X, full_matrices=False)


def _pca_uncentred(X, n_components):
    X = _f(X)
    return X @ _svd(X)[2][:n_components].T


def _pca_columns_of_vt(X, n_components):
    centred = _f(X) - _f(X).mean(axis=0)
    return centred @ _svd(centred)[2][:, :n_components]


def _pca_u(X, n_components):
    centred = _f(X) - _f(X).mean(axis=0)
    return _svd(centred)[0][:, :n_components]


def _pca_eigh_last(X, n_components):
    centred = _f(X) - _f(X).mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)  # ascending: the first columns spread least
    return centred @ vectors[:, :n_components]


def _pca_row_means(X, n_components):
    centred = _f(X) - _f(X).mean(axis=1, keepdims=True)
    return centred @ _svd(centred)[2][:n_components].T


def _pca_standardised(X, n_components):
    scaled = (_f(X) - _f(X).mean(axis=0)) / _f(X).std(axis=0)
    return scaled @ _svd(scaled)[2][:n_components].T


def _pca_transposed(X, n_components):
    centred = _f(X) - _f(X).mean(axis=0)
    return (centred @ _svd(centred)[2][:n_components].T).T


# --- more mistakes a reviewer tried ---------------------------------------------------------------------------


def _lookup_sorted_ids(ids, W_E):
    flat = _ids(ids).reshape(-1).sort().values  # sorting the ids loses their order
    return W_E[flat].reshape(*_ids(ids).shape, W_E.shape[1])


def _lookup_unique_ids(ids, W_E):
    return W_E[_ids(ids).unique()]  # a repeated id must give its row again


def _matmul_classes_from_d(ids, W_E):
    return torch.nn.functional.one_hot(_ids(ids).long(), W_E.shape[1]).float() @ W_E  # d classes, not vocab_size


def _cosine_counts_as_lengths(a, b):
    return float(_f(a) @ _f(b) / (len(a) * len(b)))


def _cosine_abs(a, b):
    return abs(float(_f(a) @ _f(b) / np.linalg.norm(_f(a)) / np.linalg.norm(_f(b))))


def _cosine_pearson(a, b):
    return float(np.corrcoef(_f(a), _f(b))[0, 1])  # a correlation centres the vectors first


def _neighbours_ascending_tail(vectors, words, query, k):
    scores = _unit(vectors) @ _unit(vectors)[words.index(query)]
    return [words[i] for i in np.argsort(scores)[-k - 1 : -1]]  # the right k, worst of them first


def _neighbours_only_query_normalised(vectors, words, query, k):
    scores = _f(vectors) @ _unit(vectors)[words.index(query)]
    return [words[i] for i in np.argsort(-scores)[1 : k + 1]]  # drops the first, assuming it is the query


def _analogy_neighbours_of_b(vectors, words, a, b, c, k):
    unit = _unit(vectors)
    scores = unit @ unit[words.index(b)]
    scores[[words.index(a), words.index(b), words.index(c)]] = -np.inf
    return [words[i] for i in np.argsort(-scores)[:k]]


def _analogy_minus_c(vectors, words, a, b, c, k):
    unit = _unit(vectors)
    rows = [words.index(a), words.index(b), words.index(c)]
    scores = unit @ (unit[rows[1]] - unit[rows[0]] - unit[rows[2]])
    scores[rows] = -np.inf
    return [words[i] for i in np.argsort(-scores)[:k]]


def _pca_directions_only(X, n_components):
    return _svd(_f(X) - _f(X).mean(axis=0))[2][:n_components]  # the directions, not the points on them


def _pca_uncentred_points_on_centred_directions(X, n_components):
    return _f(X) @ _svd(_f(X) - _f(X).mean(axis=0))[2][:n_components].T


WRONG_ANSWERS = {
    "ch04.embed_lookup": [
        (_lookup_columns, "ROW per token"),
        (_lookup_flat, "keep the shape of `ids`"),
        (_lookup_sum, "not their sum"),
        (_lookup_from_one, "off by one"),
        (_lookup_scaled, "sqrt(d)"),
        (_lookup_loop_1d, "raised"),
        (_lookup_sorted_ids, "differ"),
        (_lookup_unique_ids, "the shape is"),
    ],
    "ch04.one_hot_matmul": [
        (_matmul_transposed, "not by its transpose"),
        (_matmul_flat, "keep the shape of `ids`"),
        (_matmul_summed, "summing the one-hots"),
        (_matmul_integer_one_hots, "raised RuntimeError"),
        (_matmul_sized_by_largest_id, "raised RuntimeError"),
        (_matmul_from_one, "raised RuntimeError"),
        (_matmul_classes_from_d, "raised RuntimeError"),
    ],
    "ch04.cosine_similarity": [
        (_cosine_dot, "plain dot product"),
        (_cosine_one_length, "BOTH vectors"),
        (_cosine_squared_lengths, "square root"),
        (_cosine_added_lengths, "do not add them"),
        (_cosine_angle, "no arccos"),
        (_cosine_distance, "cosine DISTANCE"),
        (_euclidean, "distance between the points"),
        (_cosine_counts_as_lengths, "np.linalg.norm(a)"),
        (_cosine_abs, "keep the sign"),
        (_cosine_pearson, "expected 0.96, got -1"),
    ],
    "ch04.nearest_neighbours": [
        (_neighbours_with_query, "leave the query itself out"),
        (_neighbours_by_dot, "plain dot product"),
        (_neighbours_by_distance, "not by the distance"),
        (_neighbours_worst_first, "best first"),
        (_neighbours_one_short, "return k words"),
        (_neighbours_indices, "list of words (strings)"),
        (_neighbours_with_scores, "list of words (strings)"),
        (_neighbours_ascending_tail, "worst of them first"),
        (_neighbours_only_query_normalised, "expected"),
    ],
    "ch04.analogy": [
        (_analogy_reversed, "wrong way round"),
        (_analogy_keeping_question_words, "leave a, b and c out"),
        (_analogy_unnormalised, "length 1 before adding"),
        (_analogy_by_dot, "not by the plain dot product"),
        (_analogy_excluding_only_c, "all three question words"),
        (_analogy_neighbours_of_b, "expected"),
        (_analogy_minus_c, "expected"),
    ],
    "ch04.pca_project": [
        (_pca_uncentred, "subtract the mean point"),
        (_pca_columns_of_vt, "ROWS of Vt"),
        (_pca_u, "columns of U"),
        (_pca_eigh_last, "FIRST directions"),
        (_pca_row_means, "not of each row"),
        (_pca_standardised, "only centre"),
        (_pca_transposed, "(points, components)"),
        (_pca_directions_only, "(points, components)"),
        (_pca_uncentred_points_on_centred_directions, "differ"),
    ],
}
