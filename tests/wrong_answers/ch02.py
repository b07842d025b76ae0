"""Plausible wrong answers to chapter 02's exercises, and what the check's message must point at."""

import numpy as np
import torch


def _relu(x):
    return np.maximum(x, 0)


def _relu_in_place(x):
    x[x < 0] = 0  # works on an array, but a single number has no items to assign
    return x


def _step_without_zero_grad(model, loss_fn, optimizer, inputs, targets):
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def _step_without_step(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    return loss.item()


def _step_zeroing_between_backward_and_step(model, loss_fn, optimizer, inputs, targets):
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def _step_returning_the_tensor(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss


def _step_returning_the_loss_after_the_step(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss_fn(model(inputs), targets).backward()
    optimizer.step()
    with torch.no_grad():
        return loss_fn(model(inputs), targets).item()


def _step_with_swapped_loss_arguments(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = loss_fn(targets, model(inputs))  # cross_entropy(labels, scores): torch's NotImplementedError
    loss.backward()
    optimizer.step()
    return loss.item()


def _step_twice(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    optimizer.step()
    return loss.item()


def _relu_with_pythons_max(x):
    return max(x, 0)  # Python's max compares one number: an array is ambiguous


def _accuracy_of_booleans(scores, labels):
    return (scores.argmax(dim=1) == labels).mean().item()  # .mean() of a bool tensor


def _step_under_no_grad(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    with torch.no_grad():
        loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def _step_by_hand_in_place(model, loss_fn, optimizer, inputs, targets):
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    for parameter in model.parameters():
        parameter -= 0.1 * parameter.grad  # an in-place change of a leaf that requires grad, outside no_grad
    return loss.item()


WRONG_ANSWERS = {
    "ch02.relu": [
        (_relu_with_pythons_max, "np.maximum(x, 0)"),
        (lambda x: np.maximum(x, 1), "max(x, 0), not max(x, 1)"),
        (lambda x: np.clip(x, 0, 1), "cap them at 1"),
        (lambda x: (x > 0).astype(float), "whether each number is positive"),
        (np.abs, "absolute value"),
        (lambda x: np.minimum(x, 0), "max, not min"),
        (_relu_in_place, "changed its input `x` in place"),
    ],
    "ch02.neuron": [
        (lambda x, w, b: float(_relu(np.dot(x, w))), "forget to add the bias"),
        (lambda x, w, b: float(np.dot(x, w) + b), "activation is missing"),
        (lambda x, w, b: float(_relu(np.dot(x, w)) + b), "before ReLU"),
        (lambda x, w, b: float(_relu(np.mean(x * w) + b)), "mean"),
        (lambda x, w, b: _relu(x * w + b), "shape"),
        (lambda x, w, b: float(_relu(np.sum(x * w + b))), "added once"),
        (lambda x, w, b: float(_relu(np.dot(x, w) * b)), "not multiplied"),
    ],
    "ch02.layer_forward": [
        (lambda x, w, b: float(np.sum(w @ x + b)), "do not add the neurons' outputs up"),
        (lambda x, w, b: (w @ x) * b, "not multiplied"),
        (lambda x, w, b: x @ w + b, "transposed"),
        (lambda x, w, b: w @ x, "forget to add the bias"),
        (lambda x, w, b: _relu(w @ x + b), "leave ReLU out"),
        (lambda x, w, b: w * x + b, "element by element"),
    ],
    "ch02.mlp_forward": [
        (lambda x, w1, b1, w2, b2: (x @ w1.T + b1) @ w2.T + b2, "needs its ReLU"),
        (lambda x, w1, b1, w2, b2: _relu(_relu(x @ w1.T + b1) @ w2.T + b2), "output layer has no ReLU"),
        (lambda x, w1, b1, w2, b2: _relu(x @ w1 + b1) @ w2 + b2, "transposed"),
        (lambda x, w1, b1, w2, b2: _relu(x @ w1.T + b1) @ w2 + b2, "transposed"),
        (lambda x, w1, b1, w2, b2: (_relu(x @ w1.T) + b1) @ w2.T + b2, "before ReLU"),
        (lambda x, w1, b1, w2, b2: _relu(x @ w1.T) @ w2.T + b2, "forget a bias"),
    ],
    "ch02.accuracy": [
        (_accuracy_of_booleans, ".float().mean()"),
        (lambda s, y: (s.argmax(dim=1) == y).sum().item(), "fraction right"),
        (lambda s, y: (s.argmin(dim=1) == y).float().mean().item(), "argmax, not argmin"),
        (lambda s, y: 100 * (s.argmax(dim=1) == y).float().mean().item(), "percentage"),
        (lambda s, y: (s.argmax(dim=0) == y).float().mean().item(), "dim=1"),
        (lambda s, y: (s.argmax(dim=1) != y).float().mean().item(), "error rate"),
        (lambda s, y: (s.max(dim=1).values == y).float().mean().item(), "not the score itself"),
    ],
    "ch02.train_step": [
        (_step_under_no_grad, "torch.no_grad()"),
        (_step_by_hand_in_place, "an in-place change"),
        (_step_without_zero_grad, "optimizer.zero_grad() at the start"),
        (_step_without_step, "weights did not change"),
        (_step_zeroing_between_backward_and_step, "weights did not change"),
        (_step_returning_the_tensor, "loss.item()"),
        (_step_returning_the_loss_after_the_step, "after the weights moved"),
        (_step_twice, "exactly one"),
        (_step_with_swapped_loss_arguments, "scores first and labels second"),
    ],
}
