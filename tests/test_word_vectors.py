"""Word vectors: lookups that explain unknown words, neighbours and analogies equal to gensim's, PCA, training
that repeats, and the committed vectors loaded with their checksum."""

from __future__ import annotations

import shutil
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
import torch
from gensim.models import KeyedVectors

from course_utils import data, word_vectors
from course_utils.data import DataError
from course_utils.solutions.ch04 import embed_lookup, one_hot_matmul
from course_utils.word_plots import (
    plot_angle,
    plot_embedding_matrix,
    plot_neighbours,
    plot_skipgram_pairs,
    plot_words_2d,
    plot_words_3d,
    rotation_widget,
)
from course_utils.word_vectors import (
    UnknownWordError,
    WordVectors,
    analogy,
    as_token_ids,
    cosine_similarity,
    evaluate_analogies,
    gender_analogies,
    load_shakespeare_vectors,
    nearest_neighbours,
    pca_explained,
    pca_project,
    save_word_vectors,
    skipgram_pairs,
    text_sentences,
    text_words,
    train_word2vec,
    word_index,
    word_vectors_from_bytes,
)


@pytest.fixture
def random_vocabulary() -> tuple[np.ndarray, list[str]]:
    generator = np.random.default_rng(0)
    vectors = generator.normal(size=(200, 12)) * generator.uniform(0.1, 4.0, size=(200, 1))
    return vectors.astype(np.float32), [f"word{i}" for i in range(200)]


def _gensim(vectors: np.ndarray, words: list[str]) -> KeyedVectors:
    keyed = KeyedVectors(vector_size=vectors.shape[1])
    keyed.add_vectors(words, vectors)
    return keyed


# --- words of a text ------------------------------------------------------------------------------------------


def test_text_words_lower_cases_and_keeps_apostrophes():
    assert text_words("KING. O'er the hills, my Lord!\n2 Gent.") == [
        "king",
        "o'er",
        "the",
        "hills",
        "my",
        "lord",
        "gent",
    ]


def test_text_sentences_split_at_blank_lines_and_drop_empty_paragraphs():
    assert text_sentences("ROMEO.\nO Juliet!\n\n  \n\n12 34\n\nJULIET.\nRomeo.") == [
        ["romeo", "o", "juliet"],
        ["juliet", "romeo"],
    ]


def test_skipgram_pairs_stay_inside_the_window():
    assert skipgram_pairs(["a", "b", "c", "d"], window=1) == [
        ("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "d"), ("d", "c"),
    ]  # fmt: skip
    assert len(skipgram_pairs(list("abcdefg"), window=2)) == 2 * (2 * 7 - 3)
    with pytest.raises(ValueError, match="window"):
        skipgram_pairs(["a"], window=0)


# --- WordVectors ------------------------------------------------------------------------------------------------


def test_word_vectors_lookups():
    wv = WordVectors(np.eye(3, dtype=np.float64), ["king", "queen", "knave"], counts=[30, 20, 10])
    assert wv.vectors.dtype == np.float32 and wv.dim == 3 and len(wv) == 3
    assert wv.index("queen") == 1 and "knave" in wv and "jack" not in wv
    assert np.array_equal(wv["knave"], [0, 0, 1])
    assert repr(wv) == "WordVectors(3 words x 3 dimensions)"
    assert wv.most_frequent(2).words == ["king", "queen"]
    assert wv.subset(["knave", "king"]).words == ["knave", "king"]


def test_unknown_word_suggests_near_spellings_and_is_a_key_error():
    wv = WordVectors(np.eye(3), ["queen", "quean", "king"])
    with pytest.raises(KeyError) as failure:
        wv.index("quene")
    assert isinstance(failure.value, UnknownWordError)
    message = str(failure.value)
    assert message.startswith("'quene' is not in the vocabulary of 3 words") and "'queen'" in message
    with pytest.raises(UnknownWordError, match="lower-case: try 'king'"):
        wv.index("King")
    with pytest.raises(UnknownWordError, match="no known word is spelled like it"):
        wv["xylophone"]
    with pytest.raises(TypeError, match="must be a string"):
        wv.index(3)
    with pytest.raises(UnknownWordError, match="did you mean 'queen'"):
        word_index(["queen", "king"], "queem")


@pytest.mark.parametrize(
    ("vectors", "words", "match"),
    [
        (np.zeros((3, 2)), ["a", "b"], "3 vectors but 2 words"),
        (np.zeros(3), ["a", "b", "c"], "2-D float array"),
        (np.zeros((2, 2), dtype=np.int64), ["a", "b"], "2-D float array"),
        (np.zeros((2, 2)), ["a", "a"], "'a' occurs more than once"),
        (np.zeros((0, 2)), [], "at least one word"),
    ],
)
def test_word_vectors_refuse_inconsistent_input(vectors, words, match):
    with pytest.raises(ValueError, match=match):
        WordVectors(vectors, words)


def test_word_vectors_refuse_counts_of_the_wrong_length():
    with pytest.raises(ValueError, match="one number per word"):
        WordVectors(np.eye(2), ["a", "b"], counts=[1, 2, 3])


def test_empty_word_group_and_bad_queries_are_explained():
    wv = WordVectors(np.eye(3), ["a", "b", "c"])
    with pytest.raises(ValueError, match="word group is empty"):
        wv.subset([])
    with pytest.raises(ValueError, match="all zeros"):
        wv.most_similar(np.zeros(3), k=2)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        wv.most_similar(np.ones(4), k=2)
    with pytest.raises(ValueError, match="between 1 and 2"):
        wv.neighbours("a", k=3)


# --- the exercises' references ----------------------------------------------------------------------------------


def test_cosine_similarity_values_and_errors():
    assert cosine_similarity(np.array([1.0, 0.0]), np.array([3.0, 3.0])) == pytest.approx(np.sqrt(0.5))
    assert cosine_similarity(torch.tensor([1.0, 2.0]), torch.tensor([-2.0, -4.0])) == pytest.approx(-1.0)
    assert isinstance(cosine_similarity([1.0, 2.0], [2.0, 1.0]), float)
    with pytest.raises(ValueError, match="zeros has no direction"):
        cosine_similarity(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="same length"):
        cosine_similarity(np.ones(3), np.ones(4))


def test_nearest_neighbours_equal_gensims(random_vocabulary):
    vectors, words = random_vocabulary
    keyed = _gensim(vectors, words)
    wv = WordVectors(vectors, words)
    for query in ["word0", "word17", "word199"]:
        expected = [word for word, _ in keyed.most_similar(query, topn=10)]
        assert nearest_neighbours(vectors, words, query, 10) == expected
        assert [word for word, _ in wv.neighbours(query, 10)] == expected


def test_analogy_equals_gensims_most_similar(random_vocabulary):
    vectors, words = random_vocabulary
    keyed = _gensim(vectors, words)
    wv = WordVectors(vectors, words)
    for a, b, c in [("word1", "word2", "word3"), ("word50", "word7", "word120"), ("word9", "word9", "word4")]:
        expected = [word for word, _ in keyed.most_similar(positive=[b, c], negative=[a], topn=5)]
        assert analogy(vectors, words, a, b, c, 5) == expected
        assert [word for word, _ in wv.analogy(a, b, c, 5)] == expected


@pytest.mark.parametrize("k", [0, 200, -1])
def test_neighbour_and_analogy_k_out_of_range(random_vocabulary, k):
    vectors, words = random_vocabulary
    with pytest.raises(ValueError, match="k must be between 1 and 199"):
        nearest_neighbours(vectors, words, "word1", k)
    with pytest.raises(ValueError, match="k must be between 1 and 197"):
        analogy(vectors, words, "word1", "word2", "word3", k if k != 200 else 198)


def test_neighbour_and_analogy_input_errors(random_vocabulary):
    vectors, words = random_vocabulary
    with pytest.raises(ValueError, match="200 vectors but 199 words"):
        nearest_neighbours(vectors, words[:-1], "word1", 3)
    with pytest.raises(ValueError, match="200 vectors but 199 words"):
        analogy(vectors, words[:-1], "word1", "word2", "word3", 3)
    with pytest.raises(UnknownWordError, match="'word1000' is not in the vocabulary"):
        nearest_neighbours(vectors, words, "word1000", 3)
    with pytest.raises(UnknownWordError, match="'wordx'"):
        analogy(vectors, words, "word1", "wordx", "word3", 3)
    with pytest.raises(TypeError, match="whole number"):
        nearest_neighbours(vectors, words, "word1", 2.0)


def test_pca_project_matches_the_covariance_eigenvectors_up_to_sign():
    generator = np.random.default_rng(1)
    X = generator.normal(size=(40, 6)) * np.array([5, 4, 3, 2, 1, 0.5]) + 10
    projected = pca_project(X, 3)
    centred = X - X.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred.T))
    expected = centred @ eigenvectors[:, ::-1][:, :3]
    signs = np.sign(np.sum(projected * expected, axis=0))
    np.testing.assert_allclose(projected * signs, expected, atol=1e-9)
    np.testing.assert_allclose(projected.mean(axis=0), 0, atol=1e-9)
    shares = pca_explained(X, 6)
    np.testing.assert_allclose(shares, eigenvalues[::-1] / eigenvalues.sum(), atol=1e-9)


@pytest.mark.parametrize(("shape", "n", "match"), [((5, 3), 4, "between 1 and 3"), ((5, 3), 0, "between 1 and 3"),
                                                   ((1, 3), 1, "at least 2 points"), ((6,), 1, "2-D")])  # fmt: skip
def test_pca_project_refuses_bad_input(shape, n, match):
    with pytest.raises(ValueError, match=match):
        pca_project(np.ones(shape), n)


def test_embedding_lookups_equal_nn_embedding():
    layer = torch.nn.Embedding(11, 5)
    ids = torch.randint(0, 11, (3, 4), generator=torch.Generator().manual_seed(0))
    expected = layer(ids)
    assert torch.equal(embed_lookup(ids, layer.weight), expected)
    assert torch.allclose(one_hot_matmul(ids, layer.weight), expected)
    assert embed_lookup([3, 4], layer.weight).shape == (2, 5)


@pytest.mark.parametrize(
    ("ids", "match", "error"),
    [([0, 11], "from 0 to 10", ValueError), ([-1], "from 0 to 10", ValueError), ([0.5], "whole numbers", TypeError)],
)
def test_token_ids_out_of_range_are_explained(ids, match, error):
    W_E = torch.zeros(11, 3)
    for function in (as_token_ids, embed_lookup, one_hot_matmul):
        with pytest.raises(error, match=match):
            function(ids, W_E)


# --- scoring analogies ------------------------------------------------------------------------------------------


def test_gender_analogies_are_156_distinct_questions():
    analogies = gender_analogies()
    assert len(analogies) == 156 == len(set(analogies))
    assert ("man", "woman", "king", "queen") in analogies
    assert all((a, b) != (c, d) for a, b, c, d in analogies)


def test_evaluate_analogies_scores_perfect_and_random_vectors():
    pairs = [("m1", "f1"), ("m2", "f2"), ("m3", "f3"), ("m4", "f4")]
    generator = np.random.default_rng(0)
    bases = generator.normal(size=(4, 20))
    gender = generator.normal(size=20) * 3
    words = [word for pair in pairs for word in pair] + [f"other{i}" for i in range(30)]
    vectors = np.concatenate(
        [np.stack([v for base in bases for v in (base, base + gender)]), generator.normal(size=(30, 20))]
    )
    # unit-length rows make b - a + c point exactly at d
    vectors[:8] /= np.linalg.norm(vectors[:8], axis=1, keepdims=True)
    wv = WordVectors(vectors, words)
    analogies = gender_analogies(pairs) + [("m1", "f1", "missing", "f2")]
    score = evaluate_analogies(wv, analogies)
    assert score.n == 12 and score.skipped == 1 and score.top5 >= score.top1 > 0.5
    assert "of 12 analogies, 1 skipped" in str(score)
    with pytest.raises(ValueError, match="None of the analogies"):
        evaluate_analogies(wv, [("x", "y", "z", "w")])


# --- training, saving and loading -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_corpus() -> list[list[str]]:
    train_text, _ = data.shakespeare_split()
    return text_sentences(train_text[:200_000])


def test_training_repeats_exactly_with_a_seed_and_reports_each_epoch(small_corpus):
    seen = []
    first = train_word2vec(small_corpus, vector_size=16, epochs=2, seed=3, progress=False,
                           on_epoch_end=lambda epoch, wv: seen.append((epoch, len(wv))))  # fmt: skip
    again = train_word2vec(small_corpus, vector_size=16, epochs=2, seed=3, progress=False)
    other = train_word2vec(small_corpus, vector_size=16, epochs=2, seed=4, progress=False)
    assert first.words == again.words and np.array_equal(first.vectors, again.vectors)
    assert not np.array_equal(first.vectors, other.vectors)
    assert [epoch for epoch, _ in seen] == [1, 2] and seen[0][1] == len(first)
    assert first.counts is not None and np.all(np.diff(first.counts) <= 0)  # most frequent first
    assert first.counts[first.index("the")] >= 5


def test_training_refuses_bad_input(small_corpus):
    with pytest.raises(ValueError, match="sentences holding words"):
        train_word2vec([], progress=False)
    with pytest.raises(ValueError, match="window must be"):
        train_word2vec(small_corpus, window=0, progress=False)
    with pytest.raises(ValueError, match="No word occurs"):
        train_word2vec([["a", "b"]], min_count=5, progress=False)


def test_save_and_load_round_trip_in_float16(tmp_path):
    wv = WordVectors(np.random.default_rng(0).normal(size=(5, 4)), list("abcde"), counts=[5, 4, 3, 2, 1])
    path = tmp_path / "vectors.npz"
    save_word_vectors(wv, path)
    loaded = word_vectors_from_bytes(path.read_bytes())
    assert loaded.words == wv.words and np.array_equal(loaded.counts, wv.counts)
    np.testing.assert_allclose(loaded.vectors, wv.vectors, rtol=1e-3, atol=1e-3)
    with pytest.raises(DataError, match="cannot be read as word vectors"):
        word_vectors_from_bytes(b"not an npz file")
    again = tmp_path / "again.npz"
    save_word_vectors(loaded, again)  # float16 -> float32 -> float16 is exact, so the bytes repeat
    assert again.read_bytes() == path.read_bytes()


def test_the_committed_vectors():
    wv = load_shakespeare_vectors()
    assert wv.dim == 100 and wv.vectors.dtype == np.float32 and len(wv) > 5_000
    assert len(set(wv.words)) == len(wv.words) and np.all(np.diff(wv.counts) <= 0)
    assert wv.counts.min() >= 5  # min_count
    assert "king" in wv and "queen" in wv and "hitler" not in wv


@pytest.fixture
def vectors_copy(tmp_path: Path, monkeypatch) -> Path:
    shutil.copy(data.data_path(word_vectors.SHAKESPEARE_VECTORS_FILE), tmp_path)
    monkeypatch.setenv(data.DATA_DIR_ENV_VAR, str(tmp_path))
    load_shakespeare_vectors.cache_clear()
    yield tmp_path
    load_shakespeare_vectors.cache_clear()


def test_corrupt_vectors_are_reported(vectors_copy):
    path = vectors_copy / word_vectors.SHAKESPEARE_VECTORS_FILE
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataError, match="is corrupt: its sha256 is .*train_word_vectors.py"):
        load_shakespeare_vectors()


def test_missing_vectors_are_reported(vectors_copy):
    (vectors_copy / word_vectors.SHAKESPEARE_VECTORS_FILE).unlink()
    with pytest.raises(DataError, match="is missing.*train_word_vectors.py"):
        load_shakespeare_vectors()


# --- pictures ---------------------------------------------------------------------------------------------------


def test_pictures_draw_and_refuse_mismatched_input():
    plot_embedding_matrix(np.ones((3, 2)), ["a", "b", "c"], highlight=[1])
    plot_angle([1.0, 0.0], [0.0, 2.0])
    plot_skipgram_pairs(["a", "b", "c", "d"], centre=1, window=1)
    plot_neighbours({"king": [("queen", 0.8), ("lord", 0.5)]}, "neighbours")
    points = np.random.default_rng(0).normal(size=(4, 3))
    plot_words_2d(points[:, :2], list("abcd"), ["x", "x", "y", "y"], "2-D")
    axes = plot_words_3d(points, list("abcd"), ["x", "x", "y", "y"], "3-D", azimuth=30, elevation=10)
    assert axes.azim == 30 and axes.elev == 10
    with pytest.raises(ValueError, match="one token per row"):
        plot_embedding_matrix(np.ones((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match=r"shape \(n_words, 2\)"):
        plot_words_2d(points, list("abcd"), list("xxyy"), "2-D")
    with pytest.raises(ValueError, match="one word and one group per point"):
        plot_words_3d(points, list("abc"), list("xxyy"), "3-D")
    with pytest.raises(ValueError, match="centre must be"):
        plot_skipgram_pairs(["a"], centre=2, window=1)


def test_rotation_widget_redraws_when_turned():
    points = np.random.default_rng(0).normal(size=(4, 3))
    widget = rotation_widget(points, list("abcd"), ["x", "x", "y", "y"], "turn")
    assert isinstance(widget, widgets.VBox)
    turn, tilt = widget.children[0].children
    turn.value = 90  # redraws through the observer; must not raise
    tilt.value = -30
    assert isinstance(widget.children[1], widgets.Output)
