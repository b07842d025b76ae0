"""Exercises of chapter 11, scaling up: what training costs, how much of a device it uses, a KV cache, GPT-2's
weights.

* ``ch11.training_flops`` and ``ch11.mfu`` are arithmetic: the mistakes are factors (2ND for 6ND, a percentage,
  a peak in the wrong precision), so every case uses numbers on which each factor shows.
* ``ch11.kv_cache_attention``: the first case has several cached and several new positions, where a missing
  offset of the causal mask, a missing mask, the cache appended after the new keys, and a cache that does not
  grow all give different answers that run; a case with nothing cached (None) and one with a single new
  position follow.
* ``ch11.load_gpt2_state``: the input is a small GPT-2 state in Hugging Face's layout (made from a course GPT
  with its Conv1D matrices transposed, with and without the ``transformer.`` prefix and the mask buffers of
  older files); the comparison names the first weight that is missing, extra, transposed or wrong.
"""

from __future__ import annotations

from typing import Any

import torch

from course_utils import flops, gpt2_weights
from course_utils.attention import attention_scores, attention_weights, cached_attention
from course_utils.checks.core import Case, Exercise, Mistake, describe, register, same_values
from course_utils.gpt import GPT, GPTConfig

# --------------------------------------------------------------------------------------------------------------
# ch11.training_flops


def _flops_cases() -> list[Case]:
    return [
        Case("GPT-3: N = 175e9 weights, D = 300e9 tokens", (175e9, 300e9)),
        Case("N = 1,000 weights and D = 50 tokens (whole numbers)", (1000, 50)),
        Case("a small run: N = 10,788,929 weights, D = 64 x 256 x 5,000 tokens", (10_788_929, 64 * 256 * 5000)),
        Case("N = 1 weight, D = 1 token", (1, 1)),
    ]


register(
    Exercise(
        id="ch11.training_flops",
        title="The cost of training: 6 N D",
        difficulty=1,
        minutes=5,
        hint=(
            "Per weight and token: a multiply and an add in the forward pass (2 operations), twice that in the "
            "backward pass (4: gradients for the input and for the weight). 6 * n_params * n_tokens."
        ),
        reference=flops.training_flops,
        cases=_flops_cases,
        mistakes=[
            Mistake(
                "that is 2ND, the forward pass only: did you forget the backward pass? It costs twice the forward "
                "(the gradients for the inputs and for the weights), so training is 2 + 4 = 6 operations per "
                "weight per token.",
                lambda n, d: 2 * n * d,
            ),
            Mistake(
                "that is 4ND, the backward pass only: add the forward pass's 2 operations per weight per token.",
                lambda n, d: 4 * n * d,
            ),
            Mistake(
                "that is N x D: a weight does a multiply *and* an add per token (2 operations) in the forward pass, "
                "and the backward pass doubles it again: 6ND.",
                lambda n, d: n * d,
            ),
            Mistake(
                "that is 3 N D, counting a multiply-add as one operation: FLOPs count the multiply and the add "
                "apart, 2 per weight per token forward, 6 in all.",
                lambda n, d: 3 * n * d,
            ),
            Mistake(
                "that is 12ND, twice too much: each weight costs 2 operations per token forward and 4 backward, "
                "6 in all (did you count the backward pass as 4 times the forward?).",
                lambda n, d: 12 * n * d,
            ),
            Mistake(
                "that is 8ND: forward 2, backward 4, and one more forward of 2 is what activation recomputation "
                "adds; the plain count (and the paper's) is 6ND.",
                lambda n, d: 8 * n * d,
            ),
            Mistake(
                "that is 6N, the operations for one token: multiply by the number of tokens too, 6 * n_params * "
                "n_tokens.",
                lambda n, d: 6 * n,
            ),
            Mistake(
                "that is 6ND divided by 1e12, in tera-operations: return the number of operations itself (the "
                "cells below divide by a rate in operations per second).",
                lambda n, d: 6 * n * d / 1e12,
            ),
            Mistake(
                "that is 6ND divided by 1e9, in giga-operations: return the number of operations itself (the "
                "cells below divide by a rate in operations per second).",
                lambda n, d: 6 * n * d / 1e9,
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch11.mfu


def _mfu_cases() -> list[Case]:
    a100, t4, h100 = (dict(flops.PEAK_FLOPS[name]) for name in ("A100", "T4", "H100"))
    return [
        Case("120,000 tokens/s at 8.1e8 operations each, bf16 on an A100", (120_000.0, 8.1e8, a100, "bfloat16")),
        Case("the same run in float32 on the A100", (120_000.0, 8.1e8, a100, "float32")),
        Case("45,000 tokens/s at 1.2e9 operations each, fp16 on a T4", (45_000, 1.2e9, t4, "float16")),
        Case("400,000 tokens/s at 8.5e8 operations each, tf32 on an H100", (400_000.0, 8.5e8, h100, "tf32")),
        Case("a T4 asked for bfloat16, which it does not have", (1000.0, 1e9, t4, "bfloat16"), raises=(KeyError,)),
    ]


register(
    Exercise(
        id="ch11.mfu",
        title="Model FLOPs utilisation",
        difficulty=1,
        minutes=8,
        hint=(
            "Achieved operations per second are tokens_per_second * flops_per_token; divide by the peak in the "
            "run's precision, peaks[precision]. The answer is a share between 0 and 1, not a percentage."
        ),
        reference=flops.mfu,
        cases=_mfu_cases,
        mistakes=[
            Mistake(
                "you divided by the float32 peak whatever the precision: a bf16 run is measured against the bf16 "
                "peak, peaks[precision] (16x higher on an A100).",
                lambda tps, per_token, peaks, precision: tps * per_token / peaks["float32"],
            ),
            Mistake(
                "you divided by the device's highest peak whatever the precision: a float32 run can only reach "
                "the float32 peak, so use peaks[precision].",
                lambda tps, per_token, peaks, precision: tps * per_token / max(peaks.values()),
            ),
            Mistake(
                "that is a percentage: MFU here is a share from 0 to 1 (0.31, not 31); do not multiply by 100.",
                lambda tps, per_token, peaks, precision: 100 * tps * per_token / peaks[precision],
            ),
            Mistake(
                "the ratio is upside down: achieved (tokens_per_second * flops_per_token) over the peak.",
                lambda tps, per_token, peaks, precision: peaks[precision] / (tps * per_token),
            ),
            Mistake(
                "flops_per_token already counts the forward and backward passes (6N + 12LTC): do not multiply "
                "by 6 (or 3) again.",
                lambda tps, per_token, peaks, precision: 6 * tps * per_token / peaks[precision],
            ),
            Mistake(
                "flops_per_token already counts the forward and backward passes (6N + 12LTC): do not multiply "
                "by 6 (or 3) again.",
                lambda tps, per_token, peaks, precision: 3 * tps * per_token / peaks[precision],
            ),
            Mistake(
                "the achieved rate is tokens_per_second times flops_per_token; dividing flops_per_token alone "
                "by the peak leaves out how many tokens a second the run trained.",
                lambda tps, per_token, peaks, precision: per_token / peaks[precision],
            ),
            Mistake(
                "you used the A100's peaks (flops.PEAK_FLOPS['A100']) whatever the device: divide by the `peaks` "
                "passed in, peaks[precision], the row of the device the run used.",
                lambda tps, per_token, peaks, precision: tps * per_token / flops.PEAK_FLOPS["A100"][precision],
            ),
            Mistake(
                "you capped the answer at 1. An MFU above 1 is impossible for a real run, so when the arithmetic "
                "gives one, the peak is the wrong one (a float32 peak for a bf16 run): return the ratio as it is, "
                "so that the mistake shows.",
                lambda tps, per_token, peaks, precision: min(1.0, tps * per_token / peaks[precision]),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch11.kv_cache_attention


def _heads(generator: torch.Generator, B: int, H: int, T: int, D: int) -> torch.Tensor:
    return torch.randn(B, H, T, D, generator=generator) * 1.5


def _kv_cases() -> list[Case]:
    g = torch.Generator().manual_seed(110)
    return [
        Case(
            "2 new positions after 3 cached ones (batch 2, 2 heads, width 4)",
            (*(_heads(g, 2, 2, 2, 4) for _ in range(3)), _heads(g, 2, 2, 3, 4), _heads(g, 2, 2, 3, 4)),
        ),
        Case(
            "4 positions and nothing cached yet (past_k and past_v None)",
            tuple(_heads(g, 1, 2, 4, 4) for _ in range(3)),
        ),
        Case(
            "1 new position after 5 cached ones, as in generation (batch 1, 3 heads, width 5)",
            (*(_heads(g, 1, 3, 1, 5) for _ in range(3)), _heads(g, 1, 3, 5, 5), _heads(g, 1, 3, 5, 5)),
        ),
        Case(
            "3 new positions after 4 cached ones (batch 1, 3 heads, width 5)",
            (*(_heads(g, 1, 3, 3, 5) for _ in range(3)), _heads(g, 1, 3, 4, 5), _heads(g, 1, 3, 4, 5)),
        ),
    ]


def _kv_wrong(
    q,
    k,
    v,
    past_k=None,
    past_v=None,
    *,
    offset=True,
    shift=0,
    mask=True,
    inverted=False,
    past_first=True,
    grow=True,
    scale=True,
    values_from_keys=False,
    softmax_dim=-1,
):
    """The reference with one step changed, for the mistakes below."""
    new_k, new_v = k, v
    if past_k is not None:
        past_v = past_k if values_from_keys else past_v
        k = torch.cat([past_k, k] if past_first else [k, past_k], dim=-2)
        v = torch.cat([past_v, v] if past_first else [v, past_v], dim=-2)
    t_new, t_all = q.shape[-2], k.shape[-2]
    allowed = torch.ones(t_new, t_all, dtype=torch.bool)
    if mask:
        allowed = allowed.tril(diagonal=(t_all - t_new if offset else 0) + shift)
    if inverted:
        allowed = ~allowed
    scores = attention_scores(q, k) if scale else q @ k.transpose(-2, -1)
    if softmax_dim == -1:
        weights = attention_weights(scores, allowed)
    else:
        weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=softmax_dim).nan_to_num(0.0)
    out = weights @ v
    return (out, k, v) if grow else (out, new_k, new_v)


def _kv_compare(got: Any, want: Any) -> str | None:
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return f"expected a tuple (out, keys, values), got {describe(got)}"
    names = ("the output", "the keys you return", "the values you return")
    for name, g, w in zip(names, got, want, strict=True):
        if not isinstance(g, torch.Tensor):
            return f"{name}: expected a tensor, got {describe(g)}"
        if tuple(g.shape) != tuple(w.shape):
            has = "has" if name == "the output" else "have"
            if name != "the output" and g.shape[:-2] == w.shape[:-2] and g.shape[-2] < w.shape[-2]:
                return (
                    f"{name} have shape {tuple(g.shape)}, expected {tuple(w.shape)}: the cache did not grow; return "
                    f"the cached ones followed by the new ones"
                )
            if name == "the output" and tuple(g.shape) == tuple(want[1].shape) != tuple(w.shape):
                return (
                    f"the output has shape {tuple(g.shape)}, the grown cache's, expected {tuple(w.shape)}: return "
                    f"(out, keys, values) in that order, out with one row per new query"
                )
            return f"{name} {has} shape {tuple(g.shape)}, expected {tuple(w.shape)} (B, H, T, d)"
    if got[0].is_floating_point() and torch.isnan(got[0]).any() and not torch.isnan(want[0]).any():
        # a row of nan is a query with every key masked; attention_weights gives such a row zeros instead, so
        # a mistake computed with it (a mask offset one too small) is told apart by the rest of the answer
        if same_values(got[0].nan_to_num(0.0), want[0], atol=1e-5, rtol=1e-4) is not None:
            return (
                "the output has nan in it: a query whose every key is masked gets softmax(all -inf) = nan. Every "
                "new query must see at least the keys up to itself: is the mask the wrong way round (True must "
                "mark the keys a query may see), or its offset too small (tril(diagonal=T_cache))?"
            )
        got = (got[0].nan_to_num(0.0), *got[1:])
    for name, g, w in zip(names, got, want, strict=True):
        problem = same_values(g, w, atol=1e-5, rtol=1e-4)
        if problem:
            return f"{name}: {problem}"
    return None


register(
    Exercise(
        id="ch11.kv_cache_attention",
        title="Attention with a KV cache",
        difficulty=2,
        minutes=15,
        hint=(
            "Append the new keys and values after the cached ones along the time axis, torch.cat([past_k, k], "
            "dim=-2) (when past_k is not None). New query i is at position T_cache + i, so it may see keys j <= "
            "T_cache + i: the causal mask is a (T_new, T_total) lower triangle moved right by T_cache, "
            "torch.ones(T_new, T_total, dtype=torch.bool).tril(diagonal=T_cache). Then scores, weights, @ v."
        ),
        reference=cached_attention,
        cases=_kv_cases,
        compare=_kv_compare,
        mistakes=[
            Mistake(
                "the causal mask is not offset: new query i sits at position T_cache + i and may see every cached "
                "key and the new ones up to itself, tril(diagonal=T_cache), not tril() of the (T_new, T_total) "
                "table, which hides most of the cache.",
                lambda *a: _kv_wrong(*a, offset=False),
            ),
            Mistake(
                "there is no causal mask: a new query sees the new positions after it. With several new positions "
                "at once, mask with a (T_new, T_total) lower triangle moved right by T_cache.",
                lambda *a: _kv_wrong(*a, mask=False),
            ),
            Mistake(
                "the cache is appended the wrong way round: the cached (earlier) keys and values come first, "
                "torch.cat([past_k, k], dim=-2), so that position j is row j.",
                lambda *a: _kv_wrong(*a, past_first=False),
            ),
            Mistake(
                "the keys and values you return are only the new ones: return the grown cache, the cached ones "
                "followed by the new ones, so that the next call sees every earlier position.",
                lambda *a: _kv_wrong(*a, grow=False),
            ),
            Mistake(
                "the scores are not scaled: divide q @ k^T by sqrt(d), as in chapter 08 (attention_scores does it).",
                lambda *a: _kv_wrong(*a, scale=False),
            ),
            Mistake(
                "the mask's offset is one too small: new query i sits at position T_cache + i and sees itself "
                "too, keys j <= T_cache + i, so tril(diagonal=T_cache), not T_cache - 1.",
                lambda *a: _kv_wrong(*a, shift=-1),
            ),
            Mistake(
                "the mask's offset is one too large: each new query also sees the new position after it. New "
                "query i may see keys j <= T_cache + i: tril(diagonal=T_cache), not T_cache + 1.",
                lambda *a: _kv_wrong(*a, shift=1),
            ),
            Mistake(
                "the mask is the wrong way round: attention_weights keeps the keys where the mask is True, so "
                "True must mark the keys a query may see (the lower triangle, tril), not the ones it may not.",
                lambda *a: _kv_wrong(*a, inverted=True),
            ),
            Mistake(
                "the values were appended to the cached *keys*: the grown values are torch.cat([past_v, v], "
                "dim=-2) (a copy of the keys' line with k left in?).",
                lambda *a: _kv_wrong(*a, values_from_keys=True),
            ),
            Mistake(
                "the softmax runs over the queries (dim -2): each query's weights over the keys must sum to 1, "
                "softmax over the last axis (attention_weights does it).",
                lambda *a: _kv_wrong(*a, softmax_dim=-2),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch11.load_gpt2_state


def _gpt2_state(seed: int, *, prefix: bool, mask_buffers: bool | str) -> dict[str, torch.Tensor]:
    """A small GPT-2's weights as a Hugging Face file holds them: Conv1D matrices (in, out), lm_head not stored."""
    torch.manual_seed(seed)
    config = GPTConfig(vocab_size=11, context=6, n_layer=2, n_head=2, d_model=8, gelu="tanh")
    model = GPT(config)
    state = {}
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight":
            continue
        if name.endswith(gpt2_weights.CONV1D_WEIGHTS):
            tensor = tensor.t().contiguous()
        state[("transformer." if prefix else "") + name] = tensor.clone()
        if mask_buffers and name.endswith("ln_1.weight"):
            layer = ("transformer." if prefix else "") + name.removesuffix(".ln_1.weight")
            state[layer + ".attn.bias"] = torch.tril(torch.ones(1, 1, 6, 6))
            if mask_buffers == "both":  # files saved by some versions of transformers hold this one too
                state[layer + ".attn.masked_bias"] = torch.tensor(-1e4)
    return state


def _load_cases() -> list[Case]:
    return [
        Case(
            "a 2-layer GPT-2 of width 8 saved by save_pretrained ('transformer.' names)",
            (_gpt2_state(1, prefix=True, mask_buffers=False),),
        ),
        Case(
            "the same layout as OpenAI's upload: no prefix, with h.N.attn.bias mask buffers",
            (_gpt2_state(2, prefix=False, mask_buffers=True),),
        ),
        Case(
            "a file with the prefix and both mask buffers (.attn.bias and .attn.masked_bias)",
            (_gpt2_state(3, prefix=True, mask_buffers="both"),),
        ),
    ]


def _load_compare(got: Any, want: Any) -> str | None:
    if got is None:
        return "it returned None: did you forget the `return` statement?"
    if not isinstance(got, dict):
        return f"expected a dict of name -> tensor, got {describe(got)}"
    missing, unexpected = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if unexpected:
        if any(name.startswith("transformer.") for name in unexpected):
            return f"it has names such as {unexpected[0]!r}: the course's GPT has no 'transformer.' prefix, strip it"
        if any(name.endswith((".attn.bias", ".attn.masked_bias")) for name in unexpected):
            return f"it keeps {unexpected[0]!r}, a causal-mask buffer of older files, not a weight: leave it out"
        return f"it has names the model does not know: {unexpected[:4]}"
    if missing:
        if missing == ["lm_head.weight"]:
            return "lm_head.weight is missing: GPT-2 ties it to wte.weight, so set it to the same tensor"
        if all(name.endswith(".bias") for name in missing):
            return (
                f"the biases are missing ({missing[:3]} and more): did you skip every name ending in 'bias'? Only "
                f"the mask buffers, names ending in '.attn.bias' or '.attn.masked_bias', are left out"
            )
        return f"names the model needs are missing: {missing[:4]}"
    for name in want:
        g, w = got[name], want[name]
        if not isinstance(g, torch.Tensor):
            return f"{name}: expected a tensor, got {describe(g)}"
        if g.shape != w.shape:
            if g.ndim == 2 and tuple(g.shape) == tuple(w.shape[::-1]):
                return f"{name} has shape {tuple(g.shape)}, the transpose of {tuple(w.shape)}"
            return f"{name} has shape {tuple(g.shape)}, expected {tuple(w.shape)}"
        if not torch.equal(g, w):
            if g.ndim == 2 and torch.equal(g, w.t()):
                return f"{name} is the transpose of what nn.Linear needs (it is square, so its shape fits either way)"
            if g.ndim == 2 and torch.equal(g, w.t().reshape(w.shape)):
                return (
                    f"{name} holds the file's numbers in the file's order, reshaped to {tuple(w.shape)}: reshape and "
                    f"view keep the order, a transpose moves each number to its new place. Use .t()"
                )
            return f"{name} has other values than the file's ({same_values(g, w)})"
    return None


register(
    Exercise(
        id="ch11.load_gpt2_state",
        title="GPT-2's names and layouts",
        difficulty=2,
        minutes=15,
        hint=(
            "For each (name, tensor): drop the 'transformer.' prefix (name.removeprefix), skip names ending in "
            "'.attn.bias' or '.attn.masked_bias', transpose (tensor.t()) the four Conv1D matrices (names ending in "
            "attn.c_attn.weight, attn.c_proj.weight, mlp.c_fc.weight, mlp.c_proj.weight) and keep the rest. Last, "
            "state['lm_head.weight'] = state['wte.weight']."
        ),
        reference=gpt2_weights.gpt2_to_course_state,
        cases=_load_cases,
        compare=_load_compare,
        convert_output=False,
        mistakes=[
            Mistake(
                "attn.c_proj.weight is not transposed. It is square (d_model x d_model), so it fits untransposed and "
                "nothing crashes, but GPT-2's Conv1D stores (in, out) and nn.Linear (out, in): transpose all four "
                "Conv1D matrices, the square one too.",
                lambda s: _mapped(s, transpose=("attn.c_attn.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")),
            ),
            Mistake(
                "no matrix is transposed: GPT-2's Conv1D layers store (in, out), nn.Linear (out, in); transpose "
                "attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj's weights with .t().",
                lambda s: _mapped(s, transpose=()),
            ),
            Mistake(
                "only the Conv1D matrices are transposed, not the embeddings: wte and wpe are (rows, d_model) in both "
                "layouts, and biases are vectors. Transpose only the four names ending in c_attn.weight, "
                "c_proj.weight and c_fc.weight.",
                lambda s: _mapped(s, transpose_all=True),
            ),
            Mistake(
                "the 'transformer.' prefix is still there: the course's names start at wte, wpe, h.N, ln_f "
                "(name.removeprefix('transformer.')).",
                lambda s: _mapped(s, strip=False),
            ),
            Mistake(
                "the causal-mask buffers (.attn.bias) of older files are kept: they are not weights (the course's "
                "model builds its own mask), so skip names ending in '.attn.bias' or '.attn.masked_bias'.",
                lambda s: _mapped(s, skip_buffers=False),
            ),
            Mistake(
                "lm_head.weight is missing: the file stores the tied matrix once, as wte.weight; add "
                "state['lm_head.weight'] = state['wte.weight'].",
                lambda s: _mapped(s, tie=False),
            ),
        ],
    )
)


def _mapped(
    gpt2_state: dict[str, torch.Tensor],
    *,
    transpose: tuple[str, ...] = gpt2_weights.CONV1D_WEIGHTS,
    transpose_all: bool = False,
    strip: bool = True,
    skip_buffers: bool = True,
    tie: bool = True,
) -> dict[str, torch.Tensor]:
    """The reference mapping with one step changed, for the mistakes above."""
    state = {}
    for name, tensor in gpt2_state.items():
        short = name.removeprefix("transformer.")
        if skip_buffers and short.endswith(gpt2_weights.MASK_BUFFERS):
            continue
        if (transpose_all and tensor.ndim == 2) or short.endswith(transpose):
            tensor = tensor.t()
        state[short if strip else name] = tensor
    if tie:
        state["lm_head.weight"] = state["wte.weight" if strip else "transformer.wte.weight"]
    return state
