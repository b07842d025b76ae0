"""Exercises of chapter 02, neural networks."""

from __future__ import annotations

import copy
import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from course_utils.checks.core import Case, CheckFailed, Exercise, Mistake, call_learner, register, same_values
from course_utils.solutions import ch02 as solutions
from course_utils.training import train_step

_TORCH_DIRECTORY = Path(torch.__file__).parent

# The chapter's leaf (red, green, blue, volume in ml) and the weights of its neuron (section 2.2).
LEAF = np.array([32.0, 107.0, 56.0, 11.2])
NEURON_WEIGHTS = np.array([0.10, -0.29, -0.07, 0.46])


# --------------------------------------------------------------------------------------------------------------
# ch02.relu


def _relu_cases() -> list[Case]:
    rng = np.random.default_rng(20)
    return [
        Case("[-2, -0.5, 0, 0.5, 3]", (np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),)),
        Case("a 2x3 matrix", (np.array([[1.5, -1.0, 0.25], [-0.25, 7.0, -3.0]]),)),
        Case("100 random numbers between -5 and 5", (rng.uniform(-5, 5, 100),)),
        # a single number last, after the arrays that name the mistakes: `neuron` calls relu on one number
        Case("the single number -1.5", (-1.5,)),
        Case("the single number 2.5", (2.5,)),
    ]


register(
    Exercise(
        id="ch02.relu",
        title="ReLU",
        difficulty=1,
        minutes=5,
        hint="`np.maximum(a, b)` takes the larger of two numbers element by element, and works on whole arrays.",
        reference=solutions.relu,
        cases=_relu_cases,
        mistakes=[
            Mistake(
                "numbers between 0 and 1 must stay as they are: ReLU is max(x, 0), not max(x, 1).",
                lambda x: np.maximum(x, 1),
            ),
            Mistake("ReLU keeps positive numbers as they are; it does not cap them at 1.", lambda x: np.clip(x, 0, 1)),
            Mistake(
                "you returned whether each number is positive (1 or 0); return the number itself where it is.",
                lambda x: (x > 0).astype(float),
            ),
            Mistake("negative numbers become 0, not positive: ReLU is not the absolute value.", np.abs),
            Mistake(
                "that keeps the negative numbers and zeros the positive ones: max, not min.", lambda x: np.minimum(x, 0)
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.neuron


def _neuron_cases() -> list[Case]:
    rng = np.random.default_rng(21)
    return [
        Case("the leaf of section 2.2 with its weights and bias 0.25 (a negative sum)", (LEAF, NEURON_WEIGHTS, 0.25)),
        Case(
            "inputs [1, 2, 3], weights [0.5, -1, 2] and bias 2",
            (np.array([1.0, 2.0, 3.0]), np.array([0.5, -1, 2]), 2.0),
        ),
        Case("inputs [3, 1], weights [2, 0.5] and bias -1.5", (np.array([3.0, 1.0]), np.array([2.0, 0.5]), -1.5)),
        Case("inputs [1, 1], weights [1, -3] and bias 1.5", (np.array([1.0, 1.0]), np.array([1.0, -3.0]), 1.5)),
        Case("8 random inputs and weights, bias 4", (rng.normal(size=8), rng.normal(size=8), 4.0)),
    ]


def _weighted_sum(inputs: np.ndarray, weights: np.ndarray) -> float:
    return float(np.sum(inputs * weights))


register(
    Exercise(
        id="ch02.neuron",
        title="One neuron",
        difficulty=1,
        minutes=5,
        hint="`inputs * weights` multiplies pair by pair and `np.sum` adds the products up; then add the bias, "
        "and only then apply your `relu`.",
        reference=solutions.neuron,
        cases=_neuron_cases,
        mistakes=[
            Mistake("did you forget to add the bias?", lambda x, w, b: max(_weighted_sum(x, w), 0.0)),
            Mistake(
                "the activation is missing: apply relu to the weighted sum plus the bias.",
                lambda x, w, b: _weighted_sum(x, w) + b,
            ),
            Mistake(
                "add the bias before ReLU, not after: relu(sum + bias).",
                lambda x, w, b: max(_weighted_sum(x, w), 0) + b,
            ),
            Mistake(
                "add the products up; their mean is a different number.",
                lambda x, w, b: max(float(np.mean(x * w)) + b, 0.0),
            ),
            Mistake(
                "the bias is added once, to the sum of the products, not to every product.",
                lambda x, w, b: max(float(np.sum(x * w + b)), 0.0),
            ),
            Mistake(
                "the bias is added to the weighted sum, not multiplied.",
                lambda x, w, b: max(_weighted_sum(x, w) * b, 0.0),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.layer_forward


def _layer_cases() -> list[Case]:
    rng = np.random.default_rng(22)
    # square weight matrices come first: a transposed matrix runs there and the check can name it (the check
    # stops at the first wrong case, before the non-square ones, on which a transposed matrix crashes)
    return [
        Case(
            "2 neurons with 2 inputs each: weights [[1, 2], [-3, 0.5]], bias [0.5, -1], inputs [2, 1]",
            (np.array([2.0, 1.0]), np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([0.5, -1.0])),
        ),
        Case("3 neurons with 3 random inputs each", (rng.normal(size=3), rng.normal(size=(3, 3)), rng.normal(size=3))),
        Case(
            "the layer of section 2.4: 3 neurons, 4 inputs (weights of shape (3, 4))",
            (
                LEAF,
                np.array([NEURON_WEIGHTS, [0.12, -0.05, 0.21, -0.3], [-0.36, -0.21, 0.4, 0.1]]),
                np.array([0.25, 0, -1]),
            ),
        ),
        Case("5 neurons with 3 random inputs each", (rng.normal(size=3), rng.normal(size=(5, 3)), rng.normal(size=5))),
    ]


_LAYER_MISTAKES = [
    Mistake(
        "the weight matrix is transposed: row i holds neuron i's weights, so the product is `weights @ inputs` "
        "(`inputs @ weights` multiplies by columns).",
        lambda x, w, b: x @ w + b,
    ),
    Mistake("did you forget to add the bias?", lambda x, w, b: w @ x),
    Mistake(
        "a layer here is only the weighted sums plus the bias: leave ReLU out (the network applies it between layers).",
        lambda x, w, b: np.maximum(w @ x + b, 0),
    ),
    Mistake(
        "`*` multiplies element by element; the matrix product `@` also adds up each row's products.",
        lambda x, w, b: w * x + b,
    ),
    Mistake(
        "a layer gives one number per neuron: do not add the neurons' outputs up.",
        lambda x, w, b: float(np.sum(w @ x + b)),
    ),
    Mistake("the bias is added to each neuron's weighted sum, not multiplied.", lambda x, w, b: (w @ x) * b),
]
_LAYER_HINT = (
    "Row i of `weights` holds neuron i's weights, so `weights @ inputs` is every neuron's weighted sum at once; "
    "then add `bias`."
)

register(
    Exercise(
        id="ch02.layer_forward",
        title="A layer is a matrix-vector product",
        difficulty=2,
        minutes=10,
        hint=_LAYER_HINT,
        reference=solutions.layer_forward,
        cases=_layer_cases,
        mistakes=_LAYER_MISTAKES,
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.mlp_forward


def _mlp_cases() -> list[Case]:
    rng = np.random.default_rng(24)

    def random_case(label: str, batch: int, n_in: int, n_hidden: int, n_out: int) -> Case:
        shapes = [(batch, n_in), (n_hidden, n_in), (n_hidden,), (n_out, n_hidden), (n_out,)]
        return Case(label, tuple(rng.normal(size=shape) for shape in shapes))

    # square matrices first, so that a transposed one runs and can be named (see _layer_cases)
    return [
        Case(
            "3 examples, 3 inputs, 3 hidden neurons, 3 outputs (every matrix 3x3)",
            (
                np.array([[1.0, 2.0, 0.5], [-1.0, 0.5, 2.0], [0.0, -2.0, 1.0]]),
                np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0], [-2.0, 0.0, 1.0]]),
                np.array([0.5, -1.0, 0.25]),
                np.array([[1.0, 2.0, -1.0], [-0.5, 1.0, 1.0], [2.0, -1.0, 0.5]]),
                np.array([-1.0, 0.5, 0.0]),
            ),
        ),
        random_case("4 random examples with 4 inputs each, 4 hidden neurons, 4 outputs", 4, 4, 4, 4),
        random_case("5 random examples with 4 inputs each, 3 hidden neurons, 2 outputs", 5, 4, 3, 2),
        random_case("8 random examples with 4 inputs each, 16 hidden neurons, 2 outputs", 8, 4, 16, 2),
    ]


def _linear(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return x @ w.T + b


_MLP_MISTAKES = [
    Mistake(
        "the hidden layer needs its ReLU: without it the two layers are one linear map (section 2.5).",
        lambda x, w1, b1, w2, b2: _linear(_linear(x, w1, b1), w2, b2),
    ),
    Mistake(
        "the output layer has no ReLU: the outputs are scores and may be negative.",
        lambda x, w1, b1, w2, b2: np.maximum(_linear(np.maximum(_linear(x, w1, b1), 0), w2, b2), 0),
    ),
    Mistake(
        "a weight matrix is transposed: with one example per row, a layer is `inputs @ weights.T + bias`.",
        lambda x, w1, b1, w2, b2: np.maximum(x @ w1 + b1, 0) @ w2 + b2,
    ),
    Mistake(
        "a weight matrix is transposed: with one example per row, a layer is `inputs @ weights.T + bias`.",
        lambda x, w1, b1, w2, b2: _linear(np.maximum(x @ w1 + b1, 0), w2, b2),
    ),
    Mistake(
        "a weight matrix is transposed: with one example per row, a layer is `inputs @ weights.T + bias`.",
        lambda x, w1, b1, w2, b2: np.maximum(_linear(x, w1, b1), 0) @ w2 + b2,
    ),
    Mistake(
        "add bias1 before ReLU, not after: relu(inputs @ weights1.T + bias1).",
        lambda x, w1, b1, w2, b2: _linear(np.maximum(x @ w1.T, 0) + b1, w2, b2),
    ),
    Mistake(
        "did you forget a bias? Each layer adds its own.",
        lambda x, w1, b1, w2, b2: np.maximum(x @ w1.T, 0) @ w2.T + b2,
    ),
    Mistake(
        "did you forget a bias? Each layer adds its own.",
        lambda x, w1, b1, w2, b2: np.maximum(_linear(x, w1, b1), 0) @ w2.T,
    ),
]
_MLP_HINT = (
    "Two layers, each `inputs @ weights.T + bias` for a batch with one example per row, and `relu` between "
    "them, not after the last."
)

register(
    Exercise(
        id="ch02.mlp_forward",
        title="A small network on a batch",
        difficulty=2,
        minutes=15,
        hint=_MLP_HINT,
        reference=solutions.mlp_forward,
        cases=_mlp_cases,
        mistakes=_MLP_MISTAKES,
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.accuracy


def _accuracy_cases() -> list[Case]:
    generator = torch.Generator().manual_seed(25)
    # two examples of two classes first: scores.argmax(dim=0) runs there (and is named) but crashes on the others
    return [
        Case("2 examples, both right", (torch.tensor([[-1.0, 1.5], [-2.0, 3.0]]), torch.tensor([1, 1]))),
        Case(
            "4 examples, 3 of them right",
            (torch.tensor([[2.0, 1.0], [0.5, 3.0], [1.5, -1.0], [0.0, 0.2]]), torch.tensor([0, 1, 1, 1])),
        ),
        Case(
            "50 random examples of 3 classes",
            (torch.randn(50, 3, generator=generator), torch.randint(0, 3, (50,), generator=generator)),
        ),
    ]


register(
    Exercise(
        id="ch02.accuracy",
        title="Accuracy",
        difficulty=1,
        minutes=5,
        hint="`scores.argmax(dim=1)` is each example's answer; compare it with `labels` and take the mean of the "
        "matches (as floats).",
        reference=solutions.accuracy,
        cases=_accuracy_cases,
        mistakes=[
            Mistake(
                "you counted the right answers; accuracy is the fraction right (divide by the number of examples).",
                lambda s, y: float((s.argmax(dim=1) == y).sum()),
            ),
            Mistake(
                "the network's answer is the class with the largest score: argmax, not argmin.",
                lambda s, y: (s.argmin(dim=1) == y).float().mean().item(),
            ),
            Mistake(
                "give the accuracy as a fraction between 0 and 1, not a percentage.",
                lambda s, y: 100 * (s.argmax(dim=1) == y).float().mean().item(),
            ),
            Mistake(
                "take the argmax over dim=1, the classes of each example; dim=0 runs down the examples.",
                lambda s, y: (s.argmax(dim=0) == y).float().mean().item(),
            ),
            Mistake(
                "you measured the fraction wrong (the error rate): count the examples where the answer equals "
                "the label.",
                lambda s, y: (s.argmax(dim=1) != y).float().mean().item(),
            ),
            Mistake(
                "the network's answer is the position of the largest score (argmax), not the score itself (max).",
                lambda s, y: (s.max(dim=1).values == y).float().mean().item(),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.train_step


def _small_training_problem() -> tuple[torch.nn.Module, Callable, torch.optim.Optimizer, list]:
    """A small seeded network, its loss and optimizer, and two batches to take two steps on."""
    generator = torch.Generator().manual_seed(26)
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = [
        (torch.randn(8, 3, generator=generator), torch.randint(0, 2, (8,), generator=generator)) for _ in range(2)
    ]
    return model, torch.nn.functional.cross_entropy, optimizer, batches


def _two_steps(step_fn: Callable[..., Any]) -> Callable[..., tuple[list, list]]:
    """``step_fn`` taken twice, recording what it returns and the weights after each step."""

    @functools.wraps(step_fn)
    def run(model, loss_fn, optimizer, batches):
        returned, weights = [], []
        for inputs, targets in batches:
            try:
                returned.append(step_fn(model, loss_fn, optimizer, inputs, targets))
            except NotImplementedError as error:
                if not _raised_inside_torch(error):
                    raise  # the stub's own: not done yet
                # torch's "not implemented for 'Long'" is a NotImplementedError too: a wrong answer, not a stub
                raise RuntimeError(
                    f"{error}. (torch says this when a tensor has the wrong type: is the loss "
                    f"loss_fn(model(inputs), targets), scores first and labels second?)"
                ) from error
            weights.append([parameter.detach().clone() for parameter in model.parameters()])
        return returned, weights

    return run


def _raised_inside_torch(error: BaseException) -> bool:
    """Whether ``error`` came from torch's own code rather than from the learner's function."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).is_relative_to(_TORCH_DIRECTORY)


def _same_weights(got: list[torch.Tensor], want: list[torch.Tensor]) -> bool:
    return all(torch.allclose(g, w, atol=1e-6, rtol=1e-5) for g, w in zip(got, want, strict=True))


def _check_train_step(learner: Callable[..., Any]) -> None:
    """Take two steps with the learner's ``train_step`` and two with the reference, from the same start.

    Two steps, because a missing ``optimizer.zero_grad()`` changes nothing in the first step (the gradients
    start empty) and only shows in the second, where the old gradients add to the new. The returned loss
    must be a plain number: a tensor is refused, because ``train`` keeps every step's loss in its history,
    and a loss tensor holds on to the whole computation that made it.
    """
    problem = _small_training_problem()
    initial = [parameter.detach().clone() for parameter in problem[0].parameters()]
    case = Case("two steps on a small network", problem)
    got_losses, got_weights = call_learner(_two_steps(learner), case)
    want_losses, want_weights = _two_steps(train_step)(*copy.deepcopy(problem))

    # the loss on the first batch after one step: what a step that measures too late returns
    model, loss_fn, optimizer, batches = copy.deepcopy(problem)
    train_step(model, loss_fn, optimizer, *batches[0])
    with torch.no_grad():
        loss_after_step = loss_fn(model(batches[0][0]), batches[0][1]).item()

    for step, returned in enumerate(got_losses, start=1):
        if returned is None:
            raise CheckFailed(f"step {step} returned None: did you forget to `return loss.item()`?")
        if isinstance(returned, torch.Tensor):
            raise CheckFailed(
                f"step {step} returned a tensor ({_describe_tensor(returned)}): return `loss.item()`, a plain number. "
                f"A loss tensor keeps its whole computation alive, and train() keeps every step's loss."
            )
    if same_values(got_losses[0], loss_after_step) is None and same_values(loss_after_step, want_losses[0]):
        raise CheckFailed(
            "step 1 returned the loss measured after the weights moved: return the loss computed before "
            "optimizer.step(), the one that backward() used."
        )
    if problem_1 := same_values(got_losses[0], want_losses[0]):
        raise CheckFailed(f"on step 1, {problem_1}.\nLook at: the loss is loss_fn(model(inputs), targets).")
    if _same_weights(got_weights[0], initial):
        raise CheckFailed(
            "the weights did not change in step 1: call loss.backward() to find the gradients, then "
            "optimizer.step() to move the weights (with optimizer.zero_grad() before backward, not between)."
        )
    if not _same_weights(got_weights[0], want_weights[0]):
        raise CheckFailed(
            "after step 1 the weights differ from one step of gradient descent: take exactly one "
            "optimizer.step() after one loss.backward()."
        )
    if not _same_weights(got_weights[1], want_weights[1]):
        raise CheckFailed(
            "step 1 was right but step 2 moved the weights differently from gradient descent: gradients add up "
            "in .grad from step to step. Call optimizer.zero_grad() at the start of each step."
        )
    if problem_2 := same_values(got_losses[1], want_losses[1]):
        raise CheckFailed(f"on step 2, {problem_2}.\nLook at: the loss is loss_fn(model(inputs), targets).")


def _describe_tensor(value: torch.Tensor) -> str:
    grad = ", with requires_grad=True" if value.requires_grad else ""
    return f"shape {tuple(value.shape)}{grad}"


register(
    Exercise(
        id="ch02.train_step",
        title="One training step in torch",
        difficulty=2,
        minutes=10,
        hint="Four calls, in this order: the optimizer clears the old gradients, `loss_fn` compares "
        "`model(inputs)` with `targets`, the loss finds its gradients, the optimizer moves the weights. "
        "`loss.item()` turns a one-number tensor into a Python float.",
        reference=train_step,
        custom=_check_train_step,
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.backprop


def _backprop_cases() -> list[Case]:
    rng = np.random.default_rng(27)

    def random_case(label: str, n_in: int, n_hidden: int, n_out: int, target: int) -> Case:
        shapes = [(n_in,), (n_hidden, n_in), (n_hidden,), (n_out, n_hidden), (n_out,)]
        return Case(label, (*(rng.normal(size=shape) for shape in shapes), target))

    # square matrices first, so that a transposed one runs and can be named (see _layer_cases); in the first
    # case hidden neuron 1 is off (its sum is negative) and the gradient reaching neuron 0 is negative, so that
    # a missing ReLU, and a ReLU applied to the gradient, each give their own wrong numbers
    return [
        Case(
            "3 inputs [1, -2, 0.5], 3 hidden neurons, 3 outputs, label 2",
            (
                np.array([1.0, -2.0, 0.5]),
                np.array([[0.5, -0.5, 1.0], [1.0, 0.5, -1.0], [-0.5, -1.0, 0.5]]),
                np.array([0.1, -0.2, 0.3]),
                np.array([[1.0, -0.5, 0.5], [-1.0, 1.0, 0.5], [0.5, 0.5, -1.0]]),
                np.array([0.2, -0.1, 0.0]),
                2,
            ),
        ),
        random_case("4 random inputs, 4 hidden neurons, 4 outputs, label 0", 4, 4, 4, 0),
        random_case("4 random inputs, 16 hidden neurons, 2 outputs (the chapter's network), label 1", 4, 16, 2, 1),
        random_case("5 random inputs, 3 hidden neurons, 2 outputs, label 0", 5, 3, 2, 0),
    ]


def _backward_pass(
    x: np.ndarray,
    w1: np.ndarray,
    b1: np.ndarray,
    w2: np.ndarray,
    b2: np.ndarray,
    label: int,
    *,
    error_sign: float = 1.0,
    subtract_label: bool = True,
    relu_mask: str = "sum",
    second_input: str = "hidden",
    transpose_w2_grad: bool = False,
    backward_through: str = "w2.T",
    transpose_w1_grad: bool = False,
    bias1_grad: str = "after mask",
    forward_relu: bool = True,
    hidden_path_subtracts_label: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The backward pass with one link of the chain changed: each keyword is one way to get a link wrong."""
    hidden_sum = w1 @ x + b1
    hidden = np.maximum(hidden_sum, 0) if forward_relu else hidden_sum
    scores = w2 @ hidden + b2
    probabilities = solutions.softmax(scores)
    d_scores = probabilities.copy()
    if subtract_label:
        d_scores[label] -= 1
    d_scores = error_sign * d_scores
    seen = hidden if second_input == "hidden" else hidden_sum
    d_w2 = np.outer(seen, d_scores) if transpose_w2_grad else np.outer(d_scores, seen)
    sent_back = d_scores if hidden_path_subtracts_label else error_sign * probabilities
    d_hidden = w2.T @ sent_back if backward_through == "w2.T" else w2 @ sent_back
    if relu_mask == "sum":
        d_hidden_sum = d_hidden * (hidden_sum > 0)
    elif relu_mask == "relu of gradient":
        d_hidden_sum = np.maximum(d_hidden, 0)
    else:
        d_hidden_sum = d_hidden
    d_w1 = np.outer(x, d_hidden_sum) if transpose_w1_grad else np.outer(d_hidden_sum, x)
    d_b1 = d_hidden_sum if bias1_grad == "after mask" else d_hidden
    return d_w1, d_b1, d_w2, d_scores


def _wrong_backward(**change: Any) -> Callable[..., tuple]:
    return lambda x, w1, b1, w2, b2, label: _backward_pass(x, w1, b1, w2, b2, label, **change)


_BACKPROP_MISTAKES = [
    Mistake(
        "the gradient of the loss with respect to the scores is softmax(scores) minus the one-hot label: "
        "subtract 1 at the label's position.",
        _wrong_backward(subtract_label=False),
    ),
    Mistake(
        "every gradient has the wrong sign: d_scores is the probabilities minus the one-hot label "
        "(too much probability on a wrong class gives a positive gradient), not the label minus the probabilities.",
        _wrong_backward(error_sign=-1.0),
    ),
    Mistake(
        "the backward pass skipped ReLU: a neuron whose sum was negative output 0 whatever its sum did, so no "
        "gradient passes through it. Multiply d_hidden by (hidden_sum > 0).",
        _wrong_backward(relu_mask="none"),
    ),
    Mistake(
        "ReLU's gradient depends on the neuron's sum in the forward pass, not on the sign of the gradient: "
        "multiply d_hidden by (hidden_sum > 0) instead of applying relu to d_hidden.",
        _wrong_backward(relu_mask="relu of gradient"),
    ),
    Mistake(
        "weights2 multiplies `hidden`, the hidden layer after ReLU, so d_weights2 = outer(d_scores, hidden); "
        "you used the sums before ReLU.",
        _wrong_backward(second_input="hidden_sum"),
    ),
    Mistake(
        "d_weights2 is transposed: it has the shape of weights2, one row per output, "
        "d_weights2[i, j] = d_scores[i] * hidden[j] (np.outer(d_scores, hidden)).",
        _wrong_backward(transpose_w2_grad=True),
    ),
    Mistake(
        "the gradient reaches hidden neuron j through column j of weights2 (it fed every score): "
        "d_hidden = weights2.T @ d_scores, not weights2 @ d_scores.",
        _wrong_backward(backward_through="w2"),
    ),
    Mistake(
        "d_weights1 is transposed: it has the shape of weights1, one row per hidden neuron, "
        "d_weights1[j, k] = d_hidden_sum[j] * inputs[k] (np.outer(d_hidden_sum, inputs)).",
        _wrong_backward(transpose_w1_grad=True),
    ),
    Mistake(
        "bias1 is added before ReLU, so its gradient is d_hidden_sum, after the ReLU mask, not d_hidden.",
        _wrong_backward(bias1_grad="before mask"),
    ),
    Mistake(
        "the forward pass left ReLU out: hidden = relu(hidden_sum), and d_weights2 multiplies that `hidden`, "
        "zeros where the sum was negative.",
        _wrong_backward(forward_relu=False),
    ),
    Mistake(
        "the first layer's gradients went back from softmax(scores) without the 1 subtracted at the label: "
        "d_hidden = weights2.T @ d_scores, the same d_scores (probabilities minus one-hot) as the output layer's.",
        _wrong_backward(hidden_path_subtracts_label=False),
    ),
]
_BACKPROP_HINT = (
    "Walk back one link at a time: d_scores = softmax(scores) with 1 subtracted at the label; "
    "d_weights2 = np.outer(d_scores, hidden) and d_bias2 = d_scores; d_hidden = weights2.T @ d_scores; "
    "d_hidden_sum = d_hidden * (hidden_sum > 0); then the same two lines for the first layer with `inputs`."
)

register(
    Exercise(
        id="ch02.backprop",
        title="Backpropagation by hand, for one example",
        difficulty=3,
        minutes=25,
        hint=_BACKPROP_HINT,
        reference=solutions.backprop,
        cases=_backprop_cases,
        mistakes=_BACKPROP_MISTAKES,
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch02.training_loop


def _loop_problem(n_examples: int, epochs: int, batch_size: int, seed: int) -> tuple:
    """A small seeded network, its loss and optimizer, examples, and a generator: training_loop's arguments."""
    generator = torch.Generator().manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs = torch.randn(n_examples, 3, generator=generator)
    targets = torch.randint(0, 2, (n_examples,), generator=generator)
    shuffle_generator = torch.Generator().manual_seed(seed + 1)
    return model, torch.nn.functional.cross_entropy, optimizer, inputs, targets, epochs, batch_size, shuffle_generator


def _loop_cases() -> list[Case]:
    return [
        Case(
            "3 epochs of 10 examples in batches of 4 (the last batch of each epoch holds 2)",
            _loop_problem(10, 3, 4, 28),
        ),
        Case("2 epochs of 12 examples in batches of 4", _loop_problem(12, 2, 4, 29)),
        Case("4 epochs of 7 examples in batches of 3", _loop_problem(7, 4, 3, 30)),
    ]


def _wrong_loop(
    *,
    shuffle: str = "every epoch",
    drop_last: bool = False,
    separate_orders: bool = False,
    targets_unshuffled: bool = False,
    epoch_loss: str = "mean",
    per_step: bool = False,
    epoch_offset: int = 0,
) -> Callable[..., list[float]]:
    """``training_loop`` with one thing done wrong: each keyword is one plausible mistake."""

    def loop(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator):
        count = len(inputs)
        order = torch.randperm(count, generator=generator) if shuffle == "once" else None
        losses: list[float] = []
        for _ in range(epochs + epoch_offset):
            if shuffle == "every epoch":
                order = torch.randperm(count, generator=generator)
            elif shuffle == "never":
                order = torch.arange(count)
            target_order = torch.randperm(count, generator=generator) if separate_orders else order
            if targets_unshuffled:
                target_order = torch.arange(count)
            last_start = count - batch_size + 1 if drop_last else count
            step_losses, sizes = [], []
            for start in range(0, last_start, batch_size):
                chosen, chosen_targets = order[start : start + batch_size], target_order[start : start + batch_size]
                step_losses.append(train_step(model, loss_fn, optimizer, inputs[chosen], targets[chosen_targets]))
                sizes.append(len(chosen))
            if per_step:
                losses.extend(step_losses)
            elif epoch_loss == "sum":
                losses.append(sum(step_losses))
            elif epoch_loss == "last":
                losses.append(step_losses[-1])
            elif epoch_loss == "after the epoch":
                with torch.no_grad():
                    losses.append(float(loss_fn(model(inputs), targets)))
            elif epoch_loss == "weighted":
                losses.append(sum(loss * size for loss, size in zip(step_losses, sizes, strict=True)) / count)
            else:
                losses.append(sum(step_losses) / len(step_losses))
        return losses

    return loop


_LOOP_MISTAKES = [
    Mistake(
        "the examples were not shuffled: start every epoch with `order = torch.randperm(len(inputs), "
        "generator=generator)` and take the batches in that order.",
        _wrong_loop(shuffle="never"),
    ),
    Mistake(
        "you shuffled once, before the first epoch: each epoch needs a fresh order, so call torch.randperm at "
        "the start of every epoch.",
        _wrong_loop(shuffle="once"),
    ),
    Mistake(
        "inputs and targets must be shuffled by the same order, or each input gets another example's target: "
        "index both with the same `chosen` positions.",
        _wrong_loop(separate_orders=True),
    ),
    Mistake(
        "the inputs were shuffled but the targets were taken in their original order, so each input gets "
        "another example's target: index both with the same `chosen` positions.",
        _wrong_loop(targets_unshuffled=True),
    ),
    Mistake(
        "an epoch's loss is the mean of the losses its train_step calls returned, not the loss of the whole "
        "training set measured after the epoch.",
        _wrong_loop(epoch_loss="after the epoch"),
    ),
    Mistake(
        "the last batch of an epoch may be smaller than batch_size: take it too, so that every example is seen "
        "once per epoch (`range(0, len(inputs), batch_size)`).",
        _wrong_loop(drop_last=True),
    ),
    Mistake(
        "return one number per epoch, the mean of its steps' losses; you returned every step's loss.",
        _wrong_loop(per_step=True),
    ),
    Mistake("an epoch's loss is the mean of its steps' losses, not their sum.", _wrong_loop(epoch_loss="sum")),
    Mistake(
        "an epoch's loss is the mean over all its steps, not the loss of its last step.",
        _wrong_loop(epoch_loss="last"),
    ),
    Mistake(
        "take the plain mean of the losses train_step returned (each step counts once, as in the chapter's "
        "figures); you weighted each step by its batch size.",
        _wrong_loop(epoch_loss="weighted"),
    ),
    Mistake(
        "train for exactly `epochs` epochs, one loss each: `for epoch in range(epochs)`.",
        _wrong_loop(epoch_offset=1),
    ),
    Mistake(
        "train for exactly `epochs` epochs, one loss each: `for epoch in range(epochs)`.",
        _wrong_loop(epoch_offset=-1),
    ),
]
_LOOP_HINT = (
    "Two loops: for each epoch, `order = torch.randperm(len(inputs), generator=generator)`; then for each start "
    "in `range(0, len(inputs), batch_size)`, `chosen = order[start : start + batch_size]` and one "
    "`train_step(model, loss_fn, optimizer, inputs[chosen], targets[chosen])`. Keep the steps' losses and append "
    "their mean after each epoch."
)

register(
    Exercise(
        id="ch02.training_loop",
        title="The training loop: epochs of shuffled mini-batches",
        difficulty=2,
        minutes=15,
        hint=_LOOP_HINT,
        reference=solutions.training_loop,
        cases=_loop_cases,
        mistakes=_LOOP_MISTAKES,
    )
)
