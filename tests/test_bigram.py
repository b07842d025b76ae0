"""course_utils.bigram and course_utils.sampling: counts, probabilities, the held-out NLL, and drawing ids."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from course_utils.bigram import bigram_counts, bigram_logits, bigram_nll, bigram_probabilities, heldout_bigram_nll
from course_utils.data import shakespeare_split
from course_utils.sampling import sample_next
from course_utils.text import char_vocab, encode


class TestBigramCounts:
    def test_counts_every_pair_once_repeats_included(self):
        ids = [0, 1, 1, 2, 0, 1]
        counts = bigram_counts(ids, 3)
        expected = np.zeros((3, 3), dtype=int)
        for current, following in zip(ids[:-1], ids[1:], strict=True):
            expected[current, following] += 1
        assert np.array_equal(counts, expected) and counts[0, 1] == 2

    def test_rows_are_the_current_id(self):
        counts = bigram_counts([2, 0], 3)
        assert counts[2, 0] == 1 and counts.sum() == 1

    def test_total_is_the_number_of_pairs(self):
        ids = np.random.default_rng(0).integers(0, 9, 1000)
        assert bigram_counts(ids, 9).sum() == 999

    def test_bad_input(self):
        with pytest.raises(ValueError, match="at least 2 ids"):
            bigram_counts([], 3)
        with pytest.raises(ValueError, match="at least 2 ids"):
            bigram_counts([1], 3)
        with pytest.raises(ValueError, match="vocab_size - 1 = 2"):
            bigram_counts([0, 3], 3)


class TestProbabilitiesAndNll:
    def test_rows_add_up_to_one_and_smoothing_fills_gaps(self):
        counts = bigram_counts([0, 1, 1, 0], 3)
        probabilities = bigram_probabilities(counts)
        assert np.allclose(probabilities.sum(axis=1), 1) and (probabilities > 0).all()
        assert probabilities[0, 1] == pytest.approx(2 / 4)  # (1 + 1) / (1 + 3)

    def test_unsmoothed_empty_row_is_refused(self):
        with pytest.raises(ValueError, match="smoothing > 0"):
            bigram_probabilities(bigram_counts([0, 1], 3), smoothing=0.0)

    def test_bad_counts(self):
        with pytest.raises(ValueError, match="square"):
            bigram_probabilities(np.ones((2, 3)))
        with pytest.raises(ValueError, match="negative"):
            bigram_probabilities(-np.ones((2, 2)))

    def test_nll_by_hand(self):
        probabilities = np.array([[0.25, 0.75], [0.5, 0.5]])
        expected = -(math.log(0.75) + math.log(0.5) + math.log(0.25)) / 3  # pairs 0->1, 1->0, 0->0
        assert bigram_nll(probabilities, [0, 1, 0, 0]) == pytest.approx(expected)

    def test_uniform_model_scores_log_vocab_size(self):
        ids = np.random.default_rng(1).integers(0, 7, 100)
        assert bigram_nll(np.full((7, 7), 1 / 7), ids) == pytest.approx(math.log(7))

    def test_impossible_pair_is_infinite(self):
        assert math.isinf(bigram_nll(np.array([[1.0, 0.0], [0.5, 0.5]]), [0, 1]))

    def test_nll_needs_a_pair(self):
        with pytest.raises(ValueError, match="at least 2 ids"):
            bigram_nll(np.ones((2, 2)) / 2, [1])


def test_heldout_bigram_nll_on_the_course_split():
    train_text, heldout_text = shakespeare_split()
    vocab = char_vocab(train_text)
    assert set(heldout_text) <= set(vocab)
    nll = heldout_bigram_nll()
    assert 2.3 < nll < 2.8  # a character bigram: well below uniform (ln 84 = 4.43), well above a good model
    # the same number again from the plain, one-character-at-a-time encoding (heldout_bigram_nll uses encode_array)
    counts = bigram_counts(encode(train_text, vocab), len(vocab))
    assert bigram_nll(bigram_probabilities(counts), encode(heldout_text, vocab)) == pytest.approx(nll, rel=1e-12)


class TestSampleNext:
    def test_frequencies_follow_the_probabilities(self):
        probabilities = torch.tensor([0.1, 0.6, 0.0, 0.3])
        generator = torch.Generator().manual_seed(0)
        draws = [sample_next(probabilities, generator) for _ in range(4000)]
        assert all(isinstance(draw, int) for draw in draws)
        shares = np.bincount(draws, minlength=4) / len(draws)
        assert shares[2] == 0
        assert np.allclose(shares, probabilities.numpy(), atol=0.04)

    def test_same_seed_same_draws(self):
        probabilities = torch.full((10,), 0.1)

        def run(seed: int) -> list[int]:
            generator = torch.Generator().manual_seed(seed)
            return [sample_next(probabilities, generator) for _ in range(50)]

        assert run(3) == run(3) and run(3) != run(4)

    def test_certain_id(self):
        generator = torch.Generator().manual_seed(0)
        assert {sample_next(torch.tensor([0.0, 0.0, 1.0]), generator) for _ in range(20)} == {2}

    def test_bad_probabilities(self):
        generator = torch.Generator().manual_seed(0)
        with pytest.raises(ValueError, match="add up to 1"):
            sample_next(torch.tensor([0.5, 0.6]), generator)
        with pytest.raises(ValueError, match="probabilities must be probabilities from 0 to 1, got values from -0.5"):
            sample_next(torch.tensor([1.5, -0.5]), generator)
        with pytest.raises(ValueError, match="1-D"):
            sample_next(torch.ones(2, 2) / 4, generator)
        with pytest.raises(ValueError, match="probabilities must hold at least 1 number, got 0"):
            sample_next(torch.tensor([]), generator)


def test_bigram_logits_picks_the_rows_of_the_transposed_weight():
    weight = torch.arange(9, dtype=torch.float32).reshape(3, 3)
    logits = bigram_logits(torch.tensor([2, 0]), weight)
    assert logits.shape == (2, 3)
    assert torch.equal(logits, weight.T[[2, 0]])


def test_bigram_logits_refuses_a_weight_that_is_not_square_and_ids_that_are_not_a_1d_tensor():
    with pytest.raises(ValueError, match="square"):
        bigram_logits(torch.tensor([0, 1]), torch.ones(3, 4))
    with pytest.raises(ValueError, match="1-D tensor"):
        bigram_logits([0, 1], torch.ones(3, 3))
    with pytest.raises(ValueError, match="vocab_size"):
        bigram_logits(torch.tensor([0, 5]), torch.ones(3, 3))
