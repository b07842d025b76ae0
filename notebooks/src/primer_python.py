# %% [markdown]
# # Primer: Python, numpy and PyTorch, as the course uses them
#
# **Who this is for.** You can add and multiply, and you have written little or no Python. This notebook teaches
# exactly the Python the chapters use, and nothing more: numbers and names, functions, text and f-strings, lists
# and loops, dicts, numpy arrays (broadcasting and indexing), PyTorch tensors, and plots. If you already write
# numpy comfortably, skim the headings, do the six exercises as a check, and go on to chapter 00.
#
# **Time.** About an hour, six short exercises included.
#
# **How a notebook works.** A notebook is a list of cells. A *code cell* holds Python: click it and press
# **Shift+Enter** to run it; what it prints, or the value of its last line, appears under it. Cells run in the
# order you run them, and a name defined in one cell can be used in every cell run after it. *Run All* (in the
# Run menu) runs every cell from the top, which is the way to get back to a clean state after an experiment.
# Change any cell and run it again: you cannot break anything, and *Kernel > Restart Kernel and Run All Cells*
# puts everything back.
#
# **How the exercises work.** Each exercise is a function to write in the cell under it, followed by a check.
# Until you write it, the check says "not done yet" and the rest of the notebook uses the course's own solution,
# so you can run everything top to bottom (Run All) at any time. When your answer is wrong, the check says on
# which input and what to look at.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils import seed_everything
from course_utils.plotting import COLORS, new_axes, use_course_style

seed_everything(0)  # the same random numbers on every run
use_course_style()  # the course's look for every plot

# %% [markdown]
# The first cell *imports* libraries: ready-made code by other people (`numpy` for arrays of numbers, `torch`
# for PyTorch, `matplotlib` for plots) and the course's own helpers in `course_utils`. `import numpy as np` makes
# numpy available under the short name `np`. Every chapter starts with such a cell.
#
# ## P.1 Numbers and names
#
# Python is a calculator. `*` multiplies, `/` divides, `**` raises to a power, and brackets group as usual:

# %%
print(3 + 4 * 2)
print((3 + 4) * 2)
print(2**10)
print(7 / 2, 7 // 2, 7 % 2)  # division, whole-number division (rounds down), and the remainder

# %% [markdown]
# `=` gives a value a **name** (a *variable*), so that later lines can use it. It is not the `=` of
# mathematics: `total = total + 1` means "compute `total + 1`, then let `total` name the result".

# %%
price_per_m2 = 3.0  # thousand euros per square metre
size = 90
price = price_per_m2 * size + 50
print(price)

total = 0
total = total + 1
total = total + 1
print(total)

# %%
assert price == 320.0 and total == 2
assert 7 // 2 == 3 and 7 % 2 == 1 and 7 / 2 == 3.5

# %% [markdown]
# A cell like the one above, made of `assert` lines, is how the course states what must be true: `assert`
# does nothing when its condition holds and stops with an error when it does not. You will meet one after most
# computations in the chapters.
#
# Numbers come in two kinds: whole numbers (`int`, such as `90`) and numbers with a decimal point (`float`,
# such as `3.0` or `0.1`). Floats are stored with about 16 significant digits, so sums can be off in the last
# digit, which is why the course compares floats with a tolerance rather than with `==`:

# %%
print(0.1 + 0.2)
print(abs((0.1 + 0.2) - 0.3) < 1e-9)  # 1e-9 is 0.000000001
assert 0.1 + 0.2 != 0.3 and abs((0.1 + 0.2) - 0.3) < 1e-9

# %% [markdown]
# A comparison (`<`, `>`, `<=`, `>=`, `==` for "equal", `!=` for "not equal") gives `True` or `False`, and
# `and`, `or`, `not` combine them. `if` runs its indented lines only when its condition is `True`; `elif` and
# `else` say what to do otherwise:

# %%
loss_value = 0.5
print(loss_value < 0.1, loss_value == 0.5, loss_value > 0.1 and loss_value != 1.0)
if loss_value < 0.1:
    verdict = "small"
elif loss_value < 1.0:
    verdict = "middling"
else:
    verdict = "large"
print(verdict)

# %%
assert verdict == "middling" and (loss_value > 0.1) is True and (loss_value != 0.5) is False

# %% [markdown]
# ## P.2 Functions
#
# A **function** is a named piece of computation: it takes inputs (its *arguments*) and gives back an output
# with `return`. Here is the model of chapter 01, a straight line: a predicted price from a size.


# %%
def predict_price(size: float, weight: float, bias: float) -> float:
    """The price the line predicts for a house of ``size`` square metres."""
    return weight * size + bias


print(predict_price(90, weight=3.0, bias=50.0))
print(predict_price(120, 3.0, 50.0))

# %%
assert predict_price(90, weight=3.0, bias=50.0) == price

# %% [markdown]
# The pieces of a function:
#
# - `def`, its name, and its arguments in brackets; the lines that belong to it are **indented** by four spaces
#   (Python knows where the function ends by the indentation, not by brackets);
# - the text between triple quotes, the *docstring*, says what it does. In the exercises, the docstring is
#   your specification: read it first;
# - `size: float` and `-> float` are *type hints*: they say what kind of value goes in and comes out. Python does
#   not enforce them; they are there for the reader;
# - `return` ends the function and hands back the value. A function without `return` gives back `None`,
#   Python's "nothing", and printing a value is not returning it. The checks catch this mistake.
#
# Arguments can be given by position (`predict_price(120, 3.0, 50.0)`) or by name (`weight=3.0`); names make a
# call easier to read.
#
# ## P.3 Text and f-strings
#
# Text is a **string**, written between quotes. `+` joins strings, `len` counts their characters, and `"\n"` is
# the newline character (one character, though it is written with two):

# %%
line = "To be, or not to be"
print(len(line), line.upper(), line.split(", "))
print("first line" + "\n" + "second line")
assert len("\n") == 1

# %% [markdown]
# An **f-string** (an `f` before the quote) puts values into text: each `{...}` is replaced by the value of what
# is inside. After a colon you can say how to write a number: `{x:.3f}` with 3 decimals, `{x:,}` with thousands
# separators, `{x:.1%}` as a percentage. The chapters print all their results this way.

# %%
loss = 2.718281828
n_weights = 175_000_000_000  # underscores in a number are only for your eyes
print(f"the loss is {loss}")
print(f"the loss is {loss:.3f}")
print(f"GPT-3 has about {n_weights:,} weights")
print(f"the model is {0.873:.1%} sure")
assert f"{loss:.3f}" == "2.718" and f"{n_weights:,}" == "175,000,000,000"

# %% [exercise primer.loss_line]
# Write `loss_line(step, loss)`: one line of a training log, such as `"step 20: loss 0.123"`, with the loss
# written with exactly three decimals.

# %%
print(loss_line(100, 2.5))

# %% [markdown]
# ## P.4 Lists and loops
#
# A **list** holds values in order, between square brackets. Each value has an **index**, its position,
# counted from **0**; negative indices count from the end, so `-1` is the last value:

# %%
from course_utils.array_plots import plot_list_indices

losses = [2.9, 2.1, 1.7, 1.5, 1.4, 1.35]
plot_list_indices(losses, "The list `losses`: each value with its index")
plt.show()

# %%
print(losses[0], losses[1], losses[-1], len(losses))
print(losses[1:4])  # a slice: from index 1 up to, but not including, index 4
print(losses[:2], losses[-2:])  # the first two, the last two
losses.append(1.3)  # add a value at the end
print(losses)

# %%
assert losses[0] == 2.9 and losses[-1] == 1.3 and losses[1:4] == [2.1, 1.7, 1.5] and len(losses) == 7

# %% [markdown]
# A `for` loop runs its indented lines once for each value of a list, giving the value a name each time.
# `range(n)` gives the whole numbers 0, 1, ..., n - 1; `enumerate` gives each value with its index, and `zip`
# walks two lists side by side:

# %%
for loss_value in losses[:3]:
    print("loss", loss_value)

for step in range(3):
    print("step", step)

for step, loss_value in enumerate(losses[:3]):
    print(f"step {step}: {loss_value}")

sizes = [50, 90, 120]
prices = [200.0, 320.0, 410.0]
for size, price in zip(sizes, prices, strict=True):  # strict: stop with an error if the lengths differ
    print(f"{size} m² sold for {price} thousand euros")

# %% [markdown]
# A **list comprehension** builds a list from a loop in one line; the chapters use them often:

# %%
squares = [number**2 for number in range(5)]
predictions = [predict_price(size, 3.0, 50.0) for size in sizes]
print(squares, predictions)
assert squares == [0, 1, 4, 9, 16] and predictions == [200.0, 320.0, 410.0]

# %% [markdown]
# To add up the values of a list, start a running total at 0 and add each value in a loop. (Python has `sum`
# for this, and numpy has `np.mean`; writing the loop once shows what they do.)

# %% [exercise primer.mean]
# Write `mean(numbers)`: the average of a list of numbers, with a `for` loop (not `sum` and not numpy).

# %%
print(mean(losses))
assert abs(mean(losses) - sum(losses) / len(losses)) < 1e-12

# %% [markdown]
# ## P.5 Dicts
#
# A **dict** maps *keys* to *values*, like a dictionary maps words to their meanings. It is written with braces,
# `{key: value, ...}`; `d[key]` looks a value up, `d[key] = value` sets one, and `key in d` asks whether the key
# is there. Chapter 03 uses a dict to turn each character into its id:

# %%
char_to_id = {"a": 0, "b": 1, "c": 2}
print(char_to_id["b"])
char_to_id["d"] = 3
print(char_to_id, len(char_to_id), "e" in char_to_id)
print(char_to_id.get("e", -1))  # .get gives a default for a missing key instead of an error

for char, char_id in char_to_id.items():
    print(f"{char!r} has id {char_id}")

# %%
assert char_to_id == {"a": 0, "b": 1, "c": 2, "d": 3} and char_to_id.get("e", -1) == -1

# %% [exercise primer.count_letters]
# Write `count_letters(text)`: a dict from each character of `text` to the number of times it occurs.

# %% [markdown]
# Counted over a verse, the counts make a picture. `sorted(..., key=..., reverse=True)` orders the characters
# by their counts, largest first (in the picture, `␣` is the space and `⏎` the newline):

# %%
from course_utils.text_plots import visible

verse = "Humpty Dumpty sat on a wall,\nHumpty Dumpty had a great fall."
counts = count_letters(verse)
by_count = sorted(counts, key=counts.get, reverse=True)
axes = new_axes("How often each character occurs in the verse", "character", "count", figsize=(9, 3.5))
axes.bar([visible(char) for char in by_count], [counts[char] for char in by_count], color=COLORS[0])
plt.show()

# %%
assert sum(counts.values()) == len(verse) and counts["u"] == 4
assert by_count[:3] == [" ", "a", "t"] and counts[" "] == 10 and counts["H"] == 2 and counts["h"] == 1

# %% [markdown]
# The space is the commonest character (10 of them), then `a` and `t`; `H` (twice) and `h` (once) are counted apart,
# because to a computer they are different characters. Chapter 03 turns such counts into a model that predicts
# the next character.
#
# ## P.6 numpy arrays
#
# A Python list is slow for arithmetic on many numbers, and `[1, 2] * 2` repeats the list rather than doubling
# its numbers. A **numpy array** holds numbers of one kind and does arithmetic on all of them at once,
# position by position, with no loop:

# %%
sizes = np.array([50.0, 90.0, 120.0])
print(sizes * 3 + 50)  # every size times 3, plus 50
print(sizes + np.array([1.0, 2.0, 3.0]))  # position by position
print(sizes.mean(), sizes.sum(), sizes.max(), sizes.shape)
print([1, 2] * 2, np.array([1, 2]) * 2)

# %%
assert np.allclose(sizes * 3 + 50, [200.0, 320.0, 410.0]) and sizes.shape == (3,)

# %% [markdown]
# Every array has a **shape**: how many numbers it has along each *axis*. A list of 3 numbers has shape `(3,)`;
# a table of 2 rows and 3 columns, a *matrix*, has shape `(2, 3)`. Axis 0 runs down the rows and axis 1 along
# the columns, so `.sum(axis=0)` adds down each column and `.sum(axis=1)` along each row:

# %%
matrix = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(matrix)
print("shape", matrix.shape, "rows", matrix.shape[0], "columns", matrix.shape[1])
print("sum of each column (axis 0):", matrix.sum(axis=0))
print("sum of each row (axis 1):   ", matrix.sum(axis=1))
print("reshaped to 3x2:\n", matrix.reshape(3, 2))
print("transposed (rows become columns):\n", matrix.T)

# %%
assert matrix.shape == (2, 3) and matrix.sum(axis=0).tolist() == [5.0, 7.0, 9.0]
assert matrix.sum(axis=1).tolist() == [6.0, 15.0] and matrix.T.shape == (3, 2)

# %% [markdown]
# numpy also makes arrays for you: `np.zeros`, `np.ones`, `np.arange` (like `range`), `np.linspace` (evenly
# spaced numbers between two ends), and random numbers from a seeded *generator*, so that the same seed gives
# the same numbers on every run. With `np.linspace` and a plot, a function becomes a curve:

# %%
x = np.linspace(-3, 3, 61)  # 61 numbers from -3 to 3, 0.1 apart
rng = np.random.default_rng(0)
noisy = x**2 + rng.normal(0, 0.5, size=x.shape)  # the curve plus random noise

axes = new_axes("y = x² computed on an array at once, and noisy samples of it", "x", "y")
axes.plot(x, x**2, color=COLORS[0], label="x ** 2")
axes.scatter(x, noisy, color=COLORS[1], s=12, label="x ** 2 + noise")
axes.legend()
plt.show()

# %%
assert x.shape == (61,) and np.isclose(x[1] - x[0], 0.1) and np.zeros((2, 3)).shape == (2, 3)

# %% [markdown]
# ## P.7 Broadcasting
#
# Arithmetic between arrays of different shapes works when numpy can stretch the smaller one to the larger:
# this is **broadcasting**. `sizes * 3` stretches the single number 3 to every position. In the same way, a row
# of one value per column is stretched down every row of a matrix: below, each column's mean is subtracted from
# that column (numpy never makes the faded copies; it computes as if they were there).

# %%
from course_utils.array_plots import plot_broadcast

heights = np.array([[1.0, 10.0, 100.0], [2.0, 20.0, 300.0], [6.0, 30.0, 200.0]])
column_means = heights.mean(axis=0)  # shape (3,): one mean per column
print("column means:", column_means)
plot_broadcast(heights, column_means, "heights - column_means: the row of means is stretched down")
plt.show()

# %%
assert column_means.tolist() == [3.0, 20.0, 200.0]
assert np.allclose((heights - column_means).mean(axis=0), 0.0)  # every column now has mean 0

# %% [markdown]
# The rule: numpy lines the shapes up **from the right**; two sizes fit if they are equal or one of them is 1
# (a missing size counts as 1), and a size of 1 is stretched. So `(3, 3)` and `(3,)` fit (the row is stretched
# down), and `(3, 1)` and `(1, 4)` make a `(3, 4)` table. When shapes do not fit, numpy stops with an error.
# Below, `try:` runs a line that we know fails, and `except ValueError as error:` catches that kind of error and
# prints its message instead of stopping the notebook (the chapters do this to show an error on purpose):

# %%
column = np.array([[1.0], [2.0], [3.0]])  # shape (3, 1)
row = np.array([[10.0, 20.0, 30.0, 40.0]])  # shape (1, 4)
print((column + row).shape)
print(column + row)
try:
    np.ones((2, 3)) + np.ones(2)
except ValueError as error:
    print("ValueError:", error)

# %%
assert (column + row).shape == (3, 4) and (column + row)[2, 3] == 43.0

# %% [exercise primer.center]
# Write `center(matrix)`: subtract from each column of `matrix` the mean of that column, by broadcasting
# (no loop).

# %%
print(center(heights))
assert np.allclose(center(heights).mean(axis=0), 0.0)

# %% [markdown]
# ## P.8 Indexing arrays
#
# Arrays are indexed like lists, with one index per axis: `matrix[row, column]`. A `:` means "all of this axis",
# and slices work on each axis:

# %%
table = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]])
print(table[0, 1])  # row 0, column 1
print(table[0])  # row 0, all of it
print(table[:, 2])  # column 2, from every row
print(table[1:, :2])  # rows 1 and 2, columns 0 and 1

# %%
assert table[0, 1] == 0.7 and table[:, 2].tolist() == [0.2, 0.2, 0.4] and table[1:, :2].shape == (2, 2)

# %% [markdown]
# Two more ways to index appear throughout the course:
#
# - a **mask**, an array of `True` and `False`, keeps the positions where it is `True` (`values[values > 0]`);
# - an **array of indices** picks those positions, in that order; with one array per axis, it picks the pairs
#   `(rows[i], columns[i])`.
#
# The second is how a model's loss is computed: each row of `table` is a model's probabilities for the three
# possible next characters, `targets` says which one really came next, and we want the probability of the
# right one in each row:

# %%
from course_utils.array_plots import plot_pick

values = np.array([3.0, -1.0, 4.0, -1.5, 5.0])
print(values > 0)
print(values[values > 0])

targets = np.array([1, 0, 2])
rows = np.arange(len(table))  # 0, 1, 2
print(table[rows, targets])
plot_pick(table, targets, "table[rows, targets]: one number from each row")
plt.show()

# %%
assert values[values > 0].tolist() == [3.0, 4.0, 5.0]
assert table[rows, targets].tolist() == [0.7, 0.5, 0.4]

# %% [exercise primer.pick]
# Write `pick(table, columns)`: from each row `i` of `table`, the number in column `columns[i]`.

# %%
print(pick(table, targets))

# %% [markdown]
# ## P.9 PyTorch tensors
#
# From chapter 01 on, models are written in PyTorch. Its **tensor** is numpy's array with two more powers: it
# can live on a GPU, and it can compute gradients for you (chapter 01 shows what they are). Tensors are made
# and indexed like arrays, and the same broadcasting rules hold:

# %%
numbers = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print(numbers, numbers.shape, numbers.dtype)
print(numbers * 10 + 1)
print(numbers.sum(dim=0))  # torch says dim where numpy says axis
print(numbers[1, 0], numbers[1, 0].item())  # .item() turns a one-number tensor into a Python number

# %% [markdown]
# Three things differ from numpy in practice:
#
# - **dtype.** Models compute in `torch.float32` (a float with about 7 significant digits, half the memory of
#   numpy's default `float64`). `torch.tensor([1, 2])` holds whole numbers (`torch.int64`), which is what ids
#   and class labels are, and is refused where floats belong; `.float()` converts.
# - **Back and forth.** `torch.from_numpy(array)` and `tensor.numpy()` convert; a tensor on a GPU must come back
#   with `.cpu()` first.
# - **Random numbers** come from a `torch.Generator` seeded by you, so that a seed gives the same numbers on any
#   machine.

# %%
ids = torch.tensor([3, 0, 2])
print(ids.dtype, ids.float().dtype)
print(torch.from_numpy(np.array([1.5, 2.5])), numbers.numpy())
draws = torch.Generator().manual_seed(0)
print(torch.randn(2, 3, generator=draws))

# %%
assert ids.dtype == torch.int64 and numbers.dtype == torch.float32
assert torch.equal(
    torch.randn(2, 3, generator=torch.Generator().manual_seed(0)),
    torch.randn(2, 3, generator=torch.Generator().manual_seed(0)),
)

# %% [markdown]
# The operation networks are made of is the **matrix product**, written `@`. For a matrix `A` of shape
# `(n, k)` and `B` of shape `(k, m)`, `A @ B` has shape `(n, m)`: its number in row `i` and column `j` is row `i`
# of `A` times column `j` of `B`, position by position, added up. The inner sizes must agree (both `k`):

# %%
inputs = torch.tensor([[1.0, 2.0, 3.0]])  # one input of 3 numbers: shape (1, 3)
weights = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])  # 3 numbers in, 2 out: shape (3, 2)
print(inputs @ weights, (inputs @ weights).shape)
print("by hand:", 1 * 1 + 2 * 0 + 3 * 1, 1 * 0 + 2 * 1 + 3 * -1)
try:
    weights @ weights
except RuntimeError as error:
    print("RuntimeError:", error)

# %%
assert (inputs @ weights).tolist() == [[4.0, -1.0]]

# %% [exercise primer.layer]
# Write `layer(inputs, weights, bias)`: `inputs` times `weights`, plus `bias`, as a layer of a network computes
# it for a whole batch of inputs at once (chapter 02 builds networks of such layers).

# %%
print(layer(inputs, weights, torch.tensor([0.5, 0.5])))

# %% [markdown]
# And the second power, in three lines: a tensor made with `requires_grad=True` remembers how every result was
# computed from it, and `.backward()` finds the slope of a result with respect to it. The slope of `x ** 2` at
# `x = 3` is `2 * 3 = 6`:

# %%
x = torch.tensor(3.0, requires_grad=True)
y = x**2
y.backward()
print(y.item(), x.grad.item())
assert x.grad.item() == 6.0

# %% [markdown]
# ## P.10 Plots as the course draws them
#
# Every idea in the course comes with a picture, drawn with matplotlib. The pattern is always the same: make
# axes with a title and labelled axes (`new_axes` from `course_utils.plotting` does this in one line), draw on
# them (`plot` for lines, `scatter` for points, `bar` for bars, `imshow` for a matrix as colours), add a legend
# if there are several things, and `plt.show()`. Several panels side by side come from `plt.subplots`:

# %%
steps = np.arange(1, 51)
training_loss = 3.0 / np.sqrt(steps) + 0.05 * rng.normal(size=steps.shape)

figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
left.plot(steps, training_loss, color=COLORS[0], label="training loss")
left.axhline(0.5, color="grey", linestyle="--", label="a target")
left.set(title="A loss curve (plot)", xlabel="step", ylabel="loss")
left.legend()
image = right.imshow(table, cmap="Blues", vmin=0, vmax=1)
right.set(title="A matrix as colours (imshow)", xlabel="column", ylabel="row")
right.set_xticks(range(table.shape[1]))
right.set_yticks(range(table.shape[0]))
right.grid(False)
figure.colorbar(image, ax=right, label="value")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## Summary
#
# - **Names, functions, `return`.** A function turns its arguments into a value; its docstring is its
#   specification, and printing is not returning (`loss_line`, `mean`).
# - **f-strings** write numbers into text: `f"{loss:.3f}"` (`loss_line`).
# - **Lists** are indexed from 0 (`-1` is the last), sliced with `[start:stop]`, walked with `for`, `range`,
#   `enumerate` and `zip` (`mean`); **dicts** map keys to values (`count_letters`).
# - **numpy arrays** compute on all their numbers at once; every array has a shape, and `axis=0` runs down the
#   rows. **Broadcasting** stretches a size of 1 (`center`). Arrays are indexed by position, by mask and by
#   arrays of indices (`pick`).
# - **PyTorch tensors** are arrays that can live on a GPU and find gradients; models compute in `float32`, and a
#   layer is `inputs @ weights + bias` (`layer`).
# - **Plots** have a title and labelled axes, and a legend when they show several things.
#
# **Next:** chapter 00, a tour of a GPT from the outside, uses strings, lists, dicts and f-strings; chapter 01
# uses numpy arrays and, at its end, PyTorch. When a line in a chapter puzzles you, come back to the section
# here that it uses.
