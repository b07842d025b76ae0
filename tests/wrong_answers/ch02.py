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


def _softmax(scores):
    return np.exp(scores) / np.exp(scores).sum()


def _backprop(x, w1, b1, w2, b2, label, change=""):
    """A learner's backward pass with one link of the chain changed, as ``change`` names it."""
    hidden_sum = w1 @ x + b1
    hidden = hidden_sum if change == "no relu forward" else np.maximum(hidden_sum, 0)
    probabilities = _softmax(w2 @ hidden + b2)
    d_scores = probabilities.copy()
    if change != "no one-hot":
        d_scores[label] -= 1
    if change == "label minus probabilities":
        d_scores = -d_scores
    d_w2 = np.outer(d_scores, hidden_sum if change == "pre-relu hidden" else hidden)
    if change == "transposed d_w2":
        d_w2 = np.outer(hidden, d_scores)
    sent_back = probabilities if change == "hidden path without one-hot" else d_scores
    d_hidden = (w2 @ sent_back) if change == "w2 not transposed" else (w2.T @ sent_back)
    if change == "no relu mask":
        d_hidden_sum = d_hidden
    elif change == "relu of gradient":
        d_hidden_sum = np.maximum(d_hidden, 0)
    else:
        d_hidden_sum = d_hidden * (hidden_sum > 0)
    d_w1 = np.outer(x, d_hidden_sum) if change == "transposed d_w1" else np.outer(d_hidden_sum, x)
    d_b1 = d_hidden if change == "bias1 before mask" else d_hidden_sum
    return d_w1, d_b1, d_w2, d_scores


def _loop(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator, change=""):
    """A learner's training loop with one mistake, as ``change`` names it."""
    from course_utils.training import train_step

    result = []
    order = torch.randperm(len(inputs), generator=generator)
    for epoch in range(epochs + (1 if change == "one epoch too many" else 0)):
        if change == "no shuffle":
            order = torch.arange(len(inputs))
        elif change != "shuffle once" and (epoch > 0 or change == "reshuffle"):
            order = torch.randperm(len(inputs), generator=generator)
        target_order = torch.randperm(len(inputs), generator=generator) if change == "two orders" else order
        stop = len(inputs) - batch_size + 1 if change == "drop last" else len(inputs)
        losses = []
        for start in range(0, stop, batch_size):
            batch_inputs = inputs[order[start : start + batch_size]]
            batch_targets = targets[target_order[start : start + batch_size]]
            if change == "targets unshuffled":
                batch_targets = targets[start : start + len(batch_inputs)]
            losses.append(train_step(model, loss_fn, optimizer, batch_inputs, batch_targets))
        if change == "every step":
            result += losses
        elif change == "sum":
            result.append(sum(losses))
        elif change == "last step":
            result.append(losses[-1])
        elif change == "loss after the epoch":
            with torch.no_grad():
                result.append(float(loss_fn(model(inputs), targets)))
        else:
            result.append(float(np.mean(losses)))
    return result


def _loop_weighted_by_batch_size(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator):
    from course_utils.training import train_step

    result = []
    for _ in range(epochs):
        order = torch.randperm(len(inputs), generator=generator)
        total = 0.0
        for start in range(0, len(inputs), batch_size):
            chosen = order[start : start + batch_size]
            total += train_step(model, loss_fn, optimizer, inputs[chosen], targets[chosen]) * len(chosen)
        result.append(total / len(inputs))
    return result


def _backprop_change(change):
    return lambda x, w1, b1, w2, b2, label: _backprop(x, w1, b1, w2, b2, label, change)


def _loop_change(change):
    return lambda *args: _loop(*args, change=change)


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
    "ch02.backprop": [
        (_backprop_change("no one-hot"), "subtract 1 at the label"),
        (_backprop_change("label minus probabilities"), "wrong sign"),
        (_backprop_change("no relu mask"), "skipped ReLU"),
        (_backprop_change("relu of gradient"), "instead of applying relu to d_hidden"),
        (_backprop_change("pre-relu hidden"), "the sums before ReLU"),
        (_backprop_change("transposed d_w2"), "d_weights2 is transposed"),
        (_backprop_change("w2 not transposed"), "weights2.T @ d_scores"),
        (_backprop_change("transposed d_w1"), "d_weights1 is transposed"),
        (_backprop_change("bias1 before mask"), "its gradient is d_hidden_sum"),
        (_backprop_change("no relu forward"), "forward pass left ReLU out"),
        (_backprop_change("hidden path without one-hot"), "without the 1 subtracted"),
    ],
    "ch02.training_loop": [
        (_loop_change("no shuffle"), "not shuffled"),
        (_loop_change("shuffle once"), "shuffled once"),
        (_loop_change("two orders"), "same order"),
        (_loop_change("drop last"), "may be smaller"),
        (_loop_change("every step"), "every step's loss"),
        (_loop_change("sum"), "not their sum"),
        (_loop_change("last step"), "not the loss of its last step"),
        (_loop_weighted_by_batch_size, "weighted each step by its batch size"),
        (_loop_change("one epoch too many"), "exactly `epochs` epochs"),
        (_loop_change("targets unshuffled"), "targets were taken in their original order"),
        (_loop_change("loss after the epoch"), "measured after the epoch"),
    ],
}
