# %% [markdown]
# # 08 Attention: how tokens look at each other
#
# Until now every token has been processed on its own: an embedding (chapter 04) gives the word *fair* one
# vector, whatever sentence it stands in. But *her face is fair* and *the wind is fair* mean different things,
# and a model that predicts the next word has to know which one it is reading. **Attention** is how a
# transformer moves information between positions: each token asks a question (its **query**), every earlier
# token offers an answer key (its **key**) and a message (its **value**), and each token takes a weighted
# average of the messages whose keys match its question best.
#
# In this chapter you build attention from its parts, check it against torch's own, and then look inside the
# small GPT of chapter 00 to see where its heads look.
#
# **You need** dot products and matrix products (chapter 05), embeddings (chapter 04) and the softmax (chapter
# 07: it turns any row of numbers into positive weights that sum to 1).
#
# **Time**: 60 to 90 minutes, six exercises included. (In the course's tests, fast mode `COURSE_FAST=1`, the
# notebook took about 14 s of CPU time on a 2-core machine, kernel start included.)
#
# | section | idea | you write |
# |---|---|---|
# | 8.1 | the same word needs a different vector in a different context | |
# | 8.2 | queries, keys and values; scores as dot products | `attention_scores` |
# | 8.3 | why the scores are divided by sqrt(d) | |
# | 8.4 | the causal mask: no looking ahead | `causal_mask` |
# | 8.5 | the softmax over keys, with a mask | `attention_weights` |
# | 8.6 | the weighted sum of values: one head | `single_head_attention` |
# | 8.7 | the value map as value-down times value-up | |
# | 8.8 | many heads at once | `multi_head_attention` |
# | 8.9 | the same numbers as torch | |
# | 8.10 | the heads of a trained GPT, and a head explorer | |
# | 8.11 | cross-attention: queries from one text, keys and values from another | `cross_attention` |
# | 8.12 | the cost: quadratic in the length of the text | |

# %%
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from IPython.display import display
from torch import nn

from course_utils import scaled, seed_everything
from course_utils.attention import check_heads, check_projection, check_tensor  # noqa: F401 - the solutions use them
from course_utils.attention import gpt_attention_maps
from course_utils.attention_plots import head_explorer, plot_attention, plot_head_split, plot_heads
from course_utils.gpt import GPT, GPTConfig
from course_utils.plotting import COLORS, new_axes, plot_matrices
from course_utils.tour import load_tour_model

generator = seed_everything(0)

# %% [markdown]
# ## 8.1 The same word, different meanings
#
# An embedding table gives every token one vector. Here is the table of the small GPT from chapter 00, trained on
# Shakespeare: 96 numbers for each of its 19,378 tokens. Take the word ` fair` in two short texts.

# %%
tour = load_tour_model()
model, vocab = tour.model, tour.vocab
texts = ["Her face is fair", "The wind is fair"]
ids = [torch.tensor(vocab.encode(text)) for text in texts]
for text, text_ids in zip(texts, ids, strict=True):
    print(f"{text!r:20} -> tokens {[vocab.token_text(i) for i in text_ids.tolist()]}, ids {text_ids.tolist()}")
fair = vocab.encode(" fair")[0]
embedding = model.wte.weight.detach()  # (19378, 96): one row per token
assert ids[0][-1] == ids[1][-1] == fair and embedding.shape == (len(vocab), 96)

# %% [markdown]
# In both texts the last token is the same id, so it gets the same row of the table: the embedding cannot tell a
# fair face from a fair wind. The rest of the text can. The simplest way to let the context in is to replace
# each token's vector by the **average of its own vector and the vectors of the tokens before it**. To see
# where that moves ` fair`, measure how close a vector is to ` face` and to ` wind`, by the cosine similarity
# (chapter 05: 1 for the same direction, 0 for unrelated ones), and draw one against the other.

# %%
face, wind = embedding[vocab.encode(" face")[0]], embedding[vocab.encode(" wind")[0]]
alone = embedding[fair]
mixed = [embedding[text_ids].mean(dim=0) for text_ids in ids]  # the average over each text


def closeness(vector: torch.Tensor) -> tuple[float, float]:
    """(cosine similarity to ' face', cosine similarity to ' wind')."""
    return F.cosine_similarity(vector, face, dim=0).item(), F.cosine_similarity(vector, wind, dim=0).item()


axes = new_axes(
    "One vector for ' fair'; mixing in its context gives two", "closeness to ' face'", "closeness to ' wind'"
)
start = closeness(alone)
axes.scatter(*start, color=COLORS[0], s=60, label="' fair' alone")
for text, vector, color in zip(texts, mixed, (COLORS[1], COLORS[2]), strict=True):
    end = closeness(vector)
    axes.annotate("", end, start, arrowprops={"arrowstyle": "->", "color": color, "lw": 2})
    axes.scatter(*end, color=color, marker="s", s=60, label=f"' fair' averaged over {text!r}")
axes.legend(fontsize=9)
plt.show()
(face_0, wind_0), (face_a, wind_a), (face_b, wind_b) = closeness(alone), closeness(mixed[0]), closeness(mixed[1])
print(f"' fair' alone: {face_0:.2f} to ' face', {wind_0:.2f} to ' wind'")
print(f"averaged over {texts[0]!r}: {face_a:.2f} and {wind_a:.2f}; over {texts[1]!r}: {face_b:.2f} and {wind_b:.2f}")
assert face_a > face_0 and face_a > face_b and wind_b > wind_0 and wind_b > wind_a

# %% [markdown]
# The two averages differ, each pulled towards its own context: the first towards ` face`, the second towards
# ` wind`. Plain averaging gives every neighbour the same
# say, though, and that is a crude rule: *is* tells us nothing about which *fair* is meant, while *face* and
# *wind* tell us everything. Attention learns **how much** each token should take from each other token.
#
# The trained model does this already: each of its blocks adds to every token's vector what attention gathered
# from the tokens before it. Compare the vectors of ` fair` in the two texts before the first block (they are
# equal) and after the last one, by their cosine similarity (1 means the same direction):

# %%
with torch.no_grad():
    before = [model.wte(text_ids) + model.wpe(torch.arange(len(text_ids))) for text_ids in ids]
    after = [vectors[None] for vectors in before]
    for block in model.h:
        after = [block(vectors) for vectors in after]
similarity_before = F.cosine_similarity(before[0][-1], before[1][-1], dim=0).item()
similarity_after = F.cosine_similarity(after[0][0, -1], after[1][0, -1], dim=0).item()
print(
    f"cosine similarity of ' fair' in the two texts: {similarity_before:.3f} before the blocks, "
    f"{similarity_after:.4f} after them"
)
assert torch.equal(before[0][-1], before[1][-1]) and 0.9 < similarity_after < 0.999

# %% [markdown]
# Same position, same token, same vector going in; different vectors coming out, because attention mixed in
# different neighbours. This small model moves them only a little apart; larger models, with more heads and
# layers, have room to separate the meanings further. (3Blue1Brown tells this story with *a fluffy blue
# creature*: the word *creature* should come out of attention knowing that it is fluffy and blue. We build that
# very example by hand next.)
#
# ## 8.2 Queries, keys and values
#
# Attention works in three steps, for every token at once:
#
# 1. each token's vector `x` is multiplied by three matrices: its **query** `q = x @ w_q` (what am I looking
#    for?), its **key** `k = x @ w_k` (what do I contain?) and its **value** `v = x @ w_v` (what do I pass on?);
# 2. the **score** of query i against key j is their dot product: large when they point the same way (chapter 05);
# 3. the scores of query i become weights by a softmax, and token i's output is the weighted sum of the values.
#
# To see every number, take four tokens *a fluffy blue creature* and give them made-up 4-number embeddings whose
# columns mean *is a noun*, *is an adjective*, *how blue*, *how fluffy*. In a trained model nobody chooses such
# meanings, they are learned; here we choose them so that we can read what happens.

# %%
tokens = ["a", "fluffy", "blue", "creature"]
x = torch.tensor(
    [
        # noun adjective blue fluffy
        [0.0, 0.2, 0.0, 0.0],  # a
        [0.0, 1.0, 0.0, 1.0],  # fluffy
        [0.0, 1.0, 1.0, 0.0],  # blue
        [1.0, 0.0, 0.0, 0.0],  # creature
    ]
)
# queries: a noun asks for adjectives (column 0); keys: an adjective answers (column 0), anything a little (col 1)
w_q = torch.tensor([[3.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
w_k = torch.tensor([[0.0, 0.0], [3.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
# values: pass on how blue and how fluffy a token is
w_v = torch.tensor([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
q, k, v = x @ w_q, x @ w_k, x @ w_v
plot_matrices([x, w_q, q], ["x (4 tokens, 4 numbers)", "w_q (4, 2)", "q = x @ w_q"], ["@", "="])
plot_matrices([x, w_k, k], ["x", "w_k (4, 2)", "k = x @ w_k"], ["@", "="])
plt.show()

# %% [markdown]
# Only *creature* has a query (it is the noun, looking for adjectives), and *fluffy* and *blue* have the
# largest keys (they are adjectives). The score table holds every query against every key: row i, column j is
# `q[i] · k[j]`, so the whole table is one matrix product, `q @ k.T`, of shape (number of queries, number of
# keys). It is then divided by sqrt(d), the square root of the width of a query; section 8.3 explains why.

# %% [exercise ch08.attention_scores]
# Write `attention_scores(q, k)`: `q @ k^T / sqrt(d)` for queries (..., T_q, d) and keys (..., T_k, d), giving
# (..., T_q, T_k). Use `k.transpose(-2, -1)` rather than `k.T`, so that leading batch and head dimensions
# stay where they are. Do not change `q` or `k`.

# %%
scores = attention_scores(q, k)
plot_attention(scores / scores.max(), tokens, title="scores, divided by the largest")
plt.show()
print(scores)
assert torch.allclose(scores[3, 1], torch.tensor(9.0 / math.sqrt(2))) and int(scores[3].argmax()) in (1, 2)

# %% [markdown]
# Row *creature* scores 9 / sqrt(2) = 6.36 against *fluffy* and *blue*: its query and their keys point the
# same way. (The heat map shows each score divided by the largest, so that the colours stay between 0 and 1.)
#
# ## 8.3 Why divide by sqrt(d)?
#
# The softmax turns scores into weights, and it is sensitive to their size: scores of 1 and 2 give weights 0.27
# and 0.73, scores of 10 and 20 give 0.00005 and 0.99995. When the scores are large, the softmax puts nearly all
# the weight on one key, and its gradient for every other key is nearly 0: the model can hardly learn to look
# elsewhere.
#
# And dot products grow with the width. If the d numbers of a query and a key are independent with mean 0 and
# variance 1, their dot product is a sum of d products, each of variance 1, so its variance is d and its
# typical size sqrt(d). Dividing by sqrt(d) brings the variance back to 1 at any width. Let us measure it.

# %%
widths = [4, 16, 64, 256, 1024]
n_draws = scaled(full=4000, fast=500)
variances, variances_scaled = [], []
for d in widths:
    q_random = torch.randn(n_draws, d, generator=generator)
    k_random = torch.randn(n_draws, d, generator=generator)
    dots = (q_random * k_random).sum(dim=1)
    variances.append(dots.var().item())
    variances_scaled.append((dots / math.sqrt(d)).var().item())
for d, raw, scaled_variance in zip(widths, variances, variances_scaled, strict=True):
    print(f"d = {d:5}: variance of q·k = {raw:8.1f}, of q·k / sqrt(d) = {scaled_variance:.2f}")
assert all(abs(raw / d - 1) < 0.2 for raw, d in zip(variances, widths, strict=True))
assert all(abs(v - 1) < 0.2 for v in variances_scaled)

# %% [markdown]
# The variance is close to d, and after the division close to 1. Now the effect on the softmax: for each width,
# draw a query and 16 keys, and record the largest of the 16 weights, averaged over many draws. A weight near 1
# means the softmax has **saturated**: it looks at one key only, whatever the others say.

# %%
n_keys, n_queries = 16, scaled(full=2000, fast=300)
largest, largest_scaled = [], []
for d in widths:
    q_random = torch.randn(n_queries, 1, d, generator=generator)
    k_random = torch.randn(n_queries, n_keys, d, generator=generator)
    raw_scores = (q_random @ k_random.transpose(-2, -1))[:, 0]  # (n_queries, n_keys)
    largest.append(torch.softmax(raw_scores, dim=-1).max(dim=-1).values.mean().item())
    largest_scaled.append(torch.softmax(raw_scores / math.sqrt(d), dim=-1).max(dim=-1).values.mean().item())
axes = new_axes("The softmax saturates without scaling", "width d of queries and keys", "largest of 16 weights")
axes.plot(widths, largest, marker="o", color=COLORS[3], label="softmax(q·k)")
axes.plot(widths, largest_scaled, marker="o", color=COLORS[0], label="softmax(q·k / sqrt(d))")
axes.axhline(1 / n_keys, color="grey", linestyle=":", label="uniform: 1/16")
axes.set_xscale("log", base=2)
axes.legend()
plt.show()
print("unscaled:", np.round(largest, 2), " scaled:", np.round(largest_scaled, 2))
assert largest[-1] > 0.95 and max(largest_scaled) - min(largest_scaled) < 0.05

# %% [markdown]
# Without scaling, the largest weight climbs towards 1 as d grows (above 0.95 at d = 1024): one key takes
# everything. With scaling it stays at the same level for every width. GPT-2's heads have d = 64 and GPT-3's
# d = 128.
#
# ## 8.4 The causal mask: no looking ahead
#
# A language model learns to predict each next token from the tokens before it, for all positions of a text at
# once (chapter 10). If token i could look at token i + 1, it could simply copy the answer. So a token may look
# at itself and at the tokens before it, never after: query i may use key j only where **j <= i**. That is the
# lower triangle of a (T, T) table, the **causal mask**. In this course a mask is a bool tensor that is `True`
# where looking is **allowed**.

# %% [exercise ch08.causal_mask]
# Write `causal_mask(T)`: a (T, T) tensor of dtype `torch.bool`, `True` where query i may look at key j (that
# is, where j <= i). `torch.tril` keeps the lower triangle of a matrix.

# %%
mask = causal_mask(4)
plot_attention(mask.float(), tokens, title="causal mask: True (dark) where a query may look")
plt.show()
assert mask.dtype == torch.bool and mask.sum() == 4 * 5 // 2

# %% [markdown]
# Four tokens give 4 + 3 + 2 + 1 = 10 allowed pairs out of 16: the first token sees only itself, the last sees
# everything.
#
# ## 8.5 From scores to weights: the softmax over keys, with a mask
#
# Each query's row of scores becomes weights by a softmax **over the keys** (the last axis): weights between 0
# and 1 that sum to 1 along the row. A masked key must get weight exactly 0. The trick: give its score
# `-inf` before the softmax, because exp(-inf) = 0. (Setting it to 0 would not do: exp(0) = 1 is a weight like
# any other.)
#
# One more case matters later. In chapter 12, short texts in a batch are padded, and a padding **mask** can
# hide every key from some query. Its row is then a softmax of nothing but -inf, which is 0 / 0 = nan, and one
# nan spreads through every later computation. Such a row must come out as all zeros.

# %% [exercise ch08.attention_weights]
# Write `attention_weights(scores, mask=None)`: the softmax of `scores` over the last axis, where keys with
# `mask` False get weight exactly 0. `mask` is a bool tensor that broadcasts against `scores` (for example
# (T_q, T_k) for scores (B, H, T_q, T_k)); with `mask=None` every key is allowed. A row whose keys are all masked
# gives zeros, not nan. Do not change `scores` in place (`masked_fill_` with an underscore would).

# %%
weights = attention_weights(scores, causal_mask(4))
plot_attention(weights, tokens, title="weights: softmax over keys of the masked scores")
plt.show()
assert torch.allclose(weights.sum(dim=-1), torch.ones(4)) and torch.all(weights[~causal_mask(4)] == 0)
assert weights[3, 1] > 0.49 and weights[3, 2] > 0.49

# %% [markdown]
# *creature* puts 0.49 or more of its weight on each of *fluffy* and *blue* (their scores tie) and almost
# nothing on *a* and itself. The first token can only look at itself, so its weight there is 1.
#
# And a row with no allowed key gives zeros:

# %%
nothing_allowed = torch.tensor([[True, True, False], [False, False, False]])
print(attention_weights(torch.zeros(2, 3), nothing_allowed))
assert torch.equal(attention_weights(torch.zeros(2, 3), nothing_allowed)[1], torch.zeros(3))

# %% [markdown]
# ## 8.6 The weighted sum of values: one head of attention
#
# The last step: token i's output is `weights[i] @ v`, the average of the values weighted by how much token i
# looks at each. For all tokens at once that is one more matrix product, `weights @ v`. Put together:
#
# `attention(x) = softmax(mask(q @ k^T / sqrt(d))) @ v`, with `q, k, v = x @ w_q, x @ w_k, x @ w_v`.
#
# This is one **head** of causal self-attention ("self" because queries, keys and values all come from the
# same text x).

# %% [exercise ch08.single_head_attention]
# Write `single_head_attention(x, w_q, w_k, w_v)`: causal self-attention with one head. `x` is (T, C) or
# (B, T, C), each `w` is (C, d_head), the result (T, d_head) or (B, T, d_head). Use your `attention_scores`,
# `causal_mask` and `attention_weights`; T is `x.shape[-2]` in both cases.

# %%
out = single_head_attention(x, w_q, w_k, w_v)
plot_matrices([weights, v, out], ["weights (4, 4)", "v: blue, fluffy", "output"], ["@", "="], decimals=2)
plt.show()
assert torch.allclose(out[3], torch.tensor([0.5, 0.5]), atol=0.02)
assert torch.allclose(out[2], torch.tensor([1 / 3, 1 / 3]))

# %% [markdown]
# *creature* now carries *blue* 0.5 and *fluffy* 0.5: it has gathered what its adjectives had to pass on.
# *blue* itself comes out a third blue and a third fluffy, for a dull reason: it has no query of its own (every
# score of its row is 0), so it averages evenly over *a*, *fluffy* and itself. In a transformer this output
# is **added** to each token's vector (chapter 09), so *creature*'s vector becomes "a creature, blue and fluffy".
#
# ## 8.7 The value map: value-down, then value-up
#
# In a real model the output of attention is added back to vectors of width C, so the values must end up in
# that width too. The obvious way is a (C, C) value matrix. A full (C, C) matrix for every head is expensive,
# though, and transformers factor it into two thin ones: **value-down** (C, d_head), our `w_v`, which
# squeezes a token's vector into d_head numbers, and **value-up** (d_head, C), which spreads them back to C.
# In a multi-head layer the value-up matrices of all heads, stacked, are one (C, C) matrix: the **output
# projection** `w_o` of the next section.
#
# How much does the factoring save? For GPT-3, C = 12,288 and d_head = 128:

# %%
C_gpt3, d_head_gpt3, n_head_gpt3, n_layer_gpt3, context_gpt3 = 12_288, 128, 96, 96, 2048
full_value_map = C_gpt3 * C_gpt3
factored_value_map = C_gpt3 * d_head_gpt3 + d_head_gpt3 * C_gpt3
print(
    f"full (C, C) value map: {full_value_map:,} weights; value-down + value-up: {factored_value_map:,} "
    f"({full_value_map // factored_value_map} times fewer)"
)
assert full_value_map == 150_994_944 and factored_value_map == 3_145_728 and full_value_map // factored_value_map == 48

# %% [markdown]
# 150,994,944 weights against 3,145,728: 48 times fewer per head. The price is that value-up times value-down is
# a (C, C) matrix of rank at most 128, not any (C, C) matrix, and GPT-3's designers chose to pay it.
#
# ## 8.8 Many heads at once
#
# One head computes one pattern of looking: *creature* looks for adjectives. But a token needs several things
# from its context at once (the adjectives that describe it, the verb it belongs to, the previous word, the
# speaker), and a softmax row is one weighted average, so one head can mix only one of them well. A transformer
# therefore runs several heads side by side, each with its own queries, keys and values, of width
# d_head = C / n_head so that all heads together cost what one full-width head would.
#
# GPT-2 computes all heads in one go. It multiplies x by (C, C) matrices, which gives queries of width C for
# every token, and then cuts each token's C numbers into n_head pieces of d_head: head h gets numbers
# h·d_head to (h+1)·d_head - 1 of every token. In tensors: (B, T, C) → `view(B, T, n_head, d_head)` →
# `transpose(1, 2)` → (B, n_head, T, d_head). The transpose matters: it puts heads before tokens so that each
# head holds a (T, d_head) table of its own. The picture shows where every number goes (t1 c5 is number 5 of
# token 1; the batch dimension is left out).

# %%
plot_head_split(T=3, C=8, n_head=2, transpose=True)
plot_head_split(T=3, C=8, n_head=2, transpose=False)
plt.show()
q_small = torch.arange(3 * 8).view(1, 3, 8)
heads = q_small.view(1, 3, 2, 4).transpose(1, 2)
assert heads.shape == (1, 2, 3, 4) and heads[0, 1, 2].tolist() == q_small[0, 2, 4:8].tolist()

# %% [markdown]
# Without the transpose (second picture), `view(n_head, T, d_head)` cuts the same numbers in memory order, and
# head 0's second row is the second half of token 0: tokens get mixed up, silently, because the shapes are
# right. After attention, the heads go back side by side with the inverse: `transpose(1, 2)` then
# `reshape(B, T, C)`. Then the **output projection** `w_o` (C, C) mixes what the heads found (it holds every
# head's value-up matrix).
#
# Each head scales its scores by sqrt(d_head), its own width, not by sqrt(C): the scores of a head are dot
# products of d_head numbers. (Scaling by sqrt(C) is a bug that has appeared in published code; it runs, and
# only makes every head's softmax too flat.)

# %% [exercise ch08.multi_head_attention]
# Write `multi_head_attention(x, w_q, w_k, w_v, w_o, n_head)`: causal self-attention with `n_head` heads. `x` is
# (B, T, C), each `w` is (C, C). Project, split the heads as GPT-2 does
# (`view(B, T, n_head, C // n_head).transpose(1, 2)`), attend with your functions from above (they work on any
# leading dimensions), merge the heads back to (B, T, C) and apply `w_o`. The result is (B, T, C).

# %% [markdown]
# How many weights is that? Four (C, C) matrices, 4·C² (plus biases, if any), whatever the number of heads:

# %%
attention_weights_per_layer = 4 * C_gpt3 * C_gpt3
print(
    f"GPT-3: {attention_weights_per_layer:,} attention weights per layer, "
    f"{attention_weights_per_layer * n_layer_gpt3:,} in its {n_layer_gpt3} layers"
)
assert attention_weights_per_layer == 603_979_776
assert attention_weights_per_layer * n_layer_gpt3 == 57_982_058_496
share_of_gpt3 = attention_weights_per_layer * n_layer_gpt3 / 175e9  # GPT-3 has 175 billion weights in all
print(f"that is {share_of_gpt3:.2f} of GPT-3's 175 billion weights")
assert 0.32 < share_of_gpt3 < 0.34

# %% [markdown]
# 603,979,776 per layer, and 57,982,058,496 in GPT-3's 96 layers: about a third of its 175 billion weights.
# (Chapter 09 counts the rest: most of it is in the MLPs.)
#
# ## 8.9 The same numbers as torch
#
# torch has attention built in, and our functions should agree with it. `F.scaled_dot_product_attention`
# (SDPA) takes queries, keys and values already split into heads and computes
# `softmax(q @ k^T / sqrt(d)) @ v`; with `is_causal=True` it applies the causal mask. On float32 numbers the two
# differ only by rounding: we allow 1e-5.

# %%
B, T, C, n_head = 2, 9, 24, 4
x_random = torch.randn(B, T, C, generator=generator)
w_q_r, w_k_r, w_v_r, w_o_r = (torch.randn(C, C, generator=generator) / math.sqrt(C) for _ in range(4))
q_heads, k_heads, v_heads = (
    (x_random @ w).view(B, T, n_head, C // n_head).transpose(1, 2) for w in (w_q_r, w_k_r, w_v_r)
)
ours = attention_weights(attention_scores(q_heads, k_heads), causal_mask(T)) @ v_heads
torchs = F.scaled_dot_product_attention(q_heads, k_heads, v_heads, is_causal=True)
print(f"largest difference from SDPA: {(ours - torchs).abs().max().item():.1e}")
torch.testing.assert_close(ours, torchs, atol=1e-5, rtol=1e-5)

# %% [markdown]
# `nn.MultiheadAttention` is a whole layer, with projections. Its weights are stored the other way round from
# ours: an `nn.Linear` computes `x @ W.T`, so our `w_q` is the transpose of the first C rows of its
# `in_proj_weight`. And beware its mask: for `nn.MultiheadAttention` a `True` in a boolean mask means
# **blocked**, the opposite of this course (and of SDPA). We pass it `~causal_mask(T)`.

# %%
torch_layer = nn.MultiheadAttention(C, n_head, bias=False, batch_first=True)
with torch.no_grad():
    torch_layer.in_proj_weight.copy_(torch.cat([w_q_r.T, w_k_r.T, w_v_r.T]))
    torch_layer.out_proj.weight.copy_(w_o_r.T)
    torchs_layer, _ = torch_layer(x_random, x_random, x_random, attn_mask=~causal_mask(T), need_weights=False)
ours_layer = multi_head_attention(x_random, w_q_r, w_k_r, w_v_r, w_o_r, n_head)
print(f"largest difference from nn.MultiheadAttention: {(ours_layer - torchs_layer).abs().max().item():.1e}")
torch.testing.assert_close(ours_layer, torchs_layer, atol=1e-5, rtol=1e-5)

# %% [markdown]
# The course's GPT (`course_utils/gpt.py`, the model of chapter 00 and of chapter 10) computes its attention
# with the functions of `course_utils/attention.py`, the reference answers to the exercises above. Its layer
# stores all three projections in one `nn.Linear` called `c_attn`, GPT-2's name, so it is the same
# computation with the weights read out differently:

# %%
layer = GPT(GPTConfig(vocab_size=10, context=16, n_layer=1, n_head=n_head, d_model=C, bias=False)).h[0].attn
w_q_gpt, w_k_gpt, w_v_gpt = (w.T for w in layer.c_attn.weight.detach().split(C))
with torch.no_grad():
    torch.testing.assert_close(
        layer(x_random),
        multi_head_attention(x_random, w_q_gpt, w_k_gpt, w_v_gpt, layer.c_proj.weight.detach().T, n_head),
        atol=1e-5,
        rtol=1e-5,
    )

# %% [markdown]
# ## 8.10 Looking inside a trained GPT
#
# The tour's model has 4 layers of 4 heads. `gpt_attention_maps` runs it on a text and keeps every head's
# weights: a (4, 4, T, T) tensor. Here are the heads of layer 1 reading Romeo's line. Row i shows where token i
# looks; the upper triangle is empty, the causal mask at work.

# %%
line = "ROMEO.\nBut soft, what light through yonder window breaks?"
line_ids = torch.tensor(vocab.encode(line))
line_tokens = [vocab.token_text(i) for i in line_ids.tolist()]
maps = gpt_attention_maps(model, line_ids)
print(f"{len(line_tokens)} tokens; maps of shape {tuple(maps.shape)}")
plot_heads(maps, line_tokens, layer=1)
plt.show()
assert maps.shape == (4, 4, 15, 15) and torch.allclose(maps.sum(-1), torch.ones(4, 4, 15))

# %% [markdown]
# The heads differ. Some spread their weight over many earlier tokens; others pick one. Let us find, for each
# head, the key that gets the most weight on average over the queries that can see it, and how much:

# %%
newline = line_tokens.index("\n")
favourites = []
for layer_index in range(4):
    summary = []
    for head in range(4):
        head_map = maps[layer_index, head]
        seen_by = torch.arange(15, 0, -1)  # key j is seen by the 15 - j queries i >= j
        favourite = int((head_map.sum(0) / seen_by).argmax())
        favourites.append(favourite)
        summary.append(f"head {head}: {line_tokens[favourite]!r:10}")
    print(f"layer {layer_index}:", "  ".join(summary))
after_newline = maps[1, 2, newline + 1 :, newline]
print(f"layer 1, head 2: every token after the line break gives it {after_newline.mean():.2f} of its weight on average")
assert 0.5 < after_newline.mean() < 0.6 and favourites.count(0) >= 4

# %% [markdown]
# Many heads' favourite is the first token, `ROM` (all four of layer 0's). That is a known habit of trained
# transformers (an "attention sink"): a softmax row must put its weight somewhere, and a head with nothing to
# look for in a sentence parks it on the first token, which every query can see.
#
# Layer 1's head 2 is a clear case of a head with a job: every token after the line break gives the line break
# (↵) about half of its weight (0.54 on average). The line break after a speaker's name marks where a speech
# begins, which is useful to know for predicting what comes next. Most heads are harder to name, and that is
# normal: what a head does is learned, not designed, and this model is small.
#
# Explore for yourself: choose a layer, a head and a token, and see how much that token takes from each token
# before it (the number under each token is its weight; the token itself is outlined in red).

# %%
explorer = head_explorer(maps, line_tokens, layer=1, head=2)
display(explorer)

# %% [markdown]
# The widget draws `maps[layer, head, token]`; a check that it shows what it should:

# %%
shown = explorer.children[-1].value
assert "layer 1, head 2" in shown and f"{maps[1, 2, 14, newline].item():.2f}" in shown

# %% [markdown]
# ## 8.11 Cross-attention: looking at another text
#
# In self-attention, queries, keys and values come from the same text. In **cross-attention** the queries come
# from one sequence x and the keys and values from another, the **context**: a translator's decoder asks
# questions of the source sentence it is translating (chapter 12 builds one). Nothing in the context is the
# future of x, so there is **no causal mask**: every query may look at every token of the context. And the two
# sequences may have different lengths, so the weights are a (T_q, T_k) table, not a square.

# %% [exercise ch08.cross_attention]
# Write `cross_attention(x, context, w_q, w_k, w_v)`: queries from `x` (B, T_q, C), keys and values from
# `context` (B, T_k, C), each `w` (C, d_head), no mask. The result is (B, T_q, d_head).

# %% [markdown]
# Here is *creature* asking its question again, now of a different text (the same made-up embeddings): the
# context *a blue sea and a fluffy cloud*. The weights are a rectangle, every cell allowed.

# %%
context_tokens = ["a", "blue", "sea", "and", "a", "fluffy", "cloud"]
feature = {"a": [0, 0.2, 0, 0], "blue": [0, 1, 1, 0], "sea": [1, 0, 0.3, 0], "and": [0, 0, 0, 0],
           "fluffy": [0, 1, 0, 1], "cloud": [1, 0, 0, 0.3], "creature": [1, 0, 0, 0]}  # fmt: skip
queries_from = torch.tensor([feature["creature"], feature["a"]])[None]  # (1, 2, 4)
context = torch.tensor([feature[t] for t in context_tokens])[None]  # (1, 7, 4)
cross_out = cross_attention(queries_from, context, w_q, w_k, w_v)
cross_weights = attention_weights(attention_scores(queries_from @ w_q, context @ w_k))[0]
plot_attention(cross_weights, ["creature", "a"], context_tokens, title="cross-attention weights (2 queries, 7 keys)")
plt.show()
print("what creature gathered (blue, fluffy):", cross_out[0, 0].tolist())
assert cross_weights.shape == (2, 7) and torch.allclose(cross_out[0, 0], torch.tensor([0.5, 0.5]), atol=0.02)
torch.testing.assert_close(cross_out, F.scaled_dot_product_attention(queries_from @ w_q, context @ w_k, context @ w_v))

# %% [markdown]
# *creature* finds the two adjectives of the other text, and *a*, which has no query, spreads its weight evenly
# over all seven keys. The result agrees with SDPA without a mask.
#
# ## 8.12 The cost: quadratic in the length of the text
#
# Attention compares every token with every other: T queries times T keys. For each head, the scores and the
# weights are (T, T) tables, so doubling the text quadruples them. How big do they get?


# %%
def table_mebibytes(T: int, n_head: int = 1, bytes_per_number: int = 4) -> float:
    """The memory of one (T, T) table per head, in MiB."""
    return n_head * T * T * bytes_per_number / 2**20


for T_example in (128, 1024, 2048, 8192):
    print(f"T = {T_example:5}: one head's (T, T) float32 table takes {table_mebibytes(T_example):8.1f} MiB")
real_table = attention_weights(attention_scores(torch.randn(1, 1, 1024, 8), torch.randn(1, 1, 1024, 8)))
assert real_table.element_size() * real_table.nelement() / 2**20 == table_mebibytes(1024) == 4.0
gpt3_tables = table_mebibytes(context_gpt3, n_head_gpt3, bytes_per_number=2)
print(f"GPT-3, {n_head_gpt3} heads at T = {context_gpt3} in 16-bit numbers: {gpt3_tables:,.0f} MiB per layer and text")
assert gpt3_tables == 768

# %% [markdown]
# One head at T = 1,024 needs 4 MiB for its weights, as the real tensor confirms; at T = 8,192, 256 MiB. GPT-3's
# 96 heads at its context of 2,048 need 768 MiB per layer for every text of a batch, for the weights alone.
#
# Time grows the same way. Measure our `multi_head_attention` on texts of growing length (the times depend on
# your machine, and the shortest are dominated by fixed overheads; we keep the fastest of 5 runs, on one thread):

# %%
lengths = scaled(full=[128, 256, 512, 1024, 2048], fast=[64, 128, 256, 512])
C_time, heads_time = 64, 4
w_time = [torch.randn(C_time, C_time, generator=generator) / 8 for _ in range(4)]
seconds = []
threads = torch.get_num_threads()
torch.set_num_threads(1)  # one thread, as the benchmark: less noise from other work on the machine
for T_time in lengths:
    x_time = torch.randn(1, T_time, C_time, generator=generator)
    multi_head_attention(x_time, *w_time, heads_time)  # a first run to warm up
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        multi_head_attention(x_time, *w_time, heads_time)
        runs.append(time.perf_counter() - start)
    seconds.append(min(runs))  # the fastest run: the others were slowed by whatever else the machine did
torch.set_num_threads(threads)
axes = new_axes("Attention time grows with T squared", "tokens T", "seconds per call")
axes.loglog(lengths, seconds, marker="o", color=COLORS[0], label="measured")
axes.loglog(lengths, [seconds[-1] * (T / lengths[-1]) ** 2 for T in lengths], ":", color="grey", label="T² (slope 2)")
axes.legend()
plt.show()
for T_time, s in zip(lengths, seconds, strict=True):
    print(f"T = {T_time:5}: {s * 1e3:7.2f} ms")
assert len(seconds) == len(lengths) and all(s > 0 for s in seconds)

# %% [markdown]
# On a log-log plot a power law is a straight line, and T² is the dotted line of slope 2. Where the (T, T)
# tables dominate the work, at large T, the measured line should run parallel to it; at small T fixed
# overheads dominate, and a machine busy with other work adds noise to every point.
#
# torch's SDPA computes the same numbers without ever holding a (T, T) table: a fused kernel works through
# the keys in blocks, keeping a running softmax ("flash attention", chapter 11). `benchmarks/attention.py`
# compares the two on the CPU (batch 1, 4 heads of width 64, float32, one thread, the fastest of 7 runs). On
# the course's 2-core test machine, busy with other jobs at the time, so that the times are rough (the memory
# figures are not affected), it printed:
#
# | T | (T, T) tables, MiB | course ms | SDPA ms | course peak MiB | SDPA peak MiB |
# |---:|---:|---:|---:|---:|---:|
# | 128 | 0.2 | 1.5 | 0.3 | 0.7 | 0.0 |
# | 256 | 1.0 | 13.4 | 1.3 | 2.9 | 0.3 |
# | 512 | 4.0 | 90.0 | 16.2 | 12.4 | 0.5 |
# | 1024 | 16.0 | 374.9 | 54.4 | 49.8 | 1.4 |
# | 2048 | 64.0 | 1760.5 | 203.7 | 199.8 | 2.4 |
#
# The course's attention needs about three (T, T) tables at its peak (the scores, the masked scores and the
# weights), 200 MiB at T = 2,048 for 4 heads; SDPA's peak barely grows. Run the script on your machine (and on
# a GPU, where it measures that too) to see your own figures.
#
# ## Summary
#
# - **Context changes meaning**: an embedding gives a token one vector; attention lets each token mix in
#   information from the others, with weights it learns.
# - **Queries, keys, values**: `q, k, v = x @ w_q, x @ w_k, x @ w_v`; the scores `q @ k^T / sqrt(d)` say how
#   well each query matches each key. Dividing by sqrt(d) keeps the softmax from saturating as d grows.
# - **The causal mask** (`True` where j <= i) keeps each token from seeing the future; masked scores get -inf,
#   so weight exactly 0, and a row with nothing allowed gives zeros, not nan.
# - **One head** is `softmax(mask(scores)) @ v`. **Many heads** run side by side on slices of width C / n_head,
#   split with `view(B, T, n_head, d_head).transpose(1, 2)`, scaled by sqrt(d_head), merged and projected by
#   `w_o`: 4·C² weights per layer.
# - **The value map** is value-down (C, d_head) times value-up (d_head, C): 48 times fewer weights than a full
#   (C, C) matrix at GPT-3's size.
# - **Cross-attention** takes queries from one sequence and keys and values from another, with no mask.
# - **The cost** is quadratic in T; fused kernels such as SDPA avoid holding the (T, T) table.
#
# Our functions agree with torch's SDPA and `nn.MultiheadAttention`, and the course's GPT runs them. Chapter 09
# wraps attention in a transformer block (residual connections, layer norm, the MLP), chapter 10 stacks blocks
# into the GPT and trains it, chapter 11 makes it fast, and chapter 12 uses cross-attention to translate.
