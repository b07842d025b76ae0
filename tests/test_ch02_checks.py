"""Chapter 02's new checks accept other right ways to write backprop and the training loop.

tests/test_checks.py runs each check on the reference and on the wrong answers of tests/wrong_answers/ch02.py;
here other correct forms must pass too, since a check that only accepts the reference's way teaches the wrong lesson.
"""

from __future__ import annotations

import numpy as np
import torch

from course_utils.checks import get
from course_utils.training import batches_per_epoch, epoch_batches, train, train_step


def _passes(exercise_id: str, learner_fn) -> bool:
    use = get(exercise_id).check(learner_fn)  # another form comes back wrapped, converted to the reference's
    return use is learner_fn or getattr(use, "__wrapped__", None) is learner_fn


def test_backprop_accepts_a_stable_softmax_and_other_ways_to_write_the_chain_rule():
    def backprop_other_way(inputs, weights1, bias1, weights2, bias2, label):
        hidden_sum = weights1 @ inputs + bias1
        hidden = np.where(hidden_sum > 0, hidden_sum, 0.0)
        scores = weights2 @ hidden + bias2
        exponentials = np.exp(scores - scores.max())  # the overflow-safe softmax
        d_scores = exponentials / exponentials.sum() - np.eye(len(scores))[label]
        d_hidden_sum = (d_scores @ weights2) * (hidden > 0)
        return (
            d_hidden_sum[:, None] * inputs[None, :],
            d_hidden_sum,
            d_scores[:, None] * hidden[None, :],
            d_scores,
        )

    assert _passes("ch02.backprop", backprop_other_way)


def test_backprop_accepts_autograd_itself():
    def backprop_by_autograd(inputs, weights1, bias1, weights2, bias2, label):
        weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in (weights1, bias1, weights2, bias2)]
        w1, b1, w2, b2 = weights
        scores = w2 @ torch.relu(w1 @ torch.tensor(inputs) + b1) + b2
        torch.nn.functional.cross_entropy(scores[None], torch.tensor([label])).backward()
        return tuple(w.grad.numpy() for w in weights)

    assert _passes("ch02.backprop", backprop_by_autograd)


def test_training_loop_accepts_course_utils_train_with_epoch_batches():
    def loop_with_train(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator):
        steps = batches_per_epoch(len(inputs), batch_size)
        history = train(
            model,
            epoch_batches(inputs, targets, batch_size, generator),
            loss_fn,
            optimizer,
            epochs * steps,
            progress=False,
        )
        return [float(np.mean(history.losses[epoch * steps : (epoch + 1) * steps])) for epoch in range(epochs)]

    assert _passes("ch02.training_loop", loop_with_train)


def test_training_loop_accepts_a_tensor_of_losses_and_split_batches():
    def loop_with_split(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator):
        result = []
        for _ in range(epochs):
            order = torch.randperm(len(inputs), generator=generator)
            losses = [
                train_step(model, loss_fn, optimizer, inputs[chosen], targets[chosen])
                for chosen in torch.split(order, batch_size)
            ]
            result.append(torch.tensor(losses).mean())
        return torch.stack(result)

    assert _passes("ch02.training_loop", loop_with_split)
