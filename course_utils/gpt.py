"""The course's reference GPT: token and position embeddings, a stack of transformer blocks, and an unembedding.

Chapter 00 uses a small trained one as a black box; chapters 08 and 09 build its parts (attention, the MLP, the
block) and chapter 10 puts them together into this model. Each class is one idea and each ``forward`` is the
math written out, in the shape of nanoGPT's ``model.py`` (the names ``wte``, ``wpe``, ``c_attn``, ``ln_1`` are
GPT-2's own, so that chapter 11 can load GPT-2's weights into it).

Shapes in the comments: ``B`` is the batch size, ``T`` the number of tokens, ``C`` the model width
(``d_model``), ``H`` the number of heads, ``D`` the width of one head (``C / H``) and ``V`` the vocabulary size.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from course_utils import validate
from course_utils.attention import attention_scores, attention_weights, cached_attention
from course_utils.sampling import check_temperature, check_top_p, sample_next_token

GELU_FORMS = {"exact": "none", "tanh": "tanh"}
"""The GELU forms a GPT may use, and the name ``torch.nn.GELU(approximate=...)`` gives each."""


@dataclass(frozen=True)
class GPTConfig:
    """The sizes that define a GPT.

    ``vocab_size``: how many tokens it knows; ``context``: the most tokens it reads at once; ``n_layer``: how
    many blocks; ``n_head``: attention heads per block; ``d_model``: the width of every token's vector (a
    multiple of ``n_head``); ``dropout``: the share of activations zeroed in training (0 turns it off);
    ``bias``: whether linear layers and layer norms carry a bias; ``fast_attention``: compute attention with
    torch's fused ``F.scaled_dot_product_attention`` (the same numbers, to rounding, in less time and memory:
    chapter 10) instead of the scores, mask, softmax and weighted sum written out (chapter 08); ``gelu``: the form
    of the MLP's GELU, ``"exact"`` (``x * Phi(x)``, the course's) or ``"tanh"`` (the tanh approximation GPT-2 was
    trained with: GPT-2's weights need it).
    """

    vocab_size: int
    context: int = 128
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 128
    dropout: float = 0.0
    bias: bool = True
    fast_attention: bool = False
    gelu: str = "exact"

    def __post_init__(self) -> None:
        for name in ("vocab_size", "context", "n_layer", "n_head", "d_model"):
            # frozen: object.__setattr__ stores the checked value (a numpy integer becomes a plain int)
            object.__setattr__(self, name, validate.whole_number(getattr(self, name), f"GPTConfig.{name}", minimum=1))
        object.__setattr__(self, "dropout", validate.real_number(self.dropout, "GPTConfig.dropout", minimum=0.0))
        for name in ("bias", "fast_attention"):
            if not isinstance(getattr(self, name), bool):
                got = validate.describe(getattr(self, name))
                raise TypeError(f"GPTConfig.{name} must be True or False, got {got}.")
        if not isinstance(self.gelu, str) or self.gelu not in GELU_FORMS:
            raise ValueError(
                f"GPTConfig.gelu must be one of {', '.join(map(repr, GELU_FORMS))}, got "
                f"{validate.describe(self.gelu)}: 'exact' is the course's GELU, 'tanh' GPT-2's approximation."
            )
        if self.d_model % self.n_head != 0:
            raise ValueError(
                f"GPTConfig.d_model ({self.d_model}) must be a multiple of n_head ({self.n_head}): each head "
                f"gets d_model / n_head dimensions. Choose, for example, d_model={self.n_head * 32}."
            )
        if not self.dropout < 1.0:
            raise ValueError(
                f"GPTConfig.dropout must be at least 0 and below 1 (the share of activations zeroed), got "
                f"{self.dropout!r}: 0.1 is usual, 0 turns it off."
            )

    def to_dict(self) -> dict:
        """The config as a plain dict (to save next to the weights); ``GPTConfig(**d)`` rebuilds it."""
        return asdict(self)


def _check_config(config: object, where: str) -> GPTConfig:
    if not isinstance(config, GPTConfig):
        raise TypeError(
            f"{where} needs config, a GPTConfig, got {validate.describe(config)}: build one with "
            f"GPTConfig(vocab_size=..., context=..., n_layer=..., n_head=..., d_model=...)."
        )
    return config


def _check_residual(x: object, config: GPTConfig, where: str) -> torch.Tensor:
    """The input of a block or its parts: float vectors (B, T, C) with C = d_model and at most context tokens."""
    x = validate.float_tensor(
        x,
        "x",
        shape=(None, None, config.d_model),
        labels=("batch", "tokens", "d_model"),
        hint=f"{where} reads a batch of token vectors.",
    )
    if x.shape[1] > config.context:
        raise ValueError(
            f"x holds {x.shape[1]} tokens but {where} reads at most context = {config.context}: "
            f"keep the last {config.context} with x[:, -{config.context}:]."
        )
    return x


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention in which each token looks only at itself and the tokens before it."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = _check_config(config, "CausalSelfAttention")
        self.n_head = config.n_head
        self.d_head = config.d_model // config.n_head
        # queries, keys and values for all heads come out of one matrix multiplication
        self.c_attn = nn.Linear(config.d_model, 3 * config.d_model, bias=config.bias)
        self.c_proj = nn.Linear(config.d_model, config.d_model, bias=config.bias)
        self.attn_dropout = nn.Dropout(config.dropout)
        self.resid_dropout = nn.Dropout(config.dropout)
        # causal[i, j] is True where token i may look at token j, that is where j <= i
        causal = torch.tril(torch.ones(config.context, config.context, dtype=torch.bool))
        self.register_buffer("causal", causal, persistent=False)

    def forward(self, x: torch.Tensor, kv_cache: LayerCache | None = None) -> torch.Tensor:
        """(B, T, C) -> (B, T, C): each token's vector plus what it gathered from the tokens before it.

        With ``kv_cache`` (chapter 11), ``x`` holds only new positions: they attend to the cached keys and values
        as well as to each other, and the cache grows by them.
        """
        _check_residual(x, self.config, "CausalSelfAttention")
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 x (B, T, C)
        # split the width into heads: (B, T, C) -> (B, H, T, D)
        q, k, v = (t.view(B, T, self.n_head, self.d_head).transpose(1, 2) for t in (q, k, v))
        if kv_cache is not None:  # generation in eval mode (GPT.forward checks), so no dropout
            out, kv_cache.keys, kv_cache.values = cached_attention(q, k, v, kv_cache.keys, kv_cache.values)
            return self.c_proj(out.transpose(1, 2).contiguous().view(B, T, C))
        if self.config.fast_attention:
            # the same four steps as below, fused by torch into one call (no (T, T) matrix kept for backward)
            dropout = self.attn_dropout.p if self.training else 0.0
            out = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout, is_causal=True)  # (B, H, T, D)
        else:
            scores = attention_scores(q, k)  # (B, H, T, T): how well query i matches key j, over sqrt(D)
            weights = self.attn_dropout(attention_weights(scores, self.causal[:T, :T]))  # no looking ahead
            out = weights @ v  # (B, H, T, D): a weighted average of the values
        out = out.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.resid_dropout(self.c_proj(out))


class MLP(nn.Module):
    """The feed-forward part of a block: widen each token's vector four times, apply GELU, project back."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = _check_config(config, "MLP")
        self.c_fc = nn.Linear(config.d_model, 4 * config.d_model, bias=config.bias)
        self.gelu = nn.GELU(approximate=GELU_FORMS[config.gelu])
        self.c_proj = nn.Linear(4 * config.d_model, config.d_model, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) -> (B, T, C), each token on its own."""
        _check_residual(x, self.config, "MLP")
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    """One transformer block: attention, then the MLP, each added to the residual stream after a layer norm."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = _check_config(config, "Block")
        self.ln_1 = nn.LayerNorm(config.d_model, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.d_model, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor, kv_cache: LayerCache | None = None) -> torch.Tensor:
        """(B, T, C) -> (B, T, C); ``kv_cache``: this layer's keys and values of earlier positions (chapter 11)."""
        _check_residual(x, self.config, "Block")
        # the keyword only with a cache: an attention module without it (a learner's, chapter 09) still fits
        x = x + (self.attn(self.ln_1(x)) if kv_cache is None else self.attn(self.ln_1(x), kv_cache=kv_cache))
        x = x + self.mlp(self.ln_2(x))  # each token thinks on its own
        return x


class GPT(nn.Module):
    """A decoder-only transformer that gives, at every position, logits for the token that comes next.

    >>> model = GPT(GPTConfig(vocab_size=100, context=16, n_layer=2, n_head=2, d_model=32))
    >>> model(torch.zeros(1, 5, dtype=torch.long)).shape
    torch.Size([1, 5, 100])
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = _check_config(config, "GPT")
        self.wte = nn.Embedding(config.vocab_size, config.d_model)  # token embedding, W_E
        self.wpe = nn.Embedding(config.context, config.d_model)  # learned position embedding
        self.drop = nn.Dropout(config.dropout)
        self.h = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.d_model, bias=config.bias)
        # the unembedding W_U shares its matrix with W_E ("weight tying", as in GPT-2): a token's logit is
        # the dot product of the final vector with that token's embedding
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight
        self.apply(self._init_weights)
        # GPT-2's init: the projections that write into the residual stream start smaller, by 1/sqrt(2 * n_layer),
        # so that the stream's size does not grow with depth
        for name, parameter in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(parameter, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self, include_position: bool = True) -> int:
        """The number of weights, the tied embedding counted once; without the position embedding if asked."""
        if not isinstance(include_position, bool):
            raise TypeError(f"include_position must be True or False, got {validate.describe(include_position)}.")
        total = sum(parameter.numel() for parameter in self.parameters())  # parameters() yields a tied one once
        return total if include_position else total - self.wpe.weight.numel()

    def _check_ids(self, ids: torch.Tensor, ndim: tuple[int, ...], check_range: bool | None) -> torch.Tensor:
        if not isinstance(ids, torch.Tensor):
            raise TypeError(
                f"ids must be a torch tensor of token ids, got {validate.describe(ids)}: "
                f"use torch.tensor([[...]], dtype=torch.long)."
            )
        return validate.token_ids(
            ids,
            "ids",
            vocab_size=self.config.vocab_size,
            ndim=ndim,
            min_length=1,
            check_range=check_range,
            hint="Encode the text with the model's own vocabulary." if ndim != (2,) else "",
        )

    def forward(self, ids: torch.Tensor, kv_cache: KVCache | None = None) -> torch.Tensor:
        """Token ids (B, T) -> logits (B, T, V): at position t, a score for every token that might follow ids[:, t].

        ``kv_cache`` (chapter 11; a :class:`KVCache`, in eval mode only): ``ids`` are then the positions that come
        after the ones the cache holds; their position embeddings start at the cache's length, and the cache
        keeps their keys and values for the next call.

        The ids' range is checked on a CPU tensor only: reading it on a GPU would make every forward wait for the
        GPU, so there an id outside the vocabulary fails inside torch's embedding. :meth:`generate` checks its
        prompt's ids on any device, and :func:`next_token_loss` its targets.
        """
        # (B, T, V): each logit a dot product with a token's row
        return self.lm_head(self.hidden_states(ids) if kv_cache is None else self.hidden_states(ids, kv_cache=kv_cache))

    def hidden_states(self, ids: torch.Tensor, kv_cache: KVCache | None = None) -> torch.Tensor:
        """Token ids (B, T) -> final vectors (B, T, C): each position's vector after the last block and the final
        layer norm ``ln_f``, the vector that the unembedding ``lm_head`` turns into logits (chapter 05)."""
        self._check_ids(ids, ndim=(2,), check_range=None)
        B, T = ids.shape
        if not 1 <= T <= self.config.context:
            raise ValueError(
                f"The model reads 1 to {self.config.context} tokens at once (its context), got {T}: "
                f"keep the last {self.config.context} with ids[:, -{self.config.context}:]."
            )
        if kv_cache is not None:
            return self._hidden_states_cached(ids, kv_cache)
        positions = torch.arange(T, device=ids.device)
        x = self.drop(self.wte(ids.long()) + self.wpe(positions))  # (B, T, C): what each token is, and where
        for block in self.h:
            x = block(x)
        return self.ln_f(x)  # (B, T, C)

    def _hidden_states_cached(self, ids: torch.Tensor, kv_cache: KVCache) -> torch.Tensor:
        """:meth:`hidden_states` for positions that follow those in ``kv_cache`` (which grows by them)."""
        _check_cache(kv_cache, self, ids)
        B, T = ids.shape
        start = kv_cache.length
        positions = torch.arange(start, start + T, device=ids.device)  # absolute positions, after the cached ones
        x = self.wte(ids.long()) + self.wpe(positions)
        for block, layer_cache in zip(self.h, kv_cache.layers, strict=True):
            x = block(x, kv_cache=layer_cache)
        return self.ln_f(x)

    def _check_generation(
        self,
        ids: torch.Tensor,
        max_new_tokens: int,
        temperature: float,
        top_k: int | None,
        top_p: float | None,
        generator: torch.Generator | None,
    ) -> int:
        """Check the arguments of a generation (:meth:`generate`, :func:`generate_cached`); the number of new tokens.

        Everything is checked before the model is switched to eval mode, and the prompt's range once here, where
        it enters: the forward does not check it on a GPU.
        """
        self._check_ids(ids, ndim=(1, 2), check_range=True)
        max_new_tokens = validate.whole_number(max_new_tokens, "max_new_tokens", minimum=0)
        check_temperature(temperature)
        if top_k is not None:
            validate.whole_number(top_k, "top_k", minimum=1, hint="Or None to keep every token.")
        if top_p is not None:
            check_top_p(top_p, "top_p")
        if generator is not None:
            validate.generator(generator, "generator")
        return max_new_tokens

    @torch.no_grad()
    def generate(
        self,
        ids: torch.Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: torch.Generator | None = None,
        top_p: float | None = None,
    ) -> torch.Tensor:
        """Continue ``ids`` by ``max_new_tokens`` tokens: predict, sample, append, repeat.

        ``ids`` is (T,) or (B, T); the result has the same number of dimensions, with the new tokens after the
        prompt. Only the last ``context`` tokens are read at each step. ``temperature`` 0 takes the likeliest
        token every time (greedy); higher values flatten the distribution. ``top_k`` keeps only the k likeliest
        tokens, ``top_p`` the fewest likeliest tokens whose probabilities add up to p (chapter 07). Draws are
        made on the CPU with ``generator`` (torch's global one if None), so a seeded
        generator draws the same random numbers on any device, and so the same tokens unless the device's
        rounding of the logits tips a near-tie.
        """
        max_new_tokens = self._check_generation(ids, max_new_tokens, temperature, top_k, top_p, generator)
        was_training = self.training
        self.eval()
        try:
            sequence = ids[None] if ids.ndim == 1 else ids
            sequence = sequence.long().to(self.wte.weight.device)
            for _ in range(max_new_tokens):
                logits = self(sequence[:, -self.config.context :])[:, -1, :]  # (B, V): the last position's scores
                next_ids = sample_next_token(logits, temperature, top_k, generator, top_p)  # (B,)
                sequence = torch.cat([sequence, next_ids[:, None].to(sequence.device)], dim=1)
        finally:
            self.train(was_training)
        return sequence[0] if ids.ndim == 1 else sequence


def next_token_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The cross-entropy of next-token prediction: logits (B, T, V) against target ids (B, T), averaged.

    Every target counts: torch skips a target of -100 without a word, so here it is refused like any negative id.
    """
    if (
        isinstance(logits, torch.Tensor)
        and isinstance(targets, torch.Tensor)
        and not logits.dtype.is_floating_point
        and targets.dtype.is_floating_point
    ):
        raise TypeError(
            f"logits holds whole numbers ({logits.dtype}) and targets floats ({targets.dtype}): did you swap logits "
            f"and targets? The call is next_token_loss(model(inputs), targets)."
        )
    logits = validate.float_tensor(logits, "logits", shape=(None, None, None), labels=("batch", "tokens", "vocab"))
    if isinstance(targets, torch.Tensor) and targets.dtype.is_floating_point:
        raise TypeError(
            f"targets must hold token ids, got {validate.describe(targets)}: did you swap logits and targets?"
        )
    # checked on a GPU too (a step waits for its loss anyway): torch would skip -100 targets without a word
    targets = validate.token_ids(targets, "targets", vocab_size=logits.shape[-1], ndim=2, check_range=True)
    if not isinstance(targets, torch.Tensor):
        raise TypeError(f"targets must be a tensor of token ids, got {validate.describe(targets)}.")
    if logits.shape[:-1] != targets.shape:
        raise ValueError(
            f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)} do not match: logits need one "
            f"more dimension (the vocabulary) than targets."
        )
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten())


# --------------------------------------------------------------------------------------------------------------
# The KV cache (chapter 11): generation that computes each position's keys and values once


class LayerCache:
    """One layer's cached keys and values, (B, H, T_cache, D) each, or None before the first call."""

    def __init__(self) -> None:
        self.keys: torch.Tensor | None = None
        self.values: torch.Tensor | None = None


class KVCache:
    """The keys and values of every layer for the positions a :class:`GPT` has read: pass it as
    ``model(ids, kv_cache=cache)`` and it grows by ``ids``' positions.

    >>> model = GPT(GPTConfig(vocab_size=10, context=8, n_layer=2, n_head=2, d_model=16)).eval()
    >>> cache = KVCache(model)
    >>> model(torch.tensor([[1, 2, 3]]), kv_cache=cache).shape, cache.length
    (torch.Size([1, 3, 10]), 3)
    """

    def __init__(self, model: GPT) -> None:
        if not isinstance(model, GPT):
            raise TypeError(f"model must be a course_utils GPT, got {validate.describe(model)}.")
        self.config = model.config
        self.layers = [LayerCache() for _ in range(model.config.n_layer)]

    @property
    def length(self) -> int:
        """How many positions the cache holds."""
        keys = self.layers[0].keys
        return 0 if keys is None else keys.shape[-2]

    def __repr__(self) -> str:
        return f"KVCache({self.config.n_layer} layers, {self.length} positions)"


def _check_cache(kv_cache: object, model: GPT, ids: torch.Tensor) -> KVCache:
    if not isinstance(kv_cache, KVCache):
        raise TypeError(f"kv_cache must be a KVCache (KVCache(model)) or None, got {validate.describe(kv_cache)}.")
    if kv_cache.config != model.config:
        raise ValueError("kv_cache was made for a model of another shape: make one with KVCache(model) for this model.")
    if model.training:
        raise ValueError(
            "kv_cache is for generation, in eval mode: call model.eval() first (training reads whole sequences)."
        )
    length = kv_cache.length
    if length and kv_cache.layers[0].keys.shape[0] != ids.shape[0]:
        raise ValueError(
            f"ids has a batch of {ids.shape[0]} but kv_cache holds {kv_cache.layers[0].keys.shape[0]} sequences: "
            f"use one cache per batch of sequences."
        )
    if length + ids.shape[1] > model.config.context:
        raise ValueError(
            f"kv_cache holds {length} positions and ids adds {ids.shape[1]}: more than the model's context "
            f"({model.config.context}). Start a new cache with the last tokens (generate_cached does this)."
        )
    return kv_cache


@torch.no_grad()
def generate_cached(
    model: GPT,
    ids: torch.Tensor,
    max_new_tokens: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
    top_p: float | None = None,
) -> torch.Tensor:
    """:meth:`GPT.generate` with a :class:`KVCache`: the same tokens, each new one costing one position's work.

    The prompt is read once; each later step feeds only the newest token, whose keys and values join the cache.
    While the text fits in the context the tokens are those of ``model.generate`` with the same arguments (and
    generator state). Once it is longer, ``generate`` reads the last ``context`` tokens at positions 0 to
    context - 1, so every token's position changes at every step and no cached key stays valid: from there each
    step reads the whole window again, as ``generate`` does, which keeps the tokens equal.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be a course_utils GPT, got {validate.describe(model)}.")
    max_new_tokens = model._check_generation(ids, max_new_tokens, temperature, top_k, top_p, generator)
    was_training = model.training
    model.eval()
    try:
        sequence = (ids[None] if ids.ndim == 1 else ids).long().to(model.wte.weight.device)
        context = model.config.context
        cache = KVCache(model)
        pending = sequence  # the positions the cache has not read yet: first the whole prompt
        for _ in range(max_new_tokens):
            if sequence.shape[1] > context:  # the window slides: every position changes, no cached key is valid
                logits = model(sequence[:, -context:])
            else:
                logits = model(pending, kv_cache=cache)
            next_ids = sample_next_token(logits[:, -1, :], temperature, top_k, generator, top_p)  # (B,)
            sequence = torch.cat([sequence, next_ids[:, None].to(sequence.device)], dim=1)
            pending = sequence[:, -1:]  # the next step reads only the newest token
    finally:
        model.train(was_training)
    return sequence[0] if ids.ndim == 1 else sequence
