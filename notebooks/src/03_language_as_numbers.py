# %% [markdown]
# # 03 Language as numbers
#
# A neural network reads numbers and writes numbers; it has never seen a letter. Before a network can write
# text, text has to become numbers, and numbers have to become text again. This chapter does both, and then
# uses them to build two small language models:
#
# 1. a tiny network that learns the nursery rhyme *Humpty Dumpty* and then writes it back, one character at a
#    time, by **predict, sample, append**;
# 2. a **bigram model** of Shakespeare's complete works, built by nothing more than counting which character
#    follows which. It writes text that looks like Shakespeare from far away, and it gives us a number, its
#    average surprise on Shakespeare it has never read, that every later model in the course must beat.
#    Then the same model once more, as a one-layer network trained by gradient descent, which learns to
#    count.
#
# **You need** chapter 01 (a loss, and gradient descent that lowers it) and chapter 02 (a small network in
# torch, trained to pick one of several classes with the cross-entropy loss).
#
# **Time**: about 100 minutes, eight exercises included.
#
# | section | idea | you write |
# |---|---|---|
# | 3.1 | characters become ids, through a vocabulary | `encode`, `decode` |
# | 3.2 | an id becomes a one-hot vector | `one_hot` |
# | 3.3 | a sliding window cuts a text into training examples | `sliding_windows` |
# | 3.4 | a network learns to predict the next character | |
# | 3.5 | generating: predict, sample, append | `sample_next` |
# | 3.6 | a bigram model of Shakespeare, by counting | `bigram_counts` |
# | 3.7 | counts become probabilities, and probabilities become text | |
# | 3.8 | how good is it? the average negative log-likelihood | `bigram_nll` |
# | 3.9 | the same model trained as a network; a one-hot vector times a matrix picks a row | `bigram_logits` |

# %%
import time
from collections.abc import Sequence  # noqa: F401 - the signatures of the exercise cells use it

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from course_utils import cpu_generator, scaled, seed_everything
from course_utils import validate  # noqa: F401 - the reference solutions check their input with it
from course_utils.bigram import bigram_probabilities, heldout_bigram_nll
from course_utils.data import shakespeare_split
from course_utils.plotting import COLORS, new_axes, plot_losses, plot_matrices
from course_utils.text import char_vocab, encode_array
from course_utils.text_plots import plot_char_matrix, plot_distribution, plot_vocab, plot_windows, visible
from course_utils.training import train

generator = seed_everything(0)

# %% [markdown]
# ## 3.1 Characters become numbers: a vocabulary
#
# Here is the text our first model will learn.

# %%
RHYME = (
    "Humpty Dumpty sat on a wall,\n"
    "Humpty Dumpty had a great fall.\n"
    "All the king's horses and all the king's men\n"
    "Couldn't put Humpty together again.\n"
)
print(RHYME)
print(f"{len(RHYME)} characters")

# %% [markdown]
# The simplest way to turn it into numbers is to give every distinct character a number of its own. List the
# characters that occur, in a fixed order, and let each one's **id** be its position in the list. That list is
# the **vocabulary**. `char_vocab` from `course_utils` builds it: the distinct characters, sorted, so that the
# same text always gives the same vocabulary. The newline `\n` is a character like any other; in pictures it is
# drawn ⏎, and a space is drawn ␣.

# %%
rhyme_vocab = char_vocab(RHYME)
print(f"{len(rhyme_vocab)} distinct characters:", rhyme_vocab)
plot_vocab(rhyme_vocab)
plt.show()
# %% [markdown]
# The ids carry no meaning: a character's id is only its place in sorted order (digits and punctuation
# first, then capitals, then lowercase letters). Any order would do, as long as we always use the same one,
# both to turn text into ids (**encoding**) and to turn ids back into text (**decoding**).

# %% [exercise ch03.encode]
# Write `encode(text, vocab)`: the list of ids of the characters of `text`, where a character's id is its
# position in `vocab`. A character that is not in the vocabulary cannot be encoded; looking it up in a dict
# raises a `KeyError`, which is the right reaction.

# %% [exercise ch03.decode]
# Write `decode(ids, vocab)`, the way back: each id becomes the character at that position of `vocab`, and the
# characters are glued into one string. `ids` may be a list, a numpy array or a torch tensor.

# %% [markdown]
# Decoding undoes encoding, character for character. That is the first thing to assert: a round trip gives
# back exactly the text we started from.

# %%
rhyme_ids = encode(RHYME, rhyme_vocab)
print("the first line as ids:", rhyme_ids[: RHYME.index("\n")])
assert decode(rhyme_ids, rhyme_vocab) == RHYME
assert len(rhyme_ids) == len(RHYME) and max(rhyme_ids) == len(rhyme_vocab) - 1

# %% [markdown]
# A vocabulary only knows the characters it was built from. The rhyme has no `!`, so a text with one cannot be
# encoded, and the error says so instead of quietly inventing an id (a dict lookup raises a `KeyError`;
# `vocab.index` a `ValueError`):

# %%
try:
    encode("Humpty Dumpty sat on a wall!", rhyme_vocab)
except (KeyError, ValueError) as error:
    print(f"{type(error).__name__}: {error}")

# %% [markdown]
# ## 3.2 One-hot vectors
#
# Could the network read the ids directly? It could, but it would be misled. A network multiplies its inputs by
# weights, so an input of 20 pushes twice as hard as an input of 10. Yet the character with id 20 is not twice
# the character with id 10; the ids are just labels in alphabetical order. `y` would look like "a bit more than
# `w`", which means nothing.
#
# The way out is to give each character its own input. A **one-hot vector** has one entry per character of the
# vocabulary, all 0 except a single 1 at the character's id. No character is bigger or closer than another: any
# two one-hot vectors differ in exactly two places. Here are the one-hot vectors of "Humpty", one row each:

# %%
word = "Humpty"
word_vectors = torch.zeros(len(word), len(rhyme_vocab))
for row, char_id in enumerate(encode(word, rhyme_vocab)):
    word_vectors[row, char_id] = 1.0
plot_char_matrix(
    word_vectors.numpy(), list(word), rhyme_vocab, f'One-hot vectors of "{word}"', xlabel="vocabulary", ylabel="text"
)
plt.show()
# %% [markdown]
# The loop above makes the vectors one at a time. There is a neater way, which you will write next: the rows
# of the identity matrix (1 on the diagonal, 0 elsewhere) are exactly the one-hot vectors, row `i` for id `i`.

# %% [exercise ch03.one_hot]
# Write `one_hot(ids, vocab_size)`: a float32 tensor (the kind of numbers a network's weights are) with one
# one-hot vector per id. It must work for ids of any shape: a list of 3 ids gives shape `(3, vocab_size)`, and a
# `(2, 3)` array of ids gives `(2, 3, vocab_size)`.

# %%
assert torch.equal(one_hot(encode(word, rhyme_vocab), len(rhyme_vocab)), word_vectors)
assert one_hot(encode(RHYME, rhyme_vocab), len(rhyme_vocab)).sum() == len(RHYME)  # exactly one 1 per character

# %% [markdown]
# Keep this picture in mind. In chapter 04 a one-hot vector times a matrix picks out one row of that matrix,
# and that row, learned in training, becomes the character's **embedding**.
#
# ## 3.3 A fixed window of context predicts the next character
#
# Now the idea that every model in this course is built on. Show a model a few characters in a row, say
# `"Humpty D"`, and ask it for the character that comes next. A good model answers `u`. Give it `"umpty Du"`
# and it should answer `m`. If it can do that everywhere in a text, it can also *write* the text, one character
# at a time; section 3.5 does exactly that.
#
# The model reads a fixed number of characters, its **context**. Here it is 8: the network's input layer has
# room for 8 one-hot vectors, no more and no fewer.

# %%
CONTEXT = 8

# %% [markdown]
# Where do training examples come from? From the text itself. Lay a window of 8 characters on the text: the
# characters inside are an input, and the character just after the window is its target, the right answer.
# Slide the window one character on and you have the next example. Every position of the window gives one
# example, and nobody had to label anything: the text is its own answer key. GPT-3 was trained the same way,
# with a window about two thousand tokens wide slid over hundreds of billions of tokens.

# %%
plot_windows(RHYME[:22], CONTEXT, starts=[0, 1, 2, 3, 13])
plt.show()
# %% [exercise ch03.sliding_windows]
# Write `sliding_windows(ids, context)`: every training example in `ids`, as two numpy arrays. Row `i` of
# `inputs` holds the `context` ids starting at position `i`, and `targets[i]` is the id right after them. The
# window slides until its target is the last id of the text.

# %% [markdown]
# Here are the first examples of the rhyme, decoded so that we can read them:

# %%
# numpy arrays, whichever equivalent form (lists, tensors) your function returned
rhyme_inputs, rhyme_targets = (np.asarray(part) for part in sliding_windows(rhyme_ids, CONTEXT))
print(f"{'context':>14}   ->  target")
for window, target in zip(rhyme_inputs[:10], rhyme_targets[:10], strict=True):
    shown_window = "".join(visible(char) for char in decode(window, rhyme_vocab))
    print(f"{shown_window!r:>14}   ->  {visible(decode([target], rhyme_vocab))!r}")

n_examples = len(rhyme_ids) - CONTEXT
assert rhyme_inputs.shape == (n_examples, CONTEXT) and rhyme_targets.shape == (n_examples,)
assert decode(rhyme_inputs[-1], rhyme_vocab) + decode([rhyme_targets[-1]], rhyme_vocab) == RHYME[-CONTEXT - 1 :]
print(f"{len(RHYME)} characters with a context of {CONTEXT} give {n_examples} training examples.")

# %% [markdown]
# ## 3.4 A tiny network learns the rhyme
#
# Now we have everything a classifier from chapter 02 needs:
#
# - **inputs**: each context becomes 8 one-hot vectors, laid end to end into one long vector of
#   8 × (vocabulary size) numbers;
# - **outputs**: one score per character of the vocabulary, and the highest score is the network's guess, just
#   as the leaf-or-flower network had one score per class, only with more classes;
# - **loss**: cross-entropy, as in chapter 02. Softmax turns the scores into probabilities, one per character,
#   and the loss of an example is `-ln p`, where `p` is the probability the network gave to the right
#   character; the loss of a batch is the average over its examples. `ln` is the natural logarithm, and all we
#   need of it here is its shape: `ln 1 = 0`, and for a `p` below 1, `ln p` is negative and falls without limit
#   as `p` nears 0. So `-ln p` is 0 when the network gives the right character probability 1, and it grows the
#   less probability the network gives it. Section 3.8 looks at it closely.

# %%
vocab_size = len(rhyme_vocab)
x = one_hot(rhyme_inputs, vocab_size).flatten(start_dim=1)  # (examples, CONTEXT * vocab_size)
y = torch.as_tensor(rhyme_targets)  # (examples,)
print(f"inputs {tuple(x.shape)}, targets {tuple(y.shape)}")

seed_everything(0)  # the same starting weights on every run
rhyme_model = nn.Sequential(
    nn.Linear(CONTEXT * vocab_size, 64),
    nn.ReLU(),
    nn.Linear(64, vocab_size),
)
print(f"{sum(p.numel() for p in rhyme_model.parameters()):,} weights and biases")

# %% [markdown]
# The rhyme gives only a hundred-odd examples, so every step trains on all of them at once: `next_batch`
# returns the whole set each time. The optimizer is chapter 02's `torch.optim.SGD`. Since every step sees every
# example, its gradient is exact rather than the noisy estimate of a small batch, and a learning rate of 1 is
# safe here (try 0.1: the loss falls about ten times more slowly).

# %%
torch.set_num_threads(1)  # matrices this small: threads would spend longer waiting for each other than working
optimizer = torch.optim.SGD(rhyme_model.parameters(), lr=1.0)
steps = scaled(full=1000, fast=200)
rhyme_history = train(rhyme_model, lambda: (x, y), F.cross_entropy, optimizer, steps=steps, progress=False)
print(f"{steps} steps in {rhyme_history.seconds:.1f} s")
plot_losses(rhyme_history.steps, rhyme_history.losses, title="The network learns the rhyme")
plt.show()
# %% [markdown]
# Before training, the network knows nothing: it gives the 28 characters roughly equal probabilities, 1/28
# each, so the loss starts near -ln(1/28) = ln 28 ≈ 3.3. After training, how often is its top guess the right
# character?

# %%
with torch.no_grad():
    correct = int((rhyme_model(x).argmax(dim=1) == y).sum())
accuracy = correct / len(y)
print(
    f"loss {rhyme_history.losses[0]:.2f} -> {rhyme_history.losses[-1]:.3f} (ln {vocab_size} = {np.log(vocab_size):.2f})"
)
print(f"the top guess is right for {correct} of the {len(y)} examples ({accuracy:.1%})")
assert abs(rhyme_history.losses[0] - np.log(vocab_size)) < 0.5
assert rhyme_history.losses[-1] < 0.5 and accuracy > 0.9
assert correct <= len(y) - 2  # two pairs of examples share a context but not a target (below)

# %% [markdown]
# Not all of them, and it cannot be. Look at what comes after `" Dumpty "` in the rhyme: once `s` (sat), once
# `h` (had). The 8 characters before both are the same, so no network that reads only them can know which comes
# next, and one of the two examples is always missed. The same goes for `" king's "`, followed once by `h`
# (horses) and once by `m` (men). The best the network can do after `" Dumpty "` is say *"`s` or `h`, half and
# half"*, and that is what it learned. `torch.softmax` turns its scores into probabilities (positive, adding up
# to 1; chapter 07 takes it apart):


# %%
def next_char_probabilities(model: nn.Module, context_text: str) -> torch.Tensor:
    """The model's probability for each character of the rhyme's vocabulary to follow ``context_text``."""
    window = one_hot(encode(context_text[-CONTEXT:], rhyme_vocab), vocab_size).flatten()
    with torch.no_grad():
        scores = model(window[None])[0]  # the model takes a batch: make one of a single example
    return torch.softmax(scores, dim=-1)


ambiguous = next_char_probabilities(rhyme_model, " Dumpty ")
plot_distribution(ambiguous.numpy(), rhyme_vocab, 'What follows " Dumpty "? The network\'s probabilities', top=6)
s_and_h = ambiguous[rhyme_vocab.index("s")] + ambiguous[rhyme_vocab.index("h")]
print(f"P(s) = {ambiguous[rhyme_vocab.index('s')]:.2f}, P(h) = {ambiguous[rhyme_vocab.index('h')]:.2f}")
assert s_and_h > 0.8

# %% [markdown]
# Those four examples also put a floor under the loss. At best the network gives the right character of each
# probability 1/2, a loss of ln 2 each, and all the other examples a loss of 0; averaged over every example, the
# loss cannot go below 4 × ln 2 / 134. Training came close:

# %%
loss_floor = 4 * np.log(2) / len(y)
print(f"lowest possible loss {loss_floor:.4f}; after training {rhyme_history.losses[-1]:.4f}")
assert loss_floor - 1e-4 < rhyme_history.losses[-1]

# %% [markdown]
# ## 3.5 Generating: predict, sample, append
#
# The tour in chapter 00 wrote text with a trained GPT in a loop. Here you build that loop yourself:
#
# 1. **predict**: give it the last 8 characters and get a probability for every character;
# 2. **sample**: draw one character at random, each with its probability;
# 3. **append** it to the text, so that the window moves one character on, and repeat.
#
# Why draw at random instead of always taking the most likely character? A model that always takes the top
# choice says the same thing every time, and where two continuations are equally good (`sat` and `had`) it
# would pick the same one forever. Drawing with the probabilities writes `sat` about half the time and `had`
# the other half: the model's uncertainty turns into variety.
#
# Drawing "each with its probability" works like a spinner divided into slices, one per character, each as wide
# as its probability: spin it, and see where it stops. The draw uses our seeded `generator`, so a run can be
# repeated exactly.

# %% [exercise ch03.sample_next]
# Write `sample_next(probabilities, generator)`: draw one id, id `i` with probability `probabilities[i]`, using
# `generator` for the randomness, and return it as a Python `int`. The check draws thousands of times and
# compares how often each id comes up with its probability.

# %% [markdown]
# Draw a thousand times from the network's distribution after `" Dumpty "`: the shares of the draws (orange)
# come out close to the probabilities (blue).

# %%
draws = [sample_next(ambiguous, generator) for _ in range(1000)]
plot_distribution(
    ambiguous.numpy(), rhyme_vocab, 'Sampling after " Dumpty ": probabilities and draws', top=6, drawn=draws
)
share_of_s = draws.count(rhyme_vocab.index("s")) / len(draws)
assert abs(share_of_s - ambiguous[rhyme_vocab.index("s")].item()) < 0.06

# %% [markdown]
# Now the loop. We start the model off with the first 8 characters of the rhyme, the **prompt**, and let it
# write the rest.


# %%
def generate(model: nn.Module, prompt: str, n_new: int, generator: torch.Generator) -> str:
    """Continue ``prompt`` by ``n_new`` characters: predict, sample, append."""
    text = prompt
    for _ in range(n_new):
        probabilities = next_char_probabilities(model, text)  # predict from the last CONTEXT characters
        next_id = sample_next(probabilities, generator)  # sample
        text += decode([next_id], rhyme_vocab)  # append
    return text


prompt = RHYME[:CONTEXT]
for attempt in range(3):
    print(f"--- attempt {attempt + 1} ---")
    print(generate(rhyme_model, prompt, n_new=len(RHYME) - CONTEXT, generator=generator))

# %% [markdown]
# Every attempt starts from the same prompt, and the attempts part ways exactly where the rhyme itself is
# ambiguous: `sat` or `had` after `" Dumpty "`, `horses` or `men` after `"the king's "`. A draw of `sat` can
# even send the model back to the first line again and again. And once it has written the last line, the model
# is somewhere it has never been in training (nothing follows the end of the rhyme), so it makes something up.
#
# Here is the window moving over the first characters the model wrote, each step predicting one more:

# %%
written = generate(rhyme_model, prompt, n_new=14, generator=generator)
plot_windows(
    written,
    CONTEXT,
    [0, 1, 2, 3],
    "Predict, sample, append: the window moves on",
    row_label="step",
    target_label="the character the model drew",
)
assert written.startswith(prompt) and len(written) == CONTEXT + 14

# %% [markdown]
# The network memorised one short rhyme; it cannot write anything else. To learn a language we need far more
# text, and a model that is quick to build from it.
#
# ## 3.6 A bigram model of Shakespeare, by counting
#
# The course's big text is Shakespeare's complete works, about 5 million characters. `shakespeare_split()`
# gives the course's one fixed split: the **training** text, and a **held-out** text (the last four plays,
# about 10%) that no model in the course ever trains on. A model's score on the held-out text says how well it
# does on Shakespeare it has never read.

# %%
train_text, heldout_text = shakespeare_split()
shakespeare_vocab = char_vocab(train_text)
V = len(shakespeare_vocab)
print(f"training text: {len(train_text):,} characters; held-out text: {len(heldout_text):,} characters")
print(f"vocabulary: {V} characters:", "".join(visible(char) for char in shakespeare_vocab))
print(train_text[100_000:100_300])

# %% [markdown]
# Your `encode` looks up one character at a time, which for 4.5 million characters takes from a fraction of a
# second (a dict) to a few seconds (`vocab.index`, which searches the list anew for every character).
# `encode_array` from `course_utils` gives the same ids in about a tenth of a second, because numpy does
# all the lookups at once. We check that it agrees with yours, then use it for the two long texts.

# %%
start = time.perf_counter()
train_ids = encode_array(train_text, shakespeare_vocab)
heldout_ids = encode_array(heldout_text, shakespeare_vocab)
print(f"{len(train_ids):,} training ids and {len(heldout_ids):,} held-out ids in {time.perf_counter() - start:.2f} s")
assert np.array_equal(train_ids[:10_000], encode(train_text[:10_000], shakespeare_vocab))

# %% [markdown]
# The smallest useful context is a single character. A **bigram** model predicts the next character from the
# current one alone: after `q`, almost surely `u`; after `t`, often `h`. It needs no training by gradient
# descent. Count, over the whole training text, how often each character follows each other character, and
# the counts *are* the model. The counts form a table of V × V numbers: row `a`, column `b` holds how many times
# `b` came right after `a`.

# %% [exercise ch03.bigram_counts]
# Write `bigram_counts(ids, vocab_size)`: the `(vocab_size, vocab_size)` integer array in which
# `counts[a, b]` is the number of times id `b` directly follows id `a` in `ids`. On the training text, 4.5
# million ids, a Python loop takes a second or two; numpy can do it in a tenth of one.

# %%
counts = np.asarray(bigram_counts(train_ids, V))
assert counts.shape == (V, V) and counts.sum() == len(train_ids) - 1  # every neighbouring pair counted once
plot_char_matrix(
    counts,
    shakespeare_vocab,
    shakespeare_vocab,
    "How often each character (column) follows each character (row)",
    log_scale=True,
    colorbar_label="count (log scale)",
)
plt.show()
# %% [markdown]
# Read it row by row. The colour scale is logarithmic, because counts run from 1 to hundreds of thousands; the
# white cells are pairs that never occur. The table has blocks: lowercase after lowercase is dark (words),
# and so is capital after capital, because the speakers' names are written in capitals (`PAROLLES.`). Capital
# after lowercase is almost empty: a word rarely has a capital in its middle. The row of `⏎` is dark in the
# capitals' columns, because every line of verse starts with one. The ten most frequent pairs:

# %%
top_pairs = np.argsort(counts, axis=None)[::-1][:10]
for pair in top_pairs:
    current, following = np.unravel_index(pair, counts.shape)
    pair_text = visible(shakespeare_vocab[current]) + visible(shakespeare_vocab[following])
    print(f"{pair_text!r}: {counts[current, following]:>8,}")

# %% [markdown]
# ## 3.7 From counts to probabilities, and from probabilities to text
#
# Divide each row by its total and it becomes a probability distribution: row `a` says, for each character,
# how likely it is to come next after `a`. One detail first: some pairs never occur in the training text, and a
# count of 0 would become a probability of exactly 0, a promise that this pair *never* happens. The held-out
# text will break that promise. So we add 1 to every count before dividing (**add-one smoothing**): a pair
# never seen gets a small probability instead of none. `bigram_probabilities` from `course_utils` does both.

# %%
probabilities = bigram_probabilities(counts, smoothing=1.0)
assert np.allclose(probabilities.sum(axis=1), 1.0) and (probabilities > 0).all()
for char in ["q", "t"]:
    row = probabilities[shakespeare_vocab.index(char)]
    plot_distribution(row, shakespeare_vocab, f"After {char!r}: the probability of each next character", top=12)
assert probabilities[shakespeare_vocab.index("q"), shakespeare_vocab.index("u")] > 0.9

# %% [markdown]
# To write, run the same loop as before with a context of one character: take the row of the last character,
# sample from it, append.


# %%
def generate_bigram(probabilities: np.ndarray, first_char: str, n_new: int, generator: torch.Generator) -> str:
    """Continue ``first_char`` by ``n_new`` characters, each drawn from the bigram row of the one before."""
    ids = list(encode(first_char, shakespeare_vocab))
    for _ in range(n_new):
        row = torch.from_numpy(probabilities[ids[-1]]).float()  # predict: the distribution after the last one
        ids.append(sample_next(row, generator))  # sample, append
    return decode(ids, shakespeare_vocab)


bigram_sample = generate_bigram(probabilities, "\n", n_new=scaled(full=600, fast=200), generator=generator)
print(bigram_sample)
assert set(bigram_sample) <= set(shakespeare_vocab)

# %% [markdown]
# From a distance it is Shakespeare: speakers' names in capitals, short lines, words of a plausible length,
# punctuation in plausible places. Up close it is nonsense, because each character sees only the one before it.
# A word cannot be spelled with a memory of one letter.
#
# ## 3.8 How good is it? The average negative log-likelihood
#
# "Looks a bit like Shakespeare" is not a measurement. Here is one. Walk through the held-out text and, at each
# character, ask the model what probability it gave to the character that really came next. A good model gives
# the truth a high probability. Take the negative logarithm of each of these probabilities and average them:
# that is the **average negative log-likelihood** (NLL).
#
# Where the name comes from: the probability that the model gives the whole text, character after character,
# is the product of these probabilities, and it is called the **likelihood** of the text. For half a million
# characters that product is far too small for a computer to hold. The logarithm turns a product into a sum,
# `ln(a × b) = ln a + ln b`, so the log-likelihood is the sum of the `ln p`. Negate it so that lower is better,
# as for any loss, and divide by the number of predictions so that texts of any length compare.
#
# Each `-ln p` also means something on its own: it measures surprise. It is 0 when the model was certain and
# right (`p = 1`), grows without limit as the truth gets less likely, and is infinite for something the model
# called impossible. The average is the same quantity as the cross-entropy loss that trained the rhyme network,
# measured here on text the model has never seen. Its unit, for a natural logarithm, is called the **nat**
# (with `log2` it would be the bit).

# %%
p = np.concatenate([np.geomspace(1e-6, 0.01, 100), np.linspace(0.01, 1, 200)])  # fine steps near 0
axes = new_axes("Surprise: -ln p of the character that came next", "probability p given to it", "-ln p")
axes.plot(p, -np.log(p), color=COLORS[0])
for char_pair in ["qu", "th", "tq"]:
    a, b = (shakespeare_vocab.index(char) for char in char_pair)
    axes.plot(probabilities[a, b], -np.log(probabilities[a, b]), "o", color=COLORS[1])
    axes.annotate(
        f"{char_pair[1]!r} after {char_pair[0]!r}",
        (probabilities[a, b], -np.log(probabilities[a, b])),
        textcoords="offset points",
        xytext=(8, 4),
    )
plt.show()

# %% [exercise ch03.bigram_nll]
# Write `bigram_nll(probabilities, ids)`: the mean, over the `len(ids) - 1` neighbouring pairs of `ids`, of
# `-ln probabilities[current, next]`. Use the natural logarithm, `np.log`.

# %% [markdown]
# Now the number. For comparison, two weaker models: one that gives every character the same probability
# (its NLL is ln V), and a **unigram** model that knows how common each character is but ignores the one
# before it.

# %%
bigram_heldout = float(bigram_nll(probabilities, heldout_ids))

character_frequencies = (np.bincount(train_ids, minlength=V) + 1) / (len(train_ids) + V)  # add-one smoothed
unigram_heldout = float(-np.mean(np.log(character_frequencies[heldout_ids[1:]])))
uniform_heldout = float(np.log(V))

print(
    f"average negative log-likelihood on the held-out text ({len(heldout_ids) - 1:,} predictions), nats per character:"
)
print(f"  every character equally likely  {uniform_heldout:.3f}")
print(f"  unigram (character frequencies) {unigram_heldout:.3f}")
print(f"  bigram (the character before)   {bigram_heldout:.3f}   <- the number to beat")

axes = new_axes("Held-out Shakespeare: lower is better", "model", "average NLL (nats per character)")
bars = axes.bar(["uniform", "unigram", "bigram"], [uniform_heldout, unigram_heldout, bigram_heldout], color=COLORS[:3])
axes.bar_label(bars, fmt="%.3f")
plt.show()
# %%
assert 2.3 < bigram_heldout < 2.8, bigram_heldout
assert bigram_heldout < unigram_heldout < uniform_heldout
assert abs(bigram_heldout - heldout_bigram_nll()) < 1e-5  # the same bar, as course_utils computes it for later

# %% [markdown]
# The bigram's held-out NLL is about **2.5 nats per character**. `heldout_bigram_nll()` in `course_utils`
# computes the same number from the same split, so that later chapters can compare against it: chapter 10's
# GPT, which reads a long stretch of context instead of a single character, must come in well below it.
#
# And the smoothing? Without it, some pair of characters in the held-out text never occurred in training, gets
# probability 0, and a single such pair makes the average infinite:

# %%
unsmoothed = bigram_probabilities(counts, smoothing=0.0)
never_seen = unsmoothed[heldout_ids[:-1], heldout_ids[1:]] == 0
print(
    f"{never_seen.sum()} held-out pairs were never seen in training; unsmoothed NLL:",
    bigram_nll(unsmoothed, heldout_ids),
)
assert never_seen.any() and np.isinf(bigram_nll(unsmoothed, heldout_ids))

# %% [markdown]
# ## 3.9 The same model, trained as a network
#
# The counted table is a model with V × V numbers in it. A network can hold exactly as many: one layer,
# `nn.Linear(V, V, bias=False)`, which reads the current character as a one-hot vector and gives V scores,
# one for each character that could come next. Softmax turns the scores into probabilities and the
# cross-entropy loss trains them, as for the rhyme network of section 3.4; this one has a context of a
# single character and no hidden layer. Can gradient descent find what counting found?
#
# The scores a network gives before softmax are called **logits**. The layer computes them as
# `torch.nn.Linear` always does: the input times the transposed weight matrix.

# %% [exercise ch03.bigram_logits]
# Write `bigram_logits(ids, weight)`: the one-hot vectors of `ids` (your `one_hot`, with `V =
# weight.shape[1]`) times `weight.T`, where `weight` is the `(V, V)` weight of a `Linear(V, V)` layer without
# bias. It returns one row of V logits per id.

# %% [markdown]
# Look at what that product does. A one-hot vector has a single 1, so multiplying it by a matrix adds up
# one row of the matrix times 1 and every other row times 0: **a one-hot vector times a matrix picks a
# row**. The logits after character `a` are simply row `a` of `weight.T`, and the layer is a table with
# one row per character, like the table of counts. Chapter 04 calls this row-picking an **embedding
# lookup**: there the rows are shorter, and they are learned descriptions of the characters.

# %%
small_matrix = torch.arange(20, dtype=torch.float32).reshape(4, 5) / 10
picked = one_hot([2], 4) @ small_matrix
plot_matrices(
    [one_hot([2], 4).numpy(), small_matrix.numpy(), picked.numpy()],
    ["one-hot of id 2", "a 4 x 5 matrix", "= its row 2"],
    ["@", "="],
    decimals=[0, 1, 1],
)
plt.show()
assert torch.equal(picked[0], small_matrix[2])

# %% [markdown]
# On to Shakespeare. The network starts with every weight at zero: every character gets the same score,
# so every next character is equally likely, and the loss is ln V, the uniform model of section 3.8. The
# network runs through your `bigram_logits`, and indeed picks rows:


# %%
class BigramNetwork(nn.Module):
    """A ``Linear(V, V)`` layer without bias that reads each id as a one-hot vector: a bigram model."""

    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.layer = nn.Linear(vocab_size, vocab_size, bias=False)
        nn.init.zeros_(self.layer.weight)  # every next character equally likely at the start

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return bigram_logits(ids, self.layer.weight)


bigram_network = BigramNetwork(V)
train_tensor, heldout_tensor = torch.from_numpy(train_ids).long(), torch.from_numpy(heldout_ids).long()
some_ids = train_tensor[:1000]
assert torch.equal(bigram_network(some_ids), bigram_network.layer.weight.T[some_ids])  # picking rows
print(f"{sum(p.numel() for p in bigram_network.parameters()):,} weights (V x V = {V} x {V})")

# %% [markdown]
# **The loss over the whole training text, in one small step.** The training text holds 4.5 million
# examples (each character and the one after it), but only V × V different pairs. The average loss over
# all the examples is the same as the average over the different pairs, each weighted by how often it
# occurs, and the table of counts holds exactly those weights. So one step on every training example at
# once costs no more than the logits of the V characters: each row of `counts` times the log-probabilities
# of its row of logits. We check this on the first 20,000 characters, against torch's cross-entropy over
# every one of their examples:


# %%
def counted_cross_entropy(logits: torch.Tensor, pair_counts: torch.Tensor) -> torch.Tensor:
    """The mean cross-entropy over every example, from the logits of each current id and the pair counts."""
    return -(pair_counts * torch.log_softmax(logits, dim=1)).sum() / pair_counts.sum()


every_id = torch.arange(V)  # one example of each current character: the V one-hot vectors
with torch.no_grad():
    nn.init.normal_(bigram_network.layer.weight, generator=cpu_generator(0))  # any weights will do for the check
    snippet = train_tensor[:20_000]
    example_by_example = F.cross_entropy(bigram_network(snippet[:-1]), snippet[1:])
    snippet_counts = torch.from_numpy(np.asarray(bigram_counts(snippet.numpy(), V))).float()
    pair_by_pair = counted_cross_entropy(bigram_network(every_id), snippet_counts)
    nn.init.zeros_(bigram_network.layer.weight)
print(f"example by example: {example_by_example:.6f}; pair by pair: {pair_by_pair:.6f}")
assert torch.isclose(example_by_example, pair_by_pair, rtol=1e-5)

# %% [markdown]
# Every step is then exact, as in section 3.4, and a large learning rate is safe. It needs to be large:
# the gradient of a character's row is scaled by how often that character occurs, so the rows of rare
# characters move slowly. The held-out loss, measured every few steps, picks one log-probability per
# held-out pair from the rows, as `bigram_nll` did from the table.

# %%
train_counts = torch.from_numpy(counts).float()
network_steps = scaled(full=4000, fast=1200)


def network_heldout_nll() -> float:
    """The network's average negative log-likelihood of the held-out text, in nats per character."""
    log_probabilities = torch.log_softmax(bigram_network(every_id), dim=1)  # row a: after character a
    return -log_probabilities[heldout_tensor[:-1], heldout_tensor[1:]].mean().item()


untrained_heldout = network_heldout_nll()
network_optimizer = torch.optim.SGD(bigram_network.parameters(), lr=100.0)
network_history = train(
    bigram_network,
    lambda: (every_id, train_counts),
    counted_cross_entropy,
    network_optimizer,
    steps=network_steps,
    evaluate=network_heldout_nll,
    eval_every=network_steps // 20,
    progress=False,
)
network_heldout = network_history.eval_losses[-1]
print(f"{network_steps} steps in {network_history.seconds:.1f} s")
print(f"held-out NLL: untrained {untrained_heldout:.3f} (ln {V} = {np.log(V):.3f})")
print(f"              trained network {network_heldout:.4f}, counted bigram {bigram_heldout:.4f}")

axes = plot_losses(network_history.steps, network_history.losses, title="The bigram network learns to count")
axes.plot(network_history.eval_steps, network_history.eval_losses, "o-", color=COLORS[1], label="held-out")
axes.axhline(bigram_heldout, color="grey", linestyle=":", label=f"counted bigram, held-out ({bigram_heldout:.3f})")
axes.set(ylabel="average NLL (nats per character)", ylim=(2.3, 3.0))
axes.legend()
plt.show()

# %%
NETWORK_TOLERANCE = 0.01  # nats per character: how close gradient descent must come to counting
assert abs(untrained_heldout - np.log(V)) < 1e-6
assert abs(network_heldout - bigram_heldout) < NETWORK_TOLERANCE, network_heldout

# %% [markdown]
# Within a hundredth of a nat of the counted model. (It will not match it exactly: the counted model adds
# one to every count, the network has no such smoothing, and after a finite number of steps the rows of
# rare characters are still on their way.)
#
# What did the network learn? Below, for the 28 most common characters, the logarithm of the counts
# (plus one, so that a pair never seen is 0) beside the learned weights, transposed so that row `a` is the
# current character. Softmax does not change when the same number is added to a whole row, so only the
# differences within a row matter; the network's rows happen to add up to zero (they started at zero, and
# every step moves a row by as much up as down). Within each row, the two pictures show the same pattern:
# the network has learned to count.

# %%
learned = bigram_network.layer.weight.detach().T.numpy()  # row a: the logits after character a
common = np.argsort(-counts.sum(axis=1), kind="stable")[:28]
log_counts = np.log(counts + 1.0)
shown_chars = [visible(shakespeare_vocab[i]) for i in common]
figure, (counts_axes, weights_axes) = plt.subplots(1, 2, figsize=(13, 6), layout="constrained")
for axes, matrix, title in (
    (counts_axes, log_counts, "Counted: ln(count + 1)"),
    (weights_axes, learned, "Learned: the weights of Linear(V, V), transposed"),
):
    image = axes.imshow(matrix[np.ix_(common, common)], cmap="Blues", aspect="auto", interpolation="nearest")
    axes.set_xticks(range(len(common)), shown_chars, fontsize=8)
    axes.set_yticks(range(len(common)), shown_chars, fontsize=8)
    axes.set(title=title, xlabel="next character", ylabel="current character")
    axes.grid(False)
    figure.colorbar(image, ax=axes, fraction=0.05)
plt.show()

# the rows agree: centred within each row, counted and learned weights go up and down together
centred_counts = log_counts[common] - log_counts[common].mean(axis=1, keepdims=True)
centred_learned = learned[common] - learned[common].mean(axis=1, keepdims=True)
row_agreement = [np.corrcoef(a, b)[0, 1] for a, b in zip(centred_counts, centred_learned, strict=True)]
print(
    f"correlation of counted and learned rows: lowest {min(row_agreement):.3f}, median {np.median(row_agreement):.3f}"
)
assert np.allclose(learned.sum(axis=1), 0, atol=1e-2)  # zero but for float32 rounding over thousands of steps
assert min(row_agreement) > 0.9

# %% [markdown]
# Counting and gradient descent arrive at the same model here because this model is so simple that
# counting can fill in its table directly. A model that reads 8 characters, or a thousand, has no table
# small enough to count; gradient descent trains it all the same, and this is the way every later model
# in the course learns.

# %% [markdown]
# ## Summary
#
# - **Text becomes numbers** through a vocabulary: each character gets an id, its position in the list
#   (`encode`), and ids become text again (`decode`). Chapter 06 replaces characters by sub-word tokens, tens
#   of thousands of them in GPT-2's vocabulary, but encoding and decoding stay exactly this.
# - **A one-hot vector** feeds an id to a network without pretending that ids have a size. In chapter 04, a
#   one-hot vector times a matrix picks a row of that matrix: the embedding.
# - **A sliding window** cuts a text into (context → next character) training examples, with no labelling by
#   hand. Chapter 10 trains its GPT on windows of Shakespeare, as GPT-3 was trained on windows of web text.
# - **Predict, sample, append** turns a next-character predictor into a writer. Chapter 07 refines the sampling
#   (temperature, top-k, top-p) and chapter 10 runs this very loop on a GPT.
# - **A bigram model** is a table of counts, normalised into probabilities. On held-out Shakespeare it scores an
#   average negative log-likelihood of about 2.5 nats per character: the bar that chapter 10's GPT must clear.
# - **The same model as a network**, `Linear(V, V)` on one-hot vectors trained with cross-entropy, comes within
#   a hundredth of a nat of the counted one: gradient descent learns to count. A one-hot vector times a matrix
#   picks a row, which chapter 04 turns into the embedding lookup.
#
# The rhyme network saw 8 characters through fixed slots, one set of weights per position. Why that is a poor
# way to read a long context, and what attention does instead, is the story of chapters 04 to 09.
