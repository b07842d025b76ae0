"""The tour's model: its vocabulary, saving and loading (sha256-checked), generation, and the views of chapter 00."""

from __future__ import annotations

import hashlib
import math

import pytest
import torch

from course_utils.data import DataError, data_path, gpt2_tokenizer, shakespeare_split
from course_utils.display import colored_tokens_html
from course_utils.gpt import GPT, GPTConfig, next_token_loss
from course_utils.tour import (
    TOUR_MODEL_FILE,
    TOUR_MODEL_SHA256,
    OutOfVocabularyError,
    TourVocab,
    encode_prompt,
    generate_steps,
    generate_text,
    load_tour_model,
    next_token_probabilities,
    plot_top_tokens,
    sample_html,
    save_tour_model,
    steps_html,
    temperature_widget,
    top_tokens,
    tour_model_from_bytes,
)

PROMPT = "KING HENRY.\nWhat say you, my lord?\n\n"


@pytest.fixture(scope="module")
def tour():
    return load_tour_model()


# --- the vocabulary -------------------------------------------------------------------------------------------


def test_vocab_round_trips_a_text_of_its_own():
    text = "To be, or not to be: that is the question."
    vocab = TourVocab.from_text(text)
    assert vocab.decode(vocab.encode(text)) == text
    assert vocab.gpt2_ids == sorted(set(gpt2_tokenizer().encode(text)))
    assert vocab.to_gpt2(vocab.encode(text)) == gpt2_tokenizer().encode(text)
    assert set(vocab.encode(text)) == set(range(len(vocab)))  # compact: every id 0 .. n - 1 is used


def test_an_unknown_token_is_named_in_the_error():
    vocab = TourVocab.from_text("To be, or not to be")
    with pytest.raises(OutOfVocabularyError, match="' question'"):
        vocab.encode("To be a question")


def test_vocab_rejects_repeated_ids_and_out_of_range_ids():
    with pytest.raises(ValueError, match="distinct"):
        TourVocab([5, 5])
    with pytest.raises(ValueError, match=r"ids must hold ids from 0 to vocab_size - 1 = 1, got 2"):
        TourVocab([5, 6]).decode([2])
    with pytest.raises(ValueError, match="compact_id must be a whole number from 0 to 1, got -1"):
        TourVocab([5, 6]).token_text(-1)  # not the last token, as a Python index would give
    with pytest.raises(TypeError, match="ids must hold token ids, got"):
        TourVocab([5, 6]).decode([1.5])  # not id 1, as int() would give
    with pytest.raises(ValueError, match="gpt2_ids must hold ids from 0 to vocab_size - 1 = 50256, got 50257"):
        TourVocab([5, 50_257])


# --- saving and loading ---------------------------------------------------------------------------------------


def test_a_saved_model_loads_with_float16_weights_and_its_tie(tmp_path):
    vocab = TourVocab.from_text("To be, or not to be")
    model = GPT(GPTConfig(vocab_size=len(vocab), context=8, n_layer=1, n_head=2, d_model=16))
    path = tmp_path / "model.pt"
    save_tour_model(str(path), model, vocab, {"seed": 3})
    loaded = tour_model_from_bytes(path.read_bytes())
    assert loaded.meta == {"seed": 3} and loaded.vocab.gpt2_ids == vocab.gpt2_ids
    assert loaded.model.lm_head.weight is loaded.model.wte.weight
    for name, tensor in model.state_dict().items():
        torch.testing.assert_close(loaded.model.state_dict()[name], tensor.half().float(), rtol=0, atol=0)


def test_the_committed_file_has_the_recorded_sha256_and_is_under_5_mb():
    content = data_path(TOUR_MODEL_FILE).read_bytes()
    assert hashlib.sha256(content).hexdigest() == TOUR_MODEL_SHA256
    assert len(content) < 5_000_000


def test_a_corrupt_file_is_refused_with_a_clear_error(tmp_path, monkeypatch):
    content = bytearray(data_path(TOUR_MODEL_FILE).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (tmp_path / TOUR_MODEL_FILE).write_bytes(bytes(content))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match="corrupt"):
        load_tour_model()


def test_a_missing_file_is_refused_with_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match="missing"):
        load_tour_model()


# --- the committed model --------------------------------------------------------------------------------------


def test_the_model_knows_every_token_of_the_corpus_and_its_record_is_complete(tour):
    assert tour.model.config.vocab_size == len(tour.vocab)
    _, heldout_text = shakespeare_split()
    assert len(tour.vocab.encode(heldout_text[:20_000])) > 0  # held-out text encodes without an unknown token
    assert {"seed", "steps", "training_seconds", "heldout_loss"} <= set(tour.meta)


def test_the_model_is_trained_its_held_out_loss_is_near_the_recorded_one(tour):
    _, heldout_text = shakespeare_split()
    context = tour.model.config.context
    ids = torch.tensor(tour.vocab.encode(heldout_text[:40_000]))
    n_windows = min(16, (len(ids) - 1) // context)
    inputs = ids[: n_windows * context].view(n_windows, context)
    targets = ids[1 : n_windows * context + 1].view(n_windows, context)
    with torch.no_grad():
        loss = next_token_loss(tour.model(inputs), targets).item()
    uniform = math.log(len(tour.vocab))  # the loss of a model that knows nothing
    assert loss < uniform - 3
    assert abs(loss - tour.meta["heldout_loss"]) < 0.75, (loss, tour.meta["heldout_loss"])


def test_an_out_of_vocabulary_prompt_names_the_unknown_token(tour):
    prompt = "My smartphone rings"
    tokenizer = gpt2_tokenizer()
    unknown = [tokenizer.decode([i]) for i in tokenizer.encode(prompt) if i not in tour.vocab]
    assert unknown, "the test needs a token that Shakespeare never wrote"
    with pytest.raises(OutOfVocabularyError) as error:
        encode_prompt(tour, prompt)
    for token in unknown:
        assert repr(token) in str(error.value)


def test_a_fixed_prompt_and_seed_give_the_same_tokens_every_time(tour):
    first = generate_text(tour, PROMPT, 40, temperature=1.0, seed=7)
    assert generate_text(tour, PROMPT, 40, temperature=1.0, seed=7) == first
    assert generate_text(tour, PROMPT, 40, temperature=1.0, seed=8) != first


def test_the_step_by_step_record_draws_what_generate_draws(tour):
    steps = generate_steps(tour, PROMPT, 20, temperature=0.9, seed=3)
    text = generate_text(tour, PROMPT, 20, temperature=0.9, seed=3)
    assert "".join(step.chosen_text for step in steps) == text
    for step in steps:
        assert 0 < step.chosen_probability <= 1 and step.chosen_rank >= 1
        assert len(step.top) == 10 and step.top == sorted(step.top, key=lambda pair: -pair[1])


def test_greedy_generation_takes_the_likeliest_token_at_every_step(tour):
    steps = generate_steps(tour, PROMPT, 15, temperature=0, seed=0)
    ids = encode_prompt(tour, PROMPT)
    for step in steps:
        probabilities = next_token_probabilities(tour, ids, temperature=1.0)
        assert step.chosen_id == int(probabilities.argmax()) and step.chosen_rank == 1
        ids = torch.cat([ids, torch.tensor([step.chosen_id])])
    assert generate_text(tour, PROMPT, 15, temperature=0, seed=1) == "".join(s.chosen_text for s in steps)


def test_probabilities_sum_to_one_and_temperature_sharpens_them(tour):
    ids = encode_prompt(tour, PROMPT)
    cold, warm, hot = (next_token_probabilities(tour, ids, t) for t in (0.5, 1.0, 2.0))
    for probabilities in (cold, warm, hot):
        assert abs(probabilities.sum().item() - 1) < 1e-4
    assert cold.max() > warm.max() > hot.max()
    assert top_tokens(tour, warm, 3)[0][1] == pytest.approx(warm.max().item())


@pytest.mark.parametrize(
    ("temperature", "error"), [(-0.5, ValueError), (float("nan"), ValueError), ("hot", TypeError), (True, TypeError)]
)
def test_a_bad_temperature_is_refused_with_a_clear_error(tour, temperature, error):
    ids = encode_prompt(tour, PROMPT)
    for call in (
        lambda: next_token_probabilities(tour, ids, temperature),
        lambda: generate_text(tour, PROMPT, 3, temperature),
        lambda: generate_steps(tour, PROMPT, 3, temperature),
    ):
        with pytest.raises(error, match="temperature must be a finite number of at least 0"):
            call()


def test_the_widget_shows_what_generate_text_returns_and_redraws(tour):
    widget = temperature_widget(tour, PROMPT, n_tokens=12, temperature=1.0, seed=5)
    (slider, seed_box, new_seed), sample = widget.children[0].children, widget.children[1]
    assert sample.value == sample_html(PROMPT, generate_text(tour, PROMPT, 12, 1.0, 5))
    slider.value = 0.0
    assert sample.value == sample_html(PROMPT, generate_text(tour, PROMPT, 12, 0.0, 5))
    new_seed.click()
    assert seed_box.value == 6
    with pytest.raises(OutOfVocabularyError):
        temperature_widget(tour, "My smartphone rings")


def test_the_html_views_show_every_token(tour):
    steps = generate_steps(tour, PROMPT, 5, temperature=1.0, seed=0)
    markup = steps_html(steps)
    assert markup.count("<tr>") == len(steps) + 1
    tokens = [" To", " be", ",\n"]
    markup = colored_tokens_html(tokens, [1, 2, 3])
    assert "·To" in markup and "·be" in markup and ",↵" in markup and ">3<" in markup
    with pytest.raises(ValueError, match="one id per token"):
        colored_tokens_html(tokens, [1, 2])


def test_top_tokens_on_a_log_axis_show_small_probabilities_and_refuse_zeros():
    top = [(" lord", 0.5), (" heart", 0.004), (" sir", 0.0016)]
    axes = plot_top_tokens(top, "flat", log_scale=True)
    assert axes.get_xscale() == "log" and axes.get_xlim() == pytest.approx((1e-3, 1.0))
    assert "log scale" in axes.get_xlabel()
    assert plot_top_tokens(top, "linear").get_xscale() == "linear"
    with pytest.raises(ValueError, match="positive probabilities"):
        plot_top_tokens([(" lord", 0.5), (" never", 0.0)], "with a zero", log_scale=True)


# ----------------------------------------------------------------------------------------------------------------
# chapter 07's widget: the distribution for each new word, with temperature, top-k and top-p


def test_sampling_widget_shows_what_generate_steps_draws_and_regenerates_on_every_control():
    from course_utils.tour import generate_steps, sample_html, sampling_widget

    tour = load_tour_model()
    prompt = "JULIET.\nO Romeo,"
    widget = sampling_widget(tour, prompt, n_tokens=4, temperature=1.0, top_p=0.9, seed=0)
    controls, sample, table, step_slider, _chart = widget.children
    temperature, top_k, top_p = controls.children[0].children
    seed, new_seed = controls.children[1].children

    def shown_steps():
        k = None if top_k.value == "all" else top_k.value
        p = None if top_p.value >= 1 else top_p.value
        return generate_steps(tour, prompt, 4, temperature.value, seed.value, top_k=k, top_p=p)

    def expected_sample():
        return sample_html(prompt, tour.vocab.decode([step.chosen_id for step in shown_steps()]))

    assert sample.value == expected_sample()
    temperature.value = 0.0
    assert sample.value == expected_sample() and all(step.chosen_rank == 1 for step in shown_steps())
    temperature.value = 1.5
    top_k.value = 3
    assert sample.value == expected_sample() and all(step.kept <= 3 for step in shown_steps())
    top_k.value = "all"
    top_p.value = 1.0
    assert all(step.kept == len(tour.vocab) for step in shown_steps())
    before = table.value
    new_seed.click()
    assert seed.value == 1 and sample.value == expected_sample() and table.value != before
    step_slider.value = 4  # redraws the chart of the last step without an error


def test_sampling_widget_refuses_bad_settings():
    from course_utils.tour import sampling_widget

    tour = load_tour_model()
    with pytest.raises(ValueError, match="top_k"):
        sampling_widget(tour, "JULIET.", top_k=7)
    with pytest.raises(ValueError, match="at most 1"):
        sampling_widget(tour, "JULIET.", top_p=1.5)
    with pytest.raises(ValueError, match="n_tokens"):
        sampling_widget(tour, "JULIET.", n_tokens=0)
