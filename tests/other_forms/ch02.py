"""Right answers to chapter 02's exercises in other forms: loops, lists, tensors for arrays, 0-d arrays."""

import numpy as np
import torch


def relu(x):
    return np.where(np.asarray(x) > 0, x, 0.0)  # a 0-d array for a single number


def neuron(inputs, weights, bias):
    total = bias
    for value, weight in zip(inputs, weights, strict=True):
        total += value * weight
    return max(total, 0.0)


def layer_forward(inputs, weights, bias):
    return [sum(w * x for w, x in zip(row, inputs, strict=True)) + b for row, b in zip(weights, bias, strict=True)]


def mlp_forward(inputs, weights1, bias1, weights2, bias2):
    x, w1, b1, w2, b2 = (torch.as_tensor(a) for a in (inputs, weights1, bias1, weights2, bias2))
    return torch.relu(x @ w1.T + b1) @ w2.T + b2  # a tensor, not an array


def accuracy(scores, labels):
    return (scores.argmax(dim=1) == labels).float().mean()  # a one-number tensor, not a float


def train_step(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad(set_to_none=False)
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def backprop(inputs, weights1, bias1, weights2, bias2, label):
    hidden_sum = weights1 @ inputs + bias1
    hidden = np.where(hidden_sum > 0, hidden_sum, 0.0)
    scores = weights2 @ hidden + bias2
    exponentials = np.exp(scores - scores.max())  # the overflow-safe softmax
    d_scores = exponentials / exponentials.sum() - np.eye(len(scores))[label]
    d_hidden_sum = (d_scores @ weights2) * (hidden > 0)
    d_weights1 = [[d * x for x in inputs] for d in d_hidden_sum]  # nested lists, not arrays
    d_weights2 = [[d * h for h in hidden] for d in d_scores]
    return d_weights1, list(d_hidden_sum), d_weights2, list(d_scores)


def training_loop(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator):
    epoch_losses = []
    for _ in range(epochs):
        step_losses = []
        for chosen in torch.split(torch.randperm(len(inputs), generator=generator), batch_size):
            optimizer.zero_grad()  # the step written out, not a call of train_step
            loss = loss_fn(model(inputs[chosen]), targets[chosen])
            loss.backward()
            optimizer.step()
            step_losses.append(loss.detach())
        epoch_losses.append(torch.stack(step_losses).mean())
    return torch.stack(epoch_losses)  # a tensor, not a list of floats


OTHER_FORMS = {
    "ch02.relu": relu,
    "ch02.neuron": neuron,
    "ch02.layer_forward": layer_forward,
    "ch02.mlp_forward": mlp_forward,
    "ch02.accuracy": accuracy,
    "ch02.train_step": train_step,
    "ch02.backprop": backprop,
    "ch02.training_loop": training_loop,
}
