"""Right answers to chapter 06's exercises in other forms: a Counter, tuples, loops, one pass in merge order."""

from collections import Counter

import numpy as np
import regex

from course_utils.data import GPT2_SPLIT_PATTERN


def get_pair_counts(ids):
    return dict(Counter(zip(ids, ids[1:], strict=False)))  # counted by a Counter, in first-appearance order


def merge(ids, pair, new_id):
    out, skip = [], False
    for i, token in enumerate(ids):
        if skip:
            skip = False
        elif i + 1 < len(ids) and (token, ids[i + 1]) == tuple(pair):
            out.append(new_id)
            skip = True
        else:
            out.append(token)
    return tuple(out)  # a tuple, not a list


def train_bpe(text, vocab_size):
    ids = list(text.encode("utf-8"))
    merges = {}
    for new_id in range(256, vocab_size):
        counts = Counter(zip(ids, ids[1:], strict=False))
        ((pair, _),) = counts.most_common(1)  # most_common keeps the first of equal counts; empty text: ValueError
        ids = list(merge(ids, pair, new_id))
        merges[pair] = new_id
    return merges


def encode(text, merges):
    ids = np.frombuffer(text.encode("utf-8"), dtype=np.uint8).astype(np.int64).tolist()
    for pair, new_id in merges.items():  # one pass in the order learned gives the same ids as by rank
        ids = list(merge(ids, pair, new_id))
    return np.array(ids, dtype=np.int64)  # an array, not a list


def decode(ids, merges):
    vocab = {i: bytes([i]) for i in range(256)}
    for (a, b), new_id in merges.items():
        vocab[new_id] = vocab[a] + vocab[b]
    data = bytearray()
    for token in ids:
        data += vocab[int(token)]
    return data.decode("utf-8", errors="replace")


def encode_like_gpt2(text, ranks):
    ids = []
    for piece in regex.findall(GPT2_SPLIT_PATTERN, text):
        parts = [piece.encode("utf-8")[i : i + 1] for i in range(len(piece.encode("utf-8")))]
        while True:
            scored = [(ranks.get(parts[i] + parts[i + 1]), i) for i in range(len(parts) - 1)]
            scored = [(rank, i) for rank, i in scored if rank is not None]
            if not scored:
                break
            _, i = min(scored)
            parts[i : i + 2] = [parts[i] + parts[i + 1]]
        ids += [np.int64(ranks[part]) for part in parts]  # numpy integers
    return ids


OTHER_FORMS = {
    "ch06.get_pair_counts": get_pair_counts,
    "ch06.merge": merge,
    "ch06.train_bpe": train_bpe,
    "ch06.encode": encode,
    "ch06.decode": decode,
    "ch06.encode_like_gpt2": encode_like_gpt2,
}
