# %% [markdown]
# # 06 Tokenization: byte-pair encoding from scratch
#
# Chapter 03 turned text into numbers one character at a time. GPT-2 does not: it reads **tokens**, pieces of
# words from a vocabulary of 50,257, so that `" the"` is one id and `"Implementations"` is three. In this
# chapter you build that tokenizer yourself:
#
# 1. you measure why neither characters nor whole words make a good vocabulary;
# 2. you write **byte-pair encoding** (BPE): start from the 256 possible bytes, and merge the most frequent
#    pair of neighbours into a new token, again and again;
# 3. you encode and decode text with the merges you learned;
# 4. you add GPT-2's one extra step, a regular expression that cuts text into pieces first, and your encoder,
#    given GPT-2's merges, produces **exactly GPT-2's token ids**;
# 5. you train a tokenizer on Shakespeare and compare it with GPT-2's.
#
# **You need** chapter 03 (a vocabulary, `encode` and `decode`) and Python lists and dicts. The chapters in
# between, which turn ids into vectors, are not needed here: tokenization happens before any of that.
#
# **Time**: about 80 minutes, six exercises included.
#
# | section | idea | you write |
# |---|---|---|
# | 6.1 | characters, words, or something in between? | |
# | 6.2 | text is bytes: UTF-8 | |
# | 6.3 | counting pairs and merging one | `get_pair_counts`, `merge` |
# | 6.4 | training: merge the most frequent pair, again and again | `train_bpe` |
# | 6.5 | encoding and decoding with the merges | `encode`, `decode` |
# | 6.6 | GPT-2 splits text into pieces first | |
# | 6.7 | GPT-2's tokenizer, exactly; special tokens | `encode_like_gpt2` |
# | 6.8 | training fast | |
# | 6.9 | a tokenizer for Shakespeare, against GPT-2's | |

# %%
import re
import tempfile
import time
from collections import Counter
from collections.abc import Sequence  # noqa: F401 - the signatures of the exercise cells use it
from pathlib import Path

import matplotlib.pyplot as plt
import regex
import unicodedata

from course_utils import scaled
from course_utils.bpe import (
    encode_pieces,
    gpt2_ranks,
    load_merges,
    merge_steps,
    save_merges,
    split_text,
    token_texts,
    train_bpe_fast,
    train_bpe_recounting,
)

# the reference solutions check their input with these (the solution notebook runs their code)
from course_utils.bpe import require_merges, require_text, require_vocab_size, too_few_pairs  # noqa: F401
from course_utils.data import END_OF_TEXT, GPT2_SPLIT_PATTERN, gpt2_tokenizer, shakespeare_split
from course_utils.display import colored_tokens_html, show_html
from course_utils.plotting import COLORS, new_axes
from course_utils.text_plots import plot_merge_steps, plot_utf8_bytes

train_text, heldout_text = shakespeare_split()
# fast mode (the tests) reads a part of each; a full run reads all of it
train_sample = train_text[: scaled(full=len(train_text), fast=400_000)]
heldout_sample = heldout_text[: scaled(full=len(heldout_text), fast=100_000)]
print(f"training text: {len(train_sample):,} characters; held-out text: {len(heldout_sample):,} characters")

# %% [markdown]
# ## 6.1 Characters, words, or something in between?
#
# A tokenizer chooses the pieces a model reads. Two obvious choices are the two ends of a scale:
#
# - **characters**: a tiny vocabulary, and nothing is ever unknown, but every text becomes a long sequence, and
#   a model that reads a fixed number of tokens at a time sees little text;
# - **words**: short sequences, but a huge vocabulary, and a word that never occurred in training has no id at
#   all.
#
# Let us measure both on Shakespeare: the vocabulary comes from the training plays, the sequence lengths and
# the unknown words from the held-out plays (the last four works, which no model in the course trains on). A
# "word" here is a run of letters or digits, and each punctuation mark counts on its own.

# %%
WORD_PATTERN = r"\w+|[^\w\s]"
train_words = re.findall(WORD_PATTERN, train_sample)
heldout_words = re.findall(WORD_PATTERN, heldout_sample)
word_vocab = set(train_words)
char_vocab = set(train_sample)

unseen_words = [word for word in heldout_words if word not in word_vocab]
unseen_chars = [char for char in heldout_sample if char not in char_vocab]
gpt2 = gpt2_tokenizer()
heldout_gpt2_ids = gpt2.encode_ordinary(heldout_sample)

schemes = {
    "characters": (len(char_vocab), len(heldout_sample), len(unseen_chars)),
    "words": (len(word_vocab), len(heldout_words), len(unseen_words)),
    "GPT-2 tokens": (gpt2.n_vocab, len(heldout_gpt2_ids), 0),
}
print(f"{'':14}{'vocabulary':>12}{'held-out length':>17}{'unknown in held-out':>21}")
for name, (vocab_size, length, unknown) in schemes.items():
    print(f"{name:14}{vocab_size:>12,}{length:>17,}{unknown:>21,}")
print(f"\n{len(set(unseen_words)):,} distinct held-out words never occur in training, for example:")
print(", ".join(sorted(set(unseen_words), key=unseen_words.index)[:15]))

# %%
assert len(char_vocab) < 100 and len(word_vocab) > 50 * len(char_vocab)
assert 3 < len(heldout_sample) / len(heldout_words) < 5  # characters: about four times as long as words
assert 1.0 < len(heldout_gpt2_ids) / len(heldout_words) < 1.5  # GPT-2 tokens: less than half again as long
assert len(set(unseen_words)) > 1000  # words a word-level model could not even read
assert set(unseen_words) <= set(heldout_words)

# %% [markdown]
# The numbers show the trade. Characters need under a hundred ids but make the held-out text about four times
# longer than words do. Words shorten it, but need thousands of ids (tens of thousands on the whole training
# text), and still meet more than a thousand distinct held-out words they have never seen: names, rare forms,
# spelling variants. A word-level model would have to replace each with an "unknown" token and lose it.
#
# GPT-2's tokens sit in between: sequences less than half again as long as words, and nothing is unknown,
# because a word that is not in the vocabulary is spelled out in smaller pieces, down to single bytes if
# need be. The picture puts the three on the same axes.

# %%
axes = new_axes(
    "Vocabulary size against sequence length (held-out Shakespeare)",
    "vocabulary size (log scale)",
    "tokens per 1,000 characters",
    figsize=(7, 4),
)
for (name, (vocab_size, length, _)), color in zip(schemes.items(), COLORS, strict=False):
    per_thousand = 1000 * length / len(heldout_sample)
    axes.scatter(vocab_size, per_thousand, s=120, color=color, zorder=3)
    axes.annotate(
        f"{name}\n{per_thousand:.0f} per 1,000 characters",
        (vocab_size, per_thousand),
        textcoords="offset points",
        xytext=(10, 5),
    )
axes.set_xscale("log")
axes.set_xlim(30, 300_000)
axes.set_ylim(0, 1150)
plt.show()

# %% [markdown]
# ## 6.2 Text is bytes
#
# Which smallest pieces should a sub-word vocabulary start from? Not characters: Unicode has over 140,000 of them
# (counted below), and a vocabulary of all would be larger than GPT-2's. Computers store text as **bytes**, numbers
# from 0 to 255, and the standard way to turn characters into bytes, **UTF-8**, uses one byte for each of the 128
# ASCII characters (English letters, digits, punctuation) and two, three or four bytes for the others.
# `text.encode("utf-8")` gives the bytes; `list(...)` shows them as numbers.

# %%
for char in ["a", "é", "€", "😀"]:
    print(f"{char!r}: {len(char.encode('utf-8'))} byte(s) {list(char.encode('utf-8'))}")
assert [len(char.encode("utf-8")) for char in "aé€😀"] == [1, 2, 3, 4]
assert all(len(chr(code).encode("utf-8")) == 1 for code in range(128)) and len("日".encode()) == 3
# the characters Unicode has assigned (Python's own table; not counting private-use and surrogate codes)
assigned = sum(unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs") for code in range(0x110000))
print(f"Unicode {unicodedata.unidata_version} assigns {assigned:,} characters")
assert assigned > 140_000 > 50_257

plot_utf8_bytes("café 5€ 😀")
plt.show()

# %% [markdown]
# So every text, in any language, with any emoji, is a sequence of numbers from 0 to 255. Those 256 bytes are
# the starting vocabulary of byte-level BPE: whatever comes, it can be written down. The price is length: a
# Chinese character is three ids, an emoji four. BPE wins it back by merging frequent sequences of bytes into
# new ids. Shakespeare is almost all ASCII, one byte per character:

# %%
heldout_bytes = heldout_sample.encode("utf-8")
print(f"held-out text: {len(heldout_sample):,} characters, {len(heldout_bytes):,} bytes")
assert len(heldout_bytes) >= len(heldout_sample)
assert len(heldout_bytes) - len(heldout_sample) < 0.01 * len(heldout_sample)

# %% [markdown]
# ## 6.3 Counting pairs and merging one
#
# Byte-pair encoding repeats two steps:
#
# 1. **count** how often each pair of neighbouring ids occurs;
# 2. **merge** the most frequent pair: give it a new id (256 for the first, then 257, ...) and replace every
#    occurrence of the pair by that id.
#
# Take the text `"aaabdaaabac"`. Its bytes are `[97, 97, 97, 98, 100, 97, 97, 97, 98, 97, 99]`. The pair
# `(97, 97)`, "aa", occurs four times: at positions 0 and 1 of the first "aaa" (the pairs overlap), and the
# same in the second. You write both steps.

# %% [exercise ch06.get_pair_counts]
# Write `get_pair_counts(ids)`: a dict from each pair of neighbouring ids to how often it occurs. Overlapping
# pairs all count, so `[97, 97, 97]` holds `(97, 97)` twice. Fill the dict from left to right: the order in
# which pairs first appear matters in the next exercises.

# %%
classic = "aaabdaaabac"
classic_ids = list(classic.encode("utf-8"))
classic_counts = get_pair_counts(classic_ids)
print(classic_counts)
assert classic_counts[(97, 97)] == 4 and max(classic_counts.values()) == 4

# %% [markdown]
# Merging is where overlaps need a rule. In `"aaa"` the pair "aa" occurs twice, at positions 0 and 1, but the
# middle "a" cannot go into both. BPE reads from left to right: the first two a's merge, and the scan goes on
# after them, so `[a, a, a]` becomes `[X, a]`.

# %% [exercise ch06.merge]
# Write `merge(ids, pair, new_id)`: a new list in which every occurrence of `pair`, found from left to right
# without overlaps, is replaced by `new_id`. `merge([5, 5, 5], (5, 5), 9)` is `[9, 5]`.

# %%
merged_once = merge(classic_ids, (97, 97), 256)
print(merged_once)
assert merged_once == [256, 97, 98, 100, 256, 97, 98, 97, 99]
assert len(merged_once) == len(classic_ids) - 2  # two occurrences merged, each saves one id

# %% [markdown]
# ## 6.4 Training: merge the most frequent pair, again and again
#
# Training is the two steps in a loop. To reach a vocabulary of `vocab_size` ids, learn `vocab_size - 256`
# merges. Record each as `merges[(a, b)] = new_id`; Python dicts keep the order in which keys were added, so
# the dict also remembers the order the merges were learned in, which encoding will need.
#
# One detail decides between equally frequent pairs: take the one that occurs **first** in the current ids.
# `max(counts, key=counts.get)` does exactly that, because `max` keeps the first of equal values and the
# counts were filled from left to right.

# %% [exercise ch06.train_bpe]
# Write `train_bpe(text, vocab_size)`: start from the UTF-8 bytes of `text` and learn `vocab_size - 256`
# merges, each time merging the most frequent pair (the first one, on a tie) into the next new id.

# %%
classic_merges = train_bpe(classic, 259)
print(classic_merges)
assert list(classic_merges.items()) == [((97, 97), 256), ((256, 97), 257), ((257, 98), 258)]

# %% [markdown]
# The three merges are "aa", then "aa" + "a" = "aaa", then "aaa" + "b" = "aaab": a merged id can be part of a
# later merge, so tokens grow to whole syllables and words. Here are the merges as they happen, on the
# example and on a line with more to find: each row is the text after one more merge, each box a token. The
# orange boxes are the tokens the row's merge made.


# %%
def show_merge_steps(text: str, n_merges: int) -> None:
    """Draw ``text`` cut into its tokens after each of the first ``n_merges`` merges of ``train_bpe``."""
    steps = merge_steps(text, n_merges)
    merges_so_far = {}
    rows, labels = [list(text)], ["the bytes"]
    for number, (pair, new_id, count, ids) in enumerate(steps, start=1):
        merges_so_far[pair] = new_id
        pieces = token_texts(ids, merges_so_far)
        left, right = token_texts(pair, merges_so_far)
        rows.append(pieces)
        left, right = left.replace(" ", "␣"), right.replace(" ", "␣")  # a space drawn as in the boxes
        labels.append(f"merge {number}: '{left}'+'{right}' → {new_id} (×{count})")
    plot_merge_steps(rows, labels, title=f"{len(steps)} merges on {text!r}")
    plt.show()


show_merge_steps(classic, 3)
phrase = "in the hat on the mat in the sun"
show_merge_steps(phrase, 6)

# %%
assert [step[:3] for step in merge_steps(classic, 3)] == [((97, 97), 256, 4), ((256, 97), 257, 2), ((257, 98), 258, 2)]
phrase_tokens = token_texts(range(256, 262), train_bpe(phrase, 262))
print("the line's tokens, in the order they were made:", phrase_tokens)
assert phrase_tokens == ["n ", "n t", "n th", "n the", "n the ", "in the "]

# %% [markdown]
# In the second line every merge crosses a space. "n" + " " is the most frequent pair (the end of "in" and
# "on" before the next word), and the merges grow from it until "in the " is one token: two words and a
# space. Plain BPE knows nothing of words; it only sees frequent neighbours. Section 6.6 shows how GPT-2
# stops this.
#
# On real text the first merges are the most common pairs of English. Here are the first twenty merges
# learned from the start of the Shakespeare training text (a space is drawn as `·`, a newline as `↵`):

# %%
passage = train_text[: scaled(full=6_000, fast=6_000)]
passage_merges = train_bpe(passage, 276)
for pair, new_id in passage_merges.items():
    left, right = token_texts(pair, passage_merges)
    joined = token_texts([new_id], passage_merges)[0]
    show = lambda piece: piece.replace(" ", "·").replace("\n", "↵")  # noqa: E731 - a small display helper
    print(f"{new_id}: {show(left)!r:>8} + {show(right)!r:<8} → {show(joined)!r}")
assert len(passage_merges) == 20 and list(passage_merges.values()) == list(range(256, 276))

# %% [markdown]
# ## 6.5 Encoding and decoding
#
# To **encode** a new text with learned merges, start from its bytes and apply the merges, but in which order?
# Not by counting pairs in the new text: the tokenizer must cut a word the same way wherever it appears. The
# rule is **by rank**: as long as some pair of neighbours is a merge, apply the merge that was learned first
# (the lowest new id among the pairs present). This replays training in the order it happened.
#
# The two orders really differ. With the merges ab → 256 and bc → 257, the text `"abcbc"` holds "bc" twice
# and "ab" once. By rank, "ab" goes first: `[256, c, 257]`. By frequency, "bc" would go first, and then "ab"
# is gone: `[a, 257, 257]`, a different cut of the same text.

# %% [exercise ch06.encode]
# Write `encode(text, merges)`: the token ids of `text`, starting from its UTF-8 bytes and applying, while any
# pair of neighbours is a merge, the one with the lowest new id. An empty text gives `[]`.

# %%
assert encode(classic, classic_merges) == [258, 100, 258, 97, 99]
assert encode("abcbc", {(97, 98): 256, (98, 99): 257}) == [256, 99, 257]
assert encode("", classic_merges) == []

# %% [markdown]
# **Decoding** goes back: each id stands for some bytes (ids 0-255 for one byte each, and a merged id for its
# two parts' bytes joined), and the joined bytes are decoded as UTF-8. One thing can go wrong: an id sequence
# need not end on a whole character. Cut "€", three bytes, after two, and the two bytes are not valid UTF-8.
# Python's `bytes.decode("utf-8", errors="replace")` then writes the **replacement character** `"\ufffd"`, drawn
# �, instead of failing; a model that generates text one token at a time can produce such sequences, so the
# decoder must not crash on them.

# %%
euro = list("€".encode())
print("the bytes of '€':", euro)
print("all three decode to:", repr(bytes(euro).decode("utf-8", errors="replace")))
print("the first two decode to:", repr(bytes(euro[:2]).decode("utf-8", errors="replace")))
try:
    bytes(euro[:2]).decode("utf-8")
except UnicodeDecodeError as error:
    print("without errors='replace':", error)

# %% [markdown]
# Why is that not a valid character? UTF-8 marks every byte: a byte from 224 to 239 says "a character of three
# bytes starts here", and the two that follow must each be from 128 to 191. After 226 and 130 the decoder
# expects one more such byte; the text ends instead, so the character is incomplete.

# %% [exercise ch06.decode]
# Write `decode(ids, merges)`: the text the ids stand for. Build each id's bytes, join the bytes of all ids,
# and decode them once with `.decode("utf-8", errors="replace")`.

# %%
assert decode(encode(classic, classic_merges), classic_merges) == classic
assert decode(euro[:2], {}) == "\ufffd"
mixed = "naïve café, 日本語 🙂"
mixed_merges = train_bpe(mixed * 4, 280)
assert decode(encode(mixed, mixed_merges), mixed_merges) == mixed  # any text comes back unchanged

# %% [markdown]
# Here are the tokens of a line of Shakespeare, each on its own colour with its id under it, cut by the merges
# learned from the passage above (twenty merges: most words are still cut into letters and pairs), and by
# merges learned from more text (hundreds of merges; a thousand in a full run), where common words have become
# single tokens.

# %%
line = "Now is the winter of our discontent\nMade glorious summer by this sun of York;"
ids_20 = encode(line, passage_merges)
show_html(colored_tokens_html(token_texts(ids_20, passage_merges), ids_20))
# the fast trainer of section 6.8 learns the same merges as train_bpe, sooner
merges_more = train_bpe_fast(train_text[: scaled(full=300_000, fast=40_000)], scaled(full=1256, fast=556))
ids_more = encode_pieces(line, merges_more)
show_html(colored_tokens_html(token_texts(ids_more, merges_more), ids_more))
print(f"{len(line.encode())} bytes; {len(ids_20)} tokens with 20 merges, {len(ids_more)} with {len(merges_more):,}")
assert decode(ids_20, passage_merges) == decode(ids_more, merges_more) == line
assert len(ids_more) < len(ids_20) < len(line.encode())

# %% [markdown]
# ## 6.6 GPT-2 splits text into pieces first
#
# Trained on plain text, BPE happily merges across word boundaries: "e" + " " or ", " + "and" are frequent
# too, and a vocabulary full of such tokens wastes ids on accidents of word order. GPT-2 first cuts the text
# into **pieces** with a regular expression, and BPE never merges across two pieces. The pattern, from
# `course_utils.data`:

# %%
print(GPT2_SPLIT_PATTERN)

# %% [markdown]
# It tries its alternatives, separated by `|`, from left to right at each place in the text:
#
# | part | matches | example |
# |---|---|---|
# | `'(?:[sdmt]\|ll\|ve\|re)` | the common English contractions | `'s`, `'ll`, `'ve` |
# | ` ?\p{L}+` | a run of letters, with the space before it | ` winter` |
# | ` ?\p{N}+` | a run of digits, with the space before it | ` 1599` |
# | ` ?[^\s\p{L}\p{N}]+` | a run of other symbols (punctuation), with the space before it | ` --`, `;` |
# | `\s+(?!\S)` | a run of whitespace, but not its last space if a word follows | the spaces before a word |
# | `\s+` | any other run of whitespace | a newline at the end |
#
# `\p{L}` means "any letter, in any script" and `\p{N}` "any digit". Python's own `re` module does not know
# them; the `regex` package (installed with the course) does:

# %%
try:
    re.compile(r"\p{L}")
except re.error as error:
    print("re:", error)
print("regex:", regex.findall(r"\p{L}+", "naïve Привет 日本語"))
assert regex.findall(r"\p{L}+", "naïve Привет 日本語") == ["naïve", "Привет", "日本語"]

# %% [markdown]
# Here are the pieces of a few lines, each piece on its own colour:

# %%
examples = [
    "I'll say they're HERE, and we've 1599 reasons.",
    "foo\n\nbar    baz\tqux!!",
    "Hello world   -- it's 3:45pm",
]
for example in examples:
    show_html(colored_tokens_html(regex.findall(GPT2_SPLIT_PATTERN, example)))
print(regex.findall(GPT2_SPLIT_PATTERN, examples[1]))
assert regex.findall(GPT2_SPLIT_PATTERN, "foo\n\nbar") == ["foo", "\n", "\n", "bar"]
assert regex.findall(GPT2_SPLIT_PATTERN, "a    b") == ["a", "   ", " b"]
assert regex.findall(GPT2_SPLIT_PATTERN, "I'll") == ["I", "'ll"]
assert regex.findall(GPT2_SPLIT_PATTERN, "HE'S he's") == ["HE", "'", "S", " he", "'s"]

# %% [markdown]
# Look at the runs of whitespace: in `"bar    baz"` the four spaces become a piece of three and a `" baz"`, so
# that the word keeps its leading space and is the same token as anywhere else. The contractions are matched
# in lower case only: `"HE'S"` would be cut differently from `"he's"` (GPT-2 keeps that quirk, and so must we).
#
# How much does the split change what BPE learns? Train on the same Shakespeare passage with and without it,
# and count the learned tokens that hold a space or newline anywhere but at their start, that is, tokens that
# cross a word boundary:


# %%
def crosses_a_boundary(token: str) -> bool:
    """Whether a token holds whitespace after a non-whitespace character: it runs past the end of a word."""
    return bool(re.search(r"\S\s", token))


boundary_text = train_text[: scaled(full=8_000, fast=8_000)]
merges_plain = train_bpe(boundary_text, 316)  # your trainer: no split
merges_split = train_bpe_fast(boundary_text, 316, pattern=GPT2_SPLIT_PATTERN)
plain_crossing = [t for t in token_texts(range(256, 316), merges_plain) if crosses_a_boundary(t)]
split_crossing = [t for t in token_texts(range(256, 316), merges_split) if crosses_a_boundary(t)]
print(f"without the split: {len(plain_crossing)} of 60 tokens cross a word boundary, e.g. {plain_crossing[:6]}")
print(f"with the split:    {len(split_crossing)} of 60")
assert len(plain_crossing) > 10 and split_crossing == []

# %% [markdown]
# ## 6.7 GPT-2's tokenizer, exactly
#
# GPT-2's tokenizer is byte-level BPE with 50,000 merges, learned by OpenAI on web text, over the pieces of
# that pattern. The course ships its merges in `data/gpt2.tiktoken`, in the form tiktoken (OpenAI's tokenizer
# library) uses: not a list of pairs but a **rank** for each token's bytes, the order in which it was made.
# `gpt2_ranks()` loads them as a dict from bytes to id:

# %%
ranks = gpt2_ranks()
print(f"{len(ranks):,} tokens with a rank;", "examples:", {b"!": ranks[b"!"], b" the": ranks[b" the"]})
byte_ranks = sorted(ranks[bytes([byte])] for byte in range(256))
assert byte_ranks == list(range(256))  # the 256 single bytes have ids 0-255 (in GPT-2's own order)
assert sorted(ranks.values()) == list(range(len(ranks)))
assert len(ranks) == 256 + 50_000 and gpt2.n_vocab == 256 + 50_000 + 1 == 50_257

# %% [markdown]
# That is where **50,257** comes from: 256 bytes, plus 50,000 merges, plus one **special token**,
# `<|endoftext|>`, id 50256, which marks the boundary between two documents in the training data.
#
# With ranks instead of merges, encoding a piece works on bytes: start from its single bytes, and repeatedly
# join the neighbouring pair whose joined bytes have the lowest rank, until no joined pair is a token. The id
# of each part left is its rank.

# %% [exercise ch06.encode_like_gpt2]
# Write `encode_like_gpt2(text, ranks)`: split `text` with `regex.findall(GPT2_SPLIT_PATTERN, text)`, encode
# each piece by joining, again and again, the neighbouring pair of lowest rank, and return the ids of all
# pieces in order. `"<|endoftext|>"` is ordinary text here.

# %%
check_text = heldout_text[30_000:32_000]
mine = encode_like_gpt2(check_text, ranks)
print(f"{len(check_text):,} characters of held-out Shakespeare: {len(mine)} tokens")
assert mine == gpt2.encode_ordinary(check_text)  # GPT-2's own ids, token for token
assert encode_like_gpt2("Hello, world", ranks) == [15496, 11, 995]
assert encode_like_gpt2(" the", ranks) == [262] and len(encode_like_gpt2("Implementations", ranks)) == 3
show_html(colored_tokens_html([gpt2.decode([token]) for token in mine[:60]], mine[:60]))

# %% [markdown]
# Your encoder gives the same ids as GPT-2's tokenizer, id for id; the course's tests check the same against
# tiktoken's own GPT-2 encoding on more than 10,000 characters of prose, code, numbers, whitespace, and text in
# Cyrillic, Devanagari, Chinese, Japanese, Korean and emoji. (tiktoken does the same work in Rust, much faster, which
# is why the course uses it for long texts.)
#
# **Special tokens.** `<|endoftext|>` is not made by any merge: it is added to the vocabulary and gets the
# next id, 50256. When is the string `"<|endoftext|>"` that one token, and when is it just 13 characters?
# tiktoken asks you to say. `encode` refuses text that contains it unless you allow it, so that text typed
# by a user cannot sneak a document boundary into a model; `encode_ordinary` treats it as plain text, as
# your `encode_like_gpt2` does:

# %%
text_with_end = f"The end.{END_OF_TEXT}Next"
try:
    gpt2.encode(text_with_end)
except ValueError as error:
    print("encode refuses:", str(error).splitlines()[0])
as_special = gpt2.encode(text_with_end, allowed_special={END_OF_TEXT})
as_text = gpt2.encode_ordinary(text_with_end)
print("allowed as a special token:", as_special)
print("as ordinary text:          ", as_text)
assert len(END_OF_TEXT) == 13 and 50256 in as_special and 50256 not in as_text
assert as_text == encode_like_gpt2(text_with_end, ranks) and len(as_text) > len(as_special)

# %% [markdown]
# ## 6.8 Training fast
#
# Your `train_bpe` recounts every pair of the whole text after each merge: for `n` merges on a text of `L`
# bytes, about `n × L` steps. For GPT-2's 50,000 merges on gigabytes of text that would never finish, and even
# a thousand merges on Shakespeare take long. Two observations fix it:
#
# 1. **Texts repeat their pieces.** With the split, a text is a sequence of pieces, and most are common words:
#    count each *distinct* piece once and weight its pairs by how often it occurs.
# 2. **A merge changes little.** Only the pieces that contain the merged pair change. Keep, for each pair,
#    its total count and the set of pieces that hold it; after a merge, subtract the old pairs of just those
#    pieces and add their new ones.
#
# `train_bpe_fast(text, vocab_size, pattern)` in `course_utils.bpe` does both, and keeps your tie rule
# (pieces numbered by first appearance, so "first in the text" is still decidable). How repetitive are the
# pieces?

# %%
pieces = split_text(train_sample)
piece_counts = Counter(pieces)
print(f"{len(pieces):,} pieces, of which {len(piece_counts):,} distinct")
top = piece_counts.most_common(20)
axes = new_axes("The 20 most frequent pieces of the training text", "", "occurrences", figsize=(10, 3.5))
axes.bar(range(len(top)), [count for _, count in top], color=COLORS[0])
axes.set_xticks(range(len(top)), [piece.replace(" ", "·").replace("\n", "↵") for piece, _ in top], rotation=60)
plt.show()
top_share = sum(count for _, count in top) / len(pieces)
print(f"the 20 most frequent pieces make up {top_share:.0%} of all pieces")
assert len(piece_counts) < 0.2 * len(pieces) and 0.35 < top_share < 0.45

# %% [markdown]
# A few distinct pieces cover a great share of the text (the twenty most frequent, about two fifths of it), so the
# fast trainer's work is a fraction of the straightforward one's. Both learn the same merges: here they are timed on a
# short text (your computer's times will differ).

# %%
race_text = train_text[: scaled(full=100_000, fast=10_000)]
start = time.perf_counter()
slow_merges = train_bpe_recounting(race_text, 300, GPT2_SPLIT_PATTERN)
slow_seconds = time.perf_counter() - start
start = time.perf_counter()
fast_merges = train_bpe_fast(race_text, 300, GPT2_SPLIT_PATTERN)
fast_seconds = time.perf_counter() - start
print(
    f"{len(race_text):,} characters, {len(fast_merges)} merges: "
    f"recounting {slow_seconds:.2f} s, fast {fast_seconds:.2f} s"
)
assert list(fast_merges.items()) == list(slow_merges.items())

# %% [markdown]
# The gap grows with the text. `benchmarks/bpe.py` trains both on 1 MB of the training text with a vocabulary of 512
# (256 merges) and GPT-2's pattern. On the course's test machine (a two-core server, busy with other work at the time)
# the straightforward trainer took **846 s** and the fast one **6.4 s**, a ratio of **0.0076**, over 100 times faster,
# with the same 256 merges in the same order. Run `python benchmarks/bpe.py` to measure yours.
#
# ## 6.9 A tokenizer for Shakespeare, against GPT-2's
#
# Now train a tokenizer of your own on the Shakespeare training text, with GPT-2's split, and compare it with
# GPT-2's on the held-out plays. A full run learns 1,792 merges (a vocabulary of 2,048) from the whole
# training text; fast mode learns 256 from 150,000 characters of it.

# %%
shakespeare_vocab_size = scaled(full=2048, fast=512)
start = time.perf_counter()
shakespeare_train = train_text[: scaled(full=len(train_text), fast=150_000)]
shakespeare_merges = train_bpe_fast(shakespeare_train, shakespeare_vocab_size, GPT2_SPLIT_PATTERN)
print(f"{len(shakespeare_merges):,} merges learned in {time.perf_counter() - start:.1f} s")

heldout_ours = encode_pieces(heldout_sample, shakespeare_merges)
per_word_ours = len(heldout_ours) / len(heldout_words)
per_word_gpt2 = len(heldout_gpt2_ids) / len(heldout_words)
print(
    f"held-out tokens per word: ours {per_word_ours:.2f} (vocabulary {shakespeare_vocab_size:,}), "
    f"GPT-2 {per_word_gpt2:.2f} (vocabulary 50,257)"
)
assert decode(heldout_ours, shakespeare_merges) == heldout_sample
assert 1.0 < per_word_gpt2 < per_word_ours < 2 * per_word_gpt2
vocab_ratio = gpt2.n_vocab / shakespeare_vocab_size
print(f"GPT-2's vocabulary is {vocab_ratio:.1f} times ours")
assert round(vocab_ratio) == scaled(full=25, fast=98)

# %% [markdown]
# GPT-2 needs fewer tokens per word: its vocabulary is about 25 times larger (about 100 times in fast mode). But
# the gap is far smaller than that: a vocabulary spent entirely on the plays cuts them almost as well, with less than
# twice GPT-2's tokens per word, while much of GPT-2's is spent on modern web text (code, URLs, brand names)
# that Shakespeare never uses. Where do the two cut differently? Look at names from the held-out plays, which
# neither tokenizer learned as words, and old spellings:

# %%
words_to_compare = [" Troilus", " Cressida", " Pandarus", " thou", " doth", " methinks", " wherefore", " Malvolio"]
rows = []
for word in words_to_compare:
    ours = token_texts(encode_pieces(word, shakespeare_merges), shakespeare_merges)
    theirs = [gpt2.decode([token]) for token in gpt2.encode_ordinary(word)]
    rows.append((word, ours, theirs))
    print(f"{word!r:14} ours: {'|'.join(ours).replace(' ', '·'):28} GPT-2: {'|'.join(theirs).replace(' ', '·')}")
assert all("".join(ours) == "".join(theirs) == word for word, ours, theirs in rows)
assert all(len(ours) > 1 and len(theirs) > 1 for word, ours, theirs in rows if word in (" Troilus", " Cressida"))

# %% [markdown]
# And a held-out passage, coloured by each tokenizer (ours first, then GPT-2's):

# %%
speech_start = heldout_text.index("PANDARUS.")
speech = heldout_text[speech_start : speech_start + 300]
ours_ids = encode_pieces(speech, shakespeare_merges)
show_html(colored_tokens_html(token_texts(ours_ids, shakespeare_merges), ours_ids))
gpt2_ids = gpt2.encode_ordinary(speech)
show_html(colored_tokens_html([gpt2.decode([token]) for token in gpt2_ids], gpt2_ids))
print(f"{len(speech)} characters: {len(ours_ids)} tokens ours, {len(gpt2_ids)} GPT-2's")
assert decode(ours_ids, shakespeare_merges) == gpt2.decode(gpt2_ids) == speech

# %% [markdown]
# A trained tokenizer is just its merges, so saving it is writing them to a small file, one pair per line, and
# loading it reads them back. The file of the tokenizer above:

# %%
with tempfile.TemporaryDirectory() as folder:
    path = save_merges(shakespeare_merges, Path(folder) / "shakespeare.merges")
    print(f"{path.name}: {path.stat().st_size:,} bytes; its first lines:")
    print("".join(path.read_text().splitlines(keepends=True)[:4]))
    loaded = load_merges(path)
assert list(loaded.items()) == list(shakespeare_merges.items())
assert encode_pieces(speech, loaded) == ours_ids

# %% [markdown]
# ## Summary
#
# - **Characters or words?** Characters give long sequences, words a huge vocabulary with unknown words.
#   Sub-word tokens sit in between, and byte-level ones can write anything.
# - **Text is bytes**: UTF-8 writes every character as one to four numbers from 0 to 255, the 256 ids a
#   byte-level tokenizer starts from.
# - **Byte-pair encoding** counts neighbouring pairs and merges the most frequent into a new id, again and
#   again (`get_pair_counts`, `merge`, `train_bpe`); ties go to the pair that comes first.
# - **Encoding** applies the merges by rank, the first learned first; **decoding** joins the bytes and decodes
#   them once, with � for a cut character (`encode`, `decode`).
# - **GPT-2** splits text with a regular expression first and never merges across the pieces; with GPT-2's
#   ranks your `encode_like_gpt2` gives GPT-2's ids exactly. 50,257 = 256 bytes + 50,000 merges +
#   `<|endoftext|>`, a special token that `encode` only accepts when allowed.
# - **Training fast** means counting distinct pieces once and updating only what a merge touches: the same
#   merges, over 100 times faster on 1 MB.
#
# From here on, text enters the course's models as GPT-2 token ids (or ids of a tokenizer like yours), and the
# model's first layer, the embedding, turns each id into a vector. Chapter 10 builds a GPT that reads such
# tokens.
