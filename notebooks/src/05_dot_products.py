# %% [markdown]
# # 05 Dot products: alignment, directions, and the unembedding
#
# **What you will build.** The one operation a GPT does more than any other, written by hand: the **dot
# product** of two vectors. You will see it measure how well two vectors point the same way, turn it into a
# projection that says how far a word reaches along a direction, find directions that mean something in the
# word vectors of chapter 04 (female versus male, plural versus singular), and finally use it the way a GPT
# does at its very last step: one dot product per token of the vocabulary, which gives the scores (logits) of
# every possible next token.
#
# **Why it matters for a GPT.** Almost everything a GPT computes is a dot product. Every neuron of chapter 02
# takes one (weights times inputs, added up); attention (chapter 08) scores how well a query matches a key
# with one; and the model's last step, the **unembedding**, turns its final vector into one score per token
# with 50,257 of them in GPT-2. Learn to read a dot product as "how much do these two agree?" and most of the
# model becomes readable.
#
# **What you need.** Chapter 04: word vectors, their lengths and cosine similarity (`course_utils.word_vectors`
# holds what you wrote there). Chapter 00's model is used again at the end.
#
# **Time.** About 60 minutes, five exercises included.
#
# **How the exercises work.** Each exercise is a function to write in the cell under it, followed by a check.
# Until you write it, the check says "not done yet" and the rest of the notebook uses the course's own solution,
# so you can run everything top to bottom (Run All) at any time.

# %%
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils import scaled, seed_everything
from course_utils.plotting import COLORS, new_axes, use_course_style
from course_utils.word_vectors import GENDER_PAIRS, load_shakespeare_vectors

seed_everything(0)
use_course_style()

# %% [markdown]
# ## 5.1 The dot product: multiply pairs, add them up
#
# Two vectors of the same length are two lists of numbers. Their **dot product**, written $a \cdot b$, pairs
# the entries up, multiplies each pair, and adds the products:
#
# $$a \cdot b = a_1 b_1 + a_2 b_2 + \dots + a_d b_d$$
#
# For $a = (2, 1)$ and $b = (1, 3)$ that is $2 \times 1 + 1 \times 3 = 5$. The answer is one number, however
# long the vectors are. Here are the pairs and their products for two vectors of length 4:

# %%
a = np.array([2.0, -1.0, 0.5, 3.0])
b = np.array([1.0, 4.0, 2.0, -0.5])
for i, (x, y) in enumerate(zip(a, b, strict=True)):
    print(f"position {i}: {x:5.1f} x {y:5.1f} = {x * y:5.1f}")
print(f"sum of the products: {np.sum(a * b):.1f}")

# %% [exercise ch05.dot]
# Write `dot(a, b)` by hand, with a loop: multiply each pair of entries and add the products up. Do not use
# `np.dot`, `@` or `np.sum(a * b)`: that is what you are rebuilding (the check compares values only, so it is
# up to you). Two vectors of different lengths have no dot product: raise a `ValueError` for them.

# %%
assert dot([2.0, 1.0], [1.0, 3.0]) == 5.0
assert np.isclose(dot(a, b), a @ b)  # numpy's `@` computes the same sum of products, much faster

# %% [markdown]
# ## 5.2 What the number means: alignment
#
# The dot product has a second reading, in pictures. For two arrows $a$ and $b$ with lengths $|a|$ and $|b|$
# (the length is $|a| = \sqrt{a \cdot a}$, Pythagoras) and the angle $\theta$ between them:
#
# $$a \cdot b = |a| \, |b| \cos\theta$$
#
# The cosine is 1 when the arrows point the same way, 0 when they are perpendicular and -1 when they point in
# opposite directions. So the **sign** of the dot product says how two vectors are aligned:
#
# - **positive**: they point roughly the same way (the angle is under 90°);
# - **zero**: they are perpendicular, they have nothing in common;
# - **negative**: they point roughly opposite ways (over 90°).
#
# Here are the three cases:


# %%
def draw_arrows(axes: plt.Axes, a: np.ndarray, b: np.ndarray, names: tuple[str, str] = ("a", "b")) -> None:
    """Draw the 2-D vectors ``a`` and ``b`` as arrows from the origin, labelled with ``names``, on equal axes."""
    for vector, color, name in [(a, COLORS[0], names[0]), (b, COLORS[1], names[1])]:
        axes.annotate("", xy=vector, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": color, "lw": 2.5})
        axes.text(*(vector * 1.12), name, color=color, fontsize=14, ha="center", va="center")
    axes.set(xlim=(-2.6, 2.6), ylim=(-2.6, 2.6), aspect="equal")
    axes.axhline(0, color="grey", lw=0.5)
    axes.axvline(0, color="grey", lw=0.5)


figure, panels = plt.subplots(1, 3, figsize=(12, 4.2))
a_2d = np.array([2.0, 0.5])
for panel, b_2d, name in zip(
    panels,
    [np.array([1.5, 1.2]), np.array([-0.5, 2.0]), np.array([-1.8, -0.9])],
    ["same way", "perpendicular", "opposite ways"],
    strict=True,
):
    draw_arrows(panel, a_2d, b_2d)
    panel.set_title(f"{name}: a · b = {dot(a_2d, b_2d):+.2f}")
plt.tight_layout()
plt.show()

# %% [markdown]
# Turn $b$ around $a$ with the slider and watch the dot product follow the cosine: largest when $b$ lies along
# $a$, zero at 90°, most negative at 180°. The lengths stay fixed, so only the angle changes the number. (If
# the slider does not show, your Jupyter lacks widget support: call `show_angle(120)` with angles of your own.)

# %%
a_length, b_length = 2.0, 1.5


def show_angle(angle_degrees: float) -> float:
    """Draw a (along the x axis) and b at ``angle_degrees`` from it; print and return their dot product."""
    angle = np.radians(angle_degrees)
    a_vec = np.array([a_length, 0.0])
    b_vec = b_length * np.array([np.cos(angle), np.sin(angle)])
    product = dot(a_vec, b_vec)
    figure, (arrows, curve) = plt.subplots(1, 2, figsize=(11, 4.2))
    draw_arrows(arrows, a_vec, b_vec)
    arrows.set_title(f"angle {angle_degrees:.0f}°: a · b = {product:+.2f}")
    every_angle = np.linspace(0, 360, 361)
    curve.plot(every_angle, a_length * b_length * np.cos(np.radians(every_angle)), color=COLORS[0])
    curve.plot(angle_degrees, product, "o", color=COLORS[1], markersize=10)
    curve.axhline(0, color="grey", lw=0.5)
    curve.set(
        title="|a| |b| cos(angle)", xlabel="angle between a and b (degrees)", ylabel="a · b", xticks=range(0, 361, 90)
    )
    plt.tight_layout()
    plt.show()
    print(
        f"a · b = {product:+.3f}    cos(angle) = {np.cos(angle):+.3f}    |a| |b| cos(angle) = "
        f"{a_length * b_length * np.cos(angle):+.3f}"
    )
    return product


widgets.interactive(
    show_angle, angle_degrees=widgets.FloatSlider(value=40, min=0, max=360, step=5, description="angle (°)")
)

# %% [markdown]
# The two readings agree for any two vectors, not only the ones on the slider. Draw a thousand random pairs,
# measure each one's angle with a protractor (`np.arctan2` gives each arrow's angle from the x axis), and
# compare:

# %%
rng = np.random.default_rng(0)
pairs_2d = rng.normal(size=(1000, 2, 2))  # 1000 pairs (a, b) of 2-D vectors
by_sum = np.array([dot(pa, pb) for pa, pb in pairs_2d])
angles = np.arctan2(pairs_2d[:, 1, 1], pairs_2d[:, 1, 0]) - np.arctan2(pairs_2d[:, 0, 1], pairs_2d[:, 0, 0])
by_angle = np.linalg.norm(pairs_2d[:, 0], axis=1) * np.linalg.norm(pairs_2d[:, 1], axis=1) * np.cos(angles)
print(f"largest difference between the two readings over 1000 pairs: {np.abs(by_sum - by_angle).max():.1e}")

# %%
assert np.allclose(by_sum, by_angle, atol=1e-9)

# %% [markdown]
# In 100 or 12,288 dimensions nobody can draw the angle, but the formula still defines it:
# $\cos\theta = \frac{a \cdot b}{|a|\,|b|}$. That is the **cosine similarity** of chapter 04, and now you can
# see where it comes from: the dot product with the lengths divided out.
#
# ## 5.3 Projection: how far a vector reaches along a direction
#
# The dot product mixes two things: how well the vectors are aligned, and how long they are. Often we want
# something in between: fix a **direction** $d$ and ask how far a vector $v$ reaches along it. Shine a light
# straight down onto the line through $d$: the shadow of $v$ has a length, with a sign (negative if the shadow
# falls behind the origin). That signed length is the **scalar projection**
#
# $$\text{proj}_d(v) = \frac{v \cdot d}{|d|} = |v| \cos\theta$$
#
# Dividing by $|d|$ makes it independent of how long the direction arrow happens to be; only its direction
# counts. But $v$'s own length stays in: a longer $v$ at the same angle casts a longer shadow.

# %% [exercise ch05.project]
# Write `project(v, direction)`: the signed length of `v` along `direction`, `v · direction / |direction|`. You
# may use your `dot` (or `np.dot`, now that you have written it). A zero direction points nowhere: raise a
# `ValueError` for it.

# %%
v_example, d_example = np.array([1.5, 2.0]), np.array([3.0, 1.0])
shadow = project(v_example, d_example)
foot = shadow * d_example / np.linalg.norm(d_example)  # the point where v's shadow ends, on the line of d

axes = new_axes(f"The projection of v on d is {shadow:.2f}", "", "", figsize=(6, 4.5))
axes.plot([-1, 4], [-1 / 3, 4 / 3], color="grey", lw=0.8, ls="--")  # the line through d
draw_arrows(axes, v_example, d_example, names=("v", "d"))
axes.plot([v_example[0], foot[0]], [v_example[1], foot[1]], ":", color="black")
axes.plot([0, foot[0]], [0, foot[1]], color=COLORS[2], lw=6, alpha=0.5, label="the shadow: v · d / |d|")
axes.set(xlim=(-0.5, 3.8), ylim=(-0.5, 2.6))
axes.legend(loc="upper left")
plt.show()

# %% [markdown]
# Here is the difference between the three measures in numbers. Doubling $v$ doubles its dot product and its
# projection but leaves its cosine alone; doubling $d$ doubles only the dot product:

# %%
print("                 dot     projection   cosine")
for name, v, d in [
    ("v, d", v_example, d_example),
    ("2v, d", 2 * v_example, d_example),
    ("v, 2d", v_example, 2 * d_example),
]:
    cosine = dot(v, d) / (np.linalg.norm(v) * np.linalg.norm(d))
    print(f"{name:8} {dot(v, d):10.3f} {project(v, d):12.3f} {cosine:9.3f}")

# %%
assert np.isclose(project(2 * v_example, d_example), 2 * project(v_example, d_example))
assert np.isclose(project(v_example, 2 * d_example), project(v_example, d_example))
assert np.isclose(
    project(v_example, d_example),
    np.linalg.norm(v_example) * np.cos(np.arctan2(v_example[1], v_example[0]) - np.arctan2(d_example[1], d_example[0])),
)

# %% [markdown]
# Which measure to use depends on the question. "Are these two words about the same thing?" ignores how long
# their vectors are: cosine. "How strongly does this word carry that meaning?" keeps the word's own length:
# projection. In word vectors, length is not noise: it depends on how often a word is used, and in what
# company, as the next cell measures.
#
# ## 5.4 Directions that mean something: female and male
#
# Chapter 04 found that king - man + woman lands near queen: the step from man to woman is roughly the same as
# the step from king to queen. If that step is a direction in the space, we can name it and measure any word
# along it. Load the course's Word2Vec vectors, trained on Shakespeare in chapter 04:

# %%
word_vectors = load_shakespeare_vectors()
vectors, words = word_vectors.vectors, word_vectors.words
print(word_vectors)

lengths = np.linalg.norm(vectors, axis=1)
print(f"vector lengths: from {lengths.min():.2f} to {lengths.max():.2f}, median {np.median(lengths):.2f}")

# %%
# Word2Vec's vocabulary is sorted by frequency (row 0 is the commonest word): compare lengths by frequency band
bands = [(0, 100), (100, 1000), (1000, 5000), (5000, len(words))]
band_medians = [float(np.median(lengths[first:last])) for first, last in bands]
for (first, last), median in zip(bands, band_medians, strict=True):
    print(f"words ranked {first:>5} to {last:>5} by frequency: median length {median:.2f}")

# %%
# the rarest words have the shortest vectors; the very commonest ("the", "and", "of") are short too
assert band_medians[-1] < band_medians[1] and band_medians[0] < band_medians[1]

# %% [markdown]
# The rarest words have the shortest vectors: training met them too seldom to push them far from their small
# random starting points. The very commonest words are short too, probably because "the", "and" and "of" stand
# next to every kind of word, so that the pulls on them from all sides partly cancel. The words in between,
# used often and in particular company, reach furthest. A projection keeps this (a vivid, well-known word scores
# further along a direction than a rare one at the same angle); a cosine throws it away.
#
# One pair of words gives a direction: woman - man. But one pair carries everything else that differs between
# those two words in Shakespeare (how often each is used, in which plays, in which phrases). Averaging the
# difference over many pairs keeps what the pairs share and lets the rest cancel out.

# %% [exercise ch05.direction]
# Write `direction(vectors, words, pairs)`: for each pair `(a, b)`, the raw vector of `b` minus the raw vector
# of `a`; the average of those differences; divided by its length, so that the result has length 1. A word's
# vector is row `words.index(word)` of `vectors`.

# %%
gender_pairs = [(a, b) for a, b in GENDER_PAIRS if a in word_vectors and b in word_vectors]
gender = direction(vectors, words, gender_pairs)
print(f"{len(gender_pairs)} pairs: " + ", ".join(f"{a} -> {b}" for a, b in gender_pairs))
print(f"the direction has length {np.linalg.norm(gender):.3f}")

# %%
assert len(gender_pairs) == 13 and np.isclose(np.linalg.norm(gender), 1.0)

# %% [markdown]
# To use a direction, score words along it: the projection of each word's vector. Positive means the word
# leans towards the second word of the pairs (the female side), negative towards the first.

# %% [exercise ch05.direction_scores]
# Write `direction_scores(vectors, words, direction, query_words)`: the projection (your `project`) of each
# query word's raw vector on `direction`, in the order of `query_words`, as a numpy array.

# %% [markdown]
# Is the average really steadier than one pair? Test both on 13 pairs that were **not** used to build any of
# them: a direction passes a test pair if it scores the female word above the male one.

# %%
test_pairs = [
    ("duke", "duchess"),
    ("nephew", "niece"),
    ("abbot", "abbess"),
    ("emperor", "empress"),
    ("count", "countess"),
    ("shepherd", "shepherdess"),
    ("bridegroom", "bride"),
    ("master", "mistress"),
    ("lad", "lass"),
    ("god", "goddess"),
    ("gentleman", "gentlewoman"),
    ("friar", "nun"),
    ("knight", "lady"),
]


def test_pair_gaps(pair_direction: np.ndarray) -> np.ndarray:
    """For each test pair, the female word's score minus the male word's along ``pair_direction``."""
    male = np.asarray(direction_scores(vectors, words, pair_direction, [m for m, _ in test_pairs]), dtype=float)
    female = np.asarray(direction_scores(vectors, words, pair_direction, [f for _, f in test_pairs]), dtype=float)
    return female - male


single_gaps = [test_pair_gaps(direction(vectors, words, [pair])) for pair in gender_pairs]
average_gaps = test_pair_gaps(gender)
single_results = [int(np.sum(gaps > 0)) for gaps in single_gaps]  # test pairs sorted the right way
average_result = int(np.sum(average_gaps > 0))

figure, (count_axes, gap_axes) = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True)
labels = [f"{a}->{b}" for a, b in gender_pairs] + ["average of all 13"]
colors = [COLORS[0]] * len(gender_pairs) + [COLORS[1]]
count_axes.bar(range(len(labels)), single_results + [average_result], color=colors)
count_axes.axhline(len(test_pairs), color="grey", ls="--", lw=0.8)
count_axes.set(title="Each direction on 13 unseen pairs", ylabel="pairs sorted right", ylim=(0, len(test_pairs) + 1))
gap_axes.bar(range(len(labels)), [gaps.mean() for gaps in single_gaps] + [average_gaps.mean()], color=colors)
gap_axes.set(ylabel="mean gap, female - male")
gap_axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
plt.tight_layout()
plt.show()
missed = [pair for pair, gap in zip(test_pairs, average_gaps, strict=True) if gap <= 0]
print(
    f"one pair alone: {min(single_results)} to {max(single_results)} of {len(test_pairs)} sorted, mean gap "
    f"{min(g.mean() for g in single_gaps):.2f} to {max(g.mean() for g in single_gaps):.2f}; the average: "
    f"{average_result} of {len(test_pairs)}, mean gap {average_gaps.mean():.2f}; it misses {missed}"
)

# %%
assert (min(single_results), max(single_results), average_result) == (8, 12, 12)
assert gender_pairs[int(np.argmin(single_results))] == ("man", "woman")  # the worst single pair
assert average_gaps.mean() > max(gaps.mean() for gaps in single_gaps)  # the average separates best
assert missed == [("lad", "lass")]

# %% [markdown]
# Every single pair sorts most test pairs the right way, so the direction is really there. But one pair alone is
# a gamble: man -> woman sorts only 8 of the 13, king -> queen 12. The average sorts 12, as many as the best
# single pair, and it separates the two words of a test pair further than any single pair does (the lower
# panel). The one test pair it misses is lad -> lass: "lass" occurs only six times in the training text, and a
# word met that rarely has a vector that says little (section 5.5 counts it).
#
# Here are some of the words along the average direction, with a few words that have no gender (grey) for
# comparison:

# %%
male_queries = ["duke", "master", "knight", "nephew", "gentleman"]
female_queries = ["lass", "niece", "countess", "bride", "maid", "mistress", "widow", "nurse"]
neutral_queries = ["horse", "sword", "war", "crown", "house", "tree", "sea", "gold"]
query_words = male_queries + female_queries + neutral_queries
gender_scores = np.asarray(direction_scores(vectors, words, gender, query_words), dtype=float)
score_of = dict(zip(query_words, gender_scores, strict=True))

axes = new_axes("Words along the gender direction", "projection on the average of woman - man", "", figsize=(7, 6.5))
colors = [COLORS[0]] * len(male_queries) + [COLORS[1]] * len(female_queries) + ["grey"] * len(neutral_queries)
axes.barh(range(len(query_words))[::-1], gender_scores, color=colors)
axes.set_yticks(range(len(query_words))[::-1], query_words)
axes.axvline(0, color="black", lw=0.8)
plt.show()

# %%
assert all(score_of[w] < -0.3 for w in ["duke", "knight"]) and all(score_of[w] > 0.3 for w in female_queries[1:])
assert all(abs(score_of[w]) < 0.1 for w in ["master", "nephew", "gentleman", "lass"])  # at zero, neither side
assert all(score_of[w] < -0.5 for w in ["horse", "sword", "war"]) and score_of["gold"] > 0.5

# %% [markdown]
# The female words (orange) lean clearly female, except "lass", which is too rare to lean anywhere. The male
# words (blue) are less clear: duke and knight lean male, but master, nephew and gentleman sit at zero. The
# grey words have no gender, yet they are not all near zero: horse, sword and war lean male more than "master"
# does, and gold leans female. The vectors learned how words are *used* in the plays, in whose speeches and next
# to which words; the exact reasons are hard to read from outside, since each vector sums up thousands of uses.
# The lesson holds all the same: a direction found in word vectors carries the associations of its corpus, its
# biases included. That is true of every language model, GPTs too.
#
# ## 5.5 A plurality direction, and counting
#
# Seed 000 tries another direction: cats - cat, which should point from one thing to many. Build it the steady
# way, from 14 singular-plural pairs, and score 25 other pairs that were not used to build it (Shakespeare's
# cats are too rare to build on, but they are among the test pairs):

# %%
plural_pairs = [
    ("king", "kings"),
    ("lord", "lords"),
    ("hand", "hands"),
    ("eye", "eyes"),
    ("friend", "friends"),
    ("word", "words"),
    ("thing", "things"),
    ("day", "days"),
    ("heart", "hearts"),
    ("tear", "tears"),
    ("soldier", "soldiers"),
    ("year", "years"),
    ("night", "nights"),
    ("enemy", "enemies"),
]
held_out_pairs = [
    ("brother", "brothers"),
    ("son", "sons"),
    ("daughter", "daughters"),
    ("sword", "swords"),
    ("horse", "horses"),
    ("god", "gods"),
    ("star", "stars"),
    ("lip", "lips"),
    ("knee", "knees"),
    ("tongue", "tongues"),
    ("heaven", "heavens"),
    ("father", "fathers"),
    ("man", "men"),
    ("woman", "women"),
    ("child", "children"),
    ("foot", "feet"),
    ("tooth", "teeth"),
    ("gentleman", "gentlemen"),
    ("cat", "cats"),
    ("dog", "dogs"),
    ("flower", "flowers"),
    ("bird", "birds"),
    ("tree", "trees"),
    ("house", "houses"),
    ("ship", "ships"),
]
plurality = direction(vectors, words, plural_pairs)
singular_scores = np.asarray(direction_scores(vectors, words, plurality, [s for s, _ in held_out_pairs]), float)
plural_scores = np.asarray(direction_scores(vectors, words, plurality, [p for _, p in held_out_pairs]), float)

positions = np.arange(len(held_out_pairs))
axes = new_axes(
    "25 unseen nouns along the plurality direction", "", "projection on plural - singular", figsize=(11, 4.5)
)
axes.bar(positions - 0.2, singular_scores, width=0.4, color=COLORS[0], label="singular")
axes.bar(positions + 0.2, plural_scores, width=0.4, color=COLORS[1], label="plural")
axes.set_xticks(positions, [f"{s}/{p}" for s, p in held_out_pairs], rotation=60, ha="right")
axes.axhline(0, color="black", lw=0.8)
axes.legend(loc="upper left")
plt.show()
plural_wins = int(np.sum(plural_scores > singular_scores))
print(f"the plural scores higher than its singular in {plural_wins} of {len(held_out_pairs)} unseen pairs")

# %%
assert plural_wins == len(held_out_pairs)
assert {"men", "women", "children", "feet", "teeth"} <= {p for _, p in held_out_pairs}  # irregular plurals too

# %% [markdown]
# Every one of the 25, irregular plurals included (men, women, children, feet, teeth), which share no "-s" with
# the pairs that built the direction: the vectors know number from how words are used ("these", "are",
# "all"), not from their spelling, which Word2Vec never sees.
#
# Seed 000 then dots the plurality direction with one, two, three, four and finds increasing values, as if the
# model measured "how plural" a number is. Here is what Shakespeare's vectors say:

# %%
number_words = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twenty",
    "hundred",
    "thousand",
]
number_scores = np.asarray(direction_scores(vectors, words, plurality, number_words), dtype=float)
axes = new_axes("Number words along the plurality direction", "", "projection on plural - singular")
axes.plot(range(len(number_words)), number_scores, "o-", color=COLORS[2])
axes.set_xticks(range(len(number_words)), number_words, rotation=45, ha="right")
axes.axhline(0, color="black", lw=0.8)
plt.show()
number_score = dict(zip(number_words, number_scores, strict=True))
for line_words in (number_words[:7], number_words[7:]):  # two lines, to fit the notebook's width
    print("  ".join(f"{word} {number_score[word]:+.2f}" for word in line_words))

# %%
assert number_score["one"] < 0 < min(score for word, score in number_score.items() if word not in ("one", "ten"))
assert abs(number_score["ten"]) < 0.1  # "ten" sits at zero, neither side
assert not number_score["two"] < number_score["three"] < number_score["four"]  # no steady rise, unlike seed 000

# %% [markdown]
# Half of the seed's pattern holds: "one" falls on the singular side, and two, three, four and every larger
# number but "ten" on the plural side ("ten" sits at zero). The other half does not: there is no steady rise
# from two to three to four. Two things about the training text explain much of it, and both can be counted:

# %%
from collections import Counter

from course_utils.data import shakespeare_split
from course_utils.word_vectors import text_words

training_words = text_words(shakespeare_split()[0])
word_counts = Counter(training_words)
print("times each number word occurs:", ", ".join(f"{w} {word_counts[w]}" for w in number_words))
after_ten = Counter(training_words[i + 1] for i, w in enumerate(training_words[:-1]) if w == "ten")
after_one = Counter(training_words[i + 1] for i, w in enumerate(training_words[:-1]) if w == "one")
print(f"the words after 'ten' ({word_counts['ten']} times):", after_ten.most_common(4))
print(f"the words after 'one' ({word_counts['one']} times):", after_one.most_common(4))
print(f"and for 5.4 and 5.5: 'cats' occurs {word_counts['cats']} times, 'lass' {word_counts['lass']}")
ten_as_many = (after_ten["thousand"] + after_ten["times"]) / word_counts["ten"]

# %%
assert len(training_words) == 820_443
assert max(word_counts[w] for w in number_words[3:10]) < 150  # four to ten: under 150 uses each
assert ten_as_many > 0.45 and [word for word, _ in after_one.most_common(2)] == ["of", "that"]
# the claims of 5.4 and 5.5: the vocabulary is in order of frequency, and cats and lass are rare
assert all(word_counts[w] >= word_counts[v] for w, v in zip(words[:-1], words[1:], strict=True))
assert word_counts["cats"] < 10 and word_counts["lass"] < 10

# %% [markdown]
# First, little data. GPT-3's embeddings were trained on hundreds of billions of words and have 12,288
# dimensions; ours saw 820,443 words and have 100, and each number from four to ten occurs fewer than 150
# times: too few uses for fine distinctions between "three" and "four" to stand out from the noise. Second, in
# the plays a number is rarely a count to compare. "Ten" comes before "thousand" or "times" in about half its
# uses ("ten thousand" means "very many"), and "one" is most often followed by "of" or "that" ("one of these",
# "one that loves"), used as a pronoun more than as a number. A direction can only hold what the text taught it.
#
# ## 5.6 Many dot products at once
#
# Scoring a handful of words took a handful of dot products. Scoring every word of the vocabulary along the
# gender direction takes one per word. A loop over your `dot` does it one at a time; a **matrix-vector
# product**, `vectors @ gender`, does them all in one call: entry $i$ of the result is the dot product of row
# $i$ of the matrix with the vector. (Chapter 02 did the same for a layer of neurons.)

# %%
n_scored = scaled(full=len(words), fast=2000)
start = time.perf_counter()
loop_scores = np.array([dot(vectors[i], gender) for i in range(n_scored)])
loop_seconds = time.perf_counter() - start
matrix_times = []
for _ in range(5):  # the fastest of five: a run this short is easily slowed by whatever else the machine does
    start = time.perf_counter()
    matrix_scores = vectors[:n_scored] @ gender
    matrix_times.append(time.perf_counter() - start)
matrix_seconds = min(matrix_times)
print(
    f"{n_scored:,} dot products of length {vectors.shape[1]}: a Python loop took {loop_seconds * 1000:.1f} ms, "
    f"the matrix product {matrix_seconds * 1000:.2f} ms ({loop_seconds / matrix_seconds:,.0f} times faster)"
)

axes = new_axes(f"{n_scored:,} dot products", "", "seconds (log scale)", figsize=(5, 4))
axes.bar(
    ["Python loop\nover dot", "matrix product\nvectors @ gender"], [loop_seconds, matrix_seconds], color=COLORS[:2]
)
axes.set_yscale("log")
plt.show()

# %%
assert np.allclose(loop_scores, matrix_scores, atol=1e-4)

# %% [markdown]
# Your times will differ from run to run and machine to machine; the ratio is always large, because the
# matrix product runs compiled code over the whole array at once, while the loop runs Python for every single
# multiplication. With every word scored, here are the two ends of the gender direction among the 3,000
# commonest words:

# %%
common = min(3000, len(words))
order = np.argsort(vectors[:common] @ gender)
male_end = [words[i] for i in order[:12]]
female_end = [words[i] for i in order[::-1][:12]]
print("furthest to the male side:  ", ", ".join(male_end))
print("furthest to the female side:", ", ".join(female_end))

# %%
assert {"she", "herself", "katharine", "ophelia", "isabel", "bianca", "widow", "gentlewoman"} <= set(female_end)
assert {"lancaster", "gaunt", "mowbray", "richard", "earl", "sword", "arrest"} <= set(male_end)

# %% [markdown]
# The female end is pronouns, women's names (Katharine, Ophelia, Isabel, Bianca) and women's titles (widow,
# gentlewoman, lady). The male end is mostly men's names and titles from the history plays (Lancaster, Gaunt,
# Mowbray, Richard, earl), where almost everyone on stage is a man, with "sword" and "arrest" among them. Again,
# the text decides what a direction means.
#
# A **matrix-matrix product** is the same idea once more: `A @ B` takes the dot product of every row of `A`
# with every column of `B`. A GPT's last step is such a product, as the next section shows.

# %% [markdown]
# ## 5.7 The unembedding: one dot product per token
#
# Now the same operation at the heart of a GPT. Chapter 00's model read a prompt and gave a score to each of
# its 19,378 tokens. Where do those scores come from? After its last block, the model holds one **final
# vector** per position (96 numbers for this model, 12,288 for GPT-3), normalised by a last layer norm
# (`ln_f`, chapter 09). The vector at the last position has gathered what the model "thinks" comes next. The
# **unembedding matrix** $W_U$ has one column per token, and the score of a token, its **logit**, is the dot
# product of the final vector with that token's column:
#
# $$\text{logit}_t = h \cdot W_U[:, t] \qquad\text{for every token } t, \qquad\text{that is}\qquad
# \text{logits} = h \, W_U$$
#
# A token whose column points the way $h$ points gets a high score. Chapter 07 turns the scores into
# probabilities with a softmax. `model.hidden_states(ids)` gives the final vectors (the model's own forward
# pass is `lm_head(hidden_states(ids))`):

# %%
from course_utils.tour import encode_prompt, load_tour_model

tour = load_tour_model()
model = tour.model
prompt = "GLOUCESTER.\nNow is the winter of our"
prompt_ids = encode_prompt(tour, prompt)
with torch.no_grad():
    final_vectors = model.hidden_states(prompt_ids[None])  # (1, T, C)
h_last = final_vectors[0, -1]  # (C,): the final vector at the last position
print(
    f"{len(prompt_ids)} tokens in, final vectors of shape {tuple(final_vectors.shape)}; "
    f"the last one has {h_last.shape[0]} numbers"
)

# %% [markdown]
# The course's model stores the unembedding as `model.lm_head.weight` with one **row** per token, shape
# (vocabulary, C), because that is how `torch.nn.Linear` keeps its weights. Seed 000's picture draws $W_U$ with
# one column per token, shape (C, vocabulary); the transpose `.T` turns one into the other.

# %% [exercise ch05.unembed]
# Write `unembed(h, W_U)`: the logits, one per token, for final vectors `h` of shape `(..., d)` and an
# unembedding `W_U` of shape `(d, vocab)`. It must work for one vector, for a row of positions and for a batch
# of rows: keep the leading dimensions.

# %%
W_U = model.lm_head.weight.detach().T  # (C, V)
logits = torch.as_tensor(unembed(h_last, W_U))
with torch.no_grad():
    model_logits = model(prompt_ids[None])[0, -1]
print(
    f"W_U: {tuple(W_U.shape)}; logits: {tuple(logits.shape)}; "
    f"largest difference from the model's own: {(logits - model_logits).abs().max():.1e}"
)

# %%
assert logits.shape == (len(tour.vocab),) == (19_378,) and W_U.shape[0] == 96  # the sizes the text states
torch.testing.assert_close(logits, model_logits, atol=1e-4, rtol=1e-5)
# and for every position of the prompt at once: (1, T, C) @ (C, V) -> (1, T, V)
with torch.no_grad():
    torch.testing.assert_close(
        torch.as_tensor(unembed(final_vectors, W_U)), model(prompt_ids[None]), atol=1e-4, rtol=1e-5
    )

# %% [markdown]
# The ten tokens with the highest logits are the model's ten favourite next tokens. Each bar is one dot
# product; check the first one with your own `dot`:

# %%
top_logits, top_ids = torch.topk(logits, 10)
top_texts = [repr(tour.vocab.token_text(int(i))) for i in top_ids]
axes = new_axes(f"The ten highest logits after: ...{prompt[-30:]!r}", "logit (a dot product)", "", figsize=(7, 4.5))
axes.barh(range(10)[::-1], top_logits.numpy(), color=COLORS[0])
axes.set_yticks(range(10)[::-1], top_texts)
plt.show()

best = int(top_ids[0])
by_hand = dot(h_last.numpy(), W_U[:, best].numpy())
print(
    f"best token {tour.vocab.token_text(best)!r}: logit {float(logits[best]):.4f}, "
    f"your dot product of h with its column {by_hand:.4f}"
)

# %%
assert np.isclose(by_hand, float(logits[best]), rtol=1e-4, atol=1e-4)

# %% [markdown]
# The model expects what can follow "our" (own, or a noun), and the nouns it likes are among the 250 commonest
# words of the plays (hand, head, grace, eyes). Shakespeare's own next word is much further down:

# %%
(discontent,) = tour.vocab.encode(" discontent")
discontent_rank = int((logits > logits[discontent]).sum()) + 1
print(f"' discontent': logit {float(logits[discontent]):.2f}, rank {discontent_rank:,} of {len(logits):,}")
minutes_trained = tour.meta["training_seconds"] / 60  # recorded when the model was trained
print(f"the tour model: {model.num_params():,} weights, trained for {minutes_trained:.0f} minutes")

# %%
top_five = [tour.vocab.token_text(int(i)) for i in top_ids[:5]]
assert discontent_rank > 1000 and top_five == [" own", " hand", " head", " grace", " eyes"]
commonest_words = [word for word, _ in word_counts.most_common(250)]  # the plays' 250 commonest words
assert all(noun in commonest_words for noun in ["hand", "head", "grace", "eyes"])
assert round(model.num_params() / 1e6, 1) == 2.3 and 25 < minutes_trained < 35

# %% [markdown]
# A model of 2.3 million weights trained for half an hour has learned what kind of word comes next, not which
# line of which play it is in. Chapter 10 trains a better one; the last step stays this same product.

# %% [markdown]
# ### Tied and untied
#
# Look at where the course's model keeps $W_U$: it is the **same matrix** as the token embedding $W_E$ of
# chapter 04 (`model.wte.weight`), used twice. A token's row is both how the token goes in and the direction
# that scores it on the way out. This is **weight tying**; GPT-2 does it, and it saves a whole matrix:

# %%
V, C = model.config.vocab_size, model.config.d_model
print(f"the tour model: W_E and W_U are the same tensor: {model.lm_head.weight is model.wte.weight}")
print(f"tying saves {V:,} x {C} = {V * C:,} weights, of the model's {model.num_params():,}")

gpt3_vocab, gpt3_width = 50_257, 12_288
gpt3_unembedding = gpt3_width * gpt3_vocab
print(f"GPT-3's W_U: {gpt3_width:,} x {gpt3_vocab:,} = {gpt3_unembedding:,} weights")

# %%
assert model.lm_head.weight is model.wte.weight
assert gpt3_unembedding == 617_558_016  # seed 000's count: about 617 million
assert V * C / model.num_params() > 0.75  # in this small model the shared matrix is most of the weights
gpt3_total = 175_181_291_520  # seed 000's count of GPT-3's weights by matrix group (chapter 00)
assert 2 * gpt3_unembedding / gpt3_total < 0.01  # W_E and W_U together: under 1% of GPT-3

# %% [markdown]
# Seed 000 counts GPT-3's $W_U$ apart from its $W_E$: 617,558,016 weights each, which is how GPT-3 is usually
# described (its paper does not say it ties them; GPT-2 does). In the tour's small model the shared matrix is
# more than three quarters of all its weights, because its vocabulary is large and its vectors short; in GPT-3
# the two matrices together are under 1% of 175 billion.
#
# One matrix product of a whole batch of final vectors, (batch, positions, C) times (C, V), gives every logit at
# every position. A GPT in training does exactly this, because it predicts the next token at every position
# at once (chapter 10).

# %% [markdown]
# ## Summary
#
# - **The dot product** multiplies pairs and adds them up (`dot`). It equals $|a|\,|b|\cos\theta$: positive
#   when two vectors point the same way, zero when perpendicular, negative when opposite.
# - **Cosine similarity** divides out both lengths (chapter 04); **projection** divides out only the
#   direction's (`project`), so it keeps how far a vector reaches.
# - **Directions mean something.** The average of woman - man over many pairs (`direction`) is a steadier
#   gender direction than one pair; scores along it (`direction_scores`) sort words by it, and a plurality
#   direction does the same for number, as far as Shakespeare's vectors go.
# - **Many dot products at once** are a matrix product, and a matrix product is far faster than a loop.
# - **The unembedding** $W_U$ gives each token's logit as a dot product with the final vector (`unembed`); the
#   course's model, like GPT-2, ties $W_U$ to the embedding $W_E$.
#
# **Next:** chapter 06 asks where the tokens themselves come from (byte-pair encoding, GPT-2's 50,257), chapter
# 07 turns logits into probabilities with a softmax, and chapter 08 uses the dot product once more: attention
# scores are dot products of queries and keys.
