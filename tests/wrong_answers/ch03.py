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


def _encode_with_own_vocab(text, vocab):
    own = sorted(set(text))
    return [own.index(char) for char in text]


def _decode_to_list(ids, vocab):
    return [vocab[int(i)] for i in ids]


def _decode_with_spaces(ids, vocab):
    return " ".join(vocab[int(i)] for i in ids)


def _decode_from_one(ids, vocab):
    return "".join(vocab[int(i) - 1] for i in ids)


def _decode_sorting_again(ids, vocab):
    ordered = sorted(vocab)
    return "".join(ordered[int(i)] for i in ids)


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


def _one_hot_without_num_classes(ids, vocab_size):
    return torch.nn.functional.one_hot(torch.as_tensor(np.asarray(ids))).float()


def _one_hot_float64(ids, vocab_size):
    return torch.from_numpy(np.eye(vocab_size)[np.asarray(ids)])


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


def _windows_one_too_many(ids, context):
    ids = np.asarray(ids)
    return np.lib.stride_tricks.sliding_window_view(ids, context), ids[context:]


def _windows_jumping(ids, context):
    ids = list(ids)
    starts = range(0, len(ids) - context, context)
    return [ids[i : i + context] for i in starts], [ids[i + context] for i in starts]


def _windows_shifted_targets(ids, context):
    ids = np.asarray(ids)
    starts = range(len(ids) - context)
    return np.array([ids[i : i + context] for i in starts]), np.array([ids[i + 1 : i + context + 1] for i in starts])


def _windows_swapped(ids, context):
    ids = np.asarray(ids)
    return ids[context:], np.array([ids[i : i + context] for i in range(len(ids) - context)])


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


def _counts_two_at_a_time(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    for t in range(0, len(ids) - 1, 2):
        counts[ids[t], ids[t + 1]] += 1
    return counts


def _counts_sized_by_largest_id(ids, vocab_size):
    ids = np.asarray(ids)
    size = ids.max() + 1
    counts = np.zeros((size, size), dtype=int)
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
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


def _sample_fresh_generator(probabilities, generator):
    return torch.multinomial(probabilities, 1, generator=torch.Generator()).item()


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


def _nll_over_len(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.sum(np.log(probabilities[ids[:-1], ids[1:]])) / len(ids))


def _nll_log10(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.mean(np.log10(probabilities[ids[:-1], ids[1:]])))


def _nll_rows_twice(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.mean(np.log(probabilities[ids[:-1]][ids[1:]])))


def _nll_whole_rows(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.mean(np.log(probabilities[ids[:-1]])))


def _nll_wrapping_around(probabilities, ids):
    ids = np.asarray(ids)
    return float(-np.mean(np.log(probabilities[ids, np.roll(ids, -1)])))


def _encode_with_get(text, vocab):
    char_to_id = {char: index for index, char in enumerate(vocab)}
    return [char_to_id.get(char) for char in text]  # None for a character outside the vocabulary


def _encode_skipping_unknown(text, vocab):
    char_to_id = {char: index for index, char in enumerate(vocab)}
    return [char_to_id[char] for char in text if char in char_to_id]


def _encode_with_the_dict_backwards(text, vocab):
    id_to_char = {index: char for index, char in enumerate(vocab)}  # the decoding dict: a KeyError for "h"
    return [id_to_char[char] for char in text]


def _decode_returning_in_the_loop(ids, vocab):
    for token_id in ids:
        return vocab[int(token_id)]


def _decode_distinct_ids(ids, vocab):
    return "".join(vocab[token_id] for token_id in sorted({int(i) for i in ids}))


def _windows_loop_past_the_end(ids, context):
    inputs, targets = [], []
    for start in range(len(ids) - context + 1):  # one start too many: the last window has no target
        inputs.append(list(ids[start : start + context]))
        targets.append(ids[start + context])
    return np.array(inputs), np.array(targets)


def _counts_set_to_one(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    for current, following in zip(ids[:-1], ids[1:], strict=True):
        counts[current, following] = 1  # = instead of +=: a pair seen twice counts once
    return counts


def _nll_with_math_log(probabilities, ids):
    import math

    total = 0.0
    for current, following in zip(ids[:-1], ids[1:], strict=True):
        total -= math.log(probabilities[current][following])  # math.log(0) raises; the docstring promises inf
    return total / (len(ids) - 1)


def _logits_untransposed(ids, weight):
    return torch.eye(weight.shape[0])[ids] @ weight


def _logits_as_rows_of_weight(ids, weight):
    return weight[ids]  # row ids of weight, where Linear's output for id a is column a


def _logits_softmaxed(ids, weight):
    return torch.softmax(torch.eye(weight.shape[1])[ids] @ weight.T, dim=1)


def _logits_log_softmaxed(ids, weight):
    return torch.log_softmax(torch.eye(weight.shape[1])[ids] @ weight.T, dim=1)


def _logits_exponentiated(ids, weight):
    return (torch.eye(weight.shape[1])[ids] @ weight.T).exp()


def _logits_argmax(ids, weight):
    return (torch.eye(weight.shape[1])[ids] @ weight.T).argmax(dim=1)


def _logits_without_the_last(ids, weight):
    return torch.eye(weight.shape[1])[ids[:-1]] @ weight.T


def _logits_in_numpy(ids, weight):
    return np.eye(weight.shape[1])[np.asarray(ids)] @ weight.detach().numpy().T  # right numbers, no gradients


def _logits_with_integer_one_hots(ids, weight):
    return torch.nn.functional.one_hot(ids, weight.shape[1]) @ weight.T  # Long @ Float: torch refuses


WRONG_ANSWERS = {
    "ch03.encode": [
        (_encode_with_get, "`dict.get(char)` gives None"),
        (_encode_skipping_unknown, "not be skipped"),
        (_encode_with_the_dict_backwards, "the right way round"),
        (_encode_from_one, "off by one"),
        (_encode_with_ord, "Unicode"),
        (_encode_sorting_again, "do not sort"),
        (_encode_with_own_vocab, "you are given"),
    ],
    "ch03.decode": [
        (_decode_returning_in_the_loop, "a `return` inside the loop"),
        (_decode_distinct_ids, "a `set` loses both"),
        (_decode_to_list, "''.join"),
        (_decode_with_spaces, "nothing between"),
        (_decode_from_one, "off by one"),
        (_decode_sorting_again, "do not sort"),
    ],
    "ch03.one_hot": [
        (_one_hot_shifted, "off by one"),
        (_one_hot_transposed, "not the transpose"),
        (_one_hot_flat, "keep the shape"),
        (_one_hot_too_wide, "exactly vocab_size entries"),
        (_one_hot_without_num_classes, "num_classes"),
        (_one_hot_float64, "float32"),
    ],
    "ch03.sliding_windows": [
        (_windows_loop_past_the_end, "an index ran past the end"),
        (_windows_target_inside, "not the last id inside"),
        (_windows_too_long, "holds one more"),
        (_windows_stop_early, "stopped one early"),
        (_windows_one_too_many, "no id after it"),
        (_windows_jumping, "one id at a time"),
        (_windows_shifted_targets, "single id"),
        (_windows_swapped, "(inputs, targets)"),
    ],
    "ch03.bigram_counts": [
        (_counts_set_to_one, "rather than setting it to 1"),
        (_counts_transposed, "transposed"),
        (_counts_fancy_index, "np.add.at"),
        (_counts_wrapping_around, "wrap around"),
        (_counts_missing_last, "missed the last"),
        (_counts_two_at_a_time, "pairs overlap"),
        (_counts_sized_by_largest_id, "never occurs"),
    ],
    "ch03.sample_next": [
        (_sample_argmax, "argmax"),
        (_sample_ignoring_generator, "generator"),
        (_sample_off_by_one, "off by one"),
        (_sample_uniform, "uniformly"),
        (_sample_returning_tensor, ".item()"),
        (_sample_inverse_cdf_off_by_one, "off by one"),
        (_sample_fresh_generator, "passed in"),
    ],
    "ch03.bigram_nll": [
        (_nll_with_math_log, "`np.log` works on whole arrays"),
        (_nll_no_minus, "minus sign"),
        (_nll_sum, "not the sum"),
        (_nll_transposed, "swapped"),
        (_nll_bits, "natural log"),
        (_nll_log10, "base 10"),
        (_nll_over_len, "len(ids) - 1"),
        (_nll_rows_twice, "rows of those rows"),
        (_nll_whole_rows, "whole rows"),
        (_nll_wrapping_around, "wrap around"),
    ],
    "ch03.bigram_logits": [
        (_logits_untransposed, "transposed"),
        (_logits_as_rows_of_weight, "transposed"),
        (_logits_softmaxed, "comes later, inside the cross-entropy loss"),
        (_logits_log_softmaxed, "not their log-softmax"),
        (_logits_exponentiated, "do not exponentiate"),
        (_logits_argmax, "not only the most likely id"),
        (_logits_without_the_last, "the last one too"),
        (_logits_in_numpy, "cut off from `weight`"),
        (_logits_with_integer_one_hots, "RuntimeError"),
    ],
}
