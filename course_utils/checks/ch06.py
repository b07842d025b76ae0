"""Exercises of chapter 06, tokenization: byte-pair encoding from scratch, equal to GPT-2's."""

from __future__ import annotations

import collections
import functools
import itertools
import random
from collections.abc import Iterator, Mapping
from typing import Any

import regex

from course_utils.bpe import decode, encode, encode_like_gpt2, get_pair_counts, merge, train_bpe
from course_utils.checks.core import Case, Exercise, Mistake, describe, register
from course_utils.data import GPT2_SPLIT_PATTERN, gpt2_mergeable_ranks


class _ReadOnly(Mapping):
    """A dict the learner's code can read but not change. The check copies each input before every call, so
    that a function which changes its input cannot spoil the next case; GPT-2's 50,256 ranks are too large to
    copy dozens of times, and an input nobody can change needs no copy."""

    def __init__(self, items: dict) -> None:
        self._items = dict(items)

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: Any, default: Any = None) -> Any:
        return self._items.get(key, default)

    def __deepcopy__(self, memo: dict) -> _ReadOnly:
        return self

    def __repr__(self) -> str:
        return f"{{{', '.join(f'{k!r}: {v!r}' for k, v in itertools.islice(self._items.items(), 3))}, ...}}"


CLASSIC = "aaabdaaabac"
CLASSIC_MERGES = {(97, 97): 256, (256, 97): 257, (257, 98): 258}
# merging by frequency (bc twice) and by rank (ab first) give different ids on this text
RANK_TEXT, RANK_MERGES = "abcbc", {(97, 98): 256, (98, 99): 257}
ACCENTED = "café déjà vu, déjà café"
LINE = "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer"


def _same_ids(got: Any, want: list[int]) -> str | None:
    """Compare lists of ids, and name a list of something else (bytes, strings, a tensor of floats) as such."""
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if isinstance(got, (bytes, str)):
        return f"expected a list of ids, got {describe(got)}: return the ids, a list of whole numbers"
    try:
        got = list(got)
    except TypeError:
        return f"expected a list of ids, got {describe(got)}"
    if not all(isinstance(i, int) or (hasattr(i, "item") and float(i) == int(i)) for i in got):
        return f"expected a list of whole-number ids, got {describe(got)}"
    got = [int(i) for i in got]
    if got == want:
        return None
    if len(got) != len(want):
        return f"expected {len(want)} ids {describe(want)}, got {len(got)}: {describe(got)}"
    first = next(i for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w)
    return f"expected {describe(want)}, got {describe(got)} (they first differ at position {first})"


def _same_text(got: Any, want: str) -> str | None:
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if isinstance(got, bytes):
        return f"expected a string, got bytes {describe(got)}: turn the bytes into text with `.decode('utf-8', ...)`"
    if not isinstance(got, str):
        return f"expected the string {want!r}, got {describe(got)}"
    return None if got == want else f"expected {want!r}, got {got!r}"


def _same_merges(got: Any, want: dict) -> str | None:
    """Compare merges as the ordered list of (pair, new id) they hold: the order is part of the answer."""
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if not isinstance(got, dict):
        return f"expected a dict {{(a, b): new_id}}, got {describe(got)}"
    got_items = [(tuple(pair) if isinstance(pair, (tuple, list)) else pair, new_id) for pair, new_id in got.items()]
    want_items = list(want.items())
    if got_items == want_items:
        return None
    if len(got_items) != len(want_items):
        return f"expected {len(want_items)} merges {describe(want)}, got {len(got_items)}: {describe(got)}"
    first = next(i for i, (g, w) in enumerate(zip(got_items, want_items, strict=True)) if g != w)
    return (
        f"merge number {first} should be {want_items[first][0]} -> {want_items[first][1]}, got "
        f"{got_items[first][0]} -> {got_items[first][1]} (the merges in order: {describe(got)})"
    )


# ----------------------------------------------------------------------------------------------------------------
# ch06.get_pair_counts


def _pair_cases() -> list[Case]:
    rng = random.Random(6)
    return [
        Case("[1, 2, 2, 2, 3, 1, 2] (a run of three 2s)", ([1, 2, 2, 2, 3, 1, 2],)),
        Case("[97, 97, 97] ('aaa': the pair (97, 97) twice, overlapping)", ([97, 97, 97],)),
        Case("[5, 5, 5, 5]", ([5, 5, 5, 5],)),
        Case("the bytes of 'aaabdaaabac'", (list(CLASSIC.encode()),)),
        Case("200 random ids from 0 to 9 (seed 6)", ([rng.randrange(10) for _ in range(200)],)),
        Case("a single id (no pair)", ([7],)),
        Case("no ids at all", ([],)),
    ]


def _pairs_stepping_by_two(ids):
    counts = {}
    for i in range(0, len(ids) - 1, 2):
        counts[(ids[i], ids[i + 1])] = counts.get((ids[i], ids[i + 1]), 0) + 1
    return counts


def _pairs_without_overlap(ids):
    # counts each pair as merge() would find it: after a match the scan skips past it
    counts, i = {}, 0
    while i < len(ids) - 1:
        pair = (ids[i], ids[i + 1])
        counts[pair] = counts.get(pair, 0) + 1
        i += 2 if pair[0] == pair[1] else 1
    return counts


register(
    Exercise(
        id="ch06.get_pair_counts",
        title="Count neighbouring pairs",
        difficulty=1,
        minutes=5,
        hint="`zip(ids, ids[1:])` gives every pair of neighbours, (ids[0], ids[1]), (ids[1], ids[2]), ...; count "
        "each in a dict with `counts[pair] = counts.get(pair, 0) + 1`.",
        reference=get_pair_counts,
        cases=_pair_cases,
        mistakes=[
            Mistake(
                "count overlapping pairs too: in [a, a, a] the pair (a, a) occurs twice, at positions 0 and 1. "
                "Step one position at a time, not past each pair.",
                _pairs_without_overlap,
            ),
            Mistake(
                "every position starts a pair, not every other one: step through `ids` one at a time "
                "(`zip(ids, ids[1:])`).",
                _pairs_stepping_by_two,
            ),
            Mistake(
                "the last pair, (ids[-2], ids[-1]), is missing: a list of n ids has n - 1 pairs (off by one).",
                lambda ids: dict(collections.Counter(zip(ids[:-1], ids[1:-1], strict=False))),
            ),
            Mistake(
                "the last id has no neighbour after it: do not pair it with the first one (no wrapping around).",
                lambda ids: dict(collections.Counter(zip(ids, ids[1:] + ids[:1], strict=False))) if ids else {},
            ),
            Mistake(
                "a pair is (an id, the id that follows it): (a, b) and (b, a) are different pairs, in that order.",
                lambda ids: dict(collections.Counter(zip(ids[1:], ids, strict=False))),
            ),
            Mistake(
                "a pair is ordered: do not sort it, (2, 1) and (1, 2) are different pairs.",
                lambda ids: dict(collections.Counter(tuple(sorted(p)) for p in zip(ids, ids[1:], strict=False))),
            ),
            Mistake(
                "count how often each pair occurs, not only whether it occurs (every count came out 1).",
                lambda ids: dict.fromkeys(zip(ids, ids[1:], strict=False), 1),
            ),
        ],
    )
)


# ----------------------------------------------------------------------------------------------------------------
# ch06.merge


def _merge_cases() -> list[Case]:
    rng = random.Random(16)
    return [
        Case("[5, 5, 5] merging (5, 5) into 9 ('aaa')", ([5, 5, 5], (5, 5), 9)),
        Case("[1, 2, 3, 1, 2, 4] merging (1, 2) into 256", ([1, 2, 3, 1, 2, 4], (1, 2), 256)),
        Case("[5, 5, 5, 5] merging (5, 5) into 9", ([5, 5, 5, 5], (5, 5), 9)),
        Case("[3, 1, 2] merging (1, 2) into 256 (the pair at the end)", ([3, 1, 2], (1, 2), 256)),
        Case("[1, 3, 2, 1] merging (1, 2) into 256 (1 and 2 never neighbours)", ([1, 3, 2, 1], (1, 2), 256)),
        Case("the bytes of 'aaabdaaabac' merging (97, 97) into 256", (list(CLASSIC.encode()), (97, 97), 256)),
        Case(
            "300 random ids from 0 to 3 merging (2, 3) into 300", ([rng.randrange(4) for _ in range(300)], (2, 3), 300)
        ),
        # ids of two digits: replacing "1 2" in the string "11 2 1 22" would cut through 11 and 22
        Case(
            "[11, 2, 1, 22] merging (1, 2) into 256 (no occurrence: 11 and 22 are ids of their own)",
            ([11, 2, 1, 22], (1, 2), 256),
        ),
        Case("no ids at all", ([], (1, 2), 256)),
    ]


def _merge_advancing_one(ids, pair, new_id):
    merged = []
    for i in range(len(ids)):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == tuple(pair):
            merged.append(new_id)
        elif not (i > 0 and (ids[i - 1], ids[i]) == tuple(pair)):
            merged.append(ids[i])
    return merged


def _merge_advancing_one_keeping(ids, pair, new_id):
    merged, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == tuple(pair):
            merged.append(new_id)
        else:
            merged.append(ids[i])
        i += 1
    return merged


def _merge_first_only(ids, pair, new_id):
    for i in range(len(ids) - 1):
        if (ids[i], ids[i + 1]) == tuple(pair):
            return list(ids[:i]) + [new_id] + list(ids[i + 2 :])
    return list(ids)


def _merge_from_the_right(ids, pair, new_id):
    return merge(list(ids)[::-1], tuple(pair)[::-1], new_id)[::-1]


def _merge_dropping_the_last(ids, pair, new_id):
    merged, i = [], 0
    while i < len(ids) - 1:
        if (ids[i], ids[i + 1]) == tuple(pair):
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return merged


def _merge_as_string(ids, pair, new_id):
    joined = " ".join(map(str, ids)).replace(f"{pair[0]} {pair[1]}", str(new_id))
    return [int(part) for part in joined.split()]


def _merge_first_id_only(ids, pair, new_id):
    merged, i = [], 0
    while i < len(ids):
        if ids[i] == pair[0] and i + 1 < len(ids):
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return merged


register(
    Exercise(
        id="ch06.merge",
        title="Merge a pair everywhere",
        difficulty=2,
        minutes=8,
        hint="Walk through `ids` with an index `i` in a `while` loop: if `ids[i]` and `ids[i + 1]` are the pair, "
        "append `new_id` and move on by 2; otherwise append `ids[i]` and move on by 1. Mind the last position.",
        reference=merge,
        cases=_merge_cases,
        compare=_same_ids,
        mistakes=[
            Mistake(
                "after replacing a pair, move on past both of its ids (`i += 2`): in [a, a, a] the second a is "
                "used up by the first merge, so the answer is [X, a], not [X, X, a] or [X, X].",
                _merge_advancing_one_keeping,
            ),
            Mistake(
                "after replacing a pair, move on past both of its ids (`i += 2`): in [a, a, a] the second a is "
                "used up by the first merge, so the answer is [X, a].",
                _merge_advancing_one,
            ),
            Mistake(
                "replace every occurrence of the pair, not only the first one: keep scanning to the end.",
                _merge_first_only,
            ),
            Mistake(
                "scan from left to right: [a, a, a] becomes [X, a]; scanning from the right gives [a, X].",
                _merge_from_the_right,
            ),
            Mistake(
                "the last id got lost: when the scan reaches the last position, append `ids[-1]` too.",
                _merge_dropping_the_last,
            ),
            Mistake(
                "check both ids: `ids[i] == pair[0] and ids[i + 1] == pair[1]`, not only the first.",
                _merge_first_id_only,
            ),
            Mistake(
                "compare ids, not text: replacing '1 2' in the string of the ids also matches inside '11 2' or "
                "'1 22'. Walk through the list and compare `ids[i]` and `ids[i + 1]` with the pair.",
                _merge_as_string,
            ),
        ],
    )
)


# ----------------------------------------------------------------------------------------------------------------
# ch06.train_bpe


def _train_cases() -> list[Case]:
    return [
        Case(f"{CLASSIC!r} with vocab_size 259 (3 merges)", (CLASSIC, 259)),
        Case("'abcdcdab' with vocab_size 258 (ab and cd occur twice each; ab comes first)", ("abcdcdab", 258)),
        Case(f"{ACCENTED!r} with vocab_size 262 (accents are two bytes each)", (ACCENTED, 262)),
        Case("two lines of Hamlet with vocab_size 280", (LINE, 280)),
        Case("'hello' with vocab_size 256 (no merges)", ("hello", 256)),
        Case("'zzzzzzzz' with vocab_size 259", ("zzzzzzzz", 259)),
        Case("'abc' with vocab_size 260 (only 2 merges are possible)", ("abc", 260), raises=(ValueError,)),
    ]


def _train_with(text, vocab_size, *, start=None, pick=None, ids_of=None, n_merges=None, remerge=True):
    ids = ids_of(text) if ids_of else list(text.encode("utf-8"))
    merges = {}
    for new_id in range(256, 256 + (n_merges(vocab_size) if n_merges else vocab_size - 256)):
        counts = get_pair_counts(ids)
        if not counts:
            break
        pair = pick(counts) if pick else max(counts, key=counts.get)
        if remerge:
            ids = merge(ids, pair, new_id)
        merges[pair] = new_id
    return merges


register(
    Exercise(
        id="ch06.train_bpe",
        title="Train byte-pair encoding",
        difficulty=2,
        minutes=12,
        hint="Start from `list(text.encode('utf-8'))`. For each new id from 256 up to `vocab_size - 1`: count the "
        "pairs with `get_pair_counts`, take the most frequent with `max(counts, key=counts.get)`, merge it with "
        "`merge`, and record `merges[pair] = new_id`.",
        reference=train_bpe,
        cases=_train_cases,
        compare=_same_merges,
        mistakes=[
            Mistake(
                "of equally frequent pairs, merge the one that occurs first in the current ids: "
                "`max(counts, key=counts.get)` does that, as the dict is filled from left to right. Do not "
                "break ties by the pair's ids or take the last one.",
                functools.partial(
                    _train_with, pick=lambda counts: max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
                ),
            ),
            Mistake(
                "of equally frequent pairs, merge the one that occurs first in the current ids: "
                "`max(counts, key=counts.get)` does that; sorting by count and taking the last one takes the last.",
                functools.partial(_train_with, pick=lambda counts: sorted(counts, key=counts.get)[-1]),
            ),
            Mistake(
                "BPE works on the UTF-8 bytes of the text, `list(text.encode('utf-8'))`, not on the characters' "
                "Unicode numbers (`ord`): é is the two bytes 195, 169, not 233.",
                functools.partial(_train_with, ids_of=lambda text: [ord(char) for char in text]),
            ),
            Mistake(
                "the vocabulary counts the 256 bytes too: learn `vocab_size - 256` merges (new ids 256 to "
                "vocab_size - 1), no more, no fewer.",
                functools.partial(_train_with, n_merges=lambda vocab_size: vocab_size - 255),
            ),
            Mistake(
                "the vocabulary counts the 256 bytes too: learn `vocab_size - 256` merges (new ids 256 to "
                "vocab_size - 1), no more, no fewer.",
                functools.partial(_train_with, n_merges=lambda vocab_size: vocab_size - 257),
            ),
            Mistake(
                "after choosing a pair, merge it in the ids (`ids = merge(ids, pair, new_id)`) before counting "
                "again: otherwise every round finds the same pair.",
                functools.partial(_train_with, remerge=False),
            ),
            Mistake(
                "merge the most frequent pair (`max`), not the least frequent.",
                functools.partial(_train_with, pick=lambda counts: min(counts, key=counts.get)),
            ),
        ],
    )
)


# ----------------------------------------------------------------------------------------------------------------
# ch06.encode


def _trained(text: str, vocab_size: int) -> dict:
    return train_bpe(text, vocab_size)


def _encode_cases() -> list[Case]:
    hamlet = _trained(LINE, 300)
    accents = _trained(ACCENTED, 266)
    return [
        Case(f"{RANK_TEXT!r} with merges ab -> 256, bc -> 257 (rank and frequency disagree)", (RANK_TEXT, RANK_MERGES)),
        Case(f"{CLASSIC!r} with its 3 merges (aa, then (aa)a, then ((aa)a)b)", (CLASSIC, CLASSIC_MERGES)),
        Case(
            "'ccddcdab' with merges cc -> 256, cd -> 257, dc -> 258",
            ("ccddcdab", {(99, 99): 256, (99, 100): 257, (100, 99): 258}),
        ),
        # the lowest rank is not the smallest pair here: bc -> 256 comes before ab -> 257
        Case(
            "'abc' with merges bc -> 256, ab -> 257 (the first learned is not the smallest pair)",
            ("abc", {(98, 99): 256, (97, 98): 257}),
        ),
        Case("a line of Hamlet with 44 merges learned on it", (LINE, hamlet)),
        Case(f"{ACCENTED!r} with 10 merges learned on it", (ACCENTED, accents)),
        Case("a new text with the Hamlet merges: 'Be not afraid of greatness'", ("Be not afraid of greatness", hamlet)),
        Case("one character, 'é' (two bytes), with no merges", ("é", {})),
        Case("the empty text", ("", CLASSIC_MERGES)),
    ]


def _encode_with(text, merges, *, pick=None, ids_of=None, rounds=None, order=None):
    ids = ids_of(text) if ids_of else list(text.encode("utf-8"))
    if order is not None:
        for pair in order(merges):
            ids = merge(ids, pair, merges[pair])
        return ids
    done = 0
    while len(ids) >= 2 and (rounds is None or done < rounds):
        counts = get_pair_counts(ids)
        candidates = {pair: n for pair, n in counts.items() if pair in merges}
        if not candidates:
            break
        pair = pick(candidates, merges)
        ids = merge(ids, pair, merges[pair])
        done += 1
    return ids


_BY_RANK = lambda candidates, merges: min(candidates, key=merges.get)  # noqa: E731 - a small strategy to pass on

register(
    Exercise(
        id="ch06.encode",
        title="Encode text with learned merges",
        difficulty=2,
        minutes=10,
        hint="Start from `list(text.encode('utf-8'))`. While there are at least two ids: among the pairs present, "
        "find the one with the lowest new id in `merges` (`min(pairs, key=lambda p: merges.get(p, float('inf')))`"
        "); stop if it is not in `merges`, else merge it.",
        reference=encode,
        cases=_encode_cases,
        compare=_same_ids,
        mistakes=[
            Mistake(
                # before the most frequent pair: on 'abc' all counts are 1 and both take ab
                "`min(pairs)` compares the pairs themselves, (97, 98) < (98, 99); give it a key, "
                "`min(pairs, key=lambda p: merges.get(p, float('inf')))`, to take the merge with the lowest new id.",
                functools.partial(_encode_with, pick=lambda candidates, merges: min(candidates)),
            ),
            Mistake(
                "apply the merge learned first (the lowest new id) among the pairs present, not the most frequent "
                "pair: training counted pairs, encoding follows the order the merges were learned in.",
                functools.partial(_encode_with, pick=lambda candidates, merges: max(candidates, key=candidates.get)),
            ),
            Mistake(
                "apply the merge learned first, the lowest new id among the pairs present, not the highest.",
                functools.partial(_encode_with, pick=lambda candidates, merges: max(candidates, key=merges.get)),
            ),
            Mistake(
                "apply the merges from the first learned to the last: later merges build on earlier ones.",
                functools.partial(_encode_with, order=lambda merges: list(merges)[::-1]),
            ),
            Mistake(
                "encode the UTF-8 bytes of the text, `list(text.encode('utf-8'))`, not the characters' Unicode "
                "numbers (`ord`).",
                functools.partial(_encode_with, pick=_BY_RANK, ids_of=lambda text: [ord(char) for char in text]),
            ),
            Mistake(
                "keep merging until no pair of neighbours is a merge: one merge (or one pass) is not enough.",
                functools.partial(_encode_with, pick=_BY_RANK, rounds=1),
            ),
            Mistake(
                "apply the merge with the lowest new id among the pairs present, not the leftmost pair that "
                "happens to be a merge.",
                functools.partial(_encode_with, pick=lambda candidates, merges: next(iter(candidates))),
            ),
        ],
    )
)


# ----------------------------------------------------------------------------------------------------------------
# ch06.decode


def _random_unicode(rng: random.Random) -> str:
    """A short random string of code points from all over Unicode, surrogates left out (UTF-8 cannot hold them)."""
    chars = []
    for _ in range(rng.randrange(1, 12)):
        plane = rng.choice([0x7F, 0x7FF, 0xFFFF, 0x10FFFF])  # 1, 2, 3 and 4 bytes in UTF-8
        code = rng.randrange(plane + 1)
        while 0xD800 <= code <= 0xDFFF:
            code = rng.randrange(plane + 1)
        chars.append(chr(code))
    return "".join(chars)


def _decode_cases() -> list[Case]:
    rng = random.Random(60)
    mixed = "naïve café, Ünïcødé 日本語 🙂🙂 Привет"
    mixed_merges = _ReadOnly(train_bpe(mixed * 3, 290))
    cases = [
        Case("[226, 130, 97] (the first two of the three bytes of '€', then 'a'), no merges", ([226, 130, 97], {})),
        Case(
            "ids that split '日' between two tokens: the merge (230, 151) -> 256, then [256, 165, 98]",
            ([256, 165, 98], {(230, 151): 256}),
        ),
        Case(f"[258, 100, 258, 97, 99] with the 3 merges of {CLASSIC!r}", ([258, 100, 258, 97, 99], CLASSIC_MERGES)),
        Case("a mixed-script text encoded with 34 merges learned on it", (encode(mixed, mixed_merges), mixed_merges)),
        Case("[195, 169] ('é'), no merges", ([195, 169], {})),
        Case("[255, 104, 105] (255 is never valid UTF-8)", ([255, 104, 105], {})),
        Case("no ids at all", ([], CLASSIC_MERGES)),
        Case("[97, 300] with no merges (300 is no token)", ([97, 300], {}), raises=(KeyError,)),
    ]
    for number in range(1000):
        text = _random_unicode(rng)
        cases.append(
            Case(
                f"random Unicode string number {number} (seed 60), {text!r}", (encode(text, mixed_merges), mixed_merges)
            )
        )
    return cases


def _decode_with(ids, merges, *, errors="replace", each=False, swap=False, codec="utf-8"):
    table = {i: bytes([i]) for i in range(256)}
    for (a, b), new_id in merges.items():
        table[new_id] = table[b] + table[a] if swap else table[a] + table[b]
    if each:
        return "".join(table[i].decode(codec, errors=errors) for i in ids)
    return b"".join(table[i] for i in ids).decode(codec, errors=errors)


register(
    Exercise(
        id="ch06.decode",
        title="Decode ids back to text",
        difficulty=2,
        minutes=8,
        hint="Build each id's bytes: ids 0-255 are `bytes([i])`, and for each merge in order, "
        "`vocab[new_id] = vocab[a] + vocab[b]`. Join the bytes of all ids with `b''.join(...)` and decode once "
        "with `.decode('utf-8', errors='replace')`.",
        reference=decode,
        cases=_decode_cases,
        compare=_same_text,
        mistakes=[
            Mistake(
                "bytes that are not valid UTF-8 become the replacement character '\\ufffd': decode with "
                "`errors='replace'`, not `errors='ignore'`, which drops them silently.",
                functools.partial(_decode_with, errors="ignore"),
            ),
            Mistake(
                "join the bytes of all the ids first and decode once: one character's bytes can be split over "
                "two tokens, and decoding each token alone breaks it into replacement characters.",
                functools.partial(_decode_with, each=True),
            ),
            Mistake(
                "the bytes are UTF-8: decode with `.decode('utf-8', errors='replace')`; Latin-1 (or `chr` of each "
                "byte) turns every multi-byte character into several wrong ones.",
                functools.partial(_decode_with, codec="latin-1"),
            ),
            Mistake(
                "a merged id's bytes are its first part's bytes, then its second part's: `vocab[a] + vocab[b]`.",
                functools.partial(_decode_with, swap=True),
            ),
        ],
    )
)


# ----------------------------------------------------------------------------------------------------------------
# ch06.encode_like_gpt2


@functools.cache
def _ranks() -> _ReadOnly:
    return _ReadOnly(gpt2_mergeable_ranks())


def _gpt2_cases() -> list[Case]:
    ranks = _ranks()
    return [
        Case("'foo\\n\\nbar' (two newlines are two pieces before 'bar')", ("foo\n\nbar", ranks)),
        Case("\" 's\" (a space, then the contraction 's)", (" 's", ranks)),
        Case("'Hello,'", ("Hello,", ranks)),
        Case("'Implementations' (one word, three tokens)", ("Implementations", ranks)),
        Case("'hello   world' (a run of spaces)", ("hello   world", ranks)),
        Case("\"I'LL DON'T we've\" (contractions, in capitals too)", ("I'LL DON'T we've", ranks)),
        Case("'<|endoftext|> is text here'", ("<|endoftext|> is text here", ranks)),
        Case("'naïve café 日本語 🙂 Привет' (accents, CJK, emoji, Cyrillic)", ("naïve café 日本語 🙂 Привет", ranks)),
        Case("two lines of Hamlet", (LINE, ranks)),
        Case("1234567 + 89 = 1234656", ("1234567 + 89 = 1234656", ranks)),
        Case("the empty text", ("", ranks)),
    ]


def _bpe_by_rank(data: bytes, ranks, *, leftmost=False):
    parts = [bytes([byte]) for byte in data]
    while len(parts) >= 2:
        joined = [parts[i] + parts[i + 1] for i in range(len(parts) - 1)]
        known = [i for i in range(len(joined)) if joined[i] in ranks]
        if not known:
            break
        best = known[0] if leftmost else min(known, key=lambda i: ranks[joined[i]])
        parts[best : best + 2] = [joined[best]]
    return [ranks[part] for part in parts]


def _gpt2_with(text, ranks, *, split=None, leftmost=False, special=False):
    pieces = split(text) if split else regex.findall(GPT2_SPLIT_PATTERN, text)
    ids = []
    for piece in pieces:
        if special and piece == "<|endoftext|>":
            ids.append(50256)
            continue
        ids.extend(_bpe_by_rank(piece.encode("utf-8"), ranks, leftmost=leftmost))
    return ids


_SPECIAL_PATTERN = r"<\|endoftext\|>|" + GPT2_SPLIT_PATTERN

register(
    Exercise(
        id="ch06.encode_like_gpt2",
        title="GPT-2's tokenizer, exactly",
        difficulty=3,
        minutes=15,
        hint="`regex.findall(GPT2_SPLIT_PATTERN, text)` gives the pieces. For each piece: `parts` = its bytes, one "
        "`bytes([b])` each; repeatedly find the neighbouring pair whose joined bytes have the lowest rank "
        "(`ranks.get(parts[i] + parts[i + 1], float('inf'))`), join it, and stop when no joined pair is in "
        "`ranks`. The ids are `ranks[part]` of the parts left.",
        reference=encode_like_gpt2,
        cases=_gpt2_cases,
        compare=_same_ids,
        mistakes=[
            Mistake(
                "split the text with `regex.findall(GPT2_SPLIT_PATTERN, text)` first and merge within each piece "
                "only: GPT-2 never merges across pieces (two newlines in a row are two tokens before a word, not "
                "one). Leaving out the pattern, or splitting only before spaces, is not the same.",
                functools.partial(_gpt2_with, split=lambda text: [text] if text else []),
            ),
            Mistake(
                "split with GPT-2's whole pattern, `regex.findall(GPT2_SPLIT_PATTERN, text)`: `str.split()` drops "
                "the spaces and newlines, which are tokens too.",
                functools.partial(
                    _gpt2_with, split=lambda text: [(" " if i else "") + w for i, w in enumerate(text.split())]
                ),
            ),
            Mistake(
                "split with GPT-2's whole pattern: its `\\s+(?!\\S)` part keeps the last space (or newline) of a run "
                "for the word after it.",
                functools.partial(
                    _gpt2_with, split=lambda text: regex.findall(GPT2_SPLIT_PATTERN.replace(r"\s+(?!\S)|", ""), text)
                ),
            ),
            Mistake(
                "join the pair with the lowest rank, not the leftmost pair that is in `ranks`.",
                functools.partial(_gpt2_with, leftmost=True),
            ),
            Mistake(
                "no special tokens here: '<|endoftext|>' in the text is ordinary text, encoded by the pattern "
                "and the ranks like any other characters.",
                functools.partial(_gpt2_with, split=lambda text: regex.findall(_SPECIAL_PATTERN, text), special=True),
            ),
        ],
    )
)
