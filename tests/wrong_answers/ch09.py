"""Plausible wrong answers to chapter 09's exercises, written as a learner would, and what the message must say."""

import math

import torch

# ch09.gelu


def gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))  # GPT-2's form


def gelu_relu(x):
    return torch.relu(x)


def gelu_sigmoid(x):
    return x * torch.sigmoid(1.702 * x)


def gelu_no_x(x):
    return 0.5 * (1 + torch.erf(x / math.sqrt(2)))  # the normal CDF alone


def gelu_erf_of_x(x):
    return 0.5 * x * (1 + torch.erf(x))


def gelu_math_erf(x):
    return 0.5 * x * (1 + math.erf(x / math.sqrt(2)))  # math.erf takes one number, not a tensor


def gelu_in_place(x):
    x *= 0.5 * (1 + torch.erf(x / math.sqrt(2)))  # changes the caller's tensor
    return x


def gelu_over_two(x):
    return 0.5 * x * (1 + torch.erf(x / 2))


def gelu_times_sqrt2(x):
    return 0.5 * x * (1 + torch.erf(x * math.sqrt(2)))


# ch09.layer_norm


def ln_unbiased(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(x.var(dim=-1, keepdim=True) + eps) * weight + bias  # torch.var divides by C - 1


def ln_eps_outside(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    std = ((x - mean) ** 2).mean(dim=-1, keepdim=True).sqrt()
    return (x - mean) / (std + eps) * weight + bias


def ln_wrong_axis(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=0, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=0, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps) * weight + bias


def ln_no_scale(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps) + bias


def ln_no_shift(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps) * weight


def ln_no_eps(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    return (x - mean) / x.std(dim=-1, keepdim=True, unbiased=False) * weight + bias


def ln_by_variance(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    return (x - mean) / (((x - mean) ** 2).mean(dim=-1, keepdim=True) + eps) * weight + bias


def ln_rms(x, weight, bias, eps=1e-5):
    return x / torch.sqrt((x**2).mean(dim=-1, keepdim=True) + eps) * weight + bias


def ln_no_keepdim(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1)  # (3,) against x (3, 5): the subtraction cannot broadcast
    variance = ((x - mean) ** 2).mean(dim=-1)
    return (x - mean) / torch.sqrt(variance + eps) * weight + bias


def ln_swapped(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps) * bias + weight


def ln_fixed_eps(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + 1e-5) * weight + bias  # the eps argument ignored


def ln_whole_tensor(x, weight, bias, eps=1e-5):
    mean = x.mean()  # no dim: the mean of every number in x
    variance = ((x - mean) ** 2).mean()
    return (x - mean) / torch.sqrt(variance + eps) * weight + bias


def ln_fresh_module(x, weight, bias, eps=1e-5):
    return torch.nn.LayerNorm(x.shape[-1], eps=eps)(x)  # its own weight and bias, not the ones passed in


# ch09.mlp


def mlp_relu(x, w_fc, b_fc, w_proj, b_proj):
    return torch.relu(x @ w_fc + b_fc) @ w_proj + b_proj


def mlp_tanh_gelu(x, w_fc, b_fc, w_proj, b_proj):
    return torch.nn.functional.gelu(x @ w_fc + b_fc, approximate="tanh") @ w_proj + b_proj


def mlp_no_activation(x, w_fc, b_fc, w_proj, b_proj):
    return (x @ w_fc + b_fc) @ w_proj + b_proj


def mlp_bias_after_gelu(x, w_fc, b_fc, w_proj, b_proj):
    return (torch.nn.functional.gelu(x @ w_fc) + b_fc) @ w_proj + b_proj


def mlp_no_fc_bias(x, w_fc, b_fc, w_proj, b_proj):
    return torch.nn.functional.gelu(x @ w_fc) @ w_proj + b_proj


def mlp_no_proj_bias(x, w_fc, b_fc, w_proj, b_proj):
    return torch.nn.functional.gelu(x @ w_fc + b_fc) @ w_proj


def mlp_adds_x(x, w_fc, b_fc, w_proj, b_proj):
    return x + torch.nn.functional.gelu(x @ w_fc + b_fc) @ w_proj + b_proj


def mlp_gelu_twice(x, w_fc, b_fc, w_proj, b_proj):
    return torch.nn.functional.gelu(torch.nn.functional.gelu(x @ w_fc + b_fc) @ w_proj + b_proj)


def mlp_linear_layout(x, w_fc, b_fc, w_proj, b_proj):
    return torch.nn.functional.gelu(x @ w_fc.T + b_fc) @ w_proj.T + b_proj  # nn.Linear's (out, in): a crash


# ch09.dropout


def dropout_no_rescale(x, p, training, generator):
    if not training:
        return x
    return x * (torch.rand(x.shape, generator=generator) >= p)


def dropout_in_eval_too(x, p, training, generator):
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)  # training ignored


def dropout_seed_form(x, p, training, generator):
    if not training:
        return x * (1 - p)  # the seed's convention: scale at evaluation
    return x * (torch.rand(x.shape, generator=generator) >= p)


def dropout_keep_p(x, p, training, generator):
    if not training:
        return x
    return x * (torch.rand(x.shape, generator=generator) < p) / (1 - p)  # keeps a share p


def dropout_global_rng(x, p, training, generator):
    if not training:
        return x
    return x * (torch.rand(x.shape) >= p) / (1 - p)


def dropout_times_1_minus_p(x, p, training, generator):
    if not training:
        return x
    return x * (torch.rand(x.shape, generator=generator) >= p) * (1 - p)


def dropout_divide_by_p(x, p, training, generator):
    if not training:
        return x
    return x * (torch.rand(x.shape, generator=generator) >= p) / p  # p = 0 divides by zero


def dropout_seeded_inside(x, p, training, generator):
    if not training:
        return x
    generator = torch.Generator().manual_seed(0)
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)


def dropout_one_mask_per_row(x, p, training, generator):
    if not training:
        return x
    keep = torch.rand(x.shape[-1], generator=generator) >= p  # the same columns dropped in every row
    return x * keep / (1 - p)


def dropout_in_place(x, p, training, generator):
    if training:
        x *= (torch.rand(x.shape, generator=generator) >= p) / (1 - p)
    return x


def dropout_whole_rows(x, p, training, generator):
    if not training:
        return x
    keep = torch.rand(x.shape[0], 1, generator=generator) >= p  # whole rows dropped
    return x * keep / (1 - p)


def dropout_torch_functional(x, p, training, generator):
    return torch.nn.functional.dropout(x, p, training)  # torch's global generator, not the one passed in


# ch09.sinusoidal_encoding


def _pe(T, d, *, first=torch.sin, second=torch.cos, exponent=lambda two_i, d: two_i / d, interleave=True, start=0):
    positions = torch.arange(start, T + start)[:, None].float()
    two_i = torch.arange(0, d, 2).float()
    angles = positions / 10000 ** exponent(two_i, d)
    if not interleave:
        return torch.cat([first(angles), second(angles[:, : d // 2])], dim=1)
    pe = torch.zeros(T, d)
    pe[:, 0::2] = first(angles)
    pe[:, 1::2] = second(angles[:, : d // 2])
    return pe


def pe_swapped(T, d):
    return _pe(T, d, first=torch.cos, second=torch.sin)


def pe_halves(T, d):
    return _pe(T, d, interleave=False)


def pe_i_over_d(T, d):
    return _pe(T, d, exponent=lambda two_i, d: (two_i / 2) / d)


def pe_column_over_d(T, d):
    pe = torch.zeros(T, d)
    for pos in range(T):
        for column in range(d):
            angle = pos / 10000 ** (column / d)  # the seed's i / d with i the column itself
            pe[pos, column] = math.sin(angle) if column % 2 == 0 else math.cos(angle)
    return pe


def pe_from_one(T, d):
    return _pe(T, d, start=1)


def pe_transposed(T, d):
    return _pe(T, d).T


def pe_even_d_only(T, d):
    positions = torch.arange(T)[:, None].float()
    angles = positions / 10000 ** (torch.arange(0, d, 2).float() / d)
    pe = torch.zeros(T, d)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles)  # one column too many when d is odd: a crash
    return pe


def pe_base_1000(T, d):
    positions = torch.arange(T)[:, None].float()
    angles = positions / 1000 ** (torch.arange(0, d, 2).float() / d)
    pe = torch.zeros(T, d)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles[:, : d // 2])
    return pe


def pe_integer_division(T, d):
    positions = torch.arange(T)[:, None]
    angles = positions / 10000 ** (torch.arange(0, d, 2) // d)  # integer division: every exponent 0
    pe = torch.zeros(T, d)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles[:, : d // 2])
    return pe


def pe_two_times_column(T, d):
    pe = torch.zeros(T, d)
    for pos in range(T):
        for i in range(d):
            angle = pos / 10000 ** (2 * i / d)  # 2i with i the column, not the pair's even column
            pe[pos, i] = math.sin(angle) if i % 2 == 0 else math.cos(angle)
    return pe


def pe_multiplied(T, d):
    positions = torch.arange(T)[:, None].float()
    angles = positions * 10000 ** (torch.arange(0, d, 2).float() / d)
    pe = torch.zeros(T, d)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles[:, : d // 2])
    return pe


# ch09.block_forward


def block_post_norm(block, x):
    x = block.ln_1(x + block.attn(x))
    return block.ln_2(x + block.mlp(x))


def block_no_residual(block, x):
    x = block.attn(block.ln_1(x))
    return block.mlp(block.ln_2(x))


def block_adds_normalised(block, x):
    x = block.ln_1(x)
    x = x + block.attn(x)
    x = block.ln_2(x)
    return x + block.mlp(x)


def block_no_mlp_residual(block, x):
    x = x + block.attn(block.ln_1(x))
    return block.mlp(block.ln_2(x))


def block_one_norm(block, x):
    x = x + block.attn(block.ln_1(x))
    return x + block.mlp(block.ln_1(x))


def block_mlp_first(block, x):
    x = x + block.mlp(block.ln_2(x))
    return x + block.attn(block.ln_1(x))


def block_parallel(block, x):
    return x + block.attn(block.ln_1(x)) + block.mlp(block.ln_2(x))


def block_no_norms(block, x):
    x = x + block.attn(x)
    return x + block.mlp(x)


def block_calls_itself(block, x):
    return block(x) + x  # the block's own forward already adds the residuals


def block_in_place(block, x):
    x += block.attn(block.ln_1(x))  # changes the caller's x
    x += block.mlp(block.ln_2(x))
    return x


def block_forgets_return(block, x):
    x = x + block.attn(block.ln_1(x))
    x = x + block.mlp(block.ln_2(x))


def block_own_forward(block, x):
    return block(x)  # the course's forward, not one written with the parts


def block_swapped_norms(block, x):
    x = x + block.attn(block.ln_2(x))
    return x + block.mlp(block.ln_1(x))


def block_norm_after_part(block, x):
    x = x + block.ln_1(block.attn(x))
    return x + block.ln_2(block.mlp(x))


WRONG_ANSWERS = {
    "ch09.gelu": [
        (gelu_tanh, "tanh form"),
        (gelu_relu, "ReLU"),
        (gelu_sigmoid, "sigmoid"),
        (gelu_no_x, "factor x"),
        (gelu_erf_of_x, "x / sqrt(2), not x:"),
        (gelu_math_erf, "torch.erf"),
        (gelu_in_place, "in place"),
        (gelu_over_two, "not x / 2"),
        (gelu_times_sqrt2, "multiplied by sqrt(2)"),
    ],
    "ch09.layer_norm": [
        (ln_unbiased, "unbiased variance"),
        (ln_eps_outside, "outside the square root"),
        (ln_wrong_axis, "wrong axis"),
        (ln_no_scale, "forgot the scale"),
        (ln_no_shift, "forgot the shift"),
        (ln_no_eps, "eps was left out"),
        (ln_by_variance, "divided by the variance"),
        (ln_rms, "RMS norm"),
        (ln_no_keepdim, "raised RuntimeError"),
        (ln_swapped, "swapped"),
        (ln_fixed_eps, "eps argument was not used"),
        (ln_whole_tensor, "whole tensor"),
        (ln_fresh_module, "neither the scale nor the shift"),
    ],
    "ch09.mlp": [
        (mlp_relu, "ReLU"),
        (mlp_tanh_gelu, "tanh form"),
        (mlp_no_activation, "no GELU"),
        (mlp_bias_after_gelu, "after the GELU"),
        (mlp_no_fc_bias, "b_fc is missing"),
        (mlp_no_proj_bias, "b_proj is missing"),
        (mlp_adds_x, "block adds it"),
        (mlp_gelu_twice, "down-projection too"),
        (mlp_linear_layout, "raised RuntimeError"),
    ],
    "ch09.dropout": [
        (dropout_no_rescale, "not rescaled"),
        (dropout_in_eval_too, "active in evaluation"),
        (dropout_seed_form, "other convention"),
        (dropout_keep_p, "share kept"),
        (dropout_global_rng, "generator"),
        (dropout_times_1_minus_p, "multiplied by 1 - p"),
        (dropout_divide_by_p, "divided by p"),
        (dropout_seeded_inside, "seeded inside"),
        (dropout_one_mask_per_row, "every row"),
        (dropout_in_place, "in place"),
        (dropout_whole_rows, "not one per row"),
        (dropout_torch_functional, "did not come from `generator`"),
    ],
    "ch09.sinusoidal_encoding": [
        (pe_swapped, "swapped"),
        (pe_halves, "interleaved"),
        (pe_i_over_d, "exponent is i / d"),
        (pe_column_over_d, "own index"),
        (pe_from_one, "start at 0"),
        (pe_transposed, "the shape is (8, 41)"),
        (pe_even_d_only, "raised RuntimeError"),
        (pe_base_1000, "not 1000"),
        (pe_integer_division, "differ"),
        (pe_two_times_column, "2 * column / d"),
        (pe_multiplied, "differ"),
    ],
    "ch09.block_forward": [
        (block_post_norm, "post-norm"),
        (block_no_residual, "no residual connection"),
        (block_adds_normalised, "added the normalised x"),
        (block_no_mlp_residual, "MLP's output replaced x"),
        (block_one_norm, "own layer norm"),
        (block_mlp_first, "attention comes first"),
        (block_parallel, "side by side"),
        (block_no_norms, "layer norms are missing"),
        (block_calls_itself, "runs the course's own forward"),
        (block_own_forward, "call the parts instead"),
        (block_swapped_norms, "layer norms are swapped"),
        (block_norm_after_part, "came after the part"),
        (block_in_place, "in place"),
        (block_forgets_return, "None"),
    ],
}
