"""Fast mode, device choice, seeding, training and plotting, including what they say about bad input."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from course_utils import config, device, plotting, seeding, training


class TestFastMode:
    def test_values(self, monkeypatch):
        monkeypatch.setenv("COURSE_FAST", "1")
        assert config.is_fast() and config.scaled(full=1000, fast=10) == 10
        monkeypatch.setenv("COURSE_FAST", "0")
        assert not config.is_fast() and config.scaled(full=1000, fast=10) == 1000
        monkeypatch.delenv("COURSE_FAST")
        assert config.scaled(full=1000, fast=10) == 1000

    def test_bad_value_is_explained(self, monkeypatch):
        monkeypatch.setenv("COURSE_FAST", "maybe")
        with pytest.raises(ValueError, match="COURSE_FAST='maybe' is not understood"):
            config.is_fast()

    def test_mixed_types_are_refused(self):
        with pytest.raises(TypeError, match="same type"):
            config.scaled(full=1000, fast=0.5)


class TestDevice:
    def test_cpu_when_no_gpu(self, monkeypatch, capsys):
        monkeypatch.delenv("COURSE_DEVICE", raising=False)
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        monkeypatch.setattr(device, "_mps_available", lambda: False)
        assert device.pick_device() == torch.device("cpu")
        assert "no GPU found" in capsys.readouterr().out

    def test_cuda_first(self, monkeypatch, capsys):
        monkeypatch.delenv("COURSE_DEVICE", raising=False)
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: "Test GPU")
        assert device.pick_device().type == "cuda"
        assert "Test GPU" in capsys.readouterr().out

    def test_mps_before_cpu(self, monkeypatch):
        monkeypatch.delenv("COURSE_DEVICE", raising=False)
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        monkeypatch.setattr(device, "_mps_available", lambda: True)
        assert device.pick_device(verbose=False).type == "mps"

    def test_forced(self, monkeypatch, capsys):
        monkeypatch.setenv("COURSE_DEVICE", "cpu")
        assert device.pick_device().type == "cpu"
        assert "forced by COURSE_DEVICE" in capsys.readouterr().out

    def test_forced_unknown_or_missing_device(self, monkeypatch):
        monkeypatch.setenv("COURSE_DEVICE", "tpu")
        with pytest.raises(ValueError, match="choose one of cuda, mps, cpu"):
            device.pick_device()
        monkeypatch.setenv("COURSE_DEVICE", "cuda")
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        with pytest.raises(RuntimeError, match="no working cuda device"):
            device.pick_device()

    def test_cpu_generator(self):
        first = torch.randn(5, generator=device.cpu_generator(3))
        assert torch.equal(first, torch.randn(5, generator=device.cpu_generator(3)))
        with pytest.raises(TypeError, match="whole number"):
            device.cpu_generator(1.5)


def test_seed_everything_repeats_every_library():
    def draw():
        generator = seeding.seed_everything(7)
        return random.random(), np.random.rand(), torch.rand(1).item(), torch.rand(1, generator=generator).item()

    assert draw() == draw()
    with pytest.raises(ValueError, match=r"seed must be a whole number from 0 to 2\*\*32 - 1, got"):
        seeding.seed_everything(-1)


def _linear_problem():
    generator = torch.Generator().manual_seed(0)
    inputs = torch.randn(64, 3, generator=generator)
    targets = inputs @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    return model, inputs, targets


def test_train_step_lowers_the_loss_and_returns_a_number():
    model, inputs, targets = _linear_problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = [training.train_step(model, torch.nn.functional.mse_loss, optimizer, inputs, targets) for _ in range(50)]
    assert isinstance(losses[0], float)
    assert losses[-1] < 0.01 * losses[0]


def test_train_records_history_and_evaluates():
    model, inputs, targets = _linear_problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def held_out() -> float:
        return torch.nn.functional.mse_loss(model(inputs), targets).item()

    history = training.train(
        model, lambda: (inputs, targets), torch.nn.functional.mse_loss, optimizer, 30, evaluate=held_out, eval_every=10
    )
    assert history.steps == list(range(1, 31))
    assert history.eval_steps == [10, 20, 30]
    assert history.eval_losses[-1] < history.losses[0]
    with pytest.raises(ValueError, match="steps must be a whole number of at least 1, got 0"):
        training.train(model, lambda: (inputs, targets), torch.nn.functional.mse_loss, optimizer, 0)
    with pytest.raises(ValueError, match="eval_every"):
        training.train(model, lambda: (inputs, targets), torch.nn.functional.mse_loss, optimizer, 5, evaluate=held_out)


def test_plot_losses_labels_and_refuses_mismatched_lengths():
    axes = plotting.plot_losses([1, 2, 3], [3.0, 2.0, 1.0], [3], [1.5])
    assert axes.get_xlabel() == "step" and axes.get_ylabel() == "loss"
    assert [line.get_label() for line in axes.get_lines()] == ["training", "held-out"]
    with pytest.raises(ValueError, match="must have one step per loss"):
        plotting.plot_losses([1, 2], [1.0])
