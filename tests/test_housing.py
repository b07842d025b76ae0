"""The generated housing data of chapter 01: reproducible, realistic, and generated as its docstring says."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.housing import (
    BASE_PRICE,
    MAX_SIZE_M2,
    MEDIAN_SIZE_M2,
    MIN_SIZE_M2,
    PRICE_PER_M2,
    make_housing,
)


def test_same_seed_same_houses_and_another_seed_other_houses():
    sizes, prices = make_housing(50, seed=3)
    again_sizes, again_prices = make_housing(50, seed=3)
    other_sizes, _ = make_housing(50, seed=4)
    assert np.array_equal(sizes, again_sizes) and np.array_equal(prices, again_prices)
    assert not np.array_equal(sizes, other_sizes)


def test_shapes_units_and_ranges():
    sizes, prices = make_housing()
    assert sizes.shape == prices.shape == (100,)
    assert sizes.dtype == prices.dtype == np.float64
    assert MIN_SIZE_M2 <= sizes.min() and sizes.max() <= MAX_SIZE_M2
    assert np.array_equal(sizes, np.round(sizes)) and np.array_equal(prices, np.round(prices))
    assert (prices > 0).all()


def test_many_houses_recover_the_documented_process():
    # with 20,000 houses the noise averages out: the fitted line and the median size are the documented ones
    sizes, prices = make_housing(20_000, seed=1)
    slope, intercept = np.polyfit(sizes, prices, deg=1)
    assert abs(slope - PRICE_PER_M2) < 0.05 * PRICE_PER_M2
    assert abs(intercept - BASE_PRICE) < 0.2 * BASE_PRICE
    assert abs(np.median(sizes) - MEDIAN_SIZE_M2) < 2
    # the noise is a share of the price (about 12%), not a fixed amount
    relative = prices / (BASE_PRICE + PRICE_PER_M2 * sizes)
    assert 0.10 < np.std(np.log(relative)) < 0.14


@pytest.mark.parametrize(
    ("n_houses", "error"),
    [(0, ValueError), (1, ValueError), (-5, ValueError), (2.5, TypeError), (True, TypeError), ("100", TypeError)],
)
def test_bad_house_count_is_refused(n_houses, error):
    with pytest.raises(error, match="n_houses must be a whole number of at least 2"):
        make_housing(n_houses)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (0.5, TypeError), (None, TypeError)])
def test_bad_seed_is_refused(seed, error):
    with pytest.raises(error, match="seed must be a whole number"):
        make_housing(10, seed=seed)


class TestReferenceInputErrors:
    """The chapter's reference solutions refuse input that would give a silently wrong answer."""

    def test_mse_loss_refuses_shapes_that_would_broadcast(self):
        from course_utils.solutions.ch01 import mse_loss

        with pytest.raises(ValueError, match="must have one shape"):
            mse_loss(np.zeros((3, 1)), np.zeros(3))

    def test_standardize_refuses_values_without_spread(self):
        from course_utils.solutions.ch01 import standardize

        with pytest.raises(ValueError, match="no spread"):
            standardize(np.full(4, 7.0))

    def test_gradients_refuse_sizes_and_prices_of_different_shapes(self):
        from course_utils.solutions.ch01 import gradients

        with pytest.raises(ValueError, match="must have one shape"):
            gradients(np.ones((3, 1)), np.ones(3), 1.0, 0.0)

    def test_unscale_refuses_a_standard_deviation_that_is_not_positive(self):
        from course_utils.solutions.ch01 import unscale

        with pytest.raises(ValueError, match="must be positive"):
            unscale(1.0, 2.0, 3.0, 0.0)
