"""Plausible wrong answers to chapter 03's exercises, and what the check's message must point at."""

import numpy as np
import torch


def _encode_from_one(text, vocab):
    return [vocab.index(char) + 1 for char in text]


def _encode_with_ord(text, vocab):
    return [ord(char) for char in text]


def _encode_sorting_again(text, vocab):
    ordered = sorted(vocab)
    return [ordered.index(char) for char in text]


def _decode_to_list(ids, vocab):
    return [vocab[int(i)] for i in ids]


def _decode_with_spaces(ids, vocab):
    return " ".join(vocab[int(i)] for i in ids)


def _decode_from_one(ids, vocab):
    return "".join(vocab[int(i) - 1] for i in ids)


def _one_hot_shifted(ids, vocab_size):
    return torch.eye(vocab_size)[torch.as_tensor(np.asarray(ids)) - 1]


def _one_hot_transposed(ids, vocab_size):
    return torch.eye(vocab_size)[:, torch.as_tensor(np.asarray(ids))]


def _one_hot_flat(ids, vocab_size):
    flat = torch.as_tensor(np.asarray(ids)).flatten()
    vectors = torch.zeros(len(flat), vocab_size)
    vectors[torch.arange(len(flat)), flat] = 1.0
    return vectors


def _one_hot_too_wide(ids, vocab_size):
    return torch.nn.functional.one_hot(torch.as_tensor(np.asarray(ids)), vocab_size + 1).float()


def _windows_target_inside(ids, context):
    ids = list(ids)
    starts = range(len(ids) - context)
    return [ids[i : i + context] for i in starts], [ids[i + context - 1] for i in starts]


def _windows_too_long(ids, context):
    ids = np.asarray(ids)
    starts = range(len(ids) - context - 1)
    return np.array([ids[i : i + context + 1] for i in starts]), np.array([ids[i + context] for i in starts])


def _windows_stop_early(ids, context):
    ids = np.asarray(ids)
    starts = range(len(ids) - context - 1)
    return np.array([ids[i : i + context] for i in starts]), np.array([ids[i + context] for i in starts])


def _counts_transposed(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    for current, following in zip(ids[:-1], ids[1:], strict=True):
        counts[following, current] += 1
    return counts


def _counts_fancy_index(ids, vocab_size):
    ids = np.asarray(ids)
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    counts[ids[:-1], ids[1:]] += 1
    return counts


def _counts_wrapping_around(ids, vocab_size):
    ids = np.asarray(ids)
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    np.add.at(counts, (ids, np.roll(ids, -1)), 1)
    return counts


def _counts_missing_last(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    for t in range(len(ids) - 2):
        counts[ids[t], ids[t + 1]] += 1
    return counts


def _sample_argmax(probabilities, generator):
    return int(torch.argmax(probabilities))


def _sample_ignoring_generator(probabilities, generator):
    return torch.multinomial(probabilities, 1).item()


def _sample_off_by_one(probabilities, generator):
    return torch.multinomial(probabilities, 1, generator=generator).item() + 1


def _sample_uniform(probabilities, generator):
    return torch.randint(len(probabilities), (1,), generator=generator).item()


def _sample_returning_tensor(probabilities, generator):
    return torch.multinomial(probabilities, 1, generator=generator)


def _sample_inverse_cdf_off_by_one(probabilities, generator):
    u = torch.rand(1, generator=generator)
    return int((torch.cumsum(probabilities, 0) < u).sum()) - 1


def _nll_no_minus(probabilities, ids):
    ids = np.asarray(ids)
    return float(np.mean(np.log(probabilities[ids[:-1], ids[1:]])))


def _nll_sum(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.sum(np.log(probabilities[ids[:-1], ids[1:]])))


def _nll_transposed(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.mean(np.log(probabilities[ids[1:], ids[:-1]])))


def _nll_bits(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.mean(np.log2(probabilities[ids[:-1], ids[1:]])))


WRONG_ANSWERS = {
    "ch03.encode": [
        (_encode_from_one, "off by one"),
        (_encode_with_ord, "Unicode"),
        (_encode_sorting_again, "do not sort"),
    ],
    "ch03.decode": [
        (_decode_to_list, "''.join"),
        (_decode_with_spaces, "nothing between"),
        (_decode_from_one, "off by one"),
    ],
    "ch03.one_hot": [
        (_one_hot_shifted, "off by one"),
        (_one_hot_transposed, "not the transpose"),
        (_one_hot_flat, "keep the shape"),
        (_one_hot_too_wide, "exactly vocab_size entries"),
    ],
    "ch03.sliding_windows": [
        (_windows_target_inside, "not the last id inside"),
        (_windows_too_long, "holds one more"),
        (_windows_stop_early, "stopped one early"),
    ],
    "ch03.bigram_counts": [
        (_counts_transposed, "transposed"),
        (_counts_fancy_index, "np.add.at"),
        (_counts_wrapping_around, "wrap around"),
        (_counts_missing_last, "missed the last"),
    ],
    "ch03.sample_next": [
        (_sample_argmax, "argmax"),
        (_sample_ignoring_generator, "generator"),
        (_sample_off_by_one, "off by one"),
        (_sample_uniform, "uniformly"),
        (_sample_returning_tensor, ".item()"),
        (_sample_inverse_cdf_off_by_one, "off by one"),
    ],
    "ch03.bigram_nll": [
        (_nll_no_minus, "minus sign"),
        (_nll_sum, "not the sum"),
        (_nll_transposed, "swapped"),
        (_nll_bits, "natural log"),
    ],
}
