"""Exercises of chapter 09, the transformer block.

The inputs are chosen so that each common mistake changes the answer by more than rounding:

* GELU on points from -4 to 4, where the tanh form differs from the exact one by up to 5e-4 (the check allows
  1e-6) and ReLU differs everywhere below 0;
* layer norm on vectors of small spread (standard deviation about 0.2) with ``eps = 0.1``, so that epsilon
  inside or outside the square root gives different answers, and on vectors of only five numbers, so that the
  unbiased variance (dividing by 4) differs from the biased one (dividing by 5); with random scale and shift, so
  that a forgotten one shows; and with several rows, so that normalising over the wrong axis shows;
* the MLP with a hidden width four times the input's (a transposed matrix cannot multiply) and random biases;
* dropout by its statistics, never by its draws (see :func:`_check_dropout`);
* the sinusoidal encoding at positions up to 40, where a wrong exponent moves the slow columns a long way, and
  with an odd width;
* the block with random layer-norm scales and shifts and an input of mean 1 and spread 3, so that normalising the
  stream, or adding the normalised copy, is not the same as adding to the stream.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from course_utils import block as parts
from course_utils.checks.ch07 import FAILURE_RATE, binomial_bounds
from course_utils.checks.core import Case, CheckFailed, Exercise, Mistake, call_learner, describe, register
from course_utils.gpt import Block, GPTConfig


def _random(generator: torch.Generator, *shape: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    return torch.randn(*shape, generator=generator) * scale + shift


# --------------------------------------------------------------------------------------------------------------
# ch09.gelu


def _gelu_cases() -> list[Case]:
    g = torch.Generator().manual_seed(90)
    return [
        Case("17 points from -4 to 4", (torch.linspace(-4.0, 4.0, 17),)),
        Case("a (2, 3, 4) tensor of random numbers of spread 2", (_random(g, 2, 3, 4, scale=2.0),)),
        Case("large values [-30, -10, 10, 30]", (torch.tensor([-30.0, -10.0, 10.0, 30.0]),)),
        Case("a float64 tensor [0.5, -1.5]", (torch.tensor([0.5, -1.5], dtype=torch.float64),)),
    ]


register(
    Exercise(
        id="ch09.gelu",
        title="GELU, the exact form",
        difficulty=1,
        minutes=5,
        hint="0.5 * x * (1 + torch.erf(x / math.sqrt(2))): x times the normal distribution's CDF at x.",
        reference=parts.gelu,
        cases=_gelu_cases,
        mistakes=[
            Mistake(
                "that is the tanh form (GPT-2's approximation); the exercise asks for the exact one, "
                "0.5 * x * (1 + torch.erf(x / math.sqrt(2))).",
                parts.gelu_tanh,
            ),
            Mistake(
                "that is ReLU, max(0, x): the GELU is smooth, and slightly negative for negative x "
                "(0.5 * x * (1 + erf(x / sqrt(2))).",
                torch.relu,
            ),
            Mistake(
                "that is x * sigmoid(1.702 x), another approximation; the exercise asks for the exact GELU with "
                "torch.erf.",
                lambda x: x * torch.sigmoid(1.702 * x),
            ),
            Mistake(
                "you left out the factor x: 0.5 * (1 + erf(x / sqrt(2))) is the normal CDF alone; the GELU is x "
                "times it.",
                lambda x: 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0))),
            ),
            Mistake(
                "the erf's argument is x / sqrt(2), not x: erf(x / sqrt(2)) is what turns it into the standard "
                "normal's CDF.",
                lambda x: 0.5 * x * (1.0 + torch.erf(x)),
            ),
            Mistake(
                "the erf's argument is x / sqrt(2), not x / 2.",
                lambda x: 0.5 * x * (1.0 + torch.erf(x / 2.0)),
            ),
            Mistake(
                "the erf's argument is x / sqrt(2): you multiplied by sqrt(2) instead of dividing.",
                lambda x: 0.5 * x * (1.0 + torch.erf(x * math.sqrt(2.0))),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch09.layer_norm


def _layer_norm_cases() -> list[Case]:
    g = torch.Generator().manual_seed(91)

    def weights(C: int) -> tuple[torch.Tensor, torch.Tensor]:
        return _random(g, C, scale=0.5, shift=1.5), _random(g, C, scale=0.5, shift=-0.7)

    return [
        Case(
            "3 vectors of 5 numbers of spread 0.2, random weight and bias, eps = 0.1",
            (_random(g, 3, 5, scale=0.2, shift=0.4), *weights(5), 0.1),
        ),
        Case(
            "a batch (2, 4, 6) of spread 3, eps = 1e-5", (_random(g, 2, 4, 6, scale=3.0, shift=1.0), *weights(6), 1e-5)
        ),
        Case(
            "4 vectors of 3 numbers of spread 0.05, eps = 0.01",
            (_random(g, 4, 3, scale=0.05, shift=-1.0), *weights(3), 0.01),
        ),
        Case("one vector of 8 numbers, eps left at its default", (_random(g, 8, scale=2.0), *weights(8))),
    ]


def _ln(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    eps: float = 1e-5,
    *,
    dim: int = -1,
    unbiased: bool = False,
    eps_outside: bool = False,
    use_eps: bool = True,
    scale: bool = True,
    shift: bool = True,
    center: bool = True,
    by_variance: bool = False,
) -> torch.Tensor:
    mean = x.mean(dim=dim, keepdim=True) if center else torch.zeros_like(x)
    variance = x.var(dim=dim, keepdim=True, unbiased=unbiased) if center else (x**2).mean(dim=dim, keepdim=True)
    eps = eps if use_eps else 0.0
    if by_variance:
        spread = variance + eps
    else:
        spread = variance.sqrt() + eps if eps_outside else (variance + eps).sqrt()
    out = (x - mean) / spread
    return out * (weight if scale else 1.0) + (bias if shift else 0.0)


def _ln_wrong(**how: Any) -> Callable[..., torch.Tensor]:
    return lambda x, weight, bias, eps=1e-5: _ln(x, weight, bias, eps, **how)


register(
    Exercise(
        id="ch09.layer_norm",
        title="Layer normalisation",
        difficulty=2,
        minutes=10,
        hint=(
            "Over the last axis (dim=-1, keepdim=True): mean = x.mean(...), variance = ((x - mean) ** 2).mean(...) "
            "(divide by C, not C - 1), then (x - mean) / torch.sqrt(variance + eps) * weight + bias."
        ),
        reference=parts.layer_norm,
        cases=_layer_norm_cases,
        mistakes=[
            Mistake(
                "you used the unbiased variance (dividing by C - 1, what torch.var does by default); layer norm "
                "divides by C: ((x - mean) ** 2).mean(dim=-1, keepdim=True), or x.var(dim=-1, unbiased=False).",
                _ln_wrong(unbiased=True),
            ),
            Mistake(
                "epsilon is outside the square root: divide by torch.sqrt(variance + eps), not by "
                "torch.sqrt(variance) + eps.",
                _ln_wrong(eps_outside=True),
            ),
            Mistake(
                "you normalised over the wrong axis (the first, dim=0): each vector is normalised over its own "
                "numbers, the last axis, dim=-1.",
                _ln_wrong(dim=0),
            ),
            Mistake(
                "you normalised over the whole tensor (x.mean() with no dim): each vector is normalised over its "
                "own numbers, the last axis: x.mean(dim=-1, keepdim=True).",
                _ln_wrong(dim=None),
            ),
            Mistake("eps was left out: divide by torch.sqrt(variance + eps).", _ln_wrong(use_eps=False)),
            Mistake(
                "the eps argument was not used (a fixed 1e-5 instead?): divide by torch.sqrt(variance + eps) with "
                "the eps passed in.",
                lambda x, weight, bias, eps=1e-5: _ln(x, weight, bias, 1e-5),
            ),
            Mistake("you forgot the scale: multiply the normalised x by weight.", _ln_wrong(scale=False)),
            Mistake("you forgot the shift: add bias after scaling.", _ln_wrong(shift=False)),
            Mistake(
                "neither the scale nor the shift was applied (a fresh nn.LayerNorm(C) has its own weight of ones and "
                "bias of zeros): multiply by the weight passed in and add the bias passed in.",
                _ln_wrong(scale=False, shift=False),
            ),
            Mistake(
                "weight and bias are swapped: multiply by weight, then add bias.",
                lambda x, weight, bias, eps=1e-5: _ln(x, bias, weight, eps),
            ),
            Mistake(
                "you divided by the variance; divide by the standard deviation, torch.sqrt(variance + eps).",
                _ln_wrong(by_variance=True),
            ),
            Mistake(
                "the mean was not subtracted (that is RMS norm, used by later models): subtract each vector's mean "
                "first.",
                _ln_wrong(center=False),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch09.mlp


def _mlp_inputs(g: torch.Generator, shape: tuple[int, ...], hidden: int) -> tuple[torch.Tensor, ...]:
    C = shape[-1]
    return (
        _random(g, *shape, scale=1.5),
        _random(g, C, hidden, scale=1.0 / math.sqrt(C)),
        _random(g, hidden, scale=0.5),
        _random(g, hidden, C, scale=1.0 / math.sqrt(hidden)),
        _random(g, C, scale=0.5),
    )


def _mlp_cases() -> list[Case]:
    g = torch.Generator().manual_seed(92)
    return [
        Case("x (2, 3, 4), w_fc (4, 16), w_proj (16, 4), random biases", _mlp_inputs(g, (2, 3, 4), 16)),
        Case("x (5, 6), w_fc (6, 24), w_proj (24, 6)", _mlp_inputs(g, (5, 6), 24)),
        Case("one vector x (3,), a hidden width of 7", _mlp_inputs(g, (3,), 7)),
    ]


def _mlp_wrong(
    activation: Callable[[torch.Tensor], torch.Tensor] = parts.gelu,
    *,
    bias_after: bool = False,
    fc_bias: bool = True,
    proj_bias: bool = True,
    residual: bool = False,
    gelu_out: bool = False,
) -> Callable[..., torch.Tensor]:
    def wrong(x, w_fc, b_fc, w_proj, b_proj):  # noqa: ANN001, ANN202 - the exercise's signature
        hidden = activation(x @ w_fc) + b_fc if bias_after else activation(x @ w_fc + (b_fc if fc_bias else 0.0))
        out = hidden @ w_proj + (b_proj if proj_bias else 0.0)
        out = parts.gelu(out) if gelu_out else out
        return x + out if residual else out

    return wrong


register(
    Exercise(
        id="ch09.mlp",
        title="The MLP: up, GELU, down",
        difficulty=1,
        minutes=8,
        hint="hidden = gelu(x @ w_fc + b_fc) with your exact gelu; then hidden @ w_proj + b_proj.",
        reference=parts.mlp,
        cases=_mlp_cases,
        mistakes=[
            Mistake(
                "that is ReLU between the layers; the MLP uses the exact GELU (your `gelu`).", _mlp_wrong(torch.relu)
            ),
            Mistake(
                "that is the tanh form of the GELU; the exercise asks for the exact one (your `gelu`).",
                _mlp_wrong(parts.gelu_tanh),
            ),
            Mistake(
                "there is no GELU between the layers: without it two linear maps are just one linear map.",
                _mlp_wrong(lambda h: h),
            ),
            Mistake(
                "the bias b_fc is added after the GELU; add it before: gelu(x @ w_fc + b_fc).",
                _mlp_wrong(bias_after=True),
            ),
            Mistake("the bias b_fc is missing: gelu(x @ w_fc + b_fc).", _mlp_wrong(fc_bias=False)),
            Mistake("the bias b_proj is missing: ... @ w_proj + b_proj.", _mlp_wrong(proj_bias=False)),
            Mistake(
                "you added x to the output: the MLP returns only its own output; the block adds it to the stream "
                "(that is block_forward's job).",
                _mlp_wrong(residual=True),
            ),
            Mistake(
                "there is a GELU after the down-projection too; only the hidden layer is bent.",
                _mlp_wrong(gelu_out=True),
            ),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch09.dropout: compared by its statistics, never by its draws


def _dropout_call(learner_fn: Callable[..., Any], x: torch.Tensor, p: float, training: bool, seed: int, label: str):  # noqa: ANN202
    out = call_learner(learner_fn, Case(label, (x, p, training, torch.Generator().manual_seed(seed))))
    if not isinstance(out, torch.Tensor):
        raise CheckFailed(f"on {label}, it returned {describe(out)}; expected a tensor shaped like x.")
    if out.shape != x.shape:
        raise CheckFailed(f"on {label}, the shape is {tuple(out.shape)}, expected {tuple(x.shape)} (the shape of x).")
    return out


def _check_dropout(learner_fn: Callable[..., Any]) -> None:
    g = torch.Generator().manual_seed(93)
    x_small = _random(g, 4, 5, shift=2.0)
    label = "x (4, 5), p = 0.5, training = False"
    out = _dropout_call(learner_fn, x_small, 0.5, False, 0, label)
    if not torch.allclose(out, x_small, rtol=1e-6, atol=0.0):
        if torch.allclose(out, x_small * 0.5, rtol=1e-6, atol=0.0):
            raise CheckFailed(
                f"on {label}, it returned x * (1 - p): that is the other convention (scale at evaluation). With "
                "inverted dropout the scaling happens in training, and evaluation returns x unchanged."
            )
        raise CheckFailed(
            f"on {label}, the output differs from x: dropout is active in evaluation. When training is False, "
            "return x unchanged."
        )
    # a large input with no zeros of its own: every zero in the output was dropped
    rows, columns, p = 200, 250, 0.3
    x = _random(g, rows, columns).abs() + 0.5
    x[::2] *= -1.0
    label = f"x ({rows}, {columns}) of numbers away from 0, p = {p}, training = True"
    out = _dropout_call(learner_fn, x, p, True, 1, label)
    dropped = out == 0
    if dropped.any() and (dropped == dropped[0]).all():
        raise CheckFailed(
            f"on {label}, the same columns were zeroed in every row: draw one random number for every number of "
            "x, torch.rand(x.shape, generator=generator), not one per column."
        )
    if dropped.any() and (dropped.all(dim=1) | ~dropped.any(dim=1)).all():
        raise CheckFailed(
            f"on {label}, whole rows were zeroed and the others kept: draw one random number for every number of "
            "x, torch.rand(x.shape, generator=generator), not one per row."
        )
    zeroed = int(dropped.sum())
    count = x.numel()
    low, high = binomial_bounds(count, p, FAILURE_RATE)
    if not low <= zeroed <= high:
        swapped = binomial_bounds(count, 1 - p, FAILURE_RATE)
        advice = (
            " It looks as if p were the share kept: p is the share zeroed, so keep a number where "
            "torch.rand(...) >= p (true with probability 1 - p)."
            if swapped[0] <= zeroed <= swapped[1]
            else ""
        )
        raise CheckFailed(
            f"on {label}, {zeroed / count:.1%} of the numbers were zeroed; p = {p} should zero about {p:.0%} (a "
            f"right answer zeroes {low} to {high} of {count}).{advice}"
        )
    survivors = out != 0
    ratio = out[survivors] / x[survivors]
    if not torch.allclose(ratio, torch.full_like(ratio, 1.0 / (1.0 - p)), rtol=1e-5, atol=0.0):
        seen = ratio.median().item()
        if math.isclose(seen, 1.0, rel_tol=1e-5):
            why = "the survivors were not rescaled: divide them by 1 - p, so that the expected output equals x."
        elif math.isclose(seen, 1.0 - p, rel_tol=1e-5):
            why = "the survivors were multiplied by 1 - p; inverted dropout divides them by 1 - p."
        elif math.isclose(seen, 1.0 / p, rel_tol=1e-5):
            why = "the survivors were divided by p; divide by 1 - p, the share kept."
        else:
            why = f"a survivor should be x / (1 - p) = {1 / (1 - p):.4f} times x, but yours are {seen:.4f} times x."
        raise CheckFailed(f"on {label}, {why}")

    label_zero = "x (4, 5), p = 0, training = True"
    out_zero = _dropout_call(learner_fn, x_small, 0.0, True, 0, label_zero)
    if not torch.allclose(out_zero, x_small, rtol=1e-6, atol=0.0):
        raise CheckFailed(
            f"on {label_zero}, the output differs from x: with p = 0 nothing is dropped and 1 / (1 - p) = 1."
        )

    again = _dropout_call(learner_fn, x, p, True, 1, label + ", a second generator seeded the same")
    if not torch.equal(out, again):
        raise CheckFailed(
            "two generators seeded the same zeroed different numbers, so the randomness did not come from "
            "`generator` alone: draw with torch.rand(x.shape, generator=generator)."
        )
    other = _dropout_call(learner_fn, x, p, True, 2, label + ", another seed")
    if torch.equal(out, other):
        raise CheckFailed(
            "generators with different seeds zeroed the same numbers: is a generator made or seeded inside "
            "`dropout`? Draw the random numbers with the `generator` passed in."
        )
    shared = torch.Generator().manual_seed(3)
    one_generator = Case("two calls with one generator", (x_small, 0.5, True, shared))
    first = call_learner(learner_fn, one_generator, copy_inputs=False)
    second = call_learner(learner_fn, one_generator, copy_inputs=False)
    if isinstance(first, torch.Tensor) and torch.equal(first, second):
        raise CheckFailed(
            "two calls with the same generator zeroed the same numbers: a generator seeded inside `dropout` "
            "starts afresh on every call. Use the `generator` passed in, which moves on with every draw."
        )


register(
    Exercise(
        id="ch09.dropout",
        title="Inverted dropout",
        difficulty=2,
        minutes=10,
        hint=(
            "If not training, return x. Else keep = torch.rand(x.shape, generator=generator) >= p (True with "
            "probability 1 - p) and return x * keep / (1 - p)."
        ),
        reference=parts.dropout,
        custom=_check_dropout,
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch09.sinusoidal_encoding


def _encoding_cases() -> list[Case]:
    return [
        Case("T = 41 positions of width d = 8", (41, 8)),
        Case("T = 6, an odd width d = 7", (6, 7)),
        Case("T = 3, d = 2", (3, 2)),
        Case("T = 1, d = 1 (one position, one column)", (1, 1)),
        Case("T = 20, d = 33", (20, 33)),
    ]


def _encoding_wrong(
    *, swapped: bool = False, halves: bool = False, exponent: str = "2i/d", base: float = 10000.0, start: int = 0
) -> Callable[[int, int], torch.Tensor]:
    def wrong(T: int, d: int) -> torch.Tensor:
        positions = torch.arange(start, T + start, dtype=torch.float64)[:, None]
        pairs = torch.arange((d + 1) // 2, dtype=torch.float64)
        first, second = (torch.cos, torch.sin) if swapped else (torch.sin, torch.cos)
        if exponent in ("column/d", "2*column/d"):
            columns = torch.arange(d, dtype=torch.float64)
            column_angles = positions / base ** ((1 if exponent == "column/d" else 2) * columns / d)
            out = torch.where(columns % 2 == 0, first(column_angles), second(column_angles))
            return out.float()
        angles = positions / base ** ({"2i/d": 2 * pairs / d, "i/d": pairs / d, "-2i/d": -2 * pairs / d}[exponent])
        if halves:
            return torch.cat([first(angles), second(angles[:, : d // 2])], dim=1).float()
        out = torch.zeros(T, d, dtype=torch.float64)
        out[:, 0::2], out[:, 1::2] = first(angles), second(angles[:, : d // 2])
        return out.float()

    return wrong


register(
    Exercise(
        id="ch09.sinusoidal_encoding",
        title="Sinusoidal position encoding",
        difficulty=2,
        minutes=12,
        hint=(
            "positions = torch.arange(T)[:, None]; two_i = torch.arange(0, d, 2); angles = positions / 10000 ** "
            "(two_i / d); fill pe[:, 0::2] = sin(angles) and pe[:, 1::2] = cos(angles[:, :d // 2]) (an odd d has "
            "one cos column fewer)."
        ),
        reference=parts.sinusoidal_encoding,
        cases=_encoding_cases,
        mistakes=[
            Mistake(
                "sin and cos are swapped: the even columns (0, 2, ...) hold sin, the odd ones cos.",
                _encoding_wrong(swapped=True),
            ),
            Mistake(
                "the sin and cos columns are two halves side by side ([sin... | cos...]); they are interleaved: "
                "column 2i is sin, column 2i + 1 is cos of the same angle (pe[:, 0::2] and pe[:, 1::2]).",
                _encoding_wrong(halves=True),
            ),
            Mistake(
                "the exponent is i / d; it is 2i / d, where 2i is the even column of the pair (0, 2, 4, ...): "
                "10000 ** (torch.arange(0, d, 2) / d).",
                _encoding_wrong(exponent="i/d"),
            ),
            Mistake(
                "each column used its own index in the exponent (column / d); both columns of a pair share the "
                "angle of the even one, 2i / d, so the cos in column 2i + 1 uses 2i / d too.",
                _encoding_wrong(exponent="column/d"),
            ),
            Mistake(
                "the exponent used 2 * column / d for every column; in the formula 2i is the even column of the "
                "pair itself (0, 2, 4, ...), so both columns of a pair use two_i / d, two_i = torch.arange(0, d, 2).",
                _encoding_wrong(exponent="2*column/d"),
            ),
            Mistake(
                "the positions were multiplied by 10000 ** (2i / d); divide by it: pos / 10000 ** (2i / d), so that "
                "the waves get slower from pair to pair.",
                _encoding_wrong(exponent="-2i/d"),
            ),
            Mistake("positions start at 0: torch.arange(T), not 1 to T.", _encoding_wrong(start=1)),
            Mistake("the base is 10000, not 1000.", _encoding_wrong(base=1000.0)),
        ],
    )
)


# --------------------------------------------------------------------------------------------------------------
# ch09.block_forward


class WholeBlockCalled(RuntimeError):
    """Raised when an answer to ch09.block_forward calls the block's own forward instead of its parts."""


class _PartsOnlyBlock(Block):
    """A Block whose own forward refuses to run: block_forward must be written with the block's parts, and
    ``return block(x)`` would pass a check that compares it with that same forward."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise WholeBlockCalled(
            "block(x) (or block.forward(x)) runs the course's own forward, which this exercise asks you to write: "
            "call the parts instead, block.ln_1, block.attn, block.ln_2 and block.mlp."
        )


def _test_block(seed: int, d_model: int = 8, n_head: int = 2) -> Block:
    # every weight is overwritten below from ``g``; the init's draws from torch's global generator are undone by
    # _block_cases, which restores its state
    config = GPTConfig(vocab_size=2, context=8, n_layer=1, n_head=n_head, d_model=d_model, dropout=0.0)
    block = _PartsOnlyBlock(config)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for norm in (block.ln_1, block.ln_2):  # scales and shifts far from 1 and 0, so that a skipped norm shows
            norm.weight.copy_(_random(g, d_model, scale=0.5, shift=1.2))
            norm.bias.copy_(_random(g, d_model, scale=0.5))
        for linear in (block.attn.c_attn, block.attn.c_proj, block.mlp.c_fc, block.mlp.c_proj):
            linear.weight.copy_(_random(g, *linear.weight.shape, scale=1.0 / math.sqrt(linear.weight.shape[1])))
            linear.bias.copy_(_random(g, *linear.bias.shape, scale=0.3))
    return block.eval()


def _block_cases() -> list[Case]:
    state = torch.random.get_rng_state()
    try:
        g = torch.Generator().manual_seed(94)
        return [
            Case(
                "a block of width 8 with 2 heads, x (2, 5, 8) of mean 1 and spread 3",
                (_test_block(1), _random(g, 2, 5, 8, scale=3.0, shift=1.0)),
            ),  # fmt: skip
            Case(
                "a block of width 12 with 3 heads, x (1, 7, 12)",
                (_test_block(2, 12, 3), _random(g, 1, 7, 12, scale=2.0, shift=-0.5)),
            ),  # fmt: skip
            Case("a block of width 8, one token x (3, 1, 8)", (_test_block(3), _random(g, 3, 1, 8, scale=2.0))),
        ]
    finally:
        torch.random.set_rng_state(state)


def _block_wrong(how: str) -> Callable[[Block, torch.Tensor], torch.Tensor]:
    def wrong(block: Block, x: torch.Tensor) -> torch.Tensor:
        attn, mlp, ln_1, ln_2 = block.attn, block.mlp, block.ln_1, block.ln_2
        if how == "post-norm":
            x = ln_1(x + attn(x))
            return ln_2(x + mlp(x))
        if how == "no residual":
            return mlp(ln_2(attn(ln_1(x))))
        if how == "no attention residual":
            x = attn(ln_1(x))
            return x + mlp(ln_2(x))
        if how == "no mlp residual":
            x = x + attn(ln_1(x))
            return mlp(ln_2(x))
        if how == "normalised added":
            h = ln_1(x)
            x = h + attn(h)
            h = ln_2(x)
            return h + mlp(h)
        if how == "one norm":
            x = x + attn(ln_1(x))
            return x + mlp(ln_1(x))
        if how == "mlp first":
            x = x + mlp(ln_2(x))
            return x + attn(ln_1(x))
        if how == "parallel":
            return x + attn(ln_1(x)) + mlp(ln_2(x))
        if how == "swapped norms":
            x = x + attn(ln_2(x))
            return x + mlp(ln_1(x))
        if how == "norm after part":
            x = x + ln_1(attn(x))
            return x + ln_2(mlp(x))
        if how == "no norms":
            x = x + attn(x)
            return x + mlp(x)
        raise AssertionError(how)

    return wrong


register(
    Exercise(
        id="ch09.block_forward",
        title="The block's forward pass",
        difficulty=2,
        minutes=8,
        hint="x = x + block.attn(block.ln_1(x)); then x = x + block.mlp(block.ln_2(x)); return x.",
        reference=parts.block_forward,
        cases=_block_cases,
        mistakes=[
            Mistake(
                "that is post-norm (the original transformer: norm after adding). GPT-2 is pre-norm: each part reads "
                "a normalised copy, x + block.attn(block.ln_1(x)), and the stream itself is never normalised.",
                _block_wrong("post-norm"),
            ),
            Mistake(
                "there is no residual connection: each part's output is added to x (x = x + ...), not put in its "
                "place.",
                _block_wrong("no residual"),
            ),
            Mistake(
                "attention's output replaced x instead of being added to it: x = x + block.attn(block.ln_1(x)).",
                _block_wrong("no attention residual"),
            ),
            Mistake(
                "the MLP's output replaced x instead of being added to it: x = x + block.mlp(block.ln_2(x)).",
                _block_wrong("no mlp residual"),
            ),
            Mistake(
                "you added the normalised x (h = ln_1(x); x = h + attn(h)); add to x itself: "
                "x = x + block.attn(block.ln_1(x)). The normalised copy is only what the part reads.",
                _block_wrong("normalised added"),
            ),
            Mistake(
                "the MLP read block.ln_1; each part has its own layer norm: the MLP reads block.ln_2(x).",
                _block_wrong("one norm"),
            ),
            Mistake(
                "the layer norms are swapped: attention reads block.ln_1(x), the MLP reads block.ln_2(x).",
                _block_wrong("swapped norms"),
            ),
            Mistake(
                "the layer norm came after the part (x + ln(part(x))); in GPT-2 it comes before, so that the part "
                "reads a normalised copy: x + block.attn(block.ln_1(x)).",
                _block_wrong("norm after part"),
            ),
            Mistake("the MLP came first; attention comes first, then the MLP.", _block_wrong("mlp first")),
            Mistake(
                "attention and the MLP both read the input x (side by side); the MLP reads the stream after "
                "attention's output was added.",
                _block_wrong("parallel"),
            ),
            Mistake(
                "the layer norms are missing: each part reads block.ln_1(x) or block.ln_2(x), not x.",
                _block_wrong("no norms"),
            ),
        ],
    )
)
