"""The parts of a transformer block written as plain functions: GELU, layer norm, the MLP, dropout, sinusoidal
position encodings, and the block's forward pass.

Chapter 09 builds them (they are the references of its exercises) and checks each against torch; the tests check
the course's :class:`~course_utils.gpt.GPT` equal to them, so that the modules of ``gpt.py`` (``nn.LayerNorm``,
``nn.GELU``, ``nn.Linear``) and these functions are known to compute the same numbers. Weights here multiply from
the right (``x @ w``, ``w`` of shape (in, out)); an ``nn.Linear`` stores its weight the other way round, (out, in),
so ``linear.weight.T`` is the ``w`` of these functions.
"""

from __future__ import annotations

import math

import torch

from course_utils import validate


def check_vector(value: object, name: str, width: int) -> torch.Tensor:
    """``value`` if it is a float tensor of shape (width,): a layer norm's scale or shift, or a layer's bias."""
    value = validate.float_tensor(value, name)
    if tuple(value.shape) != (width,):
        raise ValueError(
            f"{name} must have shape ({width},), one number per feature of the input's last axis, got shape "
            f"{tuple(value.shape)}."
        )
    return value


def check_matrix(value: object, name: str, rows: int, columns: int | None = None) -> torch.Tensor:
    """``value`` if it is a float matrix (rows, columns) that multiplies vectors of width ``rows`` from the right."""
    value = validate.float_tensor(value, name, ndim=2)
    if value.shape[0] != rows or (columns is not None and value.shape[1] != columns):
        wanted = f"({rows}, {'any' if columns is None else columns})"
        transposed = value.shape[1] == rows
        advice = " Is it transposed? An nn.Linear stores (out, in); use its .weight.T." if transposed else ""
        raise ValueError(
            f"{name} must have shape {wanted} so that x @ {name} works on vectors of {rows} numbers, got shape "
            f"{tuple(value.shape)}.{advice}"
        )
    return value


# --------------------------------------------------------------------------------------------------------------
# The MLP's non-linearity


def gelu(x: torch.Tensor) -> torch.Tensor:
    """The GELU, exact form: ``0.5 * x * (1 + erf(x / sqrt(2)))``, element by element.

    ``x`` is a float tensor of any shape; the result has the same shape. This is x times the probability that a
    standard normal number is below x, what ``torch.nn.GELU()`` computes.
    """
    x = validate.float_tensor(x, "x")
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """The tanh approximation of the GELU that GPT-2 used, ``torch.nn.GELU(approximate="tanh")``:
    ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))``."""
    x = validate.float_tensor(x, "x")
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


# --------------------------------------------------------------------------------------------------------------
# Layer normalisation


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None, eps: float = 1e-5) -> torch.Tensor:
    """Normalise each vector of ``x`` over its last axis, then scale by ``weight`` and shift by ``bias``.

    ``x`` is (..., C); ``weight`` and ``bias`` are (C,) (``bias`` may be None: no shift). For each vector: subtract
    its mean, divide by ``sqrt(variance + eps)`` where the variance is the biased one (the mean of the squared
    differences, dividing by C, not C - 1), then multiply by ``weight`` and add ``bias``. The result has the shape
    of ``x``; what ``torch.nn.LayerNorm(C, eps=eps)`` computes.
    """
    x = validate.float_tensor(x, "x", hint="layer_norm normalises the vectors along x's last axis.")
    if x.ndim == 0:
        raise ValueError("x must have at least one axis (the features to normalise), got a 0-d tensor.")
    weight = check_vector(weight, "weight", x.shape[-1])
    if bias is not None:
        bias = check_vector(bias, "bias", x.shape[-1])
    eps = validate.real_number(eps, "eps", above=0.0, hint="It keeps the division safe: 1e-5 is usual.")
    mean = x.mean(dim=-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)  # biased: divide by C, as torch does
    normalised = (x - mean) / torch.sqrt(variance + eps)  # eps inside the square root
    return normalised * weight + (0.0 if bias is None else bias)


# --------------------------------------------------------------------------------------------------------------
# The MLP


def mlp(
    x: torch.Tensor, w_fc: torch.Tensor, b_fc: torch.Tensor, w_proj: torch.Tensor, b_proj: torch.Tensor
) -> torch.Tensor:
    """The feed-forward part of a block, on each token's vector on its own: up, GELU, down.

    ``x`` is (..., C); ``w_fc`` (C, H) and ``b_fc`` (H,) widen each vector to H numbers (H = 4 C in GPT-2), the exact
    GELU bends them, and ``w_proj`` (H, C) and ``b_proj`` (C,) bring them back to C. The result has the shape of
    ``x``: ``gelu(x @ w_fc + b_fc) @ w_proj + b_proj``.
    """
    x = validate.float_tensor(x, "x")
    if x.ndim == 0:
        raise ValueError("x must be a tensor of vectors (..., C), got a 0-d tensor.")
    w_fc = check_matrix(w_fc, "w_fc", x.shape[-1])
    b_fc = check_vector(b_fc, "b_fc", w_fc.shape[1])
    w_proj = check_matrix(w_proj, "w_proj", w_fc.shape[1], x.shape[-1])
    b_proj = check_vector(b_proj, "b_proj", x.shape[-1])
    for name, weight in (("w_fc", w_fc), ("w_proj", w_proj)):
        if weight.dtype != x.dtype:
            raise TypeError(
                f"x is {x.dtype} but {name} is {weight.dtype}: a matrix product needs one dtype; convert one of "
                f"them, x.to({name}.dtype) or {name}.to(x.dtype)."
            )
    hidden = gelu(x @ w_fc + b_fc)  # (..., H)
    return hidden @ w_proj + b_proj  # (..., C)


# --------------------------------------------------------------------------------------------------------------
# Dropout


def dropout(x: torch.Tensor, p: float, training: bool, generator: torch.Generator) -> torch.Tensor:
    """Inverted dropout: in training, zero each number of ``x`` with probability ``p`` and divide the survivors by
    ``1 - p``; in evaluation (``training`` False) return ``x`` unchanged.

    The random draws come from ``generator`` (a CPU ``torch.Generator``: ``torch.rand(x.shape,
    generator=generator)``), so the same seed zeroes the same numbers. ``p`` is in [0, 1); with ``p = 0`` nothing
    is zeroed. Dividing by ``1 - p`` keeps each number's expected value equal to ``x``, so that evaluation needs
    no rescaling.
    """
    x = validate.float_tensor(x, "x")
    p = validate.real_number(p, "p", minimum=0.0, below=1.0, hint="p is the share of numbers zeroed: 0.1 is usual.")
    if not isinstance(training, bool):
        raise TypeError(f"training must be True or False, got {validate.describe(training)}.")
    generator = validate.generator(generator, "generator")
    if not training:
        return x
    keep = torch.rand(x.shape, generator=generator) >= p  # True with probability 1 - p
    return x * keep.to(x.device) / (1.0 - p)


# --------------------------------------------------------------------------------------------------------------
# Positions


def sinusoidal_encoding(T: int, d: int) -> torch.Tensor:
    """The fixed position encoding of the original transformer: a (T, d) float tensor.

    Row ``pos`` encodes position ``pos``. Its even columns 2i hold ``sin(pos / 10000**(2i / d))`` and its odd
    columns 2i + 1 hold ``cos(pos / 10000**(2i / d))``: sin and cos of the same angle side by side, interleaved.
    Any ``d`` of at least 1 works; an odd ``d`` ends with a sin column.
    """
    T = validate.whole_number(T, "T", minimum=1, hint="T is the number of positions.")
    d = validate.whole_number(d, "d", minimum=1, hint="d is the width of each position's vector.")
    positions = torch.arange(T, dtype=torch.float64)[:, None]  # (T, 1)
    two_i = torch.arange(0, d, 2, dtype=torch.float64)  # 0, 2, 4, ...: the even columns
    angles = positions / 10000.0 ** (two_i / d)  # (T, ceil(d / 2))
    encoding = torch.zeros(T, d, dtype=torch.float64)
    encoding[:, 0::2] = torch.sin(angles)
    encoding[:, 1::2] = torch.cos(angles[:, : d // 2])  # an odd d has one sin column more than cos columns
    return encoding.float()


# --------------------------------------------------------------------------------------------------------------
# The block


def block_forward(block: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The forward pass of a ``course_utils.gpt.Block``, written with its parts (pre-norm, as GPT-2 has it).

    ``x`` is (B, T, C). First attention: ``x + block.attn(block.ln_1(x))``; then the MLP on the result:
    ``x + block.mlp(block.ln_2(x))``. Each part reads a layer-normalised copy of the stream and its output is
    added to the stream itself (the residual connection). The result is (B, T, C).
    """
    from course_utils.gpt import Block  # the block module imports nothing from gpt at load time

    if not isinstance(block, Block):
        raise TypeError(
            f"block must be a course_utils.gpt.Block, got {validate.describe(block)}: take one from a model, "
            f"model.h[0], or build one with Block(GPTConfig(...))."
        )
    x = validate.float_tensor(x, "x", shape=(None, None, block.config.d_model), labels=("batch", "tokens", "d_model"))
    x = x + block.attn(block.ln_1(x))  # tokens exchange information
    x = x + block.mlp(block.ln_2(x))  # each token on its own
    return x
