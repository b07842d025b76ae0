"""Plausible wrong answers to chapter 11's exercises, written as a learner would, and what the message must say."""

import math

import torch

# ch11.training_flops


def flops_forward_only(n_params, n_tokens):
    return 2 * n_params * n_tokens  # forgot the backward pass


def flops_backward_only(n_params, n_tokens):
    return 4 * n_params * n_tokens


def flops_n_times_d(n_params, n_tokens):
    return n_params * n_tokens


def flops_multiply_adds(n_params, n_tokens):
    return 3 * n_params * n_tokens  # a multiply-add counted as one operation


def flops_doubled(n_params, n_tokens):
    return 2 * 6 * n_params * n_tokens


def flops_with_recomputation(n_params, n_tokens):
    return (2 + 4 + 2) * n_params * n_tokens


def flops_six_n_plus_d(n_params, n_tokens):
    return 6 * n_params + n_tokens


def flops_as_text(n_params, n_tokens):
    return f"{6 * n_params * n_tokens:.3g}"


def flops_per_token_only(n_params, n_tokens):
    return 6 * n_params  # the operations for one token: D forgotten


def flops_in_teraflops(n_params, n_tokens):
    return 6 * n_params * n_tokens / 1e12  # "in TFLOPs", as a table would print it


def flops_in_gigaflops(n_params, n_tokens):
    return 6 * n_params * n_tokens / 1e9


# ch11.mfu


def mfu_float32_peak(tokens_per_second, flops_per_token, peaks, precision):
    return tokens_per_second * flops_per_token / peaks["float32"]  # the wrong precision's peak


def mfu_best_peak(tokens_per_second, flops_per_token, peaks, precision):
    return tokens_per_second * flops_per_token / max(peaks.values())


def mfu_percent(tokens_per_second, flops_per_token, peaks, precision):
    return 100 * tokens_per_second * flops_per_token / peaks[precision]


def mfu_upside_down(tokens_per_second, flops_per_token, peaks, precision):
    return peaks[precision] / (tokens_per_second * flops_per_token)


def mfu_six_again(tokens_per_second, flops_per_token, peaks, precision):
    return 6 * tokens_per_second * flops_per_token / peaks[precision]


def mfu_without_tokens(tokens_per_second, flops_per_token, peaks, precision):
    return flops_per_token / peaks[precision]


def mfu_get_with_default(tokens_per_second, flops_per_token, peaks, precision):
    peak = peaks.get(precision, peaks["float32"])  # a T4 asked for bf16 silently gets the float32 peak
    return tokens_per_second * flops_per_token / peak


def mfu_attribute(tokens_per_second, flops_per_token, peaks, precision):
    return tokens_per_second * flops_per_token / peaks.precision  # a dict has no attributes: a crash


def mfu_a100_table(tokens_per_second, flops_per_token, peaks, precision):
    from course_utils import flops

    return tokens_per_second * flops_per_token / flops.PEAK_FLOPS["A100"][precision]  # not the device passed in


def mfu_capped(tokens_per_second, flops_per_token, peaks, precision):
    return min(1.0, tokens_per_second * flops_per_token / peaks[precision])  # "an MFU cannot exceed 1"


def mfu_value_error(tokens_per_second, flops_per_token, peaks, precision):
    if precision not in peaks:
        raise ValueError(f"no peak for {precision}")  # the docstring promises KeyError
    return tokens_per_second * flops_per_token / peaks[precision]


# ch11.kv_cache_attention: each differs from the right answer in one step


def _attend(q, k, v, allowed):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    return torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1) @ v


def kv_mask_not_offset(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    allowed = torch.tril(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool))  # query i sees keys up to i only
    return _attend(q, k, v, allowed), k, v


def kv_no_mask(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1) @ v, k, v


def kv_new_before_old(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([k, past_k], dim=-2), torch.cat([v, past_v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=t_cache)
    return _attend(q, k, v, allowed), k, v


def kv_returns_only_new(q, k, v, past_k=None, past_v=None):
    keys, values = k, v
    if past_k is not None:
        keys, values = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = keys.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], keys.shape[-2], dtype=torch.bool).tril(diagonal=t_cache)
    return _attend(q, keys, values, allowed), k, v  # the cache never grows


def kv_unscaled(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=k.shape[-2] - q.shape[-2])
    return torch.softmax((q @ k.transpose(-2, -1)).masked_fill(~allowed, float("-inf")), dim=-1) @ v, k, v


def kv_wrong_axis(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-1), torch.cat([past_v, v], dim=-1)  # the width axis: a crash
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=k.shape[-2] - q.shape[-2])
    return _attend(q, k, v, allowed), k, v


def kv_heads_axis(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=1), torch.cat([past_v, v], dim=1)  # the heads axis: a crash
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=k.shape[-2] - q.shape[-2])
    return _attend(q, k, v, allowed), k, v


def kv_none_not_handled(q, k, v, past_k=None, past_v=None):
    k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)  # fails when nothing is cached yet
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=k.shape[-2] - q.shape[-2])
    return _attend(q, k, v, allowed), k, v


def kv_returns_output_only(q, k, v, past_k=None, past_v=None):
    out, _, _ = kv_mask_not_offset(q, k, v, past_k, past_v)
    return out


def kv_offset_one_short(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=t_cache - 1)  # not itself
    return _attend(q, k, v, allowed), k, v  # a first query with nothing cached sees no key: nan


def kv_offset_one_long(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=t_cache + 1)  # one ahead
    return _attend(q, k, v, allowed), k, v


def kv_mask_inverted(q, k, v, past_k=None, past_v=None):
    from course_utils.attention import attention_scores, attention_weights

    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    blocked = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).triu(diagonal=t_cache + 1)  # True = hidden
    return attention_weights(attention_scores(q, k), blocked) @ v, k, v


def kv_mask_inverted_own_softmax(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    blocked = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).triu(diagonal=t_cache + 1)
    return _attend(q, k, v, blocked), k, v  # the last query's row is all -inf: nan


def kv_values_from_keys(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_k, v], dim=-2)  # copied the line above
    t_cache = k.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=t_cache)
    return _attend(q, k, v, allowed), k, v


def kv_softmax_over_queries(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=t_cache)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-2).nan_to_num(0.0) @ v, k, v


def kv_returned_in_another_order(q, k, v, past_k=None, past_v=None):
    if past_k is not None:
        k, v = torch.cat([past_k, k], dim=-2), torch.cat([past_v, v], dim=-2)
    t_cache = k.shape[-2] - q.shape[-2]
    allowed = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=t_cache)
    return k, v, _attend(q, k, v, allowed)


# ch11.load_gpt2_state

_CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
_MASKS = (".attn.bias", ".attn.masked_bias")  # each answer below makes one mistake; skipping the masks is not it


def load_no_c_proj_transpose(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if name.endswith(_MASKS):
            continue
        if name.endswith(("attn.c_attn.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")):
            tensor = tensor.t()  # attn.c_proj.weight forgotten: square, so it fits
        state[name] = tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_no_transposes(gpt2_state):
    state = {n.removeprefix("transformer."): t for n, t in gpt2_state.items() if not n.endswith(_MASKS)}
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_every_matrix_transposed(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if not name.endswith(_MASKS):
            state[name] = tensor.t() if tensor.ndim == 2 else tensor  # wte and wpe too
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_prefix_kept(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        if not name.endswith(_MASKS):
            state[name] = tensor.t() if name.endswith(_CONV1D) else tensor
    state["lm_head.weight"] = gpt2_state.get("transformer.wte.weight", gpt2_state.get("wte.weight"))
    return state


def load_mask_buffers_kept(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        state[name] = tensor.t() if name.endswith(_CONV1D) else tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_untied(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if not name.endswith(_MASKS):
            state[name] = tensor.t() if name.endswith(_CONV1D) else tensor
    return state  # no lm_head.weight


def load_transposed_in_place(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if name.endswith(_MASKS):
            continue
        if name.endswith(_CONV1D):
            tensor.data = tensor.data.t().contiguous()  # changes the caller's file state
        state[name] = tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_replace_prefix_everywhere(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.replace("transformer.", "").replace(".attn.bias", "")  # renames the buffer to h.N: no weight
        state[name] = tensor.t() if name.endswith(_CONV1D) else tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_skips_every_bias(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if name.endswith("bias"):  # meant for the mask buffers: drops every layer's biases too
            continue
        state[name] = tensor.t() if name.endswith(_CONV1D) else tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_skips_attn_bias_only(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if name.endswith(".attn.bias"):  # .attn.masked_bias kept
            continue
        state[name] = tensor.t() if name.endswith(_CONV1D) else tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


def load_reshaped_not_transposed(gpt2_state):
    state = {}
    for name, tensor in gpt2_state.items():
        name = name.removeprefix("transformer.")
        if name.endswith((".attn.bias", ".attn.masked_bias")):
            continue
        if name.endswith(_CONV1D):
            tensor = tensor.reshape(tensor.shape[1], tensor.shape[0])  # the right shape, the numbers in file order
        state[name] = tensor
    state["lm_head.weight"] = state["wte.weight"]
    return state


WRONG_ANSWERS = {
    "ch11.training_flops": [
        (flops_forward_only, "forget the backward pass"),
        (flops_backward_only, "backward pass only"),
        (flops_n_times_d, "N x D"),
        (flops_multiply_adds, "multiply-add as one operation"),
        (flops_doubled, "twice too much"),
        (flops_with_recomputation, "recomputation"),
        (flops_six_n_plus_d, "expected 3.15e+23"),
        (flops_as_text, "expected"),
        (flops_per_token_only, "number of tokens too"),
        (flops_in_teraflops, "tera-operations"),
        (flops_in_gigaflops, "giga-operations"),
    ],
    "ch11.mfu": [
        (mfu_float32_peak, "float32 peak whatever the precision"),
        (mfu_best_peak, "highest peak"),
        (mfu_percent, "percentage"),
        (mfu_upside_down, "upside down"),
        (mfu_six_again, "do not multiply by 6"),
        (mfu_without_tokens, "how many tokens a second"),
        (mfu_get_with_default, "promises KeyError"),
        (mfu_attribute, "AttributeError"),
        (mfu_a100_table, "the A100's peaks"),
        (mfu_capped, "capped the answer at 1"),
        (mfu_value_error, "promises KeyError"),
    ],
    "ch11.kv_cache_attention": [
        (kv_mask_not_offset, "not offset"),
        (kv_no_mask, "no causal mask"),
        (kv_new_before_old, "wrong way round"),
        (kv_returns_only_new, "did not grow"),
        (kv_unscaled, "not scaled"),
        (kv_wrong_axis, "time axis"),
        (kv_heads_axis, "time axis"),
        (kv_none_not_handled, "past_k is not None"),
        (kv_returns_output_only, "expected a tuple (out, keys, values)"),
        (kv_offset_one_short, "one too small"),
        (kv_offset_one_long, "one too large"),
        (kv_mask_inverted, "True must mark the keys a query may see"),
        (kv_mask_inverted_own_softmax, "has nan in it"),
        (kv_values_from_keys, "appended to the cached *keys*"),
        (kv_softmax_over_queries, "over the queries"),
        (kv_returned_in_another_order, "in that order"),
    ],
    "ch11.load_gpt2_state": [
        (load_no_c_proj_transpose, "attn.c_proj.weight is not transposed"),
        (load_no_transposes, "no matrix is transposed"),
        (load_every_matrix_transposed, "not the embeddings"),
        (load_prefix_kept, "prefix is still there"),
        (load_mask_buffers_kept, "causal-mask buffers"),
        (load_untied, "lm_head.weight is missing"),
        (load_transposed_in_place, "in place"),
        (load_replace_prefix_everywhere, "names the model does not know"),
        (load_skips_every_bias, "skip every name ending in 'bias'"),
        (load_skips_attn_bias_only, "masked_bias"),
        (load_reshaped_not_transposed, "reshape and view keep the order"),
    ],
}
