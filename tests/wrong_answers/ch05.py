"""Plausible wrong answers to chapter 05's exercises, written as a learner would, and what the message must say."""

import math

import numpy as np
import torch


def _dot_products_list(a, b):
    return [x * y for x, y in zip(a, b, strict=True)]  # forgot to add them up


def _dot_adds_pairs(a, b):
    total = 0.0
    for x, y in zip(a, b, strict=True):
        total += x + y  # + where * belongs
    return total


def _dot_off_by_one(a, b):
    total = 0.0
    for i in range(len(a) - 1):
        total += a[i] * b[i]
    return total


def _dot_mean(a, b):
    total = 0.0
    for x, y in zip(a, b, strict=True):
        total += x * y
    return total / len(a)


def _dot_product_of_sums(a, b):
    return sum(a) * sum(b)


def _project_no_division(v, direction):
    return sum(x * y for x, y in zip(v, direction, strict=True))


def _project_squared_length(v, direction):
    return np.dot(v, direction) / np.dot(direction, direction)


def _project_cosine(v, direction):
    return np.dot(v, direction) / (np.linalg.norm(v) * np.linalg.norm(direction))


def _project_abs(v, direction):
    return abs(np.dot(v, direction)) / np.linalg.norm(direction)


def _project_by_v_length(v, direction):
    return np.dot(v, direction) / np.linalg.norm(v)


def _project_vector(v, direction):
    return np.dot(v, direction) / np.dot(direction, direction) * direction


def _direction_unnormalised(vectors, words, pairs):
    diffs = [vectors[words.index(b)] - vectors[words.index(a)] for a, b in pairs]
    return np.mean(diffs, axis=0)


def _direction_reversed(vectors, words, pairs):
    diffs = [vectors[words.index(a)] - vectors[words.index(b)] for a, b in pairs]
    mean = np.mean(diffs, axis=0)
    return mean / np.linalg.norm(mean)


def _direction_unit_words(vectors, words, pairs):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    diffs = [unit[words.index(b)] - unit[words.index(a)] for a, b in pairs]
    mean = np.mean(diffs, axis=0)
    return mean / np.linalg.norm(mean)


def _direction_unit_differences(vectors, words, pairs):
    diffs = []
    for a, b in pairs:
        diff = vectors[words.index(b)] - vectors[words.index(a)]
        diffs.append(diff / np.linalg.norm(diff))
    mean = np.mean(diffs, axis=0)
    return mean / np.linalg.norm(mean)


def _direction_first_pair(vectors, words, pairs):
    a, b = pairs[0]
    diff = vectors[words.index(b)] - vectors[words.index(a)]
    return diff / np.linalg.norm(diff)


def _scores_plain_dot(vectors, words, direction, query_words):
    return np.array([vectors[words.index(word)] @ direction for word in query_words])


def _scores_cosine(vectors, words, direction, query_words):
    scores = []
    for word in query_words:
        v = vectors[words.index(word)]
        scores.append(v @ direction / (np.linalg.norm(v) * np.linalg.norm(direction)))
    return np.array(scores)


def _scores_abs(vectors, words, direction, query_words):
    return np.array([abs(vectors[words.index(w)] @ direction) / np.linalg.norm(direction) for w in query_words])


def _scores_sorted(vectors, words, direction, query_words):
    scores = [vectors[words.index(w)] @ direction / np.linalg.norm(direction) for w in query_words]
    return np.array(sorted(scores))


def _scores_every_word(vectors, words, direction, query_words):
    return vectors @ direction / np.linalg.norm(direction)


def _unembed_transposed(h, W_U):
    return h @ W_U.T


def _unembed_softmax(h, W_U):
    return torch.softmax(h @ W_U, dim=-1)


def _unembed_flat(h, W_U):
    return h.reshape(-1, h.shape[-1]) @ W_U


def _unembed_last(h, W_U):
    return h[..., -1, :] @ W_U


def _unembed_elementwise(h, W_U):
    return h.unsqueeze(-1) * W_U


def _unembed_loop_transposed(h, W_U):
    # one dot product per token, but with the rows of W_U: the learner read W_U as (vocab, d)
    return torch.stack([h @ W_U[t] for t in range(W_U.shape[0])], dim=-1)


WRONG_ANSWERS = {
    "ch05.dot": [
        (_dot_products_list, "did not add the products up"),
        (_dot_adds_pairs, "without multiplying"),
        (_dot_off_by_one, "last pair is missing"),
        (_dot_mean, "mean of the products"),
        (_dot_product_of_sums, "multiplied the two sums"),
        (lambda a, b: math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)), "product of the two"),
    ],
    "ch05.project": [
        (_project_no_division, "divide the dot product by the length"),
        (_project_squared_length, "not by its square"),
        (_project_cosine, "cosine similarity"),
        (_project_abs, "keep the sign"),
        (_project_by_v_length, "not by the length of v"),
        (_project_vector, "return one number"),
    ],
    "ch05.direction": [
        (_direction_unnormalised, "divide the average by its length"),
        (_direction_reversed, "subtract the other way round"),
        (_direction_unit_words, "use the raw word vectors"),
        (_direction_unit_differences, "normalise once at the end"),
        (_direction_first_pair, "not only the first one"),
    ],
    "ch05.direction_scores": [
        (_scores_plain_dot, "divide by the length of the direction"),
        (_scores_cosine, "gives the cosine"),
        (_scores_abs, "keep the sign"),
        (_scores_sorted, "keep the order"),
        (_scores_every_word, "score only the query words"),
    ],
    "ch05.unembed": [
        (_unembed_transposed, "not by its transpose"),
        (_unembed_softmax, "return the logits themselves"),
        (_unembed_flat, "keep h's leading dimensions"),
        (_unembed_last, "every position"),
        (_unembed_elementwise, "not entry by entry"),
        (_unembed_loop_transposed, "not by its transpose"),
    ],
}


def _dot_zip_truncates(a, b):
    total = 0.0
    for x, y in zip(a, b):  # noqa: B905 - the learner's zip stops at the shorter vector without a word
        total += x * y
    return total


def _direction_nan_for_no_pairs(vectors, words, pairs):
    diffs = np.array([vectors[words.index(b)] - vectors[words.index(a)] for a, b in pairs]).reshape(
        -1, vectors.shape[1]
    )
    mean = diffs.mean(axis=0)  # nan (with a warning) when there are no pairs
    return mean / np.linalg.norm(mean)


WRONG_ANSWERS["ch05.dot"].append((_dot_zip_truncates, "stops at the end of the shorter vector"))
WRONG_ANSWERS["ch05.direction"].append((_direction_nan_for_no_pairs, "promises ValueError"))


# Added by the chapter's review: mistakes a learner makes in a loop, with a length, or with shapes.


def _dot_overwrites_total(a, b):
    total = 0.0
    for i in range(len(a)):
        total = a[i] * b[i]  # = where += belongs
    return total


def _dot_return_in_loop(a, b):
    total = 0.0
    for x, y in zip(a, b, strict=True):
        total += x * y
        return total  # returns after the first pair


def _dot_skips_first(a, b):
    total = 0.0
    for i in range(1, len(a)):
        total += a[i] * b[i]
    return total


def _dot_abs_products(a, b):
    return sum(abs(x * y) for x, y in zip(a, b, strict=True))


def _project_by_entry_count(v, direction):
    return np.dot(v, direction) / len(direction)  # "length" read as the number of entries


def _project_no_squares(v, direction):
    return np.dot(v, direction) / math.sqrt(sum(direction))


def _direction_sum_unnormalised(vectors, words, pairs):
    total = np.zeros(vectors.shape[1])
    for a, b in pairs:
        total += vectors[words.index(b)] - vectors[words.index(a)]
    return total


def _direction_squared_length(vectors, words, pairs):
    mean = np.mean([vectors[words.index(b)] - vectors[words.index(a)] for a, b in pairs], axis=0)
    return mean / np.dot(mean, mean)


def _scores_by_word_length(vectors, words, direction, query_words):
    scores = []
    for word in query_words:
        v = vectors[words.index(word)]
        scores.append(np.dot(v, direction) / np.linalg.norm(v))
    return np.array(scores)


def _scores_rows_by_position(vectors, words, direction, query_words):
    return np.array([vectors[i] @ direction / np.linalg.norm(direction) for i in range(len(query_words))])


def _scores_int_array(vectors, words, direction, query_words):
    scores = np.zeros(len(query_words), dtype=int)
    for i, word in enumerate(query_words):
        scores[i] = vectors[words.index(word)] @ direction / np.linalg.norm(direction)
    return scores


def _scores_squared_length(vectors, words, direction, query_words):
    return np.array([vectors[words.index(w)] @ direction / (direction @ direction) for w in query_words])


def _unembed_log_softmax(h, W_U):
    return torch.log_softmax(h @ W_U, dim=-1)


def _unembed_argmax(h, W_U):
    return (h @ W_U).argmax(dim=-1)


def _unembed_squeezed(h, W_U):
    return torch.matmul(h, W_U).squeeze()


WRONG_ANSWERS["ch05.dot"] += [
    (_dot_overwrites_total, "replaces the total"),
    (_dot_return_in_loop, "`return` inside the loop"),
    (_dot_skips_first, "first pair is missing"),
    (_dot_abs_products, "keep the sign"),
]
WRONG_ANSWERS["ch05.project"] += [
    (_project_by_entry_count, "not by the number of its entries"),
    (_project_no_squares, "square the entries"),
]
WRONG_ANSWERS["ch05.direction"] += [
    (_direction_sum_unnormalised, "divide the average (or the sum)"),
    (_direction_squared_length, "not by its square"),
]
WRONG_ANSWERS["ch05.direction_scores"] += [
    (_scores_by_word_length, "not by the length of each word's vector"),
    (_scores_rows_by_position, "words.index(word)"),
    (_scores_int_array, "lost their fractions"),
    (_scores_squared_length, "not by its square"),
]
WRONG_ANSWERS["ch05.unembed"] += [
    (_unembed_log_softmax, "log-softmax"),
    (_unembed_argmax, "not the id of the highest one"),
    (_unembed_squeezed, "no `squeeze`"),
]
