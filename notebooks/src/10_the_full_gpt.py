# %% [markdown]
# # 10 The full GPT: assemble it, count it, train it, let it write a play
#
# This is the chapter the course has been building to. Chapter 08 built attention and chapter 09 the transformer
# block around it. Here you stack blocks into a whole GPT, count its weights (and GPT-3's, all 175 billion of
# them, by hand), check it against an independent implementation, train it on Shakespeare on your laptop, and
# let it write.
#
# **You need** embeddings (chapter 04), the unembedding as dot products (chapter 05), sampling with temperature
# (chapter 07), attention (chapter 08) and the block (chapter 09); chapter 03's bigram model is the score to
# beat: 2.54 nats per character on the held-out plays.
#
# **Time**: 60 to 90 minutes, five exercises included, plus about 8 minutes of training on a laptop CPU. (In
# the course's tests, fast mode `COURSE_FAST=1`, the notebook trains for a few steps only.)
#
# | section | idea | you write |
# |---|---|---|
# | 10.1 | the whole forward pass: embeddings, blocks, final norm, unembedding | `gpt_forward` |
# | 10.2 | counting parameters; GPT-2 small's 124,439,808 | `count_parameters` |
# | 10.3 | GPT-3 by matrix group: 175,181,291,520 weights in 27,938 matrices | `gpt3_parameter_table` |
# | 10.4 | the same logits as Hugging Face's GPT-2 | |
# | 10.5 | before training: the loss at initialisation, and overfitting one batch | |
# | 10.6 | one training step | `training_step` |
# | 10.7 | the optimiser: AdamW and Muon, warm-up and cosine decay | |
# | 10.8 | training on Shakespeare, with a live loss curve | |
# | 10.9 | the command-line trainer: checkpoints and `--resume` | |
# | 10.10 | generation: predict, sample, append, with a sliding window | `generate` |
# | 10.11 | what makes training fast on a CPU | |

# %%
import dataclasses
import math
import os
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from course_utils import scaled, seed_everything, validate  # noqa: F401 - the solutions use validate
from course_utils.bigram import heldout_bigram_nll
from course_utils.gpt import GPT, GPTConfig
from course_utils.gpt_plots import LiveLossPlot, plot_shape_trace, trace_shapes
from course_utils.plotting import COLORS, new_axes, use_course_style
from course_utils.text import random_windows
from course_utils.trainer import (
    DEFAULT_SETTINGS,
    NANOGPT_CPU_RECIPE,
    CharCorpus,
    CharTrainer,
    load_char_gpt,
    load_committed_char_gpt,
)
from course_utils.trainer import main as trainer_main
from course_utils.training import adamw_for_gpt, heldout_windows, mean_loss, muon_for_gpt, newton_schulz

generator = seed_everything(0)
corpus = CharCorpus.shakespeare()  # the course's split: the last four plays are held out
vocab = corpus.vocab
V = len(vocab)
print(f"{V} characters in the vocabulary; {len(corpus.train_ids):,} training and {len(corpus.heldout_ids):,} held-out")
assert V == 84

# %% [markdown]
# ## 10.1 Assembling the GPT
#
# A GPT is four steps, and you have met each of them:
#
# 1. **Embed.** Each token id picks its row of the token embedding `wte` (V, C) (chapter 04), and each position
#    0, 1, ..., T - 1 picks its row of the position embedding `wpe` (context, C). Their sum is the vector the
#    model starts from: what the token is, and where it stands. Attention by itself does not know the order of
#    its inputs (chapter 08); the position embedding is the only place the order comes in.
# 2. **Think.** N blocks (chapter 09), one after another, each reading and adding to the residual stream.
# 3. **Normalise** with a final layer norm `ln_f`: the blocks add to the stream without ever normalising it.
# 4. **Unembed.** `lm_head` (C, V) turns each position's vector into V scores, one dot product with each token's
#    row (chapter 05). GPT-2 **ties** it to the embedding: the same matrix reads tokens in and writes them out.
#
# The result is a score for every token of the vocabulary **at every position**: position t predicts token t + 1.
# That is why one window of T characters is T training examples at once. The course's `GPT` does exactly this;
# here are the shapes it really computes, traced by hooks on its parts for a batch of 2 windows of 16
# characters:

# %%
small_config = GPTConfig(vocab_size=V, context=16, n_layer=2, n_head=4, d_model=32)
small = GPT(small_config).eval()
ids = random_windows(corpus.train_ids, 16, 2, generator)[0]
steps = trace_shapes(small, ids)
plot_shape_trace(steps, "One forward pass: ids (B, T) -> logits (B, T, V)")
plt.show()
assert steps[0][1] == (2, 16) and steps[1][1] == (2, 16, 32) and steps[2][1] == (16, 32)
assert steps[-1] == ("lm_head: unembedding", (2, 16, V))

# %% [markdown]
# The position embedding's output is (16, 32), not (2, 16, 32): every window has the same positions, and
# broadcasting adds the one table to each window.

# %% [exercise ch10.gpt_forward]
# Write `gpt_forward(model, ids)`: the forward pass of a course `GPT`, using its parts `model.wte`, `model.wpe`,
# `model.h` (a list of blocks), `model.ln_f` and `model.lm_head`. `ids` is (B, T); return the logits (B, T, V).

# %%
logits = gpt_forward(small, ids)
assert torch.allclose(logits, small(ids), atol=1e-5)
print(f"logits {tuple(logits.shape)}: one score per character of the vocabulary, at each of 16 positions")

# %% [markdown]
# ## 10.2 Counting parameters
#
# How big is a model? The usual answer counts its **parameters**: the numbers training changes. A tied matrix
# is one set of numbers, however many layers read it; the causal mask is a **buffer**, a fixed tensor that moves
# with the model but never trains.

# %% [exercise ch10.count_parameters]
# Write `count_parameters(model)`: for any `torch.nn.Module`, the number of trainable numbers, each distinct
# parameter once (a tied weight once, buffers not at all).

# %%
print(f"the small GPT above: {count_parameters(small):,} parameters")
assert count_parameters(small) == small.num_params()

# %% [markdown]
# Now the course's GPT with GPT-2 small's shape: vocabulary 50,257, context 1,024, 12 layers of 12 heads, 768
# wide, biases everywhere, the vocabulary not padded. Built on torch's `meta` device, it has shapes but no
# numbers, so it costs no memory and no time.

# %%
GPT2_SMALL = GPTConfig(vocab_size=50_257, context=1024, n_layer=12, n_head=12, d_model=768, bias=True)
with torch.device("meta"):
    gpt2_shape = GPT(GPT2_SMALL)
gpt2_count = count_parameters(gpt2_shape)
C = GPT2_SMALL.d_model
per_block = count_parameters(gpt2_shape.h[0])
parts = {
    "token embedding (tied to the unembedding)": count_parameters(gpt2_shape.wte),
    "position embedding": count_parameters(gpt2_shape.wpe),
    "12 blocks": 12 * per_block,
    "final layer norm": count_parameters(gpt2_shape.ln_f),
}
for name, count in parts.items():
    print(f"{name:45s} {count:>13,}")
print(f"{'total':45s} {gpt2_count:>13,}")
assert gpt2_count == sum(parts.values()) == 124_439_808
assert per_block == 12 * C * C + 13 * C == 7_087_872  # attention 4C² + MLP 8C², and their biases and norms
untied = gpt2_count + parts["token embedding (tied to the unembedding)"]
print(f"without tying, the unembedding would add {untied - gpt2_count:,} more: {untied:,}")
assert untied == 163_037_184
assert round(parts["token embedding (tied to the unembedding)"] / 1e6, 1) == 38.6  # almost a third of the total
assert 0.3 < parts["token embedding (tied to the unembedding)"] / gpt2_count < 1 / 3

# %% [markdown]
# Each block holds 12·C² weights: 4·C² in attention (queries, keys, values and the output) and 8·C² in the MLP
# (up to 4C and back down), plus 13·C biases and layer-norm numbers. The embedding is almost a third of
# GPT-2 small; tying saves those 38.6 million numbers a second time.
#
# ## 10.3 GPT-3, matrix group by matrix group
#
# GPT-3 (2020) has the same architecture, scaled up: vocabulary 50,257, width 12,288, 96 layers of 96 heads
# (each 128 wide), MLPs 4 × 12,288 = 49,152 wide, and a context of 2,048. Count its weights by what each matrix
# does, as a head sees them (chapter 08): each head has a **key**, a **query**, a **value-down** (12,288 → 128)
# and a **value-up** (128 → 12,288) matrix; each MLP an **up-projection** and a **down-projection**.

# %% [exercise ch10.gpt3_parameter_table]
# Write `gpt3_parameter_table()`: GPT-3's weights by group, as a dict with the keys `embedding`, `key`, `query`,
# `value_down`, `value_up`, `up_projection`, `down_projection` and `unembedding`, each computed from the shape
# (write the shape's numbers inside the function). No total: the next cell adds them up.

# %%
table = gpt3_parameter_table()
total = sum(table.values())
for name, count in table.items():
    print(f"{name:16s} {count:>18,}  {count / total:6.1%}")
print(f"{'total':16s} {total:>18,}")
assert table["embedding"] == table["unembedding"] == 617_558_016
assert table["key"] == table["query"] == table["value_down"] == table["value_up"] == 14_495_514_624
assert table["up_projection"] == table["down_projection"] == 57_982_058_496
assert total == 175_181_291_520

axes = new_axes("GPT-3's 175 billion weights by matrix group", "billions of weights", "", figsize=(7, 3.6))
names = list(table)
axes.barh(names, [table[n] / 1e9 for n in names], color=[COLORS[1], *[COLORS[0]] * 4, *[COLORS[2]] * 2, COLORS[1]])
axes.invert_yaxis()
for row, name in enumerate(names):
    axes.text(table[name] / 1e9 + 0.5, row, f"{table[name] / 1e9:.1f}", va="center")
plt.show()

# %% [markdown]
# Two thirds of GPT-3 is MLP; attention is a third; the embeddings are a rounding error at this size (for GPT-2
# small they were a third).
#
# **How many matrices?** Say a matrix is one that multiplies vectors by itself: each head's key, query and
# value-down matrix (3 × 96 per layer); and, per layer, one value-up matrix (the value-up maps of the 96 heads,
# side by side, are the output projection that chapter 08 called `w_o`), one up-projection and one
# down-projection; plus the embedding and the unembedding. That is "just under 28,000 matrices in eight
# categories":

# %%
n_layer_gpt3, n_head_gpt3 = 96, 96
matrices = 1 + n_layer_gpt3 * (3 * n_head_gpt3 + 1 + 1 + 1) + 1
print(f"{matrices:,} matrices")
assert matrices == 27_938

# %% [markdown]
# This way of counting leaves out what is not a big matrix. The course's GPT with GPT-3's shape, built on the
# `meta` device again, counts everything:

# %%
with torch.device("meta"):
    gpt3_shape = GPT(GPTConfig(vocab_size=50_257, context=2048, n_layer=96, n_head=96, d_model=12_288))
gpt3_count = count_parameters(gpt3_shape)
positions = count_parameters(gpt3_shape.wpe)
biases = sum(p.numel() for n, p in gpt3_shape.named_parameters() if n.endswith("bias") and "ln_" not in n)
norms = sum(p.numel() for n, p in gpt3_shape.named_parameters() if "ln_" in n)
print(f"course GPT with GPT-3's shape: {gpt3_count:,} parameters")
print(f"  the table's total             {total:>16,}")
print(f"  - unembedding (tied: counted once) {-table['unembedding']:>11,}")
print(f"  + position embedding          {positions:>16,}")
print(f"  + biases of the linear layers {biases:>16,}")
print(f"  + layer norms                 {norms:>16,}")
assert gpt3_count == total - table["unembedding"] + positions + biases + norms
assert positions == 25_165_824
extras = positions + biases + norms
print(f"together {extras:,}: {extras / total:.2%} of the table's total")
assert round(extras / 1e6, 1) == 40.5 and round(extras / total, 4) == 0.0002

# %% [markdown]
# The position embedding, the biases and the layer norms add 40.5 million (0.02%); tying would take away the
# 617.6 million of the unembedding. Either way: 175 billion.
#
# ## 10.4 An independent check: the same logits as Hugging Face's GPT-2
#
# A bug in a model often leaves it running, training and producing plausible text, only worse. The strongest
# test is to compare it with an implementation written by other people. Hugging Face's `transformers` library
# has GPT-2; `to_transformers` copies the course model's weights into a `GPT2LMHeadModel` built from a
# `GPT2Config` (nothing is downloaded; GPT-2's `Conv1D` layers store each matrix transposed, so each is
# transposed on the way). One detail must match: the course's MLP uses the **exact** GELU, `x·Φ(x)`, while
# GPT-2 was trained with the tanh approximation (`gelu_new`); the copy is built with `activation_function="gelu"`.
# With random weights, both models must give the same logits. (The full run uses GPT-2 small's shape, about
# 1.6 GB of memory; the course's tests check that one too.)

# %%
from course_utils.gpt_export import to_transformers  # noqa: E402 - transformers takes seconds to import

check_config = scaled(full=GPT2_SMALL, fast=GPTConfig(vocab_size=500, context=64, n_layer=2, n_head=4, d_model=64))
torch.manual_seed(0)
ours = GPT(check_config).eval()
theirs = to_transformers(ours)
check_ids = torch.randint(0, check_config.vocab_size, (2, 64), generator=generator)
with torch.no_grad():
    difference = (ours(check_ids) - theirs(check_ids).logits).abs().max().item()
print(f"{count_parameters(ours):,} parameters; largest difference in the logits: {difference:.1e}")
assert count_parameters(theirs) == count_parameters(ours)
assert difference < 1e-5
del ours, theirs

# %% [markdown]
# ## 10.5 Before training: two sanity checks
#
# Karpathy's first rule of training a network: check what you can predict before you spend time. At
# initialisation, the model knows nothing, so it should give every one of the 84 characters about the same
# probability, 1/84, and its loss should be about ln 84 = 4.43 nats. A loss far above that would mean the
# initial weights are too large (confidently wrong predictions).

# %%
torch.manual_seed(0)
fresh = GPT(DEFAULT_SETTINGS.model_config(V)).eval()
x, y = random_windows(corpus.train_ids, DEFAULT_SETTINGS.context, 16, generator)
with torch.no_grad():
    initial_loss = F.cross_entropy(fresh(x).flatten(0, 1), y.flatten()).item()
print(f"loss at initialisation: {initial_loss:.3f}; ln {V} = {math.log(V):.3f}")
assert abs(initial_loss - math.log(V)) < 0.1

# %% [markdown]
# The second check: a model that cannot learn one batch by heart cannot learn anything. Train a small model on
# the same 4 windows again and again; its loss must fall towards 0.

# %%
torch.manual_seed(0)
tiny = GPT(GPTConfig(vocab_size=V, context=16, n_layer=1, n_head=2, d_model=32))
one_batch = random_windows(corpus.train_ids, 16, 4, generator)
optimizer = torch.optim.AdamW(tiny.parameters(), lr=1e-2)
overfit_losses = []
for _ in range(scaled(full=150, fast=40)):
    optimizer.zero_grad()
    loss = F.cross_entropy(tiny(one_batch[0]).flatten(0, 1), one_batch[1].flatten())
    loss.backward()
    optimizer.step()
    overfit_losses.append(loss.item())
axes = new_axes("Overfitting one batch of 4 windows", "step", "loss (nats per character)", figsize=(6, 3))
axes.plot(overfit_losses, color=COLORS[0])
plt.show()
print(f"loss on the one batch: {overfit_losses[0]:.2f} -> {overfit_losses[-1]:.3f}")
assert overfit_losses[-1] < scaled(full=0.05, fast=1.0)

# %% [markdown]
# ## 10.6 One training step
#
# Training is one step, repeated. Take a batch of windows `x` (B, T) and their targets `y`, the same windows
# shifted by one character: at every position the target is the character that comes next. Then:
#
# 1. clear the gradients of the last step (`optimizer.zero_grad()`: torch adds gradients up);
# 2. the forward pass gives logits (B, T, V); the loss is the cross-entropy of **every position**, averaged
#    over all B·T of them (`F.cross_entropy` wants (N, V) and (N,): flatten both);
# 3. `loss.backward()` finds the gradient of every weight: the error fed back through the network;
# 4. **clip** the gradient: if its length (over all weights together) is above 1, scale it down to 1. One odd
#    batch then cannot throw the weights far, a cheap guard against the spikes that wreck a run;
# 5. `optimizer.step()` moves the weights.

# %% [exercise ch10.training_step]
# Write `training_step(model, optimizer, x, y)`: one step as above, with
# `torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)` between the backward pass and the step. Return the
# loss as a Python float (`loss.item()`).

# %% [markdown]
# ## 10.7 The optimiser and the learning rate
#
# **AdamW** (Adam, met briefly in chapter 09, with weight decay done right) is gradient descent (chapter 02) with
# two running averages per weight: it moves each weight by its gradient's running average over the running size
# of its gradients, so every weight moves at about the learning rate whatever its gradient's scale. **Weight
# decay** pulls weights a little towards 0 at every step; it is applied to the matrices and embeddings only,
# never to biases or layer-norm scales (a scale pulled to 0 would switch its layer off).
#
# The **learning rate** is not constant. It **warms up** linearly for the first steps (the weights are random
# and Adam's running averages still empty, so large steps would be wild), then **decays** along half a cosine to
# a tenth of its peak: big steps while there is much to learn, small ones at the end to settle into a minimum.

# %%
settings = scaled(
    full=DEFAULT_SETTINGS,
    fast=dataclasses.replace(DEFAULT_SETTINGS, steps=10, warmup_steps=4, eval_every=10),
)
# the default run's schedule (the tests' short run only shortens it) and the recipe's; on the right, the warm-ups
schedule = [DEFAULT_SETTINGS.learning_rate(step) for step in range(DEFAULT_SETTINGS.steps)]
recipe_schedule = [NANOGPT_CPU_RECIPE.learning_rate(step) for step in range(NANOGPT_CPU_RECIPE.steps)]
use_course_style()
figure, (whole_run, warm_up) = plt.subplots(1, 2, figsize=(10, 3.4), width_ratios=[3, 1], sharey=True)
for axes in (whole_run, warm_up):
    axes.plot(schedule, color=COLORS[0], label=f"this chapter ({DEFAULT_SETTINGS.steps:,} steps)")
    axes.plot(recipe_schedule, color=COLORS[1], label=f"nanoGPT's CPU recipe ({NANOGPT_CPU_RECIPE.steps:,} steps)")
whole_run.set(title="The learning rate: warm-up, then cosine decay", xlabel="step", ylabel="learning rate")
warm_up.set(title="The first 150 steps: warm-up", xlabel="step", xlim=(0, 150))
whole_run.legend(loc="upper right")
plt.show()
assert math.isclose(max(schedule), DEFAULT_SETTINGS.peak_lr, rel_tol=1e-9) and schedule[-1] > DEFAULT_SETTINGS.min_lr
assert math.isclose(DEFAULT_SETTINGS.min_lr, DEFAULT_SETTINGS.peak_lr / 10)  # "to a tenth of its peak"

optimizer_groups = adamw_for_gpt(fresh, settings.peak_lr).param_groups
decayed = sum(p.numel() for p in optimizer_groups[0]["params"])
not_decayed = sum(p.numel() for p in optimizer_groups[1]["params"])
print(f"weight decay on {decayed:,} weights (matrices, embeddings); none on {not_decayed:,} (layer norms)")
assert decayed + not_decayed == count_parameters(fresh)

# %% [markdown]
# **Muon**, for the matrices. Adam moves each weight on its own. But a weight matrix works as a whole: `W @ x`
# (chapter 02) turns an input vector into an output vector. Every matrix has a set of input directions, at right
# angles to each other, that it sends to output directions (also at right angles), each multiplied by a number
# of its own: its **stretches** (mathematicians say *singular values*; `torch.linalg.svdvals` lists them, largest
# first). Any input is a mix of those directions. A gradient matrix is lopsided: a few directions carry nearly
# all of it, so a step along it changes the matrix a lot in those directions and hardly at all in the rest.
# **Muon** (Keller Jordan and others, 2024; the optimiser behind the records of the modded-nanoGPT speedrun, in
# torch as `torch.optim.Muon`) keeps the directions of the step but makes every stretch about 1, so that each
# step teaches the matrix something in every direction it maps. It computes that with five rounds of a
# **Newton-Schulz** iteration, matrix products only: `x <- a x + (b G + c G^2) x` with `G = x x^T`
# (`course_utils.training.newton_schulz` writes it out), starting from the matrix divided by its overall size
# (the square root of the sum of its squared entries), which makes every stretch at most 1.
#
# Why does that work? Write `x` as its directions and stretches. `x x^T x` has the same directions, with every
# stretch `s` cubed, and `x x^T x x^T x` with every stretch to the fifth power. So one round of the iteration
# replaces each stretch `s` by `a s + b s³ + c s⁵`, each on its own, directions untouched. Muon's numbers
# `a, b, c = 3.4445, -4.7750, 2.0315` make that polynomial lift small stretches fast (about 3.4 times a round)
# and keep the big ones between about 0.7 and 1.2 (not exactly 1: these numbers trade exactness for speed).
# Five rounds, on a few stretches:

# %%
a, b, c = 3.4445, -4.7750, 2.0315  # the coefficients of torch.optim.Muon and of newton_schulz
stretches = np.array([0.001, 0.01, 0.1, 0.5, 1.0])
print("round " + "".join(f"{s:>8}" for s in stretches))
for round_number in range(1, 6):
    stretches = a * stretches + b * stretches**3 + c * stretches**5
    print(f"{round_number:>5} " + "".join(f"{s:8.3f}" for s in stretches))
assert np.all((stretches[1:] > 0.6) & (stretches[1:] < 1.25))  # 0.01 and up end near 1; 0.001 has not yet
assert stretches[0] < 0.6

# %% [markdown]
# A stretch of 0.001 would need one round more; Muon accepts that (a gradient's tiniest directions matter
# least) and takes five rounds, each three matrix products. On a real gradient, the first block's MLP matrix
# after one batch, before and after:

# %%
probe = GPT(DEFAULT_SETTINGS.model_config(V))
x, y = random_windows(corpus.train_ids, DEFAULT_SETTINGS.context, DEFAULT_SETTINGS.batch_size, generator)
F.cross_entropy(probe(x).flatten(0, 1), y.flatten()).backward()
gradient = probe.h[0].mlp.c_fc.weight.grad  # (512, 128): 128 singular values
stretch_before = torch.linalg.svdvals(gradient)
stretch_after = torch.linalg.svdvals(newton_schulz(gradient))
# the last stretch is 0: the layer norm before this matrix (its scales still all 1, no shift) makes every input
# sum to 0, so no gradient has a part along (1, 1, ..., 1); Newton-Schulz only rescales stretches, and 0 stays 0
assert stretch_before[-1] < 1e-5 * stretch_before[0] and stretch_before[-2] > 1e-5 * stretch_before[0]
stretch_before, stretch_after = stretch_before[:-1], stretch_after[:-1]
axes = new_axes(
    "One gradient matrix's stretches (singular values)", "direction (largest first)", "stretch", figsize=(7, 3.4)
)
axes.semilogy(stretch_before / stretch_before[0], color=COLORS[1], label="the gradient (scaled: largest = 1)")
axes.semilogy(stretch_after, color=COLORS[0], label="after 5 Newton-Schulz rounds: Muon's step")
axes.axhline(1.0, color="gray", linewidth=0.8, linestyle=":")
axes.legend(loc="lower left")
plt.show()
half = len(stretch_before) // 2
print(
    f"largest / median stretch: {stretch_before[0] / stretch_before[half]:.0f} in the gradient, "
    f"{stretch_after[0] / stretch_after[half]:.2f} in Muon's step"
)
assert stretch_before[0] / stretch_before[half] > 5 and stretch_after[0] / stretch_after[half] < 2

# %% [markdown]
# The course's default run uses Muon for the matrices inside the blocks and AdamW for the rest (embeddings, the
# tied unembedding, layer norms), as one optimiser: `muon_for_gpt`. Muon's step is scaled to the size of an
# AdamW step, so one learning rate serves both. Section 10.11 measures what it buys: on this model, the same
# held-out loss in about half the steps.

# %%
optimizer = muon_for_gpt(fresh, settings.peak_lr)
in_muon = sum(p.numel() for group in optimizer.muon.param_groups for p in group["params"])
in_adamw = sum(p.numel() for group in optimizer.adamw.param_groups for p in group["params"])
muon_matrices = sum(len(group["params"]) for group in optimizer.muon.param_groups)
print(f"Muon moves {in_muon:,} weights in {muon_matrices} matrices; AdamW the other {in_adamw:,}")
assert in_muon + in_adamw == count_parameters(fresh) and muon_matrices == 4 * settings.n_layer

# %% [markdown]
# ## 10.8 Training on Shakespeare
#
# Each step draws 16 windows of 64 characters from random places in the training plays (chapter 03's sliding
# window, at random starts): 1,024 predictions per step, 5,000 steps. Every 250 steps the trainer measures the
# loss on a fixed sample of the **held-out** plays, 100,000 characters in 25 stretches, text the model never
# trains on. The curve below redraws as it trains, and each measurement prints a sample.
#
# The model is 4 layers of 4 heads, 128 wide, with context 64: 806,528 parameters. Why these settings and not
# others is the subject of 10.11. On the course's 2-core test machine, quiet, the training took 460 s (7.7
# minutes, 11,141 characters per second) and the whole notebook 9 minutes.

# %%
trainer = CharTrainer(settings, corpus=corpus)
print(f"{count_parameters(trainer.model):,} parameters; {settings.steps} steps of {settings.batch_size} windows")
assert count_parameters(trainer.model) == 806_528
assert DEFAULT_SETTINGS.batch_size * DEFAULT_SETTINGS.context == 1_024 and DEFAULT_SETTINGS.steps == 5_000
assert DEFAULT_SETTINGS.eval_every == 250
bigram = heldout_bigram_nll()
plot = LiveLossPlot(reference={f"chapter 03's bigram ({bigram:.2f})": bigram})
samples = {}


def show_progress(run: CharTrainer) -> None:
    history = run.history
    plot.update(history.steps, history.losses, history.eval_steps, history.eval_losses)
    with torch.no_grad():
        prompt = torch.tensor([[vocab.index(c) for c in "ROMEO.\n"]])
        text = run.model.generate(prompt, 80, temperature=0.8, generator=torch.Generator().manual_seed(0))
    samples[run.step] = "".join(vocab[i] for i in text[0].tolist())
    print(f"step {run.step}: held-out {history.eval_losses[-1]:.3f} | " + samples[run.step].replace("\n", " / "))


history = trainer.train(on_eval=show_progress, progress=False)
tokens_per_second = settings.steps * settings.batch_size * settings.context / history.seconds
print(
    f"trained {settings.steps} steps in {history.seconds:.0f} s ({tokens_per_second:,.0f} characters/s, "
    f"{torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}); "
    f"{history.eval_seconds:.0f} s more for the held-out measurements"
)
assert history.eval_losses[-1] < initial_loss
assert len(samples) == len(history.eval_steps)

# %% [markdown]
# The held-out loss of the final model over **every** character of the held-out plays, not only the sample (the
# tests' short run reads the first 20,000 of them):

# %%
heldout_ids = corpus.heldout_ids[: scaled(full=len(corpus.heldout_ids), fast=20_000)]
heldout_x, heldout_y = heldout_windows(heldout_ids, settings.context)
final_heldout = mean_loss(trainer.model, heldout_x, heldout_y, batch_size=128)
print(f"held-out loss {final_heldout:.3f} nats per character; chapter 03's bigram: {bigram:.3f}")
assert round(bigram, 2) == 2.54
# the full run reaches 1.70 or less (about 1.52 in the course's runs); the tests' short run learns only a little
assert final_heldout <= scaled(full=1.70, fast=initial_loss)

# %% [markdown]
# In the full run, the loss falls fastest in the first few hundred steps (the model learns which characters are
# common, then spaces, capitals after newlines, common words), and the samples change from noise to words to
# something laid out like a play: a name in capitals, a line of verse. The run that trained the model the course
# ships (the same settings, its record kept in the file) passed the bigram's 2.54 within the first 250 steps,
# went below 1.70 within about 2,000, and ended near 1.52 over the whole held-out text:

# %%
record = load_committed_char_gpt().meta  # the course's own model, not a checkpoint of yours
sample_losses = record["heldout_sample_losses"]  # step -> held-out loss on the fixed sample
past_bigram = min(step for step, loss in sample_losses.items() if loss < bigram)
below_170 = min(step for step, loss in sample_losses.items() if loss < 1.70)
print(f"the course's run ({record['steps']:,} steps): below the bigram's {bigram:.2f} at step {past_bigram},")
print(f"below 1.70 at step {below_170:,}; held-out loss at the end {record['heldout_loss']:.3f}")
assert record["settings"] == DEFAULT_SETTINGS.to_dict()
assert past_bigram <= 250 and below_170 <= 2_000 and round(record["heldout_loss"], 2) == 1.52
train_predictions = DEFAULT_SETTINGS.steps * DEFAULT_SETTINGS.batch_size * DEFAULT_SETTINGS.context
print(f"{len(corpus.train_ids):,} training characters, {train_predictions:,} predictions in training")
assert round(len(corpus.train_ids) / 1e6, 1) == 4.5 and round(train_predictions / 1e6, 1) == 5.1

# %% [markdown]
# The training and held-out curves stay close: 806,528 weights are too few to memorise 4.5 million characters
# in 5.1 million predictions, so there is little overfitting, and no dropout is needed.
#
# ## 10.9 The command-line trainer: checkpoints and `--resume`
#
# The same `CharTrainer` runs from a terminal:
#
# ```
# python -m course_utils.trainer                 # the default run: this chapter's settings
# python -m course_utils.trainer --steps 5000 --d-model 192 --out checkpoints/bigger.pt
# python -m course_utils.trainer --resume        # after Ctrl-C, carry on where it stopped
# ```
#
# It shows a progress bar with the loss and characters per second, and saves a **checkpoint** at every held-out
# measurement (and when interrupted): the weights, the optimiser's state (Adam's running averages), the step,
# the settings, the vocabulary, and the state of the random generators that draw the batches and the dropout.
# All of it is needed for a resumed run to be the *same* run: without the optimiser's state Adam would restart
# its averages; without the generator's, the batches would differ. The course's tests check that a run
# interrupted and resumed ends with exactly the weights of one that never stopped. Here it is, on a small model
# (in a temporary folder):

# %%
folder = Path(tempfile.mkdtemp())
small_run = ["--context", "32", "--n-layer", "1", "--n-head", "2", "--d-model", "32", "--batch-size", "8"]
small_run += ["--steps", "12", "--warmup-steps", "2", "--eval-every", "6", "--no-progress"]
whole = trainer_main([*small_run, "--out", str(folder / "whole.pt")])
first_half = CharTrainer(whole.settings, corpus=corpus)
first_half.train(6, progress=False)
first_half.save(folder / "interrupted.pt")  # as if stopped at step 6
resumed = trainer_main(["--resume", "--out", str(folder / "interrupted.pt"), "--no-progress"])
assert resumed.history.losses == whole.history.losses
assert all(torch.equal(a, b) for a, b in zip(resumed.model.parameters(), whole.model.parameters(), strict=True))
print("the resumed run ends with exactly the weights of the uninterrupted one")

# %% [markdown]
# A checkpoint from other settings is refused, naming what differs (a model of another shape cannot take its
# weights):

# %%
try:
    CharTrainer.from_checkpoint(folder / "whole.pt", dataclasses.replace(whole.settings, d_model=64), corpus=corpus)
except ValueError as error:
    print(error)
    assert "d_model: checkpoint 32, asked 64" in str(error)

# %% [markdown]
# The default run's checkpoint goes to `checkpoints/char_gpt.pt` in the course folder. Chapters 11 and 12 load
# a trained character GPT with `load_char_gpt()`: yours, when that file exists; otherwise the one the course
# ships in `data/char_gpt.pt`, trained by this trainer's default run (its record says how):

# %%
shipped = load_char_gpt()
for key in ("command", "note", "seed", "steps", "training_seconds", "cpu_threads", "heldout_loss"):
    print(f"{key:18s} {shipped.meta.get(key)}")
assert shipped.model.config == DEFAULT_SETTINGS.model_config(V) and shipped.vocab == vocab
assert shipped.meta["heldout_loss"] < bigram

# %% [markdown]
# ## 10.10 Generation: predict, sample, append
#
# Chapter 03 generated with a bigram; chapter 00 with a GPT as a black box. The loop is the same: run the model
# on the text so far, take the scores at the **last** position, turn them into probabilities (with a
# temperature, chapter 07), draw a token, append it, repeat. One thing is new: the model reads at most
# `context` tokens, so once the text is longer, the window **slides**: keep the last `context` tokens.

# %%
context = shipped.model.config.context
lengths = np.arange(1, 400)
window_start = np.maximum(0, lengths - context)
axes = new_axes("What the model reads at each step", "length of the text so far", "characters", figsize=(7, 3.2))
axes.fill_between(lengths, window_start, lengths, color=COLORS[0], alpha=0.3, label=f"the window (at most {context})")
axes.plot(lengths, lengths, color=COLORS[1], label="the text so far")
axes.legend()
plt.show()
assert window_start[context] == 1  # character number context + 1 pushes the first out of the window
print(f"the window holds {context} characters: the {context + 1}th pushes the first one out")

# %% [exercise ch10.generate]
# Write `generate(model, ids, max_new_tokens, temperature, generator)`: ids (B, T) -> (B, T + max_new_tokens).
# At each step crop to the last `model.config.context` tokens, take the logits of the last position; at
# temperature 0 take the likeliest token, else draw from `softmax(logits / temperature)` with
# `torch.multinomial(..., generator=generator)`; append. Use `torch.no_grad()`.

# %%
prompt = torch.tensor([shipped.encode("ROMEO.\nBut soft, what light")])
play = generate(shipped.model, prompt, scaled(full=600, fast=200), 0.8, torch.Generator().manual_seed(1))
print(shipped.decode(play[0]))
assert play.shape == (1, prompt.shape[1] + scaled(full=600, fast=200))

# %% [markdown]
# That is your model's own play (the one the course ships, or yours once you have trained it with the
# trainer): names in capitals, lines of verse, punctuation in place, words that are Shakespeare's or could
# be. It makes no sense; it has seen 5 million characters and holds 0.8 million numbers. GPT-2 small is 150
# times bigger and read billions of tokens.
#
# The course's `GPT.generate` adds chapter 07's top-k and top-p. Low temperature repeats itself, high
# temperature invents words:

# %%
for temperature, top_k, top_p in [(0.5, None, None), (1.0, 10, None), (1.2, None, 0.9)]:
    text = shipped.generate("JULIET.\n", 150, temperature=temperature, top_k=top_k, top_p=top_p, seed=2)
    print(f"--- temperature {temperature}, top-k {top_k}, top-p {top_p} ---\n{text}\n")

# %% [markdown]
# ## 10.11 What makes training fast on a CPU
#
# nanoGPT's README trains a "baby GPT" on a laptop CPU: context 64, batch 12, 4 layers, 4 heads, 128 wide, no
# biases, AdamW at 1e-3 warming up over 100 steps and decaying to 1e-4 over 2,000 steps. Trained on the course's
# split it ends at a held-out loss of 1.877 after 1.5 million characters. The course's default run is the same
# model with other settings: 16 windows of 64 characters, Muon and AdamW at 3e-3, 20 warm-up steps, 5,000 steps.
# `benchmarks/train_speed.py` races the two in one process (at each turn the run that has trained for less time
# takes a step, so a machine that gets busier slows both alike) and prints the training time each needs to reach
# each held-out loss. On one thread of the course's 2-core test machine (load average 1 to 2.7) it printed:
#
# | run | characters/s | to 2.0 | to 1.9 | to the recipe's final 1.877 | to 1.8 | to 1.75 |
# |---|---:|---:|---:|---:|---:|---:|
# | nanoGPT's CPU recipe | 8,663 | 107 s | 163 s | 177 s (its end) | - | - |
# | the course's default | 7,374 | 76 s | 76 s | 76 s | 133 s | 164 s |
#
# and last `ratio 0.43`: the course's default reaches the recipe's final loss in 43% of its time, and goes on to
# 1.52 (section 10.8). Each step of the course's costs more per character (Muon's extra matrix products), but
# needs far fewer characters: 0.6 million against 1.5 million. Where that comes from, one change at a time:
# `benchmarks/cpu_levers.py` trains the default with one thing changed (each from the same seed, with the
# default's schedule; the recipe and the course's first default with their own) until the held-out loss reaches
# the recipe's final 1.877, measured every 100,000 characters. On one thread of the course's 2-core test machine
# it printed (the seconds it also prints depend on the machine's load; the characters do not):
#
# | run | characters to 1.877 |
# |---|---:|
# | nanoGPT's recipe: AdamW at 1e-3, 12 windows of 64 | 1.5 million |
# | AdamW at 3e-3, 32 windows of 128, 100 warm-up steps (this course's first default) | 2.4 million |
# | AdamW at 3e-3, 16 windows of 64 | 1.2 million |
# | AdamW at 1e-2, 16 windows of 64 | not reached in 2.5 million: stuck near 2.55 |
# | AdamW at 3e-3, 16 windows of 64, 96 wide | 1.6 million |
# | **Muon** and AdamW at 3e-3, 16 windows of 64 (the default) | **0.6 million** |
# | Muon and AdamW at 6e-3, 16 windows of 64 | 0.7 million |
# | Muon and AdamW at 3e-3, 32 windows of 64 | 0.8 million |
#
# What the measurements teach:
#
# - **Count updates, not only characters.** Early in training the model improves with every step it takes, and
#   a step on 1,024 characters teaches it nearly as much as a step on 4,096. Small batches make more steps of
#   the same characters: 32 windows of 128 needed 2.4 million characters, 16 of 64 only 1.2 million. Big
#   batches pay later, when the gradient's noise, not the number of steps, holds the loss up (and on a GPU,
#   which runs a big batch in the time of a small one).
# - **The learning rate**: 3e-3 rather than nanoGPT's cautious 1e-3, with warm-up and clipping to keep the
#   first steps safe. More is not better: at 1e-2 AdamW never left the plateau near 2.5.
# - **Muon** (section 10.7): with the same learning rate, the same batches and the same model, it reached the
#   target in half the characters of AdamW. Its Newton-Schulz rounds cost time in every step (here 15% fewer
#   characters per second), far less than they save.
# - **No biases** (`bias=False`) and **fused attention** (`fast_attention=True`, torch's
#   `F.scaled_dot_product_attention`: the same numbers as chapter 08's four steps, computed in one call that
#   never stores the (T, T) table). Both save time in every step; nanoGPT uses both too.
# - **A model that fits the budget.** A narrower model (96 wide) runs each step faster but learns less from
#   each character; at 128 wide the default still has room to go on to 1.52.
# - **Thread settings**: on a machine shared with other work, one thread per process can beat two that wait
#   for each other (`torch.set_num_threads`; the trainer's `--threads`).
# - **No compiling**: `torch.compile` takes about 40 s for a small GPT here, more than it saves in a few minutes
#   of training on a CPU; chapter 11 uses it on a GPU.
#
# Fused attention gives the same logits as attention written out, in less time per step:

# %%
fused = GPT(dataclasses.replace(DEFAULT_SETTINGS.model_config(V), fast_attention=True)).eval()
written_out = GPT(dataclasses.replace(DEFAULT_SETTINGS.model_config(V), fast_attention=False)).eval()
written_out.load_state_dict(fused.state_dict())
batch = random_windows(corpus.train_ids, DEFAULT_SETTINGS.context, 8, generator)[0]
with torch.no_grad():
    assert torch.allclose(fused(batch), written_out(batch), atol=1e-5)


def seconds_per_step(model: GPT, repeats: int) -> float:
    optimizer = adamw_for_gpt(model, 1e-3)
    x, y = random_windows(corpus.train_ids, model.config.context, 32, generator)
    start = time.perf_counter()
    for _ in range(repeats):
        training_step(model, optimizer, x, y)
    return (time.perf_counter() - start) / repeats


repeats = scaled(full=10, fast=2)
print(f"written-out attention: {seconds_per_step(written_out.train(), repeats) * 1000:.0f} ms per step")
print(f"fused attention:       {seconds_per_step(fused.train(), repeats) * 1000:.0f} ms per step")
print(f"(load average {os.getloadavg()[0]:.1f}: on a busy machine these times are rough)")

# %% [markdown]
# ## Summary
#
# - **The GPT** is token embedding + position embedding, N blocks, a final layer norm and the unembedding (tied
#   to the embedding): logits for the next token at every position.
# - **Counting**: GPT-2 small's shape has 124,439,808 parameters, a tied matrix counted once and buffers not at
#   all. GPT-3's 175,181,291,520 weights are embedding and unembedding (617.6 million each), key, query,
#   value-down and value-up (14.5 billion each) and the MLP's up- and down-projections (58 billion each), in
#   27,938 matrices.
# - **An independent check**: with the same random weights, Hugging Face's GPT2LMHeadModel gives the same logits.
# - **Training**: check the loss at initialisation (ln V) and that one batch can be learned by heart; then
#   random windows, Muon for the matrices and AdamW for the rest, warm-up and cosine decay, clipping, and the
#   held-out loss on text the model never sees. About eight minutes on a 2-core CPU take a character model from
#   4.43 to about 1.52, far past the bigram's 2.54.
# - **Speed on a CPU**: small batches (count updates), a bolder learning rate and Muon reach nanoGPT's CPU
#   recipe's final loss in 43% of its time.
# - **Generation**: predict, sample, append, with the window sliding once the text outgrows the context.
#
# Chapter 11 makes the same model fast (on a GPU, with a KV cache for generation) and loads GPT-2's own weights
# into it; chapter 12 builds on the trained model and on cross-attention.
