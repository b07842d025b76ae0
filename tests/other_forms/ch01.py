"""Right answers to chapter 01's exercises in other forms: lists for arrays, loops, numpy numbers."""

import math

import numpy as np


def predict(sizes, weight, bias):
    return [weight * size + bias for size in sizes]  # a list, not an array


def mse_loss(predictions, targets):
    total = 0.0
    for prediction, target in zip(predictions, targets, strict=True):
        total += (prediction - target) ** 2
    return np.float64(total / len(predictions))


def gradients(sizes, prices, weight, bias):
    d_weight = d_bias = 0.0
    for size, price in zip(sizes, prices, strict=True):
        error = weight * size + bias - price
        d_weight += 2 * error * size / len(sizes)
        d_bias += 2 * error / len(sizes)
    return [d_weight, d_bias]  # a list, not a tuple


def gradient_descent_step(sizes, prices, weight, bias, learning_rate):
    errors = weight * np.asarray(sizes) + bias - np.asarray(prices)
    grads = np.array([np.mean(2 * errors * sizes), np.mean(2 * errors)])
    return np.array([weight, bias]) - learning_rate * grads  # an array of the two new values


def standardize(values):
    mean = sum(values) / len(values)
    std = math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))
    return [(value - mean) / std for value in values], mean, std


def unscale(weight, bias, mean, std):
    price_per_m2 = weight / std
    return [price_per_m2, bias - price_per_m2 * mean]


OTHER_FORMS = {
    "ch01.predict": predict,
    "ch01.mse_loss": mse_loss,
    "ch01.gradients": gradients,
    "ch01.gradient_descent_step": gradient_descent_step,
    "ch01.standardize": standardize,
    "ch01.unscale": unscale,
}
