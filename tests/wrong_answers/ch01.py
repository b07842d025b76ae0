"""Plausible wrong answers to chapter 01's exercises, and what the check's message must point at."""

import numpy as np

WRONG_ANSWERS = {
    "ch01.predict": [
        (lambda sizes, weight, bias: weight * sizes, "forget to add the bias"),
        (lambda sizes, weight, bias: bias * sizes + weight, "swapped"),
        (lambda sizes, weight, bias: weight * sizes * bias, "added, not multiplied"),
    ],
    "ch01.mse_loss": [
        (lambda p, t: float(np.sum((p - t) ** 2)), "mean"),
        (lambda p, t: float(np.mean(np.abs(p - t))), "absolute"),
        (lambda p, t: float(np.mean(p - t) ** 2), "before averaging"),
        (lambda p, t: float(np.mean((p - t) ** 3)), "Subtract, square"),
    ],
}
