"""Plausible wrong answers to chapter 06's exercises, and what the check's message must point at."""

from collections import Counter

import regex

from course_utils.bpe import get_pair_counts, merge
from course_utils.data import GPT2_SPLIT_PATTERN

# ch06.get_pair_counts


def _pairs_skipping_after_a_match(ids):
    counts, i = {}, 0
    while i < len(ids) - 1:
        pair = (ids[i], ids[i + 1])
        counts[pair] = counts.get(pair, 0) + 1
        i += 2 if pair[0] == pair[1] else 1
    return counts


def _pairs_every_other(ids):
    return dict(Counter(zip(ids[::2], ids[1::2], strict=False)))


def _pairs_missing_last(ids):
    counts = {}
    for i in range(len(ids) - 2):
        counts[(ids[i], ids[i + 1])] = counts.get((ids[i], ids[i + 1]), 0) + 1
    return counts


def _pairs_wrapping(ids):
    counts = {}
    for i in range(len(ids)):
        pair = (ids[i], ids[(i + 1) % len(ids)])
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def _pairs_reversed(ids):
    return dict(Counter(zip(ids[1:], ids, strict=False)))


def _pairs_sorted(ids):
    return dict(Counter(tuple(sorted(pair)) for pair in zip(ids, ids[1:], strict=False)))


def _pairs_as_set(ids):
    return {pair: 1 for pair in set(zip(ids, ids[1:], strict=False))}


# ch06.merge


def _merge_step_one(ids, pair, new_id):
    out, i = [], 0
    while i < len(ids):
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
        else:
            out.append(ids[i])
        i += 1
    return out


def _merge_step_one_dropping_second(ids, pair, new_id):
    out = []
    for i, token in enumerate(ids):
        if i < len(ids) - 1 and (token, ids[i + 1]) == pair:
            out.append(new_id)
        elif i > 0 and (ids[i - 1], token) == pair:
            continue
        else:
            out.append(token)
    return out


def _merge_first_only(ids, pair, new_id):
    ids = list(ids)
    for i in range(len(ids) - 1):
        if (ids[i], ids[i + 1]) == pair:
            ids[i : i + 2] = [new_id]
            break
    return ids


def _merge_from_right(ids, pair, new_id):
    out, i = [], len(ids) - 1
    while i >= 0:
        if i > 0 and ids[i - 1] == pair[0] and ids[i] == pair[1]:
            out.append(new_id)
            i -= 2
        else:
            out.append(ids[i])
            i -= 1
    return out[::-1]


def _merge_loses_last(ids, pair, new_id):
    out, i = [], 0
    while i < len(ids) - 1:
        if ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _merge_checks_first_only(ids, pair, new_id):
    out, i = [], 0
    while i < len(ids):
        if ids[i] == pair[0] and i + 1 < len(ids):
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


# ch06.train_bpe


def _train(text, vocab_size, choose=None, ids=None, n_merges=None, apply=True):
    ids = list(text.encode("utf-8")) if ids is None else ids
    merges = {}
    for k in range(vocab_size - 256 if n_merges is None else n_merges):
        counts = get_pair_counts(ids)
        if not counts:
            break
        pair = choose(counts) if choose else max(counts, key=counts.get)
        if apply:
            ids = merge(ids, pair, 256 + k)
        merges[pair] = 256 + k
    return merges


def _train_ties_by_pair(text, vocab_size):
    return _train(text, vocab_size, choose=lambda c: max(c, key=lambda p: (c[p], p)))


def _train_ties_last(text, vocab_size):
    return _train(text, vocab_size, choose=lambda c: sorted(c, key=c.get)[-1])


def _train_code_points(text, vocab_size):
    return _train(text, vocab_size, ids=[ord(char) for char in text])


def _train_one_merge_too_many(text, vocab_size):
    return _train(text, vocab_size, n_merges=vocab_size - 255)


def _train_forgets_to_merge(text, vocab_size):
    return _train(text, vocab_size, apply=False)


def _train_least_frequent(text, vocab_size):
    return _train(text, vocab_size, choose=lambda c: min(c, key=c.get))


# ch06.encode


def _encode(text, merges, choose, ids=None, rounds=None):
    ids = list(text.encode("utf-8")) if ids is None else ids
    done = 0
    while len(ids) > 1 and (rounds is None or done < rounds):
        present = [pair for pair in get_pair_counts(ids) if pair in merges]
        if not present:
            break
        pair = choose(present, ids, merges)
        ids = merge(ids, pair, merges[pair])
        done += 1
    return ids


def _encode_by_frequency(text, merges):
    return _encode(text, merges, lambda present, ids, merges: max(present, key=get_pair_counts(ids).get))


def _encode_highest_rank(text, merges):
    return _encode(text, merges, lambda present, ids, merges: max(present, key=merges.get))


def _encode_reverse_order(text, merges):
    ids = list(text.encode("utf-8"))
    for pair, new_id in reversed(list(merges.items())):
        ids = merge(ids, pair, new_id)
    return ids


def _encode_code_points(text, merges):
    return _encode(text, merges, lambda present, ids, merges: min(present, key=merges.get), ids=[ord(c) for c in text])


def _encode_one_merge(text, merges):
    return _encode(text, merges, lambda present, ids, merges: min(present, key=merges.get), rounds=1)


def _encode_leftmost_merge(text, merges):
    return _encode(text, merges, lambda present, ids, merges: present[0])


# ch06.decode


def _vocab(merges, swap=False):
    vocab = {i: bytes([i]) for i in range(256)}
    for (a, b), new_id in merges.items():
        vocab[new_id] = vocab[b] + vocab[a] if swap else vocab[a] + vocab[b]
    return vocab


def _decode_ignore(ids, merges):
    vocab = _vocab(merges)
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="ignore")


def _decode_each_token(ids, merges):
    vocab = _vocab(merges)
    return "".join(vocab[i].decode("utf-8", errors="replace") for i in ids)


def _decode_latin1(ids, merges):
    vocab = _vocab(merges)
    return "".join(chr(byte) for byte in b"".join(vocab[i] for i in ids))


def _decode_swapped(ids, merges):
    vocab = _vocab(merges, swap=True)
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")


def _decode_strict(ids, merges):
    vocab = _vocab(merges)
    return b"".join(vocab[i] for i in ids).decode("utf-8")


def _decode_bytes(ids, merges):
    vocab = _vocab(merges)
    return b"".join(vocab[i] for i in ids)


# ch06.encode_like_gpt2


def _bpe(piece_bytes, ranks, leftmost=False):
    parts = [bytes([b]) for b in piece_bytes]
    while len(parts) > 1:
        candidates = [i for i in range(len(parts) - 1) if parts[i] + parts[i + 1] in ranks]
        if not candidates:
            break
        i = candidates[0] if leftmost else min(candidates, key=lambda i: ranks[parts[i] + parts[i + 1]])
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
    return [ranks[part] for part in parts]


def _gpt2_no_split(text, ranks):
    return _bpe(text.encode("utf-8"), ranks) if text else []


def _gpt2_split_on_spaces(text, ranks):
    ids = []
    for word in regex.split(r"(?= )", text):
        ids += _bpe(word.encode("utf-8"), ranks) if word else []
    return ids


def _gpt2_split_words(text, ranks):
    ids = []
    for index, word in enumerate(text.split()):
        ids += _bpe(((" " if index else "") + word).encode("utf-8"), ranks)
    return ids


def _gpt2_pattern_without_trailing_space_rule(text, ranks):
    pattern = GPT2_SPLIT_PATTERN.replace(r"\s+(?!\S)|", "")
    return [i for piece in regex.findall(pattern, text) for i in _bpe(piece.encode("utf-8"), ranks)]


def _gpt2_leftmost(text, ranks):
    return [i for piece in regex.findall(GPT2_SPLIT_PATTERN, text) for i in _bpe(piece.encode("utf-8"), ranks, True)]


def _gpt2_special(text, ranks):
    ids = []
    for piece in regex.findall(r"<\|endoftext\|>|" + GPT2_SPLIT_PATTERN, text):
        ids += [50256] if piece == "<|endoftext|>" else _bpe(piece.encode("utf-8"), ranks)
    return ids


def _gpt2_no_merges(text, ranks):
    return [ranks[bytes([b])] for b in text.encode("utf-8")]


# more wrong answers, from a review: each a plausible slip


def _pairs_default_one(ids):
    counts = {}
    for pair in zip(ids, ids[1:], strict=False):
        counts[pair] = counts.get(pair, 1) + 1  # the first occurrence counts twice
    return counts


def _merge_as_string(ids, pair, new_id):
    joined = " ".join(map(str, ids)).replace(f"{pair[0]} {pair[1]}", str(new_id))
    return [int(part) for part in joined.split()]


def _train_inverted(text, vocab_size):
    return {new_id: pair for pair, new_id in _train(text, vocab_size).items()}


def _train_from_257(text, vocab_size):
    return {pair: new_id + 1 for pair, new_id in _train(text, vocab_size).items()}


def _encode_smallest_pair(text, merges):
    ids = list(text.encode("utf-8"))
    while True:
        present = [pair for pair in zip(ids, ids[1:], strict=False) if pair in merges]
        if not present:
            return ids
        pair = min(present)  # compares the pairs, not their new ids
        ids = merge(ids, pair, merges[pair])


def _decode_question_marks(ids, merges):
    vocab = _vocab(merges)
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace").replace("\ufffd", "?")


def _decode_unknown_as_nothing(ids, merges):
    vocab = _vocab(merges)
    return b"".join(vocab.get(i, b"") for i in ids).decode("utf-8", errors="replace")


def _gpt2_regex_split(text, ranks):
    return [i for piece in regex.split(GPT2_SPLIT_PATTERN, text) if piece for i in _bpe(piece.encode(), ranks)]


def _gpt2_longest_prefix(text, ranks):
    ids = []
    for piece in regex.findall(GPT2_SPLIT_PATTERN, text):
        data = piece.encode("utf-8")
        while data:
            end = next(k for k in range(len(data), 0, -1) if data[:k] in ranks)
            ids.append(ranks[data[:end]])
            data = data[end:]
    return ids


def _gpt2_skips_whitespace(text, ranks):
    return [
        i for piece in regex.findall(GPT2_SPLIT_PATTERN, text) if piece.strip() for i in _bpe(piece.encode(), ranks)
    ]


WRONG_ANSWERS = {
    "ch06.get_pair_counts": [
        (_pairs_skipping_after_a_match, "count overlapping pairs"),
        (_pairs_every_other, "not every other one"),
        (_pairs_missing_last, "the last pair"),
        (_pairs_wrapping, "no wrapping around"),
        (_pairs_reversed, "(a, b) and (b, a) are different pairs"),
        (_pairs_sorted, "do not sort it"),
        (_pairs_as_set, "not only whether it occurs"),
        (_pairs_default_one, "expected 2, got 3"),
    ],
    "ch06.merge": [
        (_merge_step_one, "move on past both of its ids"),
        (_merge_step_one_dropping_second, "move on past both of its ids"),
        (_merge_first_only, "not only the first one"),
        (_merge_from_right, "scan from left to right"),
        (_merge_loses_last, "the last id got lost"),
        (_merge_checks_first_only, "check both ids"),
        (_merge_as_string, "compare ids, not text"),
    ],
    "ch06.train_bpe": [
        (_train_ties_by_pair, "equally frequent pairs"),
        (_train_ties_last, "equally frequent pairs"),
        (_train_code_points, "UTF-8 bytes"),
        (_train_one_merge_too_many, "vocab_size - 256"),
        (_train_forgets_to_merge, "merge it in the ids"),
        (_train_least_frequent, "not the least frequent"),
        (_train_inverted, "should be (97, 97) -> 256, got 256 -> (97, 97)"),
        (_train_from_257, "should be (97, 97) -> 256, got (97, 97) -> 257"),
    ],
    "ch06.encode": [
        (_encode_by_frequency, "not the most frequent"),
        (_encode_highest_rank, "not the highest"),
        (_encode_reverse_order, "from the first learned"),
        (_encode_code_points, "UTF-8 bytes"),
        (_encode_one_merge, "keep merging"),
        (_encode_leftmost_merge, "not the leftmost pair"),
        (_encode_smallest_pair, "compares the pairs themselves"),
    ],
    "ch06.decode": [
        (_decode_ignore, "errors='replace'"),
        (_decode_each_token, "decode once"),
        (_decode_latin1, "Latin-1"),
        (_decode_swapped, "vocab[a] + vocab[b]"),
        (_decode_strict, "UnicodeDecodeError"),
        (_decode_bytes, "expected a string, got bytes"),
        (_decode_question_marks, "errors='replace'"),
        (_decode_unknown_as_nothing, "promises KeyError"),
    ],
    "ch06.encode_like_gpt2": [
        (_gpt2_no_split, "never merges across pieces"),
        (_gpt2_split_on_spaces, "never merges across pieces"),
        (_gpt2_split_words, "`str.split()` drops the spaces"),
        (_gpt2_pattern_without_trailing_space_rule, "keeps the last space"),
        (_gpt2_leftmost, "not the leftmost pair"),
        (_gpt2_special, "ordinary text"),
        (_gpt2_no_merges, "lowest rank"),
        (_gpt2_regex_split, "`regex.findall(GPT2_SPLIT_PATTERN, text)` gives the pieces"),
        (_gpt2_longest_prefix, "lowest rank"),
        (_gpt2_skips_whitespace, "expected 4 ids [21943, 198, 198, 5657], got 2"),
    ],
}
