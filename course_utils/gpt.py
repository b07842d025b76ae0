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

from course_utils.sampling import sample_next_token


@dataclass(frozen=True)
class GPTConfig:
    """The sizes that define a GPT.

    ``vocab_size``: how many tokens it knows; ``context``: the most tokens it reads at once; ``n_layer``: how
    many blocks; ``n_head``: attention heads per block; ``d_model``: the width of every token's vector (a
    multiple of ``n_head``); ``dropout``: the share of activations zeroed in training (0 turns it off);
    ``bias``: whether linear layers and layer norms carry a bias.
    """

    vocab_size: int
    context: int = 128
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 128
    dropout: float = 0.0
    bias: bool = True

    def __post_init__(self) -> None:
        for name in ("vocab_size", "context", "n_layer", "n_head", "d_model"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"GPTConfig.{name} must be a whole number of at least 1, got {value!r}.")
        if self.d_model % self.n_head != 0:
            raise ValueError(
                f"GPTConfig.d_model ({self.d_model}) must be a multiple of n_head ({self.n_head}): each head "
                f"gets d_model / n_head dimensions. Choose, for example, d_model={self.n_head * 32}."
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"GPTConfig.dropout must be in [0, 1), got {self.dropout!r}.")

    def to_dict(self) -> dict:
        """The config as a plain dict (to save next to the weights); ``GPTConfig(**d)`` rebuilds it."""
        return asdict(self)


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention in which each token looks only at itself and the tokens before it."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) -> (B, T, C): each token's vector plus what it gathered from the tokens before it."""
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 x (B, T, C)
        # split the width into heads: (B, T, C) -> (B, H, T, D)
        q, k, v = (t.view(B, T, self.n_head, self.d_head).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)  # (B, H, T, T): how well query i matches key j
        scores = scores.masked_fill(~self.causal[:T, :T], float("-inf"))  # no looking ahead
        weights = self.attn_dropout(F.softmax(scores, dim=-1))  # each row sums to 1
        out = weights @ v  # (B, H, T, D): a weighted average of the values
        out = out.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.resid_dropout(self.c_proj(out))


class MLP(nn.Module):
    """The feed-forward part of a block: widen each token's vector four times, apply GELU, project back."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.d_model, 4 * config.d_model, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * config.d_model, config.d_model, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) -> (B, T, C), each token on its own."""
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    """One transformer block: attention, then the MLP, each added to the residual stream after a layer norm."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.d_model, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.d_model, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) -> (B, T, C)."""
        x = x + self.attn(self.ln_1(x))  # tokens exchange information
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
        if not isinstance(config, GPTConfig):
            raise TypeError(f"GPT needs a GPTConfig, got {type(config).__name__}: build one with GPTConfig(...).")
        self.config = config
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
        total = sum(parameter.numel() for parameter in self.parameters())  # parameters() yields a tied one once
        return total if include_position else total - self.wpe.weight.numel()

    def _check_ids(self, ids: torch.Tensor, name: str = "ids") -> None:
        if not isinstance(ids, torch.Tensor):
            raise TypeError(
                f"{name} must be a torch tensor of token ids, got {type(ids).__name__}: "
                f"use torch.tensor([[...]]) with dtype=torch.long."
            )
        if ids.dtype not in (torch.long, torch.int, torch.int16, torch.uint8):
            raise TypeError(
                f"{name} must hold whole-number token ids (dtype torch.long), got dtype {ids.dtype}: "
                f"convert with {name}.long()."
            )
        if ids.numel() > 0 and (int(ids.min()) < 0 or int(ids.max()) >= self.config.vocab_size):
            raise ValueError(
                f"{name} holds ids from {int(ids.min())} to {int(ids.max())}, but this model knows ids 0 to "
                f"{self.config.vocab_size - 1} only: encode the text with the model's own vocabulary."
            )

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Token ids (B, T) -> logits (B, T, V): at position t, a score for every token that might follow ids[:, t]."""
        self._check_ids(ids)
        if ids.ndim != 2:
            raise ValueError(
                f"ids must have shape (batch, tokens), got shape {tuple(ids.shape)}: for one sequence "
                f"add a batch dimension with ids[None]."
            )
        B, T = ids.shape
        if not 1 <= T <= self.config.context:
            raise ValueError(
                f"The model reads 1 to {self.config.context} tokens at once (its context), got {T}: "
                f"keep the last {self.config.context} with ids[:, -{self.config.context}:]."
            )
        positions = torch.arange(T, device=ids.device)
        x = self.drop(self.wte(ids.long()) + self.wpe(positions))  # (B, T, C): what each token is, and where
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))  # (B, T, V)

    @torch.no_grad()
    def generate(
        self,
        ids: torch.Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """Continue ``ids`` by ``max_new_tokens`` tokens: predict, sample, append, repeat.

        ``ids`` is (T,) or (B, T); the result has the same number of dimensions, with the new tokens after the
        prompt. Only the last ``context`` tokens are read at each step. ``temperature`` 0 takes the likeliest
        token every time (greedy); higher values flatten the distribution. ``top_k`` keeps only the k likeliest
        tokens. Draws are made on the CPU with ``generator`` (torch's global one if None), so a seeded
        generator draws the same random numbers on any device, and so the same tokens unless the device's
        rounding of the logits tips a near-tie.
        """
        self._check_ids(ids)
        if ids.ndim not in (1, 2) or ids.shape[-1] == 0:
            raise ValueError(
                f"ids must be a non-empty (tokens,) or (batch, tokens) tensor, got shape {tuple(ids.shape)}."
            )
        if not isinstance(max_new_tokens, int) or max_new_tokens < 0:
            raise ValueError(f"max_new_tokens must be a whole number of at least 0, got {max_new_tokens!r}.")
        was_training = self.training
        self.eval()
        sequence = ids[None] if ids.ndim == 1 else ids
        sequence = sequence.long().to(self.wte.weight.device)
        for _ in range(max_new_tokens):
            logits = self(sequence[:, -self.config.context :])[:, -1, :]  # (B, V): the last position's scores
            next_ids = sample_next_token(logits, temperature, top_k, generator)  # (B,)
            sequence = torch.cat([sequence, next_ids[:, None].to(sequence.device)], dim=1)
        self.train(was_training)
        return sequence[0] if ids.ndim == 1 else sequence


def next_token_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The cross-entropy of next-token prediction: logits (B, T, V) against target ids (B, T), averaged."""
    if logits.shape[:-1] != targets.shape:
        raise ValueError(
            f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)} do not match: logits need one "
            f"more dimension (the vocabulary) than targets."
        )
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten())
