"""course_utils.sampling: softmax, temperature, sampling, top-k, top-p and cross-entropy agree with torch, keep
one behaviour everywhere, and refuse bad input with a message that says what was given and what is allowed."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_utils.sampling import (
    cross_entropy,
    entropy,
    next_token_distribution,
    sample,
    sample_next_token,
    softmax,
    softmax_with_temperature,
    top_k_filter,
    top_p_filter,
)

NEG_INF = float("-inf")


def _logits(*shape: int, seed: int = 0) -> torch.Tensor:
    return 3 * torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _kept(filtered: torch.Tensor) -> list[int]:
    return torch.isfinite(filtered).nonzero().flatten().tolist()


# ----------------------------------------------------------------------------------------------------------------
# softmax and temperature


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)])
@pytest.mark.parametrize("dim", [-1, 0])
def test_softmax_equals_torch_on_any_shape_and_dim(shape, dim):
    logits = _logits(*shape)
    assert torch.allclose(softmax(logits, dim), torch.softmax(logits, dim=dim), atol=1e-7)


def test_softmax_of_large_extreme_and_minus_infinite_logits():
    assert torch.allclose(softmax(torch.tensor([1000.0, 1001.0])), softmax(torch.tensor([0.0, 1.0])))
    assert torch.equal(softmax(torch.tensor([1e4, -1e4])), torch.tensor([1.0, 0.0]))
    with_inf = softmax(torch.tensor([0.0, NEG_INF, 0.0]))
    assert torch.equal(with_inf, torch.tensor([0.5, 0.0, 0.5]))
    assert torch.equal(softmax(torch.tensor([[4.0], [-2.0]])), torch.ones(2, 1))


def test_softmax_ignores_a_constant_added_to_every_logit():
    logits = _logits(4, 6)
    assert torch.allclose(softmax(logits + 50.0), softmax(logits), atol=1e-6)


def test_temperature_zero_is_a_one_hot_at_the_first_largest_logit_in_the_logits_dtype():
    greedy = softmax_with_temperature(torch.tensor([[1.0, 3.0, 3.0], [5.0, 0.0, 5.0]], dtype=torch.float64), 0)
    assert greedy.dtype == torch.float64
    assert torch.equal(greedy, torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype=torch.float64))


def test_temperature_one_is_softmax_and_large_temperatures_flatten_toward_uniform():
    logits = _logits(3, 8)
    assert torch.allclose(softmax_with_temperature(logits, 1.0), softmax(logits))
    assert torch.allclose(softmax_with_temperature(logits, 1e6), torch.full((3, 8), 1 / 8), atol=1e-5)
    sharp, flat = entropy(softmax_with_temperature(logits, 0.5)), entropy(softmax_with_temperature(logits, 2.0))
    assert (sharp < entropy(softmax(logits))).all() and (entropy(softmax(logits)) < flat).all()


def test_a_tiny_temperature_gives_a_one_hot_not_nan():
    tiny = softmax_with_temperature(torch.tensor([1e4, 0.0, -1e4]), 1e-30)
    assert torch.equal(tiny, torch.tensor([1.0, 0.0, 0.0]))


def test_entropy_of_a_one_hot_and_of_the_uniform_distribution():
    assert float(entropy(torch.tensor([0.0, 1.0, 0.0]))) == 0.0
    assert math.isclose(float(entropy(torch.full((50,), 1 / 50))), math.log(50), rel_tol=1e-6)


# ----------------------------------------------------------------------------------------------------------------
# sample


def test_sample_has_one_id_per_row_and_repeats_with_the_same_seed():
    probs = softmax(_logits(2, 3, 5))
    drawn = sample(probs, torch.Generator().manual_seed(3))
    assert drawn.shape == (2, 3) and drawn.dtype == torch.long
    assert torch.equal(drawn, sample(probs, torch.Generator().manual_seed(3)))
    assert sample(torch.tensor([0.0, 1.0]), torch.Generator()).shape == ()


def test_sample_frequencies_follow_each_rows_probabilities():
    rows = torch.tensor([[0.7, 0.2, 0.1, 0.0], [0.0, 0.1, 0.3, 0.6]])
    n = 20_000
    draws = sample(rows.expand(n, 2, 4), torch.Generator().manual_seed(0))
    for row in range(2):
        shares = torch.bincount(draws[:, row], minlength=4) / n
        standard_errors = torch.sqrt(rows[row] * (1 - rows[row]) / n)
        assert (torch.abs(shares - rows[row]) <= 5 * standard_errors + 1e-9).all()


def test_sample_draws_from_the_generator_passed_in_and_not_from_torchs_own():
    generator = torch.Generator().manual_seed(0)
    global_state = torch.random.get_rng_state()
    before = generator.get_state()
    sample(torch.full((4, 3), 1 / 3), generator)
    assert not torch.equal(generator.get_state(), before)
    assert torch.equal(torch.random.get_rng_state(), global_state)


# ----------------------------------------------------------------------------------------------------------------
# top-k and top-p


def test_top_k_keeps_the_k_largest_and_ties_at_the_kth():
    assert _kept(top_k_filter(torch.tensor([1.0, 3.0, 2.0, 5.0, 4.0]), 2)) == [3, 4]
    assert _kept(top_k_filter(torch.tensor([1.0, 3.0, 3.0, 2.0]), 1)) == [1, 2]
    batch = _logits(2, 3, 6)
    filtered = top_k_filter(batch, 3)
    assert (torch.isfinite(filtered).sum(dim=-1) == 3).all()
    assert torch.equal(filtered[torch.isfinite(filtered)], batch[torch.isfinite(filtered)])


def test_a_k_at_least_the_vocabulary_keeps_every_token_in_the_filter_and_the_sampler():
    logits = _logits(3, 5)
    assert torch.equal(top_k_filter(logits, 5), logits) and torch.equal(top_k_filter(logits, 99), logits)
    assert top_k_filter(logits, np.int64(2)).isinf().sum() == 9  # a numpy whole number is a whole number
    with_k = sample_next_token(logits, 1.0, 99, torch.Generator().manual_seed(4))
    without = sample_next_token(logits, 1.0, None, torch.Generator().manual_seed(4))
    assert torch.equal(with_k, without)


def test_top_p_keeps_the_token_that_crosses_p():
    four = torch.log(torch.tensor([0.4, 0.3, 0.2, 0.1]))
    assert _kept(top_p_filter(four, 0.8)) == [0, 1, 2]
    assert _kept(top_p_filter(four, 0.01)) == [0]
    assert _kept(top_p_filter(four, 1.0)) == [0, 1, 2, 3]
    assert _kept(top_p_filter(four[[3, 0, 2, 1]], 0.65)) == [1, 3]  # the order of the ids does not matter


def test_top_p_breaks_ties_at_the_cut_off_by_the_lower_id():
    tied = torch.log(torch.tensor([0.3, 0.2, 0.3, 0.2]))
    assert _kept(top_p_filter(tied, 0.65)) == [0, 1, 2]


def test_top_p_filters_every_row_of_a_batch_on_its_own():
    batch = _logits(4, 10, seed=1)
    filtered = top_p_filter(batch, 0.7)
    for row, filtered_row in zip(batch, filtered, strict=True):
        assert torch.equal(filtered_row, top_p_filter(row, 0.7))
        kept_mass = float(softmax(row)[torch.isfinite(filtered_row)].sum())
        smallest_kept = float(softmax(row)[torch.isfinite(filtered_row)].min())
        assert kept_mass >= 0.7 and kept_mass - smallest_kept < 0.7  # the smallest set that reaches p


def test_next_token_distribution_applies_temperature_then_filters():
    logits = _logits(2, 12, seed=2)
    distribution = next_token_distribution(logits, temperature=0.7, top_k=6, top_p=0.8)
    assert torch.allclose(distribution.sum(dim=-1), torch.ones(2))
    expected = torch.softmax(top_p_filter(top_k_filter(logits / 0.7, 6), 0.8), dim=-1)
    assert torch.allclose(distribution, expected)
    assert torch.equal(next_token_distribution(logits, 0), softmax_with_temperature(logits, 0))


def test_sample_next_token_with_top_p_draws_only_from_the_nucleus():
    logits = _logits(1, 30, seed=5).expand(500, 30)
    drawn = sample_next_token(logits, 1.0, None, torch.Generator().manual_seed(0), top_p=0.5)
    nucleus = set(_kept(top_p_filter(logits[0], 0.5)))
    assert set(drawn.tolist()) <= nucleus and len(set(drawn.tolist())) > 1


def test_sample_next_token_draws_as_before_without_top_p():
    logits = _logits(3, 9, seed=6)
    expected = torch.multinomial(F.softmax(logits / 0.8, dim=-1), 1, generator=torch.Generator().manual_seed(9))[:, 0]
    assert torch.equal(sample_next_token(logits, 0.8, None, torch.Generator().manual_seed(9)), expected)


# ----------------------------------------------------------------------------------------------------------------
# cross-entropy


def test_cross_entropy_equals_torch_on_batches():
    logits, targets = _logits(2, 3, 7), torch.randint(0, 7, (2, 3), generator=torch.Generator().manual_seed(1))
    assert torch.isclose(cross_entropy(logits, targets), F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1)))
    assert cross_entropy(logits, targets).shape == ()


def test_cross_entropy_is_finite_on_extreme_logits_and_ln_v_for_a_uniform_guess():
    assert float(cross_entropy(torch.tensor([[1e4, -1e4, 0.0]]), torch.tensor([1]))) == pytest.approx(2e4)
    assert float(cross_entropy(torch.tensor([[1000.0, 1001.0]]), torch.tensor([0]))) == pytest.approx(
        math.log(1 + math.e), rel=1e-5
    )
    uniform = cross_entropy(torch.zeros(4, 50_257), torch.tensor([0, 1, 2, 50_256]))
    assert float(uniform) == pytest.approx(math.log(50_257), rel=1e-6)


# ----------------------------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: softmax([1.0, 2.0]), TypeError, "torch tensor"),
        (lambda: softmax(torch.tensor([1, 2])), TypeError, "logits.float()"),
        (lambda: softmax(torch.tensor([[NEG_INF, NEG_INF], [0.0, 1.0]])), ValueError, "-inf everywhere"),
        (lambda: softmax(torch.tensor([0.0, float("nan")])), ValueError, "nan"),
        (lambda: softmax(torch.tensor([0.0, float("inf")])), ValueError, "+inf"),
        (lambda: softmax(torch.zeros(3, 0)), ValueError, "at least one score"),
        (lambda: softmax_with_temperature(torch.zeros(3), -0.5), ValueError, "at least 0"),
        (lambda: softmax_with_temperature(torch.zeros(3), True), TypeError, "the bool True"),
        (lambda: top_k_filter(torch.zeros(3), 0), ValueError, "at least 1"),
        (lambda: top_k_filter(torch.zeros(3), 2.5), TypeError, "k must be a whole number"),
        (lambda: top_k_filter(torch.zeros(3), True), TypeError, "the bool True"),
        (lambda: top_p_filter(torch.zeros(3), 0.0), ValueError, "above 0, got 0.0"),
        (lambda: top_p_filter(torch.zeros(3), float("nan")), ValueError, "p must be a finite number"),
        (lambda: top_p_filter(torch.zeros(3), 1.5), ValueError, "of at most 1"),
        (lambda: sample(torch.tensor([0.5, 0.6]), torch.Generator()), ValueError, "add up to 1"),
        (lambda: sample(torch.tensor([1.5, -0.5]), torch.Generator()), ValueError, "negative"),
        (lambda: sample(torch.tensor([0.5, 0.5]), 0), TypeError, "generator must be a torch.Generator"),
        (lambda: sample(torch.tensor([1, 0]), torch.Generator()), TypeError, "probs must be a tensor of floats"),
        (lambda: cross_entropy(torch.zeros(2, 3), torch.tensor([0, 3])), ValueError, "from 0 to 2"),
        (lambda: cross_entropy(torch.zeros(2, 3), torch.tensor([0.0, 1.0])), TypeError, "whole-number"),
        (lambda: cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1, 2])), ValueError, "without its last"),
        (
            lambda: next_token_distribution(torch.zeros(3), 1.0, top_k=0),
            ValueError,
            "top_k must be a whole number of at least 1",
        ),
        (lambda: next_token_distribution(torch.zeros(3), 1.0, top_p=0.0), ValueError, "top_p must be a finite number"),
        (lambda: sample_next_token(torch.zeros(1, 3), 1.0, None, None, top_p=2.0), ValueError, "at most 1"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=None) as raised:
        call()
    assert words in str(raised.value)
