"""Right answers to chapter 09's exercises in other forms: numpy, float64, loops, torch's own functions."""

import math

import numpy as np
import torch


def gelu(x):
    from scipy.special import erf

    return 0.5 * x.numpy() * (1 + erf(x.numpy() / math.sqrt(2)))  # a numpy array, not a tensor


def layer_norm(x, weight, bias, eps=1e-5):
    x64 = x.double()  # float64 throughout
    mean = x64.mean(dim=-1, keepdim=True)
    variance = x64.var(dim=-1, keepdim=True, unbiased=False)
    return (x64 - mean) * torch.rsqrt(variance + eps) * weight.double() + bias.double()


def mlp(x, w_fc, b_fc, w_proj, b_proj):
    return torch.nn.functional.linear(  # torch's own layers, with the weights transposed to (out, in)
        torch.nn.functional.gelu(torch.nn.functional.linear(x, w_fc.T, b_fc)), w_proj.T, b_proj
    ).tolist()  # a nested list


def dropout(x, p, training, generator):
    if not training or p == 0:
        return x.clone()
    draws = torch.rand(x.shape, generator=generator)
    return torch.where(draws < p, torch.zeros_like(x), x / (1 - p))  # torch.where instead of a multiplication


def sinusoidal_encoding(T, d):
    pe = np.zeros((T, d))
    for pos in range(T):  # loops over positions and pairs of columns, into a numpy array
        for i in range(0, d, 2):
            angle = pos / 10000 ** (i / d)
            pe[pos, i] = math.sin(angle)
            if i + 1 < d:
                pe[pos, i + 1] = math.cos(angle)
    return pe


def block_forward(block, x):
    after_attention = torch.add(x, block.attn(block.ln_1(x)))
    return torch.add(after_attention, block.mlp.c_proj(block.mlp.gelu(block.mlp.c_fc(block.ln_2(after_attention)))))


OTHER_FORMS = {
    "ch09.gelu": gelu,
    "ch09.layer_norm": layer_norm,
    "ch09.mlp": mlp,
    "ch09.dropout": dropout,
    "ch09.sinusoidal_encoding": sinusoidal_encoding,
    "ch09.block_forward": block_forward,
}
