"""Right answers to chapter 11's exercises in other forms: integer arithmetic, numpy numbers, loops over positions."""

import math

import numpy as np
import torch


def training_flops(n_params, n_tokens):
    return np.float64(n_params) * np.float64(n_tokens) * (2 + 4)  # a numpy number


def mfu(tokens_per_second, flops_per_token, peaks, precision):
    achieved = np.float64(tokens_per_second) * flops_per_token
    return achieved / peaks[precision]  # a numpy number; a missing precision raises KeyError itself


def cached_attention(q, k, v, past_k=None, past_v=None):
    keys = k if past_k is None else torch.cat([past_k, k], dim=2)  # dim 2 of (B, H, T, d) is dim -2
    values = v if past_v is None else torch.cat([past_v, v], dim=2)
    t_cache = keys.shape[2] - q.shape[2]
    outputs = []
    for i in range(q.shape[2]):  # one new query at a time, looking at keys 0 .. t_cache + i
        seen = t_cache + i + 1
        scores = q[:, :, i : i + 1] @ keys[:, :, :seen].transpose(2, 3) / math.sqrt(q.shape[-1])
        outputs.append(torch.softmax(scores, dim=-1) @ values[:, :, :seen])
    return torch.cat(outputs, dim=2), keys, values


def gpt2_to_course_state(gpt2_state):
    conv1d = {"attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"}
    state = {}
    for name, tensor in gpt2_state.items():
        if name.startswith("transformer."):
            name = name[len("transformer.") :]
        parts = name.split(".")
        if parts[-2:] in (["attn", "bias"], ["attn", "masked_bias"]):
            continue
        state[name] = tensor.T.contiguous() if ".".join(parts[-3:]) in conv1d else tensor  # .T and a copy
    state["lm_head.weight"] = state["wte.weight"].clone()  # equal values: load_state_dict ties them again
    return state


OTHER_FORMS = {
    "ch11.training_flops": training_flops,
    "ch11.mfu": mfu,
    "ch11.kv_cache_attention": cached_attention,
    "ch11.load_gpt2_state": gpt2_to_course_state,
}
