"""A small housing data set for chapter 01: the size of each house and the price it sold for.

The houses are **generated**, not collected: a seeded random process that looks like a town's sales, so the
course needs no download and no licence, and anyone can regenerate exactly the same numbers. The process:

1. Sizes in square metres are drawn from a log-normal distribution with a median of 90 m² (most houses are
   middle-sized, a few are large), kept between 30 and 250 m², and rounded to whole square metres.
2. Each house's typical price is ``BASE_PRICE + PRICE_PER_M2 * size``: 50 thousand (the plot and the
   paperwork) plus 3 thousand per square metre. Prices are in thousands of euros.
3. Each sale is that typical price times a random factor around 1 (a log-normal with a spread of about 12%):
   a house can sell 10% above or below the line for reasons the size does not say (its state, its street).
   The noise is a share of the price, as in real sales, so prices stay positive and big houses vary more.
4. Prices are rounded to the nearest thousand.

The true line is therefore known (``PRICE_PER_M2`` and ``BASE_PRICE``), and a fitted line can be compared to it.
"""

from __future__ import annotations

import numpy as np

from course_utils import validate

PRICE_PER_M2 = 3.0  # thousand euros per square metre: the true weight
BASE_PRICE = 50.0  # thousand euros: the true bias
MEDIAN_SIZE_M2 = 90.0
SIZE_SPREAD = 0.35  # standard deviation of log(size)
MIN_SIZE_M2, MAX_SIZE_M2 = 30.0, 250.0
PRICE_NOISE = 0.12  # standard deviation of log(price / typical price): about 12%
N_HOUSES = 100


def make_housing(n_houses: int = N_HOUSES, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Generate ``n_houses`` house sales with the seeded process described in this module's docstring.

    Returns ``(sizes, prices)``: two float64 arrays of shape ``(n_houses,)``, sizes in square metres and
    prices in thousands of euros. The same ``seed`` gives the same houses on every machine.

    >>> sizes, prices = make_housing(3)
    >>> sizes.shape, prices.shape
    ((3,), (3,))
    """
    n_houses = validate.whole_number(n_houses, "n_houses", minimum=2, hint="A line needs two points.")
    seed = validate.whole_number(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    sizes = rng.lognormal(mean=np.log(MEDIAN_SIZE_M2), sigma=SIZE_SPREAD, size=int(n_houses))
    sizes = np.round(np.clip(sizes, MIN_SIZE_M2, MAX_SIZE_M2))
    typical_prices = BASE_PRICE + PRICE_PER_M2 * sizes
    prices = np.round(typical_prices * rng.lognormal(mean=0.0, sigma=PRICE_NOISE, size=int(n_houses)))
    return sizes, prices
