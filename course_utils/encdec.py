"""The encoder-decoder transformer of chapter 12, its translation task (dates), and decoding.

The model is the original transformer's shape: an **encoder** reads the whole source with self-attention that
looks both ways (no causal mask, only padding hidden), a **decoder** writes the output one token at a time with
causal self-attention, and between them **cross-attention** (chapter 08's :func:`~course_utils.attention.
cross_attention`, with several heads and a padding mask) lets every output position look at every source token.
The blocks reuse the course's parts: :class:`~course_utils.gpt.MLP`, layer norms before each part, residual
additions, and :func:`~course_utils.attention.attention_scores` / :func:`~course_utils.attention.
attention_weights` for every attention.

The task: dates written the ways people write them (``"the third of March, 1999"``, ``"3/3/99"``,
``"Wednesday, March 3, 1999"``) translated to ISO ``1999-03-03``, character by character. :func:`date_pairs`
generates them from a seed, with the days of 1950-2049 split once into training days and held-out days, so that
the held-out set holds dates the model never saw, in formats it did see. One format (:data:`UNSEEN_FORMAT`) and
one range of years (:data:`UNSEEN_YEARS`) are kept out of training altogether, to measure how far it generalises.

Shapes: ``B`` batch, ``S`` source tokens, ``T`` target tokens, ``C`` model width, ``H`` heads, ``V`` vocabulary.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from course_utils import validate
from course_utils.attention import attention_scores, attention_weights, causal_mask, merge_heads, split_heads
from course_utils.gpt import MLP, GPTConfig

# --------------------------------------------------------------------------------------------------------------
# The vocabulary: three special tokens, then every character a date can be written with

PAD, BOS, EOS = 0, 1, 2
"""Token ids of the padding token, the start token the decoder reads first, and the end token it writes last."""
SPECIAL_TOKENS = ("<pad>", "<s>", "</s>")
DATE_CHARS = " ',-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
"""The characters of every source and target the generator writes (sorted); anything else is refused."""
VOCAB: tuple[str, ...] = SPECIAL_TOKENS + tuple(DATE_CHARS)
VOCAB_SIZE = len(VOCAB)
_CHAR_ID = {char: index for index, char in enumerate(VOCAB) if index >= len(SPECIAL_TOKENS)}

SOURCE_CONTEXT = 40
"""The most tokens the encoder reads: up to 39 characters and the end token (the longest generated source,
'the twenty-seventh of September, 1999', has 37 characters)."""
TARGET_LENGTH = 10
"""An ISO date, ``YYYY-MM-DD``, has 10 characters; the decoder reads the start token and them: 11 positions."""


def encode_source(text: str) -> list[int]:
    """The token ids of a date as a person writes it; a character outside :data:`DATE_CHARS` is refused."""
    text = validate.text(text, "text", hint="Write a date, such as 'March 3, 1999'.")
    unknown = sorted({char for char in text if char not in _CHAR_ID})
    if unknown:
        raise ValueError(
            f"text {text!r} holds {len(unknown)} character(s) the date model does not know: "
            f"{', '.join(repr(c) for c in unknown)}. It knows letters, digits, spaces and {' '.join(DATE_CHARS[1:5])}."
        )
    if len(text) > SOURCE_CONTEXT - 1:
        raise ValueError(
            f"text {text!r} has {len(text)} characters but the encoder reads at most {SOURCE_CONTEXT - 1} (and the "
            f"end token </s> after them): write the date more briefly."
        )
    return [_CHAR_ID[char] for char in text]


def source_tensor(text: str) -> torch.Tensor:
    """The (S,) ids the encoder reads for ``text``: its characters, then :data:`EOS`.

    The end token marks where the source stops, so that the encoder can tell the last character of "2004" from
    the one before it: without it, a token cannot see that nothing follows it (attention always finds something).
    """
    return torch.tensor([*encode_source(text), EOS])


def decode_ids(ids: Sequence[int] | torch.Tensor) -> str:
    """The text of token ids; the special tokens are left out (padding, start) or end the text (end token)."""
    ids = validate.token_ids(ids, "ids", vocab_size=VOCAB_SIZE, ndim=1, check_range=True)
    chars = []
    for index in ids.tolist():
        if index == EOS:
            break
        if index >= len(SPECIAL_TOKENS):
            chars.append(VOCAB[index])
    return "".join(chars)


# --------------------------------------------------------------------------------------------------------------
# The dates: a seeded generator of (how a person writes it, ISO) pairs

MONTHS = ("January February March April May June July August September October November December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty-first twenty-second twenty-third "
    "twenty-fourth twenty-fifth twenty-sixth twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first"
).split()


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


# Each format writes a date one way. Two-digit years follow one rule everywhere: 50-99 are 19xx, 00-49 are 20xx.
# Slashes are month first (as in the US), dots are day first (as in much of Europe).
DATE_FORMATS: dict[str, Callable[[datetime.date], str]] = {
    "month_day_year": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    "day_month_year": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    "words": lambda d: f"the {_ORDINAL_WORDS[d.day - 1]} of {MONTHS[d.month - 1]}, {d.year}",
    "ordinal_short_year": lambda d: f"{MONTHS[d.month - 1]} {_ordinal(d.day)} {d.year % 100:02d}",
    "slashes_short": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
    "slashes_padded": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "dots": lambda d: f"{d.day}.{d.month}.{d.year}",
    "abbreviated": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    "weekday": lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    "year_first": lambda d: f"{d.year}, {MONTHS[d.month - 1]} {_ordinal(d.day)}",
}
"""Every way the generator writes a date, by name (the format's function takes a ``datetime.date``)."""
UNSEEN_FORMAT = "year_first"
"""The one format never used in training: the year first, then the month's name and an ordinal day."""
SEEN_FORMATS = tuple(name for name in DATE_FORMATS if name != UNSEEN_FORMAT)
TRAIN_YEARS = (1950, 2049)
"""Training and held-out dates fall in these years (inclusive), the century two-digit years stand for."""
UNSEEN_YEARS = (1850, 1899)
"""Years never seen in training (written only in four-digit formats, since '3/3/99' cannot mean 1899)."""
_SHORT_YEAR_FORMATS = ("ordinal_short_year", "slashes_short")
CASES = ("as written", "lower", "upper")
HELDOUT_SHARE = 0.1
"""The share of the days of :data:`TRAIN_YEARS` held out from training (drawn once, with seed 0)."""


def iso_date(date: datetime.date) -> str:
    """The ISO form ``YYYY-MM-DD`` of ``date``: the target the model learns to write."""
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


def write_date(date: datetime.date, format_name: str, case: str = "as written") -> str:
    """``date`` written in the format ``format_name`` (a key of :data:`DATE_FORMATS`), in ``case``
    ('as written', 'lower' or 'upper')."""
    if not isinstance(date, datetime.date):
        raise TypeError(f"date must be a datetime.date, got {validate.describe(date)}: datetime.date(1999, 3, 3).")
    if format_name not in DATE_FORMATS:
        raise ValueError(f"format_name must be one of {sorted(DATE_FORMATS)}, got {format_name!r}.")
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, got {case!r}.")
    if format_name in _SHORT_YEAR_FORMATS and not TRAIN_YEARS[0] <= date.year <= TRAIN_YEARS[1]:
        raise ValueError(
            f"format {format_name!r} writes two-digit years, which stand for {TRAIN_YEARS[0]}-{TRAIN_YEARS[1]}; "
            f"{date.year} cannot be written that way."
        )
    written = DATE_FORMATS[format_name](date)
    return written.lower() if case == "lower" else written.upper() if case == "upper" else written


def _days(years: tuple[int, int]) -> list[datetime.date]:
    first, last = datetime.date(years[0], 1, 1), datetime.date(years[1], 12, 31)
    return [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]


def split_days() -> tuple[list[datetime.date], list[datetime.date]]:
    """Every day of :data:`TRAIN_YEARS`, split once (seed 0) into training days and held-out days
    (:data:`HELDOUT_SHARE` of them), so no held-out date is ever a training date."""
    days = _days(TRAIN_YEARS)
    order = torch.randperm(len(days), generator=torch.Generator().manual_seed(0)).tolist()
    n_heldout = round(len(days) * HELDOUT_SHARE)
    heldout = sorted(days[i] for i in order[:n_heldout])
    train = sorted(days[i] for i in order[n_heldout:])
    return train, heldout


SPLITS = ("train", "heldout", "unseen_format", "unseen_years")


def date_pairs(n: int, split: str, seed: int) -> list[tuple[str, str]]:
    """``n`` pairs (a date as a person writes it, the same date in ISO form), drawn with ``seed``.

    ``split`` says which dates and formats:

    * ``"train"``: training days of 1950-2049 in the seen formats (every format except :data:`UNSEEN_FORMAT`);
    * ``"heldout"``: held-out days (never training days) in the seen formats;
    * ``"unseen_format"``: held-out days in :data:`UNSEEN_FORMAT`, never used in training;
    * ``"unseen_years"``: days of :data:`UNSEEN_YEARS` in the seen formats that write four-digit years.

    Each pair's format and case ('as written' 70%, lower or upper 15% each) are drawn too. The same
    ``(n, split, seed)`` always gives the same pairs, on any machine: every draw comes from a CPU
    ``torch.Generator``.

    >>> date_pairs(2, "train", seed=0)  # doctest: +SKIP
    [('4 Sep 2019', '2019-09-04'), ('the sixth of May, 1987', '1987-05-06')]
    """
    n = validate.whole_number(n, "n", minimum=1)
    seed = validate.whole_number(seed, "seed", minimum=0, maximum=2**63 - 1)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}.")
    train_days, heldout_days = split_days()
    days = {
        "train": train_days,
        "heldout": heldout_days,
        "unseen_format": heldout_days,
        "unseen_years": _days(UNSEEN_YEARS),
    }[split]
    if split == "unseen_format":
        formats: tuple[str, ...] = (UNSEEN_FORMAT,)
    elif split == "unseen_years":
        formats = tuple(name for name in SEEN_FORMATS if name not in _SHORT_YEAR_FORMATS)
    else:
        formats = SEEN_FORMATS
    generator = torch.Generator().manual_seed(seed)
    day_index = torch.randint(len(days), (n,), generator=generator).tolist()
    format_index = torch.randint(len(formats), (n,), generator=generator).tolist()
    case_draw = torch.rand(n, generator=generator).tolist()
    writers = [DATE_FORMATS[name] for name in formats]
    pairs = []
    for d, f, c in zip(day_index, format_index, case_draw, strict=True):
        date = days[d]
        written = writers[f](date)  # write_date's checks hold by construction; skipping them is 3x faster
        written = written if c < 0.7 else written.lower() if c < 0.85 else written.upper()
        pairs.append((written, iso_date(date)))
    return pairs


def batch_tensors(pairs: Sequence[tuple[str, str]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The tensors one training batch needs, from (source, target) pairs:

    * ``source`` (B, S): the source ids, each followed by :data:`EOS`, padded with :data:`PAD` to the longest;
    * ``decoder_input`` (B, T): :data:`BOS` then the target's ids (teacher forcing: the decoder reads the true
      previous characters);
    * ``labels`` (B, T): the target's ids then :data:`EOS`, what each position must predict.
    """
    if not isinstance(pairs, (list, tuple)) or not pairs:
        raise TypeError(f"pairs must be a non-empty list of (source, target) strings, got {validate.describe(pairs)}.")
    sources, targets = [], []
    for pair in pairs:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            raise TypeError(f"each pair must be (source, target), got {validate.describe(pair)}.")
        sources.append([*encode_source(pair[0]), EOS])  # the source ends with </s> too
        targets.append(encode_source(pair[1]))
    # padded lists first and one tensor each: a tensor per row is several times slower for 100,000 pairs
    width = max(len(ids) for ids in sources)
    source = torch.tensor([ids + [PAD] * (width - len(ids)) for ids in sources], dtype=torch.long)
    width = max(len(ids) for ids in targets) + 1
    decoder_input = torch.tensor([[BOS, *ids] + [PAD] * (width - 1 - len(ids)) for ids in targets], dtype=torch.long)
    labels = torch.tensor([[*ids, EOS] + [PAD] * (width - 1 - len(ids)) for ids in targets], dtype=torch.long)
    return source, decoder_input, labels


# --------------------------------------------------------------------------------------------------------------
# Masks


def source_mask(source: torch.Tensor) -> torch.Tensor:
    """(B, S) source ids -> a bool (B, 1, 1, S) mask, True at real tokens and False at padding: every query
    (of any head, at any position) may look at the real tokens only. It broadcasts against (B, H, T_q, S)."""
    if not isinstance(source, torch.Tensor) or source.ndim != 2:
        raise ValueError(f"source must be a (B, S) tensor of token ids, got {validate.describe(source)}.")
    source = validate.token_ids(source, "source", vocab_size=VOCAB_SIZE, ndim=2)  # floats would mask nothing
    return (source != PAD)[:, None, None, :]


def cross_attention_mask(key_lengths: Sequence[int] | torch.Tensor, T_q: int, T_k: int) -> torch.Tensor:
    """The attention mask for a batch of key sequences of different lengths, padded to ``T_k`` tokens.

    ``key_lengths`` holds B whole numbers, the real length of each sequence of keys (from 1 to ``T_k``). The
    result is a bool tensor of shape (B, 1, T_q, T_k), True where query i of sequence b may look at key j:
    where j is a real token (``j < key_lengths[b]``), False at the padding, for every query i. (The 1 lets it
    broadcast over the heads.) A length of 0 or above ``T_k`` raises ValueError. The decoder's cross-attention
    uses it with the source's lengths; the encoder's self-attention too, with T_q = T_k.
    """
    T_q = validate.whole_number(T_q, "T_q", minimum=1)
    T_k = validate.whole_number(T_k, "T_k", minimum=1)
    try:
        lengths = validate.token_ids(key_lengths, "key_lengths", ndim=1, min_length=1)
    except TypeError:  # token_ids' message speaks of token ids; these are lengths
        raise TypeError(
            f"key_lengths must be whole numbers, the real length of each sequence of keys, got "
            f"{validate.describe(key_lengths)}: pass a list such as [7, 13], or a tensor of dtype long."
        ) from None
    lengths = torch.as_tensor(lengths).long()
    if (lengths < 1).any() or (lengths > T_k).any():
        raise ValueError(
            f"key_lengths must each be from 1 to T_k = {T_k} (the padded length), got {lengths.tolist()}: "
            f"a sequence cannot be longer than the batch is padded to, nor empty."
        )
    allowed = torch.arange(T_k)[None, :] < lengths[:, None]  # (B, T_k): True at real tokens
    return allowed[:, None, None, :].expand(len(lengths), 1, T_q, T_k)


# --------------------------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class EncDecConfig:
    """The sizes of an encoder-decoder: ``n_layer`` blocks in the encoder and as many in the decoder."""

    vocab_size: int = VOCAB_SIZE
    source_context: int = SOURCE_CONTEXT
    target_context: int = TARGET_LENGTH + 1
    n_layer: int = 2
    n_head: int = 4
    d_model: int = 64
    dropout: float = 0.0

    def __post_init__(self) -> None:
        for name in ("vocab_size", "source_context", "target_context", "n_layer", "n_head", "d_model"):
            value = validate.whole_number(getattr(self, name), f"EncDecConfig.{name}", minimum=1)
            object.__setattr__(self, name, value)
        if self.d_model % self.n_head:
            raise ValueError(
                f"EncDecConfig.d_model ({self.d_model}) must be a multiple of n_head ({self.n_head}): each head "
                f"gets d_model / n_head numbers. Choose, for example, d_model={self.n_head * 16}."
            )
        self.block_config()  # dropout in [0, 1)

    def block_config(self) -> GPTConfig:
        """The same sizes as a :class:`~course_utils.gpt.GPTConfig`, for the GPT parts the blocks reuse."""
        return GPTConfig(
            vocab_size=self.vocab_size,
            context=max(self.source_context, self.target_context),
            n_layer=self.n_layer,
            n_head=self.n_head,
            d_model=self.d_model,
            dropout=self.dropout,
        )

    def to_dict(self) -> dict:
        """The config as a plain dict; ``EncDecConfig(**d)`` rebuilds it."""
        return asdict(self)


class MultiHeadAttention(nn.Module):
    """Multi-head attention with queries from ``x`` and keys and values from ``source``, under a mask.

    Self-attention passes ``source = x``; cross-attention passes the encoder's output. Each head is chapter 08's
    :func:`~course_utils.attention.cross_attention` with a mask added: with no mask, head h gives exactly
    ``cross_attention(x, source, w_q[:, h], w_k[:, h], w_v[:, h])`` for that head's columns of the weights.
    The projections have no bias, as in chapter 08.
    """

    def __init__(self, d_model: int, n_head: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(d_model, d_model, bias=False)
        self.key = nn.Linear(d_model, d_model, bias=False)
        self.value = nn.Linear(d_model, d_model, bias=False)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)
        self.keep_weights = False
        self.weights: torch.Tensor | None = None  # (B, H, T_q, T_k) after a forward with keep_weights on

    def forward(self, x: torch.Tensor, source: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, T_q, C) queries' tokens, (B, T_k, C) keys' tokens, a bool mask broadcasting to (B, H, T_q, T_k)
        (True where a query may look at a key, or None for all) -> (B, T_q, C)."""
        x = validate.float_tensor(x, "x", shape=(None, None, None), labels=("batch", "tokens", "d_model"))
        source = validate.float_tensor(
            source, "source", shape=(None, None, x.shape[2]), labels=("batch", "tokens", "d_model")
        )
        if source.shape[0] != x.shape[0]:
            raise ValueError(f"x {tuple(x.shape)} and source {tuple(source.shape)} must hold the same batch size.")
        if mask is not None:
            wanted = (x.shape[0], self.n_head, x.shape[1], source.shape[1])
            try:
                fits = torch.broadcast_shapes(mask.shape, wanted) == wanted
            except (RuntimeError, AttributeError):
                fits = False
            if not fits:
                raise ValueError(
                    f"mask of shape {tuple(getattr(mask, 'shape', ()))} does not fit attention of shape (B, H, T_q, "
                    f"T_k) = {wanted}: build it as (B, 1, T_q, T_k) or (B, 1, 1, T_k), True where a query may look."
                )
        q = split_heads(self.query(x), self.n_head)  # (B, H, T_q, D): what each output token looks for
        k = split_heads(self.key(source), self.n_head)  # (B, H, T_k, D): what each source token offers
        v = split_heads(self.value(source), self.n_head)
        weights = attention_weights(attention_scores(q, k), mask)  # (B, H, T_q, T_k), masked keys weigh 0
        if self.keep_weights:
            self.weights = weights.detach()
        return self.proj(merge_heads(self.dropout(weights) @ v))


def encoder_block(block: EncoderBlock, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """One encoder block's forward pass, with the parts of ``block`` (an :class:`EncoderBlock`).

    ``x`` is (B, S, C), the source tokens' vectors; ``mask`` is a bool (B, 1, 1, S) or (B, 1, S, S) padding
    mask, True at real tokens. Pre-norm, as GPT-2: ``h = block.ln_1(x)``, then ``x + block.attn(h, h, mask)``
    (self-attention: queries, keys and values all from h; no causal mask, a source token may look at the
    tokens after it), then ``x + block.mlp(block.ln_2(x))``. Returns (B, S, C).
    """
    h = block.ln_1(x)
    x = x + block.attn(h, h, mask)  # every source token looks at every real source token, before and after
    return x + block.mlp(block.ln_2(x))


def decoder_block(
    block: DecoderBlock, y: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor
) -> torch.Tensor:
    """One decoder block's forward pass, with the parts of ``block`` (a :class:`DecoderBlock`).

    ``y`` is (B, T, C), the output tokens' vectors so far; ``memory`` (B, S, C) the encoder's output;
    ``memory_mask`` a bool (B, 1, 1, S) or (B, 1, T, S) mask, True at the source's real tokens. Three parts,
    each after its layer norm and added to ``y``:

    1. causal self-attention: ``h = block.ln_1(y)``, ``block.self_attn(h, h, causal_mask(T))``;
    2. cross-attention: queries from ``block.ln_2(y)``, keys and values from ``memory``, under ``memory_mask``;
    3. the MLP: ``block.mlp(block.ln_3(y))``.

    Returns (B, T, C).
    """
    T = y.shape[1]
    h = block.ln_1(y)
    y = y + block.self_attn(h, h, causal_mask(T).to(y.device))  # output t sees outputs 0..t only
    y = y + block.cross_attn(block.ln_2(y), memory, memory_mask)  # queries from the decoder, keys from the source
    return y + block.mlp(block.ln_3(y))


class EncoderBlock(nn.Module):
    """Self-attention that looks both ways (only padding hidden), then the MLP; a layer norm before each,
    each added to the residual stream."""

    def __init__(self, config: EncDecConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.d_model)
        self.attn = MultiHeadAttention(config.d_model, config.n_head, config.dropout)
        self.ln_2 = nn.LayerNorm(config.d_model)
        self.mlp = MLP(config.block_config())

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        """(B, S, C) source vectors and the source's padding mask (B, 1, 1, S) -> (B, S, C)."""
        return encoder_block(self, x, mask)


class DecoderBlock(nn.Module):
    """Causal self-attention, then cross-attention over the encoder's output, then the MLP."""

    def __init__(self, config: EncDecConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.d_model)
        self.self_attn = MultiHeadAttention(config.d_model, config.n_head, config.dropout)
        self.ln_2 = nn.LayerNorm(config.d_model)
        self.cross_attn = MultiHeadAttention(config.d_model, config.n_head, config.dropout)
        self.ln_3 = nn.LayerNorm(config.d_model)
        self.mlp = MLP(config.block_config())

    def forward(self, y: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor | None) -> torch.Tensor:
        """(B, T, C) output vectors, (B, S, C) encoder output and its padding mask (B, 1, 1, S) -> (B, T, C)."""
        return decoder_block(self, y, memory, memory_mask)


class EncoderDecoder(nn.Module):
    """The transformer of *Attention Is All You Need* (pre-norm, learned positions), small.

    ``encode(source)`` reads the whole source once; ``decode(target_in, memory, memory_mask)`` gives logits for
    the next output token at every position of ``target_in``; ``forward(source, target_in)`` does both (the
    training pass, with the true previous outputs as ``target_in``: teacher forcing).
    """

    def __init__(self, config: EncDecConfig | None = None) -> None:
        super().__init__()
        config = EncDecConfig() if config is None else config
        if not isinstance(config, EncDecConfig):
            raise TypeError(f"config must be an EncDecConfig, got {validate.describe(config)}.")
        self.config = config
        C = config.d_model
        self.source_embedding = nn.Embedding(config.vocab_size, C)
        self.source_positions = nn.Embedding(config.source_context, C)
        self.target_embedding = nn.Embedding(config.vocab_size, C)
        self.target_positions = nn.Embedding(config.target_context, C)
        self.encoder = nn.ModuleList(EncoderBlock(config) for _ in range(config.n_layer))
        self.ln_encoder = nn.LayerNorm(C)
        self.decoder = nn.ModuleList(DecoderBlock(config) for _ in range(config.n_layer))
        self.ln_decoder = nn.LayerNorm(C)
        self.lm_head = nn.Linear(C, config.vocab_size, bias=False)
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)

    def num_params(self) -> int:
        """The number of weights."""
        return sum(parameter.numel() for parameter in self.parameters())

    def _ids(self, ids: object, name: str, context: int) -> torch.Tensor:
        if not isinstance(ids, torch.Tensor):
            raise TypeError(f"{name} must be a (B, T) tensor of token ids, got {validate.describe(ids)}.")
        ids = validate.token_ids(ids, name, vocab_size=self.config.vocab_size, ndim=2, min_length=1)
        if ids.shape[1] > context:
            raise ValueError(
                f"{name} holds {ids.shape[1]} tokens but this model reads at most {context} there: "
                f"shorten the input (the encoder's context is source_context, the decoder's target_context)."
            )
        return ids

    def encode(self, source: torch.Tensor) -> torch.Tensor:
        """(B, S) source ids (padded with :data:`PAD`) -> (B, S, C): every source token's vector, in context."""
        source = self._ids(source, "source", self.config.source_context)
        positions = torch.arange(source.shape[1], device=source.device)
        x = self.source_embedding(source) + self.source_positions(positions)
        mask = source_mask(source)
        for block in self.encoder:
            x = block(x, mask)
        return self.ln_encoder(x)

    def decode(
        self, target_in: torch.Tensor, memory: torch.Tensor, memory_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """(B, T) output ids so far (starting with :data:`BOS`), the encoder's (B, S, C) output and its padding
        mask (None: no padding) -> (B, T, V) logits for the token after each position."""
        target_in = self._ids(target_in, "target_in", self.config.target_context)
        positions = torch.arange(target_in.shape[1], device=target_in.device)
        y = self.target_embedding(target_in) + self.target_positions(positions)
        for block in self.decoder:
            y = block(y, memory, memory_mask)
        return self.lm_head(self.ln_decoder(y))

    def forward(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        """(B, S) source ids and (B, T) decoder input ids -> (B, T, V) logits (the teacher-forced pass)."""
        memory = self.encode(source)
        return self.decode(target_in, memory, source_mask(source))

    @torch.no_grad()
    def cross_attention_maps(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        """The cross-attention weights of every decoder layer and head, for one source and its decoder input.

        ``source`` (S,) and ``target_in`` (T,) ids -> (n_layer, n_head, T, S): entry [layer, head, t, s] is how
        much output position t takes from source character s.
        """
        was_training = self.training
        self.eval()
        blocks = [block.cross_attn for block in self.decoder]
        try:
            for attn in blocks:
                attn.keep_weights = True
            self(source[None], target_in[None])
            return torch.stack([attn.weights[0] for attn in blocks])
        finally:
            for attn in blocks:
                attn.keep_weights, attn.weights = False, None
            self.train(was_training)


def translation_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of (B, T, V) logits against (B, T) labels, padding positions left out."""
    if not isinstance(logits, torch.Tensor) or logits.ndim != 3:
        raise ValueError(f"logits must be a (B, T, V) tensor, got {validate.describe(logits)}.")
    labels = validate.token_ids(labels, "labels", vocab_size=logits.shape[-1], ndim=2)
    if tuple(labels.shape) != tuple(logits.shape[:2]):
        raise ValueError(
            f"labels {tuple(labels.shape)} must match the logits' first two axes {tuple(logits.shape[:2])}: one "
            f"label per position (batch_tensors gives decoder input and labels of the same shape)."
        )
    return F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=PAD)


# --------------------------------------------------------------------------------------------------------------
# Decoding: greedy and beam search


def _source_tensor(source: str | Sequence[int] | torch.Tensor) -> torch.Tensor:
    if isinstance(source, str):
        return source_tensor(source)
    ids = torch.as_tensor(validate.token_ids(source, "source", vocab_size=VOCAB_SIZE, ndim=1, min_length=1))
    if len(ids) > SOURCE_CONTEXT:
        raise ValueError(f"source has {len(ids)} tokens; the encoder reads at most {SOURCE_CONTEXT}.")
    return ids.long()


@torch.no_grad()
def greedy_decode(model: EncoderDecoder, source: torch.Tensor, max_new_tokens: int) -> list[int]:
    """Translate one source by taking the likeliest next token at each step.

    ``source`` is a (S,) tensor of source ids (``source_tensor(text)``: the characters, then EOS). Encode it
    once; start the output with :data:`BOS` (the start
    token the model was trained with); then repeatedly run the decoder on the whole output so far, take the
    last position's likeliest token, stop when it is :data:`EOS` (which is not returned) or after
    ``max_new_tokens`` tokens. Returns the new tokens' ids as a list, without BOS and EOS.
    """
    if isinstance(source, str):
        raise TypeError(f"source must be a (S,) tensor of ids, got the text {source!r}: use source_tensor(text).")
    source = torch.as_tensor(validate.token_ids(source, "source", ndim=1, min_length=1)).long()
    max_new_tokens = validate.whole_number(max_new_tokens, "max_new_tokens", minimum=1)
    memory = model.encode(source[None])  # (1, S, C), computed once
    output = [BOS]
    for _ in range(max_new_tokens):
        logits = model.decode(torch.tensor([output]), memory)  # (1, T, V)
        next_id = int(logits[0, -1].argmax())
        if next_id == EOS:
            break
        output.append(next_id)
    return output[1:]


@torch.no_grad()
def greedy_decode_batch(
    model: EncoderDecoder, sources: Sequence[str], max_new_tokens: int = TARGET_LENGTH + 1
) -> list[str]:
    """Greedy translations of many sources at once (the same as :func:`greedy_decode` one by one, faster)."""
    if isinstance(sources, str):
        raise TypeError(f"sources must be a list of texts, got the text {sources!r}: for one, pass [{sources!r}].")
    if not isinstance(sources, (list, tuple)) or not sources:
        raise ValueError(f"sources must be a non-empty list of texts, got {validate.describe(sources)}.")
    max_new_tokens = validate.whole_number(max_new_tokens, "max_new_tokens", minimum=1)
    model.eval()
    source, _, _ = batch_tensors([(text, "0") for text in sources])
    device = next(model.parameters()).device
    source = source.to(device)
    memory, mask = model.encode(source), source_mask(source)
    output = torch.full((len(sources), 1), BOS, dtype=torch.long, device=device)
    done = torch.zeros(len(sources), dtype=torch.bool, device=device)
    for _ in range(min(max_new_tokens, model.config.target_context)):
        next_ids = model.decode(output, memory, mask)[:, -1].argmax(-1)
        next_ids = torch.where(done, torch.full_like(next_ids, EOS), next_ids)
        output = torch.cat([output, next_ids[:, None]], dim=1)
        done |= next_ids == EOS
        if done.all():
            break
    return [decode_ids(row[1:].cpu()) for row in output]


@torch.no_grad()
def beam_search(
    model: EncoderDecoder, source: str, beam_width: int = 3, max_new_tokens: int = TARGET_LENGTH + 1
) -> list[tuple[str, float]]:
    """The ``beam_width`` likeliest translations of ``source`` that beam search finds, best first.

    Each step extends every kept output by every token, scores each by its total log-probability, and keeps the
    best ``beam_width``; an output that writes :data:`EOS` is finished and waits. Returns (text, log-probability)
    pairs. With ``beam_width=1`` it is greedy decoding.
    """
    beam_width = validate.whole_number(beam_width, "beam_width", minimum=1, maximum=VOCAB_SIZE)
    max_new_tokens = validate.whole_number(max_new_tokens, "max_new_tokens", minimum=1)
    model.eval()
    device = next(model.parameters()).device
    source_ids = _source_tensor(source).to(device)
    memory = model.encode(source_ids[None])
    beams: list[tuple[list[int], float]] = [([BOS], 0.0)]
    finished: list[tuple[list[int], float]] = []
    for _ in range(min(max_new_tokens, model.config.target_context)):
        outputs = torch.tensor([ids for ids, _ in beams], device=device)  # (k, T)
        log_probs = torch.log_softmax(model.decode(outputs, memory.expand(len(beams), -1, -1))[:, -1], dim=-1)
        scores = torch.tensor([score for _, score in beams], device=device)[:, None] + log_probs  # (k, V)
        top = scores.flatten().topk(beam_width)
        candidates = []
        for score, flat in zip(top.values.tolist(), top.indices.tolist(), strict=True):
            row, token = divmod(flat, VOCAB_SIZE)
            candidates.append((beams[row][0] + [token], score))
        beams = []
        for ids, score in candidates:
            (finished if ids[-1] == EOS else beams).append((ids, score))
        if not beams or (len(finished) >= beam_width and max(s for _, s in finished) >= beams[0][1]):
            break
    finished.extend(beams)  # outputs cut off by max_new_tokens count as they are
    finished.sort(key=lambda pair: pair[1], reverse=True)
    return [(decode_ids(torch.tensor(ids[1:])), score) for ids, score in finished[:beam_width]]


def translate(model: EncoderDecoder, text: str) -> str:
    """The model's greedy translation of one date written by a person (a clear error for text it cannot read)."""
    if not isinstance(model, EncoderDecoder):
        raise TypeError(f"model must be an EncoderDecoder, got {validate.describe(model)}.")
    encode_source(text)  # refuses unknown characters and text longer than the encoder's context
    return greedy_decode_batch(model, [text])[0]


def exact_match(model: EncoderDecoder, pairs: Sequence[tuple[str, str]], batch_size: int = 500) -> float:
    """The share of ``pairs`` whose greedy translation equals the target exactly, every character."""
    if not isinstance(model, EncoderDecoder):
        raise TypeError(f"model must be an EncoderDecoder, got {validate.describe(model)}.")
    if not isinstance(pairs, (list, tuple)) or not pairs:
        raise ValueError(f"pairs must be a non-empty list of (source, target) texts, got {validate.describe(pairs)}.")
    for pair in pairs:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            raise TypeError(f"each pair must be (source, target) texts, as date_pairs gives, got {pair!r}.")
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    right = 0
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start : start + batch_size]
        outputs = greedy_decode_batch(model, [source for source, _ in chunk])
        right += sum(output == target for output, (_, target) in zip(outputs, chunk, strict=True))
    return right / len(pairs)


# --------------------------------------------------------------------------------------------------------------
# Training


@dataclass
class TranslationRun:
    """What :func:`train_translator` did: the loss at each step, the seconds it took, the steps taken."""

    losses: list[float]
    seconds: float
    steps: int


def train_translator(
    model: EncoderDecoder,
    steps: int,
    *,
    batch_size: int = 128,
    lr: float = 3e-3,
    seed: int = 0,
    n_pairs: int = 60_000,
    device: torch.device | str = "cpu",
    progress: Callable[[int, float], None] | None = None,
) -> TranslationRun:
    """Train ``model`` on ``steps`` batches of training dates with teacher forcing and AdamW.

    ``n_pairs`` training pairs are generated once with ``seed``. Each epoch shuffles them (a CPU generator seeded
    with ``seed``), sorts them by source length and cuts batches of ``batch_size`` from that order, taken in a
    random order: the sources of one batch have about the same length, so little of the encoder's work goes
    into padding (it more than halves the time of a step). The learning rate warms up over the first 5% of the
    steps and then falls along a cosine to a tenth. ``progress(step, loss)`` is called every 50 steps if given.
    """
    if not isinstance(model, EncoderDecoder):
        raise TypeError(f"model must be an EncoderDecoder, got {validate.describe(model)}.")
    steps = validate.whole_number(steps, "steps", minimum=1)
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    lr = validate.real_number(lr, "lr", above=0.0)
    source, decoder_input, labels = batch_tensors(date_pairs(n_pairs, "train", seed))
    generator = torch.Generator().manual_seed(seed)
    model.to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.01)
    warmup = max(1, steps // 20)

    def rate(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress_share = (step - warmup) / max(1, steps - warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress_share))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    losses = []
    start = time.perf_counter()
    lengths = (source != PAD).sum(1)
    batches: list[torch.Tensor] = []
    for step in range(steps):
        if not batches:  # a new epoch: shuffle, sort by length (stable: the shuffle breaks ties), cut, shuffle
            order = torch.randperm(len(source), generator=generator)
            order = order[torch.sort(lengths[order], stable=True).indices]
            chunks = list(order.split(batch_size))
            batches = [chunks[i] for i in torch.randperm(len(chunks), generator=generator).tolist()]
        rows = batches.pop()
        batch_source = source[rows]
        batch_source = batch_source[:, : int((batch_source != PAD).sum(1).max())]  # drop all-padding columns
        logits = model(batch_source.to(device), decoder_input[rows].to(device))
        loss = translation_loss(logits, labels[rows].to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        if progress is not None and (step % 50 == 0 or step == steps - 1):
            progress(step, losses[-1])
    model.eval()
    return TranslationRun(losses=losses, seconds=time.perf_counter() - start, steps=steps)
