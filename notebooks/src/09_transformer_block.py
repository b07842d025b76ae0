# %% [markdown]
# # 09 The transformer block: MLP, residuals, layer norm, dropout, positions
#
# Chapter 08 built attention: the step in which tokens look at each other. A GPT is a stack of **blocks**, and
# attention is only half of one. In this chapter you build the other half and the wiring that holds a block
# together:
#
# - the **MLP**, where each token's vector is widened, bent by a GELU and projected back, and where most of a
#   GPT's weights live;
# - **residual connections**, which add each part's output to a running sum, the *residual stream*, and without
#   which a deep stack hardly trains (you will measure it);
# - **layer normalisation**, which gives every vector the same scale before a part reads it;
# - **dropout**, which switches random numbers off in training, and how it is scaled;
# - **positions**: attention alone cannot tell the order of its tokens, so the model is told;
# - and the **block** itself, pre-norm as GPT-2 has it, compared with the post-norm of the original transformer.
#
# Every piece is checked against torch (`nn.GELU`, `nn.LayerNorm`, `nn.Dropout`) and against the course's own
# GPT, so that chapter 10 can stack your blocks into a whole model.
#
# **You need** attention (chapter 08), matrix products (chapter 05), a network with a hidden layer and its
# training loop (chapter 02) and the softmax (chapter 07). The mean and the standard deviation of a list of
# numbers (the square root of the mean squared difference from the mean) appear in section 9.4.
#
# **Time**: 60 to 90 minutes, six exercises included. (In the course's tests, fast mode `COURSE_FAST=1`, the
# notebook took about 30 s of CPU time on a busy 2-core machine, kernel start included; most of it goes to the
# training experiments of sections 9.5 and 9.8.)
#
# | section | idea | you write |
# |---|---|---|
# | 9.1 | the block at a glance | |
# | 9.2 | the MLP's non-linearity: GELU | `gelu` |
# | 9.3 | the MLP: up, GELU, down; where the weights live; a fact as a key and a value | `mlp` |
# | 9.4 | layer normalisation | `layer_norm` |
# | 9.5 | residual connections: the stream, and a 12-layer stack with and without them | |
# | 9.6 | dropout, and why evaluation needs no rescaling | `dropout` |
# | 9.7 | positions: what attention cannot see, learned and sinusoidal encodings | `sinusoidal_encoding` |
# | 9.8 | the block: pre-norm, post-norm, and GPT-2's smaller initialisation | `block_forward` |
# | 9.9 | your parts run the tour's GPT | |

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

from course_utils import scaled, seed_everything, validate  # noqa: F401 - the solutions use validate
from course_utils.attention import attention_scores, attention_weights, causal_mask
from course_utils.block import check_matrix, check_vector  # noqa: F401 - the solutions use them
from course_utils.block import gelu_tanh
from course_utils.block_plots import draw_block
from course_utils.gpt import GPT, GPTConfig, next_token_loss
from course_utils.plotting import COLORS, new_axes, plot_matrices
from course_utils.tour import load_tour_model

generator = seed_everything(0)
# Every tensor in this chapter is small: one thread runs them fastest, where several would spend more time waiting
# for each other than computing.
torch.set_num_threads(1)

# %% [markdown]
# ## 9.1 The block at a glance
#
# Every token enters the first block as a vector of C numbers (its embedding plus its position's). A block
# changes those vectors in two steps, and the same recipe repeats in every block of the stack:
#
# 1. **attention** (chapter 08): each token gathers information from the tokens before it;
# 2. the **MLP**: each token, on its own, is pushed through a small two-layer network.
#
# Each step reads a layer-normalised copy of the vectors, and its output is **added** to them: the vectors
# themselves flow straight up through the block (the vertical line, the *residual stream*), and each part only
# writes a correction onto them. On the left is GPT-2's wiring, which the course's GPT uses; on the right the
# original transformer's, which section 9.8 compares.

# %%
figure, (left, right) = plt.subplots(1, 2, figsize=(8.4, 6.6))
draw_block("pre", left)
draw_block("post", right)
plt.show()

# %% [markdown]
# The course's `Block` (in `course_utils/gpt.py`) has exactly these parts, with GPT-2's names:

# %%
tour = load_tour_model()
model, vocab = tour.model, tour.vocab
block = model.h[0]
print(block)
C = model.config.d_model
assert [name for name, _ in block.named_children()] == ["ln_1", "attn", "ln_2", "mlp"] and C == 96

# %% [markdown]
# ## 9.2 The MLP's non-linearity: GELU
#
# Chapter 02's network bent its hidden layer with ReLU, max(0, x). GPT-2 uses the **GELU** (Gaussian error linear
# unit): x times the probability that a standard normal number is below x,
#
# `gelu(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2))`,
#
# where `erf` is the error function (`torch.erf`) and Φ the normal distribution's cumulative probability. For a
# large positive x, Φ(x) is almost 1 and gelu(x) ≈ x; for a large negative x, Φ(x) is almost 0 and gelu(x) ≈ 0:
# like ReLU far from 0, but smooth near it, and slightly negative for small negative x.

# %% [exercise ch09.gelu]
# Write `gelu(x)`: the exact GELU, `0.5 * x * (1 + erf(x / sqrt(2)))`, element by element, for a float tensor of
# any shape. Use `torch.erf` (Python's `math.erf` takes one number at a time).

# %% [markdown]
# In 2018 computing erf was slow on some hardware, and GPT-2's code used a **tanh approximation**,
# `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`. torch has both: `nn.GELU()` is the exact form and
# `nn.GELU(approximate="tanh")` the approximation. How far apart are they?

# %%
xs = torch.linspace(-5, 5, 2001, dtype=torch.float64)
exact, approximate = gelu(xs), gelu_tanh(xs)
difference = (exact - approximate).abs()
largest_difference, where = difference.max().item(), xs[difference.argmax()].item()
figure, (curves, gap) = plt.subplots(1, 2, figsize=(11, 3.8))
curves.plot(xs, torch.relu(xs), color="grey", linestyle=":", label="ReLU")
curves.plot(xs, exact, color=COLORS[0], label="GELU, exact (erf)")
curves.plot(xs, approximate, color=COLORS[1], linestyle="--", label="GELU, tanh form")
curves.set(title="GELU is a smooth ReLU", xlabel="x", ylabel="activation", ylim=(-0.5, 3))
curves.legend()
gap.plot(xs, exact - approximate, color=COLORS[3])
gap.axvline(where, color="grey", linestyle=":")
gap.set(title=f"exact minus tanh form: at most {largest_difference:.1e}", xlabel="x", ylabel="difference")
plt.show()
print(f"largest difference {largest_difference:.2e} at x = {where:.2f}; smallest GELU value {exact.min().item():.4f}")
torch.testing.assert_close(gelu(xs.float()), nn.GELU()(xs.float()))
torch.testing.assert_close(gelu_tanh(xs.float()), nn.GELU(approximate="tanh")(xs.float()))
assert 4.5e-4 < largest_difference < 5e-4 and 2.6 < abs(where) < 2.8
assert -0.171 < exact.min().item() < -0.169 and -0.8 < xs[exact.argmin()].item() < -0.7

# %% [markdown]
# The two curves cannot be told apart by eye: they differ by at most 4.7e-4 (near x = ±2.7), and your `gelu`
# matches `nn.GELU()` to float rounding. The smallest value of the GELU is -0.17 (near x = -0.75). The difference
# is small but not zero: chapter 11 loads GPT-2's trained weights, and there the choice of form changes the
# logits slightly, so it must match what GPT-2 was trained with.
#
# ## 9.3 The MLP: up, GELU, down
#
# The MLP of a block is the network of chapter 02, applied to every token's vector on its own: multiply by
# `w_fc` (C, 4C) to get 4C numbers (the "up-projection"), bend them with the GELU, and multiply by `w_proj`
# (4C, C) to come back to C numbers ("down"). Tokens do not talk to each other here: that was attention's job.
# The seed video describes it as asking each vector a long list of questions (one per hidden number) and
# updating it with the answers.

# %% [exercise ch09.mlp]
# Write `mlp(x, w_fc, b_fc, w_proj, b_proj)`: `gelu(x @ w_fc + b_fc) @ w_proj + b_proj` with your exact `gelu`.
# `x` is (..., C), `w_fc` (C, H), `b_fc` (H,), `w_proj` (H, C), `b_proj` (C,); the result has the shape of `x`.

# %% [markdown]
# The course's `MLP` stores its two layers as `nn.Linear`s, `c_fc` and `c_proj`, with GPT-2's names. An
# `nn.Linear` stores its weight as (out, in) and computes `x @ weight.T + bias`, so the `w_fc` of your function
# is `c_fc.weight.T`. The tour model's first MLP and yours give the same numbers:

# %%
x_tokens = torch.randn(2, 5, C, generator=generator)
tour_mlp = block.mlp
with torch.no_grad():
    ours = mlp(x_tokens, tour_mlp.c_fc.weight.T, tour_mlp.c_fc.bias, tour_mlp.c_proj.weight.T, tour_mlp.c_proj.bias)
    torchs = tour_mlp(x_tokens)
print(f"w_fc {tuple(tour_mlp.c_fc.weight.T.shape)}, w_proj {tuple(tour_mlp.c_proj.weight.T.shape)}")
print(f"largest difference from the tour model's MLP: {(ours - torchs).abs().max().item():.1e}")
torch.testing.assert_close(ours, torchs, atol=1e-5, rtol=1e-5)

# %% [markdown]
# **Where the weights live.** Count them. Attention has four (C, C) matrices (queries, keys and values, and the
# output projection): 4C². The MLP has a (C, 4C) and a (4C, C) matrix: 8C². So two thirds of a block's matrix
# weights are in its MLP, at any width:

# %%
attention_count = sum(p.numel() for p in block.attn.parameters())
mlp_count = sum(p.numel() for p in block.mlp.parameters())
norm_count = sum(p.numel() for p in (*block.ln_1.parameters(), *block.ln_2.parameters()))
block_count = sum(p.numel() for p in block.parameters())
print(f"tour block: attention {attention_count:,}, MLP {mlp_count:,}, layer norms {norm_count:,}, all {block_count:,}")
print(f"the MLP's share: {mlp_count / block_count:.1%}")
assert attention_count == 4 * C * C + 4 * C and mlp_count == 8 * C * C + 5 * C and norm_count == 4 * C
assert block_count == 12 * C * C + 13 * C == 111_840

C_gpt3, n_layer_gpt3 = 12_288, 96
mlp_gpt3 = 8 * C_gpt3 * C_gpt3 * n_layer_gpt3
print(f"GPT-3: {mlp_gpt3:,} MLP weights in {n_layer_gpt3} layers, {mlp_gpt3 / 175e9:.0%} of its 175 billion")
assert mlp_gpt3 == 115_964_116_992 and 0.66 < mlp_gpt3 / 175e9 < 0.67

# %% [markdown]
# In the tour's block the MLP holds 74,208 of 111,840 weights (66.4%), and in GPT-3 about 116 billion of 175
# billion (66%). (The biases and layer norms add only 13C per block.)
#
# **What might a hidden number do?** Read the MLP one hidden number at a time. Hidden number j has a column of
# `w_fc`, a **key**: its value before the GELU is the dot product of the token's vector with that key, plus a
# bias, so it is large when the vector points along the key. After the GELU it is about 0 unless the key
# matched. Then row j of `w_proj`, a **value**, is added to the output in proportion. So the MLP is a sum over
# hidden numbers of *how well the vector matched key j* times *value j*: a soft lookup table.
#
# Here is one built by hand, to see the mechanism. Take vectors with four made-up directions: *first name
# Michael*, *last name Jordan*, *basketball*, *physics*. One hidden number has the key "Michael and Jordan"
# with a bias of -1, so that it only fires when both are present, and the value "basketball".

# %%
features = ["Michael", "Jordan", "basketball", "physics"]
w_fc_fact = torch.tensor([[1.0], [1.0], [0.0], [0.0]])  # one key: Michael + Jordan
b_fc_fact = torch.tensor([-1.0])  # fires only when both match (a sum above 1)
w_proj_fact = torch.tensor([[0.0, 0.0, 1.0, 0.0]])  # its value: add "basketball"
b_proj_fact = torch.zeros(4)
people = torch.tensor([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
names = ["Michael Jordan", "Michael (another)", "Jordan (another)", "a physicist"]
added = mlp(people, w_fc_fact, b_fc_fact, w_proj_fact, b_proj_fact)
hidden_fact = gelu(people @ w_fc_fact + b_fc_fact)
plot_matrices(
    [people, w_fc_fact, hidden_fact, w_proj_fact, added],
    ["4 tokens x 4 features", "key (w_fc)", "gelu(x·key - 1)", "value (w_proj)", "added"],
    ["@", "→", "@", "="],
    decimals=2,
)
plt.show()
for name, row in zip(names, added, strict=True):
    print(f"{name:18}: adds {row[2].item():+.3f} to 'basketball'")
assert added[0, 2] > 0.8 and abs(added[1, 2]) < 0.01 and abs(added[2, 2]) < 0.01
assert -0.16 < added[3, 2] < -0.15  # gelu(-1): the GELU's small negative dip

# %% [markdown]
# Only the vector that holds both names gets "basketball" added (0.84); one name alone gives gelu(0) = 0. The
# physicist, with neither name, scores -1 and gets gelu(-1) = -0.16: a little "basketball" *subtracted*, through
# the GELU's negative dip. Even built by hand, the lookup is soft and leaks. This is a picture of what the
# arithmetic *can* do, not a claim about how a trained model stores facts. Research on
# trained transformers finds some hidden numbers that behave a little like this, but most respond to many
# unrelated things at once, and a fact, where it is stored at all, is usually spread over many hidden numbers and
# layers. What is certain is the count: two thirds of the weights are here, and a GPT must keep what it knows
# somewhere.
#
# ## 9.4 Layer normalisation
#
# As vectors pass through a stack of blocks, their size drifts: some grow, some shrink, and a part that reads
# them would have to cope with any scale. **Layer normalisation** gives every vector the same scale before a
# part reads it. For one vector of C numbers:
#
# 1. subtract its mean m (the mean of its C numbers), so that it is centred on 0;
# 2. divide by its standard deviation, `sqrt(variance + eps)`, where the variance is the mean of the squared
#    differences from m (dividing by C, the *biased* variance, as torch does) and `eps` (1e-5) is a small number
#    that keeps the division safe when the variance is 0;
# 3. multiply by a learned **scale** `weight` and add a learned **shift** `bias` (C numbers each), so that the
#    model can undo the normalisation where it helps.
#
# It works on each vector alone, over its own numbers (the last axis): unlike batch normalisation it does not
# mix tokens or examples.

# %% [exercise ch09.layer_norm]
# Write `layer_norm(x, weight, bias, eps=1e-5)`: normalise each vector of `x` (..., C) over its last axis with the
# biased variance and `eps` inside the square root, then multiply by `weight` (C,) and add `bias` (C,). Keep the
# dimension you average over (`keepdim=True`) so that the subtraction broadcasts.

# %% [markdown]
# Here is what it does to a real vector: the residual stream of the last token of a line, after the tour model's
# third block (the stream is section 9.5's subject; here it is just 96 numbers).

# %%
line = "ROMEO.\nBut soft, what light through yonder window breaks?"
line_ids = torch.tensor([vocab.encode(line)])
with torch.no_grad():
    stream = model.wte(line_ids) + model.wpe(torch.arange(line_ids.shape[1]))
    for tour_block in model.h[:3]:
        stream = tour_block(stream)
vector = stream[0, -1]  # (96,)
ones, zeros = torch.ones(C), torch.zeros(C)
normalised = layer_norm(vector, ones, zeros)  # scale 1, shift 0: the normalisation alone
scaled_shifted = layer_norm(vector, block.ln_2.weight.detach(), block.ln_2.bias.detach())
figure, axes_row = plt.subplots(1, 3, figsize=(12, 3.2), sharey=False)
for axes, values, title in zip(
    axes_row,
    (vector, normalised, scaled_shifted),
    ("the stream's vector", "normalised: mean 0, std 1", "then the tour's ln_2 scale and shift"),
    strict=True,
):
    axes.bar(range(C), values, color=COLORS[0], width=1.0)
    axes.axhline(values.mean(), color=COLORS[3], linestyle="--", linewidth=1)
    axes.set(title=f"{title}\nmean {values.mean():.2f}, std {values.std(unbiased=False):.2f}", xlabel="feature")
plt.show()
print(f"before: mean {vector.mean():.3f}, std {vector.std(unbiased=False):.3f}")
print(f"after:  mean {normalised.mean():.1e}, std {normalised.std(unbiased=False):.5f}")
assert abs(normalised.mean()) < 1e-5 and abs(normalised.std(unbiased=False) - 1) < 1e-4
assert vector.std(unbiased=False) > 3 and vector.max() > 3 * vector.std(unbiased=False)
torch.testing.assert_close(layer_norm(stream, block.ln_2.weight, block.ln_2.bias), block.ln_2(stream))
torch.testing.assert_close(layer_norm(stream, ones, zeros), F.layer_norm(stream, (C,)))

# %% [markdown]
# The stream's vector has a spread of more than 3, and a few features stand far out (the largest is more than three
# standard deviations above the mean); after the normalisation its mean is 0 and its standard deviation 1, whatever they
# were before, and the tour's learned scale and shift then stretch some features and move others. Your function and
# `nn.LayerNorm` agree.
#
# Two details matter. **The biased variance**: torch's `x.var()` divides by C - 1 by default (the unbiased
# estimate of a population's variance); layer norm divides by C. And **eps inside the square root**: it matters
# most for a vector whose numbers are almost equal.

# %%
flat = torch.tensor([1.0, 1.0, 1.0, 1.0])
almost_flat = torch.tensor([1.0, 1.001, 0.999, 1.0])


def rounded(values: torch.Tensor) -> list[float]:
    return [round(v, 3) for v in values.tolist()]


unbiased = (almost_flat - almost_flat.mean()) / almost_flat.var().sqrt()
no_eps = (flat - flat.mean()) / ((flat - flat.mean()) ** 2).mean().sqrt()  # by hand: layer_norm refuses eps = 0
print("a constant vector, no eps:     ", rounded(no_eps))
print("a constant vector, tiny eps:   ", rounded(layer_norm(flat, ones[:4], zeros[:4], eps=1e-30)))
print("almost constant, eps = 1e-5:   ", rounded(layer_norm(almost_flat, ones[:4], zeros[:4])))
print("almost constant, tiny eps:     ", rounded(layer_norm(almost_flat, ones[:4], zeros[:4], eps=1e-30)))
print("divided by the unbiased std:   ", rounded(unbiased))
assert torch.isnan(no_eps).all() and torch.equal(layer_norm(flat, ones[:4], zeros[:4], eps=1e-30), torch.zeros(4))
assert abs(layer_norm(almost_flat, ones[:4], zeros[:4])[1] - 0.309) < 0.001 and abs(unbiased[1] - 1.225) < 0.001
assert abs(layer_norm(almost_flat, ones[:4], zeros[:4], 1e-30)[1] - math.sqrt(2)) < 0.001

# %% [markdown]
# Without eps a constant vector is 0 / 0 = nan; with any eps above 0 it becomes zeros (0 / sqrt(0 + eps)). A vector that
# differs from constant only by tiny noise (±0.001) has a variance of 5e-7, smaller than eps = 1e-5: eps then keeps the
# noise small (0.31) instead of blowing it up to the scale of a real signal (1.41). And the unbiased standard deviation
# gives different numbers (1.22): close, but not what `nn.LayerNorm` computes.
#
# ## 9.5 Residual connections: a running sum
#
# In a block, each part's output is **added** to its input: `x = x + attn(ln_1(x))`, then
# `x = x + mlp(ln_2(x))`. Follow one token through the whole tour model: its vector starts as embedding plus
# position, and every part of every block adds one correction. The final vector (before the last layer norm)
# is just the sum of all of them. That running sum is the **residual stream**: the parts read from it and write
# to it, and nothing else touches it.

# %%
with torch.no_grad():
    x = model.wte(line_ids) + model.wpe(torch.arange(line_ids.shape[1]))
    contributions, labels = [x[0, -1].clone()], ["embedding\n+ position"]
    for index, tour_block in enumerate(model.h):
        for part, norm, name in ((tour_block.attn, tour_block.ln_1, "attn"), (tour_block.mlp, tour_block.ln_2, "mlp")):
            written = part(norm(x))
            x = x + written
            contributions.append(written[0, -1].clone())
            labels.append(f"{name} {index}")
    final_stream = x[0, -1]
    running = torch.stack(contributions).cumsum(dim=0)  # the stream after each part
axes = new_axes("What each part writes to the last token's stream", "", "size (norm) of the vector")
axes.bar(range(len(labels)), [c.norm().item() for c in contributions], color=COLORS[0], label="what the part adds")
axes.plot(range(len(labels)), running.norm(dim=1), color=COLORS[1], marker="o", label="the stream so far")
axes.set_xticks(range(len(labels)), labels, fontsize=8)
axes.legend()
plt.show()
torch.testing.assert_close(torch.stack(contributions).sum(dim=0), final_stream)
print(f"{len(contributions)} vectors add up to the final stream (size {final_stream.norm():.1f})")
sizes_written = torch.stack(contributions).norm(dim=1)
assert len(contributions) == 1 + 2 * model.config.n_layer == 9
assert sizes_written.argmax() == 2 and sizes_written[1] < 1  # mlp 0 writes the most, attn 0 almost nothing

# %% [markdown]
# Nine vectors, the embedding and one from each of the eight parts, add up exactly to the final stream. For this
# token the first MLP writes by far the largest vector, and the first attention layer almost nothing: a part
# that has nothing useful to say can write almost nothing, and the stream passes through it unchanged.
#
# **Why it matters for training.** Chapter 02's backpropagation multiplies, layer by layer, the gradient by each
# layer's derivative. In a plain stack of 12 layers, a gradient that reaches layer 1 has been multiplied 12
# times, and if each factor is small it all but vanishes: the first layers hardly learn. With a residual
# connection, the derivative of `x + f(x)` is `1 + f'(x)`: the `1` carries the gradient straight down the
# stream, past every part.
#
# Let us measure it. The task: a sequence of 8 random tokens (from a vocabulary of 8), where the right next
# "token" at each position is the one *before* it. To do this a model must look back one position, with
# attention; guessing gives a loss of ln 8 = 2.08. We train two 12-block stacks of the course's blocks, the same
# in everything (sizes, initialisation, data, learning rate) except that one adds each part's output to the
# stream and the other replaces the stream with it. Below, `stack_forward` runs a GPT's blocks either way, and
# with `norm="post"` the original transformer's way (section 9.8); `train_stack` trains a fresh 12-block model
# and records the loss at every step and, at the first step, two things at each block's input: how much the
# tokens' vectors differ from each other, and the size of the gradient that reaches it. It trains with **Adam**
# (`torch.optim.AdamW`; chapter 10 explains it), the optimiser GPTs use: a gradient descent that divides each
# weight's step by the typical size of that weight's own gradient, so that every weight moves at about the
# learning rate's pace, whether its gradient is large or tiny.

# %%
VOCAB_TASK, T_TASK, WIDTH, DEPTH, BATCH = 8, 8, 32, 12, 16
STEPS = scaled(full=150, fast=40)


def stack_forward(model, ids, residual=True, norm="pre", streams=None):
    """Logits of ``model`` on ``ids``, its blocks wired with or without residuals, pre-norm or post-norm.

    ``streams``: a list that receives the stream entering each block (with its gradient kept).
    """
    x = model.wte(ids) + model.wpe(torch.arange(ids.shape[1]))
    for layer in model.h:
        if streams is not None:
            x.retain_grad()  # keep the gradient of this intermediate tensor, to measure it
            streams.append(x)
        for ln, part in ((layer.ln_1, layer.attn), (layer.ln_2, layer.mlp)):
            if norm == "pre":
                out = part(ln(x))
                x = x + out if residual else out
            else:  # post-norm: add first, normalise the sum
                x = ln(x + part(x) if residual else part(x))
    return model.lm_head(model.ln_f(x))


def token_spread(stream):
    """How much the tokens of a sequence differ: the share of the stream's variance that is not common to all
    tokens of the sequence (0: every token has the same vector)."""
    between_tokens = (stream - stream.mean(dim=1, keepdim=True)).pow(2).mean()
    return (between_tokens / (stream - stream.mean(dim=(1, 2), keepdim=True)).pow(2).mean()).item()


def train_stack(residual=True, norm="pre", lr=1e-2, steps=STEPS, seed=0):
    """Train a fresh 12-block GPT on 'repeat the previous token'. Return the losses; at the first step, the
    gradient's size and the tokens' spread at each block's input; and how far block 1's weights moved in training
    (relative to their size at the start)."""
    torch.manual_seed(seed)  # the same initial weights for every wiring
    stack = GPT(GPTConfig(vocab_size=VOCAB_TASK, context=T_TASK, n_layer=DEPTH, n_head=2, d_model=WIDTH))
    block_1_at_start = torch.cat([p.detach().flatten() for p in stack.h[0].parameters()])
    optimizer = torch.optim.AdamW(stack.parameters(), lr=lr, weight_decay=0.0, foreach=True)
    data = torch.Generator().manual_seed(seed + 1)  # the same batches for every wiring
    losses, gradient_sizes, spreads = [], [], []
    for step in range(steps):
        ids = torch.randint(VOCAB_TASK, (BATCH, T_TASK), generator=data)
        streams = [] if step == 0 else None
        logits = stack_forward(stack, ids, residual, norm, streams)
        loss = next_token_loss(logits[:, 1:], ids[:, :-1])  # position t must name the token at t - 1
        optimizer.zero_grad()
        loss.backward()
        if step == 0:
            gradient_sizes = [s.grad.norm().item() for s in streams]
            spreads = [token_spread(s.detach()) for s in streams]
        optimizer.step()
        losses.append(loss.item())
    block_1_now = torch.cat([p.detach().flatten() for p in stack.h[0].parameters()])
    moved = ((block_1_now - block_1_at_start).norm() / block_1_at_start.norm()).item()
    return losses, gradient_sizes, spreads, moved


with_residual, gradients_with, spread_with, moved_with = train_stack(residual=True)
without_residual, gradients_without, spread_without, moved_without = train_stack(residual=False)

# %%
figure, (loss_axes, spread_axes, gradient_axes) = plt.subplots(1, 3, figsize=(15, 4))
loss_axes.plot(with_residual, color=COLORS[0], label="with residuals: x + part(ln(x))")
loss_axes.plot(without_residual, color=COLORS[3], label="without: part(ln(x))")
loss_axes.axhline(math.log(VOCAB_TASK), color="grey", linestyle=":", label="guessing: ln 8")
loss_axes.set(title="12 blocks, 'repeat the previous token':\nthe loss", xlabel="step", ylabel="loss")
loss_axes.legend()
blocks_axis = range(1, DEPTH + 1)
spread_axes.semilogy(blocks_axis, spread_with, color=COLORS[0], marker="o", label="with residuals")
spread_axes.semilogy(blocks_axis, spread_without, color=COLORS[3], marker="o", label="without")
spread_axes.set(title="forward, step 1:\nhow much the tokens differ", xlabel="block (its input)", ylabel="token spread")
spread_axes.legend()
gradient_axes.semilogy(blocks_axis, gradients_with, color=COLORS[0], marker="o", label="with residuals")
gradient_axes.semilogy(blocks_axis, gradients_without, color=COLORS[3], marker="o", label="without")
gradient_axes.set(
    title="backward, step 1:\nthe gradient reaching each block", xlabel="block (its input)", ylabel="gradient norm"
)
gradient_axes.legend()
plt.show()


def final_loss(losses: list[float]) -> float:
    return sum(losses[-5:]) / 5  # the mean of the last 5 steps: one batch's loss is noisy


ratio_with, ratio_without = gradients_with[0] / gradients_with[-1], gradients_without[0] / gradients_without[-1]
print(f"final loss: {final_loss(with_residual):.2f} with residuals, {final_loss(without_residual):.2f} without")
print(f"gradient at block 1 / at block 12: {ratio_with:.2f} with residuals, {ratio_without:.1e} without")
print(f"token spread entering block 12: {spread_with[-1]:.2f} with residuals, {spread_without[-1]:.0e} without")
print(f"block 1's weights moved by {moved_with:.0%} of their size with residuals, {moved_without:.0%} without")
assert final_loss(with_residual) < final_loss(without_residual) - 0.5
assert final_loss(without_residual) > math.log(VOCAB_TASK) - 0.05
assert 0.5 < ratio_with < 2 and 1 / 2000 < ratio_without < 1 / 1000
assert 0.8 < spread_without[0] < 0.9 and spread_without[1] < spread_without[0] / 2 and spread_without[-1] < 1e-5
assert spread_with[-1] > 0.5
assert moved_without > moved_with / 2  # Adam moved block 1 as much, or nearly, without residuals

# %% [markdown]
# With residuals the loss falls well below guessing; without them it stays at ln 8 = 2.08 for the whole run: the
# stack learns nothing. The two right-hand pictures show why, one in each direction.
#
# - **Forward** (middle): a fresh attention layer scores its tokens almost equally, so each token receives
#   nearly the average of the tokens it sees. With a residual, the token's own vector flows past that average in
#   the stream; without one, nothing carries it, and block after block the tokens' vectors become the same: the
#   share of the stream that differs from token to token falls from 0.84 to about 2e-6 by block 12. The last
#   blocks can hardly tell which token came before: there is almost nothing left to predict it from.
# - **Backward** (right): the same loss of information, seen by the gradient. With residuals the gradient
#   reaching block 1 is about as large as the one reaching block 12 (ratio about 1); without them block 1 gets
#   about 1/1,400 of what block 12 gets: the loss hardly depends on what enters the early blocks.
#
# What the small gradient does *not* mean here: that block 1 stands still. Adam rescales each weight's step, and
# block 1's weights moved nearly as far without residuals as with them (the last printed line). With chapter
# 02's plain gradient descent they would indeed barely move; with Adam they move, but whatever they compute is
# washed out before it reaches the output. (One seed and one small task: enough to see the effect, not to
# measure its size.)
#
# ## 9.6 Dropout
#
# A large model can memorise its training text instead of learning what generalises. **Dropout** is a simple
# defence: in training, each number of a layer's output is set to 0 with probability p (0.1 is usual), a
# different random choice at every step. No number can rely on one particular other number being there, so
# the model learns redundant ways to the answer; the seed compares it to training many thinner networks that
# share weights, and averaging them at the end.
#
# At evaluation nothing is dropped. But then every number is "on", where in training only a share 1 - p was:
# the next layer sees sums about 1 / (1 - p) times larger than it was trained on. There are two ways to fix it:
#
# - the **seed's form** (the original 2014 paper): train without rescaling, and multiply by (1 - p) at
#   evaluation;
# - **inverted dropout** (what torch and every GPT do): divide the surviving numbers by (1 - p) in training, and
#   leave evaluation alone. The model then runs at evaluation exactly as written, with no dropout code at all.

# %% [exercise ch09.dropout]
# Write `dropout(x, p, training, generator)`: if `training` is False, return `x`. Otherwise zero each number with
# probability `p` and divide the rest by `1 - p`. Draw the random numbers with
# `torch.rand(x.shape, generator=generator)`, so that a seeded generator gives the same result every time (the
# check compares statistics, not your exact draws).

# %%
ones_grid = torch.ones(8, 24)
p_drop = 0.25
dropped = dropout(ones_grid, p_drop, True, torch.Generator().manual_seed(1))
evaluated = dropout(ones_grid, p_drop, False, torch.Generator().manual_seed(1))
figure, (train_axes, eval_axes) = plt.subplots(1, 2, figsize=(12, 2.6))
for axes, grid, title in ((train_axes, dropped, "training"), (eval_axes, evaluated, "evaluation")):
    image = axes.imshow(grid, cmap="Blues", vmin=0, vmax=1.5)
    axes.set(title=f"dropout(ones, p = {p_drop}), {title}", xticks=[], yticks=[])
figure.colorbar(image, ax=[train_axes, eval_axes], shrink=0.8)
plt.show()
share_zeroed = (dropped == 0).float().mean().item()
print(f"training: {share_zeroed:.0%} zeroed, the survivors are {dropped.max().item():.4f} (1 / 0.75 = {1 / 0.75:.4f})")
survivors = dropped[dropped != 0]
assert torch.allclose(survivors, torch.full_like(survivors, 1 / 0.75)) and 0.15 < share_zeroed < 0.35
assert torch.equal(evaluated, ones_grid)
torch_dropout = nn.Dropout(p_drop)
torch_dropped = torch_dropout(ones_grid)
torch_survivors = torch_dropped[torch_dropped != 0]
assert torch.allclose(torch_survivors, torch.full_like(torch_survivors, 1 / 0.75))  # torch scales the same way
assert torch.equal(torch_dropout.eval()(ones_grid), ones_grid)

# %% [markdown]
# In training about a quarter of the numbers are zeroed (white) and the rest are 1.3333; in evaluation the
# numbers pass unchanged. `nn.Dropout` does the same.
#
# Do the two forms really agree? What must hold is that, **on average over the random draws**, a number in
# training is what it is at evaluation. Measure it: run both forms many times on the same vector and average.

# %%
draws = scaled(full=20_000, fast=2_000)
x_vector = torch.linspace(-2, 2, 12)
masks = torch.rand(draws, 12, generator=generator) >= p_drop  # True where a number is kept
inverted_training = (x_vector * masks / (1 - p_drop)).mean(dim=0)  # the mean over all draws
inverted_evaluation = x_vector
seed_training = (x_vector * masks).mean(dim=0)
seed_evaluation = x_vector * (1 - p_drop)
figure, (inverted_axes, seed_axes) = plt.subplots(1, 2, figsize=(12, 3.4), sharey=True)
for axes, training_mean, evaluation, title in (
    (inverted_axes, inverted_training, inverted_evaluation, "inverted: ÷(1-p) in training"),
    (seed_axes, seed_training, seed_evaluation, "the seed's form: ×(1-p) at evaluation"),
):
    axes.plot(x_vector, evaluation, color=COLORS[1], marker="s", linestyle="none", label="evaluation output")
    axes.plot(
        x_vector, training_mean, color=COLORS[0], marker=".", linestyle="none", label=f"training, mean of {draws} draws"
    )
    axes.set(title=title, xlabel="input number x")
    axes.legend()
inverted_axes.set_ylabel("output")
plt.show()
tolerance = 6 * 2 * math.sqrt(p_drop / (1 - p_drop) / draws)  # 6 standard errors of a mean, for |x| up to 2
gap_inverted = (inverted_training - inverted_evaluation).abs().max().item()
gap_seed = (seed_training - seed_evaluation).abs().max().item()
print(f"largest gap between the training mean and evaluation: inverted {gap_inverted:.3f}, seed's form {gap_seed:.3f}")
assert gap_inverted < tolerance and gap_seed < tolerance

# %% [markdown]
# Both forms agree in expectation: the mean of the training outputs matches the evaluation output within the
# noise of a finite average (both gaps are a few hundredths with 2,000 draws, smaller with more). They differ in
# where the factor goes, and inverted dropout puts it where it costs nothing at evaluation. The course's
# `GPTConfig(dropout=...)` sets p for every `nn.Dropout` in the model, and `model.eval()` switches them all off.
#
# ## 9.7 Positions
#
# **What attention cannot see.** Attention scores every query against every key by a dot product, and nothing
# in that dot product says *where* a token stands. Take the tour model's first head, run it without a mask on
# token embeddings without positions, then shuffle the tokens and run it again:

# %%
words = " the cat sat on the mat"
word_ids = torch.tensor(vocab.encode(words))
word_tokens = [vocab.token_text(i) for i in word_ids.tolist()]
T_words = len(word_ids)
d_head = C // model.config.n_head
w_q, w_k, w_v = (w.T[:, :d_head] for w in block.attn.c_attn.weight.detach().split(C))  # head 0's maps


def head_without_positions(x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """One head of attention on vectors x (T, C): softmax(q k^T / sqrt(d)) v, with an optional mask."""
    return attention_weights(attention_scores(x @ w_q, x @ w_k), mask) @ (x @ w_v)


with torch.no_grad():
    embedded = model.wte(word_ids)  # (T, C): no position added
    order = torch.randperm(T_words, generator=generator)
    out_plain = head_without_positions(embedded)
    out_shuffled = head_without_positions(embedded[order])
    average_row = out_plain.mean(dim=0)  # the same for both orders
figure, (plain_axes, shuffled_axes) = plt.subplots(1, 2, figsize=(12, 3))
for axes, grid, tokens, title in (
    (plain_axes, out_plain, word_tokens, "outputs, tokens in order"),
    (shuffled_axes, out_shuffled, [word_tokens[i] for i in order], "outputs, tokens shuffled"),
):
    # the rows are close to each other (this head's scores are small), so show how each differs from their mean
    limit = (out_plain - average_row).abs().max().item()
    axes.imshow(grid - average_row, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
    axes.set_yticks(range(T_words), [repr(t) for t in tokens])
    axes.set(title=title + ", minus their mean row", xlabel=f"the head's {d_head} output numbers")
    axes.grid(False)
plt.show()
print("order:", [word_tokens[i] for i in order])
torch.testing.assert_close(out_shuffled, out_plain[order])

# %% [markdown]
# This head's scores are small, so every token averages the values almost evenly and the outputs are close to
# each other; the pictures show each output minus their mean row, to make the differences visible. Each token's
# row is the same in both pictures, only moved: shuffling the input shuffles the output the same way
# (`out_shuffled == out_plain[order]`), so without positions this head cannot tell *the cat sat on the mat* from
# any other order of those words. (The two ` the`s even get identical rows: same vector, same output.)
#
# A **causal mask** changes that a little, because it depends on position: token i sees i + 1 tokens. The first
# token sees only itself, the last sees everything, so shuffling no longer just reorders the outputs:

# %%
mask = causal_mask(T_words)
with torch.no_grad():
    causal_plain = head_without_positions(embedded, mask)
    causal_shuffled = head_without_positions(embedded[order], mask)
    uniform = attention_weights(torch.zeros(T_words, T_words), mask)  # equal scores: weight 1 / (i + 1)
moved = (causal_shuffled - causal_plain[order]).abs().max().item()
print(f"largest difference between shuffled outputs and reordered ones, with a causal mask: {moved:.3f}")
print("with equal scores, each token's weight on the first token:", [round(w, 3) for w in uniform[:, 0].tolist()])
assert moved > 0.01 and torch.allclose(uniform[:, 0], 1 / torch.arange(1, T_words + 1))

# %% [markdown]
# The outputs now depend on order. A causal model can even work out roughly how far into the text it is: with equal
# scores, token i gives weight 1 / (i + 1) to each token it sees, so how much it takes from one token (the first, say)
# tells how many tokens it sees. Studies have found that causal language models without any position information learn
# surprisingly well this way; but it is indirect, and every GPT in this course is given positions explicitly.
#
# **Learned position embeddings.** GPT-2's way, and the course's: a second embedding table, `wpe`, with one
# learned vector per position (up to the context length), added to the token's embedding: `wte(ids) +
# wpe(positions)`. It is exactly chapter 04's embedding, indexed by position instead of by token. Here is the
# tour model's, and how similar each position's vector is to every other's:

# %%
positions_table = model.wpe.weight.detach()  # (128, 96)
similarity = F.cosine_similarity(positions_table[:, None, :], positions_table[None, :, :], dim=-1)
figure, (table_axes, similarity_axes) = plt.subplots(1, 2, figsize=(12, 4.4))
spread = 3 * positions_table.std().item()
table_axes.imshow(positions_table.T, cmap="RdBu", aspect="auto", vmin=-spread, vmax=spread)
table_axes.grid(False)
table_axes.set(title="tour model's wpe: one column per position", xlabel="position", ylabel="feature")
similarity_axes.imshow(similarity, cmap="RdBu", vmin=-1, vmax=1)
similarity_axes.set(title="cosine similarity of positions", xlabel="position", ylabel="position")
plt.show()
neighbours = similarity.diagonal(offset=1).mean().item()
far_apart = similarity[torch.arange(128)[:, None] - torch.arange(128)[None, :] >= 32].mean().item()
print(f"mean similarity of neighbouring positions {neighbours:.2f}, of positions 32 or more apart {far_apart:.2f}")
assert positions_table.shape == (model.config.context, C) and abs(far_apart) < 0.1
assert neighbours > 0.2 and neighbours > far_apart + 0.2

# %% [markdown]
# Nobody told the model that position 10 is near position 11, yet neighbouring positions ended up with somewhat
# similar vectors (0.29 on average, the band along the diagonal) and positions 32 or more apart with unrelated
# ones (0.01): it learned a little of what "nearby" means, as much as its training needed. The cost: a learned
# table has nothing to say beyond its last row, so the model cannot read past its context.
#
# **Sinusoidal encodings.** The original transformer used a fixed formula instead, with no weights to learn.
# Column pair (2i, 2i + 1) of position pos holds the sine and cosine of one angle:
#
# `PE[pos, 2i] = sin(pos / 10000^(2i/d))`, `PE[pos, 2i+1] = cos(pos / 10000^(2i/d))`.
#
# Each pair is a wave along the positions, and the waves slow down from pair to pair: the first pair turns by 1
# radian per position, the last by nearly 1/10000 of a radian. Fast waves tell neighbours apart, slow ones tell
# the start of a long text from its end, like the hands of a clock. (The seed writes the exponent as i/d, with
# i counting columns; the paper's 2i/d uses the same exponent for both columns of a pair, and i/d with i
# counting pairs would halve every exponent and so make every wave but the first faster than the paper's. The
# check catches both.)

# %% [exercise ch09.sinusoidal_encoding]
# Write `sinusoidal_encoding(T, d)`: a (T, d) float tensor with `PE[pos, 2i] = sin(pos / 10000**(2i/d))` and
# `PE[pos, 2i+1] = cos(pos / 10000**(2i/d))`, sin and cos interleaved in neighbouring columns. Any `d` of at
# least 1 works; an odd `d` ends with a sin column.

# %%
encoding = sinusoidal_encoding(128, 96)
figure, (heat_axes, dots_axes) = plt.subplots(1, 2, figsize=(12, 4.4))
heat_axes.imshow(encoding.T, cmap="RdBu", aspect="auto", vmin=-1, vmax=1)
heat_axes.set(title="sinusoidal encoding: one column per position", xlabel="position", ylabel="feature (2i, 2i+1)")
dots = encoding @ encoding.T  # (T, T): the dot product of every pair of positions
dots_axes.imshow(dots, cmap="RdBu", vmin=-48, vmax=48)
dots_axes.set(title="dot products of positions: the same along each diagonal", xlabel="position", ylabel="position")
plt.show()
offset_3 = dots.diagonal(offset=3)  # position p against p + 3, for every p
print(f"PE[p] · PE[p + 3] for p = 0..124 lies between {offset_3.min():.4f} and {offset_3.max():.4f}")
assert encoding.shape == (128, 96) and torch.allclose(encoding[0, 1::2], torch.ones(48))
assert torch.allclose(dots.diagonal(), torch.full((128,), 48.0)) and offset_3.max() - offset_3.min() < 1e-3

# %% [markdown]
# The fast waves (top rows) alternate quickly along the positions, the slow ones (bottom) barely change over 128
# positions. At position 0 every sine is 0 and every cosine 1. And a useful property shows on the right: the dot
# product of two positions' vectors depends only on how far apart they are, not on where they are (the picture
# is constant along every diagonal; each vector has 48 pairs, so it scores 48 with itself). Since
# `sin(a)sin(b) + cos(a)cos(b) = cos(a - b)`, each pair contributes the cosine of the *difference* of angles.
# Attention compares positions by dot products, so offsets are easy for it to read.
#
# GPT-2 and the course's GPT use learned embeddings; many newer models use rotary encodings (RoPE), which
# rotate queries and keys by these same angles. Either way, positions enter as numbers added to or mixed into
# the vectors, and the rest of the block is unchanged.
#
# ## 9.8 The block
#
# Now the parts go together as in 9.1's left picture. GPT-2's block is **pre-norm**: each part reads a
# normalised copy of the stream, and its output is added to the stream itself:
#
# `x = x + attn(ln_1(x))`, then `x = x + mlp(ln_2(x))`.
#
# The stream itself is never normalised inside the blocks; only `ln_f`, after the last block, normalises it
# before the unembedding.

# %% [exercise ch09.block_forward]
# Write `block_forward(block, x)`: the forward pass of a `course_utils.gpt.Block`, using its parts `block.ln_1`,
# `block.attn`, `block.ln_2` and `block.mlp` (each a module you call, `block.ln_1(x)`). `x` is (B, T, C) and so
# is the result.

# %%
with torch.no_grad():
    x_stream = torch.randn(2, 7, C, generator=generator)
    yours, the_blocks = block_forward(block, x_stream), block(x_stream)
print(f"largest difference from the tour block's own forward: {(yours - the_blocks).abs().max().item():.1e}")
torch.testing.assert_close(yours, the_blocks)
block_weights = sum(p.numel() for p in block.parameters())
print(f"one block: 12·C² + 13·C = {12 * C * C + 13 * C:,} weights (C = {C})")
print(f"GPT-3's block: {12 * C_gpt3**2:,} matrix weights, {12 * C_gpt3**2 * n_layer_gpt3:,} in its 96 blocks")
assert block_weights == 12 * C * C + 13 * C and 12 * C_gpt3**2 * n_layer_gpt3 == 173_946_175_488

# %% [markdown]
# A block has 12·C² matrix weights (4C² in attention, 8C² in the MLP) plus 13·C biases and layer-norm numbers:
# 111,840 in the tour's block. GPT-3's 96 blocks hold 173,946,175,488 matrix weights, nearly all of its 175
# billion (chapter 10 counts the rest).
#
# **Pre-norm or post-norm?** The original transformer (2017) normalised *after* adding, `x = ln(x + part(x))`:
# the right-hand picture of 9.1. Then the stream itself is normalised at every step, and the clean path of the
# residual (the `1` of `1 + f'(x)`) passes through a layer norm in every block. In practice post-norm stacks were
# found to need a learning-rate warm-up (small steps at first) to train at all when deep, while pre-norm ones
# can train without one (GPTs still warm up, for safety; chapter 10 does). Measure it on the task of 9.5, with
# the same 12 blocks, at two learning rates:

# %%
runs = {
    ("pre", 1e-2): with_residual,  # trained in 9.5 already
    ("post", 1e-2): train_stack(norm="post", lr=1e-2)[0],
    ("pre", 3e-3): train_stack(norm="pre", lr=3e-3)[0],
    ("post", 3e-3): train_stack(norm="post", lr=3e-3)[0],
}
figure, axes_pair = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
for axes, lr in zip(axes_pair, (1e-2, 3e-3), strict=True):
    for norm, color in (("pre", COLORS[0]), ("post", COLORS[4])):
        axes.plot(runs[(norm, lr)], color=color, label=f"{norm}-norm")
    axes.axhline(math.log(VOCAB_TASK), color="grey", linestyle=":", label="guessing")
    axes.set(title=f"12 blocks, learning rate {lr:g}", xlabel="step")
    axes.legend()
axes_pair[0].set_ylabel("loss")
plt.show()
for (norm, lr), losses in runs.items():
    print(f"{norm}-norm, lr {lr:g}: final loss {final_loss(losses):.2f}")
start = math.log(VOCAB_TASK)
assert final_loss(runs[("post", 1e-2)]) > start - 0.1 and final_loss(runs[("pre", 1e-2)]) < start - 0.5
assert final_loss(runs[("pre", 3e-3)]) < start - 0.2 and final_loss(runs[("post", 3e-3)]) < start - 0.2
assert final_loss(runs[("post", 3e-3)]) < final_loss(runs[("pre", 3e-3)]) + 0.2

# %% [markdown]
# What this shows, and what it does not. At the larger learning rate, pre-norm learns the task and post-norm
# does not move off guessing in the whole run. At the smaller one both learn and post-norm keeps up (within 0.2
# of pre-norm here; in the full-length run, 150 steps, it ended slightly ahead when we ran it). So post-norm is
# not worse at everything: it is **fragile**, and needs smaller or warmed-up steps, while pre-norm tolerates the
# larger ones. That robustness, rather than a better final model, is the usual reason given for putting the norm
# before each part, as GPT-2 and most later models do (the GPT-2 paper itself only says that it moved the norm).
# One seed, one small task: enough to see the effect, not to measure its size.
#
# **GPT-2's smaller initialisation.** Each block adds two outputs to the stream. If each added vector is random
# with some spread, the stream's variance grows with every addition, like a random walk: after 2·n_layer
# additions it is about 2·n_layer times larger. GPT-2 therefore starts the two projections that write into the
# stream (attention's `c_proj` and the MLP's `c_proj`) with weights 1/sqrt(2·n_layer) smaller than the others,
# and the course's `GPT` does the same. Measure the stream's size through 12 fresh blocks, with and without it:

# %%
deep = GPT(GPTConfig(vocab_size=VOCAB_TASK, context=T_TASK, n_layer=DEPTH, n_head=2, d_model=WIDTH))
plain = GPT(deep.config)
plain.load_state_dict(deep.state_dict())
with torch.no_grad():
    for name, parameter in plain.named_parameters():
        if name.endswith("c_proj.weight"):
            parameter.mul_(math.sqrt(2 * DEPTH))  # back to the plain std of 0.02
    sizes, totals = {}, {}
    ids = torch.randint(VOCAB_TASK, (BATCH, T_TASK), generator=generator)
    for label, stack in (("GPT-2's init", deep), ("plain init", plain)):
        x = start_stream = stack.wte(ids) + stack.wpe(torch.arange(T_TASK))
        added, total = [], []
        for layer in stack.h:
            before = x
            x = layer(x)
            added.append((x - before).std().item())  # what this block added
            total.append((x - start_stream).std().item())  # what all blocks so far added
        sizes[label], totals[label] = added, total
axes = new_axes("What the blocks add to the stream, at initialisation", "block", "std")
for label, color in (("GPT-2's init", COLORS[0]), ("plain init", COLORS[3])):
    axes.plot(range(1, DEPTH + 1), sizes[label], marker="o", color=color, label=f"{label}: this block adds")
    axes.plot(range(1, DEPTH + 1), totals[label], linestyle="--", color=color, label=f"{label}: all blocks so far")
axes.legend(fontsize=9)
plt.show()
shrink = sizes["plain init"][0] / sizes["GPT-2's init"][0]
print(f"the first block adds {shrink:.1f} times less with GPT-2's init (1/sqrt(2·12) = 1/{math.sqrt(2 * DEPTH):.1f})")
all_gpt2, all_plain, one_plain = totals["GPT-2's init"][-1], totals["plain init"][-1], sizes["plain init"][0]
print(f"all 12 blocks add {all_gpt2:.4f} with GPT-2's init, {all_plain:.4f} with the plain one")
print(f"one block adds {one_plain:.4f} with the plain init")
assert 3.0 < shrink < 6.0 and 0.6 < all_gpt2 / one_plain < 1.6
assert all_plain > 2 * totals["plain init"][0]  # the plain init's stream keeps growing with depth

# %% [markdown]
# With GPT-2's initialisation, each block's contribution starts about sqrt(24) ≈ 4.9 times smaller, so that all
# of them together (the dashed blue line) add about what a single block adds with the plain initialisation,
# while with the plain one the total keeps growing with depth (dashed red). The stream starts at the
# same scale however deep the model is, and each block starts close to the identity (adding little), which is
# a good place for training to start.
#
# ## 9.9 Your parts run the tour's GPT
#
# Everything the tour model does between its embeddings and its unembedding is now yours: run it with your
# `layer_norm`, your `mlp` (with the exact GELU inside) and chapter 08's attention, and compare its logits with
# the model's own.


# %%
def tour_logits_from_parts(model: GPT, ids: torch.Tensor) -> torch.Tensor:
    """The tour model's logits, computed with this chapter's functions and chapter 08's attention."""
    config = model.config
    T = ids.shape[1]
    x = model.wte(ids) + model.wpe(torch.arange(T))
    for layer in model.h:
        h = layer_norm(x, layer.ln_1.weight, layer.ln_1.bias)
        q, k, v = (layer.attn.c_attn(h)).split(config.d_model, dim=2)
        q, k, v = (t.view(*t.shape[:2], config.n_head, -1).transpose(1, 2) for t in (q, k, v))
        heads = attention_weights(attention_scores(q, k), causal_mask(T)) @ v
        x = x + layer.attn.c_proj(heads.transpose(1, 2).reshape(x.shape))
        h = layer_norm(x, layer.ln_2.weight, layer.ln_2.bias)
        x = x + mlp(h, layer.mlp.c_fc.weight.T, layer.mlp.c_fc.bias, layer.mlp.c_proj.weight.T, layer.mlp.c_proj.bias)
    return layer_norm(x, model.ln_f.weight, model.ln_f.bias) @ model.wte.weight.T  # tied unembedding


with torch.no_grad():
    from_parts = tour_logits_from_parts(model, line_ids)
    from_model = model(line_ids)
print(f"logits {tuple(from_model.shape)}; largest difference {(from_parts - from_model).abs().max().item():.1e}")
print("next token after the line, both ways:", repr(vocab.token_text(int(from_parts[0, -1].argmax()))),
      repr(vocab.token_text(int(from_model[0, -1].argmax()))))  # fmt: skip
torch.testing.assert_close(from_parts, from_model, atol=1e-4, rtol=1e-4)

# %% [markdown]
# The same logits, to float rounding: the blocks of the course's GPT compute exactly what you wrote.
#
# ## Summary
#
# - **The MLP** widens each token's vector to 4C numbers, bends them with the GELU (exact erf form, or GPT-2's
#   tanh approximation, at most 4.7e-4 apart) and projects back: 8C² of a block's 12C² weights, two thirds of
#   GPT-3's. Read one hidden number at a time, it is a soft key-value lookup.
# - **Layer norm** centres each vector on 0 and scales it to standard deviation 1 over its own C numbers (the
#   biased variance, eps inside the square root), then applies a learned scale and shift.
# - **Residual connections** add each part's output to the stream, a running sum that the parts read and write.
#   Without them, a 12-block stack did not learn at all: its tokens' vectors became the same on the way up, and
#   its gradient shrank about a thousandfold on the way down; with them, each token kept its own vector, the
#   gradient reached every block at the same size, and it learned.
# - **Dropout** zeroes a share p of the numbers in training; inverted dropout divides the rest by 1 - p so that
#   evaluation runs unchanged, and the seed's form (×(1-p) at evaluation) agrees with it in expectation.
# - **Positions**: attention alone cannot see order (shuffled in, shuffled out); a causal mask leaks a little.
#   GPT-2 learns a position embedding; the original transformer used sinusoids, whose dot products depend only on
#   the offset between positions.
# - **The block** is pre-norm, `x + attn(ln_1(x))` then `x + mlp(ln_2(x))`; post-norm needs gentler learning
#   rates. GPT-2 starts the projections into the stream 1/sqrt(2·n_layer) smaller.
#
# **Next**: chapter 10 assembles the GPT from these blocks (token and position embeddings, a stack of blocks, the
# final layer norm and the unembedding), counts its parameters for GPT-2 and GPT-3, and trains it on Shakespeare.
