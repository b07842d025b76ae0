"""Exercises of chapter 01, linear regression."""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, Exercise, Mistake, register
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
        ],
    )
)


def _mse_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    return [
        Case("predictions [1, 2, 3] and targets [1, 2, 5]", (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0]))),
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
        ],
    )
)
