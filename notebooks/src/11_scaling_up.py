# %% [markdown]
# # 11 Scaling up: what GPT-3 cost, and the same GPT made fast
#
# GPT-3 is the GPT of chapter 10 made big: 96 blocks, vectors 12,288 wide, 175 billion weights, trained on 300
# billion tokens (11.1 prints your chapter 10 model's size beside them). Nothing in its design is new; its size
# is. This chapter asks
# what size costs, in operations, time, money and memory, and then how to get the most out of the device you
# have: the same GPT, trained faster, generating faster, spread over several processes, and finally loaded with
# the real weights of GPT-2.
#
# **You need** chapter 08's attention, chapter 10's GPT (`course_utils.gpt.GPT`) and chapter 07's sampler.
#
# **Time**: 60 to 90 minutes, four exercises included. Everything runs on a laptop CPU; on a GPU (a JupyterHub
# with one, or Colab) the speed table of 11.4 measures the GPU instead. (In fast mode, as the course's tests run
# it, the notebook took about 13 s of CPU time and 10 s of the tests' count, on a 2-core machine busy with other
# work, load average 5.)
#
# | section | idea | you write |
# |---|---|---|
# | 11.1 | the cost of training: 6 N D operations, in GPU-years and dollars | `training_flops` |
# | 11.2 | memory: 16 bytes per weight, plus activations | |
# | 11.3 | FLOPs per token, a device's peak, and the share of it you use (MFU) | `mfu` |
# | 11.4 | the same GPT, fast: precision, compile, fused kernels, padding, measured one at a time | |
# | 11.5 | a KV cache: each new token costs one position's work | `cached_attention` |
# | 11.6 | several processes, one model: data-parallel training with torchrun | |
# | 11.7 | GPT-2's real weights in your model | `gpt2_to_course_state` |
# | 11.8 | for instructors: what fits where, and is the GPU used? | |

# %%
import json
import os
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display
from safetensors.torch import save_file

from course_utils import distributed, flops, pick_device, scaled, seed_everything, speed, validate  # noqa: F401
from course_utils.attention import attention_scores, attention_weights, check_tensor  # noqa: F401 - solutions use them
from course_utils.data import shakespeare_split
from course_utils.gpt import GPT, GPTConfig, KVCache, generate_cached
from course_utils.gpt2_weights import CONV1D_WEIGHTS, GPT2LoadError, find_gpt2, load_gpt2, load_gpt2_state
from course_utils.plotting import COLORS, new_axes, plot_matrices
from course_utils.text import char_vocab, encode, random_windows
from course_utils.trainer import DEFAULT_SETTINGS, CharCorpus, CharTrainer, TrainSettings, load_char_gpt

generator = seed_everything(0)
device = pick_device()

# %% [markdown]
# ## 11.1 What training costs: 6 N D
#
# Every weight of a GPT takes part in one multiplication and one addition for every token it reads: 2
# floating-point operations (FLOPs) per weight per token in the forward pass. The backward pass costs twice
# that, because each matrix product needs two new products: one for the gradient with respect to its input (to
# pass back to the layer below) and one for the gradient with respect to its weights (to update them). So
# training costs about
#
# $$\text{FLOPs} \approx (2 + 4)\, N D = 6 N D$$
#
# for $N$ weights and $D$ training tokens. (Attention's scores add a little more, which 11.3 counts; for GPT-3
# it is a few per cent.)

# %% [exercise ch11.training_flops]
# Write `training_flops(n_params, n_tokens)`: the operations to train `n_params` weights on `n_tokens` tokens,
# 6 N D, as a float.

# %% [markdown]
# GPT-3 has 175,181,291,520 weights (chapter 10 counted them matrix by matrix) and read 300 billion tokens.

# %%
GPT3_PARAMS = 175_181_291_520
GPT3_TOKENS = 300e9
gpt3_flops = training_flops(GPT3_PARAMS, GPT3_TOKENS)
rounded = training_flops(175e9, GPT3_TOKENS)
paper_n = 3.14e23 / (6 * GPT3_TOKENS)  # the N for which 6 N D is the paper's figure
print(f"GPT-3: 6 x {GPT3_PARAMS:,} x {GPT3_TOKENS:,.0f} = {gpt3_flops:.3e} operations ({rounded:.3g} with N = 175e9)")
print(f"the paper's 3.14e23 is 6 N D for N = {paper_n / 1e9:.1f} billion")
assert f"{rounded:.3g}" == "3.15e+23" and abs(gpt3_flops / 3.14e23 - 1) < 0.005

# %% [markdown]
# About 3.15e23 operations. The GPT-3 paper (Brown et al. 2020, appendix D and table D.1) counts the same way, 6
# operations per weight per token with attention left out, and reports 3.14e23: the last digit depends only on
# how N is rounded (174.4 billion would give it exactly).
#
# How long is that? It depends on how many operations a device sustains per second, which is not its peak
# (11.3). The often-quoted figures (the seed video's "355 GPU-years" and "4.6 million dollars", from an estimate by
# Lambda Labs in 2020) rest on three **assumptions**, which we state and then compute from:
#
# - the paper's 3.14e23 operations;
# - NVIDIA V100 GPUs, each sustaining 28 TFLOP/s (28e12 operations per second; its float16 peak is 125e12);
# - a cloud price of 1.50 dollars per GPU-hour.

# %%
PAPER_FLOPS = 3.14e23
V100_SUSTAINED = 28e12  # operations per second: an assumption
DOLLARS_PER_GPU_HOUR = 1.50  # an assumption
years = flops.gpu_years(PAPER_FLOPS, V100_SUSTAINED)
dollars = flops.training_cost(PAPER_FLOPS, V100_SUSTAINED, DOLLARS_PER_GPU_HOUR)
print(f"{PAPER_FLOPS:.3g} operations / {V100_SUSTAINED:.0e} per second = {PAPER_FLOPS / V100_SUSTAINED:.3g} s")
print(f"= {years:.1f} GPU-years (365-day years) = {years * 365 * 24:,.0f} GPU-hours")
print(f"at {DOLLARS_PER_GPU_HOUR:.2f} dollars per GPU-hour: {dollars / 1e6:.2f} million dollars")
print(f"on 1,024 V100s at once: {years * 365 / 1024:.0f} days")
assert 355 <= years < 356 and 4.6e6 < dollars < 4.7e6 and 3.5 < years * 12 / 1024 < 4.5  # months on 1,024

# %% [markdown]
# 355.6 GPU-years (the video's 355) and 4.67 million dollars (it says 4.6). Run side by side on 1,024 GPUs it is
# about four months. Nothing about the dollars is exact: the price per hour varies by a factor of three between
# clouds, and a real run also pays for failed starts and experiments.
#
# Now the same formula for a model you trained: chapter 10's character GPT. `load_char_gpt()` loads your own
# run's checkpoint if you trained one (`checkpoints/char_gpt.pt`), else the model the course ships. Either way
# its `.meta` is the run's record: its settings (windows per batch, characters per window), the steps it took,
# and the seconds the training took, measured as it ran. A step reads `batch_size` windows of `context`
# characters, each a token:

# %%
char_run = load_char_gpt()
record = char_run.meta  # the run's record
print("your own chapter 10 run" if record.get("source") == "training checkpoint" else "the course's chapter 10 run")
batch, context = record["settings"]["batch_size"], record["settings"]["context"]
run_params = char_run.model.num_params()
run_tokens = record["steps"] * batch * context
run_flops = training_flops(run_params, run_tokens)
run_rate = run_flops / record["training_seconds"]
on_cpu = (record.get("device") or "cpu") == "cpu"  # a record older than the key: the trainer's default, a CPU
threads = record.get("cpu_threads")
where = (f"{threads} CPU thread(s)" if threads else "a CPU") if on_cpu else record.get("device_name") or "a GPU"
shape_10 = char_run.model.config
print(f"{shape_10.n_layer} blocks, vectors {shape_10.d_model} wide, {run_params:,} weights (GPT-3: 96, 12,288, 175e9)")
print(f"{record['steps']:,} steps x {batch} windows x {context} characters = {run_tokens:,} tokens")
print(f"6 x {run_params:,} weights x {run_tokens:,} tokens = {run_flops:.3g} operations")
print(f"in {record['training_seconds']:,.1f} s on {where}: {run_rate / 1e9:.1f} GFLOP/s sustained")
print(f"GPT-3 took {gpt3_flops / run_flops:.2g} times as many operations")
print(f"at that rate GPT-3 would take {flops.gpu_years(gpt3_flops, run_rate):,.0f} years")
assert run_tokens == record["tokens_seen"] and run_flops == 6 * run_params * run_tokens and 1e8 < run_rate < 1e15

# %%
nanogpt_tokens = 600_000 * 491_520  # nanoGPT's GPT-2 reproduction: 600,000 steps of 491,520 tokens (11.3)
runs = {
    "chapter 10 run": run_flops,
    "GPT-2 small as nanoGPT trains it": training_flops(124e6, nanogpt_tokens),
    "GPT-3": gpt3_flops,
}
axes = new_axes("Training compute, 6 N D", "floating-point operations (log scale)", "")
axes.barh(list(runs), list(runs.values()), color=COLORS[: len(runs)])
axes.set_xscale("log")
for row, value in enumerate(runs.values()):
    axes.text(value, row, f" {value:.1e}", va="center", fontsize=9)
axes.set_xlim(1e9, 1e25)  # a log axis has no zero: the bars start at a billion operations
axes.invert_yaxis()
plt.show()
gpt2_ratio, gpt3_ratio = (runs[name] / run_flops for name in list(runs)[1:])
print(f"GPT-2 small: {gpt2_ratio:.1e} times your chapter 10 run; GPT-3: {gpt3_ratio:.1e} times")
assert 1 < gpt2_ratio < gpt3_ratio and 1400 < gpt3_ratio / gpt2_ratio < 1500

# %% [markdown]
# The line above says how many times your run's compute GPT-2 small took as nanoGPT reproduces it (295 billion
# tokens, 11.3); GPT-3 took about 1,400 times more again. (OpenAI never said how many tokens GPT-2 itself
# read.)
#
# ## 11.2 Memory: 16 bytes per weight, plus activations
#
# Training must hold, for every weight: the weight itself, its gradient, and AdamW's two running averages (its
# first and second moments, chapter 10). In float32 that is 4 x 4 = 16 bytes. Mixed precision keeps the weight
# and gradient in 16 bits (2 bytes each) but adds a float32 *master copy* of the weight, because bfloat16 keeps
# only 8 significant bits: an update of a thousandth of a weight, added in bfloat16, vanishes (the cell below
# shows it). 2 + 2 + 4 + 4 + 4, 16 bytes again. (torch's `autocast`, used below, keeps the weights in float32
# and casts them for each product: the same 16 bytes.)

# %%
parts32, parts16 = flops.bytes_per_parameter("float32"), flops.bytes_per_parameter("bfloat16")
axes = new_axes("What training keeps per weight (AdamW)", "", "bytes per weight")
part_names = list(dict.fromkeys([*parts32, *parts16]))  # one colour per part, the same in both columns
for column, parts in enumerate((parts32, parts16)):
    bottom = 0
    for part, size in parts.items():
        color = COLORS[part_names.index(part) % len(COLORS)]
        axes.bar(column, size, bottom=bottom, color=color, edgecolor="white")
        axes.text(column, bottom + size / 2, f"{part.replace('_', ' ')}: {size}", ha="center", va="center", fontsize=8)
        bottom += size
axes.set_xticks([0, 1], ["float32", "mixed precision (bf16)"])
plt.show()
print(f"GPT-3: {GPT3_PARAMS * 16 / 1e12:.1f} TB for weights, gradients and AdamW, before any activation")
tiny_update = torch.tensor(1.0, dtype=torch.bfloat16) + 1e-3  # bfloat16 keeps 8 significant bits: steps of 1/128
print(f"1 + 0.001 in bfloat16: {tiny_update.item()} (in float32: {torch.tensor(1.0) + 1e-3:.4f})")
assert sum(parts32.values()) == sum(parts16.values()) == 16 and round(GPT3_PARAMS * 16 / 1e12, 1) == 2.8
assert tiny_update.item() == 1.0

# %% [markdown]
# 2.8 terabytes for GPT-3: no GPU holds that (an H200 has 141 GB), so its training split the weights themselves
# across many GPUs, a step beyond this chapter's data parallelism.
#
# Then the **activations**: every layer's inputs that the backward pass needs, for every token of the batch.
# Korthikanti et al. (2022) count about `34 C + 5 H T` bytes per token and layer in 16-bit precision (the
# inputs of each matrix product, layer norm and GELU, and the H attention tables of T scores). They grow with
# the batch and, through attention, with the square of the context. Which GPT-2 sizes fit, with a batch of 8
# windows of 1,024 tokens?

# %%
GPT2_SIZES = {  # name: (weights, layers, width, heads), GPT-2's four published sizes
    "124M": (124e6, 12, 768, 12),
    "355M": (355e6, 24, 1024, 16),
    "774M": (774e6, 36, 1280, 20),
    "1.5B": (1.56e9, 48, 1600, 25),
}
GPU_MEMORY_GB = {"T4": 16, "L4 / A10G": 24, "A100 40GB": 40, "A100 / H100 80GB": 80, "H200": 141}
rows = []
for name, (n_params, n_layer, width, heads) in GPT2_SIZES.items():
    need = flops.training_memory_bytes(n_params, n_layer, 1024, width, heads, batch_size=8)
    fits = [f"{'fits' if need['total'] <= gb * 1e9 * 0.9 else 'no'}" for gb in GPU_MEMORY_GB.values()]
    rows.append(
        f"| GPT-2 {name} | {need['weights_and_optimizer'] / 1e9:.1f} | {need['activations'] / 1e9:.1f} | "
        + " | ".join(fits)
        + " |"
    )
header = "| model | weights + AdamW GB | activations GB | " + " | ".join(GPU_MEMORY_GB) + " |"
display(Markdown("\n".join([header, "|---" * (3 + len(GPU_MEMORY_GB)) + "|", *rows])))
small = flops.training_memory_bytes(124e6, 12, 1024, 768, 12, batch_size=8)
assert small["total"] < 16e9 * 0.9 < flops.training_memory_bytes(355e6, 24, 1024, 1024, 16, 8)["total"]

# %% [markdown]
# ("fits" leaves 10% for the framework and fragments.) The activations, not the weights, decide most of these:
# halving the batch halves them, and *gradient accumulation* (11.6) gets the same large batch from several
# small ones. Recomputing activations in the backward pass instead of keeping them trades a third more
# operations for most of this memory.
#
# ## 11.3 FLOPs per token, a device's peak, and MFU
#
# `6 N` per token counts the weights. Attention also multiplies activations by activations: the scores
# `q @ k^T` and the weighted sum `weights @ v` each cost `2 T C` per token and layer in the forward pass (T keys
# of width C), so with the backward pass `12 L T C` per token. nanoGPT counts the same (its `estimate_mfu`):
#
# $$\text{FLOPs per token} = 6N + 12\,L\,T\,C$$
#
# The attention term matters when the context is long compared with the width.

# %%
contexts = np.array([256, 1024, 2048, 8192, 32768])
for label, (n_params, n_layer, width) in {
    "GPT-2 small": (85e6, 12, 768),
    "GPT-3": (GPT3_PARAMS, 96, 12288),
}.items():
    attention_share = [12 * n_layer * t * width / flops.flops_per_token(n_params, n_layer, t, width) for t in contexts]
    plt.plot(contexts, 100 * np.array(attention_share), marker="o", label=label)
plt.xscale("log")
plt.xlabel("context T (tokens, log scale)")
plt.ylabel("attention's share of FLOPs per token, %")
plt.title("6N dominates until the context is long")
plt.legend()
plt.show()
gpt3_per_token = flops.flops_per_token(GPT3_PARAMS, 96, 2048, 12288)
gpt3_attention_share = 12 * 96 * 2048 * 12288 / gpt3_per_token
print(f"GPT-3 at T = 2048: {gpt3_per_token:.3g} operations per token, attention {gpt3_attention_share:.1%}")
assert 0.01 < gpt3_attention_share < 0.03

# %% [markdown]
# A device's **peak** is what its datasheet promises: every multiply unit busy every cycle. It depends on the
# precision: an A100 does 19.5e12 float32 operations per second on its ordinary cores, 156e12 in TF32 and 312e12
# in bfloat16 on its tensor cores. The course's table (from the makers' datasheets, without the "sparsity"
# doubling a GPT cannot use) is keyed by the device's name; a device or precision it does not know gives
# **unknown**, never a guess:

# %%
names = ["NVIDIA A100-SXM4-80GB", "NVIDIA H100 80GB HBM3", "NVIDIA H200", "NVIDIA L4", "Tesla T4", "NVIDIA A10G",
         "Tesla V100-SXM2-16GB", "Apple M2 Pro", "NVIDIA L40S"]  # fmt: skip
lines = ["| device name | " + " | ".join(flops.PRECISIONS) + " |", "|---" * (1 + len(flops.PRECISIONS)) + "|"]
for name in names:
    cells = [flops.format_flops(flops.peak_flops(name, precision)) for precision in flops.PRECISIONS]
    lines.append(f"| {name} | " + " | ".join(cells) + " |")
display(Markdown("\n".join(lines)))
cpu = flops.cpu_peak_flops()
print(f"this CPU, estimated: {cpu.flops:.3g} FLOP/s float32 ({cpu.assumptions})")
assert flops.peak_flops("Tesla T4", "bfloat16") is None and flops.peak_flops("NVIDIA L40S", "bf16") is None

# %% [markdown]
# A CPU's peak is not in a datasheet table; it is estimated from its cores, clock and vector width, with those
# assumptions printed. **Model FLOPs utilisation** (MFU, from Google's PaLM paper) is the share of the peak a
# training run achieves: tokens trained per second times FLOPs per token, over the peak *in the precision the
# run uses*. The PaLM paper reports 46% for PaLM's training and 21% for GPT-3's; small models on one GPU reach
# much less.

# %% [exercise ch11.mfu]
# Write `mfu(tokens_per_second, flops_per_token, peaks, precision)`: `peaks` maps a precision to one device's
# peak FLOP/s (a row of `flops.PEAK_FLOPS`, such as `flops.PEAK_FLOPS["A100"]`). Return the achieved rate over
# the peak in `precision`, a share between 0 and 1. A precision the device has no peak for raises `KeyError`.

# %% [markdown]
# nanoGPT reproduces GPT-2 small "on a single 8XA100 40GB node in about 4 days" (its README), with 600,000
# steps of 12 x 1,024 x 40 = 491,520 tokens (its `config/train_gpt2.py`). Its tokens per second per GPU, and
# its MFU:

# %%
tokens_per_gpu_second = 600_000 * 491_520 / (4 * 24 * 3600) / 8
gpt2_per_token = flops.flops_per_token(85e6 + 50304 * 768, 12, 1024, 768)  # padded vocabulary, no positions
a100_mfu = mfu(tokens_per_gpu_second, gpt2_per_token, flops.PEAK_FLOPS["A100"], "bfloat16")
wrong = mfu(tokens_per_gpu_second, gpt2_per_token, flops.PEAK_FLOPS["A100"], "float32")
print(f"{tokens_per_gpu_second:,.0f} tokens/s per GPU x {gpt2_per_token:.3g} operations per token")
print(f"MFU on an A100 in bf16: {a100_mfu:.1%}; against the float32 peak it would read {wrong:.0%}, impossible")
assert 0.25 < a100_mfu < 0.35 and wrong > 1

# %% [markdown]
# And your chapter 10 run (11.1)? The trainer computes in float32 (no autocast, no TF32), so its peak is the
# float32 one: on a CPU the estimate above for the threads the run used (on a GPU, the table's row for the
# device it recorded; a device the table does not know gives "unknown"). Its tokens per second come from its
# record, the time it measured:

# %%
run_per_token = flops.flops_per_token(
    char_run.model.num_params(include_position=False), shape_10.n_layer, shape_10.context, shape_10.d_model
)
run_tokens_per_second = run_tokens / record["training_seconds"]
if on_cpu:  # None where the record does not say how many threads
    peak_per_process = flops.cpu_peak_flops(cores=threads).flops if threads else None
else:  # None where the record does not say which GPU, or the table does not know it
    peak_per_process = flops.peak_flops(record.get("device_name") or "unknown", "float32")
processes = record.get("processes") or 1  # under torchrun, every process has its own threads or GPU
run_peak = None if peak_per_process is None else processes * peak_per_process
achieved = run_tokens_per_second * run_per_token
print(f"{run_tokens_per_second:,.0f} tokens/s x {run_per_token:.3g} operations per token = {achieved:.3g} FLOP/s")
if run_peak is None:
    print("the record does not say on what it trained, or the peak table does not know it: its MFU is unknown")
else:
    run_mfu = mfu(run_tokens_per_second, run_per_token, {"float32": run_peak}, "float32")
    print(f"against a float32 peak of {run_peak:.3g} FLOP/s: MFU {run_mfu:.1%}")
    a100_peak = flops.PEAK_FLOPS["A100"]["bfloat16"]
    print(f"an A100's bfloat16 peak is {a100_peak / run_peak:,.0f} times that")
    assert 0 < run_mfu < 1
if record.get("load_average"):
    print(f"load average of the machine it trained on, at the end: {record['load_average']}")

# %% [markdown]
# Read a CPU's MFU with care. Its peak is an estimate (cores x clock x the operations its vector units can do
# per cycle), taken from the CPU this notebook runs on: if the run trained on another machine (the course's
# model was trained on the course's own), read the MFU as an order of magnitude. Several things hold it down:
# matrices this narrow cannot keep every vector unit busy; at this size the many small operations of a step
# (and Python's work between them) take about as long as the products; and the seconds are wall-clock time,
# so on a machine busy with other work (a load average above its number of cores) they include the time the
# run waited for its turn. Even a CPU used well is slow, though: the last line above says how many times
# more an A100 can compute in the same second, which is why GPT-2 was trained on GPUs.

# %% [markdown]
# ## 11.4 The same GPT, fast
#
# What makes a training step fast on a GPU, each a switch of `course_utils.speed.Settings`:
#
# - **Precision.** Tensor cores multiply 16-bit numbers many times faster than float32. `torch.autocast` runs
#   each matrix product in bfloat16 (NVIDIA Ampere and later: A100, H100, L4, A10G) and keeps sums and the
#   loss in float32. Older GPUs (T4, V100) have float16 only, whose 5 exponent bits turn small gradients into
#   0: a **gradient scaler** multiplies the loss by a large factor before backward and divides the gradients
#   before the step. A CPU trains in float32.
# - **TF32.** On Ampere and later, float32 products can run on tensor cores with a 10-bit mantissa:
#   `torch.backends.cuda.matmul.allow_tf32 = True`.
# - **Fused attention.** `F.scaled_dot_product_attention` (chapter 10's `fast_attention=True`) computes attention
#   without storing the (T, T) table (flash attention on GPUs that have it).
# - **A fused optimizer.** `AdamW(fused=True)` updates every weight in one kernel instead of one per tensor.
# - **A padded vocabulary.** GPT-2's 50,257 tokens make a matrix of awkward size; 50,304 (a multiple of 64)
#   fits the GPU's tiles. The extra rows are never a target, so the model learns to give them no probability.
# - **torch.compile** fuses the many small operations (layer norms, GELUs, additions) into fewer kernels. It
#   compiles at the first step, which takes tens of seconds, so it pays only in long runs; it needs a C
#   compiler (and Triton on NVIDIA GPUs). `speed.compile_model` falls back to the plain model where it cannot
#   work (Windows without a compiler, Apple GPUs) and says why. This notebook never compiles on a CPU.
#
# Each switch on its own, then all together, measured here on the device `pick_device` chose, training a GPT
# on Shakespeare's characters: nanoGPT's Shakespeare shape (6 layers, width 384, context 256) on an NVIDIA GPU,
# chapter 10's default shape elsewhere, so that the table takes seconds, not minutes.

# %%
train_text, _ = shakespeare_split()
vocab = char_vocab(train_text)
train_ids = torch.tensor(encode(train_text[: scaled(full=2_000_000, fast=50_000)], vocab))
# nanoGPT's Shakespeare shape on an NVIDIA GPU; chapter 10's default shape elsewhere, to finish in time
ch10 = DEFAULT_SETTINGS
full = (256, 6, 6, 384) if device.type == "cuda" else (ch10.context, ch10.n_layer, ch10.n_head, ch10.d_model)
shape = GPTConfig(
    vocab_size=len(vocab),
    context=scaled(full=full[0], fast=64),
    n_layer=scaled(full=full[1], fast=2),
    n_head=scaled(full=full[2], fast=2),
    d_model=scaled(full=full[3], fast=64),
)
rows = speed.one_at_a_time(device)
measured = [
    speed.measure_training(
        shape,
        settings,
        device,
        train_ids,
        batch_size=scaled(full=32, fast=4),
        steps=scaled(full=20, fast=2),
        warmup=scaled(full=3, fast=1),
    )  # fmt: skip
    for settings in rows
]
load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
display(Markdown(speed.format_table(measured) + f"\n\n(load average {load:.1f} while measuring)"))
for reason in speed.skipped_on(device):
    print("not measured here:", reason)
assert all(m.tokens_per_second > 0 for m in measured) and len(measured) == len(rows)

# %%
axes = new_axes(f"Training speed on {measured[0].device}", "tokens per second", "")
labels = [m.settings.label() for m in measured]
axes.barh(labels, [m.tokens_per_second for m in measured], color=COLORS[0])
axes.invert_yaxis()
plt.show()

# %% [markdown]
# On a CPU the differences are small and noisy (a busy machine shifts them more than the switches do): the
# GPU-specific switches cannot apply, and at this size Python's overhead per operation weighs as much as the
# arithmetic. On a GPU each line moves the numbers. `benchmarks/gpu.py` measures this table on an NVIDIA GPU
# with about 30 timed steps per setting, the compile's warm-up reported apart, and then the time to a held-out
# loss of 1.47 on Shakespeare's characters. *No GPU was available when this chapter was written; run the script
# on yours and compare.*
#
# ## 11.5 A KV cache: each new token costs one position's work
#
# `model.generate` reads the whole text again for every new token: the keys and values of every earlier
# position are recomputed, identical to the last step's (a causal GPT's earlier positions never see later
# ones). A **KV cache** keeps each layer's keys and values, so that a step feeds only the newest token: its
# query looks at all the cached keys, and its own key and value join the cache. Its position embedding is that
# of its place in the text, the cache's length.
#
# The attention for several new positions at once (the prompt, say) needs the causal mask shifted: new query
# i sits at position T_cache + i and may look at keys 0 to T_cache + i.

# %%
t_cache, t_new = 3, 2
allowed = torch.ones(t_new, t_cache + t_new, dtype=torch.bool).tril(diagonal=t_cache)
plot_matrices([allowed.float()], [f"{t_new} new queries (rows) x {t_cache} cached + {t_new} new keys"], decimals=0)
plt.show()
assert allowed.tolist() == [[True, True, True, True, False], [True, True, True, True, True]]

# %% [exercise ch11.kv_cache_attention]
# Write `cached_attention(q, k, v, past_k=None, past_v=None)`: `q, k, v` are (..., T_new, d) for the new
# positions, `past_k, past_v` (..., T_cache, d) the cache, or None when nothing is cached. Append the new keys
# and values after the cached ones (along dim -2), attend with the shifted causal mask (use chapter 08's
# `attention_scores` and `attention_weights`), and return `(out, keys, values)`: the output for the new
# positions and the grown cache.

# %% [markdown]
# The course's GPT takes the cache as an optional keyword of its forward, `model(ids, kv_cache=cache)`, where
# `cache = KVCache(model)`; each `CausalSelfAttention` then calls `cached_attention`. Without the keyword the
# model is exactly chapter 10's. Reading a text in three pieces through the cache gives the logits of reading
# it at once:

# %%
model = char_run.model  # chapter 10's character GPT, from 11.1
ids = torch.tensor([char_run.encode("JULIET.\nO Romeo, Romeo, wherefore art thou")])[:, : model.config.context]
cache = KVCache(model)
with torch.no_grad():
    pieces = [model(ids[:, :5], kv_cache=cache), model(ids[:, 5:9], kv_cache=cache), model(ids[:, 9:], kv_cache=cache)]
    whole = model(ids)
difference = (torch.cat(pieces, dim=1) - whole).abs().max().item()
print(f"{cache}; largest difference from reading it whole: {difference:.1e}")
q_all, k_all, v_all = (torch.randn(1, 2, 6, 4, generator=generator) for _ in range(3))
out_1, keys_1, values_1 = cached_attention(q_all[..., :4, :], k_all[..., :4, :], v_all[..., :4, :])
out_2, _, _ = cached_attention(q_all[..., 4:, :], k_all[..., 4:, :], v_all[..., 4:, :], keys_1, values_1)
plain = attention_weights(attention_scores(q_all, k_all), torch.ones(6, 6, dtype=torch.bool).tril()) @ v_all
assert difference < 1e-4 and torch.allclose(torch.cat([out_1, out_2], dim=-2), plain, atol=1e-6)

# %% [markdown]
# `generate_cached(model, ids, ...)` is `model.generate` with the cache. Greedy generation (temperature 0) must
# give exactly the same tokens, and it is faster the longer the text:

# %%
new_tokens = scaled(full=100, fast=20)
prompt = ids[:, :8]
timings = {}
for name, run in (
    ("without the cache", model.generate),
    ("with the cache", lambda *a, **k: generate_cached(model, *a, **k)),
):
    start = time.perf_counter()
    tokens = run(prompt, new_tokens, temperature=0)
    timings[name] = (time.perf_counter() - start, tokens)
(plain_s, plain_tokens), (cached_s, cached_tokens) = timings.values()
print(f"{new_tokens} new tokens: {plain_s:.2f} s without the cache, {cached_s:.2f} s with it")
print(repr(char_run.decode(cached_tokens[0])))
assert torch.equal(plain_tokens, cached_tokens)

# %% [markdown]
# Same tokens. With a short text (fast mode generates 20) there is little to save, and the two times differ by
# less than a busy machine makes them vary: each step's fixed costs weigh as much as the work saved. (The full
# run generates 100 tokens.) Without the cache every step reads the whole text,
# so its work grows with the length of the text; with the cache a step reads one new position, until the text
# outgrows the model's context: then the window slides, every token's position changes at every step, no
# cached key stays valid, and each step reads the whole window again, as `generate` does (which is what keeps
# the tokens identical). The positions each step reads, for 500 new tokens after an 8-token prompt, with
# chapter 10's context and with GPT-2's:

# %%
prompt_length, steps = 8, np.arange(500)
figure, panels = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
for axes, context_size in zip(panels, (model.config.context, 1024), strict=True):
    length = prompt_length + steps  # the text's length as each step starts
    plain_reads = np.minimum(length, context_size)
    cached_reads = np.where(length > context_size, context_size, np.where(steps == 0, prompt_length, 1))
    axes.plot(steps, plain_reads, color=COLORS[0], label="without the cache")
    axes.plot(steps, cached_reads, color=COLORS[1], label="with the cache")
    axes.set_title(f"context {context_size}: in all, {plain_reads.sum() / cached_reads.sum():.1f} times fewer")
    axes.set_xlabel("generation step")
    axes.set_yscale("log")
panels[0].set_ylabel("positions read by the step (log scale)")
panels[0].legend()
plt.show()
assert cached_reads.sum() == prompt_length + 499 and plain_reads.sum() == sum(range(8, 508))

# %% [markdown]
# Reading fewer positions is not the whole time, though: a step that reads one position still multiplies it by
# every weight of the model, and has the fixed costs of a step.
#
# `benchmarks/kv_cache.py` times 500 new greedy tokens both ways, from an 8-token prompt, after a few untimed
# tokens each way. On the course's 2-core test machine, with one thread and the machine busy with other jobs
# (load average 3 to 5), so that the times are slow and only their ratios are worth reading, it printed (for
# chapter 10's model, the middle of three runs, which gave 1.0x to 1.1x):
#
# | model | weights | context | without the cache | with the cache | same tokens | speed-up |
# |---|---:|---:|---:|---:|---|---:|
# | chapter 10's model, as the course ships it | 806,528 | 64 | 1.7 s | 1.6 s | yes | 1.1x |
# | GPT-2 small's shape, random weights | 124,439,808 | 1,024 | 1,114 s | 97 s | yes | 11.4x |
#
# Chapter 10's context of 64 characters is soon full, so most of its 500 steps read the whole window either
# way (the left picture above); GPT-2's context holds the whole text, and every step after the prompt is cached.
#
# The larger the model and the longer the text, the more the cache saves. Its price is memory: two tensors of
# (B, H, T, d) per layer, keys and values, for every position kept:

# %%
gpt3_cache = 2 * 96 * 2048 * 12_288 * 2  # keys and values x layers x positions x (heads x d) x 2 bytes (16 bits)
own_cache = 2 * model.config.n_layer * model.config.context * model.config.d_model * 4  # float32 on a CPU
print(f"GPT-3, one sequence of 2,048 tokens in 16 bits: {gpt3_cache / 1e9:.1f} GB")
print(f"chapter 10's model, a full context of {model.config.context} in float32: {own_cache / 1e6:.2f} MB")
assert round(gpt3_cache / 1e9, 1) == 9.7

# %% [markdown]
# ## 11.6 Several processes, one model: data-parallel training
#
# A batch of 512 windows need not run on one GPU. **Data parallelism** gives each of several GPUs (or processes) a
# full copy of the model and its own slice of the batch: each computes its gradients, then all of them average
# their gradients (an *all-reduce*), so that every copy takes the same step and the copies stay equal. With the
# same seed and the same global batch, the result equals one process on the whole batch.
#
# torch's `DistributedDataParallel` does the averaging during the backward pass, and `torchrun` starts the
# processes and tells each its rank. `course_utils.distributed` holds the few pieces a training loop needs
# (join the group, wrap the model, take this rank's slice of the batch, step with accumulation), and chapter
# 10's trainer uses them: started by `torchrun`, every process draws the *same* global batch from the same
# seeded generator and keeps its own slice; rank 0 alone measures the held-out loss, shows the progress bar and
# writes the checkpoint.
#
# ```bash
# # 4 GPUs (nccl, one GPU per process): a global batch of 128 windows, 32 per GPU, 16 per forward pass
# torchrun --standalone --nproc_per_node 4 -m course_utils.trainer --batch-size 128 --micro-batch 16
# # 2 CPU processes (gloo): the same mechanics on a laptop, one thread each
# OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node 2 -m course_utils.trainer --steps 200 --out /tmp/ddp.pt
# # carry on after an interruption, on as many processes as you like: the batches are global
# OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node 2 -m course_utils.trainer --resume --out /tmp/ddp.pt
# ```
#
# On one CPU, the processes share the same cores, so this is for seeing the mechanics, which are the same on
# GPUs. Why is the result the same as one process's? The loss of the global batch is the mean over its
# windows, and the mean of two halves' means is the mean of the whole: so the average of the ranks' gradients
# is the gradient of the whole batch. Here is that average played out in this one process, with
# `distributed.shard` giving each pretend rank its slice:

# %%
ddp_text = shakespeare_split()[0][: scaled(full=200_000, fast=50_000)]
ddp_vocab = char_vocab(ddp_text)
ddp_ids = torch.tensor(encode(ddp_text, ddp_vocab))
torch.manual_seed(0)
ddp_model = GPT(GPTConfig(vocab_size=len(ddp_vocab), context=16, n_layer=1, n_head=2, d_model=16))
ddp_x, ddp_y = random_windows(ddp_ids, 16, 8, torch.Generator().manual_seed(0))  # a global batch of 8 windows


def gradient_of(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """All of ddp_model's gradients for the mean loss over the windows x, as one vector."""
    ddp_model.zero_grad()
    torch.nn.functional.cross_entropy(ddp_model(x).flatten(0, 1), y.flatten()).backward()
    return torch.cat([p.grad.flatten() for p in ddp_model.parameters()])


whole_batch = gradient_of(ddp_x, ddp_y)
ranks = [distributed.DistributedRun(rank, rank, 2, "gloo", torch.device("cpu")) for rank in range(2)]
per_rank = [gradient_of(distributed.shard(ddp_x, run), distributed.shard(ddp_y, run)) for run in ranks]
averaged = (per_rank[0] + per_rank[1]) / 2  # what the all-reduce gives every rank
print(f"each rank's slice: {len(distributed.shard(ddp_x, ranks[0]))} of {len(ddp_x)} windows")
print(f"rank 0's gradient differs from the whole batch's by up to {(per_rank[0] - whole_batch).abs().max():.2e}")
print(f"the average of the ranks' gradients differs by up to   {(averaged - whole_batch).abs().max():.2e}")
assert (averaged - whole_batch).abs().max() < 1e-6 < (per_rank[0] - whole_batch).abs().max()

# %% [markdown]
# When even one slice does not fit in memory, **gradient accumulation** runs several small batches, adds
# their gradients, and steps once: the same update as one large batch, in more time but less memory. The
# trainer's `--micro-batch` does that (alone or under torchrun): three steps of the same run, all 8 windows
# at once against 4 forward passes of 2, give the same losses up to float rounding.

# %%
ddp_corpus = CharCorpus(ddp_vocab, ddp_ids[: len(ddp_ids) * 9 // 10], ddp_ids[len(ddp_ids) * 9 // 10 :])
tiny_run = TrainSettings(context=16, n_layer=1, n_head=2, d_model=16, batch_size=8, steps=10, warmup_steps=1)
accumulation_losses = {}
for micro_batch in (None, 2):
    trainer = CharTrainer(tiny_run, corpus=ddp_corpus, micro_batch=micro_batch)
    trainer.train(3, progress=False)
    accumulation_losses[trainer.micro_batch] = trainer.history.losses
    print(f"{trainer.micro_batch} windows per forward pass: losses {[round(v, 5) for v in trainer.history.losses]}")
np.testing.assert_allclose(accumulation_losses[2], accumulation_losses[8], rtol=1e-5)

# %%
axes = new_axes("Data parallelism: each process a slice of the batch", "", "")
axes.set_axis_off()
for rank in range(2):
    y = 1 - rank
    axes.add_patch(plt.Rectangle((0, y), 1.6, 0.6, color=COLORS[0], alpha=0.3))
    axes.text(0.8, y + 0.3, f"windows {rank * 4}-{rank * 4 + 3}", ha="center", va="center")
    axes.add_patch(plt.Rectangle((2.2, y), 1.6, 0.6, color=COLORS[1], alpha=0.3))
    axes.text(3.0, y + 0.3, f"rank {rank}: model copy\nforward, backward", ha="center", va="center", fontsize=9)
    axes.annotate("", (2.2, y + 0.3), (1.6, y + 0.3), arrowprops={"arrowstyle": "->"})
    axes.annotate("", (4.6, 0.8), (3.8, y + 0.3), arrowprops={"arrowstyle": "->"})
axes.add_patch(plt.Rectangle((4.6, 0.5), 1.6, 0.6, color=COLORS[2], alpha=0.3))
axes.text(5.4, 0.8, "average the\ngradients", ha="center", va="center", fontsize=9)
axes.set_xlim(-0.1, 6.3)
axes.set_ylim(-0.1, 1.7)
plt.show()

# %% [markdown]
# The course's tests start the trainer itself under `torchrun` with two CPU processes (gloo) for a few steps
# of a tiny model, and check that both copies of the weights end equal, and that the losses and weights match
# a single process's on the same global batch to 1e-5 (the sums are the same, added in another order); also
# that a run resumed on two processes ends where the uninterrupted one does (`tests/test_ddp.py`).
#
# ## 11.7 GPT-2's real weights in your model
#
# The course's GPT uses GPT-2's own names (`wte`, `h.0.attn.c_attn`, `ln_f`), so OpenAI's weights almost load as
# they are. Almost, because GPT-2's linear layers are `Conv1D` modules, which store their matrix as
# (in, out) and compute `x @ W`, while `nn.Linear` stores (out, in) and computes `x @ W.T`. Four matrices per
# block must be transposed:

# %%
print(CONV1D_WEIGHTS)
w_file = torch.arange(6.0).view(2, 3)  # Conv1D: 2 inputs, 3 outputs
x = torch.tensor([[2.0, -1.0]])
plot_matrices([x, w_file, x @ w_file], ["x", "Conv1D weight (in, out)", "x @ W"], ["@", "="], decimals=0)
plot_matrices([w_file.t()], ["nn.Linear weight (out, in) = W.T"], decimals=0)
plt.show()
linear = torch.nn.Linear(2, 3, bias=False)
with torch.no_grad():
    linear.weight.copy_(w_file.t())
assert torch.equal(linear(x), x @ w_file)

# %% [markdown]
# A non-square matrix loaded untransposed fails loudly (its shape is wrong). `attn.c_proj` is square (768 x 768
# in GPT-2 small): untransposed it fits, and the model writes nonsense without an error. Two more differences:
# a file in Hugging Face's format names everything under `transformer.` (OpenAI's own upload does not, but
# holds `h.N.attn.bias`, the causal mask, which is not a weight), and it stores the tied unembedding once.

# %% [exercise ch11.load_gpt2_state]
# Write `gpt2_to_course_state(gpt2_state)`: from GPT-2's weights as a Hugging Face file names them, return the
# course's state dict: the prefix `transformer.` dropped, the mask buffers (`.attn.bias`, `.attn.masked_bias`)
# left out, the four Conv1D matrices transposed, and `lm_head.weight` set to the same tensor as `wte.weight`.

# %% [markdown]
# `course_utils.gpt2_weights.load_gpt2_state(model, file_state, to_course_state)` loads through your mapping and
# checks everything: the names (missing and unexpected ones listed), the shapes, every loaded weight against
# the file (so a square matrix loaded untransposed is named), the GELU form (GPT-2 used GELU's tanh
# approximation; build the model with `GPTConfig(gelu="tanh")`), and the tying. To try it without downloading
# anything, make a small "GPT-2" file the way Hugging Face writes one, from a GPT of our own:

# %%
small = GPTConfig(vocab_size=101, context=32, n_layer=2, n_head=4, d_model=48, gelu="tanh")
torch.manual_seed(0)
original = GPT(small).eval()
file_state = {}
for name, tensor in original.state_dict().items():
    if name != "lm_head.weight":  # tied: stored once, as wte.weight
        stored = tensor.t().contiguous() if name.endswith(CONV1D_WEIGHTS) else tensor
        file_state["transformer." + name] = stored.clone()
folder = Path(tempfile.mkdtemp())
save_file(file_state, str(folder / "model.safetensors"))
hf_config = {
    "vocab_size": 101,
    "n_positions": 32,
    "n_layer": 2,
    "n_head": 4,
    "n_embd": 48,
    "activation_function": "gelu_new",
}
(folder / "config.json").write_text(json.dumps(hf_config))  # the sizes, as Hugging Face saves them beside the weights
loaded = load_gpt2_state(GPT(small), file_state, gpt2_to_course_state)
test_ids = torch.randint(101, (1, 20), generator=generator)
with torch.no_grad():
    same = torch.equal(loaded(test_ids), original(test_ids))
print(f"loaded through your mapping: logits equal to the original's: {same}")


def forgot_square_transpose(state):
    mapped = gpt2_to_course_state(state)
    return mapped | {name: mapped[name].t() for name in mapped if name.endswith("attn.c_proj.weight")}


try:
    load_gpt2_state(GPT(small), file_state, forgot_square_transpose)
except GPT2LoadError as error:
    print("a mapping without c_proj's transpose:", error)
assert same and load_gpt2(folder).config == small  # load_gpt2 reads the folder: config.json and the weights

# %% [markdown]
# The tests of `course_utils` do the same with a real `transformers.GPT2LMHeadModel` (random weights, saved by
# `save_pretrained`): the loaded model's logits equal Hugging Face's to 1e-4 and it writes the same 20 greedy
# tokens.
#
# **GPT-2 124M itself.** The weights are a 550 MB download. `load_gpt2()` looks in your Hugging Face cache
# (where `transformers` keeps what it downloaded); if they are not there it tells you how to get them, and
# `load_gpt2(download=True)` downloads them once, only when you ask. If you have them, the next cell samples
# from GPT-2 with chapter 07's sampler and GPT-2's tokenizer (shipped in `data/`):

# %%
try:
    gpt2_path = find_gpt2()
except FileNotFoundError as missing:
    gpt2_path = None
    print(missing)
if gpt2_path is not None:
    from course_utils.data import gpt2_tokenizer

    gpt2 = load_gpt2(gpt2_path.parent)
    tokenizer = gpt2_tokenizer()
    prompt_ids = torch.tensor([tokenizer.encode("The meaning of life is")])
    out = generate_cached(gpt2, prompt_ids, 40, temperature=0.8, top_k=50, generator=torch.Generator().manual_seed(0))
    print(tokenizer.decode(out[0].tolist()))

# %% [markdown]
# ## 11.8 For instructors
#
# - **What fits where.** 11.2's table: GPT-2 small trains with a batch of 8 x 1,024 tokens on a 16 GB T4;
#   chapter 10's character model (11.1 printed its size) fits on any GPU and on a laptop.
# - **Time per chapter on a hub GPU.** Chapters 00 to 09 are small and run as fast on a CPU. Chapter 10's full
#   training and this chapter's speed table are where a GPU helps; run `benchmarks/gpu.py` once on your hub's
#   GPU to see its figures (it prints each as it comes and finishes within 6 minutes).
# - **Is the GPU used?** `pick_device()` prints its choice as each notebook starts (`COURSE_DEVICE=cuda`
#   forces it). In a terminal, `nvidia-smi` shows the notebook's Python process and its memory while it trains;
#   the speed table above names the device it measured.
#
# ## Summary
#
# - **Training costs about 6 N D operations**: 2 per weight per token forward, 4 backward. GPT-3: 3.15e23
#   (the paper: 3.14e23), which at an assumed 28 TFLOP/s sustained per V100 and 1.50 dollars per GPU-hour is
#   355 GPU-years and 4.7 million dollars.
# - **Memory**: 16 bytes per weight for weights, gradients and AdamW's moments, in float32 or mixed precision
#   (with its float32 master copy), plus activations that grow with batch and context.
# - **FLOPs per token** are `6N + 12 L T C`; **MFU** divides the achieved rate by the device's peak in the
#   run's precision; an unknown device gets "unknown", not a guess.
# - **Fast training**: bf16 autocast (fp16 with a gradient scaler on older GPUs), TF32, fused attention and
#   AdamW, a padded vocabulary, and `torch.compile` where it works.
# - **A KV cache** makes each generated token cost one position's work, with exactly the same tokens.
# - **Data parallelism** with `torchrun` and DDP: each process a slice of the batch, gradients averaged.
# - **GPT-2's weights** load into the course's GPT once the Conv1D matrices are transposed and the GELU is the
#   tanh form.
#
# Chapter 12 turns the GPT into an encoder-decoder that translates, and into a chat.
