"""Reference solutions for chapter 02, neural networks.

The exercise ``ch02.train_step`` is checked against :func:`course_utils.training.train_step`, which later
chapters train with.
"""

from __future__ import annotations

import numpy as np
import torch


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
