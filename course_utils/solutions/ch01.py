"""Reference solutions for chapter 01, linear regression.

The solution notebook runs each function's source as a cell after ``import numpy as np``, so they use only
numpy and the functions defined before them in the chapter (``gradient_descent_step`` calls ``gradients``).
"""

from __future__ import annotations

import numpy as np


def predict(sizes: np.ndarray, weight: float, bias: float) -> np.ndarray:
    """The model's predicted prices for houses of the given ``sizes``: ``weight * size + bias`` for each.

    ``sizes`` is an array of shape ``(n,)``; the result has the same shape, one price per house.
    """
    return weight * sizes + bias


def mse_loss(predictions: np.ndarray, targets: np.ndarray) -> float:
    """The mean squared error: the average over all examples of ``(prediction - target) ** 2``.

    ``predictions`` and ``targets`` are arrays of the same shape ``(n,)``; the result is one number.
    """
    if np.shape(predictions) != np.shape(targets):
        # numpy would broadcast shapes (n, 1) and (n,) to (n, n) and average the wrong n * n numbers
        raise ValueError(f"predictions {np.shape(predictions)} and targets {np.shape(targets)} must have one shape.")
    return float(np.mean((predictions - targets) ** 2))


def gradients(sizes: np.ndarray, prices: np.ndarray, weight: float, bias: float) -> tuple[float, float]:
    """The gradient of the mean squared error of ``predict(sizes, weight, bias)`` against ``prices``.

    Returns ``(d_weight, d_bias)``: two numbers, the partial derivatives of the loss with respect to the
    weight and to the bias (how fast the loss grows as each grows, the other held still).
    ``sizes`` and ``prices`` are arrays of shape ``(n,)``.
    """
    if np.shape(sizes) != np.shape(prices):
        raise ValueError(f"sizes {np.shape(sizes)} and prices {np.shape(prices)} must have one shape.")
    errors = weight * sizes + bias - prices
    d_weight = np.mean(2 * errors * sizes)
    d_bias = np.mean(2 * errors)
    return float(d_weight), float(d_bias)


def gradient_descent_step(
    sizes: np.ndarray, prices: np.ndarray, weight: float, bias: float, learning_rate: float
) -> tuple[float, float]:
    """One step of gradient descent: move ``weight`` and ``bias`` a little downhill on the loss.

    Returns ``(new_weight, new_bias)``: each parameter minus ``learning_rate`` times its gradient,
    with the gradients from ``gradients(sizes, prices, weight, bias)``.
    """
    d_weight, d_bias = gradients(sizes, prices, weight, bias)
    return weight - learning_rate * d_weight, bias - learning_rate * d_bias


def standardize(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Shift and scale ``values`` so that they have mean 0 and standard deviation 1.

    Returns ``(scaled, mean, std)``: ``scaled = (values - mean) / std``, of the same shape as ``values``,
    with ``mean = np.mean(values)`` and ``std = np.std(values)`` (which divides by n) as plain numbers.
    """
    mean, std = float(np.mean(values)), float(np.std(values))
    if std == 0:
        raise ValueError("All the values are equal: there is no spread to scale by.")
    return (values - mean) / std, mean, std


def unscale(weight: float, bias: float, mean: float, std: float) -> tuple[float, float]:
    """Turn a line fitted on standardized sizes back into a line on sizes in square metres.

    The line ``weight * (size - mean) / std + bias`` is the same as ``price_per_m2 * size + base_price``;
    return ``(price_per_m2, base_price)``.
    """
    if std <= 0:
        raise ValueError(f"std is a standard deviation, so it must be positive, got {std}.")
    price_per_m2 = weight / std
    base_price = bias - price_per_m2 * mean
    return price_per_m2, base_price
