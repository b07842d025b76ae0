"""The validation module: what each check accepts (and returns), what it refuses, and what its message says; and
the fixes that are not refusals (plots of arrays, ``~`` in COURSE_DATA_DIR, the mode generate leaves)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from course_utils import data, validate
from course_utils.gpt import GPT, GPTConfig
from course_utils.plotting import plot_losses
from course_utils.text_plots import plot_char_matrix
from course_utils.tour import tour_model_from_bytes


class TestWholeNumber:
    @pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3), torch.tensor(3), torch.tensor([3])])
    def test_accepts_integers_of_every_library_as_a_python_int(self, value):
        result = validate.whole_number(value, "n", minimum=1)
        assert result == 3 and type(result) is int

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            (True, "the bool True"),
            (np.bool_(True), "bool"),
            (3.0, "Write 3 (no decimal point)"),
            (2.5, "2.5 (a float)"),
            ("3", "without quotes"),
            (None, "got None"),
            (torch.tensor(3.0), "tensor"),
            ([3], "a list"),
        ],
    )
    def test_refuses_what_is_not_a_whole_number(self, value, words):
        with pytest.raises(TypeError, match="steps must be a whole number") as caught:
            validate.whole_number(value, "steps")
        assert words in str(caught.value)

    def test_refuses_out_of_range_and_says_the_range(self):
        with pytest.raises(ValueError, match="seed must be a whole number from 0 to 2\\*\\*32 - 1, got -1"):
            validate.whole_number(-1, "seed", minimum=0, maximum=2**32 - 1)
        with pytest.raises(ValueError, match="k must be a whole number of at most 5, got 6. Fewer."):
            validate.whole_number(6, "k", maximum=5, hint="Fewer.")


class TestRealNumber:
    def test_accepts_numbers_as_a_float(self):
        assert validate.real_number(np.float32(0.5), "p") == 0.5
        assert validate.real_number(torch.tensor(2), "p") == 2.0

    @pytest.mark.parametrize(
        ("value", "error"),
        [(True, TypeError), ("0.5", TypeError), (None, TypeError), (float("nan"), ValueError), (np.inf, ValueError)],
    )
    def test_refuses_non_numbers_and_non_finite(self, value, error):
        with pytest.raises(error, match="temperature must be a finite number"):
            validate.real_number(value, "temperature")

    def test_bounds_inclusive_and_exclusive(self):
        assert validate.real_number(0, "t", minimum=0) == 0.0
        with pytest.raises(ValueError, match="fraction must be a finite number above 0 and below 1, got 1.0"):
            validate.real_number(1, "fraction", above=0, below=1)


class TestTokenIds:
    def test_lists_and_arrays_become_int64_arrays_and_tensors_stay_tensors(self):
        assert validate.token_ids([1, 2], "ids", vocab_size=3).dtype == np.int64
        assert validate.token_ids(range(3), "ids").tolist() == [0, 1, 2]
        ids = torch.tensor([[1, 2]])
        assert validate.token_ids(ids, "ids", ndim=2) is ids
        assert validate.token_ids([], "ids").shape == (0,)

    @pytest.mark.parametrize(
        ("value", "error", "words"),
        [
            ([1.5], TypeError, "whole numbers"),
            (torch.tensor([1.0, 2.0]), TypeError, ".long()"),
            ([True, False], TypeError, "ids must hold token ids"),
            ("12", TypeError, "Encode the text first"),
            (None, TypeError, "got None"),
            ([-1, 0], ValueError, "count from the end"),
            ([0, 3], ValueError, "vocab_size - 1 = 2, got 3"),
            ([[0, 1]], ValueError, "ids[0]"),
            ([[0, 1], [1]], ValueError, "rectangular"),
        ],
    )
    def test_refuses_what_is_not_ids(self, value, error, words):
        with pytest.raises(error) as caught:
            validate.token_ids(value, "ids", vocab_size=3)
        assert "ids" in str(caught.value) and words in str(caught.value)

    def test_a_batch_is_asked_for_with_none(self):
        with pytest.raises(ValueError, match=r"ids\[None\]"):
            validate.token_ids([0, 1], "ids", ndim=2)

    def test_the_range_of_a_tensor_off_the_cpu_is_not_read(self):
        # a meta tensor has no values: reading its smallest id would fail, as it would wait for a GPU
        on_another_device = torch.full((1, 3), 99, device="meta")
        assert validate.token_ids(on_another_device, "ids", vocab_size=5, ndim=2) is on_another_device
        with pytest.raises(ValueError, match="got 99"):
            validate.token_ids(torch.full((1, 3), 99), "ids", vocab_size=5, ndim=2)


class TestProbabilities:
    def test_accepts_rows_that_add_up_to_one(self):
        table = validate.probabilities([[0.5, 0.5], [1.0, 0.0]], "p", axis=1)
        assert table.dtype == np.float64

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ([[2, 1], [0, 3]], "look like counts"),
            ([2.0, -1.5], "look like logits"),
            ([0.25, 0.25], "add up to 1"),
            ([float("nan"), 1.0], "NaN"),
            ([], "at least 1"),
        ],
    )
    def test_says_what_the_numbers_look_like(self, value, words):
        with pytest.raises(ValueError, match="probabilities") as caught:
            validate.probabilities(value, "probabilities")
        assert words in str(caught.value)

    def test_the_shape_is_checked_and_named(self):
        with pytest.raises(ValueError, match=r"probabilities must have shape \(vocab_size=3,\), got shape \(2,\)"):
            validate.probabilities([0.5, 0.5], "probabilities", shape=(3,), labels=("vocab_size",))


class TestTensorsFunctionsGeneratorsOptimizers:
    def test_float_tensor_shape_and_dtype(self):
        x = torch.zeros(2, 3, 8)
        assert validate.float_tensor(x, "x", shape=(None, None, 8)) is x
        with pytest.raises(ValueError, match=r"x must have shape \(B, T, C=8\), got shape \(3, 8\)\. .*x\[None\]"):
            validate.float_tensor(torch.zeros(3, 8), "x", shape=(None, None, 8), labels=("B", "T", "C"))
        with pytest.raises(TypeError, match=r"x\.float\(\)"):
            validate.float_tensor(torch.zeros(3, 8, dtype=torch.long), "x")
        with pytest.raises(TypeError, match="torch.tensor"):
            validate.float_tensor([[0.0]], "x")

    def test_function(self):
        assert validate.function(len, "fn") is len
        with pytest.raises(TypeError, match="predict must be a function.*Did you call it"):
            validate.function(np.zeros(3), "predict")

    def test_generator(self):
        generator = torch.Generator()
        assert validate.generator(generator) is generator
        with pytest.raises(TypeError, match=r"cpu_generator\(7\)"):
            validate.generator(7)

    def test_optimizer_of_another_model(self):
        model = torch.nn.Linear(2, 1)
        assert validate.optimizer(torch.optim.SGD(model.parameters(), 0.1), model=model)
        with pytest.raises(ValueError, match="optimizer holds none of model's weights"):
            validate.optimizer(torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), 0.1), model=model)

    def test_matching_targets(self):
        predictions = torch.zeros(8, 1)
        assert validate.matching_targets(torch.zeros(8, 1), predictions) is not None
        assert validate.matching_targets(torch.zeros(8, dtype=torch.long), torch.zeros(8, 3)) is not None  # labels
        with pytest.raises(ValueError, match=r"targets has shape \(8,\) but the predictions have shape \(8, 1\)"):
            validate.matching_targets(torch.zeros(8), predictions)

    def test_char_vocab_and_text(self):
        assert validate.char_vocab(("a", "b")) == ["a", "b"]
        with pytest.raises(TypeError, match="Did you swap"):
            validate.char_vocab("ab")
        with pytest.raises(ValueError, match="each character once"):
            validate.char_vocab(["a", "a"])
        with pytest.raises(TypeError, match="decode them first"):
            validate.text([1, 2], "text")


# --- the fixes that are not refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [np.array, torch.tensor])
def test_plot_losses_takes_arrays_and_tensors(kind):
    axes = plot_losses(kind([1, 2, 3]), kind([3.0, 2.0, 1.0]), kind([3]), kind([1.5]))
    assert [len(line.get_xdata()) for line in axes.get_lines()] == [3, 1]


def test_a_log_scale_tells_probabilities_apart():
    probabilities = np.array([[0.5, 0.25, 0.25], [0.01, 0.09, 0.9], [0.001, 0.009, 0.99]])
    axes = plot_char_matrix(probabilities, ["a", "b", "c"], ["a", "b", "c"], "t", log_scale=True)
    colours = axes.images[0].to_rgba(axes.images[0].get_array())
    assert len({tuple(np.round(colour, 3)) for colour in colours.reshape(-1, 4)}) == 8  # 0.25 twice
    plt.close("all")


def test_course_data_dir_expands_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(data.DATA_DIR_ENV_VAR, "~/course-data")
    assert data.data_dir() == tmp_path / "course-data"


def test_a_damaged_file_names_the_folder_it_was_read_from(monkeypatch, tmp_path):
    (tmp_path / data.GPT2_RANKS_FILE).write_bytes(b"damaged")
    monkeypatch.setenv(data.DATA_DIR_ENV_VAR, str(tmp_path))
    data.gpt2_tokenizer.cache_clear()
    try:
        with pytest.raises(data.DataError, match=str(tmp_path)):
            data.gpt2_tokenizer()
    finally:
        data.gpt2_tokenizer.cache_clear()


def test_a_damaged_model_file_gets_no_advice_to_trust_it():
    with pytest.raises(data.DataError) as caught:
        tour_model_from_bytes(b"PK\x03\x04 not a model")
    assert "weights_only" not in str(caught.value) and "not a tour model" in str(caught.value)


@pytest.mark.parametrize("training", [True, False])
def test_generate_leaves_the_mode_as_it_found_it(training):
    model = GPT(GPTConfig(vocab_size=10, context=8, n_layer=1, n_head=2, d_model=16)).train(training)
    with pytest.raises(ValueError, match="temperature"):
        model.generate(torch.tensor([1, 2]), 3, temperature=-1.0)
    assert model.training is training
    model.generate(torch.tensor([1, 2]), 3, generator=torch.Generator().manual_seed(0))
    assert model.training is training
