"""The cost accounting of chapter 11: 6ND, FLOPs per token, time and money, memory per weight, peaks and MFU."""

from __future__ import annotations

import pytest
import torch

from course_utils import flops
from course_utils.gpt import GPT, GPTConfig

GPT3_PARAMS = 175_181_291_520  # chapter 10's count for 96 layers, width 12,288, 50,257 tokens, context 2048
GPT3_TOKENS = 300e9


def test_six_n_d_gives_gpt3s_reported_compute():
    assert flops.training_flops(175e9, GPT3_TOKENS) == pytest.approx(3.15e23)
    # the GPT-3 paper (Brown et al. 2020, table D.1) reports 3.14e23 for the 175B model
    assert flops.training_flops(GPT3_PARAMS, GPT3_TOKENS) == pytest.approx(3.14e23, rel=0.01)


def test_gpu_years_and_dollars_follow_from_the_stated_assumptions():
    # 3.14e23 operations on V100s sustaining 28 TFLOP/s at $1.50 per GPU-hour: the seed's 355 years and $4.6M
    years = flops.gpu_years(3.14e23, 28e12)
    assert 355 <= years < 356
    dollars = flops.training_cost(3.14e23, 28e12, 1.50)
    assert dollars == pytest.approx(years * 365 * 24 * 1.50)
    assert 4.6e6 < dollars < 4.7e6


def test_flops_per_token_is_six_n_plus_the_attention_term():
    config = GPTConfig(vocab_size=65, context=64, n_layer=3, n_head=4, d_model=48)
    n = GPT(config).num_params(include_position=False)
    assert flops.flops_per_token(n, 3, 64, 48) == 6 * n + 12 * 3 * 64 * 48


def test_flops_per_token_counts_the_matrix_products_of_a_forward_pass_times_three():
    # count the multiply-adds of one forward pass by hand for a small GPT: every Linear, the scores, weights @ v
    config = GPTConfig(vocab_size=40, context=16, n_layer=2, n_head=2, d_model=32)
    model = GPT(config)
    linear = sum(m.in_features * m.out_features for m in model.modules() if isinstance(m, torch.nn.Linear))
    attention = config.n_layer * 2 * config.context * config.d_model  # q @ k^T and weights @ v per token
    forward = 2 * (linear + attention)  # a multiply-add is 2 operations
    per_token = flops.flops_per_token(model.num_params(include_position=False), 2, 16, 32)
    # 6N also counts the biases and layer norms (one-dimensional weights), which are no matrix product's; the tied
    # embedding matrix is counted once, as the unembedding's product
    vectors = sum(p.numel() for p in model.parameters() if p.ndim == 1)
    assert per_token - 6 * vectors == 3 * forward


def test_sixteen_bytes_per_weight_with_adam_in_either_precision():
    assert sum(flops.bytes_per_parameter("float32").values()) == 16
    assert sum(flops.bytes_per_parameter("bf16").values()) == 16
    assert flops.bytes_per_parameter("bf16")["float32_master_weights"] == 4
    memory = flops.training_memory_bytes(124e6, 12, 1024, 768, 12, 8, "bfloat16")
    assert memory["weights_and_optimizer"] == 16 * 124e6
    assert memory["activations"] == 12 * 8 * 1024 * (34 * 768 + 5 * 12 * 1024)
    assert memory["total"] == memory["weights_and_optimizer"] + memory["activations"]


@pytest.mark.parametrize(
    ("name", "precision", "peak"),
    [
        ("NVIDIA A100-SXM4-80GB", "bfloat16", 312e12),
        ("NVIDIA A100-PCIE-40GB", "tf32", 156e12),
        ("NVIDIA H100 80GB HBM3", "bf16", 989.4e12),
        ("NVIDIA H100 PCIe", "bf16", 756e12),
        ("NVIDIA H200", "fp16", 989.4e12),
        ("NVIDIA L4", "bfloat16", 121e12),
        ("Tesla T4", "float16", 65e12),
        ("NVIDIA A10G", "float32", 31.2e12),
        ("Tesla V100-SXM2-16GB", "fp16", 125e12),
        ("Apple M2 Max", "float32", 13.6e12),
        ("Apple M1", "float32", 2.6e12),
    ],
)
def test_peaks_are_found_by_device_name(name, precision, peak):
    assert flops.peak_flops(name, precision) == peak


@pytest.mark.parametrize(
    ("name", "precision"),
    [
        ("NVIDIA L40S", "bf16"),
        ("AMD Instinct MI300X", "bf16"),
        ("Tesla T4", "bf16"),
        ("Tesla V100-SXM2", "tf32"),
        ("Apple M2 Ultra", "float32"),
        ("NVIDIA H100 NVL", "bf16"),
    ],
)
def test_an_unknown_device_or_precision_has_no_peak(name, precision):
    # L40S contains "L4" but is another GPU; a T4 has no bf16; an M2 Ultra is not an M2 nor an H100 NVL the SXM
    # H100: None, shown as unknown, never a wrong number
    assert flops.peak_flops(name, precision) is None
    assert flops.format_flops(flops.peak_flops(name, precision)) == "unknown"


def test_cpu_peak_is_cores_times_clock_times_width():
    peak = flops.cpu_peak_flops(cores=4, ghz=2.5, flops_per_cycle=32)
    assert peak.flops == 4 * 2.5e9 * 32
    assert "4 cores" in peak.assumptions
    assert flops.cpu_peak_flops().flops > 0  # read from this machine


def test_mfu_divides_the_achieved_rate_by_the_peak_in_the_run_precision():
    peaks = flops.PEAK_FLOPS["A100"]
    assert flops.mfu(100_000, 1e9, peaks, "bfloat16") == pytest.approx(1e14 / 312e12)
    assert flops.mfu(100_000, 1e9, peaks, "float32") == pytest.approx(1e14 / 19.5e12)
    with pytest.raises(KeyError, match="bfloat16"):
        flops.mfu(1.0, 1.0, flops.PEAK_FLOPS["T4"], "bfloat16")


def test_nanogpts_example_mfu_for_gpt2_on_an_a100():
    # GPT-2 124M (context 1024): about 6 * 124M + 12 * 12 * 1024 * 768 operations per token
    per_token = flops.flops_per_token(85e6 + 50257 * 768, 12, 1024, 768)
    assert per_token == pytest.approx(6 * (85e6 + 50257 * 768) + 113_246_208)
    # 10 steps of 491,520 tokens (about 0.5M) in 10 s at bf16 on an A100 is MFU = 0.5M * per_token / 312e12
    assert flops.mfu(491_520, per_token, flops.PEAK_FLOPS["A100"], "bfloat16") == pytest.approx(
        491_520 * per_token / 312e12
    )
