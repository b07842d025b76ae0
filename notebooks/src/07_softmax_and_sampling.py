# %% [markdown]
# # 07 Softmax and sampling: from logits to the next token
#
# A GPT's last layer does not give probabilities. It gives one **score** per token of its vocabulary, a number
# that can be anything from -10 to 10 or beyond: the **logits**. Everything between those scores and the next
# word of the text is this chapter:
#
# 1. **softmax** turns scores into probabilities, and a small trick keeps it from breaking on large scores;
# 2. **temperature** makes the distribution sharper or flatter before we draw from it;
# 3. **sampling** draws the next token, with a seeded generator so that the same seed writes the same text;
# 4. **top-k** and **top-p** cut off the long tail of unlikely tokens before the draw;
# 5. **cross-entropy** turns the same probabilities into the number a GPT is trained to lower.
#
# At the end you watch the tour's model write, with the distribution each new token was drawn from, and move the
# temperature, top-k and top-p yourself.
#
# **You need** chapter 00 (the tour's model and predict, sample, append) and chapter 03 (drawing an id with its
# probability, and the average negative log-likelihood). Chapter 05 ended with logits: a dot product of the last
# vector with every token's unembedding vector.
#
# **Time**: about 75 minutes, six exercises included. With `COURSE_FAST=1` (as the tests run it) the notebook
# runs in about 15 seconds on a laptop CPU.
#
# | section | idea | you write |
# |---|---|---|
# | 7.1 | logits become probabilities: exponentiate, normalise | |
# | 7.2 | subtracting the largest logit keeps softmax finite | `softmax` |
# | 7.3 | temperature sharpens or flattens the distribution | `softmax_with_temperature` |
# | 7.4 | drawing the next token with a seeded generator | `sample` |
# | 7.5 | top-k and top-p cut off the tail | `top_k_filter`, `top_p_filter` |
# | 7.6 | see the distribution for each new word | |
# | 7.7 | cross-entropy, the loss of next-token prediction | `cross_entropy` |

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from course_utils import scaled, seed_everything
from course_utils.plotting import COLORS, new_axes, use_course_style
from course_utils.sampling import (  # noqa: F401 - the solutions' argument checks use them
    check_generator,
    check_logits,
    check_probabilities,
    check_targets,
    check_temperature,
    check_top_k,
    check_top_p,
    entropy,
)
from course_utils.tour import encode_prompt, load_tour_model, plot_top_tokens

generator = seed_everything(0)
tour = load_tour_model()
vocab = tour.vocab

# %% [markdown]
# ## 7.1 Logits: a score for every token
#
# Give the tour's model a prompt and ask for its output at the last position, as chapter 00 did, but stop before
# the probabilities: these are its raw scores, one per token of its vocabulary.

# %%
PROMPT = "JULIET.\nO Romeo, Romeo, wherefore art"
prompt_ids = encode_prompt(tour, PROMPT)
with torch.no_grad():
    logits = tour.model(prompt_ids[None])[0, -1]  # (V,): the scores for the token after the prompt

print(f"{len(logits):,} logits, from {logits.min():.2f} to {logits.max():.2f}")
top_scores, top_ids = torch.topk(logits, 5)
for score, token_id in zip(top_scores, top_ids, strict=True):
    print(f"  {vocab.token_text(int(token_id))!r:>10}  {score:6.2f}")
assert len(logits) == len(vocab) == 19_378 and logits.min() < 0 < logits.max()
assert (logits < 0).float().mean() > 0.5  # negative for most tokens

# %% [markdown]
# A logit is not a probability: it is negative for most tokens, and nothing makes them add up to 1. To turn
# scores into probabilities we need numbers that are
#
# - **positive**, whatever the score;
# - **in the same order** as the scores: a higher score must give a higher probability;
# - **adding up to 1**.
#
# The exponential does the first two at once: $e^x$ is positive for every $x$, and grows with $x$. Dividing by the
# sum does the third. That is **softmax**:
#
# $$\text{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}$$
#
# Take four tokens with scores 2, 1, 0.1 and -1, and follow the two steps.

# %%
scores = torch.tensor([2.0, 1.0, 0.1, -1.0])
words = [" thou", " not", " a", " the"]
exps = torch.exp(scores)
probabilities = exps / exps.sum()
for word, score, e, p in zip(words, scores, exps, probabilities, strict=True):
    print(f"{word!r:>8}: score {score:5.2f}   exp {e:6.3f}   probability {p:.3f}")
print(f"sum of the probabilities: {probabilities.sum():.6f}")
assert torch.isclose(probabilities.sum(), torch.tensor(1.0))
assert torch.equal(torch.argsort(probabilities), torch.argsort(scores))  # the order is kept

# %%
use_course_style()
figure, panels = plt.subplots(1, 3, figsize=(12, 3.2))
steps_of_softmax = (scores, exps, probabilities)
titles = ("scores (logits)", "exp(score): all positive", "divided by the sum")
for axes, values, title in zip(panels, steps_of_softmax, titles, strict=True):
    axes.bar(words, values, color=COLORS[0])
    axes.axhline(0, color="0.3", linewidth=0.8)
    axes.set_title(title)
figure.suptitle("Softmax in two steps: exponentiate, then normalise")
figure.tight_layout()
plt.show()

# %% [markdown]
# Only the **differences** between scores matter. Add the same number to every score, and each $e^{x_i}$ is
# multiplied by the same factor ($e^{x+c} = e^x e^c$), which the division cancels. Below, adding 10 or
# subtracting 3 changes nothing:


# %%
def two_step_softmax(x: torch.Tensor) -> torch.Tensor:
    e = torch.exp(x)
    return e / e.sum()


for shift in (10.0, -3.0):
    shifted_probabilities = two_step_softmax(scores + shift)
    print(f"scores + {shift:6.1f}: {shifted_probabilities.numpy().round(4)}")
    assert torch.allclose(shifted_probabilities, probabilities, atol=1e-6)

# %% [markdown]
# ## 7.2 When softmax breaks, and the fix
#
# A float32 number cannot be larger than about $3.4 \times 10^{38}$, so $e^x$ overflows to `inf` as soon as $x$ is
# above $\ln(3.4 \times 10^{38}) \approx 88.7$, and in float16, which GPUs use to go faster, above 11. Logits
# that large happen: a small temperature (7.3) multiplies them, and a logit of 10 divided by a temperature of 0.05
# is 200. Then the two-step softmax divides `inf` by `inf`, which is `nan`:

# %%
largest_exponent = math.log(torch.finfo(torch.float32).max)
largest_exponent_16 = math.log(torch.finfo(torch.float16).max)
print(f"exp overflows float32 above x = {largest_exponent:.1f}; float16 above {largest_exponent_16:.1f}")
naive = two_step_softmax(torch.tensor([1000.0, 1001.0]))
print("naive softmax of [1000, 1001]:", naive)
assert 88 < largest_exponent < 89 and 11 < largest_exponent_16 < 11.2 and torch.isnan(naive).all()

# %% [markdown]
# The fix is the property we just saw: subtract a constant from every score and nothing changes. Subtract the
# **largest** score. Then the largest becomes 0 and every other one is negative, so every $e^x$ is between 0 and 1
# (no overflow), and the largest one is exactly $e^0 = 1$ (so the sum is at least 1, never 0). For [1000, 1001]
# that is [-1, 0], whose softmax is [0.269, 0.731]: the same as for [0, 1].

# %% [exercise ch07.softmax]
# Write `softmax(logits, dim=-1)`: subtract the largest logit along `dim` (each row its own), exponentiate, and
# divide by the sum along `dim`. It must work for any number of dimensions and on logits such as 1000, 1e4 and
# -inf. The check compares it with `torch.softmax` and names the usual slips.

# %% [markdown]
# Your softmax now agrees with torch's on the model's 19,378 logits, and on the logits that broke the naive one:

# %%
probs = softmax(logits)
print(f"largest difference from torch.softmax: {(probs - torch.softmax(logits, dim=-1)).abs().max():.2e}")
print("softmax of [1000, 1001]:", softmax(torch.tensor([1000.0, 1001.0])))
assert torch.allclose(probs, torch.softmax(logits, dim=-1), atol=1e-6)
assert torch.allclose(softmax(torch.tensor([1000.0, 1001.0])), softmax(torch.tensor([0.0, 1.0])))

# %% [markdown]
# Here are the model's likeliest next tokens after the prompt. Even the favourite has less than one chance in
# ten: after *wherefore art* the model hesitates between ` a`, ` thou`, a comma and more. And the rest of the
# vocabulary is not nothing: the 100 likeliest tokens share only about 71% of the probability; the other 29% is
# spread over more than 19,000 tokens that are each very unlikely. That long tail matters in 7.5.

# %%
top_100_share = float(torch.topk(probs, 100).values.sum())
print(f"the likeliest token has {probs.max():.1%}; the top 100 share {top_100_share:.1%}")
plot_top_tokens(
    [(vocab.token_text(int(i)), float(probs[i])) for i in torch.topk(probs, 10).indices],
    f"After {PROMPT[-20:]!r}: the 10 likeliest tokens",
    xmax=None,
)
plt.show()
top_three = [vocab.token_text(int(i)) for i in torch.topk(probs, 3).indices]
assert probs.max() < 0.1 and 0.65 < top_100_share < 0.75 and 1 - top_100_share > 0.25
assert top_three == [" a", " thou", ","]

# %% [markdown]
# ## 7.3 Temperature
#
# Before the softmax, a GPT divides its logits by a number $T$, the **temperature**:
# $\text{softmax}(x / T)$. Dividing by $T < 1$ stretches the differences between scores, so the favourite takes
# more of the probability; dividing by $T > 1$ shrinks them, so the distribution flattens toward uniform.
#
# - $T = 1$ leaves the model's distribution as it is.
# - As $T$ goes to 0, the largest score wins everything: all the probability on one token. That is **greedy**
#   decoding, always the likeliest token. At $T = 0$ itself we cannot divide, so we take that limit directly:
#   a one-hot vector at the largest logit.
# - As $T$ grows, all differences shrink toward 0 and every token gets about $1/V$.
#
# One widely used public text-generation API lets you choose $T$ between 0 and 2 only. There is no
# mathematical reason for the cap: past 2 the text is mostly noise, as the numbers below show.

# %% [exercise ch07.softmax_with_temperature]
# Write `softmax_with_temperature(logits, temperature)`: softmax of `logits / temperature` over the last
# dimension, and at temperature 0 a one-hot vector at the largest logit (the first one, on ties) with the logits'
# float dtype. Use your `softmax`. A negative temperature raises a `ValueError` that says what was given.

# %% [markdown]
# A way to put one number on "sharp" or "flat" is the **entropy** of the distribution,
# $H = -\sum_i p_i \ln p_i$, in nats. It is 0 for a one-hot (no doubt at all) and $\ln V$ for the uniform
# distribution over $V$ tokens (the most doubt possible); $e^H$ is roughly "how many tokens the model is choosing
# between". Here is the entropy of the model's distribution after our prompt, as the temperature goes from 0.05
# to 10:

# %%
temperatures = np.geomspace(0.05, 10, scaled(full=60, fast=25))
entropies = [float(entropy(softmax_with_temperature(logits, float(t)))) for t in temperatures]
uniform_entropy = math.log(len(vocab))
at_one, at_two = (float(entropy(softmax_with_temperature(logits, t))) for t in (1.0, 2.0))

axes = new_axes("Entropy of the next-token distribution against temperature", "temperature T", "entropy (nats)")
axes.plot(temperatures, entropies, color=COLORS[0])
axes.axhline(
    uniform_entropy, color=COLORS[1], linestyle="--", label=f"uniform over {len(vocab):,}: ln V = {uniform_entropy:.2f}"
)
axes.axhline(0, color="0.3", linewidth=0.8)
for t, h in ((1.0, at_one), (2.0, at_two)):
    axes.plot([t], [h], "o", color=COLORS[3])
    axes.annotate(
        f"T = {t:g}: {h:.1f} nats, about {math.exp(h):,.0f} tokens", (t, h), (6, -14), textcoords="offset points"
    )
axes.set_xscale("log")
axes.legend(loc="upper left")
plt.show()
print(f"T = 1: entropy {at_one:.2f} nats (e^H = {math.exp(at_one):.0f})")
print(f"T = 2: entropy {at_two:.2f} nats (e^H = {math.exp(at_two):,.0f})")
assert entropies[0] < 0.5 and uniform_entropy - entropies[-1] < 0.5  # from almost greedy to almost uniform
assert all(a <= b + 1e-4 for a, b in zip(entropies, entropies[1:], strict=False))  # it only grows with T
assert 5 < at_one < 6 < 8.5 < at_two < uniform_entropy
assert 200 < math.exp(at_one) < 300 and 3_000 < math.exp(at_two) < len(vocab)

# %% [markdown]
# At $T = 1$ the model chooses among the equivalent of about 250 tokens; at $T = 2$ among several thousand, a
# large part of the vocabulary (a uniform guess would be all 19,378). The same effect in bars, on the tokens
# that were likeliest at $T = 1$:

# %%
use_course_style()
figure, panels = plt.subplots(1, 4, figsize=(15, 4.2))
top_ten = torch.topk(logits, 10).indices
for axes, temperature in zip(panels, (0.0, 0.5, 1.0, 2.0), strict=True):
    spread = softmax_with_temperature(logits, temperature)
    title = f"T = {temperature:g} (note the scale)" if temperature else "T = 0"
    plot_top_tokens([(vocab.token_text(int(i)), float(spread[i])) for i in top_ten], title, axes=axes, xmax=None)
    axes.set_xlabel("probability")
figure.tight_layout()
plt.show()
greedy = softmax_with_temperature(logits, 0.0)
assert greedy.sum() == 1 and greedy[logits.argmax()] == 1

# %% [markdown]
# ## 7.4 Drawing the next token, reproducibly
#
# Chapter 03 drew one id from one distribution. A GPT that writes several texts at once has a **batch** of
# distributions, one row each, and draws one id per row. `torch.multinomial(rows, 1, generator=...)` does that for
# a matrix of rows.
#
# The draws come from a **generator**, a machine that turns a seed into a long stream of random-looking numbers.
# The same seed gives the same stream, so the same seed gives the same text. We always use a *CPU* generator:
# its stream is the same on every computer, while a GPU's generator has streams of its own. A model running on a
# GPU still draws its tokens with the CPU generator, and so writes the same text as on a laptop (unless the
# GPU's rounding tips two tokens that are almost exactly tied).

# %% [exercise ch07.sample]
# Write `sample(probs, generator)`: one token id per row of `probs` (shape `(..., V)`), drawn with `generator`,
# returned as a long tensor of shape `probs.shape[:-1]`. Every random number must come from `generator`. The check
# compares frequencies over many draws with the probabilities, never your draws with ours: `torch.multinomial`,
# `torch.searchsorted` over the cumulative sum, and other right ways all pass.

# %% [markdown]
# Draw the next token after our prompt many times, each draw from the same generator, which moves on with
# every draw. The shares of the draws come out close to the probabilities:

# %%
n_draws = scaled(full=5_000, fast=1_000)
draws = torch.stack([sample(probs, generator) for _ in range(n_draws)])  # (n_draws,)
shares = torch.bincount(draws, minlength=len(vocab)) / n_draws
top_eight = torch.topk(probs, 8).indices
positions = np.arange(len(top_eight))
axes = new_axes(f"{n_draws:,} draws after {PROMPT[-20:]!r}", "token", "probability / share of draws", figsize=(9, 3.5))
axes.bar(positions - 0.2, probs[top_eight], width=0.4, color=COLORS[0], label="probability")
axes.bar(positions + 0.2, shares[top_eight], width=0.4, color=COLORS[1], label="share of the draws")
axes.set_xticks(positions, [repr(vocab.token_text(int(i))) for i in top_eight])
axes.legend()
plt.show()
standard_error = math.sqrt(float(probs.max()) * (1 - float(probs.max())) / n_draws)
assert abs(shares[probs.argmax()] - probs.max()) < 5 * standard_error

# %% [markdown]
# And the same seed gives the same draws, while another seed gives others (ten candidates for the same next
# token, each drawn on its own: not a text):

# %%
first = sample(probs.expand(10, -1), torch.Generator().manual_seed(7))
again = sample(probs.expand(10, -1), torch.Generator().manual_seed(7))
other = sample(probs.expand(10, -1), torch.Generator().manual_seed(8))
for seed, drawn_ids in ((7, first), (7, again), (8, other)):
    print(f"seed {seed}:", [vocab.token_text(int(i)) for i in drawn_ids])
assert torch.equal(first, again) and not torch.equal(first, other)

# %% [markdown]
# ## 7.5 Cutting off the tail: top-k and top-p
#
# In 7.2, the 100 likeliest tokens held about 71% of the probability and the other 19,000-odd tokens about 29%.
# Each of those is unlikely, but together they come up more than one draw in four, and one odd token sends the
# text somewhere the model would never have gone. Two common remedies cut the tail off before drawing, by setting
# the logits of the cut tokens to -inf (softmax gives them exactly 0):
#
# - **top-k** keeps the $k$ tokens with the largest logits, whatever the distribution looks like;
# - **top-p**, or **nucleus** sampling, keeps the smallest set of likeliest tokens whose probabilities add up to
#   at least $p$: few tokens where the model is sure, many where it is not.

# %% [exercise ch07.top_k_filter]
# Write `top_k_filter(logits, k)`: set every logit below the k-th largest of its row to -inf; keep the ones equal
# to it (ties are kept). A `k` at least the number of logits keeps them all; a `k` below 1 raises a `ValueError`.

# %% [exercise ch07.top_p_filter]
# Write `top_p_filter(logits, p)`: keep the smallest set of most probable tokens whose probabilities add up to at
# least `p`, the token that crosses `p` included, and set the other logits to -inf. Sort with `stable=True`, so
# that among tied tokens the lower id comes first. With probabilities (0.4, 0.3, 0.2, 0.1) and p = 0.8, tokens 0,
# 1 and 2 stay: 0.4 + 0.3 = 0.7 is not yet 0.8, and the third token carries the sum to 0.9. A `p` outside
# (0, 1] raises a `ValueError`.

# %% [markdown]
# Now both filters on two real distributions: after our prompt, and after `KING.\nThe`, where almost anything can
# follow. Blue bars are kept, grey ones are cut.

# %%
OPEN_PROMPT = "KING.\nThe"
with torch.no_grad():
    open_logits = tour.model(encode_prompt(tour, OPEN_PROMPT)[None])[0, -1]


def kept_count(filtered: torch.Tensor) -> int:
    return int(torch.isfinite(filtered).sum())


def plot_kept(axes: plt.Axes, row_logits: torch.Tensor, filtered: torch.Tensor, title: str, shown: int = 25) -> None:
    """Bars of the likeliest tokens' probabilities, blue if the filter kept them and grey if it cut them."""
    row_probs = softmax(row_logits)
    order = torch.topk(row_logits, shown).indices
    colors = [COLORS[0] if torch.isfinite(filtered[i]) else "0.75" for i in order]
    axes.bar(range(shown), row_probs[order], color=colors)
    axes.set_xticks(range(shown), [repr(vocab.token_text(int(i))) for i in order], rotation=90, fontsize=8)
    axes.set_title(f"{title}: keeps {kept_count(filtered):,} tokens", fontsize=11)


use_course_style()
figure, panels = plt.subplots(2, 2, figsize=(14, 7), sharey="row")
for row, (name, row_logits) in enumerate(((PROMPT[-14:], logits), (OPEN_PROMPT, open_logits))):
    plot_kept(panels[row, 0], row_logits, top_k_filter(row_logits, 10), f"after {name!r}, top-k with k = 10")
    plot_kept(panels[row, 1], row_logits, top_p_filter(row_logits, 0.5), f"after {name!r}, top-p with p = 0.5")
    panels[row, 0].set_ylabel("probability")
figure.tight_layout()
plt.show()

# %% [markdown]
# Top-k keeps 10 tokens in both cases. Top-p adapts: count what each keeps for a few values of p.

# %%
for p in (0.5, 0.9):
    sure, unsure = kept_count(top_p_filter(logits, p)), kept_count(top_p_filter(open_logits, p))
    print(f"top-p {p}: {sure:5,} tokens after {PROMPT[-14:]!r}, {unsure:5,} after {OPEN_PROMPT!r}")
    assert unsure > 3 * sure  # the less sure the model, the more tokens the nucleus holds
assert kept_count(top_k_filter(logits, 10)) == kept_count(top_k_filter(open_logits, 10)) == 10

# %% [markdown]
# A GPT's generate loop runs all of this in order: divide by the temperature, filter with top-k, then top-p,
# softmax, draw. `course_utils.sampling.sample_next_token` is that step, and `next_token_distribution` gives the
# distribution it draws from. Their filters and softmax are the course's reference versions of what you wrote.
# After filtering, the kept tokens share all the probability between them:

# %%
from course_utils.sampling import next_token_distribution, sample_next_token

filtered_distribution = next_token_distribution(logits, temperature=0.8, top_k=50, top_p=0.9)
kept = int((filtered_distribution > 0).sum())
print(f"temperature 0.8, top-k 50, top-p 0.9: {kept} tokens left; their probabilities add up to")
print(f"{filtered_distribution.sum():.4f}")
drawn = sample_next_token(
    logits[None], temperature=0.8, top_k=50, top_p=0.9, generator=torch.Generator().manual_seed(0)
)
print("drawn:", repr(vocab.token_text(int(drawn[0]))))
assert 1 <= kept <= 50 and filtered_distribution[drawn[0]] > 0

# %% [markdown]
# ## 7.6 See the distribution for each new word
#
# Now watch the model write. The widget below generates a continuation of a prompt and shows, for every new
# token, the likeliest tokens of the distribution it was drawn from, after the temperature and the filters, with
# the drawn one outlined in red. The slider **show step** draws that step's distribution as bars. Move the
# temperature, top-k and top-p, or ask for a new seed, and it regenerates.
#
# Things to try: temperature 0 (every step takes the top bar, and the text soon repeats itself); temperature 1.5
# without filters (thousands of tokens have a chance, and the tail takes over); then temperature 1.5 with top-k
# 20 (only the 20 likeliest can be drawn).

# %%
from course_utils.tour import generate_steps, sampling_widget

WIDGET_PROMPT = "JULIET.\nO Romeo,"
widget_tokens = scaled(full=40, fast=8)
sampling_widget(tour, WIDGET_PROMPT, n_tokens=widget_tokens, temperature=1.0, top_k=None, top_p=0.9, seed=0)

# %% [markdown]
# The widget calls `generate_steps`, so we can check what it shows. Greedy decoding draws the likeliest token at
# every step, with probability 1, and repeats itself; at temperature 1.5 thousands of tokens have a chance at
# every step, and top-k 20 leaves 20:

# %%
greedy_steps = generate_steps(tour, WIDGET_PROMPT, widget_tokens, temperature=0.0)
hot_steps = generate_steps(tour, WIDGET_PROMPT, widget_tokens, temperature=1.5, seed=1)
top_k_steps = generate_steps(tour, WIDGET_PROMPT, widget_tokens, temperature=1.5, top_k=20, seed=1)
for name, steps in (("greedy", greedy_steps), ("T = 1.5", hot_steps), ("T = 1.5, top-k 20", top_k_steps)):
    text = "".join(step.chosen_text for step in steps).replace("\n", "⏎")
    print(f"{name:>17}: {text!r}  (tokens with a chance per step: {[step.kept for step in steps]})")
greedy_pairs = [(a.chosen_id, b.chosen_id) for a, b in zip(greedy_steps, greedy_steps[1:], strict=False)]
assert all(step.chosen_rank == 1 and step.kept == 1 for step in greedy_steps)
assert len(set(greedy_pairs)) < len(greedy_pairs)  # a pair of tokens comes back: greedy text repeats itself
assert min(step.kept for step in hot_steps) > 1000 and all(step.kept == 20 for step in top_k_steps)

# %% [markdown]
# ## 7.7 Cross-entropy: how a GPT is scored and trained
#
# Generation draws from the probabilities. Training asks the opposite question: the text goes on with a known
# token; how much probability did the model give it? A good model gives the true next token a high probability.
# The loss of one position is
#
# $$\text{loss} = -\ln p(\text{true next token})$$
#
# 0 if the model was certain and right, larger the less probability it gave the truth, and infinite if it gave
# 0. Averaged over every position of every text in a batch, this is the **cross-entropy**, the loss every GPT is
# trained on, and the same average negative log-likelihood that scored chapter 03's bigram model.

# %%
p_grid = np.linspace(0.001, 1, 500)
axes = new_axes("The loss of one position: -ln p of the true next token", "p (true next token)", "loss (nats)")
axes.plot(p_grid, -np.log(p_grid), color=COLORS[0])
for p in (0.5, 0.1, 0.01):
    axes.plot([p], [-math.log(p)], "o", color=COLORS[3])
    axes.annotate(f"p = {p:g}: {-math.log(p):.2f}", (p, -math.log(p)), (8, 4), textcoords="offset points")
plt.show()

# %% [markdown]
# Computing it as `-torch.log(softmax(logits)[target])` works until a probability rounds to 0 (a logit far below
# the others), and then the log is `-inf`. Taking the log of softmax *by hand* avoids it:
#
# $$\ln p_t = \ln \frac{e^{x_t}}{\sum_j e^{x_j}} = x_t - \ln \sum_j e^{x_j}$$
#
# and the last term, the **log-sum-exp**, is computed with the same trick as softmax: subtract the largest logit
# $m$ inside, add it back outside, $\ln \sum_j e^{x_j} = m + \ln \sum_j e^{x_j - m}$. No probability is ever
# formed, so none can round to 0.

# %% [exercise ch07.cross_entropy]
# Write `cross_entropy(logits, targets)`: logits of shape `(..., V)`, targets of shape `(...)` holding ids; return
# the mean over every position of `log-sum-exp(logits) - logits[target]`, as a 0-dimensional tensor. Do not form
# the softmax. The check compares it with `torch.nn.functional.cross_entropy`.

# %% [markdown]
# What does a model that knows nothing score? If it gives all $V$ tokens the same logit, every token has
# probability $1/V$ and the loss is $-\ln(1/V) = \ln V$, whatever the text. For GPT-2's 50,257 tokens that is
# about 10.82 nats, and for the tour's 19,378 tokens about 9.87 (the "knowing nothing" of chapter 00).

# %%
from course_utils.data import gpt2_tokenizer, shakespeare_split

gpt2_vocab_size = gpt2_tokenizer().n_vocab
some_targets = torch.tensor([0, 464, 50_256])
uniform_loss = cross_entropy(torch.zeros(3, gpt2_vocab_size), some_targets)
print(f"uniform guess over {gpt2_vocab_size:,} tokens: {uniform_loss:.2f} nats = ln {gpt2_vocab_size:,}")
assert gpt2_vocab_size == 50_257 and math.isclose(float(uniform_loss), math.log(50_257), rel_tol=1e-6)
assert round(math.log(50_257), 2) == 10.82 and round(math.log(len(vocab)), 2) == 9.87

# %% [markdown]
# Now the tour's model on Shakespeare it never read: windows of 129 tokens from the four held-out plays, the
# first 128 as input and each one's next token as the target. Each window gives 128 predictions at once (one per
# position), and `cross_entropy` averages all of them. Your function agrees with torch's:

# %%
_, heldout_text = shakespeare_split()
heldout_ids = torch.tensor(vocab.encode(heldout_text[: scaled(full=400_000, fast=40_000)]))
context = tour.model.config.context
assert context == 128  # the windows of 129 tokens the text above speaks of
n_windows = scaled(full=64, fast=8)
starts = torch.randint(0, len(heldout_ids) - context - 1, (n_windows,), generator=torch.Generator().manual_seed(0))
inputs = torch.stack([heldout_ids[s : s + context] for s in starts])  # (windows, 128)
targets = torch.stack([heldout_ids[s + 1 : s + context + 1] for s in starts])  # (windows, 128): shifted by one
with torch.no_grad():
    heldout_logits = tour.model(inputs)  # (windows, 128, V)
loss = cross_entropy(heldout_logits, targets)
torch_loss = F.cross_entropy(heldout_logits.flatten(0, 1), targets.flatten())
print(f"{targets.numel():,} predictions: cross-entropy {loss:.3f} nats per token (torch: {torch_loss:.3f})")
print(f"perplexity e^loss = {math.exp(loss):.0f}: as unsure as a fair choice among about that many tokens")
assert torch.isclose(loss, torch_loss, atol=1e-4)
assert 4.0 < loss < 5.5 < math.log(len(vocab))

# %% [markdown]
# **Perplexity**, $e^{\text{loss}}$, reads the loss as a number of choices: the model is, on average, as unsure as
# if it picked fairly among that many tokens, out of about 19,000.
#
# Is that better than chapter 03's bigram model, which scored about 2.54 nats per **character**? The units differ:
# a token holds several characters. Spread each token's loss over its characters, and the two compare: the tour's
# small GPT needs less than 2 nats per character, well below the bigram's 2.54. Chapter 10's GPT, trained on
# characters, is scored in the bigram's own unit.

# %%
from course_utils.bigram import heldout_bigram_nll

characters = sum(len(vocab.decode(row)) for row in targets)
nats_per_character = float(loss) * targets.numel() / characters
bigram_per_character = heldout_bigram_nll()
print(f"{characters / targets.numel():.2f} characters per token on average")
print(f"tour GPT: {nats_per_character:.2f} nats per character; character bigram: {bigram_per_character:.2f}")
assert nats_per_character < 2 < bigram_per_character and round(bigram_per_character, 2) == 2.54

# %% [markdown]
# ## Summary
#
# - **Softmax** turns logits into probabilities: exponentiate (positive, order kept), divide by the sum. Only
#   differences between logits matter, so subtracting the largest one changes nothing, and it keeps `exp` from
#   overflowing.
# - **Temperature** divides the logits before softmax: below 1 sharper, above 1 flatter, 0 is greedy (taken as a
#   one-hot, not divided by). Entropy measures the effect.
# - **Sampling** draws one id per row with a seeded CPU generator: the same seed writes the same text on any
#   machine.
# - **Top-k** keeps a fixed number of tokens; **top-p** keeps as many as it takes to hold probability p, few
#   where the model is sure and many where it is not. Both set the rest to -inf.
# - **Cross-entropy** is minus the log of the probability of the true next token, averaged, computed with
#   log-sum-exp. A uniform guess over GPT-2's 50,257 tokens scores ln 50,257 = 10.82.
#
# Everything here lives in `course_utils.sampling` from now on. Chapter 08 uses softmax again, not over a
# vocabulary but over the positions of a text: how much each token attends to the others. Chapter 10 trains its
# GPT by lowering this cross-entropy, and writes with temperature, top-k and top-p.
