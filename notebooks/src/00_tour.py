# %% [markdown]
# # 00 A tour of a GPT: what it does, before how
#
# **What you will do.** Run a small GPT that has read Shakespeare, and watch everything it does from the
# outside: how it cuts text into tokens, how it gives a probability to every token that might come next, how it
# writes a passage one token at a time, what the "temperature" knob changes, and how a chat is nothing but a
# script that the model continues. You write three short functions along the way.
#
# **What you will not do yet.** Look inside. Here the model is a black box with about 2.3 million numbers in
# it; the rest of the course opens the box piece by piece until you have built, trained and sampled the same
# kind of model yourself (the map is in section 0.8).
#
# **What you need.** Nothing but a little Python: strings, lists, `for` loops and functions. Nothing is trained
# in this notebook: the model was trained once by `tools/train_tour_model.py` and its weights are in `data/`.
#
# **Time.** About 45 minutes, three exercises included.
#
# **How the exercises work.** Each exercise is a function to write in the cell under it, followed by a check.
# Until you write it, the check says "not done yet" and the rest of the notebook uses the course's own solution,
# so you can run everything top to bottom (Run All) at any time.

# %%
import matplotlib.pyplot as plt
import torch

from course_utils import scaled, seed_everything
from course_utils.data import gpt2_tokenizer
from course_utils.display import colored_tokens_html, show_html
from course_utils.plotting import COLORS, new_axes, use_course_style

seed_everything(0)  # seeds Python's, numpy's and torch's random numbers, so that every run is the same
use_course_style()

# %% [markdown]
# ## 0.1 Text becomes tokens
#
# A GPT does not read letters or words. It reads **tokens**: pieces of text from a fixed list, its vocabulary,
# each with a number, its **id**. GPT-2's vocabulary has 50,257 tokens. Common words are one token each, usually
# with the space in front of them (`" the"`, `" king"`); rarer words are cut into several pieces; punctuation
# and newlines are tokens too. The model only ever sees the ids.
#
# The course carries GPT-2's tokenizer in `data/`, so it works offline. Here is a line of Shakespeare, cut into
# its tokens, with each token's id under it (a space is drawn as `·` and a newline as `↵`, so you can see them):

# %%
tokenizer = gpt2_tokenizer()
sentence = "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate."
ids = tokenizer.encode(sentence)
pieces = [tokenizer.decode([token_id]) for token_id in ids]  # each id back to its piece of text

show_html(colored_tokens_html(pieces, ids))
print(f"{len(sentence)} characters, {len(sentence.split())} words, {len(ids)} tokens")
print(f"GPT-2's vocabulary: {tokenizer.n_vocab:,} tokens")

# %%
assert "".join(pieces) == sentence  # the pieces, joined, give back the text exactly
assert tokenizer.n_vocab == 50_257
assert len(ids) > len(sentence.split())  # more tokens than words

# %% [markdown]
# `"Shall"` became two tokens, `"Sh"` and `"all"`, while `" compare"` and `" lovely"` are one each: which words
# get a single token depends on how often they occurred in the text GPT-2's tokenizer was built from (modern web
# pages, not Elizabethan plays). Rare and long words fall apart into several pieces:

# %%
for word in [" thee", " summer", " unmannerly", " Rosencrantz", " honorificabilitudinitatibus"]:
    word_ids = tokenizer.encode(word)
    print(f"{word!r:32} -> {len(word_ids):2} tokens: {[tokenizer.decode([i]) for i in word_ids]}")

# %% [markdown]
# Chapter 06 builds a tokenizer like this one from scratch and explains how the list of pieces is chosen. For
# now, one consequence matters: **lengths are measured in tokens**. A model's context ("it reads 128 tokens at
# once"), the price of a chat product's answer and the size of a training set are all counted in tokens.

# %% [exercise ch00.count_tokens]
# Write `count_tokens(text)`: how many tokens GPT-2's tokenizer cuts `text` into.

# %%
for line in ["To be, or not to be, that is the question.", "Rosencrantz and Guildenstern are dead."]:
    print(f"{count_tokens(line):3} tokens, {len(line.split()):3} words: {line}")
assert count_tokens(sentence) == len(ids)

# %% [markdown]
# ## 0.2 The model the tour uses
#
# The model of this tour is a small GPT trained on the course's Shakespeare text: about 1.4 million tokens of
# plays and poems. Four plays were held out of its training (Troilus and Cressida, Twelfth Night, The Two
# Gentlemen of Verona, The Winter's Tale) so that we can measure how well it predicts text it has never seen.
#
# Shakespeare uses only about 19,000 of GPT-2's 50,257 tokens (no `" smartphone"`, no `" Python"`). The model
# keeps just those, renumbered 0, 1, 2, ...: a smaller vocabulary makes a smaller model, small enough to ship in
# the course repository. Loading it checks the file's fingerprint (its sha256) and trains nothing.
#
# Its record also gives its **held-out loss**, a measure of how surprised it is by the four plays it never read:
# lower is better, and a model that knew nothing and gave every token the same probability would score about 9.9.
# Chapter 03 defines it and measures it for its first models of text; for now it is a score to compare.

# %%
import math

from course_utils.tour import load_tour_model

tour = load_tour_model()
model, vocab = tour.model, tour.vocab
print(f"{model.num_params():,} weights; a vocabulary of {len(vocab):,} tokens; it reads {model.config.context} tokens")
print(
    f"trained for {tour.meta['training_seconds'] / 60:.0f} minutes on one CPU core, on {tour.meta['tokens_seen']:,} "
    f"tokens of text; held-out loss {tour.meta['heldout_loss']:.2f} (knowing nothing: {math.log(len(vocab)):.2f})"
)

# %%
assert 2_200_000 < model.num_params() < 2_400_000  # "about 2.3 million numbers"
assert 18_500 < len(vocab) < 19_500 < tokenizer.n_vocab  # "about 19,000 of GPT-2's 50,257 tokens"
assert model.config.context == 128
assert tour.meta["heldout_loss"] < math.log(len(vocab)) - 3  # it learned something
assert model.config.vocab_size == len(vocab)
assert tokenizer.encode(" smartphone")[0] not in vocab and tokenizer.encode(" Python")[0] not in vocab

# %% [markdown]
# A word Shakespeare never wrote has no id in this model, and asking for one gets a message naming it:

# %%
from course_utils.tour import OutOfVocabularyError, encode_prompt

try:
    encode_prompt(tour, "ROMEO.\nMy smartphone is ringing.")
except OutOfVocabularyError as error:
    print(error)

# %% [markdown]
# ## 0.3 A model gives a probability to every possible next token
#
# Give the model some tokens and it returns one number for **each** of the tokens in its vocabulary: the
# probability that this token comes next. All of them are positive and they add up to 1. This is the only thing
# a GPT computes; everything else in this notebook is built on it.
#
# Below, the prompt is the beginning of a speech. The bar chart shows the ten tokens the model finds likeliest to
# come next, out of its 19,000-odd.

# %%
from course_utils.tour import next_token_probabilities, plot_top_tokens, top_tokens

prompt = "KING HENRY.\nI pray thee, good my"
prompt_ids = encode_prompt(tour, prompt)
probabilities = next_token_probabilities(tour, prompt_ids)
top_ten = top_tokens(tour, probabilities, k=10)

plot_top_tokens(top_ten, f"What comes after {prompt[-20:]!r}?")
plt.show()
for token, probability in top_ten[:3]:
    print(f"{token!r:12} {probability:.1%}")

# %%
assert probabilities.shape == (len(vocab),)  # one probability per token of the vocabulary
assert (probabilities >= 0).all() and abs(probabilities.sum().item() - 1) < 1e-4
assert sum(p for _, p in top_ten) < 1  # the other ~19,000 tokens share the rest
assert top_ten[0][0] == " lord" and 1 / 8 < top_ten[0][1] < 1 / 6  # about one time in seven
assert {" heart", " father", " brother", " master"} <= {token for token, _ in top_ten}

# %% [markdown]
# The probabilities say what the model learned from reading. After "good my" it expects `" lord"` far more than
# anything else (about one time in seven); further down come other words a speaker might address someone with:
# `" heart"`, `" father"`, `" brother"`, `" master"`. Nobody wrote that rule down; the model picked it up by being
# trained to predict each next token of Shakespeare's text (chapters 01 to 03 show how training works, on smaller
# models).
#
# The likeliest token is the one with the largest probability. Finding it is your next exercise.

# %% [exercise ch00.most_likely]
# Write `most_likely(tokens, probabilities)`: the token with the largest probability.

# %%
all_tokens = [vocab.token_text(i) for i in range(len(vocab))]
best = most_likely(all_tokens, probabilities.tolist())
print(f"the likeliest next token: {best!r}")
assert best == top_ten[0][0]

# %% [markdown]
# ## 0.4 Predict, sample, append, repeat
#
# A model that predicts one token can write a whole passage:
#
# 1. **predict**: compute the probabilities of the next token;
# 2. **sample**: draw one token at random, each with its probability (a token at 30% comes up about three times
#    in ten);
# 3. **append** it to the text;
# 4. **repeat** with the longer text.
#
# Here is that loop, written out. The random draws come from a generator seeded with a fixed number, so that the
# same seed always draws the same tokens.

# %%
text_ids = encode_prompt(tour, prompt)
draws = torch.Generator().manual_seed(0)
for _ in range(8):
    next_probabilities = next_token_probabilities(tour, text_ids)  # predict
    next_id = torch.multinomial(next_probabilities, num_samples=1, generator=draws)  # sample
    text_ids = torch.cat([text_ids, next_id])  # append
    print(repr(vocab.decode(text_ids[len(prompt_ids) :])))  # what it has written so far; then repeat

# %% [markdown]
# The model's own `generate` runs the same loop (chapter 10 writes it). With the same seed it draws the same
# tokens:

# %%
from course_utils.tour import generate_text

continuation = generate_text(tour, prompt, n_tokens=8, temperature=1.0, seed=0)
print(repr(continuation))
assert prompt + continuation == vocab.decode(text_ids)

# %% [markdown]
# Now a longer passage, keeping at each step the distribution the token was drawn from. Each row of the table
# below is one step: the token that was drawn, then the ten likeliest tokens at that moment with their
# probabilities; the drawn one is outlined in red. When it is not among the ten, it is added at the end of the
# row with its rank (rank 1 is the likeliest). Scroll through it.

# %%
from course_utils.tour import generate_steps, plot_step_grid, sample_html, steps_html

passage_prompt = "ROMEO.\nBut soft,"
steps = generate_steps(tour, passage_prompt, n_tokens=scaled(full=60, fast=12), temperature=1.0, seed=1)
show_html(sample_html(passage_prompt, "".join(step.chosen_text for step in steps)))
show_html(steps_html(steps))

# %%
ranks = [step.chosen_rank for step in steps]
top_ten_shares = [sum(probability for _, probability in step.top) for step in steps]
in_top_ten = sum(rank <= 10 for rank in ranks)
print(f"the drawn token was the likeliest at {ranks.count(1)} of {len(steps)} steps, in the top ten at {in_top_ten}")
print("ranks of the drawn tokens:", ranks)
print("probability held by the top ten:", [round(share, 2) for share in top_ten_shares])
assert all(rank >= 1 for rank in ranks)
assert max(step.top[0][1] for step in steps) > 0.5  # sure of itself at some steps: one token takes most
assert min(top_ten_shares) < 1 / 3  # unsure at others: the top ten hold a third or less
assert max(ranks) > 100  # and some draws come from far down the list

# %% [markdown]
# Two things stand out. At some steps the model is sure of itself, and one token takes most of the probability:
# the full stop after a speaker's name, the newline at the end of a line, the rest of a name it has begun. At
# others its top ten together hold a third of it or less, and the draw often comes from far down the list (ranks
# in the hundreds or thousands). A model this small spreads its bets thin, and drawing with the probabilities as
# they are lets those long shots in. The next section shows the knob that controls how adventurous the draws are.

# %% [markdown]
# The same steps as bar charts, for the first six tokens:

# %%
plot_step_grid(steps[:6])
plt.show()

# %% [markdown]
# ## 0.5 Temperature
#
# Inside, the model first gives every token a score, any number, higher for likelier tokens, and then turns the
# scores into probabilities. Before that last step, the scores can be divided by a number called the
# **temperature**. A temperature below 1 makes the likely tokens likelier still; at 0 only the likeliest token
# is left, and the text no longer depends on the seed. A temperature above 1 flattens the distribution, so that
# unlikely tokens come up more often; far above 1 every token becomes about as likely as any other, and the text
# turns to nonsense. (Chapter 07 shows why dividing the scores does this.)
#
# The three panels below show the ten likeliest tokens after the prompt of 0.3 at three temperatures. The
# probability axis is logarithmic: each step to the right multiplies by 10. On an ordinary axis from 0 to 1, the
# bars at temperature 2 (all under 1%) would be too short to see; here they show how flat the distribution has
# become. Each title gives how much of the probability the ten hold together.

# %%
temperatures = [0.5, 1.0, 2.0]
top_ten_share = {}
figure, axes_row = plt.subplots(1, 3, figsize=(11, 4.2), sharex=True)
for axes, temperature in zip(axes_row, temperatures, strict=True):
    spread = next_token_probabilities(tour, prompt_ids, temperature=temperature)
    top = top_tokens(tour, spread, k=10)
    top_ten_share[temperature] = sum(probability for _, probability in top)
    title = f"temperature {temperature}\nthe top ten hold {top_ten_share[temperature]:.0%}"
    plot_top_tokens(top, title, axes=axes, xmax=1.0, log_scale=True)
    axes.set_xlim(1e-3, 1.0)  # one scale for the three panels, from 0.1% to 100%
    axes.tick_params(axis="y", labelsize=9)
figure.tight_layout()
plt.show()
for temperature in temperatures:
    print(
        f"temperature {temperature}: the ten likeliest tokens hold {top_ten_share[temperature]:.1%} of the probability"
    )

# %%
assert top_ten_share[0.5] > 0.9  # at 0.5 the ten hold nearly all of it
assert 0.2 < top_ten_share[1.0] < 0.4  # at 1, under a third
assert top_ten_share[2.0] < 0.05  # at 2 they hold a few percent: the rest is spread over ~19,000 tokens

# %% [markdown]
# Try it: move the slider and change the seed (or press "new seed"). At temperature 0, every seed gives the
# same text, and it tends to get stuck in a loop (always taking the likeliest token is not how to write well,
# which is why chat products sample); around 0.5 to 0.8 the text varies with the seed and stays closer to
# English; at 2 it falls apart.
#
# **This is the "temperature" setting of a chat product**, and the same dial in every API that serves a language
# model: the model is the same, only the drawing of the next token changes.

# %%
from course_utils.tour import temperature_widget

widget_prompt = "JULIET.\nO Romeo,"
temperature_widget(tour, widget_prompt, n_tokens=scaled(full=80, fast=10), temperature=0.8, seed=0)

# %% [markdown]
# The widget calls `generate_text`, so we can check in code what it shows:

# %%
n_tokens = scaled(full=30, fast=8)
greedy = {generate_text(tour, widget_prompt, n_tokens, temperature=0, seed=seed) for seed in range(3)}
warm = {generate_text(tour, widget_prompt, n_tokens, temperature=1.0, seed=seed) for seed in range(3)}
print(f"temperature 0: {len(greedy)} different text(s) from 3 seeds; temperature 1: {len(warm)}")
assert len(greedy) == 1  # no randomness left
assert len(warm) == 3


def mean_rank(temperature: float) -> float:
    """How far down the list the drawn tokens come from on average (1 = always the likeliest)."""
    drawn = generate_steps(tour, widget_prompt, n_tokens, temperature=temperature, seed=0)
    return sum(step.chosen_rank for step in drawn) / len(drawn)


rank_by_temperature = {temperature: mean_rank(temperature) for temperature in [0.0, 0.5, 2.0]}
print("mean rank of the drawn token:", rank_by_temperature)
assert rank_by_temperature[0.0] == 1.0 < rank_by_temperature[2.0]

# %% [markdown]
# ## 0.6 A chat is a script that the model continues
#
# A chat assistant is the same loop. The program behind the chat window writes one long text and lets the model
# continue it:
#
# - at the top, a **system prompt**, text the user never sees ("You are a helpful assistant...");
# - then the conversation so far, each turn marked with its speaker's tag;
# - and at the end the assistant's tag, with nothing after it.
#
# The likeliest continuation of such a text is the assistant's next turn. The program stops generating when the
# model starts another speaker's turn, and shows you what came before.
#
# Our model has read only Shakespeare, so we write the chat as a play: the scene is the system prompt, and the
# speakers' names in capitals, followed by a full stop, are the tags (that is how most plays in its training text
# mark who speaks; a few, Romeo and Juliet among them, write `Romeo.` instead of `ROMEO.`).

# %% [exercise ch00.chat_script]
# Write `chat_script(system, turns, next_speaker)`: the scene, the turns and the next speaker's tag, as a script.

# %%
script = chat_script(
    "Verona. A public place.\n\nEnter ROMEO and BENVOLIO.",
    [("Benvolio", "Good morrow, cousin."), ("Romeo", "Is the day so young?")],
    next_speaker="Benvolio",
)
print(script)
assert script.endswith("\n\nBENVOLIO.\n")

# %% [markdown]
# The model continues the script; we keep its text up to the first blank line, where the next speaker would
# begin:

# %%
for seed in range(scaled(full=3, fast=1)):
    continuation = generate_text(tour, script, n_tokens=scaled(full=40, fast=10), temperature=0.8, seed=seed)
    if continuation.startswith("\n"):  # with the script's last newline, a blank line: BENVOLIO's turn is over
        reply = "(nothing: the model ended the turn at once)"
    else:
        reply = repr(continuation.split("\n\n")[0])  # up to the first blank line
    print(f"BENVOLIO (seed {seed}): {reply}")

# %% [markdown]
# The answers sound like a play, and say little. Four things separate this model from a chat assistant, and
# the course deals with each of them:
#
# - **Size.** It has about 2.3 million weights; GPT-3 has 175 billion, some 75,000 times more (computed below).
#   Chapter 10 counts the weights of a GPT, matrix by matrix.
# - **Reading.** It has read 1.4 million tokens of Shakespeare about once and a half; GPT-3 read 300 billion
#   tokens of books and web pages. Chapter 11 measures what training at that scale costs.
# - **Memory.** It reads at most 128 tokens at a time, so a long conversation falls off its beginning.
# - **Manners.** It was trained to continue Shakespeare, not to answer. Chat models are trained further on
#   conversations in which the assistant's turns are helpful answers (chapter 12 builds a chat loop).
#
# Where does "175 billion" come from? GPT-3's published sizes are a vocabulary of 50,257 tokens, vectors of
# 12,288 numbers and 96 blocks. Counting its weights **by matrix group**, the big matrices only, gives the
# number below: a 50,257 x 12,288 table at each end (the embedding, which turns ids into vectors, and the
# unembedding, which turns the last vector into a score per token, counted as a matrix of its own), and in each
# block twelve 12,288 x 12,288 matrices' worth (four for attention, eight for the MLP). This is a tally of the
# main groups, not the exact total of the model OpenAI trained: it leaves out the position embeddings, the biases
# and the normalisation weights, and GPT-2-style models share one matrix between the embedding and the
# unembedding instead of having two. The second cell sizes what the tally leaves out: less than half a percent.

# %%
gpt3_vocab, gpt3_width, gpt3_blocks, gpt3_context = 50_257, 12_288, 96, 2_048
gpt3_weights = 2 * gpt3_vocab * gpt3_width + gpt3_blocks * 12 * gpt3_width * gpt3_width
print(f"GPT-3, counted by matrix group: {gpt3_weights:,} weights")
print(f"that is {gpt3_weights / model.num_params():,.0f} times as many weights as the tour's model")
assert gpt3_weights == 175_181_291_520  # the tally by matrix group that chapter 10 derives
assert 70_000 < gpt3_weights / model.num_params() < 80_000  # "some 75,000 times more"

# %%
position_embeddings = gpt3_context * gpt3_width  # one learned vector per position of the context
# per block: the biases of attention (4 x width) and of the MLP (4 x width, then width), two norms of 2 x width
biases_and_norms = gpt3_blocks * (4 * gpt3_width + 4 * gpt3_width + gpt3_width + 2 * 2 * gpt3_width) + 2 * gpt3_width
shared_unembedding = gpt3_vocab * gpt3_width  # counted twice above if one matrix serves both ends
for name, count in [
    ("position embeddings (left out)", position_embeddings),
    ("biases and norms (left out)", biases_and_norms),
    ("the unembedding, if shared with the embedding", shared_unembedding),
]:
    print(f"{name:46} {count:>13,}  {count / gpt3_weights:.3%} of the tally")
assert position_embeddings + biases_and_norms + shared_unembedding < 0.005 * gpt3_weights  # under half a percent

# %% [markdown]
# ## 0.7 Examples in the prompt: priming, not training
#
# A chat product's script is one way of steering a model with its prompt. Another is to **prime** it: put a few
# examples of what you want at the start of the prompt (three descriptions of web pages, each followed by its
# code; three English words, each followed by its French), then a new case, and let the model continue the
# pattern. Large models such as GPT-3 do this well: many of GPT-3's first demonstrations were a prompt of a few
# examples and nothing else. **No weight changes**: the same model, with the same numbers in it, writes something
# else because it reads something else. That is the difference from **fine-tuning**, which trains the model
# further on examples, so that its weights change and it keeps what it learned without being shown the examples
# again. Chapter 12 fine-tunes a model.
#
# How much can our small model be primed? Below, each prompt is given twice: once plain, and once after two
# examples of a line that the plain prompt could continue. We measure the probability the model gives to the
# token that continues the pattern.


# %%
def pattern_probability(prompt_text: str, token_text: str) -> tuple[float, int]:
    """The probability the tour's model gives to ``token_text`` coming right after ``prompt_text``, and its rank."""
    (token_id,) = tour.vocab.encode(token_text)  # one token, or this line stops with an error
    spread = next_token_probabilities(tour, encode_prompt(tour, prompt_text))
    return spread[token_id].item(), int((spread > spread[token_id]).sum()) + 1


weights_before = [parameter.detach().clone() for parameter in model.parameters()]  # to show none changes
priming = {}
for plain, example, token_text in [
    ("Ay, my", "Ay, my lord.\n", " lord"),
    ("Farewell, good", "Farewell, good Tom.\n", " Tom"),
]:
    primed = 2 * example + plain  # two examples of the pattern, then the prompt
    priming[token_text] = (pattern_probability(plain, token_text), pattern_probability(primed, token_text))
    for label, text in [("plain", plain), ("primed", primed)]:
        probability, rank = priming[token_text][0 if label == "plain" else 1]
        print(f"{label:6} {text!r:52} -> {token_text!r}: {probability:.4%} (rank {rank:,})")

unchanged = all(torch.equal(before, after) for before, after in zip(weights_before, model.parameters(), strict=True))
print(f"all {sum(before.numel() for before in weights_before):,} weights the same after the four prompts: {unchanged}")
assert unchanged  # priming reads; it never writes to the weights

# %%
from matplotlib.ticker import PercentFormatter

axes = new_axes("Two examples in the prompt, no weight changed", "", "probability of the pattern's next token")
for offset, (label, color) in enumerate([("plain prompt", COLORS[0]), ("primed with two examples", COLORS[1])]):
    heights = [priming[token_text][offset][0] for token_text in priming]
    bars = axes.bar([i + 0.4 * offset for i in range(len(priming))], heights, width=0.4, color=color, label=label)
    axes.bar_label(bars, [f"{height:.3%}" for height in heights], padding=2)
axes.set_xticks([i + 0.2 for i in range(len(priming))], [f"{token!r} after the pattern" for token in priming])
axes.yaxis.set_major_formatter(PercentFormatter(1.0))
axes.legend()
plt.show()

# %%
(plain_lord, _), (primed_lord, _) = priming[" lord"]
(plain_tom, plain_tom_rank), (primed_tom, primed_tom_rank) = priming[" Tom"]
assert 0.16 < plain_lord < 0.20 and 0.33 < primed_lord < 0.38  # "from about 18% to about 36%"
assert primed_lord > 1.8 * plain_lord  # a pattern it knows: about twice as likely
assert max(plain_tom, primed_tom) < 1 / 20_000  # a new one: "below one in twenty thousand" either way
assert min(plain_tom_rank, primed_tom_rank) > 1_000  # "far down the list"

# %% [markdown]
# The examples doubled the probability of `" lord"` (from about 18% to about 36%): a pattern the model knows
# from Shakespeare, where "my lord" is everywhere, is strengthened by seeing it twice. But `" Tom"` after
# "Farewell, good" stays below one in twenty thousand, far down the list, with the examples or without them:
# our model cannot pick up a new pattern from its prompt. Doing that, copying a pattern that the prompt has just
# shown, is an ability that appears in larger models trained on more text (GPT-3's paper is titled *Language
# Models are Few-Shot Learners*); the mechanism it uses, a way for each position to look back at the earlier
# ones, is attention, chapter 08. Either way the weights are the same: priming changes what the model reads,
# fine-tuning changes the model.
#
# ## 0.8 What you will build
#
# Everything in this tour was a call to the black box. The chapters ahead build each piece, in this order:
#
# - **01 Linear regression.** A model is a function with weights, trained to make a loss small: a line fitted
#   by gradient descent.
# - **02 Neural networks.** Weights are learned, not written: neurons, layers and a training loop in PyTorch.
# - **03 Language as numbers.** Text as numbers, predicting the next one, sampling: a character model and a
#   bigram model of Shakespeare.
# - **04 Embeddings.** Each token's id becomes a vector, and meaning becomes a direction.
# - **05 Dot products.** A score for every token: the unembedding.
# - **06 Tokenization.** How text becomes tokens (0.1): byte-pair encoding, GPT-2's tokenizer from scratch.
# - **07 Softmax and sampling.** Scores become probabilities; temperature, top-k, and the loss a GPT learns
#   from (0.3 to 0.5).
# - **08 Attention.** How the model reads the whole prompt at once.
# - **09 The transformer block.** The block a GPT stacks, again and again.
# - **10 The full GPT.** The tour's model itself, assembled from your parts and trained on Shakespeare.
# - **11 Scaling up.** What GPT-3's size costs, and how GPUs pay it; GPT-2's real weights in your model.
# - **12 Encoder-decoder and chat.** Translation models, fine-tuning (0.7), and a chat loop (0.6).

# %% [markdown]
# ## Summary
#
# - **Text becomes tokens**, each with an id, and a word is often several tokens (`count_tokens`). Chapter 06
#   builds the tokenizer.
# - **A model gives a probability to every possible next token** (the bar chart, `most_likely`). Chapters 05
#   and 07 turn scores into probabilities.
# - **Predict, sample, append, repeat** writes a passage (the loop of 0.4). Chapter 03 does it for characters,
#   chapter 10 for the GPT.
# - **Temperature** divides the scores: 0 is greedy, high is random (the slider). Chapter 07.
# - **A chat is a script that the model continues** (`chat_script`). Chapter 12.
# - **Priming** steers a model with examples in its prompt, no weight changed; **fine-tuning** trains it further
#   and changes its weights (chapter 12). Our small model is primed only towards patterns it already knows.
#
# A GPT does one thing: it turns the tokens so far into a probability for each possible next token. Writing,
# answering and chatting are that one step, repeated.
#
# **Next:** chapter 01 starts from the very bottom, with a model of two weights (a straight line through house
# prices) and the training loop that every model in this course, the tour's GPT included, is trained with.
