"""Chapter 07's checks accept every right answer, whatever its form, and keep their promises about randomness.

tests/test_checks.py runs each check on the reference and on the wrong answers of tests/wrong_answers/ch07.py;
here other correct ways to write the same functions must pass too (a loop instead of tensor operations, torch's
own functions, another way to draw), since a check that only accepts the reference's way teaches the wrong lesson.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from course_utils.checks import CheckFailed, get
from course_utils.checks.ch07 import binomial_bounds


def _passes(exercise_id: str, learner_fn) -> bool:
    return get(exercise_id).check(learner_fn) is learner_fn


def test_softmax_in_other_words():
    assert _passes("ch07.softmax", lambda logits, dim=-1: torch.softmax(logits, dim=dim))
    assert _passes(
        "ch07.softmax", lambda logits, dim=-1: torch.exp(logits - torch.logsumexp(logits, dim, keepdim=True))
    )


def test_temperature_in_other_words():
    def with_where(logits, temperature):
        if temperature < 0:
            raise ValueError("a temperature below 0")
        if temperature == 0:
            largest = logits.argmax(dim=-1, keepdim=True)
            return torch.zeros_like(logits).scatter(-1, largest, 1.0)
        return torch.softmax(logits / temperature, dim=-1)

    assert _passes("ch07.softmax_with_temperature", with_where)

    def as_a_power_of_the_probabilities(logits, temperature):  # softmax(z / T) is p ** (1 / T), renormalised
        if temperature < 0:
            raise ValueError("a temperature below 0")
        if temperature == 0:
            return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
        scaled_log_probs = torch.log_softmax(logits.double(), dim=-1) / temperature  # log(p ** (1 / T))
        powered = torch.exp(scaled_log_probs - scaled_log_probs.amax(dim=-1, keepdim=True))
        return (powered / powered.sum(dim=-1, keepdim=True)).to(logits.dtype)

    assert _passes("ch07.softmax_with_temperature", as_a_power_of_the_probabilities)


def _inverse_cdf(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    uniform = torch.rand(rows.shape[0], 1, generator=generator, dtype=rows.dtype)
    ids = torch.searchsorted(torch.cumsum(rows, dim=-1), uniform, right=True)[:, 0]
    return ids.clamp(max=rows.shape[-1] - 1).reshape(probs.shape[:-1])


def _gumbel_max(probs, generator):
    uniform = torch.rand(probs.shape, generator=generator, dtype=torch.float64).clamp_min(1e-300)
    return torch.argmax(torch.log(probs.double()) - torch.log(-torch.log(uniform)), dim=-1)


def _numpy_ids(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(rows, 1, generator=generator)[:, 0].reshape(probs.shape[:-1]).numpy()


def _exponential_race(probs, generator):
    waits = -torch.log(torch.rand(probs.shape, generator=generator, dtype=torch.float64))  # exponential, rate 1
    return torch.argmin(waits / probs.double(), dim=-1)  # a token of probability 0 waits forever


def _python_loop(probs, generator):
    rows = probs.reshape(-1, probs.shape[-1]).double()
    drawn = []
    for row in rows:
        uniform, total, pick = torch.rand((), generator=generator, dtype=torch.float64).item(), 0.0, len(row) - 1
        for token, probability in enumerate(row.tolist()):
            total += probability
            if uniform < total:
                pick = token
                break
        drawn.append(pick)
    return torch.tensor(drawn, dtype=torch.long).reshape(probs.shape[:-1])


@pytest.mark.parametrize("right", [_inverse_cdf, _gumbel_max, _exponential_race, _python_loop])
def test_sample_accepts_other_right_ways_to_draw(right):
    assert _passes("ch07.sample", right)


def test_the_sample_check_leaves_torchs_global_generator_alone():
    state = torch.random.get_rng_state()
    assert _passes("ch07.sample", lambda probs, generator: get("ch07.sample").reference(probs, generator))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_the_sample_check_fails_an_answer_that_seeds_torchs_global_generator_itself():
    def seeding_the_global_one(probs, generator):
        torch.manual_seed(0)
        rows = probs.reshape(-1, probs.shape[-1])
        return torch.multinomial(rows, 1)[:, 0].reshape(probs.shape[:-1])

    with pytest.raises(CheckFailed, match="did not move"):
        get("ch07.sample").check(seeding_the_global_one)


def test_binomial_bounds_hold_a_right_answer_in_with_the_promised_rate():
    # the exact tails: P(count outside [low, high]) is at most the rate, and the bounds are not far wider than needed
    from scipy.stats import binom

    for draws, probability in [(4000, 0.5), (4000, 0.05), (4000, 0.6), (50, 0.01)]:
        low, high = binomial_bounds(draws, probability, 1e-6)
        outside = binom.cdf(low - 1, draws, probability) + binom.sf(high, draws, probability)
        assert outside <= 1e-6
        assert binom.cdf(low, draws, probability) + binom.sf(high - 1, draws, probability) > 1e-6 / 2


def test_top_k_in_other_words():
    def by_sorting(logits, k):
        if k < 1:
            raise ValueError("k below 1")
        if k >= logits.shape[-1]:
            return logits.clone()
        kth = torch.sort(logits, dim=-1, descending=True).values[..., k - 1 : k]
        return torch.where(logits >= kth, logits, torch.tensor(float("-inf")))

    assert _passes("ch07.top_k_filter", by_sorting)


def test_top_p_in_other_words():
    def with_a_loop(logits, p):
        if not 0 < p <= 1:
            raise ValueError("p outside (0, 1]")
        rows = logits.reshape(-1, logits.shape[-1])
        out = torch.full_like(rows, float("-inf"))
        for row, filtered in zip(rows, out, strict=True):
            probs = torch.softmax(row, dim=-1).tolist()
            order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))  # likeliest first, lower id on ties
            total = 0.0
            for token in order:
                filtered[token] = row[token]
                total += probs[token]
                if total >= p:
                    break
        return out.reshape(logits.shape)

    assert _passes("ch07.top_p_filter", with_a_loop)

    def with_a_shifted_mask(logits, p):  # drop where the sum with the token passes p, shifted one place right
        if not 0 < p <= 1:
            raise ValueError("p outside (0, 1]")
        sorted_logits, order = torch.sort(logits.double(), dim=-1, descending=True, stable=True)
        remove = torch.softmax(sorted_logits, dim=-1).cumsum(dim=-1) > p
        remove[..., 1:] = remove[..., :-1].clone()
        remove[..., 0] = False
        return logits.masked_fill(remove.gather(-1, torch.argsort(order, dim=-1)), float("-inf"))

    assert _passes("ch07.top_p_filter", with_a_shifted_mask)


def test_cross_entropy_in_other_words():
    assert _passes(
        "ch07.cross_entropy",
        lambda logits, targets: F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)),
    )
    assert _passes(
        "ch07.cross_entropy",
        lambda logits, targets: (
            torch.logsumexp(logits, dim=-1) - logits.gather(-1, targets[..., None])[..., 0]
        ).mean(),
    )
    # a plain float has the right value, and is handed on as a tensor
    use = get("ch07.cross_entropy").check(
        lambda logits, targets: float(-F.log_softmax(logits, dim=-1).gather(-1, targets[..., None]).mean())
    )
    assert isinstance(use(torch.zeros(2, 3), torch.tensor([0, 1])), torch.Tensor)


def test_a_one_hot_of_integers_and_numpy_probabilities_pass_and_are_handed_on_as_float_tensors():
    def long_one_hot(logits, temperature):
        if temperature < 0:
            raise ValueError("a temperature below 0")
        if temperature == 0:
            return F.one_hot(logits.argmax(dim=-1), logits.shape[-1])
        return torch.softmax(logits / temperature, dim=-1)

    use = get("ch07.softmax_with_temperature").check(long_one_hot)
    assert use(torch.tensor([1.0, 3.0]), 0.0).dtype == torch.float32
    use = get("ch07.softmax").check(lambda logits, dim=-1: np.asarray(torch.softmax(logits, dim=dim)))
    assert isinstance(use(torch.tensor([1.0, 3.0])), torch.Tensor)


def test_sample_must_return_a_tensor_that_later_cells_can_append():
    with pytest.raises(CheckFailed, match="torch tensor of ids"):
        get("ch07.sample").check(_numpy_ids)
