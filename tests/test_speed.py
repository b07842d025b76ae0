"""The speed settings of chapter 11: precision by device (GPU paths checked by mocking torch.cuda), the compile
fallback, the padded vocabulary, and a measurement and a train-to-loss run on the CPU."""

from __future__ import annotations

import pytest
import torch

from course_utils import speed
from course_utils.gpt import GPTConfig

CONFIG = GPTConfig(vocab_size=30, context=16, n_layer=1, n_head=2, d_model=16)


def _fake_gpu(monkeypatch, name: str, capability: tuple[int, int]) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: name)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)


def test_precision_by_device(monkeypatch):
    assert speed.default_precision("cpu") == "float32"
    assert speed.default_precision("mps") == "float32"
    _fake_gpu(monkeypatch, "NVIDIA A100-SXM4-80GB", (8, 0))
    assert speed.default_precision("cuda") == "bfloat16"
    _fake_gpu(monkeypatch, "Tesla T4", (7, 5))
    assert speed.default_precision("cuda") == "float16"  # with a gradient scaler
    with pytest.raises(ValueError, match=r"Tesla T4, compute capability 7\.5\) has no bfloat16"):
        speed.check_precision("bf16", "cuda")
    assert speed.check_precision("fp16", "cuda") == "float16"


def test_16_bit_precision_is_refused_on_a_cpu():
    with pytest.raises(ValueError, match="float32 there"):
        speed.check_precision("bfloat16", "cpu")


def test_the_compile_falls_back_where_it_cannot_work(monkeypatch):
    model = torch.nn.Linear(2, 2)
    for device, words in (("cpu", "not compiled: on a CPU"), ("mps", "Apple GPUs")):
        same, why = speed.compile_model(model, device)
        assert same is model and words in why
    monkeypatch.setattr(speed.platform, "system", lambda: "Windows")
    monkeypatch.setattr(speed.shutil, "which", lambda name: None)
    same, why = speed.compile_model(model, "cuda")
    assert same is model and "cl.exe" in why


def test_the_vocabulary_is_padded_to_a_multiple_of_64():
    assert speed.padded_vocab_size(50257) == 50304
    assert speed.padded_vocab_size(64) == 64
    assert speed.build_model(CONFIG, speed.Settings(pad_vocab=True), "cpu").config.vocab_size == 64


def test_rows_switch_one_thing_at_a_time(monkeypatch):
    cpu_rows = speed.one_at_a_time("cpu")
    assert cpu_rows[0] == speed.Settings()
    assert all(row.precision == "float32" and not row.compile and not row.tf32 for row in cpu_rows)
    assert len(speed.skipped_on("cpu")) == 3
    _fake_gpu(monkeypatch, "NVIDIA H100 80GB HBM3", (9, 0))
    gpu_rows = speed.one_at_a_time("cuda")
    singles = gpu_rows[1:-1]
    assert all(
        sum(value != default for value, default in zip(vars(r).values(), vars(speed.Settings()).values(), strict=True))
        == 1
        for r in singles
    )  # noqa: E501
    assert gpu_rows[-1].compile and gpu_rows[-1].precision == "bfloat16" and gpu_rows[-1].tf32


def test_a_measurement_on_the_cpu_and_its_table():
    ids = torch.randint(30, (500,), generator=torch.Generator().manual_seed(0))
    rows = [speed.Settings(), speed.Settings(fused_adamw=True, tf32=True)]
    measured = [speed.measure_training(CONFIG, row, "cpu", ids, batch_size=2, steps=2, warmup=1) for row in rows]
    assert all(m.tokens_per_second > 0 and m.mfu is not None and 0 < m.mfu < 1 for m in measured)
    assert "TF32 exists on NVIDIA GPUs only" in measured[1].note
    table = speed.format_table(measured)
    assert "| float32 (baseline) |" in table and "| tf32 + fused_adamw |" in table and "n/a" in table


def test_train_to_loss_stops_at_the_target_or_the_budget():
    ids = torch.arange(400) % 5  # a repeating pattern: easy to learn
    reached = speed.train_to_loss(
        CONFIG, speed.Settings(), "cpu", ids, ids, target=3.0, budget_s=60, batch_size=4, eval_every=5, log=False
    )
    assert reached.reached and reached.best_loss <= 3.0 and reached.steps % 5 == 0
    missed = speed.train_to_loss(
        CONFIG, speed.Settings(), "cpu", ids, ids, target=1e-9, budget_s=0.5, batch_size=4, eval_every=5, log=False
    )
    assert not missed.reached and missed.best_loss < float("inf")
