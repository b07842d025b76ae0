"""What training and running a GPT costs: floating-point operations, time, money, memory and how well a device is used.

Chapter 11 computes these for GPT-3 and for the course's own models:

* :func:`training_flops`: about ``6 N D`` operations to train ``N`` weights on ``D`` tokens (2 for the forward
  pass, 4 for the backward pass, per weight and token);
* :func:`flops_per_token`: the same per token for a given shape, with the attention term ``12 L T C`` that
  ``6 N`` leaves out (the scores and the weighted sum of values have no weights of their own);
* :func:`gpu_years` and :func:`training_cost`: operations turned into time and money at a stated sustained
  throughput and price;
* :func:`bytes_per_parameter`, :func:`activation_bytes` and :func:`training_memory_bytes`: what training needs
  to hold, per weight and for the activations;
* :data:`PEAK_FLOPS`, :func:`peak_flops`, :func:`cpu_peak_flops` and :func:`mfu`: a device's peak by name and
  precision (``None``, shown as "unknown", for a device not in the table), and the share of it a run achieves
  (model FLOPs utilisation, MFU).

The accounting follows Kaplan et al. (2020), *Scaling Laws for Neural Language Models* (section 2.1), and
Chowdhery et al. (2022), *PaLM*, appendix B (MFU).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course_utils import validate

SECONDS_PER_YEAR = 365 * 24 * 3600
"""A year of 365 days, the unit of "GPU-years"."""

MAX_DEVICE_FLOPS = 1e17
"""More operations per second than any single device sustains (100 times an H200's bfloat16 peak): a rate above
it is refused by :func:`gpu_years`, where it most likely means the arguments were swapped."""

VARIANT_WORDS = ("Ultra", "NVL")
"""Words in a device's name that mean another chip than the table's key it contains: an "Apple M2 Ultra" is two
M2 Max, not an M2; an "H100 NVL" is not the SXM H100. A name with one the key lacks is unknown."""

PRECISIONS = ("float32", "tf32", "bfloat16", "float16")
"""The precisions the peak table knows: plain float32, TF32 tensor-core matmuls (float32 in and out, 10-bit
mantissa inside), and the two 16-bit formats."""

PEAK_FLOPS: dict[str, dict[str, float]] = {
    # dense peaks (without the 2:4 sparsity that datasheets also quote, which a GPT does not use), in FLOP/s
    "A100": {"float32": 19.5e12, "tf32": 156e12, "bfloat16": 312e12, "float16": 312e12},
    "H100 PCIe": {"float32": 51e12, "tf32": 378e12, "bfloat16": 756e12, "float16": 756e12},
    "H100": {"float32": 67e12, "tf32": 494.7e12, "bfloat16": 989.4e12, "float16": 989.4e12},  # SXM
    "H200": {"float32": 67e12, "tf32": 494.7e12, "bfloat16": 989.4e12, "float16": 989.4e12},  # SXM
    "L4": {"float32": 30.3e12, "tf32": 60e12, "bfloat16": 121e12, "float16": 121e12},
    "A10G": {"float32": 31.2e12, "tf32": 62.5e12, "bfloat16": 125e12, "float16": 125e12},  # the A10's datasheet
    "T4": {"float32": 8.1e12, "float16": 65e12},  # Turing: no bf16 and no TF32
    "V100": {"float32": 15.7e12, "float16": 125e12},  # SXM2; Volta: no bf16 and no TF32
    # Apple's GPUs: float32 peaks (float16 runs at the same rate on M1 and M2); MPS has no TF32
    "Apple M1 Max": {"float32": 10.4e12, "float16": 10.4e12},
    "Apple M1 Pro": {"float32": 5.2e12, "float16": 5.2e12},
    "Apple M1": {"float32": 2.6e12, "float16": 2.6e12},
    "Apple M2 Max": {"float32": 13.6e12, "float16": 13.6e12},
    "Apple M2 Pro": {"float32": 6.8e12, "float16": 6.8e12},
    "Apple M2": {"float32": 3.6e12, "float16": 3.6e12},
}
"""Peak FLOP/s by device name and precision, from the makers' datasheets (dense, no sparsity). A name matches
the longest key it contains ("NVIDIA H100 PCIe" is "H100 PCIe", "NVIDIA H100 80GB HBM3" is "H100"). The A10G,
the A10's cloud variant, is given the A10's datasheet figures."""


def _positive(value: object, name: str) -> float:
    return validate.real_number(value, name, above=0.0)


# --------------------------------------------------------------------------------------------------------------
# Operations, time and money


def training_flops(n_params: float, n_tokens: float) -> float:
    """The floating-point operations to train a model of ``n_params`` weights on ``n_tokens`` tokens: 6 N D.

    Each weight takes part in one multiply and one add per token in the forward pass (2 operations), and
    twice that in the backward pass (the gradient with respect to the input and to the weight: 4 more), so
    training costs about 6 operations per weight per token. Returns a float (the numbers outgrow any int type
    a GPU has).
    """
    n_params = validate.real_number(n_params, "n_params", above=0.0)
    n_tokens = validate.real_number(n_tokens, "n_tokens", above=0.0)
    forward = 2 * n_params * n_tokens  # a multiply and an add per weight per token
    backward = 2 * forward  # gradients for the inputs and for the weights
    return forward + backward


def flops_per_token(n_params: int, n_layer: int, context: int, d_model: int) -> float:
    """Training operations per token for a GPT of this shape: ``6 N + 12 L T C``.

    ``6 N`` counts every weight (pass ``model.num_params(include_position=False)``: a position embedding is
    looked up, not multiplied). Attention's scores ``q @ k^T`` and weighted sum ``weights @ v`` have no weights
    of their own: each costs ``2 T C`` operations per token and layer forward, so ``4 T C`` forward and
    ``12 T C`` with the backward pass, for ``L`` layers and a context of ``T`` (every query against the full
    context, as nanoGPT's ``estimate_mfu`` counts it; a causal mask would halve it).
    """
    n_params = _positive(n_params, "n_params")
    n_layer = validate.whole_number(n_layer, "n_layer", minimum=1)
    context = validate.whole_number(context, "context", minimum=1)
    d_model = validate.whole_number(d_model, "d_model", minimum=1)
    return 6 * n_params + 12 * n_layer * context * d_model


def gpu_years(flops: float, sustained_flops_per_second: float) -> float:
    """How many years one device takes to do ``flops`` operations at ``sustained_flops_per_second``."""
    flops = _positive(flops, "flops")
    rate = validate.real_number(
        sustained_flops_per_second, "sustained_flops_per_second", above=0.0, hint="Operations per second: 28e12."
    )
    if rate > MAX_DEVICE_FLOPS:
        raise ValueError(
            f"sustained_flops_per_second is {rate:.3g}: no single device comes near that (an H200 peaks at 1e15 in "
            f"bfloat16). Did you pass the arguments the other way round? gpu_years(flops, sustained_flops_per_second)."
        )
    return flops / rate / SECONDS_PER_YEAR


def training_cost(flops: float, sustained_flops_per_second: float, dollars_per_gpu_hour: float) -> float:
    """The price in dollars of ``flops`` operations on devices that sustain ``sustained_flops_per_second`` each
    and cost ``dollars_per_gpu_hour`` each (the total does not depend on how many run side by side)."""
    price = validate.real_number(dollars_per_gpu_hour, "dollars_per_gpu_hour", minimum=0.0)
    hours = gpu_years(flops, sustained_flops_per_second) * SECONDS_PER_YEAR / 3600
    return hours * price


# --------------------------------------------------------------------------------------------------------------
# Memory


def bytes_per_parameter(precision: str = "bfloat16") -> dict[str, int]:
    """What training with AdamW keeps per weight, in bytes, by part.

    ``float32``: the weight, its gradient, and Adam's two moments, 4 bytes each. ``bfloat16`` or ``float16``
    (mixed precision as in Rajbhandari et al. 2020, *ZeRO*): the weight and its gradient in 16 bits (2 bytes
    each), plus a float32 master copy of the weight that the optimizer updates, and the two float32 moments.
    Both add up to 16 bytes per weight. (torch's autocast keeps the weights in float32 and casts them for each
    matrix product: the same 16 bytes, split differently.)
    """
    precision = _precision(precision)
    if precision in ("float32", "tf32"):
        return {"weights": 4, "gradients": 4, "adam_first_moment": 4, "adam_second_moment": 4}
    return {"weights": 2, "gradients": 2, "float32_master_weights": 4, "adam_first_moment": 4, "adam_second_moment": 4}


def activation_bytes(n_layer: int, context: int, d_model: int, n_head: int, batch_size: int) -> float:
    """Bytes of activations a training step keeps for the backward pass, in 16-bit precision, no recomputation.

    Per layer and token, ``34 C + 5 H T`` bytes (Korthikanti et al. 2022, *Reducing Activation Recomputation in
    Large Transformer Models*, section 4.1): the inputs of every matrix product, layer norm, GELU and dropout
    mask, and the ``H`` attention tables of ``T`` scores. Times ``L`` layers and ``batch_size * context`` tokens.
    """
    n_layer = validate.whole_number(n_layer, "n_layer", minimum=1)
    context = validate.whole_number(context, "context", minimum=1)
    d_model = validate.whole_number(d_model, "d_model", minimum=1)
    n_head = validate.whole_number(n_head, "n_head", minimum=1)
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    return float(n_layer * batch_size * context * (34 * d_model + 5 * n_head * context))


def training_memory_bytes(
    n_params: int, n_layer: int, context: int, d_model: int, n_head: int, batch_size: int, precision: str = "bfloat16"
) -> dict[str, float]:
    """The memory a training step needs: ``{"weights_and_optimizer": ..., "activations": ..., "total": ...}``."""
    n_params = _positive(n_params, "n_params")
    states = n_params * sum(bytes_per_parameter(precision).values())
    activations = activation_bytes(n_layer, context, d_model, n_head, batch_size)
    if _precision(precision) in ("float32", "tf32"):
        activations *= 2  # 4-byte activations instead of 2
    return {"weights_and_optimizer": states, "activations": activations, "total": states + activations}


# --------------------------------------------------------------------------------------------------------------
# Peaks and MFU


def _precision(precision: object) -> str:
    aliases = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16", "half": "float16", "float": "float32"}
    if not isinstance(precision, str):
        raise TypeError(f"precision must be one of {', '.join(PRECISIONS)}, got {validate.describe(precision)}.")
    name = aliases.get(precision.strip().lower(), precision.strip().lower())
    if name not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)} (or fp32, bf16, fp16), got {precision!r}.")
    return name


def device_key(device_name: str) -> str | None:
    """The key of :data:`PEAK_FLOPS` that ``device_name`` names (the longest one it contains), or None."""
    name = validate.text(device_name, "device_name", hint="Such as torch.cuda.get_device_name(0).")
    matches = [key for key in PEAK_FLOPS if re.search(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![0-9])", name)]
    if not matches:
        return None
    key = max(matches, key=len)
    if any(re.search(rf"\b{word}\b", name) and word not in key for word in VARIANT_WORDS):
        return None  # a variant the table does not know: "unknown", not the base chip's figures
    return key


def peak_flops(device_name: str, precision: str) -> float | None:
    """The peak FLOP/s of ``device_name`` in ``precision`` from :data:`PEAK_FLOPS`; None where it is unknown.

    None (shown as "unknown") for a device not in the table, and for a precision the device has no fast path
    for (bf16 on a T4): an MFU against a guessed peak would be a wrong number that looks right. For a CPU, use
    :func:`cpu_peak_flops`.
    """
    precision = _precision(precision)
    key = device_key(device_name)
    return None if key is None else PEAK_FLOPS[key].get(precision)


@dataclass(frozen=True)
class CPUPeak:
    """An estimate of a CPU's float32 peak: ``cores * ghz * flops_per_cycle``, with the assumptions it rests on."""

    cores: int
    ghz: float
    flops_per_cycle: int
    flops: float
    assumptions: str


def cpu_peak_flops(cores: int | None = None, ghz: float | None = None, flops_per_cycle: int | None = None) -> CPUPeak:
    """Estimate this CPU's float32 peak from its cores, clock and vector width, stated as assumptions.

    A core with two fused multiply-add units on 8-lane AVX2 vectors does 2 x 8 x 2 = 32 float32 operations per
    cycle; with AVX-512, 64. Unset arguments are read from the machine (the threads torch uses, the clock in
    ``/proc/cpuinfo``, 3.0 GHz where it is not there; the vector width from the CPU's flags). A CPU's real
    sustained rate is lower (its clock drops under vector load; memory bandwidth limits small matrices).
    """
    cpuinfo = ""
    if Path("/proc/cpuinfo").exists():
        cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    if cores is None:
        import torch

        cores = torch.get_num_threads()
    cores = validate.whole_number(cores, "cores", minimum=1)
    if ghz is None:
        found = re.search(r"cpu MHz\s*:\s*([0-9.]+)", cpuinfo)
        ghz = float(found.group(1)) / 1000 if found else 3.0
    ghz = validate.real_number(ghz, "ghz", above=0.0)
    if flops_per_cycle is None:
        flags = re.search(r"flags\s*:(.*)", cpuinfo)
        flag_set = set(flags.group(1).split()) if flags else set()
        flops_per_cycle = 64 if "avx512f" in flag_set else 32 if "fma" in flag_set else 16
    flops_per_cycle = validate.whole_number(flops_per_cycle, "flops_per_cycle", minimum=1)
    core_s = "core" if cores == 1 else "cores"
    assumptions = f"{cores} {core_s} x {ghz:.2f} GHz x {flops_per_cycle} float32 operations per cycle"
    return CPUPeak(cores, ghz, flops_per_cycle, cores * ghz * 1e9 * flops_per_cycle, assumptions)


def mfu(tokens_per_second: float, flops_per_token: float, peaks: dict[str, float], precision: str) -> float:
    """Model FLOPs utilisation: the share of the device's peak that a training run uses, from 0 to 1.

    ``tokens_per_second`` is measured (tokens trained per second, every token of every sequence counted);
    ``flops_per_token`` the training operations per token (forward and backward, such as
    :func:`flops_per_token`); ``peaks`` one device's peak FLOP/s by precision (a row of :data:`PEAK_FLOPS`);
    ``precision`` the one the run's matrix products used. The achieved rate divided by the peak *in that
    precision*. Raises ``KeyError`` if ``peaks`` has no entry for ``precision``.
    """
    tokens_per_second = validate.real_number(tokens_per_second, "tokens_per_second", minimum=0.0)
    flops_per_token = validate.real_number(flops_per_token, "flops_per_token", above=0.0)
    if not isinstance(peaks, dict):
        raise TypeError(f"peaks must be a dict of peak FLOP/s by precision, got {validate.describe(peaks)}.")
    if precision not in peaks:
        raise KeyError(f"peaks has no entry for precision {precision!r}: it has {sorted(peaks)}.")
    peak = validate.real_number(
        peaks[precision],
        f"peaks[{precision!r}]",
        above=0.0,
        hint="A device's peak FLOP/s; peak_flops gives None where it is unknown, and then so is the MFU.",
    )
    achieved = tokens_per_second * flops_per_token  # operations per second
    return achieved / peak


def format_flops(value: float | None) -> str:
    """A FLOP count or rate as a learner reads it: ``3.15e+23``, or ``unknown`` for None."""
    if value is None:
        return "unknown"
    value = validate.real_number(value, "value", minimum=0.0)
    return f"{value:.3g}"


__all__ = [
    "PEAK_FLOPS",
    "PRECISIONS",
    "CPUPeak",
    "activation_bytes",
    "bytes_per_parameter",
    "cpu_peak_flops",
    "device_key",
    "flops_per_token",
    "format_flops",
    "gpu_years",
    "mfu",
    "peak_flops",
    "training_cost",
    "training_flops",
    "training_memory_bytes",
]
