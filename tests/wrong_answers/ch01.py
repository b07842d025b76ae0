"""Plausible wrong answers to chapter 01's exercises, and what the check's message must point at."""

import numpy as np


def _errors(sizes, prices, weight, bias):
    return weight * sizes + bias - prices


def _gradients_wrong_sign(sizes, prices, weight, bias):
    errors = prices - (weight * sizes + bias)  # target minus prediction: the sign is flipped
    return float(np.mean(2 * errors * sizes)), float(np.mean(2 * errors))


def _gradients_without_two(sizes, prices, weight, bias):
    errors = _errors(sizes, prices, weight, bias)
    return float(np.mean(errors * sizes)), float(np.mean(errors))


def _gradients_summed(sizes, prices, weight, bias):
    errors = _errors(sizes, prices, weight, bias)
    return float(np.sum(2 * errors * sizes)), float(np.sum(2 * errors))


def _gradients_bias_times_size(sizes, prices, weight, bias):
    errors = _errors(sizes, prices, weight, bias)
    return float(np.mean(2 * errors * sizes)), float(np.mean(2 * errors * sizes))


def _gradients_swapped(sizes, prices, weight, bias):
    errors = _errors(sizes, prices, weight, bias)
    return float(np.mean(2 * errors)), float(np.mean(2 * errors * sizes))


def _gradients_without_bias_in_error(sizes, prices, weight, bias):
    errors = weight * sizes - prices  # the bias is left out of the error
    return float(np.mean(2 * errors * sizes)), float(np.mean(2 * errors))


def _gradients_times_weight(sizes, prices, weight, bias):
    errors = _errors(sizes, prices, weight, bias)
    return float(np.mean(2 * errors * weight)), float(np.mean(2 * errors))


def _reference_gradients(sizes, prices, weight, bias):
    errors = _errors(sizes, prices, weight, bias)
    return float(np.mean(2 * errors * sizes)), float(np.mean(2 * errors))


def _step_uphill(sizes, prices, weight, bias, learning_rate):
    d_weight, d_bias = _reference_gradients(sizes, prices, weight, bias)
    return weight + learning_rate * d_weight, bias + learning_rate * d_bias


def _step_without_learning_rate(sizes, prices, weight, bias, learning_rate):
    d_weight, d_bias = _reference_gradients(sizes, prices, weight, bias)
    return weight - d_weight, bias - d_bias


def _step_weight_only(sizes, prices, weight, bias, learning_rate):
    d_weight, _ = _reference_gradients(sizes, prices, weight, bias)
    return weight - learning_rate * d_weight, bias


def _step_missing_two(sizes, prices, weight, bias, learning_rate):
    # a step built on gradients without the factor 2: half the step; no listed mistake explains it exactly
    d_weight, d_bias = _gradients_without_two(sizes, prices, weight, bias)
    return weight - learning_rate * d_weight, bias - learning_rate * d_bias


def _step_one_after_the_other(sizes, prices, weight, bias, learning_rate):
    weight = weight - learning_rate * _reference_gradients(sizes, prices, weight, bias)[0]
    bias = bias - learning_rate * _reference_gradients(sizes, prices, weight, bias)[1]  # at the new weight
    return weight, bias


def _step_swapped_gradients(sizes, prices, weight, bias, learning_rate):
    d_weight, d_bias = _reference_gradients(sizes, prices, weight, bias)
    return weight - learning_rate * d_bias, bias - learning_rate * d_weight


def _step_only_the_change(sizes, prices, weight, bias, learning_rate):
    d_weight, d_bias = _reference_gradients(sizes, prices, weight, bias)
    return -learning_rate * d_weight, -learning_rate * d_bias


def _predict_returning_in_the_loop(sizes, weight, bias):
    for size in sizes:
        return weight * size + bias  # returns the first house's prediction only


def _standardize_then_measure(values):
    values = (values - np.mean(values)) / np.std(values)
    return values, float(np.mean(values)), float(np.std(values))  # the scaled values' mean and std: 0 and 1


WRONG_ANSWERS = {
    "ch01.predict": [
        (lambda sizes, weight, bias: weight * (sizes + bias), "not weight * (size + bias)"),
        (_predict_returning_in_the_loop, "`return` inside a loop"),
        (lambda sizes, weight, bias: float(np.sum(weight * sizes + bias)), "not their sum"),
        (lambda sizes, weight, bias: weight * sizes, "forget to add the bias"),
        (lambda sizes, weight, bias: bias * sizes + weight, "swapped"),
        (lambda sizes, weight, bias: weight * sizes * bias, "added, not multiplied"),
    ],
    "ch01.mse_loss": [
        (lambda p, t: float(np.sum((p - t) ** 2)), "mean"),
        (lambda p, t: float(np.mean(np.abs(p - t))), "absolute"),
        (lambda p, t: float(np.mean(p - t) ** 2), "before averaging"),
        (lambda p, t: float(np.mean((p - t) ** 3)), "Subtract, square"),
        (lambda p, t: 0.5 * float(np.mean((p - t) ** 2)), "1/2"),
        (lambda p, t: float(np.sqrt(np.mean((p - t) ** 2))), "square root"),
    ],
    "ch01.gradients": [
        (_gradients_wrong_sign, "wrong sign"),
        (_gradients_without_two, "factor 2"),
        (_gradients_summed, "np.mean, not np.sum"),
        (_gradients_bias_times_size, "d_bias has no size"),
        (_gradients_swapped, "swapped"),
        (_gradients_without_bias_in_error, "leave the bias out"),
        (_gradients_times_weight, "not by the weight"),
    ],
    "ch01.gradient_descent_step": [
        (_step_uphill, "uphill"),
        (_step_without_learning_rate, "ignores the learning rate"),
        (_step_weight_only, "bias did not move"),
        (_step_missing_two, "learning_rate * gradient"),
        (_step_one_after_the_other, "before moving either"),
        (_step_swapped_gradients, "its own gradient"),
        (_step_only_the_change, "not only the change"),
    ],
    "ch01.standardize": [
        (_standardize_then_measure, "measured before scaling"),
        (lambda v: ((v - np.std(v)) / np.mean(v), float(np.mean(v)), float(np.std(v))), "not the other way round"),
        (lambda v: (v / np.std(v), float(np.mean(v)), float(np.std(v))), "subtract the mean"),
        (lambda v: ((v - np.mean(v)) / np.var(v), float(np.mean(v)), float(np.var(v))), "not the variance"),
        (
            lambda v: ((v - np.mean(v)) / np.std(v, ddof=1), float(np.mean(v)), float(np.std(v, ddof=1))),
            "divides by n",
        ),
        (lambda v: (v - np.mean(v), float(np.mean(v)), float(np.std(v))), "forget to divide"),
    ],
    "ch01.unscale": [
        (lambda w, b, m, s: (w * s, b - w * s * m), "not weight * std"),
        (lambda w, b, m, s: (w / s, b), "base price must change"),
        (lambda w, b, m, s: (w / s, b + w / s * m), "sign of the shift"),
        (lambda w, b, m, s: (w, b - w * m), "Multiply out"),
        (lambda w, b, m, s: (b - w * m / s, w / s), "in that order"),
    ],
}
