"""Reference solutions for chapter 02, neural networks.

The exercise ``ch02.train_step`` is checked against :func:`course_utils.training.train_step`, which later
chapters train with.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from course_utils.training import train_step


def relu(x: np.ndarray | float) -> np.ndarray | float:
    """ReLU, the activation: every number below zero becomes zero, every other number stays as it is.

    Works element by element on a number or an array of any shape, and returns the same shape.
    """
    return np.maximum(x, 0)


def neuron(inputs: np.ndarray, weights: np.ndarray, bias: float) -> float:
    """One neuron's output: multiply each input by its weight, add the products up, add the bias, apply ReLU.

    ``inputs`` and ``weights`` have the same shape ``(n_inputs,)``; ``bias`` is one number. Returns one number.
    """
    weighted_sum = np.sum(inputs * weights) + bias
    return float(relu(weighted_sum))


def layer_forward(inputs: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A layer of neurons, without activation: every neuron's weighted sum plus its bias, in one product.

    ``inputs`` has shape ``(n_inputs,)``. ``weights`` has shape ``(n_neurons, n_inputs)``: row ``i`` holds
    the weights of neuron ``i``, as in ``torch.nn.Linear``. ``bias`` has shape ``(n_neurons,)``.
    Returns shape ``(n_neurons,)``: ``weights @ inputs + bias``.
    """
    return weights @ inputs + bias


def mlp_forward(
    inputs: np.ndarray, weights1: np.ndarray, bias1: np.ndarray, weights2: np.ndarray, bias2: np.ndarray
) -> np.ndarray:
    """A two-layer network on a batch: a hidden layer with ReLU, then an output layer without.

    ``inputs`` has shape ``(batch, n_inputs)``, one example per row. ``weights1`` has shape
    ``(n_hidden, n_inputs)`` and ``bias1`` ``(n_hidden,)``; ``weights2`` has shape ``(n_outputs, n_hidden)``
    and ``bias2`` ``(n_outputs,)``. Returns shape ``(batch, n_outputs)``: the output numbers of each example.
    """
    hidden = relu(inputs @ weights1.T + bias1)  # (batch, n_inputs) @ (n_inputs, n_hidden)
    return hidden @ weights2.T + bias2  # (batch, n_hidden) @ (n_hidden, n_outputs)


def accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """The fraction of examples whose largest score belongs to their label (0.0 to 1.0).

    ``scores`` has shape ``(n_examples, n_classes)``: one number per class, the largest is the network's
    answer. ``labels`` has shape ``(n_examples,)`` and holds the right class of each example.
    """
    predictions = scores.argmax(dim=1)
    return (predictions == labels).float().mean().item()


def softmax(scores: np.ndarray) -> np.ndarray:
    """Scores become probabilities: exponentiate every score, then divide by the sum of the exponentials."""
    return np.exp(scores) / np.exp(scores).sum()


def backprop(
    inputs: np.ndarray,
    weights1: np.ndarray,
    bias1: np.ndarray,
    weights2: np.ndarray,
    bias2: np.ndarray,
    label: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The gradients of the cross-entropy loss of a two-layer network on one example, by the chain rule.

    The network is ``mlp_forward``'s, on one example: ``hidden_sum = weights1 @ inputs + bias1``,
    ``hidden = relu(hidden_sum)``, ``scores = weights2 @ hidden + bias2``, and the loss is
    ``-ln(softmax(scores)[label])``. ``inputs`` has shape ``(n_inputs,)``, ``weights1`` ``(n_hidden, n_inputs)``,
    ``bias1`` ``(n_hidden,)``, ``weights2`` ``(n_outputs, n_hidden)``, ``bias2`` ``(n_outputs,)``; ``label`` is
    the right class, a whole number from 0 to ``n_outputs - 1``.
    Returns ``(d_weights1, d_bias1, d_weights2, d_bias2)``: how fast the loss grows per unit of each weight and
    bias, each array of the same shape as the weights it belongs to.
    """
    # forward, keeping the numbers the backward pass needs
    hidden_sum = weights1 @ inputs + bias1
    hidden = relu(hidden_sum)
    scores = weights2 @ hidden + bias2
    # backward, one link of the chain at a time, from the loss to the first layer
    d_scores = softmax(scores)
    d_scores[label] -= 1  # softmax minus the one-hot label
    d_weights2 = np.outer(d_scores, hidden)  # d_weights2[i, j] = d_scores[i] * hidden[j]
    d_bias2 = d_scores
    d_hidden = weights2.T @ d_scores  # hidden[j] feeds every score i through weights2[i, j]
    d_hidden_sum = d_hidden * (hidden_sum > 0)  # ReLU passes the gradient only where the neuron was on
    d_weights1 = np.outer(d_hidden_sum, inputs)
    d_bias1 = d_hidden_sum
    return d_weights1, d_bias1, d_weights2, d_bias2


def training_loop(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    epochs: int,
    batch_size: int,
    generator: torch.Generator,
) -> list[float]:
    """Train ``model`` for ``epochs`` epochs of shuffled mini-batches with ``train_step``; the loss of each epoch.

    Every epoch starts with a fresh order of the examples, ``torch.randperm(len(inputs), generator=generator)``,
    and walks through it ``batch_size`` examples at a time (the last batch may be smaller), taking one
    ``train_step`` on each batch. ``inputs`` and ``targets`` have one row per example. Returns a list of
    ``epochs`` numbers: for each epoch, the mean of the losses its steps returned.
    """
    epoch_losses = []
    for _ in range(epochs):
        order = torch.randperm(len(inputs), generator=generator)  # a fresh shuffle every epoch
        step_losses = []
        for start in range(0, len(inputs), batch_size):
            chosen = order[start : start + batch_size]
            step_losses.append(train_step(model, loss_fn, optimizer, inputs[chosen], targets[chosen]))
        epoch_losses.append(sum(step_losses) / len(step_losses))
    return epoch_losses
