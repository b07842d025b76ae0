# %% [markdown]
# # 02 Neural networks
#
# A neural network takes some numbers in and gives some numbers out. In this chapter you build one that
# looks at a plant part (its colour and its size) and says whether it is a **leaf** or a **flower**. You
# start with a single neuron computed by hand, grow it into a layer and then a small network, write its
# forward pass in numpy, work out its gradients by hand, rebuild it with `torch.nn`, and write the loop that
# trains it. At the end you watch the network's decision boundary bend into shape as it learns.
#
# **You need** chapter 01: a model is a function with weights, a loss says how wrong it is, and gradient
# descent (with `loss.backward()` from torch's autograd) lowers the loss.
#
# **Time:** about 120 minutes, with eight exercises.
#
# | section | idea |
# |---|---|
# | 2.1 | numbers in, numbers out: the leaf-or-flower data |
# | 2.2 | a neuron: weights and a bias |
# | 2.3 | the activation: ReLU |
# | 2.4 | a layer is a matrix-vector product; a whole network on paper |
# | 2.5 | why the activation matters: linear layers collapse into one |
# | 2.6 | a batch is a matrix-matrix product |
# | 2.7 | standardising the inputs: mean and standard deviation |
# | 2.8 | a small network, by hand and with `torch.nn` |
# | 2.9 | the loss: softmax and cross-entropy |
# | 2.10 | gradients by hand: backpropagation through the network |
# | 2.11 | training: the loop of epochs and batches, a loss curve, held-out accuracy |
# | 2.12 | the decision boundary as training goes |

# %%
import copy
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils import cpu_generator, scaled, seed_everything
from course_utils import validate  # noqa: F401 - the reference solutions check their input with it
from course_utils.flowers import (
    CLASS_NAMES,
    FEATURE_NAMES,
    make_flowers,
    plot_decision_boundary,
    plot_flowers,
    train_heldout_split,
)
from course_utils.plotting import COLORS, draw_network, new_axes, plot_losses, plot_matrices, use_course_style
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
# ### A whole network on paper
#
# Two layers make a network. Here is one small enough to work with pencil and paper: the leaf's 4 numbers
# go in, a middle layer of 3 neurons computes 3 weighted sums, and an output layer of 2 neurons computes 2
# weighted sums of those. To keep the arithmetic bare, this network has no biases and no activation yet.
# We read its first output as the score for "leaf" and the second as the score for "flower"; the larger
# one wins. The first middle neuron is the neuron of section 2.2 without its bias.
#
# Where the numbers come from: this network is drawn in one of the essays this course's outline follows.
# Its text gives the leaf, all four weights of middle neuron 0, the red and green weights of middle
# neurons 1 and 2, the three weights into the leaf score, the middle values -26.6 and -47.1, and the
# scores 0.8 (leaf) and 0.2 (flower). Its figure is not at hand, so the remaining weights (the blue and
# volume weights of middle neurons 1 and 2, and the three weights into the flower score) are ours, chosen
# so that the arithmetic lands on those values (within rounding: the flower score comes out 0.19).

# %%
paper_weights1 = np.array(
    [
        [0.10, -0.29, -0.07, 0.46],  # middle neuron 0: the neuron of section 2.2
        [0.12, -0.05, 0.05, 0.11],  # middle neuron 1
        [-0.36, -0.21, -0.17, -0.32],  # middle neuron 2
    ]
)
paper_weights2 = np.array(
    [
        [-0.17, 0.39, 0.10],  # output 0: the score for leaf
        [0.26, 0.39, -0.13],  # output 1: the score for flower
    ]
)
middle = paper_weights1 @ leaf
paper_scores = paper_weights2 @ middle
for neuron, row in enumerate(paper_weights1):
    terms = " + ".join(f"{value:g} x {weight:.2f}" for value, weight in zip(leaf, row, strict=True))
    print(f"middle {neuron}: {terms} = {middle[neuron]:6.1f}")
for name, row, score in zip(("leaf", "flower"), paper_weights2, paper_scores, strict=True):
    terms = " + ".join(f"{value:.1f} x {weight:.2f}" for value, weight in zip(middle, row, strict=True))
    print(f"{name:>6}: {terms} = {score:.2f}")
print(f"{CLASS_NAMES[int(np.argmax(paper_scores))]} wins")

# %%
assert np.allclose(middle, [-26.6, 2.5, -47.1], atol=0.05)
assert np.allclose(paper_scores, [0.8, 0.2], atol=0.01)
assert CLASS_NAMES[int(np.argmax(paper_scores))] == "leaf"

# %% [markdown]
# Drawn, with the numbers in the circles and each weight on its line:

# %%
figure, axes = plt.subplots(figsize=(9, 6))  # tall enough that the number on every line stands apart
draw_network(
    [4, 3, 2],
    weights=[paper_weights1, paper_weights2],
    node_labels=[
        [f"{value:g}" for value in leaf],
        [f"{value:.1f}" for value in middle],
        [f"{value:.2f}" for value in paper_scores],
    ],
    layer_names=["red, green, blue, volume", "middle layer", "leaf, flower"],
    title=f"A 4-3-2 network on paper: leaf wins, {paper_scores[0]:.2f} to {paper_scores[1]:.2f}",
    axes=axes,
)
plt.show()

# %% [markdown]
# ### The numbers mean what we say they mean
#
# The network has no idea what a leaf is. It takes exactly 4 numbers and gives exactly 2; that the inputs
# are a colour and a volume, and that the first output stands for "leaf", is our reading. Feed the same
# network, with the same weights, four numbers about the weather (cloud cover and humidity in percent, the
# temperature in °C and the wind in km/h), and read its outputs as "sunny in an hour" and "rain in an hour":

# %%
weather = np.array([90.0, 85.0, 12.0, 30.0])  # cloud cover %, humidity %, temperature °C, wind km/h
weather_scores = paper_weights2 @ (paper_weights1 @ weather)
forecasts = ("sunny in an hour", "rain in an hour")
print(f"scores {np.round(weather_scores, 2)}: {forecasts[int(np.argmax(weather_scores))]}")
assert forecasts[int(np.argmax(weather_scores))] == "rain in an hour"

# %% [markdown]
# Rain, says the same arithmetic. These weights were never chosen for weather, so nobody should trust this
# forecast; with weights trained on weather records, the same 4-3-2 shape could give a forecast worth
# reading. What the numbers mean is decided twice, and separately:
#
# - **the input encoding**: how a thing becomes numbers (a colour as red, green and blue from 0 to 255;
#   a day as four measurements);
# - **the output encoding**: how numbers become an answer. We use one score per class, the larger one
#   wins. Another choice would do for two classes: a single output, read as "leaf" when it is positive and
#   "flower" when it is negative. One score per class has the advantage that it grows to any number of
#   classes; chapter 03 uses one score for each character that could come next.

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

# The network on paper had no activation, so it too is one layer in disguise: 2 neurons reading the 4 inputs.
paper_as_one_layer = paper_weights2 @ paper_weights1
print("the network on paper as a single layer, weights (2 outputs x 4 inputs):")
print(np.round(paper_as_one_layer, 4))
assert np.allclose(paper_as_one_layer @ leaf, paper_scores)

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
# class, which moves it up or down). Time to train. Training works as in chapter 01: measure a loss, find
# its gradients, move every weight a little against its gradient, repeat. Each part needs one new idea.
#
# ## 2.9 The loss: softmax and cross-entropy
#
# Chapter 01's loss compared a predicted price with a real one. Here the network gives two scores and the
# truth is a class, so we need a loss that says how wrong two scores are about one class. Two steps:
#
# - **softmax** turns scores into probabilities: exponentiate every score, then divide by the sum of the
#   exponentials. `softmax(scores) = exp(scores) / sum(exp(scores))`. The exponential makes every number
#   positive (a score of -1 becomes 0.37) and keeps the order; dividing by the sum makes them add up to 1.
# - **cross-entropy** is minus the logarithm of the probability given to the right class:
#   `loss = -ln(probabilities[label])`. It is 0 when the network gives the right class probability 1, and it
#   grows without limit as that probability shrinks toward 0. (`ln` is the natural logarithm; all we need of
#   it is that `ln 1 = 0` and that `ln p` falls below zero, ever more steeply, as `p` goes from 1 to 0.)
#
# In one line of numpy each:


# %%
def softmax(scores: np.ndarray) -> np.ndarray:
    """Scores become probabilities: exponentiate every score, then divide by the sum of the exponentials."""
    return np.exp(scores) / np.exp(scores).sum()


def cross_entropy(scores: np.ndarray, label: int) -> float:
    """Minus the log of the probability that softmax gives the right class."""
    return float(-np.log(softmax(scores)[label]))


example_scores = np.array([2.0, -1.0])  # leaf, flower
example_probabilities = softmax(example_scores)
print(f"scores {example_scores} -> exp(scores) {np.exp(example_scores).round(3)}")
print(f"-> divided by their sum {np.exp(example_scores).sum():.3f}: probabilities {example_probabilities.round(3)}")
print(f"loss if it is a leaf:   -ln {example_probabilities[0]:.3f} = {cross_entropy(example_scores, 0):.3f}")
print(f"loss if it is a flower: -ln {example_probabilities[1]:.3f} = {cross_entropy(example_scores, 1):.3f}")

figure, (score_axes, exp_axes, probability_axes) = plt.subplots(1, 3, figsize=(11, 3), layout="constrained")
bar_colours = [COLORS[0], COLORS[3]]
score_axes.bar(CLASS_NAMES, example_scores, color=bar_colours)
score_axes.axhline(0, color="grey", linewidth=0.8)
score_axes.set_title("scores")
exp_axes.bar(CLASS_NAMES, np.exp(example_scores), color=bar_colours)
exp_axes.set_title("exp(scores): all positive")
probability_axes.bar(CLASS_NAMES, example_probabilities, color=bar_colours)
probability_axes.set(title="divided by their sum", ylim=(0, 1.15))
for position, value in enumerate(example_probabilities):
    label_text = f"p = {value:.3f}\nloss -ln p = {-np.log(value):.2f}"
    probability_axes.annotate(label_text, (position, value), textcoords="offset points", xytext=(0, 3), ha="center")
figure.suptitle("Softmax, and the loss if each class is the right one")
plt.show()

# %% [markdown]
# torch has both built in: `torch.softmax` and `torch.nn.functional.cross_entropy(scores, labels)`, which
# takes a batch (one row of scores per example) and averages the loss over it. torch's versions agree with
# our one-liners:

# %%
loss_fn = torch.nn.functional.cross_entropy
batch_scores = torch.tensor([[2.0, -1.0], [0.3, 0.5]])
batch_labels = torch.tensor([0, 1])
ours = np.mean([cross_entropy(row.numpy(), label) for row, label in zip(batch_scores, batch_labels, strict=True)])
print(f"torch's cross-entropy {loss_fn(batch_scores, batch_labels).item():.5f}, ours {ours:.5f}")
assert np.allclose(torch.softmax(batch_scores, dim=1).numpy(), [softmax(row) for row in batch_scores.numpy()])
assert np.isclose(loss_fn(batch_scores, batch_labels).item(), ours)
assert cross_entropy(np.array([20.0, -20.0]), 0) < 1e-12  # right and sure: no loss
assert cross_entropy(np.array([-20.0, 20.0]), 0) > 30  # wrong and sure: a large one

# %% [markdown]
# (Chapter 07 takes softmax further: why the exponential, what a temperature does to it, and why torch
# subtracts the largest score before exponentiating, so that a score of 1000 does not overflow.)
#
# ## 2.10 Gradients by hand: backpropagation
#
# In chapter 01 you worked out the gradients of a two-weight model on paper, and then let autograd do it.
# Here you do it once more, for the whole network and a single example, so that `loss.backward()` holds no
# mystery: it is the chain rule, applied link by link from the loss back to the first layer. This is called
# **backpropagation**.
#
# The forward pass for one example, with every number we will need named:
#
# $$h_{\text{sum}} = W_1 x + b_1 \qquad h = \text{relu}(h_{\text{sum}}) \qquad s = W_2 h + b_2 \qquad
# L = -\ln \text{softmax}(s)_{\text{label}}$$
#
# Now walk back, asking at each link how fast the thing after it changes when the thing before it is
# nudged, as in chapter 01's section 1.7:
#
# - **The loss and the scores.** Nudge score $s_i$ and the loss changes at the rate $p_i - y_i$, where $p$
#   is the softmax of the scores and $y$ is the one-hot label (1 at the right class, 0 elsewhere). We take
#   this link as given (chapter 07 derives it) and check it by nudging, below. It reads well: a wrong class
#   with much probability gets a large positive gradient (lower its score), and the right class gets
#   $p - 1$, negative (raise its score).
# - **The output layer.** $s_i = \sum_j W_2[i, j]\, h_j + b_2[i]$. Nudging $W_2[i, j]$ changes $s_i$ by
#   $h_j$ per unit, and nothing else; nudging $b_2[i]$ changes $s_i$ by 1.
# - **Back into the hidden layer.** $h_j$ feeds every score, $s_i$ through $W_2[i, j]$. Its nudge reaches
#   the loss along all those paths at once, and the rates of the paths add up.
# - **Through ReLU.** Where $h_{\text{sum}}$ was positive, ReLU passed it on unchanged: rate 1. Where it was
#   negative, ReLU gave 0 and a small nudge still gives 0: rate 0. A neuron that was off passes no gradient.
# - **The first layer.** Like the output layer: $W_1[j, k]$ changes $h_{\text{sum}, j}$ by $x_k$ per unit,
#   and $b_1[j]$ by 1.
#
# Multiply the rates along each chain and you have every gradient. Write them down as numpy lines before
# you unfold the answer.
#
# <details><summary>The gradients, one line each</summary>
#
# ```
# d_scores     = softmax(scores) - one_hot(label)           # (n_outputs,)
# d_weights2   = np.outer(d_scores, hidden)                  # d_scores[i] * hidden[j]
# d_bias2      = d_scores
# d_hidden     = weights2.T @ d_scores                       # every path from hidden[j], added up
# d_hidden_sum = d_hidden * (hidden_sum > 0)                 # ReLU: rate 1 where on, 0 where off
# d_weights1   = np.outer(d_hidden_sum, inputs)
# d_bias1      = d_hidden_sum
# ```
#
# Each gradient has the shape of its weights: `np.outer(a, b)` is the matrix with `a[i] * b[j]` in row
# `i`, column `j`.
#
# </details>
#
# First the one link we took as given, checked by nudging each score of our example by a tiny amount both
# ways, as chapter 01 checked its formulas:

# %%
nudge = 1e-6
label_of_example = 0
d_scores_formula = softmax(example_scores) - np.eye(2)[label_of_example]
d_scores_nudged = np.array(
    [
        (
            cross_entropy(example_scores + nudge * np.eye(2)[i], label_of_example)
            - cross_entropy(example_scores - nudge * np.eye(2)[i], label_of_example)
        )
        / (2 * nudge)
        for i in range(2)
    ]
)
print(f"d_scores: softmax - one-hot {d_scores_formula.round(6)}, by nudging {d_scores_nudged.round(6)}")
assert np.allclose(d_scores_formula, d_scores_nudged, atol=1e-6)

# %% [exercise ch02.backprop]
# Write `backprop(inputs, weights1, bias1, weights2, bias2, label)` for one example: the forward pass, then
# the chain rule backwards, returning `(d_weights1, d_bias1, d_weights2, d_bias2)`. Use your `relu` and the
# `softmax` above.

# %% [markdown]
# Now the test that matters: the untrained torch network of section 2.8 on one training example.
# autograd's `backward()` finds its gradients; yours must be the same numbers.

# %%
example_input, example_label = train_inputs[0], int(train_targets[0])
model.zero_grad()
loss_fn(model(example_input[None]), train_targets[:1]).backward()  # a batch of one example
autograd_gradients = [model[0].weight.grad, model[0].bias.grad, model[2].weight.grad, model[2].bias.grad]

numpy_weights = [parameters[name].astype(np.float64) for name in ("0.weight", "0.bias", "2.weight", "2.bias")]
by_hand = backprop(example_input.numpy().astype(np.float64), *numpy_weights, example_label)
for name, mine, torchs in zip(
    ("d_weights1", "d_bias1", "d_weights2", "d_bias2"), by_hand, autograd_gradients, strict=True
):
    largest_difference = np.abs(np.asarray(mine) - torchs.numpy()).max()
    print(f"{name:>10}: shape {np.shape(mine)}, largest difference from autograd {largest_difference:.1e}")
    assert np.allclose(mine, torchs.numpy(), atol=1e-5), name

# %% [markdown]
# In a picture: each line of the network is drawn by its weight's gradient (blue where the loss grows
# with the weight, red where it shrinks, thicker for faster). The hidden neurons that were off for this
# example (their sum was negative; marked "off") have only hairlines, in and out: their gradients are
# zero. Nudging the weights of a neuron that is off leaves it off and its output at 0, so the loss does
# not change, and gradient descent leaves those weights alone on this example.

# %%
d_weights1, d_bias1, d_weights2, d_bias2 = (np.asarray(gradient) for gradient in by_hand)
hidden_sum_of_example = numpy_weights[0] @ example_input.numpy() + numpy_weights[1]
off = hidden_sum_of_example <= 0
draw_network(
    [4, hidden_size, 2],
    weights=[d_weights1, d_weights2],
    node_labels=[["red", "green", "blue", "volume"], ["off" if is_off else "" for is_off in off], ["leaf", "flower"]],
    layer_names=["4 inputs", f"{hidden_size} hidden neurons ({off.sum()} off)", "2 scores"],
    title="The gradient of every weight, for one example",
)
plt.show()
print(f"{off.sum()} of {hidden_size} hidden neurons were off for this example")
assert off.any() and np.all(d_weights1[off] == 0) and np.all(d_weights2[:, off] == 0)

# %% [markdown]
# One more check, which needs neither autograd nor your formulas: nudge one weight of the first layer both
# ways and measure how the loss changes, as in chapter 01.


# %%
def example_loss(weights1: np.ndarray) -> float:
    """The loss of the network of section 2.8 on our example, with ``weights1`` in its first layer."""
    hidden = relu(weights1 @ example_input.numpy().astype(np.float64) + numpy_weights[1])
    return cross_entropy(numpy_weights[2] @ hidden + numpy_weights[3], example_label)


on_neuron = int(np.flatnonzero(~off)[0])  # a hidden neuron that was on, so that its weights matter
bump = np.zeros_like(numpy_weights[0])
bump[on_neuron, 1] = nudge
measured = (example_loss(numpy_weights[0] + bump) - example_loss(numpy_weights[0] - bump)) / (2 * nudge)
print(f"d_weights1[{on_neuron}, 1]: by hand {d_weights1[on_neuron, 1]:.6f}, by nudging {measured:.6f}")
assert np.isclose(d_weights1[on_neuron, 1], measured, rtol=1e-4, atol=1e-8)

# %% [markdown]
# For a GPT with its dozens of layers nobody writes these lines by hand: autograd records the forward pass
# and walks it backwards, link by link, exactly as you just did. From here on, `loss.backward()` does it.
#
# ## 2.11 Training: the loop of epochs and batches
#
# With the loss and its gradients in hand, two more pieces:
#
# - **The optimizer.** `torch.optim.SGD(model.parameters(), lr=...)` does chapter 01's update for us: its
#   `step()` moves every weight by `-lr * gradient`, and its `zero_grad()` clears the gradients, which
#   torch otherwise *adds* to from one `backward()` to the next.
# - **Batches and epochs.** Each step uses a batch of 32 examples, not all 1,600: a step is then cheap,
#   and many cheap, slightly noisy steps learn faster than a few exact ones. One pass over every training
#   example, in a fresh random order, is an **epoch**.
#
# One step of training is the first exercise; the loop that repeats it is the second.

# %% [exercise ch02.train_step]
# Write `train_step(model, loss_fn, optimizer, inputs, targets)`: clear the old gradients, compute the
# loss of the model's predictions, find its gradients, move the weights, and return the loss (from before
# the move) as a plain Python number, not a tensor: a training loop keeps every step's loss, and a loss
# tensor would keep its whole computation alive with it. The step changes the model in place.

# %% [markdown]
# Now the loop around it. An epoch shuffles the training examples (a seeded CPU generator picks the order,
# so a rerun sees the same batches), cuts them into batches of 32 (the last one smaller if 32 does not
# divide the count), and takes one step on each. The loss of an epoch is the mean of its steps' losses.

# %% [exercise ch02.training_loop]
# Write `training_loop(model, loss_fn, optimizer, inputs, targets, epochs, batch_size, generator)`: for each
# epoch, a fresh order `torch.randperm(len(inputs), generator=generator)`, then one call of your
# `train_step` per batch of `batch_size` examples in that order. Return the list of the epochs' losses.

# %% [markdown]
# We train with your loop one epoch at a time, so that between epochs we can measure the accuracy on the
# training and on the held-out examples.

# %%
batch_size = 32
learning_rate = 0.1
epochs = scaled(full=40, fast=6)
steps_per_epoch = batches_per_epoch(len(train_inputs), batch_size)


def new_model() -> torch.nn.Module:
    """The network of section 2.8 with the seeded random weights it starts from."""
    seed_everything(0)
    return torch.nn.Sequential(torch.nn.Linear(4, hidden_size), torch.nn.ReLU(), torch.nn.Linear(hidden_size, 2))


model = new_model()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
shuffle_generator = cpu_generator(1)
epoch_losses, train_accuracies, heldout_accuracies = [], [], []


def measure_accuracies() -> None:
    """Append the model's accuracy on the training and on the held-out examples to their lists."""
    with torch.no_grad():
        train_accuracies.append(accuracy(model(train_inputs), train_targets))
        heldout_accuracies.append(accuracy(model(heldout_inputs), heldout_targets))


measure_accuracies()  # epoch 0: before any training
for epoch in range(1, epochs + 1):
    epoch_losses += training_loop(
        model, loss_fn, optimizer, train_inputs, train_targets, 1, batch_size, shuffle_generator
    )
    measure_accuracies()
    if epoch == 1 or epoch % 10 == 0 or epoch == epochs:
        print(
            f"epoch {epoch:3d}: loss {epoch_losses[-1]:.3f}, "
            f"training accuracy {train_accuracies[-1]:.1%}, held-out accuracy {heldout_accuracies[-1]:.1%}"
        )
print(f"{epochs} epochs of {steps_per_epoch} steps each")

# %% [markdown]
# Every later chapter trains with `train` from `course_utils.training`: the same loop, written once, which
# also keeps the loss of every step, times the run and measures a held-out loss now and then. It takes its
# batches from a `next_batch()` function; `epoch_batches` makes one that shuffles and cuts exactly as your
# loop does. Trained again from the same start with the same shuffles, it retraces your loop's losses:

# %%
model_again = new_model()
history = train(
    model_again,
    epoch_batches(train_inputs, train_targets, batch_size, generator=cpu_generator(1)),
    loss_fn,
    torch.optim.SGD(model_again.parameters(), lr=learning_rate),
    steps=epochs * steps_per_epoch,
    step_fn=train_step,
    progress=False,
)
losses = history.losses  # the loss of every step
epoch_means = np.mean(np.reshape(losses, (epochs, steps_per_epoch)), axis=1)
print(f"epoch losses, your loop: {np.round(epoch_losses[:4], 4)} ...")
print(f"epoch losses, train:     {np.round(epoch_means[:4], 4)} ...")
assert np.allclose(epoch_losses, epoch_means, atol=1e-6)
assert all(torch.equal(mine, again) for mine, again in zip(model.parameters(), model_again.parameters(), strict=True))

# %% [markdown]
# On the left, the loss of every step (noisy, because each batch holds different examples) and each
# epoch's mean, which is what your loop returns; the trend is what counts. On the right, the two
# accuracies climb together from the untrained network's guess (epoch 0) and level off within a few epochs.
# The held-out accuracy may even sit a little above the training one: with 400 held-out examples, one
# example is a quarter of a percent, and chance decides a few of them. Had the training accuracy kept
# climbing while the held-out one fell, the network would be memorising its training examples instead of
# learning what tells a leaf from a flower.

# %%
figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(12, 4))
plot_losses(np.arange(1, len(losses) + 1) / steps_per_epoch, losses, axes=loss_axes)
loss_axes.plot(range(1, epochs + 1), epoch_losses, "o-", color=COLORS[1], label="mean of each epoch")
loss_axes.set(title="Loss at every step, and per epoch", xlabel="epoch", ylabel="cross-entropy loss")
loss_axes.legend()
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
print(f"mean loss: first epoch {epoch_losses[0]:.3f}, last epoch {epoch_losses[-1]:.3f}")
print(f"held-out accuracy: {heldout_accuracies[-1]:.1%} (training: {train_accuracies[-1]:.1%})")
assert epoch_losses[-1] < epoch_losses[0] / 2
assert heldout_accuracies[-1] > 0.93
assert heldout_accuracies[-1] < 1.0  # the classes overlap: 100% would be too good to be true

# %% [markdown]
# ## 2.12 The decision boundary as training goes
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
figure, all_axes = plt.subplots(2, 2, figsize=(11, 10), layout="constrained")  # two rows: readable panels
shown_epochs = [snapshot_epochs[round(i * (len(snapshot_epochs) - 1) / 3)] for i in range(4)]  # first to last
for axes, epoch in zip(all_axes.flat, shown_epochs, strict=True):
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
# - A network takes any numbers we give it: the **input encoding** (what goes in) and the **output
#   encoding** (how the outputs are read) are our choices; the same weights could forecast rain.
# - **Softmax** turns scores into probabilities (`exp(scores) / sum(exp(scores))`) and **cross-entropy** is
#   minus the log of the right class's probability.
# - **Backpropagation** is the chain rule, link by link from the loss back to the first layer; autograd
#   does exactly what you did by hand.
# - Training repeats one step (zero the gradients, loss, backward, step) over shuffled **batches**,
#   **epoch** after epoch; the **held-out** accuracy is the honest score.
# - A hidden layer with ReLU lets the **decision boundary** bend.
#
# **Where this returns.** `train_step`, inside `course_utils.training.train`, trains every model from here
# on: chapter 03 counts a bigram model and then trains the same model as a network, and chapter 10 trains
# the GPT. The layer as a matrix product is everywhere: an embedding lookup is a one-hot vector times a
# matrix (chapter 04), the unembedding is a matrix product with every token (chapter 05), and attention's
# queries, keys and values are three layers applied to a batch (chapter 08). Softmax and cross-entropy,
# defined here in one line each, are taken further in chapter 07. The transformer block of chapter 09
# contains an MLP just like ours (with GELU, a smooth ReLU), and its layer norm standardises
# with a mean and a standard deviation, as section 2.7 did.
