# %% [markdown]
# # 02 Neural networks
#
# A neural network takes some numbers in and gives some numbers out. In this chapter you build one that
# looks at a plant part (its colour and its size) and says whether it is a **leaf** or a **flower**. You
# start with a single neuron computed by hand, grow it into a layer and then a small network, write its
# forward pass in numpy, rebuild it with `torch.nn`, and train it. At the end you watch the network's
# decision boundary bend into shape as it learns.
#
# **You need** chapter 01: a model is a function with weights, a loss says how wrong it is, and gradient
# descent (with `loss.backward()` from torch's autograd) lowers the loss.
#
# **Time:** about 75 minutes, with six exercises.
#
# | section | idea |
# |---|---|
# | 2.1 | numbers in, numbers out: the leaf-or-flower data |
# | 2.2 | a neuron: weights and a bias |
# | 2.3 | the activation: ReLU |
# | 2.4 | a layer is a matrix-vector product |
# | 2.5 | why the activation matters: linear layers collapse into one |
# | 2.6 | a batch is a matrix-matrix product |
# | 2.7 | standardising the inputs: mean and standard deviation |
# | 2.8 | a small network, by hand and with `torch.nn` |
# | 2.9 | training: batches, epochs, a loss curve, held-out accuracy |
# | 2.10 | the decision boundary as training goes |

# %%
import copy
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils import scaled, seed_everything
from course_utils import validate  # noqa: F401 - the reference solutions check their input with it
from course_utils.flowers import (
    CLASS_NAMES,
    FEATURE_NAMES,
    make_flowers,
    plot_decision_boundary,
    plot_flowers,
    train_heldout_split,
)
from course_utils.plotting import draw_network, new_axes, plot_losses, plot_matrices, use_course_style
from course_utils.training import batches_per_epoch, epoch_batches, train

generator = seed_everything(0)
# The networks of this chapter are tiny, so they run on the CPU, where one thread runs them fastest:
# several threads would spend more time waiting for each other than computing.
torch.set_num_threads(1)
use_course_style()

# %% [markdown]
# ## 2.1 Numbers in, numbers out
#
# A neural network only ever sees numbers. It takes a fixed count of numbers in and gives a fixed count
# of numbers out; what those numbers *mean* is our choice, made before any training.
#
# Our task: given a plant part, say whether it is a leaf or a flower. We describe each one with four
# numbers: the **red, green and blue** of its main colour (each from 0 to 255, as a screen mixes colours)
# and its **volume** in millilitres. The network gives back two numbers, a score for "leaf" and a score
# for "flower", and we read its answer as the class with the larger score.
#
# The course makes its own data set, so that you can see exactly how it was made: `make_flowers` draws
# examples by a seeded random process written out in `course_utils/flowers.py`. Leaves come in a few
# greens and are larger; flowers come in red, yellow, purple, pink, white and now and then green, and
# are smaller. The two groups overlap a little (a green flower, a large flower), so no classifier can
# be right about every example.

# %%
example_count = 2000
features, labels = make_flowers(example_count, seed=0)

print(f"features: shape {features.shape}, labels: shape {labels.shape}")
print("first five examples:")
print(f"{'red':>6} {'green':>6} {'blue':>6} {'volume':>7}   label")
for row, label in zip(features[:5], labels[:5], strict=True):
    print(f"{row[0]:6.0f} {row[1]:6.0f} {row[2]:6.0f} {row[3]:7.1f}   {label} ({CLASS_NAMES[label]})")
print(f"flowers: {labels.mean():.0%} of the examples")

# %% [markdown]
# Here they are, each point painted in its own colour. On the left, red against green: leaves (circles)
# gather where green is high and red is low, and flowers (stars) spread over every colour. On the right,
# green against volume: leaves are larger, but the groups overlap.

# %%
figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
plot_flowers(features, labels, x=0, y=1, axes=left)
plot_flowers(features, labels, x=1, y=3, axes=right)
left.set(title="Colour: red and green", xlabel=FEATURE_NAMES[0], ylabel=FEATURE_NAMES[1])
right.set(title="Green and volume", xlabel=FEATURE_NAMES[1], ylabel=FEATURE_NAMES[3])
plt.show()

# %% [markdown]
# One more decision before any model: we put a fifth of the examples aside as **held-out** data. The
# network never trains on them; we only use them to measure. A network that does well on the examples it
# trained on but badly on held-out ones has memorised rather than learned, and the held-out score is the
# honest one.

# %%
train_features, train_labels, heldout_features, heldout_labels = train_heldout_split(
    features, labels, heldout_fraction=0.2, seed=0
)
print(f"{len(train_features)} training examples, {len(heldout_features)} held-out examples")
assert len(train_features) + len(heldout_features) == example_count
assert len(heldout_features) == round(0.2 * example_count)

# %% [markdown]
# ## 2.2 A neuron: weights and a bias
#
# A **neuron** holds one number per input, its **weights**, and one more number, its **bias**. It
# multiplies each input by its weight, adds the products up and adds the bias. Here is one leaf, and a
# neuron with four made-up weights:

# %%
leaf = np.array([32.0, 107.0, 56.0, 11.2])  # red, green, blue, volume in ml
weights = np.array([0.10, -0.29, -0.07, 0.46])
bias = 0.25

products = leaf * weights  # one product per input
for name, value, weight, product in zip(FEATURE_NAMES, leaf, weights, products, strict=True):
    print(f"{name:>12}: {value:6.1f} x {weight:5.2f} = {product:7.2f}")
weighted_sum = products.sum() + bias
print(f"sum of the products + bias {bias} = {weighted_sum:.3f}")
assert np.isclose(weighted_sum, 32 * 0.10 + 107 * -0.29 + 56 * -0.07 + 11.2 * 0.46 + 0.25)

# %% [markdown]
# In a picture, the inputs are circles on the left and each line carries a weight (blue for positive, red
# for negative, thicker for larger). The number in the neuron is what it computed.

# %%
draw_network(
    [4, 1],
    weights=[weights[None, :]],  # a weight matrix with one row: a layer of one neuron
    node_labels=[[f"{value:g}" for value in leaf], [f"{weighted_sum:.1f}"]],
    layer_names=["inputs", "neuron"],
    title="One neuron: inputs times weights, plus the bias",
)
plt.show()

# %% [markdown]
# The weights decide what the neuron responds to. These ones punish green (-0.29) and reward volume
# (+0.46), so this neuron gives large numbers for big, non-green things. The network learns its weights;
# the numbers above are made up to show the arithmetic.
#
# ## 2.3 The activation: ReLU
#
# A weighted sum is a straight-line function of its inputs (chapter 01's `weight * size + bias` with more
# inputs). To let a network bend its answers, each neuron passes its sum through an **activation**
# function. The most common one is **ReLU** (rectified linear unit): a negative number becomes zero, and
# any other number stays as it is.

# %%
axes = new_axes("ReLU: negative numbers become zero", "x", "relu(x)", figsize=(5, 3.5))
x_values = np.linspace(-3, 3, 121)
axes.plot(x_values, np.maximum(x_values, 0), linewidth=2.5)
axes.axhline(0, color="grey", linewidth=0.8)
axes.axvline(0, color="grey", linewidth=0.8)
plt.show()

# %% [exercise ch02.relu]
# Write `relu(x)`: for every number in `x` (a number or an array of any shape), zero if it is below zero,
# else the number itself. Use numpy rather than a Python loop: it should work on a whole array at once.

# %% [exercise ch02.neuron]
# Write `neuron(inputs, weights, bias)`: the weighted sum of the inputs plus the bias, passed through your
# `relu`. It returns one number (a Python `float`).

# %% [markdown]
# Our leaf's weighted sum was negative, so the neuron's output is zero: ReLU silences it. A neuron with
# the opposite weights (rewarding green) responds to the same leaf.

# %%
print(f"neuron(leaf, weights, bias)  = {neuron(leaf, weights, bias)}")
print(f"neuron(leaf, -weights, bias) = {neuron(leaf, -weights, bias):.3f}")
assert neuron(leaf, weights, bias) == 0.0
assert neuron(leaf, -weights, bias) > 0

# %% [markdown]
# ## 2.4 A layer is a matrix-vector product
#
# A **layer** is several neurons that read the same inputs, each with its own weights and bias. Stack
# their weights as the rows of a matrix `W` (one row per neuron, one column per input) and their biases
# in a vector `b`. Then the whole layer is one line of linear algebra: `W @ x + b`.
#
# `@` is the matrix product. Row `i` of `W @ x` is row `i` of `W` multiplied input by input with `x` and
# added up: exactly the weighted sum of neuron `i`. Here it is for a layer of three neurons on our leaf:

# %%
layer_weights = np.array(
    [
        [0.10, -0.29, -0.07, 0.46],  # neuron 0: the one from section 2.2
        [0.12, -0.05, 0.21, -0.30],  # neuron 1
        [-0.36, -0.21, 0.40, 0.10],  # neuron 2
    ]
)
layer_bias = np.array([0.25, 0.0, -1.0])
print(f"weights: shape {layer_weights.shape} (3 neurons, 4 inputs), bias: shape {layer_bias.shape}")

plot_matrices(
    [layer_weights, leaf, layer_bias, layer_weights @ leaf + layer_bias],
    ["W (3 neurons x 4 inputs)", "x (the leaf)", "b", "W @ x + b"],
    ["@", "+", "="],
    decimals=2,
)
plt.show()

# %% [exercise ch02.layer_forward]
# Write `layer_forward(inputs, weights, bias)`: the outputs of all the layer's neurons before the
# activation, with one matrix-vector product. Mind the shapes: `weights` is `(n_neurons, n_inputs)`.

# %% [markdown]
# The first output is the weighted sum of section 2.2, and each output is its neuron's own sum:

# %%
layer_outputs = layer_forward(leaf, layer_weights, layer_bias)
print(f"layer outputs: {np.round(layer_outputs, 3)}")
assert np.isclose(layer_outputs[0], weighted_sum)
for row in range(3):
    assert np.isclose(layer_outputs[row], np.sum(leaf * layer_weights[row]) + layer_bias[row])

# %% [markdown]
# ### What `@` computes
# Multiplying a matrix `A` of shape `(n, k)` by a matrix `B` of shape `(k, m)` gives a matrix of shape
# `(n, m)`: the number in row `i` and column `j` is row `i` of `A` times column `j` of `B`, number by
# number, added up. The inner sizes (`k`) must agree. A vector is a matrix with one column. Written out
# with loops, so that nothing is hidden:


# %%
def matmul_by_hand(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The matrix product of ``a`` (n, k) and ``b`` (k, m), one entry at a time."""
    n, k = a.shape
    k_b, m = b.shape
    if k != k_b:
        raise ValueError(f"the inner sizes differ: {a.shape} @ {b.shape}")
    result = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            result[i, j] = sum(a[i, t] * b[t, j] for t in range(k))
    return result


leaf_column = leaf[:, None]  # the leaf as a matrix with one column: shape (4, 1)
assert np.allclose(matmul_by_hand(layer_weights, leaf_column)[:, 0], layer_weights @ leaf)
rng = np.random.default_rng(0)
random_a, random_b = rng.normal(size=(3, 5)), rng.normal(size=(5, 4))
assert np.allclose(matmul_by_hand(random_a, random_b), random_a @ random_b)
print("matmul_by_hand agrees with numpy's @")

# %% [markdown]
# ## 2.5 Why the activation matters: linear layers collapse into one
#
# Why not leave ReLU out and simply stack layers? Because two layers without an activation are no more
# than one. If the first computes `h = W1 @ x + b1` and the second `y = W2 @ h + b2`, then
#
# `y = W2 @ (W1 @ x + b1) + b2 = (W2 @ W1) @ x + (W2 @ b1 + b2)`,
#
# which is a single layer with weights `W2 @ W1` and bias `W2 @ b1 + b2`. A hundred linear layers would
# collapse the same way. Checked with numbers:

# %%
rng = np.random.default_rng(2)
w1, b1 = rng.normal(size=(5, 4)), rng.normal(size=5)
w2, b2 = rng.normal(size=(2, 5)), rng.normal(size=2)

two_layers = w2 @ layer_forward(leaf, w1, b1) + b2
one_layer = layer_forward(leaf, w2 @ w1, w2 @ b1 + b2)
print(f"two stacked linear layers: {two_layers}")
print(f"one layer (W2 W1, W2 b1 + b2): {one_layer}")
assert np.allclose(two_layers, one_layer)

# %% [markdown]
# With ReLU between the layers, no single layer does the same. The clearest way to see it is a network
# with one input, one output and a hidden layer of six neurons, drawn as a curve. Without ReLU its output
# is a straight line, whatever the weights; with ReLU it is a line with bends, one at each place where a
# hidden neuron switches on or off. Bends are what let a network draw a boundary that is not straight.

# %%
rng = np.random.default_rng(3)
hidden_weights, hidden_bias = rng.normal(size=(6, 1)), rng.normal(size=6)
output_weights, output_bias = rng.normal(size=(1, 6)), rng.normal(size=1)
inputs_1d = np.linspace(-3, 3, 301)[:, None]  # 301 inputs, one per row

linear_outputs = (inputs_1d @ hidden_weights.T + hidden_bias) @ output_weights.T + output_bias
relu_outputs = relu(inputs_1d @ hidden_weights.T + hidden_bias) @ output_weights.T + output_bias

axes = new_axes("The same weights, without and with ReLU", "input", "output")
axes.plot(inputs_1d, linear_outputs, label="no activation: a straight line", linewidth=2)
axes.plot(inputs_1d, relu_outputs, label="ReLU between the layers: a bent line", linewidth=2)
axes.legend()
plt.show()

# A straight line has the same slope everywhere; the ReLU network's slope changes.
linear_slopes = np.diff(linear_outputs[:, 0])
relu_slopes = np.diff(relu_outputs[:, 0])
assert np.allclose(linear_slopes, linear_slopes[0])
assert not np.allclose(relu_slopes, relu_slopes[0])

# %% [markdown]
# ## 2.6 A batch is a matrix-matrix product
#
# We rarely run one example at a time. Put a **batch** of examples in a matrix `X`, one example per row:
# shape `(batch, n_inputs)`. Every example needs the same `W @ x + b`, and all of them at once is
# `X @ W.T + b`: the transpose `W.T` (the rows of `W` written as columns) has shape `(n_inputs, n_neurons)`,
# so `X @ W.T` has shape `(batch, n_neurons)`, one row of neuron outputs per example, and numpy adds `b` to
# every row.
#
# This is the layout torch uses (`torch.nn.Linear` stores `W` as `(n_neurons, n_inputs)` and computes
# `X @ W.T + b`), and the one every later chapter uses.

# %%
batch = features[:4].astype(float)
batch_outputs = batch @ layer_weights.T + layer_bias
print(f"X: {batch.shape} @ W.T: {layer_weights.T.shape} -> {batch_outputs.shape}")
for row in range(len(batch)):
    assert np.allclose(batch_outputs[row], layer_forward(batch[row], layer_weights, layer_bias))

plot_matrices(
    [batch, layer_weights.T, layer_bias[None, :], batch_outputs],
    ["X (4 examples x 4 inputs)", "W.T (4 inputs x 3 neurons)", "b (added to every row)", "X @ W.T + b"],
    ["@", "+", "="],
    decimals=[0, 2, 2, 0],
)
plt.show()

# %% [markdown]
# ## 2.7 Standardising the inputs: mean and standard deviation
#
# Look at the sizes of our four numbers: colours run up to 255, volumes are around 2 to 20. That matters
# for gradient descent. The gradient of a weight is proportional to the input it multiplies (a weight on
# an input of 150 changes the sum 150 times as fast as it changes), so the colour weights get gradients
# ten times larger than the volume weight. A learning rate small enough for the colour weights then
# barely moves the volume weight. The fix is the one of chapter 01 (section 1.9), where it turned a long
# valley into a round bowl: **standardise** each input, that is, subtract its mean and divide by its
# **standard deviation**, so that every input is centred on 0 and spread about the same.
#
# The standard deviation measures how spread out numbers are. For numbers `a1 ... aN`: subtract their
# mean from each, square each difference, take the mean of the squares, and take the square root. It is
# 0 when all numbers are equal, and large when they lie far from their mean. Step by step, for the
# volumes:

# %%
volumes = train_features[:, 3].astype(np.float64)
mean_volume = volumes.sum() / len(volumes)
squared_differences = (volumes - mean_volume) ** 2
std_volume = np.sqrt(squared_differences.mean())
print(f"volume: mean {mean_volume:.2f} ml, standard deviation {std_volume:.2f} ml")
assert np.isclose(std_volume, np.std(volumes))
assert np.std(np.full(10, 7.0)) == 0.0  # equal numbers do not spread at all

# %% [markdown]
# The means and standard deviations come from the **training** examples only. The held-out examples are
# scaled with the same numbers: they stand for new data, which we do not get to look at in advance.

# %%
feature_mean = train_features.mean(axis=0)
feature_std = train_features.std(axis=0)


def standardise(raw_features: np.ndarray) -> torch.Tensor:
    """Centre every input on the training mean and divide by its training standard deviation."""
    return torch.tensor((raw_features - feature_mean) / feature_std, dtype=torch.float32)


train_inputs, heldout_inputs = standardise(train_features), standardise(heldout_features)
train_targets, heldout_targets = torch.tensor(train_labels), torch.tensor(heldout_labels)
# (+ 0.0 turns the -0.0 that rounding leaves into 0.0)
print("training inputs, mean of each column:", train_inputs.mean(dim=0).numpy().round(3) + 0.0)
print("training inputs, std of each column: ", train_inputs.std(dim=0, correction=0).numpy().round(3))
assert torch.allclose(train_inputs.mean(dim=0), torch.zeros(4), atol=1e-4)
assert torch.allclose(train_inputs.std(dim=0, correction=0), torch.ones(4), atol=1e-4)

figure, (before, after) = plt.subplots(1, 2, figsize=(11, 3.5))
before.boxplot(train_features, tick_labels=FEATURE_NAMES)
before.set(title="Raw inputs: very different scales", ylabel="value")
after.boxplot(train_inputs.numpy(), tick_labels=FEATURE_NAMES)
after.set(title="Standardised: centred on 0, spread about 1", ylabel="value")
plt.show()

# %% [markdown]
# ## 2.8 A small network, by hand and with `torch.nn`
#
# Now the whole network: four inputs, a hidden layer of 16 neurons with ReLU, and an output layer of two
# neurons (the scores for leaf and flower) without activation, because scores may be negative. It is
# called a **multilayer perceptron** (MLP). Its forward pass on a batch is two layers with ReLU between.

# %%
hidden_size = 16
draw_network(
    [4, hidden_size, 2],
    node_labels=[["red", "green", "blue", "volume"], [""] * hidden_size, ["leaf", "flower"]],
    layer_names=["4 inputs", "16 hidden neurons + ReLU", "2 scores"],
    title="The leaf-or-flower network",
)
plt.show()

# %% [exercise ch02.mlp_forward]
# Write `mlp_forward(inputs, weights1, bias1, weights2, bias2)` for a batch, one example per row: the
# hidden layer, your `relu`, then the output layer. Use the batch layout of section 2.6.

# %% [markdown]
# torch has all of this built in: `torch.nn.Linear(4, 16)` is a layer with a `(16, 4)` weight matrix and
# 16 biases, and `torch.nn.Sequential` runs layers one after another. It numbers them from 0, so the
# weights are called `0.weight` (the hidden layer) and `2.weight` (the output layer): number 1 is the ReLU,
# which has no weights. Give the torch network the same weights as yours and it gives the same scores:

# %%
seed_everything(0)  # torch.nn.Linear starts from random weights drawn with torch's seeded generator
model = torch.nn.Sequential(
    torch.nn.Linear(4, hidden_size),
    torch.nn.ReLU(),
    torch.nn.Linear(hidden_size, 2),
)
print(model)
parameters = {name: parameter.detach().numpy() for name, parameter in model.named_parameters()}
for name, value in parameters.items():
    print(f"  {name:>8}: shape {value.shape}")

some_inputs = train_inputs[:5]
numpy_scores = mlp_forward(
    some_inputs.numpy(), parameters["0.weight"], parameters["0.bias"], parameters["2.weight"], parameters["2.bias"]
)
with torch.no_grad():
    torch_scores = model(some_inputs)
print("scores from your mlp_forward:\n", np.round(numpy_scores, 4))
print("scores from torch:\n", np.round(torch_scores.numpy(), 4))
assert np.allclose(numpy_scores, torch_scores.numpy(), atol=1e-5)

# %% [markdown]
# How good is this untrained network? Its answer for each example is the class with the larger score; its
# **accuracy** is the fraction of examples where that answer is right.

# %% [exercise ch02.accuracy]
# Write `accuracy(scores, labels)` in torch: the fraction of examples whose largest score is at their
# label's position, as a Python `float` between 0 and 1.

# %%
with torch.no_grad():
    untrained_accuracy = accuracy(model(heldout_inputs), heldout_targets)
print(f"untrained network, held-out accuracy: {untrained_accuracy:.1%}")

# %% [markdown]
# Random weights give a guess no better than a coin toss, near 50% (random weights may also favour one
# class, which moves it up or down). Time to train.
#
# ## 2.9 Training: batches, epochs, a loss curve, held-out accuracy
#
# Training works as in chapter 01: measure a loss, let autograd find its gradients, move every weight a
# little against its gradient, repeat. Three new things:
#
# - **The loss.** For classification we use the loss torch calls **cross-entropy**
#   (`torch.nn.functional.cross_entropy(scores, labels)`). It is small when the right class's score is
#   much larger than the other's and large when the network is confidently wrong. Behind it is
#   **softmax**, which turns the two scores into two probabilities that add up to 1; chapter 07 derives
#   both. A preview:

# %%
example_scores = torch.tensor([[2.0, -1.0], [0.3, 0.5]])
example_probabilities = torch.softmax(example_scores, dim=1)
for scores, probabilities in zip(example_scores, example_probabilities, strict=True):
    print(f"scores {scores.numpy()} -> probabilities {probabilities.numpy().round(3)}")
loss_fn = torch.nn.functional.cross_entropy
print("cross-entropy if both are leaves (label 0):", round(loss_fn(example_scores, torch.tensor([0, 0])).item(), 3))
print("cross-entropy if both are flowers (label 1):", round(loss_fn(example_scores, torch.tensor([1, 1])).item(), 3))
assert torch.allclose(example_probabilities.sum(dim=1), torch.ones(2))

# %% [markdown]
# - **The optimizer.** `torch.optim.SGD(model.parameters(), lr=...)` does chapter 01's update for us: its
#   `step()` moves every weight by `-lr * gradient`, and its `zero_grad()` clears the gradients, which
#   torch otherwise *adds* to from one `backward()` to the next.
# - **Batches and epochs.** Each step uses a batch of 32 examples, not all 1,600: a step is then cheap,
#   and many cheap, slightly noisy steps learn faster than a few exact ones. One pass over every training
#   example, in a fresh random order, is an **epoch**.
#
# One step of training is the exercise; `train` from `course_utils` repeats it.

# %% [exercise ch02.train_step]
# Write `train_step(model, loss_fn, optimizer, inputs, targets)`: clear the old gradients, compute the
# loss of the model's predictions, find its gradients, move the weights, and return the loss (from before
# the move) as a plain Python number, not a tensor: `train` keeps every step's loss, and a loss tensor
# would keep its whole computation alive with it. The step changes the model in place.

# %% [markdown]
# `epoch_batches` hands out the training examples in shuffled batches of 32 (a seeded CPU generator picks
# the order, so a rerun sees the same batches), and `batches_per_epoch` says how many batches make an
# epoch. We call `train` once per epoch with your `train_step`, and between epochs measure the accuracy on
# the training and the held-out examples.

# %%
batch_size = 32
learning_rate = 0.1
epochs = scaled(full=40, fast=6)

seed_everything(0)
model = torch.nn.Sequential(torch.nn.Linear(4, hidden_size), torch.nn.ReLU(), torch.nn.Linear(hidden_size, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
next_batch = epoch_batches(train_inputs, train_targets, batch_size, generator=generator)
steps_per_epoch = batches_per_epoch(len(train_inputs), batch_size)

losses, train_accuracies, heldout_accuracies = [], [], []


def measure_accuracies() -> None:
    """Append the model's accuracy on the training and on the held-out examples to their lists."""
    with torch.no_grad():
        train_accuracies.append(accuracy(model(train_inputs), train_targets))
        heldout_accuracies.append(accuracy(model(heldout_inputs), heldout_targets))


measure_accuracies()  # epoch 0: before any training
for epoch in range(1, epochs + 1):
    history = train(model, next_batch, loss_fn, optimizer, steps_per_epoch, step_fn=train_step, progress=False)
    losses.extend(history.losses)
    measure_accuracies()
    if epoch == 1 or epoch % 10 == 0 or epoch == epochs:
        print(
            f"epoch {epoch:3d}: loss {np.mean(history.losses):.3f}, "
            f"training accuracy {train_accuracies[-1]:.1%}, held-out accuracy {heldout_accuracies[-1]:.1%}"
        )
print(f"{epochs} epochs of {steps_per_epoch} steps each")

# %% [markdown]
# The loss of every step is noisy, because each batch holds different examples; its trend is what
# counts. On the right, the two accuracies climb together from the untrained network's guess (epoch 0)
# and level off within a few epochs. The held-out accuracy may even sit a little above the training one:
# with 400 held-out examples, one example is a quarter of a percent, and chance decides a few of them.
# Had the training accuracy kept climbing while the held-out one fell, the network would be memorising
# its training examples instead of learning what tells a leaf from a flower.

# %%
figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(12, 4))
plot_losses(range(1, len(losses) + 1), losses, axes=loss_axes)
loss_axes.set(title="Loss at every step", xlabel="step", ylabel="cross-entropy loss")
epoch_numbers = range(0, epochs + 1)
accuracy_axes.plot(epoch_numbers, train_accuracies, marker=".", label="training")
accuracy_axes.plot(epoch_numbers, heldout_accuracies, marker=".", label="held-out")
accuracy_axes.set(title="Accuracy after each epoch", xlabel="epoch", ylabel="accuracy")
accuracy_axes.legend()
plt.show()

# %% [markdown]
# The numbers this chapter promises, checked. The network gets nearly every held-out example right; the
# few it misses are the green flowers and large flowers that the data set was made to have. The bar of
# 93% leaves room for the noise of training. With all four measurements the task is easy: even a network
# without a hidden layer comes close (try it: replace the model with `torch.nn.Linear(4, 2)`). The hidden
# layer earns its keep in the next section, where the network sees only two of the inputs.

# %%
first_epoch_loss = np.mean(losses[:steps_per_epoch])
last_epoch_loss = np.mean(losses[-steps_per_epoch:])
print(f"mean loss: first epoch {first_epoch_loss:.3f}, last epoch {last_epoch_loss:.3f}")
print(f"held-out accuracy: {heldout_accuracies[-1]:.1%} (training: {train_accuracies[-1]:.1%})")
assert last_epoch_loss < first_epoch_loss / 2
assert heldout_accuracies[-1] > 0.93
assert heldout_accuracies[-1] < 1.0  # the classes overlap: 100% would be too good to be true

# %% [markdown]
# ## 2.10 The decision boundary as training goes
#
# What has the network learned? A picture of four inputs needs four dimensions, so for the picture we
# give a network just two of them: green and volume (the right-hand plot of section 2.1). In that plane
# every point gets the network's verdict, and the line where the verdict flips from leaf to flower is its
# **decision boundary**.
#
# First, a network with no hidden layer (every output is one neuron's weighted sum of the inputs). Its
# boundary is the line where two weighted sums are equal, so it can only be straight. Then the MLP, with
# a hidden layer and ReLU, whose boundary can bend. We keep a copy of the MLP's weights every few epochs
# to watch the boundary move.

# %%
plane_columns = [1, 3]  # green and volume
plane_names = [FEATURE_NAMES[column] for column in plane_columns]
plane_mean = train_features[:, plane_columns].mean(axis=0)
plane_std = train_features[:, plane_columns].std(axis=0)


def plane_inputs(raw_points: np.ndarray) -> torch.Tensor:
    """Standardise (green, volume) points with the training examples' mean and standard deviation."""
    return torch.tensor((raw_points - plane_mean) / plane_std, dtype=torch.float32)


plane_train = plane_inputs(train_features[:, plane_columns])
plane_heldout = plane_inputs(heldout_features[:, plane_columns])


def flower_probability(network: torch.nn.Module) -> Callable[[np.ndarray], np.ndarray]:
    """A function from raw (green, volume) points to the network's probability of "flower" (softmax)."""

    def predict(raw_points: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return torch.softmax(network(plane_inputs(raw_points)), dim=1)[:, 1].numpy()

    return predict


def train_plane_network(network: torch.nn.Module, epoch_count: int, snapshot_every: int) -> dict[int, dict]:
    """Train ``network`` on (green, volume) and return copies of its weights by epoch, every few epochs."""
    plane_optimizer = torch.optim.SGD(network.parameters(), lr=learning_rate)
    next_plane_batch = epoch_batches(plane_train, train_targets, batch_size, generator=generator)
    snapshots = {0: copy.deepcopy(network.state_dict())}  # state_dict: the weights by name
    for epoch in range(1, epoch_count + 1):
        train(network, next_plane_batch, loss_fn, plane_optimizer, steps_per_epoch, step_fn=train_step, progress=False)
        if epoch % snapshot_every == 0 or epoch == epoch_count:
            snapshots[epoch] = copy.deepcopy(network.state_dict())
    return snapshots


plane_epochs = scaled(full=60, fast=8)
seed_everything(0)
no_hidden_net = torch.nn.Linear(2, 2)
train_plane_network(no_hidden_net, plane_epochs, snapshot_every=plane_epochs)
seed_everything(0)
plane_mlp = torch.nn.Sequential(torch.nn.Linear(2, hidden_size), torch.nn.ReLU(), torch.nn.Linear(hidden_size, 2))
snapshots = train_plane_network(plane_mlp, plane_epochs, snapshot_every=max(1, plane_epochs // 12))
print(f"kept the MLP's weights after epochs {list(snapshots)}")

# %% [markdown]
# Side by side after training: the straight boundary cannot wrap around the leaves, which sit in a band
# of middling green at large volumes, with flowers greener and less green than them. The MLP's boundary
# bends around that band.

# %%
plane_range = {"x_range": (0.0, 255.0), "y_range": (0.0, 30.0)}
plane_points = heldout_features[:, plane_columns]
figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
plot_decision_boundary(
    flower_probability(no_hidden_net),
    plane_points,
    heldout_labels,
    axes=left,
    title="No hidden layer: a straight line",
    axis_names=plane_names,
    **plane_range,
)
plot_decision_boundary(
    flower_probability(plane_mlp),
    plane_points,
    heldout_labels,
    axes=right,
    title="MLP: a boundary that bends",
    axis_names=plane_names,
    **plane_range,
)
plt.show()

with torch.no_grad():
    no_hidden_accuracy = accuracy(no_hidden_net(plane_heldout), heldout_targets)
    plane_mlp_accuracy = accuracy(plane_mlp(plane_heldout), heldout_targets)
print(f"held-out accuracy on (green, volume): no hidden layer {no_hidden_accuracy:.1%}, MLP {plane_mlp_accuracy:.1%}")
assert plane_mlp_accuracy > no_hidden_accuracy + 0.03
assert plane_mlp_accuracy > 0.85

# %% [markdown]
# And the MLP's boundary as training goes, from its random start: first a rough cut, then a valley that
# deepens around the leaves. The colour is the network's probability of "flower" (pink for flower, green
# for leaf, pale where it is unsure), and the points are the held-out examples, which the network never
# trained on. Move the slider to step through the epochs.


# %%
def plane_mlp_after(epoch: int) -> torch.nn.Module:
    """A copy of the (green, volume) MLP with the weights it had after ``epoch`` epochs."""
    network = copy.deepcopy(plane_mlp)
    network.load_state_dict(snapshots[epoch])
    return network


def show_epoch(epoch: int, axes: plt.Axes | None = None) -> plt.Axes:
    """Draw the MLP's decision boundary with the weights it had after ``epoch`` epochs."""
    return plot_decision_boundary(
        flower_probability(plane_mlp_after(epoch)),
        plane_points,
        heldout_labels,
        axes=axes,
        title=f"After {epoch} epochs",
        axis_names=plane_names,
        **plane_range,
    )


snapshot_epochs = list(snapshots)
figure, all_axes = plt.subplots(1, 4, figsize=(18, 4))
shown_epochs = [snapshot_epochs[round(i * (len(snapshot_epochs) - 1) / 3)] for i in range(4)]  # first to last
for axes, epoch in zip(all_axes, shown_epochs, strict=True):
    show_epoch(epoch, axes=axes)
plt.show()


def show_epoch_interactively(epoch: int) -> None:
    """Draw and show the boundary after ``epoch`` epochs: what the slider calls each time it moves."""
    show_epoch(epoch)
    plt.show()


epoch_slider = widgets.interact(
    show_epoch_interactively, epoch=widgets.SelectionSlider(options=snapshot_epochs, value=snapshot_epochs[-1])
)

# %% [markdown]
# The bend in numbers. For three shades of green, we look for the smallest volume at which the network
# says "leaf": the height of the boundary there. A straight boundary changes height steadily from left to
# right; the trained MLP's boundary is low in the middle greens and high on both sides, a valley around
# the leaves.


# %%
def boundary_height(network: torch.nn.Module, green: float) -> float:
    """The smallest volume (ml, from 0 to 30) at which ``network`` says leaf for this green; inf if none."""
    volumes = np.linspace(0, 30, 301)
    points = np.column_stack([np.full_like(volumes, green), volumes])
    says_leaf = flower_probability(network)(points) < 0.5
    return float(volumes[says_leaf].min()) if says_leaf.any() else float("inf")


def describe_height(height: float) -> str:
    """A boundary height for the table: the volume in ml, or "never" where the network never says leaf."""
    return f"{height:5.1f} ml" if np.isfinite(height) else "  never"


greens = (30.0, 130.0, 230.0)
print(f"smallest volume called leaf ('never': flower at every volume), at green = {greens}:")
for epoch in snapshot_epochs:
    heights = [boundary_height(plane_mlp_after(epoch), green) for green in greens]
    print(f"  MLP after {epoch:2d} epochs: " + ", ".join(describe_height(height) for height in heights))
line_heights = [boundary_height(no_hidden_net, green) for green in greens]
print("  no hidden layer:       " + ", ".join(describe_height(height) for height in line_heights))

left_side, middle, right_side = (boundary_height(plane_mlp, green) for green in greens)
assert left_side > middle + 3 and right_side > middle + 3, "the trained MLP's boundary should dip around the leaves"
assert not (line_heights[0] > line_heights[1] + 3 and line_heights[2] > line_heights[1] + 3)  # a line cannot dip


# %% [markdown]
# ## Summary
#
# - A network takes numbers in and gives numbers out; we choose what they mean (four measurements in, a
#   score per class out, the larger score is the answer).
# - A **neuron** is a weighted sum of its inputs plus a bias, passed through an **activation** such as
#   ReLU. Without the activation, stacked layers collapse into one linear map.
# - A **layer** is a matrix-vector product `W @ x + b`; a **batch** of examples is a matrix-matrix
#   product `X @ W.T + b`, the layout of `torch.nn.Linear`.
# - Inputs are **standardised** with the training data's mean and standard deviation.
# - Training repeats one step (zero the gradients, loss, backward, step) over shuffled **batches**,
#   **epoch** after epoch; the **held-out** accuracy is the honest score.
# - A hidden layer with ReLU lets the **decision boundary** bend.
#
# **Where this returns.** `train_step` and `train` train every model from here on: the bigram model of
# chapter 03 and the GPT of chapter 10. The layer as a matrix product is everywhere: an embedding lookup
# is a one-hot vector times a matrix (chapter 04), the unembedding is a matrix product with every token
# (chapter 05), and attention's queries, keys and values are three layers applied to a batch (chapter 08).
# Softmax and cross-entropy, used here as a preview, are derived in chapter 07. The transformer block of
# chapter 09 contains an MLP just like ours (with GELU, a smooth ReLU), and its layer norm standardises
# with a mean and a standard deviation, as section 2.7 did.
