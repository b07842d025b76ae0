"""Byte-pair encoding (BPE) from scratch: training, encoding, decoding, GPT-2's own encoding, and saving merges.

Chapter 06 teaches these; its exercises ``ch06.get_pair_counts``, ``ch06.merge``, ``ch06.train_bpe``,
``ch06.encode``, ``ch06.decode`` and ``ch06.encode_like_gpt2`` are checked against the functions here.

The conventions every function shares:

* **merges** are a ``dict[tuple[int, int], int]`` from a pair of ids to the new id that replaces it, in the
  order they were learned; the new ids are 256, 257, ... without gaps (ids 0-255 are the 256 bytes).
* **ties**: when several pairs are equally frequent, training merges the one whose first occurrence in the
  current sequence is leftmost (what ``max`` over a dict filled from left to right gives). With a split
  pattern, the sequence is the text's pieces in order and pairs never cross from one piece to the next.
* **encoding** applies the merges by rank: always the lowest-numbered merge present, until none applies.

:func:`train_bpe` is the straightforward trainer the chapter's exercise asks for (it recounts every pair after
each merge); :func:`train_bpe_fast` learns the same merges much faster, by counting pairs once over the
distinct pieces of the text, weighted by how often each occurs, and then updating only the pieces a merge
touches. ``benchmarks/bpe.py`` measures the difference.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import regex

from course_utils.data import GPT2_SPLIT_PATTERN

BYTE_VOCAB_SIZE = 256
MERGES_FILE_HEADER = "# course_utils.bpe merges v1"


# --------------------------------------------------------------------------------------------------------------
# Checking input: each error says what was wrong and what to do


def require_text(text: object, function: str, non_empty: bool = False) -> None:
    """Raise a ``TypeError`` if ``text`` is not a string, and with ``non_empty`` a ``ValueError`` if it is empty
    (``function`` names the caller in the message)."""
    if not isinstance(text, str):
        hint = " Decode bytes first with .decode('utf-8')." if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"{function} needs the text as a str, got {type(text).__name__}.{hint}")
    if non_empty and not text:
        raise ValueError(f"{function} got an empty text: there is nothing to learn merges from.")


def require_merges(merges: object) -> None:
    """Raise a ``ValueError`` unless ``merges`` maps pairs of known ids to the new ids 256, 257, ... in order."""
    if not isinstance(merges, Mapping):
        raise TypeError(f"merges must be a dict from pairs of ids to new ids, got {type(merges).__name__}.")
    for position, (pair, new_id) in enumerate(merges.items()):
        expected = BYTE_VOCAB_SIZE + position
        if new_id != expected:
            raise ValueError(
                f"Merge number {position} gives the new id {new_id!r}, expected {expected}: the new ids must be "
                f"256, 257, ... in the order the merges were learned (as train_bpe returns them)."
            )
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(i, int) for i in pair)):
            raise ValueError(f"Merge number {position} has the key {pair!r}: each key must be a pair of ids (a, b).")
        if not all(0 <= i < expected for i in pair):
            raise ValueError(
                f"Merge number {position} joins {pair}, but only ids 0 to {expected - 1} exist before it: a merge "
                f"can only join bytes (0-255) and ids that earlier merges made."
            )


def require_vocab_size(vocab_size: object) -> int:
    """The number of merges ``vocab_size`` asks for (``vocab_size - 256``), or a ``ValueError`` if it is not a
    whole number of at least 256."""
    if not isinstance(vocab_size, int) or isinstance(vocab_size, bool) or vocab_size < BYTE_VOCAB_SIZE:
        raise ValueError(
            f"vocab_size must be a whole number of at least {BYTE_VOCAB_SIZE} (the 256 bytes come first, then one "
            f"id per merge), got {vocab_size!r}."
        )
    return vocab_size - BYTE_VOCAB_SIZE


def too_few_pairs(done: int, vocab_size: int) -> ValueError:
    """The error for a ``vocab_size`` larger than the text allows: only ``done`` merges were possible."""
    return ValueError(
        f"Only {done} merges were possible, but vocab_size={vocab_size} asks for {vocab_size - BYTE_VOCAB_SIZE}: "
        f"after {done} merges no two ids stand side by side any more. Use a longer text or a vocab_size of at "
        f"most {BYTE_VOCAB_SIZE + done}."
    )


# --------------------------------------------------------------------------------------------------------------
# The straightforward trainer, encoding and decoding (the chapter's exercises)


def get_pair_counts(ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """How often each pair of neighbouring ids occurs in ``ids``.

    ``ids`` is a list of ids. Returns a dict from each pair ``(a, b)`` that occurs, an ``a`` directly followed
    by a ``b``, to its count, in the order the pairs first occur. Overlapping pairs all count: ``[5, 5, 5]``
    holds the pair ``(5, 5)`` twice. Fewer than two ids hold no pair: the result is ``{}``.

    >>> get_pair_counts([1, 2, 3, 1, 2])
    {(1, 2): 2, (2, 3): 1, (3, 1): 1}
    """
    counts = {}
    for i in range(len(ids) - 1):
        pair = (ids[i], ids[i + 1])
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids: Sequence[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace every occurrence of ``pair`` in ``ids`` by the single id ``new_id``.

    ``ids`` is a list of ids and ``pair`` a tuple ``(a, b)``. Reading from left to right, each ``a`` directly
    followed by ``b`` becomes ``new_id``; the scan then goes on after the ``b``, so occurrences never
    overlap: ``merge([5, 5, 5], (5, 5), 9)`` is ``[9, 5]``. Returns a new list; ``ids`` is left unchanged.

    >>> merge([1, 2, 3, 1, 2], (1, 2), 256)
    [256, 3, 256]
    """
    merged = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            merged.append(new_id)
            i += 2  # skip both ids of the pair
        else:
            merged.append(ids[i])
            i += 1
    return merged


def train_bpe(text: str, vocab_size: int) -> dict[tuple[int, int], int]:
    """Learn ``vocab_size - 256`` merges from the UTF-8 bytes of ``text``.

    Start from the bytes of ``text`` as ids 0-255. Each round counts the pairs of neighbouring ids, takes the
    most frequent one (of equally frequent pairs, the one that occurs first), gives it the next new id (256,
    then 257, ...) and merges it everywhere. Returns the merges, a dict ``{(a, b): new_id}`` in the order they
    were learned. A ``vocab_size`` of 256 learns nothing and returns ``{}``. If no pair is left before all the
    merges are learned (a short text), raise a ``ValueError``: never return fewer merges than asked for.

    >>> train_bpe("aaabdaaabac", 259)
    {(97, 97): 256, (256, 97): 257, (257, 98): 258}
    """
    require_text(text, "train_bpe", non_empty=True)
    n_merges = require_vocab_size(vocab_size)
    ids = list(text.encode("utf-8"))
    merges = {}
    for new_id in range(256, 256 + n_merges):
        counts = get_pair_counts(ids)
        if not counts:
            raise too_few_pairs(len(merges), vocab_size)
        pair = max(counts, key=counts.get)  # the first of the most frequent pairs
        ids = merge(ids, pair, new_id)
        merges[pair] = new_id
    return merges


def encode(text: str, merges: dict[tuple[int, int], int]) -> list[int]:
    """Turn ``text`` into token ids with learned ``merges`` (as :func:`train_bpe` returns them).

    Start from the UTF-8 bytes of ``text``; then, as long as any pair of neighbouring ids is a merge, apply the
    merge with the lowest new id among those present (the one learned first), everywhere. Returns the list of
    ids; an empty text gives ``[]``.

    >>> encode("aaabdaaabac", {(97, 97): 256, (256, 97): 257, (257, 98): 258})
    [258, 100, 258, 97, 99]
    """
    require_text(text, "encode")
    require_merges(merges)
    ids = list(text.encode("utf-8"))
    while len(ids) >= 2:
        pairs = get_pair_counts(ids)
        pair = min(pairs, key=lambda p: merges.get(p, float("inf")))  # the earliest-learned merge present
        if pair not in merges:
            break  # no pair left that a merge joins
        ids = merge(ids, pair, merges[pair])
    return ids


def decode(ids: Sequence[int], merges: dict[tuple[int, int], int]) -> str:
    """Turn token ids back into text, with the ``merges`` that made them.

    Each id stands for some bytes: ids 0-255 for one byte each, and a merged id for the bytes of its two parts
    joined. Join the bytes of all ``ids`` and decode them as UTF-8; bytes that are not valid UTF-8 (half of a
    character, say) become the replacement character ``"\\ufffd"`` (``errors="replace"``). Returns a string.
    An id that is neither a byte nor made by one of the merges raises a ``KeyError``.

    >>> decode([258, 100, 258, 97, 99], {(97, 97): 256, (256, 97): 257, (257, 98): 258})
    'aaabdaaabac'
    """
    require_merges(merges)
    token_bytes = {i: bytes([i]) for i in range(256)}
    for (a, b), new_id in merges.items():  # in the order learned, so both parts are known already
        token_bytes[new_id] = token_bytes[a] + token_bytes[b]
    unknown = [i for i in ids if i not in token_bytes]
    if unknown:
        raise KeyError(f"The id {unknown[0]!r} is not a byte (0-255) nor made by a merge (256-{255 + len(merges)}).")
    return b"".join(token_bytes[i] for i in ids).decode("utf-8", errors="replace")


# --------------------------------------------------------------------------------------------------------------
# GPT-2's encoding: the split pattern, then BPE by rank within each piece


def encode_like_gpt2(text: str, ranks: dict[bytes, int]) -> list[int]:
    """GPT-2's token ids for ``text``, from GPT-2's ``ranks`` (``gpt2_ranks()``), without special tokens.

    First split ``text`` into pieces with GPT-2's pattern (``regex.findall(GPT2_SPLIT_PATTERN, text)``); merges
    never cross from one piece to the next. Within a piece, start from its UTF-8 bytes, one ``bytes`` object
    each, and repeatedly join the neighbouring pair whose joined bytes have the lowest rank in ``ranks``, until
    no joined pair is in ``ranks``. Each final part's id is its rank. Returns the ids of all pieces in order;
    ``"<|endoftext|>"`` in the text is ordinary text here.

    >>> encode_like_gpt2("Hello, world", gpt2_ranks())
    [15496, 11, 995]
    """
    require_text(text, "encode_like_gpt2")
    ids = []
    for piece in regex.findall(GPT2_SPLIT_PATTERN, text):
        parts = [bytes([byte]) for byte in piece.encode("utf-8")]
        while len(parts) >= 2:
            joined = [parts[i] + parts[i + 1] for i in range(len(parts) - 1)]
            best = min(range(len(joined)), key=lambda i: ranks.get(joined[i], float("inf")))
            if joined[best] not in ranks:
                break  # no neighbouring pair joins into a known token
            parts[best : best + 2] = [joined[best]]  # the leftmost pair of lowest rank
        ids.extend(ranks[part] for part in parts)
    return ids


def gpt2_ranks() -> dict[bytes, int]:
    """GPT-2's 50,256 mergeable tokens (the 256 bytes and 50,000 merges), each token's bytes -> its id."""
    from course_utils.data import gpt2_mergeable_ranks

    return gpt2_mergeable_ranks()


# --------------------------------------------------------------------------------------------------------------
# Pieces, token bytes, and encoding long texts quickly


def split_text(text: str, pattern: str | None = GPT2_SPLIT_PATTERN) -> list[str]:
    """The pieces ``pattern`` cuts ``text`` into (GPT-2's split pattern unless given); ``None``: the whole text."""
    require_text(text, "split_text")
    if pattern is None:
        return [text] if text else []
    return regex.findall(pattern, text)


def token_bytes(merges: dict[tuple[int, int], int]) -> dict[int, bytes]:
    """Each id's bytes: ids 0-255 are single bytes, a merged id is the bytes of its two parts joined."""
    require_merges(merges)
    table = {i: bytes([i]) for i in range(BYTE_VOCAB_SIZE)}
    for (a, b), new_id in merges.items():
        table[new_id] = table[a] + table[b]
    return table


def token_texts(ids: Sequence[int], merges: dict[tuple[int, int], int]) -> list[str]:
    """Each id's text on its own (a part of a multi-byte character shows as U+FFFD), for colouring tokens."""
    table = token_bytes(merges)
    return [table[int(i)].decode("utf-8", errors="replace") for i in ids]


def _encode_ids_by_rank(ids: list[int], merges: Mapping[tuple[int, int], int]) -> list[int]:
    while len(ids) >= 2:
        pair = min(zip(ids, ids[1:], strict=False), key=lambda p: merges.get(p, float("inf")))
        if pair not in merges:
            break
        ids = merge(ids, pair, merges[pair])
    return ids


def encode_pieces(text: str, merges: dict[tuple[int, int], int], pattern: str | None = GPT2_SPLIT_PATTERN) -> list[int]:
    """Encode ``text`` with ``merges`` learned over the pieces of ``pattern`` (as :func:`train_bpe_fast` learns).

    The text is split into pieces, each piece is encoded as :func:`encode` would, and each distinct piece is
    encoded only once (a long text repeats its words): fast enough for a whole play.
    """
    require_text(text, "encode_pieces")
    require_merges(merges)
    cache: dict[str, list[int]] = {}
    ids: list[int] = []
    for piece in split_text(text, pattern):
        if piece not in cache:
            cache[piece] = _encode_ids_by_rank(list(piece.encode("utf-8")), merges)
        ids.extend(cache[piece])
    return ids


# --------------------------------------------------------------------------------------------------------------
# Training over pieces: the recounting trainer and the fast one


def train_bpe_recounting(
    text: str, vocab_size: int, pattern: str | None = GPT2_SPLIT_PATTERN
) -> dict[tuple[int, int], int]:
    """The straightforward trainer over the pieces of ``pattern``: after each merge, count every pair again.

    The same as :func:`train_bpe` when ``pattern`` is ``None``; with a pattern, pairs never cross pieces.
    Each merge costs a pass over the whole text: :func:`train_bpe_fast` gives the same merges much faster.
    """
    require_text(text, "train_bpe_recounting", non_empty=True)
    n_merges = require_vocab_size(vocab_size)
    pieces = [list(piece.encode("utf-8")) for piece in split_text(text, pattern)]
    merges: dict[tuple[int, int], int] = {}
    for new_id in range(BYTE_VOCAB_SIZE, BYTE_VOCAB_SIZE + n_merges):
        counts: dict[tuple[int, int], int] = {}
        for ids in pieces:  # pieces in text order, so the dict is filled from left to right
            for pair in zip(ids, ids[1:], strict=False):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            raise too_few_pairs(len(merges), vocab_size)
        pair = max(counts, key=counts.get)
        pieces = [merge(ids, pair, new_id) if len(ids) > 1 else ids for ids in pieces]
        merges[pair] = new_id
    return merges


def _pairs_of(ids: Sequence[int]) -> collections.Counter:
    return collections.Counter(zip(ids, ids[1:], strict=False))


def train_bpe_fast(text: str, vocab_size: int, pattern: str | None = GPT2_SPLIT_PATTERN) -> dict[tuple[int, int], int]:
    """The merges of :func:`train_bpe_recounting` (same pieces, same tie rule), learned much faster.

    Two ideas make it fast:

    1. A text repeats its pieces (``" the"`` occurs tens of thousands of times in Shakespeare): count each
       distinct piece once, and weight its pairs by how often the piece occurs.
    2. A merge changes only the pieces that hold its pair: keep, for each pair, its total count and the
       pieces that hold it, and after a merge recount only those pieces.

    Ties go, as in the recounting trainer, to the pair that occurs first in the text: the distinct pieces are
    numbered in order of first appearance, and among equally frequent pairs the one in the lowest-numbered
    piece, then at the leftmost place within it, wins.
    """
    require_text(text, "train_bpe_fast", non_empty=True)
    n_merges = require_vocab_size(vocab_size)
    frequency = collections.Counter(split_text(text, pattern))  # a Counter keeps first-appearance order
    pieces = [list(piece.encode("utf-8")) for piece in frequency]
    weights = list(frequency.values())

    counts: collections.Counter = collections.Counter()
    holders: dict[tuple[int, int], set[int]] = collections.defaultdict(set)  # pair -> the pieces that hold it
    for index, ids in enumerate(pieces):
        for pair, n in _pairs_of(ids).items():
            counts[pair] += n * weights[index]
            holders[pair].add(index)

    merges: dict[tuple[int, int], int] = {}
    for new_id in range(BYTE_VOCAB_SIZE, BYTE_VOCAB_SIZE + n_merges):
        if not counts:
            raise too_few_pairs(len(merges), vocab_size)
        best_count = max(counts.values())
        tied = [pair for pair, n in counts.items() if n == best_count]
        pair = min(tied, key=lambda p: _first_occurrence(p, pieces, holders)) if len(tied) > 1 else tied[0]
        merges[pair] = new_id
        for index in sorted(holders.pop(pair)):
            old_ids = pieces[index]
            new_ids = merge(old_ids, pair, new_id)
            before, after = _pairs_of(old_ids), _pairs_of(new_ids)
            for changed in before.keys() | after.keys():
                difference = (after[changed] - before[changed]) * weights[index]
                if difference:
                    counts[changed] += difference
                if changed in after:
                    holders[changed].add(index)
                elif changed != pair:
                    holders[changed].discard(index)
                if changed in counts and counts[changed] == 0:
                    del counts[changed]
                    holders.pop(changed, None)
            pieces[index] = new_ids
        counts.pop(pair, None)
    return merges


def _first_occurrence(pair: tuple[int, int], pieces: list[list[int]], holders: dict) -> tuple[int, int]:
    """(number of the first piece holding ``pair``, position of its first occurrence there)."""
    index = min(holders[pair])
    ids = pieces[index]
    position = next(i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) == pair)
    return index, position


# --------------------------------------------------------------------------------------------------------------
# Saving and loading merges


def save_merges(merges: dict[tuple[int, int], int], path: str | Path) -> Path:
    """Write ``merges`` to a small text file: a header line, then one merge per line, ``a b``, in order.

    A merge's new id is not written: it is 256 plus its line number among the merges. Returns the path.
    """
    require_merges(merges)
    path = Path(path)
    lines = [MERGES_FILE_HEADER] + [f"{a} {b}" for a, b in merges]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_merges(path: str | Path) -> dict[tuple[int, int], int]:
    """Read merges written by :func:`save_merges`, with a clear error for a file that is not one."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No merges file at {path}: write one with save_merges(merges, path).")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != MERGES_FILE_HEADER:
        raise ValueError(
            f"{path} is not a merges file: its first line should be {MERGES_FILE_HEADER!r}, as save_merges writes."
        )
    merges: dict[tuple[int, int], int] = {}
    for line_number, line in enumerate(lines[1:], start=2):
        fields = line.split()
        if len(fields) != 2 or not all(field.isdigit() for field in fields):
            raise ValueError(f"{path}, line {line_number}: expected two ids 'a b', got {line!r}.")
        pair = (int(fields[0]), int(fields[1]))
        if pair in merges:
            raise ValueError(f"{path}, line {line_number}: the pair {pair} is merged twice.")
        merges[pair] = BYTE_VOCAB_SIZE + len(merges)
    try:
        require_merges(merges)
    except ValueError as error:
        raise ValueError(f"{path} holds merges that do not fit together: {error}") from None
    return merges


# --------------------------------------------------------------------------------------------------------------
# Small helpers for the chapter's tables and pictures


def merge_steps(text: str, n_merges: int) -> list[tuple[tuple[int, int], int, int, list[int]]]:
    """The first ``n_merges`` rounds of :func:`train_bpe` on ``text``, for a table or a picture: for each round,
    ``(pair, new_id, count of the pair, the ids after merging it)``; the ids before round 0 are the bytes."""
    require_text(text, "merge_steps")
    ids = list(text.encode("utf-8"))
    steps = []
    for new_id in itertools.islice(itertools.count(BYTE_VOCAB_SIZE), n_merges):
        counts = get_pair_counts(ids)
        if not counts:
            break
        pair = max(counts, key=counts.get)
        ids = merge(ids, pair, new_id)
        steps.append((pair, new_id, counts[pair], ids))
    return steps


def pieces_count(texts: Iterable[str], pattern: str | None = GPT2_SPLIT_PATTERN) -> int:
    """The number of distinct pieces ``pattern`` cuts the ``texts`` into."""
    return len({piece for text in texts for piece in split_text(text, pattern)})
