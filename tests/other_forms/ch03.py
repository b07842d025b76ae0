"""Right answers to chapter 03's exercises in other forms: arrays for lists, lists for arrays, loops."""

import numpy as np
import torch


def encode(text, vocab):
    char_to_id = {char: index for index, char in enumerate(vocab)}
    return np.array([char_to_id[char] for char in text], dtype=np.int64)  # an array, not a list


def decode(ids, vocab):
    text = ""
    for token_id in ids:
        text += vocab[int(token_id)]
    return text


def one_hot(ids, vocab_size):
    return torch.tensor(np.eye(vocab_size)[np.asarray(ids)], dtype=torch.float32)


def sliding_windows(ids, context):
    ids = list(ids)
    starts = range(len(ids) - context)
    return [ids[i : i + context] for i in starts], [ids[i + context] for i in starts]  # lists, not arrays


def bigram_counts(ids, vocab_size):
    counts = [[0] * vocab_size for _ in range(vocab_size)]
    for current, following in zip(ids[:-1], ids[1:], strict=True):
        counts[current][following] += 1
    return counts  # a list of lists


def sample_next(probabilities, generator):
    return np.int64(torch.multinomial(probabilities, 1, generator=generator).item())  # a numpy integer


def bigram_nll(probabilities, ids):
    total = 0.0
    with np.errstate(divide="ignore"):
        for current, following in zip(ids[:-1], ids[1:], strict=True):
            total -= np.log(probabilities[current][following])
    return total / (len(ids) - 1)


def bigram_logits(ids, weight):
    # one-hot times weight.T picks a row of weight.T, that is a column of weight: pick them one by one
    return torch.stack([weight[:, int(i)] for i in ids])


OTHER_FORMS = {
    "ch03.encode": encode,
    "ch03.decode": decode,
    "ch03.one_hot": one_hot,
    "ch03.sliding_windows": sliding_windows,
    "ch03.bigram_counts": bigram_counts,
    "ch03.sample_next": sample_next,
    "ch03.bigram_nll": bigram_nll,
    "ch03.bigram_logits": bigram_logits,
}
