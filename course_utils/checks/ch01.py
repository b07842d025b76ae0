"""Exercises of chapter 01, linear regression.

The inputs are chosen so that each listed mistake gives a different answer from the reference and from the
other mistakes: weights and biases other than 0 and 1, sizes other than 1, learning rates other than 1, and
more than one house (a sum and a mean differ).
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, Exercise, Mistake, register
from course_utils.housing import make_housing
from course_utils.solutions import ch01 as solutions


def _predict_cases() -> list[Case]:
    rng = np.random.default_rng(1)
    return [
        Case("three houses with weight 2 and bias 1", (np.array([1.0, 2.0, 3.0]), 2.0, 1.0)),
        Case("one house with weight 0.5 and bias -3", (np.array([10.0]), 0.5, -3.0)),
        Case("50 random houses", (rng.uniform(50, 200, 50), 1.7, 20.0)),
    ]


register(
    Exercise(
        id="ch01.predict",
        title="The model's prediction",
        difficulty=1,
        minutes=5,
        hint="Multiply every size by the weight, then add the bias; numpy does it for the whole array at once.",
        reference=solutions.predict,
        cases=_predict_cases,
        mistakes=[
            Mistake("the bias is added, not multiplied: weight * size + bias.", lambda s, w, b: w * s * b),
            Mistake("did you forget to add the bias?", lambda s, w, b: w * s),
            Mistake("weight and bias swapped places: the weight multiplies the size.", lambda s, w, b: b * s + w),
            Mistake(
                "the bias is added after the multiplication, not inside it: weight * size + bias, not "
                "weight * (size + bias).",
                lambda s, w, b: w * (s + b),
            ),
            Mistake(
                "return one prediction per house, an array as long as `sizes`: did you `return` inside a loop "
                "(which stops at the first house), or add the predictions up?",
                lambda s, w, b: w * s[0] + b,
            ),
            Mistake(
                "return one prediction per house, an array as long as `sizes`, not their sum.",
                lambda s, w, b: float(np.sum(w * s + b)),
            ),
        ],
    )
)


def _mse_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    return [
        Case("predictions [1, 2, 3] and targets [2, 2, 6]", (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 6.0]))),
        Case("predictions below their targets", (np.array([0.0, 0.0]), np.array([3.0, 4.0]))),
        Case("20 random pairs", (rng.normal(size=20), rng.normal(size=20))),
    ]


register(
    Exercise(
        id="ch01.mse_loss",
        title="Mean squared error",
        difficulty=1,
        minutes=5,
        hint="Subtract, square each difference, then take the mean: `np.mean` does the last step.",
        reference=solutions.mse_loss,
        cases=_mse_cases,
        mistakes=[
            Mistake(
                "you added the squares up; the loss is their mean (divide by the number of examples).",
                lambda p, t: float(np.sum((p - t) ** 2)),
            ),
            Mistake(
                "square each difference before averaging, not the average.", lambda p, t: float(np.mean(p - t) ** 2)
            ),
            Mistake(
                "you took the absolute error; square the differences instead.",
                lambda p, t: float(np.mean(np.abs(p - t))),
            ),
            Mistake(
                "that is half the mean: some books put a 1/2 in front of the loss, this course does not.",
                lambda p, t: float(np.mean((p - t) ** 2) / 2),
            ),
            Mistake(
                "you took the square root of the mean (a typical error); the loss is the mean of the squares itself.",
                lambda p, t: float(np.sqrt(np.mean((p - t) ** 2))),
            ),
        ],
    )
)


def _gradient_cases() -> list[Case]:
    sizes, prices = make_housing(20, seed=11)
    return [
        Case(
            "two houses, sizes [1, 4], prices [2, 5], weight 2, bias 0.5",
            (np.array([1.0, 4.0]), np.array([2.0, 5.0]), 2.0, 0.5),
        ),
        Case(
            "three houses with a line below all of them (weight 0.5, bias -1)",
            (np.array([2.0, 4.0, 5.0]), np.array([3.0, 6.0, 9.0]), 0.5, -1.0),
        ),
        Case("20 generated houses, weight 2.5 and bias 30", (sizes, prices, 2.5, 30.0)),
    ]


def _errors(sizes: np.ndarray, prices: np.ndarray, weight: float, bias: float) -> np.ndarray:
    """Prediction minus price for each house: what the wrong gradients below are made of."""
    return weight * sizes + bias - prices


register(
    Exercise(
        id="ch01.gradients",
        title="The gradients by hand",
        difficulty=2,
        minutes=15,
        hint=(
            "Write error = weight * size + bias - price. The loss is the mean of error ** 2. By the chain rule, "
            "d(error ** 2)/d weight = 2 * error * size and d(error ** 2)/d bias = 2 * error; average each over "
            "the houses."
        ),
        reference=solutions.gradients,
        cases=_gradient_cases,
        mistakes=[
            Mistake(
                "both gradients have the wrong sign: the error is prediction - price, not price - prediction "
                "(with the wrong sign, gradient descent walks uphill).",
                lambda s, p, w, b: tuple(-g for g in solutions.gradients(s, p, w, b)),
            ),
            Mistake(
                "both gradients are half what they should be: the derivative of error ** 2 is 2 * error, "
                "did you drop the factor 2?",
                lambda s, p, w, b: tuple(g / 2 for g in solutions.gradients(s, p, w, b)),
            ),
            Mistake(
                "the gradients are n times too big: the loss is a mean over the houses, so its gradient is a mean "
                "too (np.mean, not np.sum).",
                lambda s, p, w, b: tuple(len(s) * g for g in solutions.gradients(s, p, w, b)),
            ),
            Mistake(
                "d_weight and d_bias are swapped: return (d_weight, d_bias), in that order.",
                lambda s, p, w, b: solutions.gradients(s, p, w, b)[::-1],
            ),
            Mistake(
                "d_weight needs the size: the weight is multiplied by the size, so by the chain rule "
                "d_weight is the mean of 2 * error * size.",
                lambda s, p, w, b: (float(np.mean(2 * _errors(s, p, w, b))),) * 2,
            ),
            Mistake(
                "the error of a house is weight * size + bias - price: did you leave the bias out of it?",
                lambda s, p, w, b: solutions.gradients(s, p, w, 0.0),
            ),
            Mistake(
                "d_weight multiplies by the size, not by the weight: nudging the weight by 1 moves weight * size "
                "by size.",
                lambda s, p, w, b: (
                    float(np.mean(2 * _errors(s, p, w, b) * w)),
                    float(np.mean(2 * _errors(s, p, w, b))),
                ),
            ),
            Mistake(
                "d_bias has no size in it: the bias is added, not multiplied by the size, so d_bias is the mean "
                "of 2 * error.",
                lambda s, p, w, b: (float(np.mean(2 * _errors(s, p, w, b) * s)),) * 2,
            ),
        ],
    )
)


def _step_cases() -> list[Case]:
    sizes, prices = make_housing(20, seed=12)
    return [
        Case(
            "two houses, weight 2, bias 0.5, learning rate 0.05",
            (np.array([1.0, 3.0]), np.array([2.0, 5.0]), 2.0, 0.5, 0.05),
        ),
        Case(
            "three houses, weight 0.5, bias -1, learning rate 0.1",
            (np.array([2.0, 4.0, 5.0]), np.array([3.0, 6.0, 9.0]), 0.5, -1.0, 0.1),
        ),
        Case("20 generated houses, learning rate 0.00001", (sizes, prices, 2.5, 30.0, 1e-5)),
    ]


def _step_with(update):
    """A wrong step that combines weight, bias, their gradients and the learning rate with ``update``."""

    def step(sizes, prices, weight, bias, learning_rate):
        d_weight, d_bias = solutions.gradients(sizes, prices, weight, bias)
        return update(weight, d_weight, learning_rate), update(bias, d_bias, learning_rate)

    return step


def _step_one_after_the_other(sizes, prices, weight, bias, learning_rate):
    """A wrong step that moves the weight first and then takes the bias's gradient at the new weight."""
    new_weight = weight - learning_rate * solutions.gradients(sizes, prices, weight, bias)[0]
    return new_weight, bias - learning_rate * solutions.gradients(sizes, prices, new_weight, bias)[1]


register(
    Exercise(
        id="ch01.gradient_descent_step",
        title="One step of gradient descent",
        difficulty=1,
        minutes=10,
        hint=(
            "Call `gradients(sizes, prices, weight, bias)`, then move each parameter against its gradient: "
            "new = old - learning_rate * gradient."
        ),
        reference=solutions.gradient_descent_step,
        cases=_step_cases,
        mistakes=[
            Mistake(
                "you stepped uphill: subtract learning_rate * gradient (the gradient points to where the loss "
                "grows), do not add it.",
                _step_with(lambda value, grad, rate: value + rate * grad),
            ),
            Mistake(
                "the step ignores the learning rate: multiply each gradient by learning_rate before subtracting.",
                _step_with(lambda value, grad, rate: value - grad),
            ),
            Mistake(
                "you divided by the learning rate: multiply each gradient by learning_rate.",
                _step_with(lambda value, grad, rate: value - grad / rate),
            ),
            Mistake(
                "the bias did not move: update both parameters, each with its own gradient.",
                lambda s, p, w, b, r: (w - r * solutions.gradients(s, p, w, b)[0], b),
            ),
            Mistake(
                "each parameter moves against its own gradient: the weight with d_weight, the bias with d_bias.",
                lambda s, p, w, b, r: (
                    w - r * solutions.gradients(s, p, w, b)[1],
                    b - r * solutions.gradients(s, p, w, b)[0],
                ),
            ),
            Mistake(
                "each parameter moves against its own gradient: the bias with d_bias, not d_weight.",
                lambda s, p, w, b, r: (
                    w - r * solutions.gradients(s, p, w, b)[0],
                    b - r * solutions.gradients(s, p, w, b)[0],
                ),
            ),
            Mistake(
                "return the new values, old - learning_rate * gradient, not only the change.",
                _step_with(lambda value, grad, rate: -rate * grad),
            ),
            Mistake(
                "compute both gradients at the old (weight, bias) before moving either: your bias step used the "
                "gradient at the new weight.",
                _step_one_after_the_other,
            ),
        ],
    )
)


def _standardize_cases() -> list[Case]:
    sizes, _ = make_housing(30, seed=13)
    return [
        Case("the values [1, 2, 3, 6]", (np.array([1.0, 2.0, 3.0, 6.0]),)),
        Case("sizes of 30 generated houses", (sizes,)),
        Case("negative values [-10, -4, 0]", (np.array([-10.0, -4.0, 0.0]),)),
    ]


register(
    Exercise(
        id="ch01.standardize",
        title="Standardize the sizes",
        difficulty=1,
        minutes=5,
        hint="`np.mean(values)` and `np.std(values)`, then `(values - mean) / std`; return all three.",
        reference=solutions.standardize,
        cases=_standardize_cases,
        mistakes=[
            Mistake(
                "subtract the mean before dividing, so that the scaled values are centred on 0.",
                lambda v: (v / np.std(v), float(np.mean(v)), float(np.std(v))),
            ),
            Mistake(
                "divide by the standard deviation (np.std), not the variance (np.var).",
                lambda v: ((v - np.mean(v)) / np.var(v), float(np.mean(v)), float(np.var(v))),
            ),
            Mistake(
                "use np.std(values), which divides by n; with ddof=1 it divides by n - 1.",
                lambda v: ((v - np.mean(v)) / np.std(v, ddof=1), float(np.mean(v)), float(np.std(v, ddof=1))),
            ),
            Mistake(
                "return (scaled, mean, std) in that order.",
                lambda v: ((v - np.mean(v)) / np.std(v), float(np.std(v)), float(np.mean(v))),
            ),
            Mistake(
                "return the mean and the standard deviation of the values you were given, measured before "
                "scaling: those of the scaled values are always 0 and 1.",
                lambda v: ((v - np.mean(v)) / np.std(v), 0.0, 1.0),
            ),
            Mistake(
                "subtract the mean and divide by the standard deviation, not the other way round.",
                lambda v: ((v - np.std(v)) / np.mean(v), float(np.mean(v)), float(np.std(v))),
            ),
            Mistake(
                "did you forget to divide by the standard deviation?",
                lambda v: (v - np.mean(v), float(np.mean(v)), float(np.std(v))),
            ),
        ],
    )
)


def _unscale_cases() -> list[Case]:
    return [
        Case("weight 60, bias 300, mean 100, std 20", (60.0, 300.0, 100.0, 20.0)),
        Case("weight 2, bias 5, mean 4, std 0.5", (2.0, 5.0, 4.0, 0.5)),
        Case("a falling line: weight -3, bias 10, mean 7, std 3", (-3.0, 10.0, 7.0, 3.0)),
    ]


register(
    Exercise(
        id="ch01.unscale",
        title="Back to square metres",
        difficulty=2,
        minutes=10,
        hint=(
            "Multiply out weight * (size - mean) / std + bias: the part that multiplies the size is the price "
            "per m², and everything else is the base price."
        ),
        reference=solutions.unscale,
        cases=_unscale_cases,
        mistakes=[
            Mistake(
                "one standardized unit is std square metres, so the price per m² is weight / std, not weight * std.",
                lambda w, b, m, s: (w * s, b - w * s * m),
            ),
            Mistake(
                "the base price must change too: multiplying out gives bias - price_per_m2 * mean.",
                lambda w, b, m, s: (w / s, b),
            ),
            Mistake(
                "check the sign of the shift: weight * (size - mean) / std subtracts price_per_m2 * mean.",
                lambda w, b, m, s: (w / s, b + w / s * m),
            ),
            Mistake(
                "the shift is the price per m² times the mean, (weight / std) * mean: did you forget to divide "
                "by std there?",
                lambda w, b, m, s: (w / s, b - w * m),
            ),
            Mistake(
                "return (price_per_m2, base_price) in that order.",
                lambda w, b, m, s: (b - w / s * m, w / s),
            ),
        ],
    )
)
