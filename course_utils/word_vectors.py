"""Word vectors: words as rows of a matrix, and what their directions mean.

Chapter 04 teaches these; chapter 05 (dot products) builds on them.

* :class:`WordVectors` holds a vocabulary: ``vectors`` (an ``(n_words, d)`` float32 array) and ``words`` (its
  list of words, row ``i`` being the vector of ``words[i]``), with lookups that explain a misspelled word.
* :func:`load_shakespeare_vectors` loads the course's Word2Vec vectors, trained on the training part of the
  Shakespeare split by ``tools/train_word_vectors.py`` and committed in ``data/`` (sha256-checked).
* :func:`cosine_similarity`, :func:`nearest_neighbours`, :func:`analogy` and :func:`pca_project` are the
  reference solutions of the chapter's exercises; :func:`evaluate_analogies` scores vectors on many analogies.
* :func:`train_word2vec` trains gensim's Word2Vec so that a seed repeats exactly (one worker, a hash that does
  not change between Python runs), with a progress bar.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from course_utils.data import DataError, verified_bytes

SHAKESPEARE_VECTORS_FILE = "shakespeare_word2vec.npz"
# sha256 of data/shakespeare_word2vec.npz, printed by tools/train_word_vectors.py when it wrote the file
SHAKESPEARE_VECTORS_SHA256 = "0950da486f3e7f5bfba45388bcf81f792f5e24cd66a4be4309ef6880d5ee2143"

WORD_PATTERN = re.compile(r"[a-z']+")
"""A word is a run of lower-case letters and apostrophes ("o'er", "king's") in the lower-cased text."""

GENDER_PAIRS: tuple[tuple[str, str], ...] = (
    ("man", "woman"),
    ("king", "queen"),
    ("he", "she"),
    ("his", "her"),
    ("lord", "lady"),
    ("father", "mother"),
    ("son", "daughter"),
    ("brother", "sister"),
    ("boy", "girl"),
    ("husband", "wife"),
    ("sir", "madam"),
    ("uncle", "aunt"),
    ("prince", "princess"),
)
"""Thirteen pairs of words that differ in one direction, male to female: 13 x 12 = 156 analogies."""


class UnknownWordError(KeyError):
    """A word is not in the vocabulary; the message names it and suggests near spellings."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


# ----------------------------------------------------------------------------------------------------------------
# Words of a text


def text_words(text: str) -> list[str]:
    """The words of ``text``: runs of letters and apostrophes in the lower-cased text.

    >>> text_words("KING. O'er the hills, my Lord!")
    ['king', "o'er", 'the', 'hills', 'my', 'lord']
    """
    if not isinstance(text, str):
        raise TypeError(f"text_words needs a string, got {type(text).__name__}.")
    return WORD_PATTERN.findall(text.lower())


def text_sentences(text: str) -> list[list[str]]:
    """The words of ``text`` grouped by paragraph (blocks between blank lines: one speech, a title, ...).

    Word2Vec's window does not reach across a paragraph, so one speaker's words do not count as the context of
    the next speech. Paragraphs without words are left out.
    """
    if not isinstance(text, str):
        raise TypeError(f"text_sentences needs a string, got {type(text).__name__}.")
    paragraphs = (text_words(block) for block in re.split(r"\n\s*\n", text))
    return [words for words in paragraphs if words]


def skipgram_pairs(words: Sequence[str], window: int) -> list[tuple[str, str]]:
    """The (centre, context) pairs that skip-gram trains on: each word with every word up to ``window`` places away.

    >>> skipgram_pairs(["a", "b", "c"], window=1)
    [('a', 'b'), ('b', 'a'), ('b', 'c'), ('c', 'b')]
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a whole number of at least 1, got {window!r}.")
    return [
        (centre, words[other])
        for position, centre in enumerate(words)
        for other in range(max(0, position - window), min(len(words), position + window + 1))
        if other != position
    ]


# ----------------------------------------------------------------------------------------------------------------
# Looking words up


def word_index(words: Sequence[str], word: str) -> int:
    """The position of ``word`` in ``words``, or an :class:`UnknownWordError` that suggests near spellings."""
    if not isinstance(word, str):
        raise TypeError(f"A word must be a string, got {type(word).__name__} {word!r:.40}.")
    try:
        return list(words).index(word)
    except ValueError:
        raise UnknownWordError(_unknown_word_message(word, words)) from None


def _unknown_word_message(word: str, words: Sequence[str]) -> str:
    near = difflib.get_close_matches(word.lower(), list(words), n=5, cutoff=0.6)
    if word != word.lower() and word.lower() in words:
        advice = f"the words are lower-case: try {word.lower()!r}."
    elif near:
        advice = "did you mean " + ", ".join(repr(w) for w in near) + "?"
    else:
        advice = "no known word is spelled like it; choose a word that occurs in the text the vectors learned from."
    return f"{word!r} is not in the vocabulary of {len(words):,} words: {advice}"


@dataclass
class WordVectors:
    """A vocabulary of word vectors: row ``i`` of ``vectors`` (``(n_words, d)``, float32) belongs to ``words[i]``.

    ``counts`` (optional) holds how often each word occurred in the training text. Index it with a word
    (``wv["king"]``) for its vector; ``wv.index(word)`` gives its row and explains a word it does not know.
    """

    vectors: np.ndarray
    words: list[str]
    counts: np.ndarray | None = None
    _rows: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        vectors = np.asarray(self.vectors)
        if vectors.ndim != 2 or vectors.dtype.kind != "f":
            raise ValueError(
                f"vectors must be a 2-D float array (n_words, d), got {vectors.ndim}-D of {vectors.dtype}."
            )
        self.vectors = vectors.astype(np.float32, copy=False)
        self.words = [str(word) for word in self.words]
        if len(self.words) != len(self.vectors):
            raise ValueError(
                f"{len(self.vectors)} vectors but {len(self.words)} words: give one word per row of vectors."
            )
        if not self.words:
            raise ValueError("WordVectors needs at least one word.")
        self._rows = {word: row for row, word in enumerate(self.words)}
        if len(self._rows) != len(self.words):
            repeated = next(word for word in self.words if self.words.count(word) > 1)
            raise ValueError(f"Each word must occur once in words; {repeated!r} occurs more than once.")
        if self.counts is not None:
            self.counts = np.asarray(self.counts, dtype=np.int64)
            if self.counts.shape != (len(self.words),):
                raise ValueError(f"counts must hold one number per word ({len(self.words)}), got {self.counts.shape}.")

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self._rows

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.index(word)]

    def __repr__(self) -> str:
        return f"WordVectors({len(self.words):,} words x {self.dim} dimensions)"

    @property
    def dim(self) -> int:
        """The number of dimensions of each vector."""
        return int(self.vectors.shape[1])

    def index(self, word: str) -> int:
        """The row of ``word``; an unknown word raises :class:`UnknownWordError` naming near spellings."""
        if not isinstance(word, str):
            raise TypeError(f"A word must be a string, got {type(word).__name__} {word!r:.40}.")
        row = self._rows.get(word)
        if row is None:
            raise UnknownWordError(_unknown_word_message(word, self.words))
        return row

    @functools.cached_property
    def unit_vectors(self) -> np.ndarray:
        """Every vector scaled to length 1 (a zero vector stays zero), for cosine similarities by one product."""
        return unit_rows(self.vectors)

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` words most cosine-similar to ``word``, best first, with their similarities; ``word`` excluded."""
        return self.most_similar(self.unit_vectors[self.index(word)], k, exclude=[word])

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` best answers to "``a`` is to ``b`` as ``c`` is to ?", with similarities (see :func:`analogy`)."""
        unit = self.unit_vectors
        target = unit[self.index(b)] - unit[self.index(a)] + unit[self.index(c)]
        return self.most_similar(target, k, exclude=[a, b, c])

    def most_similar(self, vector: np.ndarray, k: int = 10, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``k`` words whose vectors are most cosine-similar to ``vector``, best first, leaving out ``exclude``."""
        vector = np.asarray(vector, dtype=np.float32)
        if vector.shape != (self.dim,):
            raise ValueError(f"vector must have shape ({self.dim},) like the word vectors, got {vector.shape}.")
        excluded = {self.index(word) for word in exclude}
        check_k(k, len(self.words) - len(excluded))
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            raise ValueError("The query vector is all zeros: it has no direction, so no word is similar to it.")
        similarities = self.unit_vectors @ (vector / norm)
        similarities[list(excluded)] = -np.inf
        best = np.argsort(-similarities, kind="stable")[:k]
        return [(self.words[row], float(similarities[row])) for row in best]

    def subset(self, words: Sequence[str]) -> WordVectors:
        """The vectors of ``words`` only, in that order (a word group to plot); unknown words are explained."""
        if len(words) == 0:
            raise ValueError("The word group is empty: give at least one word.")
        rows = [self.index(word) for word in words]
        counts = None if self.counts is None else self.counts[rows]
        return WordVectors(self.vectors[rows], [self.words[row] for row in rows], counts)

    def most_frequent(self, n: int) -> WordVectors:
        """The ``n`` most frequent words (the vocabulary is stored most frequent first when counts are known)."""
        check_k(n, len(self.words), name="n")
        order = np.arange(len(self.words)) if self.counts is None else np.argsort(-self.counts, kind="stable")
        return self.subset([self.words[row] for row in order[:n]])


def as_token_ids(ids: object, W_E: torch.Tensor) -> torch.Tensor:
    """``ids`` as an int64 tensor, with a clear error unless they are whole numbers that index rows of ``W_E``."""
    ids = ids if isinstance(ids, torch.Tensor) else torch.as_tensor(np.asarray(ids))
    if ids.dtype.is_floating_point or ids.dtype == torch.bool:
        raise TypeError(f"Token ids must be whole numbers, got {ids.dtype}.")
    if W_E.ndim != 2:
        raise ValueError(f"W_E must be a 2-D matrix (vocab_size, d), got shape {tuple(W_E.shape)}.")
    if ids.numel() and (ids.min() < 0 or ids.max() >= len(W_E)):
        raise ValueError(
            f"Token ids must run from 0 to {len(W_E) - 1} (W_E has {len(W_E)} rows, one per token), got ids from "
            f"{int(ids.min())} to {int(ids.max())}."
        )
    return ids.long()


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row of ``vectors`` divided by its length (rows of zeros stay zeros)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def check_k(k: int, n_available: int, name: str = "k") -> None:
    """Raise a clear ValueError unless ``k`` is a whole number from 1 to ``n_available``."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {type(k).__name__} {k!r}.")
    if not 1 <= k <= n_available:
        raise ValueError(f"{name} must be between 1 and {n_available} (the words there are to rank), got {k}.")


# ----------------------------------------------------------------------------------------------------------------
# The exercises' reference solutions


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine of the angle between vectors ``a`` and ``b``: their dot product divided by both lengths.

    ``a`` and ``b`` are 1-D arrays (or tensors) of the same length. Returns a float from -1 (opposite
    directions) through 0 (at right angles) to 1 (the same direction), whatever the lengths. A vector of zeros
    has no direction: it raises a ``ValueError``.

    >>> cosine_similarity(np.array([1.0, 0.0]), np.array([3.0, 3.0]))  # 45 degrees apart
    0.7071067811865475
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"cosine_similarity needs two 1-D vectors of the same length, got {a.shape} and {b.shape}.")
    length_a, length_b = np.linalg.norm(a), np.linalg.norm(b)
    if length_a == 0 or length_b == 0:
        raise ValueError("A vector of zeros has no direction, so its angle to another vector is undefined.")
    return float(a @ b / (length_a * length_b))


def nearest_neighbours(vectors: np.ndarray, words: list[str], query: str, k: int) -> list[str]:
    """The ``k`` words whose vectors are most cosine-similar to the vector of ``query``, best first.

    ``vectors`` is an ``(n_words, d)`` array whose row ``i`` is the vector of ``words[i]``. The query itself
    is left out of the answer (it is always its own nearest neighbour). Returns a list of ``k`` words. A query
    that is not in ``words`` raises a ``KeyError``; ``k`` outside 1 .. ``len(words) - 1`` a ``ValueError``.

    >>> nearest_neighbours(np.array([[1.0, 0], [0.9, 0.1], [0, 1]]), ["a", "b", "c"], "a", k=1)
    ['b']
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if len(vectors) != len(words):
        raise ValueError(f"{len(vectors)} vectors but {len(words)} words: give one word per row.")
    check_k(k, len(words) - 1)
    row = word_index(words, query)
    # divide every row by its length once: then one matrix product gives every cosine similarity
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(lengths == 0, 1, lengths)
    similarities = unit @ unit[row]
    similarities[row] = -np.inf  # the query is not its own neighbour
    best = np.argsort(-similarities, kind="stable")[:k]
    return [words[i] for i in best]


def analogy(vectors: np.ndarray, words: list[str], a: str, b: str, c: str, k: int) -> list[str]:
    """The ``k`` best answers to "``a`` is to ``b`` as ``c`` is to ?", best first.

    Scale the vectors of ``a``, ``b`` and ``c`` to length 1, form ``b - a + c`` (start at ``c`` and move it
    as far as ``a`` moved to become ``b``), and rank every word by its cosine similarity to that point,
    leaving ``a``, ``b`` and ``c`` out of the answer (as gensim's ``most_similar`` does).
    ``vectors`` is ``(n_words, d)`` with row ``i`` the vector of ``words[i]``. Returns a list of ``k`` words; a
    word that is not in ``words`` raises a ``KeyError``.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if len(vectors) != len(words):
        raise ValueError(f"{len(vectors)} vectors but {len(words)} words: give one word per row.")
    rows = [word_index(words, word) for word in (a, b, c)]
    check_k(k, len(words) - len(set(rows)))
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(lengths == 0, 1, lengths)
    target = unit[rows[1]] - unit[rows[0]] + unit[rows[2]]
    similarities = unit @ (target / np.linalg.norm(target))
    similarities[rows] = -np.inf  # the question's own words are not answers
    best = np.argsort(-similarities, kind="stable")[:k]
    return [words[i] for i in best]


def pca_project(X: np.ndarray, n_components: int) -> np.ndarray:
    """Project the rows of ``X`` on their first ``n_components`` principal directions.

    ``X`` is ``(n_points, d)``. Subtract the mean row, take the singular value decomposition
    ``X_c = U S V^T``, and project on the first rows of ``V^T`` (the directions along which the points
    spread most). Returns ``(n_points, n_components)``; the sign of each column is arbitrary. More components
    than ``min(X.shape)`` raise a ``ValueError``.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) < 2:
        raise ValueError(f"pca_project needs a 2-D array of at least 2 points, got shape {X.shape}.")
    if not 1 <= n_components <= min(X.shape):
        raise ValueError(
            f"n_components must be between 1 and {min(X.shape)} (the fewer of points and dimensions), "
            f"got {n_components}."
        )
    centred = X - X.mean(axis=0)
    _, _, Vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ Vt[:n_components].T


def pca_explained(X: np.ndarray, n_components: int) -> np.ndarray:
    """The share of the spread (variance) of ``X`` that each of its first ``n_components`` directions holds."""
    X = np.asarray(X, dtype=np.float64)
    singular = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return (singular**2 / np.sum(singular**2))[:n_components]


# ----------------------------------------------------------------------------------------------------------------
# Scoring analogies


def gender_analogies(pairs: Sequence[tuple[str, str]] = GENDER_PAIRS) -> list[tuple[str, str, str, str]]:
    """Every ``(a, b, c, d)`` with ``(a, b)`` and ``(c, d)`` two different pairs: "a is to b as c is to d"."""
    return [(a, b, c, d) for a, b in pairs for c, d in pairs if (a, b) != (c, d)]


@dataclass(frozen=True)
class AnalogyScore:
    """How often the right word came first (``top1``) or in the first five (``top5``), out of ``n`` analogies."""

    top1: float
    top5: float
    n: int
    skipped: int

    def __str__(self) -> str:
        skipped = f", {self.skipped} skipped (unknown words)" if self.skipped else ""
        return f"top-1 {self.top1:.1%}, top-5 {self.top5:.1%} of {self.n} analogies{skipped}"


def evaluate_analogies(wv: WordVectors, analogies: Sequence[tuple[str, str, str, str]]) -> AnalogyScore:
    """Score ``wv`` on ``(a, b, c, d)`` analogies: is ``d`` the first (top-1) or among the first five answers?"""
    known = [quad for quad in analogies if all(word in wv for word in quad)]
    if not known:
        raise ValueError("None of the analogies has all four words in the vocabulary.")
    top1 = top5 = 0
    for a, b, c, d in known:
        answers = [word for word, _ in wv.analogy(a, b, c, k=5)]
        top1 += answers[0] == d
        top5 += d in answers
    return AnalogyScore(top1 / len(known), top5 / len(known), len(known), len(analogies) - len(known))


# ----------------------------------------------------------------------------------------------------------------
# Training, saving and loading


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every Python run (Python's ``hash`` of a string is not).

    gensim seeds each word's starting vector from a hash of the word and the seed: with Python's ``hash``
    the same seed would start from different vectors in each run.
    """
    return zlib.crc32(text.encode("utf-8"))


def train_word2vec(
    sentences: Sequence[Sequence[str]],
    *,
    vector_size: int = 100,
    window: int = 5,
    min_count: int = 5,
    epochs: int = 20,
    negative: int = 5,
    sample: float = 1e-3,
    seed: int = 0,
    progress: bool = True,
    on_epoch_end: object = None,
) -> WordVectors:
    """Train skip-gram Word2Vec (gensim) on ``sentences`` (lists of words) and return its vectors.

    One worker thread and :func:`stable_hash` make a seed repeat exactly. ``progress`` shows a bar over the
    epochs; ``on_epoch_end(epoch, word_vectors)``, if given, is called after each epoch (to watch neighbours
    change). The vocabulary is every word seen at least ``min_count`` times, most frequent first.
    """
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec
    from tqdm.auto import tqdm

    if not sentences or not any(sentences):
        raise ValueError("train_word2vec needs sentences holding words: split the text with text_sentences(text).")
    for name, value in (("vector_size", vector_size), ("window", window), ("min_count", min_count), ("epochs", epochs)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}.")

    class _Progress(CallbackAny2Vec):
        def __init__(self) -> None:
            self.bar = tqdm(total=epochs, desc="Word2Vec epochs", disable=not progress)
            self.epoch = 0

        def on_epoch_end(self, model: Word2Vec) -> None:
            self.epoch += 1
            self.bar.update(1)
            if on_epoch_end is not None:
                on_epoch_end(self.epoch, _from_gensim(model))

        def on_train_end(self, model: Word2Vec) -> None:
            self.bar.close()

    model = Word2Vec(vector_size=vector_size, window=window, min_count=min_count, sg=1, negative=negative,
                     sample=sample, seed=seed, workers=1, hashfxn=stable_hash)  # fmt: skip
    model.build_vocab(sentences)
    if not model.wv.index_to_key:
        raise ValueError(f"No word occurs {min_count} times or more: lower min_count or give more text.")
    model.train(sentences, total_examples=model.corpus_count, epochs=epochs, callbacks=[_Progress()])
    return _from_gensim(model)


def _from_gensim(model: object) -> WordVectors:
    keyed = model.wv
    counts = np.array([keyed.get_vecattr(word, "count") for word in keyed.index_to_key], dtype=np.int64)
    return WordVectors(np.array(keyed.vectors, dtype=np.float32), list(keyed.index_to_key), counts)


def save_word_vectors(wv: WordVectors, path: str | Path) -> None:
    """Write ``wv`` to a compressed ``.npz`` file: vectors in float16, words, counts; no pickled objects.

    The same vectors always give the same bytes (every member of the zip archive carries a fixed date, where
    ``np.savez_compressed`` would stamp the current time), so a retrained file can be compared by its sha256.
    """
    counts = wv.counts if wv.counts is not None else np.zeros(len(wv), dtype=np.int64)
    arrays = {"vectors": wv.vectors.astype(np.float16), "words": np.array(wv.words), "counts": counts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue(), compresslevel=9)
    Path(path).write_bytes(buffer.getvalue())


def word_vectors_from_bytes(content: bytes, name: str = "word vectors") -> WordVectors:
    """Read word vectors written by :func:`save_word_vectors` from the bytes of the file."""
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            return WordVectors(archive["vectors"].astype(np.float32), archive["words"].tolist(), archive["counts"])
    except (OSError, ValueError, KeyError) as error:
        raise DataError(f"{name} cannot be read as word vectors ({error}): write it with save_word_vectors.") from error


@functools.cache
def load_shakespeare_vectors() -> WordVectors:
    """The course's Word2Vec vectors of Shakespeare's words (see ``data/README.md`` for how they were trained).

    Checked against their sha256, so a damaged file gives a clear :class:`~course_utils.data.DataError`.
    """
    rebuild = (
        "python tools/train_word_vectors.py` and update SHAKESPEARE_VECTORS_SHA256 in `course_utils/word_vectors.py"
    )
    content = verified_bytes(SHAKESPEARE_VECTORS_FILE, SHAKESPEARE_VECTORS_SHA256, rebuild)
    return word_vectors_from_bytes(content, f"data/{SHAKESPEARE_VECTORS_FILE}")


def load_glove(name: str = "glove-wiki-gigaword-100", limit: int = 100_000) -> WordVectors:
    """Pretrained GloVe vectors through gensim's downloader: needs the internet (about 130 MB the first time).

    Keeps the ``limit`` most frequent words. Raises :class:`~course_utils.data.DataError` if it cannot download.
    """
    try:
        import gensim.downloader

        keyed = gensim.downloader.load(name)
    except Exception as error:  # noqa: BLE001 - any failure to download means the same thing to the learner
        raise DataError(
            f"Could not load {name!r} through gensim's downloader ({type(error).__name__}: {error}). It needs the "
            f"internet; the rest of the chapter runs without it on the Shakespeare vectors."
        ) from error
    n = min(limit, len(keyed.index_to_key))
    return WordVectors(np.array(keyed.vectors[:n], dtype=np.float32), list(keyed.index_to_key[:n]))
