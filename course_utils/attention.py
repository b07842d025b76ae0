"""Attention: how the tokens of a sequence look at each other (chapter 08), reused by chapters 09 to 12.

Every function here is one step of the computation, written out in torch:

* :func:`attention_scores`: how well each query matches each key, ``q @ k^T / sqrt(d)``;
* :func:`causal_mask`: which keys each query may look at when it must not see the future;
* :func:`attention_weights`: the softmax over keys, with masked keys given weight exactly 0;
* :func:`single_head_attention`, :func:`multi_head_attention`, :func:`cross_attention`: whole layers, with
  weight matrices that multiply from the right (``x @ w_q``);
* :func:`cached_attention`: attention for new positions over cached keys and values (chapter 11's KV cache).

Masks follow one convention everywhere in the course: a boolean tensor that is ``True`` where a query *may*
look at a key. (``torch.nn.functional.scaled_dot_product_attention`` reads a boolean mask the same way;
``torch.nn.MultiheadAttention`` reads it the other way round, ``True`` meaning blocked.)

:class:`course_utils.gpt.CausalSelfAttention` computes its weights with :func:`attention_scores`,
:func:`attention_weights` and its causal-mask buffer, so the model of chapters 00, 10 and 11 runs this code.
"""

from __future__ import annotations

import math

import torch

# --------------------------------------------------------------------------------------------------------------
# Input checks: a wrong shape gets a sentence saying which dimensions disagree, never a silent wrong answer


def check_tensor(value: object, name: str, ndims: tuple[int, ...] | None = None) -> None:
    """Raise a clear error unless ``value`` is a floating-point torch tensor (with one of ``ndims`` dimensions)."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch tensor, got {type(value).__name__}: wrap it with torch.tensor(...).")
    if not value.is_floating_point():
        raise TypeError(
            f"{name} must hold floating-point numbers, got dtype {value.dtype}: convert it with {name}.float()."
        )
    if ndims is not None and value.ndim not in ndims:
        wanted = " or ".join(str(n) for n in ndims)
        raise ValueError(f"{name} must have {wanted} dimensions, got shape {tuple(value.shape)}.")


def check_projection(x: torch.Tensor, weight: torch.Tensor, name: str, out_features: int | None = None) -> None:
    """Raise a clear error unless ``x @ weight`` works: ``weight`` is (C, d) where C is ``x``'s last dimension."""
    check_tensor(weight, name, (2,))
    if weight.shape[0] != x.shape[-1]:
        raise ValueError(
            f"{name} has shape {tuple(weight.shape)} but the input's vectors have {x.shape[-1]} numbers: "
            f"{name} must be ({x.shape[-1]}, d) so that x @ {name} works (weights multiply from the right)."
        )
    if out_features is not None and weight.shape[1] != out_features:
        raise ValueError(f"{name} must have {out_features} columns, got shape {tuple(weight.shape)}.")


def check_heads(width: int, n_head: int) -> int:
    """The width of one head, ``width // n_head``, with a clear error if ``n_head`` does not divide ``width``."""
    if not isinstance(n_head, int) or isinstance(n_head, bool) or n_head < 1:
        raise ValueError(f"n_head must be a whole number of at least 1, got {n_head!r}.")
    if width % n_head != 0:
        raise ValueError(
            f"n_head ({n_head}) must divide the model width C ({width}): each head gets C / n_head numbers. "
            f"Divisors of {width} include {[h for h in range(1, min(width, 16) + 1) if width % h == 0]}."
        )
    return width // n_head


# --------------------------------------------------------------------------------------------------------------
# The steps of attention (chapter 08's exercises)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """How well every query matches every key: ``q @ k^T`` scaled by ``1 / sqrt(d)``.

    ``q`` is (..., T_q, d) and ``k`` is (..., T_k, d), with the same leading dimensions (or ones that
    broadcast); the result is (..., T_q, T_k), where entry [i, j] is the dot product of query i and key j
    divided by sqrt(d). Neither input is changed.
    """
    check_tensor(q, "q")
    check_tensor(k, "k")
    if q.ndim < 2 or k.ndim < 2:
        raise ValueError(f"q and k need at least 2 dimensions (tokens, d), got {tuple(q.shape)} and {tuple(k.shape)}.")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"queries have {q.shape[-1]} numbers each and keys {k.shape[-1]} (q {tuple(q.shape)}, k {tuple(k.shape)}): "
            f"their last dimensions must agree for the dot product."
        )
    d = q.shape[-1]
    return q @ k.transpose(-2, -1) / math.sqrt(d)


def causal_mask(T: int) -> torch.Tensor:
    """A bool (T, T) tensor, True where query i may look at key j: at itself and the past (j <= i)."""
    if not isinstance(T, int) or isinstance(T, bool) or T < 1:
        raise ValueError(f"T (the number of tokens) must be a whole number of at least 1, got {T!r}.")
    return torch.tril(torch.ones(T, T, dtype=torch.bool))


def attention_weights(scores: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """The softmax of ``scores`` over keys (the last axis), with keys where ``mask`` is False given weight 0.

    ``scores`` is (..., T_q, T_k). ``mask`` is None (every key allowed) or a bool tensor that broadcasts against
    ``scores``, True where a query may look at a key. Every row sums to 1, except a row whose keys are all
    masked: it gets all zeros (not nan). ``scores`` itself is not changed.
    """
    check_tensor(scores, "scores")
    if mask is None:
        return torch.softmax(scores, dim=-1)
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
        kind = f"dtype {mask.dtype}" if isinstance(mask, torch.Tensor) else type(mask).__name__
        raise TypeError(
            f"mask must be a bool tensor, True where a query may look at a key; got {kind}. "
            f"Build it with a comparison or causal_mask(T)."
        )
    # the broadcasting rule, written out: torch.broadcast_shapes imports torch._refs at its first call, which
    # took seconds on a busy machine and landed on the first generated token of chapter 11's KV-cache timing
    fits = all(a == b or 1 in (a, b) for a, b in zip(reversed(mask.shape), reversed(scores.shape), strict=False))
    if not fits:
        raise ValueError(
            f"mask of shape {tuple(mask.shape)} does not fit scores of shape {tuple(scores.shape)}: it must be "
            f"(T_q, T_k) = {tuple(scores.shape[-2:])} or broadcast to the scores' shape."
        )
    # -inf becomes exactly 0 after exp; a row of only -inf gives nan (0 / 0), which the second fill turns to 0
    weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
    return weights.masked_fill(~mask, 0.0)


def single_head_attention(x: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor) -> torch.Tensor:
    """One head of causal self-attention.

    ``x`` is (T, C) or (B, T, C); ``w_q``, ``w_k``, ``w_v`` are (C, d_head). Queries, keys and values are
    ``x @ w_q``, ``x @ w_k``, ``x @ w_v``; each token takes the softmax-weighted sum of the values of itself
    and the tokens before it. The result is (T, d_head) or (B, T, d_head).
    """
    check_tensor(x, "x", (2, 3))
    for name, weight in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v)):
        check_projection(x, weight, name)
    q, k, v = x @ w_q, x @ w_k, x @ w_v  # (..., T, d_head) each
    T = x.shape[-2]
    weights = attention_weights(attention_scores(q, k), causal_mask(T).to(x.device))  # (..., T, T)
    return weights @ v


def multi_head_attention(
    x: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor, w_o: torch.Tensor, n_head: int
) -> torch.Tensor:
    """Causal multi-head self-attention, heads computed side by side as GPT-2 does.

    ``x`` is (B, T, C); ``w_q``, ``w_k``, ``w_v``, ``w_o`` are (C, C); ``n_head`` divides C. Queries, keys and
    values (B, T, C) are split into ``n_head`` heads of width C // n_head:
    ``view(B, T, n_head, C // n_head).transpose(1, 2)`` gives (B, n_head, T, d_head). Each head attends
    causally, scaled by sqrt(d_head); the heads' outputs are put side by side again (B, T, C) and multiplied by
    the output projection ``w_o``. The result is (B, T, C).
    """
    check_tensor(x, "x", (3,))
    B, T, C = x.shape
    d_head = check_heads(C, n_head)
    for name, weight in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        check_projection(x, weight, name, out_features=C)
    q, k, v = (
        (x @ w).view(B, T, n_head, d_head).transpose(1, 2)  # (B, n_head, T, d_head)
        for w in (w_q, w_k, w_v)
    )
    weights = attention_weights(attention_scores(q, k), causal_mask(T).to(x.device))  # (B, n_head, T, T)
    out = (weights @ v).transpose(1, 2).reshape(B, T, C)  # the heads side by side again
    return out @ w_o


def cross_attention(
    x: torch.Tensor, context: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor
) -> torch.Tensor:
    """One head of cross-attention: queries from ``x``, keys and values from ``context``, no mask.

    ``x`` is (B, T_q, C), ``context`` is (B, T_k, C), ``w_q``, ``w_k``, ``w_v`` are (C, d_head). Every token
    of ``x`` may look at every token of ``context``. The result is (B, T_q, d_head).
    """
    check_tensor(x, "x", (3,))
    check_tensor(context, "context", (3,))
    if context.shape[0] != x.shape[0] or context.shape[2] != x.shape[2]:
        raise ValueError(
            f"x {tuple(x.shape)} and context {tuple(context.shape)} must agree in batch size and width C "
            f"(dimensions 0 and 2); only their numbers of tokens may differ."
        )
    for name, weight in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v)):
        check_projection(x, weight, name)
    q = x @ w_q  # (B, T_q, d_head): what each token of x looks for
    k, v = context @ w_k, context @ w_v  # (B, T_k, d_head): what the context offers
    return attention_weights(attention_scores(q, k)) @ v


def cached_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    past_k: torch.Tensor | None = None,
    past_v: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Causal attention for new positions that follow cached ones: what a KV cache computes (chapter 11).

    ``q``, ``k``, ``v`` are (..., T_new, d): the queries, keys and values of ``T_new`` new positions. ``past_k``
    and ``past_v`` are (..., T_cache, d), the keys and values of the ``T_cache`` positions before them, or None
    when nothing is cached yet. The new keys and values are appended after the cached ones along the time axis
    (dim -2); new query i sits at absolute position ``T_cache + i`` and may look at keys 0 to ``T_cache + i``.
    Returns ``(out, keys, values)``: ``out`` (..., T_new, d) and the grown cache, (..., T_cache + T_new, d).
    No input is changed.
    """
    for tensor, name in ((q, "q"), (k, "k"), (v, "v")):
        check_tensor(tensor, name)
    if q.shape != k.shape or v.shape[:-1] != k.shape[:-1]:
        raise ValueError(
            f"q, k and v must all be the new positions', (..., T_new, d), got q {tuple(q.shape)}, k {tuple(k.shape)} "
            f"and v {tuple(v.shape)}: the earlier positions go in past_k and past_v."
        )
    if (past_k is None) != (past_v is None):
        raise ValueError("past_k and past_v go together: pass both (the cache) or neither (nothing cached yet).")
    if past_k is not None:
        check_tensor(past_k, "past_k")
        check_tensor(past_v, "past_v")
        if past_k.shape[:-2] != k.shape[:-2] or past_k.shape[-1] != k.shape[-1] or past_v.shape != past_k.shape:
            raise ValueError(
                f"the cache does not fit the new positions: past_k {tuple(past_k.shape)} and past_v "
                f"{tuple(past_v.shape)} must be (..., T_cache, d) with the batch, heads and width of k "
                f"{tuple(k.shape)}. Was the cache made for another model or batch?"
            )
        k = torch.cat([past_k, k], dim=-2)  # (..., T_cache + T_new, d): the past first, in order of position
        v = torch.cat([past_v, v], dim=-2)
    t_new, t_all = q.shape[-2], k.shape[-2]
    t_cache = t_all - t_new
    # new query i is at position t_cache + i: it may see key j where j <= t_cache + i, a triangle moved right
    allowed = torch.ones(t_new, t_all, dtype=torch.bool, device=q.device).tril(diagonal=t_cache)
    weights = attention_weights(attention_scores(q, k), allowed)
    return weights @ v, k, v


# --------------------------------------------------------------------------------------------------------------
# Heads as tensors, and the attention inside a trained GPT


def split_heads(x: torch.Tensor, n_head: int) -> torch.Tensor:
    """(B, T, C) -> (B, n_head, T, C // n_head): head h gets the numbers h * d_head to (h + 1) * d_head - 1."""
    check_tensor(x, "x", (3,))
    B, T, C = x.shape
    return x.view(B, T, n_head, check_heads(C, n_head)).transpose(1, 2)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """(B, n_head, T, d_head) -> (B, T, n_head * d_head): the heads side by side again (undoes split_heads)."""
    check_tensor(x, "x", (4,))
    B, H, T, D = x.shape
    return x.transpose(1, 2).reshape(B, T, H * D)


@torch.no_grad()
def gpt_attention_maps(model: torch.nn.Module, ids: torch.Tensor) -> torch.Tensor:
    """The attention weights of every layer and head of a :class:`~course_utils.gpt.GPT` reading ``ids``.

    ``ids`` is (T,) or (1, T). The result is (n_layer, n_head, T, T): entry [layer, head, i, j] is how much
    token i takes from token j in that head (rows sum to 1; the future is 0).
    """
    ids = ids[None] if ids.ndim == 1 else ids
    if ids.ndim != 2 or ids.shape[0] != 1:
        raise ValueError(f"ids must be one sequence, (T,) or (1, T), got shape {tuple(ids.shape)}.")
    was_training = model.training
    model.eval()  # no dropout: the weights the model uses when it writes
    T = ids.shape[1]
    positions = torch.arange(T, device=ids.device)
    x = model.wte(ids.long()) + model.wpe(positions)
    maps = []
    for block in model.h:
        attn = block.attn
        q, k, _ = attn.c_attn(block.ln_1(x)).split(x.shape[-1], dim=2)
        q, k = split_heads(q, attn.n_head), split_heads(k, attn.n_head)
        maps.append(attention_weights(attention_scores(q, k), attn.causal[:T, :T])[0])
        x = block(x)
    model.train(was_training)
    return torch.stack(maps)
