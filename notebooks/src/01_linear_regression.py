# %% [markdown]
# # 01 Linear regression: a model, a loss, and gradient descent
#
# **What you will build.** A model that predicts the price of a house from its size: a straight line with two
# numbers in it, a *weight* and a *bias*. You will first fit it by hand with two sliders, then write the four
# pieces that let a computer fit it: the prediction, the loss that says how wrong it is, the gradients that say
# which way to move, and one step of gradient descent; then a change of units that lets the descent take steps
# 2,000 times larger and reach the best line in 100 steps. Then you will do the same with PyTorch, which finds the
# gradients for you, and check that all of them land on the same line as numpy's exact least-squares solver.
#
# **Why it matters for a GPT.** A GPT is trained by exactly this loop: predict, measure the loss, find the
# gradients, step downhill, repeat. Here there are 2 weights and you can see the whole loss at once; GPT-3 has
# about 175 billion of them, and the loop does not change.
#
# **What you need.** Adding and multiplying, a little Python (functions, lists, `for` loops) and the idea of
# a numpy array. No calculus beyond "the slope of a curve"; the one derivative we need is worked out below.
#
# **Time.** About 80 minutes, six exercises included.
#
# **How the exercises work.** Each exercise is a function to write in the cell under it, followed by a check.
# Until you write it, the check says "not done yet" and the rest of the notebook uses the course's own solution,
# so you can run everything top to bottom (Run All) at any time.

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import StrMethodFormatter

from course_utils import scaled, seed_everything
from course_utils.plotting import COLORS, new_axes, use_course_style

generator = seed_everything(0)  # seeds Python, numpy and torch; the generator is for torch's random numbers
use_course_style()

# %% [markdown]
# ## 1.1 The data: 100 house sales
#
# Our data set is 100 house sales: for each house, its size in square metres and the price it sold for, in
# thousands of euros. The houses are **generated** by a small, seeded program in `course_utils/housing.py`, so
# that everyone gets exactly the same numbers without a download:
#
# 1. sizes are drawn around a typical 90 m² (most houses middle-sized, a few large), between 30 and 250 m²;
# 2. a house's typical price is 50 thousand plus 3 thousand per square metre;
# 3. each sale is that typical price times a random factor near 1 (about ±12%), for everything the size does
#    not capture: the street, the state of the kitchen, the buyer's mood.
#
# So we know the true rule behind the data (3 thousand per m², plus 50 thousand), which real data never tells
# you. The model will have to find it from the 100 noisy sales alone.

# %%
from course_utils.housing import BASE_PRICE, PRICE_PER_M2, make_housing

sizes, prices = make_housing(n_houses=100, seed=0)

print("  size (m²)   price (thousand euros)")
for size, price in zip(sizes[:5], prices[:5], strict=True):
    print(f"{size:10.0f}   {price:10.0f}")
print(f"... {len(sizes)} houses, from {sizes.min():.0f} to {sizes.max():.0f} m²")

# %%
assert sizes.shape == prices.shape == (100,)
assert (prices > 0).all() and 30 <= sizes.min() and sizes.max() <= 250

# %%
axes = new_axes("100 house sales (generated)", "size (m²)", "price (thousand euros)")
axes.scatter(sizes, prices, color=COLORS[0], alpha=0.7)
plt.show()

# %% [markdown]
# Bigger houses cost more, roughly along a straight line, with scatter around it. That straight line is our
# model.
#
# ## 1.2 A model is a function with weights
#
# The model takes a size and returns a predicted price:
#
# $$\text{predicted price} = \text{weight} \times \text{size} + \text{bias}$$
#
# The **weight** is the price of one more square metre (the slope of the line) and the **bias** is the price
# of a house of size zero (where the line crosses the vertical axis: think of it as the plot and the paperwork).
#
# Keep two kinds of numbers apart from now on:
#
# - the **data** (sizes and prices) is what the world gives us. It changes with every house we look at.
# - the **weights** (here the weight and the bias, together called the *parameters*) belong to the model. They
#   are the knobs we turn so that the model's predictions match the data. *Training* means choosing them.
#
# A GPT is the same: its data is text, its weights are billions of numbers in matrices, and training turns
# those knobs so that it predicts the next word well.

# %% [exercise ch01.predict]
# Write `predict(sizes, weight, bias)`: the predicted price of every house in the array `sizes`. With numpy,
# `weight * sizes` multiplies every size at once, with no loop.

# %%
assert np.allclose(predict(np.array([100.0, 50.0]), 3.0, 50.0), [350.0, 200.0])

# %% [markdown]
# Different weights give different lines. Each line below is the same function `predict` with other weights:
# the model is one thing, the weights choose which line it draws.

# %%
size_axis = np.linspace(0, 260, 100)
axes = new_axes("One model, three choices of weights", "size (m²)", "price (thousand euros)")
axes.scatter(sizes, prices, color="grey", alpha=0.4, label="houses")
for color, (weight, bias) in zip(COLORS[:3], [(1.5, 100.0), (3.0, 50.0), (4.5, -50.0)], strict=True):
    axes.plot(size_axis, predict(size_axis, weight, bias), color=color, label=f"weight {weight}, bias {bias:.0f}")
axes.legend()
plt.show()

# %% [markdown]
# ## 1.3 The loss: one number for how wrong the model is
#
# To choose between lines, we need to measure how wrong each one is. For each house, the **error** is the
# predicted price minus the real price. Some errors are positive and some negative, so we square them (which
# also punishes big misses more than small ones) and average over the houses:
#
# $$\text{loss} = \frac{1}{n} \sum_{i=1}^{n} (\text{prediction}_i - \text{price}_i)^2$$
#
# This is the **mean squared error** (MSE). A perfect line would have a loss of 0; the worse the line, the larger
# the loss. Training means: find the weights with the smallest loss.

# %% [exercise ch01.mse_loss]
# Write `mse_loss(predictions, targets)`: the mean of the squared differences, returned as one number.

# %%
assert np.isclose(mse_loss(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])), 4.0 / 3.0)

# %% [markdown]
# Below, each vertical segment is one house's error for the line with weight 2 and bias 100. The loss is the
# average of these lengths squared: long segments count a lot.

# %%
guess_weight, guess_bias = 2.0, 100.0
guess_predictions = predict(sizes, guess_weight, guess_bias)
guess_loss = mse_loss(guess_predictions, prices)

axes = new_axes(
    f"Errors of the line weight {guess_weight}, bias {guess_bias:.0f}: loss {guess_loss:,.0f}",
    "size (m²)",
    "price (thousand euros)",
)
axes.vlines(sizes, prices, guess_predictions, color=COLORS[3], alpha=0.5, label="error")
axes.scatter(sizes, prices, color=COLORS[0], alpha=0.7, label="houses")
axes.plot(size_axis, predict(size_axis, guess_weight, guess_bias), color=COLORS[1], label="model")
axes.legend()
plt.show()

# %% [markdown]
# The loss is in "thousand euros, squared", which is hard to picture. Its square root is back in thousands
# of euros: a typical error.

# %%
print(f"loss {guess_loss:,.0f}, so a typical error is about {np.sqrt(guess_loss):.0f} thousand euros")

# %% [markdown]
# ## 1.4 The loss surface: the loss of every possible line
#
# The data is fixed, so the loss depends only on the two weights. That makes it a function of two numbers, and
# we can draw it: for each (weight, bias) on a grid, compute the loss of that line. Each point of the picture is
# one line; its colour is how wrong that line is. The best line is at the bottom of this landscape.
#
# `loss_surface` computes the whole grid at once with numpy broadcasting: the predictions of every line for
# every house form an array of shape `(number of biases, number of weights, number of houses)`, and the mean
# over the last axis gives every loss. (Indexing with `None` adds an axis of length 1, and numpy repeats an
# array along such an axis to match the other array: `weights[None, :, None]` has shape `(1, number of
# weights, 1)`, so multiplying it by the sizes pairs every weight with every house.) You do not need to write
# code like this yourself; it is here so that the picture takes a blink instead of a long loop.


# %%
def loss_surface(inputs: np.ndarray, targets: np.ndarray, weights: np.ndarray, biases: np.ndarray) -> np.ndarray:
    """The mean squared error of the line (weight, bias) for every pair: shape ``(len(biases), len(weights))``."""
    predictions = weights[None, :, None] * inputs + biases[:, None, None]
    return np.mean((predictions - targets) ** 2, axis=-1)


def draw_loss_surface(
    axes: plt.Axes,
    weights: np.ndarray,
    biases: np.ndarray,
    losses: np.ndarray,
    colorbar: bool = True,
    colorbar_beside: plt.Axes | list[plt.Axes] | None = None,
) -> None:
    """Filled contours of ``losses`` over (weight, bias); the levels grow by a constant factor, so that the
    floor of the valley shows as clearly as its steep walls. With ``colorbar``, a colour bar goes beside
    ``colorbar_beside`` (by default ``axes``), so that panels of the same surface can share one."""
    levels = np.geomspace(losses.min() * 0.999, losses.max(), 16)
    contours = axes.contourf(weights, biases, losses, levels=levels, cmap="viridis_r", norm="log", alpha=0.8)
    axes.set(xlabel="weight", ylabel="bias")
    if not colorbar:
        return
    axes.figure.colorbar(
        contours,
        ax=axes if colorbar_beside is None else colorbar_beside,
        label="loss",
        ticks=levels[::3],
        format=StrMethodFormatter("{x:,.0f}"),
    )


grid_points = scaled(full=201, fast=41)  # the surface's resolution: a finer grid only makes a smoother picture
raw_weights = np.linspace(0.0, 6.0, grid_points)
raw_biases = np.linspace(-250.0, 350.0, grid_points)
raw_losses = loss_surface(sizes, prices, raw_weights, raw_biases)

axes = new_axes("The loss of every line (weight, bias)", "weight", "bias", figsize=(7, 5))
draw_loss_surface(axes, raw_weights, raw_biases, raw_losses)
axes.plot(guess_weight, guess_bias, "o", color=COLORS[1], label="the line of section 1.3")
axes.legend()
plt.show()

# %%
# the broadcast computation agrees with mse_loss: on a one-point grid, and at a random point of the grid above
assert np.isclose(loss_surface(sizes, prices, np.array([guess_weight]), np.array([guess_bias]))[0, 0], guess_loss)
row, column = np.random.default_rng(0).integers(grid_points, size=2)
assert np.isclose(raw_losses[row, column], mse_loss(predict(sizes, raw_weights[column], raw_biases[row]), prices))

# %% [markdown]
# The good lines lie along a long, thin, diagonal valley. Along it, a steeper line (more weight) with a lower
# starting point (less bias) is almost as good as a flatter, higher one: the two weights trade off. Keep this
# shape in mind; it will make gradient descent slow in section 1.8.
#
# ## 1.5 Fit it by hand
#
# Before the computer does it, do it yourself. `draw_fit(weight, bias)` draws the line with its errors on the
# left and its place on the loss surface on the right, and returns the loss. The sliders below call it every
# time you move them. Try to get the loss under 2,000 (a typical error of about 45 thousand euros).


# %%
def draw_fit(weight: float, bias: float) -> float:
    """Draw the line ``weight * size + bias`` over the houses and its point on the loss surface; return its loss."""
    predictions = predict(sizes, weight, bias)
    loss = mse_loss(predictions, prices)
    figure, (line_axes, surface_axes) = plt.subplots(1, 2, figsize=(13, 4.5))
    line_axes.vlines(sizes, prices, predictions, color=COLORS[3], alpha=0.4)
    line_axes.scatter(sizes, prices, color=COLORS[0], alpha=0.7)
    line_axes.plot(size_axis, predict(size_axis, weight, bias), color=COLORS[1])
    line_axes.set(
        title=f"loss {loss:,.0f} (typical error {np.sqrt(loss):.0f} thousand)",
        xlabel="size (m²)",
        ylabel="price (thousand euros)",
        ylim=(0, 700),
    )
    draw_loss_surface(surface_axes, raw_weights, raw_biases, raw_losses)
    surface_axes.plot(weight, bias, "o", color=COLORS[1], markersize=10)
    surface_axes.set_title("where your line is on the loss surface")
    plt.show()
    return loss


# %%
import ipywidgets as widgets

widgets.interactive(
    draw_fit,
    weight=widgets.FloatSlider(value=1.0, min=0.0, max=6.0, step=0.05, description="weight"),
    bias=widgets.FloatSlider(value=0.0, min=-250.0, max=350.0, step=5.0, description="bias"),
)

# %% [markdown]
# Write down your best pair here; we will compare it with the computer's answer in a moment. (If the sliders do
# not show, your Jupyter lacks widget support: call `draw_fit(2.5, 80)` with numbers of your own instead.)

# %%
my_weight, my_bias = 2.5, 80.0  # change these to the best line you found with the sliders
my_loss = draw_fit(my_weight, my_bias)
assert my_loss == mse_loss(predict(sizes, my_weight, my_bias), prices)

# %% [markdown]
# ## 1.6 The exact answer: least squares
#
# For this one model, a straight line with a squared-error loss, there is a formula for the bottom of the bowl,
# and numpy's `np.linalg.lstsq` ("least squares") computes it. We stack the sizes with a column of ones, so that
# `[size, 1] @ [weight, bias]` is `weight * size + bias` for every house, and ask for the weights that make
# these closest to the prices in squared error. (`@` multiplies two lists of numbers pair by pair and adds
# the products up: here `size * weight + 1 * bias`. Chapter 02 shows it in full.)
#
# Why, then, learn anything else? Because the formula exists only for models this simple. A GPT's loss has no
# formula for its minimum; the only way down is to walk, step by step, which is what the rest of this chapter
# builds. `lstsq` is our ground truth to check that walk against.

# %%
design = np.stack([sizes, np.ones_like(sizes)], axis=1)  # one row [size, 1] per house
(best_weight, best_bias), *_ = np.linalg.lstsq(design, prices, rcond=None)
best_loss = mse_loss(predict(sizes, best_weight, best_bias), prices)

print(f"least squares: weight {best_weight:.3f} thousand per m², bias {best_bias:.1f} thousand, loss {best_loss:,.0f}")
print(f"the true rule: weight {PRICE_PER_M2:.3f} thousand per m², bias {BASE_PRICE:.1f} thousand")
print(f"your line:     weight {my_weight:.3f} thousand per m², bias {my_bias:.1f} thousand, loss {my_loss:,.0f}")

# %%
# 100 noisy houses pin the price per m² down to within a few percent of the true 3 thousand, not exactly
assert abs(best_weight - PRICE_PER_M2) < 0.3 and abs(best_bias - BASE_PRICE) < 40
assert best_loss <= my_loss  # nobody beats least squares on its own data

# %%
axes = new_axes("Your line and the best line on the loss surface", "weight", "bias", figsize=(7, 5))
draw_loss_surface(axes, raw_weights, raw_biases, raw_losses)
axes.plot(my_weight, my_bias, "o", color=COLORS[1], markersize=9, label="yours")
axes.plot(best_weight, best_bias, "*", color=COLORS[3], markersize=16, label="least squares")
axes.legend()
plt.show()

# %% [markdown]
# ## 1.7 Gradients by hand: which way is downhill?
#
# Imagine standing somewhere on the loss surface in the fog. You cannot see the bottom, but you can feel the
# slope under your feet. The **gradient** is that slope: for each weight, how fast the loss grows when you nudge
# that weight up a little (holding the other one still). Walking against it takes you downhill.
#
# Let us work it out. For house $i$ write the error $e_i = w \, s_i + b - p_i$ (weight $w$, bias $b$, size
# $s_i$, price $p_i$). The loss is $L = \frac{1}{n}\sum_i e_i^2$.
#
# - How does $e_i^2$ change when $e_i$ changes? Nudge $x$ by a small $h$: $(x + h)^2 = x^2 + 2xh + h^2$, and
#   $h^2$ is tiny next to $2xh$, so $x^2$ grows by $2x$ per unit of nudge. So $e_i^2$ changes by $2 e_i$ per
#   unit of $e_i$.
# - How does $e_i$ change when $w$ changes? $w$ is multiplied by $s_i$, so by $s_i$ per unit of $w$.
# - How does $e_i$ change when $b$ changes? $b$ is simply added, so by $1$ per unit of $b$.
#
# To get the rate of the whole chain, multiply the rates along it (the **chain rule**: if $e_i$ grows 3 times as
# fast as $w$, and $e_i^2$ grows $2e_i$ times as fast as $e_i$, then $e_i^2$ grows $3 \cdot 2e_i$ times as fast
# as $w$). Then average over the houses, as the loss does. The result is written $\frac{\partial L}{\partial w}$
# ("the partial derivative of $L$ with respect to $w$": how fast $L$ changes as $w$ does, $b$ held still), and
# $\frac{\partial L}{\partial b}$ likewise. Write both down on paper before you unfold the answer.
#
# <details><summary>The two gradients</summary>
#
# $$\frac{\partial L}{\partial w} = \frac{1}{n}\sum_i 2\, e_i\, s_i \qquad\qquad
# \frac{\partial L}{\partial b} = \frac{1}{n}\sum_i 2\, e_i$$
#
# Read them: if the line is too high ($e_i > 0$ for most houses), both gradients are positive, and walking
# against them lowers the line. The weight's gradient is scaled by the sizes, so big houses pull hardest on the
# slope.
#
# </details>

# %% [exercise ch01.gradients]
# Write `gradients(sizes, prices, weight, bias)`, returning `(d_weight, d_bias)`: your two formulas in numpy.
# Use numpy on whole arrays: compute all the errors at once, then two means.

# %% [markdown]
# A derivative is a slope, so we can test ours without any calculus: nudge the weight by a tiny $h$ both ways
# and measure how much the loss changes, $\frac{L(w+h) - L(w-h)}{2h}$. This *finite difference* is how you
# check any gradient you derive by hand.


# %%
def loss_at(weight: float, bias: float) -> float:
    """The loss of the line (weight, bias) on our houses."""
    return mse_loss(predict(sizes, weight, bias), prices)


nudge = 1e-4
d_weight, d_bias = gradients(sizes, prices, guess_weight, guess_bias)
slope_weight = (loss_at(guess_weight + nudge, guess_bias) - loss_at(guess_weight - nudge, guess_bias)) / (2 * nudge)
slope_bias = (loss_at(guess_weight, guess_bias + nudge) - loss_at(guess_weight, guess_bias - nudge)) / (2 * nudge)
print(f"d_weight: formula {d_weight:,.3f}, finite difference {slope_weight:,.3f}")
print(f"d_bias:   formula {d_bias:,.3f}, finite difference {slope_bias:,.3f}")

# %%
assert np.isclose(d_weight, slope_weight, rtol=1e-6) and np.isclose(d_bias, slope_bias, rtol=1e-6)
# at the bottom of the bowl the ground is flat: both gradients vanish (relative to their size at our guess)
at_best = gradients(sizes, prices, best_weight, best_bias)
assert abs(at_best[0]) < 1e-6 * abs(d_weight) and abs(at_best[1]) < 1e-6 * abs(d_bias)

# %% [markdown]
# Here is what `d_weight` means in a picture: hold the bias at 100, slide only the weight, and plot the loss. The
# gradient is the slope of the tangent at our guess: the straight line that touches the curve there.

# %%
weight_axis = np.linspace(0.5, 4.0, 200)
axes = new_axes("The gradient is the slope of the loss", "weight (bias held at 100)", "loss")
axes.plot(weight_axis, [loss_at(w, guess_bias) for w in weight_axis], color=COLORS[0], label="loss")
tangent = guess_loss + d_weight * (weight_axis - guess_weight)
axes.plot(weight_axis, tangent, "--", color=COLORS[1], label=f"slope d_weight = {d_weight:,.0f}")
axes.plot(guess_weight, guess_loss, "o", color=COLORS[1])
axes.set_ylim(0, 1.2 * guess_loss)
axes.legend()
plt.show()

# %% [markdown]
# ## 1.8 Gradient descent
#
# Now walk. Start anywhere, then repeat: compute the gradients, and move each weight a small step against its
# gradient:
#
# $$w \leftarrow w - \eta \frac{\partial L}{\partial w} \qquad\qquad
# b \leftarrow b - \eta \frac{\partial L}{\partial b}$$
#
# The step size $\eta$ ("eta") is the **learning rate**. This is **gradient descent**, and it is how every
# network in this course, GPT included, is trained.

# %% [exercise ch01.gradient_descent_step]
# Write `gradient_descent_step(sizes, prices, weight, bias, learning_rate)`, returning the new
# `(weight, bias)` after one step. Use your `gradients` from the last exercise.

# %% [markdown]
# Repeating the step is a short loop. `descend` keeps every point it visits, to draw the path, and the loss at
# each step, to draw the learning curve.


# %%
def descend(
    inputs: np.ndarray, targets: np.ndarray, learning_rate: float, steps: int, start: tuple[float, float] = (0.0, 0.0)
) -> tuple[np.ndarray, np.ndarray]:
    """Run ``steps`` steps of gradient descent from ``start``.

    Returns ``(path, losses)``: the (weight, bias) before every step and after the last, shape ``(steps + 1, 2)``,
    and the loss at each of those points, shape ``(steps + 1,)``.
    """
    weight, bias = start
    points = [(weight, bias)]
    for _ in range(steps):
        weight, bias = gradient_descent_step(inputs, targets, weight, bias, learning_rate)
        points.append((weight, bias))
    path = np.array(points, dtype=float)
    losses = np.array([mse_loss(predict(inputs, w, b), targets) for w, b in path])
    return path, losses


# %% [markdown]
# On the raw sizes, a learning rate must be tiny: a size is about 100, so nudging the weight moves every
# prediction about 100 times more than nudging the bias does. Try $\eta = 0.00005$ for a few thousand steps.

# %%
raw_steps = scaled(full=5000, fast=2000)
raw_path, raw_path_losses = descend(sizes, prices, learning_rate=5e-5, steps=raw_steps)
raw_weight, raw_bias = raw_path[-1]
print(f"after {raw_steps} steps: weight {raw_weight:.3f}, bias {raw_bias:.2f}, loss {raw_path_losses[-1]:,.0f}")
print(f"least squares:     weight {best_weight:.3f}, bias {best_bias:.2f}, loss {best_loss:,.0f}")

# %%
assert raw_path_losses[-1] < raw_path_losses[0] / 20  # most of the loss is gone...
assert abs(raw_bias - best_bias) > 0.5 * abs(best_bias)  # ...but the bias has hardly left 0
assert raw_weight > best_weight  # and the weight overshoots to make up for it

# %%
axes = new_axes(f"{raw_steps} steps of gradient descent on raw sizes", "weight", "bias", figsize=(7, 5))
draw_loss_surface(axes, raw_weights, raw_biases, raw_losses)
axes.plot(raw_path[:, 0], raw_path[:, 1], ".-", color=COLORS[1], markersize=3, label="gradient descent")
axes.plot(best_weight, best_bias, "*", color=COLORS[3], markersize=16, label="least squares")
axes.legend()
plt.show()

# %% [markdown]
# The walk drops straight into the valley in a few steps, then crawls along its floor: thousands of steps
# later the bias has barely moved, and the weight sits above the best one to make up for the missing bias.
# A larger learning rate would not help: across the valley the walls are so steep that any rate above about
# 0.0001 overshoots further each step and the walk flies off (section 1.10 shows such a divergence). The
# trouble is the shape of the valley, and the fix is to change the shape.
#
# ## 1.9 Scale the input, and the bowl becomes round
#
# Measure each size not in square metres but in **standard deviations from the average house**: subtract the
# mean size, divide by the standard deviation (the typical distance from the mean). A size of 0 is now an
# average house; 1 is one typical step bigger. This is called **standardizing**. It changes nothing about the
# data, only its units, but now the weight and the bias act on numbers of the same size, and the loss surface
# becomes a round bowl where downhill points straight at the bottom.

# %% [exercise ch01.standardize]
# Write `standardize(values)`, returning `(scaled, mean, std)`.

# %%
scaled_sizes, size_mean, size_std = standardize(sizes)
print(f"mean size {size_mean:.1f} m², standard deviation {size_std:.1f} m²")
print("first sizes:", sizes[:4], "-> standardized:", np.round(scaled_sizes[:4], 2))
assert np.isclose(scaled_sizes.mean(), 0.0) and np.isclose(scaled_sizes.std(), 1.0)

# %% [markdown]
# With standardized sizes the weight means "thousands of euros per standard deviation of size" (about
# 3 × 33 ≈ 100) and the bias is the price of an average house (about 345). Same least squares, new units; and
# gradient descent with a learning rate of 0.1, 2,000 times larger than the 0.00005 of section 1.8:

# %%
scaled_design = np.stack([scaled_sizes, np.ones_like(scaled_sizes)], axis=1)
(best_scaled_weight, best_scaled_bias), *_ = np.linalg.lstsq(scaled_design, prices, rcond=None)

descent_steps = 100
scaled_path, scaled_path_losses = descend(scaled_sizes, prices, learning_rate=0.1, steps=descent_steps)
gd_weight, gd_bias = scaled_path[-1]
print(f"gradient descent, {descent_steps} steps: weight {gd_weight:.4f}, bias {gd_bias:.4f}")
print(f"least squares:                 weight {best_scaled_weight:.4f}, bias {best_scaled_bias:.4f}")

# %%
TOLERANCE = 1e-3  # thousand euros, i.e. one euro: how close every method must land to least squares
assert abs(gd_weight - best_scaled_weight) < TOLERANCE and abs(gd_bias - best_scaled_bias) < TOLERANCE
assert np.isclose(best_scaled_bias, prices.mean())  # on centred sizes, the best bias is the average price

# %%
scaled_weights = np.linspace(-275.0, 475.0, grid_points)  # both axes span 750 around the bottom of the bowl
scaled_biases = np.linspace(-50.0, 700.0, grid_points)
scaled_losses = loss_surface(scaled_sizes, prices, scaled_weights, scaled_biases)

axes = new_axes("Standardized sizes: a round bowl", "weight", "bias", figsize=(7, 5))
draw_loss_surface(axes, scaled_weights, scaled_biases, scaled_losses)
axes.plot(scaled_path[:, 0], scaled_path[:, 1], ".-", color=COLORS[1], label=f"{descent_steps} steps, rate 0.1")
axes.plot(best_scaled_weight, best_scaled_bias, "*", color=COLORS[3], markersize=16, label="least squares")
axes.set_aspect(1.0)
axes.legend()
plt.show()

# %% [markdown]
# (The axes are drawn to the same scale, so the circles really are circles.) The path runs straight to the
# bottom, fast at first and slower as the ground flattens, because each step is proportional to the slope.
#
# The line is the same line as before, only written in other units. To say it in square metres again, multiply
# out $w \, \frac{s - \text{mean}}{\text{std}} + b$ and collect what multiplies $s$.

# %% [exercise ch01.unscale]
# Write `unscale(weight, bias, mean, std)`, returning `(price_per_m2, base_price)` of the same line on sizes in
# square metres.

# %%
gd_price_per_m2, gd_base_price = unscale(gd_weight, gd_bias, size_mean, size_std)
print(f"gradient descent, back in m²: {gd_price_per_m2:.3f} thousand per m², base {gd_base_price:.2f} thousand")
print(f"least squares on raw sizes:   {best_weight:.3f} thousand per m², base {best_bias:.2f} thousand")
assert np.isclose(gd_price_per_m2, best_weight, atol=TOLERANCE / size_std) and np.isclose(
    gd_base_price, best_bias, atol=2 * TOLERANCE
)

# %% [markdown]
# Scaling inputs is not a trick for this chapter only. Every network in this course keeps its numbers near
# mean 0 and spread 1 for the same reason: so that one learning rate suits all of its weights. In a GPT, layer
# normalization (chapter 09) does it inside the network, at every layer.
#
# ## 1.10 The learning rate: too small, right, too large
#
# On the round bowl we can run three learning rates for 50 steps each and watch what happens.

# %%
rate_steps = 50
learning_rates = {"too small (0.01)": 0.01, "right (0.1)": 0.1, "too large (1.05)": 1.05}
runs = {name: descend(scaled_sizes, prices, rate, rate_steps) for name, rate in learning_rates.items()}
for name, (_, losses) in runs.items():
    print(f"{name:17}: loss {losses[0]:>10,.0f} -> {losses[-1]:>14,.0f} after {rate_steps} steps")

# %%
axes = new_axes("The same bowl, three learning rates", "step", "loss (log scale)")
for color, (name, (_, losses)) in zip(COLORS[:3], runs.items(), strict=True):
    axes.plot(losses, color=color, label=name)
axes.axhline(best_loss, color="grey", linestyle=":", label="least squares")
axes.set_yscale("log")
axes.legend()
plt.show()

# %% [markdown]
# And the first 8 steps of each on the loss surface (every path is a straight line through the bottom,
# because in a round bowl downhill always points at the centre; what differs is how far each step goes):

# %%
wide_weights = np.linspace(-900.0, 1100.0, grid_points)
wide_biases = np.linspace(-650.0, 1350.0, grid_points)
wide_losses = loss_surface(scaled_sizes, prices, wide_weights, wide_biases)
# two rows, so that each panel is large enough to read at a notebook's width; the three panels show the same
# surface with the same colours, so one colour bar serves them all
figure, mosaic = plt.subplot_mosaic([["0", "0", "1", "1"], [".", "2", "2", "."]], figsize=(10, 9), layout="constrained")
all_axes = [mosaic[key] for key in "012"]
for axes, color, (name, (path, _)) in zip(all_axes, COLORS[:3], runs.items(), strict=True):
    last = axes is all_axes[-1]  # one colour bar, beside all three, drawn with the last panel
    draw_loss_surface(axes, wide_weights, wide_biases, wide_losses, colorbar=last, colorbar_beside=all_axes)
    axes.plot(path[:9, 0], path[:9, 1], "o-", color=color, markersize=4)
    if learning_rates[name] > 1:  # number the jumps, which alternate sides of the bottom
        for step, (weight_value, bias_value) in enumerate(path[:9]):
            axes.annotate(str(step), (weight_value, bias_value), textcoords="offset points", xytext=(6, -3))
    axes.plot(best_scaled_weight, best_scaled_bias, "*", color=COLORS[3], markersize=14)
    axes.set(title=f"learning rate {name}", aspect=1.0)
plt.show()

# %% [markdown]
# - **Too small:** every step is safe but short. After 50 steps it is still far from the bottom.
# - **Right:** in 50 steps it is at the bottom to within a few euros (and after the 100 steps of section 1.9,
#   to within a fraction of a cent).
# - **Too large:** each step jumps over the bottom to the other side of the bowl, and lands *higher* than it
#   started. The next jump is longer, and the loss grows without end: the training **diverges**.
#
# Here we can say exactly where "too large" begins. Standardized sizes have mean 0 and their squares have mean 1,
# so the formulas of section 1.7 simplify: $\frac{\partial L}{\partial w} = 2\,(w - w^\ast)$ and
# $\frac{\partial L}{\partial b} = 2\,(b - b^\ast)$, where $w^\ast$ is the mean of $s_i p_i$ and $b^\ast$ the mean
# price: the bottom of the bowl, where both gradients vanish. The gradient is twice the distance to the
# bottom, so one step multiplies that distance by $1 - 2\eta$. With $\eta = 0.1$ that is 0.8 (shrink by a
# fifth each step); with $\eta = 0.01$ it is 0.98 (slow); with $\eta = 1.05$ it is $-1.1$: jump across the
# bottom and land 10% further away. Any $\eta$ above 1 diverges. Real networks have no such formula, so one
# tries a few rates and watches the loss curve: a loss that climbs, or turns into `inf` or `nan` (infinity, and
# "not a number": what arithmetic gives once numbers grow too large to store), is the signature of a learning
# rate too large.

# %%
# the bottom of the bowl is where the text says: the mean of size times price, and the mean price
assert np.isclose(best_scaled_weight, np.mean(scaled_sizes * prices)) and np.isclose(best_scaled_bias, prices.mean())
best_point = np.array([best_scaled_weight, best_scaled_bias])
for name, rate in learning_rates.items():
    distances = np.linalg.norm(runs[name][0] - best_point, axis=1)
    assert np.allclose(distances[1:] / distances[:-1], abs(1 - 2 * rate)), name
losses_by_name = {name: losses for name, (_, losses) in runs.items()}
assert losses_by_name["too large (1.05)"][-1] > 100 * losses_by_name["too large (1.05)"][0]  # diverged
assert losses_by_name["right (0.1)"][-1] < losses_by_name["too small (0.01)"][-1]

# %% [markdown]
# ## 1.11 The same with PyTorch: gradients for free
#
# Deriving gradients by hand was fine for two weights and one formula. For a GPT, with its many layers, nobody
# does it: PyTorch does. A PyTorch **tensor** is an array like numpy's; a tensor created with
# `requires_grad=True` also records every operation done with it, and `loss.backward()` walks that record
# backwards, applying the chain rule exactly as you did, and leaves each gradient in the tensor's `.grad`. This
# is **automatic differentiation** (autograd).
#
# Tensors here are float32 (each number stored in 32 bits, about 7 significant digits: half the memory of numpy's
# float64 and plenty for training), the course's standard, and they stay on the CPU: 100 houses are far too
# few for a GPU to help.

# %%
import torch

size_tensor = torch.tensor(scaled_sizes, dtype=torch.float32)
price_tensor = torch.tensor(prices, dtype=torch.float32)

weight = torch.tensor(guess_weight, requires_grad=True)
bias = torch.tensor(guess_bias, requires_grad=True)
loss = torch.mean((weight * size_tensor + bias - price_tensor) ** 2)
loss.backward()

by_hand = gradients(scaled_sizes, prices, guess_weight, guess_bias)
print(f"autograd: d_weight {weight.grad.item():,.3f}, d_bias {bias.grad.item():,.3f}")
print(f"by hand:  d_weight {by_hand[0]:,.3f}, d_bias {by_hand[1]:,.3f}")
assert np.allclose([weight.grad.item(), bias.grad.item()], by_hand, rtol=1e-5)

# %% [markdown]
# Gradient descent with autograd is the same loop, with two details:
#
# - the update itself must not be recorded (it is not part of the loss), so it runs under `torch.no_grad()`;
# - `backward()` *adds* into `.grad`, so each step must reset the gradients to zero first.

# %%
weight = torch.tensor(0.0, requires_grad=True)
bias = torch.tensor(0.0, requires_grad=True)
learning_rate = 0.1
for _ in range(descent_steps):
    loss = torch.mean((weight * size_tensor + bias - price_tensor) ** 2)
    loss.backward()
    with torch.no_grad():
        weight -= learning_rate * weight.grad
        bias -= learning_rate * bias.grad
    weight.grad.zero_()
    bias.grad.zero_()

autograd_weight, autograd_bias = weight.item(), bias.item()
print(f"autograd descent: weight {autograd_weight:.4f}, bias {autograd_bias:.4f}")
assert abs(autograd_weight - best_scaled_weight) < TOLERANCE and abs(autograd_bias - best_scaled_bias) < TOLERANCE

# %% [markdown]
# ## 1.12 The way every later chapter trains: a model, an optimizer, a training loop
#
# PyTorch packs each part of that loop into a reusable piece:
#
# - `torch.nn.Linear(1, 1)` is our model: one input, one output, a weight and a bias inside (as `.weight` and
#   `.bias`). It takes a batch of inputs of shape `(n, 1)`.
# - `torch.nn.functional.mse_loss` is our loss.
# - `torch.optim.SGD` is our update, $w \leftarrow w - \eta\, \partial L / \partial w$ for every parameter, with
#   `optimizer.zero_grad()` to reset the gradients. (SGD, *stochastic* gradient descent, usually steps on a
#   random batch of the data; we give it all 100 houses every step.)
#
# The course keeps one loop that does the rest, `course_utils.training.train`: each step calls
# `train_step(model, loss_fn, optimizer, inputs, targets)`, which predicts, measures the loss, calls
# `backward()` and steps, and it records the loss. Chapter 02 asks you to write `train_step` yourself; from
# then on, every model in the course, the GPT of chapter 10 included, is trained by this same loop. The model
# starts from random weights this time, drawn with our seeded generator.

# %%
from course_utils.plotting import plot_losses
from course_utils.training import train

model = torch.nn.Linear(1, 1)
with torch.no_grad():  # a seeded random start, the same on every machine
    model.weight.copy_(torch.randn(1, 1, generator=generator))
    model.bias.copy_(torch.randn(1, generator=generator))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

inputs, targets = size_tensor[:, None], price_tensor[:, None]  # shape (100, 1): one row per house
history = train(
    model,
    next_batch=lambda: (inputs, targets),  # a one-line function: every step sees all 100 houses
    loss_fn=torch.nn.functional.mse_loss,
    optimizer=optimizer,
    steps=scaled(full=200, fast=100),
    progress=False,
)
sgd_weight, sgd_bias = model.weight.item(), model.bias.item()
print(f"torch.optim.SGD: weight {sgd_weight:.4f}, bias {sgd_bias:.4f}, in {history.seconds * 1000:.0f} ms")

axes = plot_losses(history.steps, history.losses, title="Training nn.Linear with torch.optim.SGD")
axes.axhline(best_loss, color="grey", linestyle=":", label="least squares")
axes.set_yscale("log")
axes.legend()
plt.show()

# %% [markdown]
# ## 1.13 Four ways, one line
#
# Least squares solved for the bottom of the bowl; gradient descent walked there three ways. They must agree.

# %%
results = {
    "least squares (np.linalg.lstsq)": (best_scaled_weight, best_scaled_bias),
    "gradient descent by hand (numpy)": (gd_weight, gd_bias),
    "gradient descent with autograd": (autograd_weight, autograd_bias),
    "torch.nn.Linear + torch.optim.SGD": (sgd_weight, sgd_bias),
}
print(f"{'method':36}{'weight':>10}{'bias':>10}{'per m²':>9}{'base':>8}")
for method, (weight_value, bias_value) in results.items():
    per_m2, base = unscale(weight_value, bias_value, size_mean, size_std)
    print(f"{method:36}{weight_value:10.4f}{bias_value:10.4f}{per_m2:9.3f}{base:8.2f}")

# %%
for method, (weight_value, bias_value) in results.items():
    assert abs(weight_value - best_scaled_weight) < TOLERANCE, method
    assert abs(bias_value - best_scaled_bias) < TOLERANCE, method
print(f"All four agree with least squares to within {TOLERANCE} thousand euros (one euro).")

# %% [markdown]
# ## Summary
#
# - **A model is a function with weights**, and data and weights are different things. Yours, `predict`, has 2
#   weights; GPT-3 has about 175 billion (chapter 10 counts them), and each is a knob like yours.
# - **The loss** turns "how wrong" into one number: `mse_loss`. Chapter 02, which sorts things into classes
#   instead of predicting a number, swaps it for cross-entropy, the loss a GPT is trained on (chapter 07
#   derives it).
# - **The gradient** says which way is uphill, found by the chain rule: `gradients`, by hand. From chapter 02
#   on, autograd (`loss.backward()`) finds it for every network.
# - **Gradient descent** steps against the gradient, again and again: `gradient_descent_step`. The course's
#   `course_utils.training.train` repeats it for every model up to the GPT.
# - **The learning rate**: too small crawls, too large diverges (section 1.10). Every training run in the course
#   chooses one, the GPT's in chapter 10 included.
# - **Scaled inputs** make a round bowl that one learning rate suits: `standardize`. Inside a GPT, layer
#   normalization (chapter 09) does this at every layer.
#
# You fitted a line four ways and they agreed to within one euro. The rest of the course changes the model (a
# neuron, a network, attention, a GPT) and the loss; the loop you built here stays the same.
#
# **Next:** chapter 02 gives the model more inputs and a bend (an activation), making it a neural network that
# classifies leaves and flowers, and trains it with the same loop.
