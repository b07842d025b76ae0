"""What chapter 02 adds to course_utils.training (batches by epoch) and course_utils.plotting (networks, matrices)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils import plotting, training


class TestEpochBatches:
    def test_each_epoch_sees_every_example_once(self):
        inputs = torch.arange(10.0)[:, None]
        targets = torch.arange(10)
        next_batch = training.epoch_batches(inputs, targets, 4, torch.Generator().manual_seed(0))
        per_epoch = training.batches_per_epoch(10, 4)
        assert per_epoch == 3
        epochs = []
        for _ in range(2):
            batches = [next_batch() for _ in range(per_epoch)]
            assert [len(batch_targets) for _, batch_targets in batches] == [4, 4, 2]
            for batch_inputs, batch_targets in batches:
                assert torch.equal(batch_inputs[:, 0].long(), batch_targets)  # inputs stay with their targets
            seen = torch.cat([batch_targets for _, batch_targets in batches])
            assert sorted(seen.tolist()) == list(range(10))
            epochs.append(seen)
        assert not torch.equal(epochs[0], epochs[1])  # a fresh order each epoch

    def test_same_seed_same_batches(self):
        inputs, targets = torch.randn(20, 3), torch.arange(20)
        first = training.epoch_batches(inputs, targets, 5, torch.Generator().manual_seed(7))
        again = training.epoch_batches(inputs, targets, 5, torch.Generator().manual_seed(7))
        for _ in range(6):
            assert torch.equal(first()[1], again()[1])

    def test_bad_input_is_explained(self):
        generator = torch.Generator().manual_seed(0)
        with pytest.raises(ValueError, match="inputs and targets must have one row per example each"):
            training.epoch_batches(torch.ones(3, 2), torch.ones(2), 2, generator)
        with pytest.raises(ValueError, match="inputs holds no examples"):
            training.epoch_batches(torch.ones(0, 2), torch.ones(0), 2, generator)
        with pytest.raises(ValueError, match="batch_size must be a whole number"):
            training.epoch_batches(torch.ones(3, 2), torch.ones(3), 0, generator)
        with pytest.raises(TypeError, match=r"generator must be a torch.Generator, got 0.*cpu_generator\(0\)"):
            training.epoch_batches(torch.ones(3, 2), torch.ones(3), 2, 0)
        with pytest.raises(ValueError, match="at least 1"):
            training.batches_per_epoch(0, 4)

    def test_trains_a_model_with_train(self):
        generator = torch.Generator().manual_seed(0)
        inputs = torch.randn(64, 2, generator=generator)
        targets = (inputs[:, 0] > 0).long()
        torch.manual_seed(0)
        model = torch.nn.Linear(2, 2)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        next_batch = training.epoch_batches(inputs, targets, 16, generator)
        history = training.train(model, next_batch, torch.nn.functional.cross_entropy, optimizer, 40, progress=False)
        assert np.mean(history.losses[-4:]) < np.mean(history.losses[:4]) / 2


class TestDrawNetwork:
    def test_draws_a_line_per_weight_and_a_circle_per_neuron(self):
        axes = plotting.draw_network([3, 2], weights=[np.array([[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]])])
        assert len(axes.lines) == 6
        assert len(axes.collections) == 2  # one scatter of circles per layer
        assert {line.get_color() for line in axes.lines} == {plotting.COLORS[0], plotting.COLORS[3]}

    def test_labels_inside_small_networks_and_beside_large_ones(self):
        axes = plotting.draw_network([2, 1], node_labels=[["a", "b"], ["c"]])
        assert {text.get_text() for text in axes.texts} >= {"a", "b", "c"}
        axes = plotting.draw_network([2, 8, 1], node_labels=[["a", "b"], [""] * 8, ["out"]])
        assert next(text for text in axes.texts if text.get_text() == "out").get_ha() == "left"

    def test_bad_input_is_explained(self):
        with pytest.raises(ValueError, match="layer_sizes must give at least two layers"):
            plotting.draw_network([3])
        with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 3\)"):
            plotting.draw_network([3, 2], weights=[np.ones((3, 2))])
        with pytest.raises(ValueError, match="weights must hold one matrix per pair of layers: 1, got 0"):
            plotting.draw_network([3, 2], weights=[])
        with pytest.raises(ValueError, match="one text per neuron"):
            plotting.draw_network([3, 2], node_labels=[["a"], ["b", "c"]])


class TestPlotMatrices:
    def test_one_panel_per_matrix_with_its_numbers(self):
        figure = plotting.plot_matrices(
            [np.eye(2), np.array([1.0, 2.0]), np.array([1.0, 2.0])], ["W", "x", "W @ x"], ["@", "="], decimals=[0, 1, 1]
        )
        assert len(figure.axes) == 3
        assert [text.get_text() for text in figure.axes[1].texts] == ["1.0", "2.0"]
        assert {text.get_text() for text in figure.texts} == {"@", "="}

    def test_bad_input_is_explained(self):
        with pytest.raises(ValueError, match="titles must give one title per matrix"):
            plotting.plot_matrices([np.eye(2)], [])
        with pytest.raises(ValueError, match="operators must give one symbol between each pair of matrices"):
            plotting.plot_matrices([np.eye(2), np.eye(2)], ["a", "b"], ["@", "="])
        with pytest.raises(ValueError, match="one per matrix"):
            plotting.plot_matrices([np.eye(2)], ["a"], decimals=[1, 2])
        with pytest.raises(ValueError, match="matrices"):
            plotting.plot_matrices([np.ones((2, 2, 2))], ["a"])
