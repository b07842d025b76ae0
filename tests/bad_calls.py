"""The plausible bad calls a learner makes to each public function of ``course_utils``, and what each must raise.

Each :class:`BadCall` names the function, the parameter that is wrong, the call, the exception it must raise and
words its message must hold (the parameter's name always among them). ``tests/test_bad_calls.py`` runs them all;
``tools/measure_bad_calls.py`` counts how many raise from ``course_utils`` with the parameter named, which also
works against an older ``course_utils`` (it imports only public names).

The exercise system (``course_utils/checks``) is left out: its tests live with it.
"""

from __future__ import annotations

import functools
import lzma
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from course_utils import bigram as bigram_module
from course_utils import (
    block,
    block_plots,
    chat,
    config,
    data,
    device,
    display,
    encdec,
    flowers,
    grade,
    housing,
    learner_progress,
    plotting,
    sampling,
    seeding,
    text,
    text_plots,
    tour,
    training,
)
from course_utils import gpt as gpt_module


@dataclass(frozen=True)
class BadCall:
    """A wrong call: ``call()`` must raise ``error`` with every word of ``words`` (and ``parameter``) in its message."""

    function: str
    parameter: str
    what: str
    call: Callable[[], object]
    error: type[BaseException]
    words: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.function}({self.parameter}): {self.what}"


BAD_CALLS: list[BadCall] = []


def bad(function: str, parameter: str, what: str, call: Callable[[], object], error: type, *words: str) -> None:
    BAD_CALLS.append(BadCall(function, parameter, what, call, error, (parameter, *words)))


# --- shared inputs, made on first use ----------------------------------------------------------------------------

VOCAB = ["a", "b", "c"]
PROBS = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25], [0.8, 0.1, 0.1]])
COUNTS = np.array([[1, 6, 3], [5, 2, 2], [8, 1, 1]])
IDS = [0, 1, 2, 0]
CONFIG = gpt_module.GPTConfig(vocab_size=20, context=8, n_layer=1, n_head=2, d_model=16)
PROMPT = "ROMEO:"


@functools.cache
def small_gpt() -> gpt_module.GPT:
    torch.manual_seed(0)
    return gpt_module.GPT(CONFIG)


@functools.cache
def the_tour() -> tour.TourModel:
    return tour.load_tour_model()


def prompt_ids() -> torch.Tensor:
    return tour.encode_prompt(the_tour(), PROMPT)


def tour_logits() -> torch.Tensor:
    with torch.no_grad():
        return the_tour().model(prompt_ids()[None])[0, -1]


def tour_probs() -> torch.Tensor:
    return tour.next_token_probabilities(the_tour(), prompt_ids())


@functools.cache
def tour_steps() -> list:
    return tour.generate_steps(the_tour(), PROMPT, 2, seed=0, k=3)


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def regression() -> tuple[torch.nn.Module, torch.optim.Optimizer, torch.Tensor, torch.Tensor]:
    model = torch.nn.Linear(3, 1)
    return model, torch.optim.SGD(model.parameters(), lr=0.1), torch.randn(8, 3), torch.randn(8, 1)


def flowers_data() -> tuple[np.ndarray, np.ndarray]:
    return flowers.make_flowers(40, seed=0)


def probability_of_flower(points: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(points[:, 0] - 0.5)))


def with_environment(name: str, value: str, call: Callable[[], object]) -> Callable[[], object]:
    """``call`` run with the environment variable ``name`` set to ``value`` (restored after)."""

    def run() -> object:
        before = os.environ.get(name)
        os.environ[name] = value
        try:
            return call()
        finally:
            if before is None:
                del os.environ[name]
            else:
                os.environ[name] = before

    return run


def with_data_folder(prepare: Callable[[Path], None], call: Callable[[], object]) -> Callable[[], object]:
    """``call`` run with ``COURSE_DATA_DIR`` pointing at a fresh copy of the data, changed by ``prepare``."""

    def run() -> object:
        folder = Path(tempfile.mkdtemp(prefix="course-data-"))
        for source in data.data_dir().iterdir():
            if source.is_file():
                shutil.copy(source, folder / source.name)
        prepare(folder)
        data.shakespeare_text.cache_clear()
        data.gpt2_tokenizer.cache_clear()
        try:
            return with_environment(data.DATA_DIR_ENV_VAR, str(folder), call)()
        finally:
            data.shakespeare_text.cache_clear()
            data.gpt2_tokenizer.cache_clear()
            shutil.rmtree(folder)

    return run


def truncate(name: str) -> Callable[[Path], None]:
    def prepare(folder: Path) -> None:
        path = folder / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    return prepare


def delete(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def replace_text(folder: Path) -> None:
    """Another text, well compressed: it decompresses, but it is not the course's Shakespeare."""
    (folder / data.SHAKESPEARE_FILE).write_bytes(lzma.compress(b"ROMEO: a text of my own\n"))


# --- config, device, seeding, data ------------------------------------------------------------------------------

bad("scaled", "fast", "full and fast of different types", lambda: config.scaled(full=10, fast="2"), TypeError, "full")
bad(
    "is_fast",
    "COURSE_FAST",
    "COURSE_FAST=maybe",
    with_environment("COURSE_FAST", "maybe", config.is_fast),
    ValueError,
)
bad("pick_device", "verbose", "verbose as a string", lambda: device.pick_device(verbose="yes"), TypeError)
bad(
    "pick_device",
    "COURSE_DEVICE",
    "COURSE_DEVICE=gpu",
    with_environment("COURSE_DEVICE", "gpu", lambda: device.pick_device(False)),
    ValueError,
    "cuda",
)
for value, error in (("0", TypeError), (1.5, TypeError), (None, TypeError), (-1, ValueError), (True, TypeError)):
    bad("cpu_generator", "seed", f"seed={value!r}", lambda v=value: device.cpu_generator(v), error)
for value, error in (("0", TypeError), (0.5, TypeError), (None, TypeError), (-1, ValueError), (2**32, ValueError)):
    bad("seed_everything", "seed", f"seed={value!r}", lambda v=value: seeding.seed_everything(v), error)

bad("data_path", "name", "None", lambda: data.data_path(None), TypeError)
bad("data_path", "name", "a path, not a name", lambda: data.data_path("../README.md"), TypeError)
bad("data_path", "nope.txt", "a file that is not there", lambda: data.data_path("nope.txt"), data.DataError, "missing")
bad(
    "shakespeare_text",
    data.SHAKESPEARE_FILE,
    "a missing file",
    with_data_folder(delete(data.SHAKESPEARE_FILE), data.shakespeare_text),
    data.DataError,
    "missing",
    "course-data-",
)
bad(
    "shakespeare_text",
    data.SHAKESPEARE_FILE,
    "a truncated file",
    with_data_folder(truncate(data.SHAKESPEARE_FILE), data.shakespeare_text),
    data.DataError,
    "corrupt",
    "course-data-",
)
bad(
    "shakespeare_split",
    data.SHAKESPEARE_FILE,
    "another text",
    with_data_folder(replace_text, data.shakespeare_split),
    data.DataError,
    "corrupt",
    "course-data-",
)
bad(
    "gpt2_tokenizer",
    data.GPT2_RANKS_FILE,
    "a truncated ranks file",
    with_data_folder(truncate(data.GPT2_RANKS_FILE), data.gpt2_tokenizer),
    data.DataError,
    "corrupt",
    "course-data-",
)
bad(
    "load_tour_model",
    tour.TOUR_MODEL_FILE,
    "a truncated model file",
    with_data_folder(truncate(tour.TOUR_MODEL_FILE), tour.load_tour_model),
    data.DataError,
    "corrupt",
    "course-data-",
)

# --- display ----------------------------------------------------------------------------------------------------

bad("visible_token", "text", "an id", lambda: display.visible_token(5), TypeError)
bad("visible_token", "text", "None", lambda: display.visible_token(None), TypeError)
bad("colored_tokens_html", "token_texts", "one string", lambda: display.colored_tokens_html("hello"), TypeError)
bad("colored_tokens_html", "token_texts", "ids, not texts", lambda: display.colored_tokens_html([1, 2]), TypeError)
bad(
    "colored_tokens_html",
    "token_ids",
    "fewer ids than tokens",
    lambda: display.colored_tokens_html(["a", "b"], [1]),
    ValueError,
)
bad("colored_tokens_html", "token_ids", "a float id", lambda: display.colored_tokens_html(["a"], [1.5]), TypeError)
bad("colored_tokens_html", "token_ids", "texts as ids", lambda: display.colored_tokens_html(["a"], ["a"]), TypeError)
bad("show_html", "markup", "None", lambda: display.show_html(None), TypeError)
bad("show_html", "markup", "a list", lambda: display.show_html(["<b>x</b>"]), TypeError)

# --- bigram -----------------------------------------------------------------------------------------------------

bad("bigram_counts", "ids", "a string", lambda: bigram_module.bigram_counts("hello", 5), TypeError, "Encode")
bad("bigram_counts", "ids", "an id of vocab_size", lambda: bigram_module.bigram_counts([0, 5], 5), ValueError, "4")
bad("bigram_counts", "ids", "a negative id", lambda: bigram_module.bigram_counts([0, -1], 5), ValueError, "-1")
bad("bigram_counts", "ids", "float ids", lambda: bigram_module.bigram_counts([0.0, 1.0], 2), TypeError)
bad("bigram_counts", "ids", "one id", lambda: bigram_module.bigram_counts([0], 2), ValueError, "at least 2")
bad("bigram_counts", "ids", "a 2-D array", lambda: bigram_module.bigram_counts([[0, 1], [1, 0]], 2), ValueError)
bad("bigram_counts", "vocab_size", "0", lambda: bigram_module.bigram_counts([0, 1], 0), ValueError)
bad("bigram_counts", "vocab_size", "a float", lambda: bigram_module.bigram_counts([0, 1], 2.0), TypeError)
bad("bigram_counts", "vocab_size", "swapped arguments", lambda: bigram_module.bigram_counts(3, [0, 1]), TypeError)
bad(
    "bigram_probabilities",
    "counts",
    "probabilities instead of counts",
    lambda: bigram_module.bigram_probabilities(PROBS),
    ValueError,
    "probabilities",
)
bad(
    "bigram_probabilities",
    "counts",
    "a NaN",
    lambda: bigram_module.bigram_probabilities(np.where(COUNTS == 1, np.nan, COUNTS)),
    ValueError,
    "NaN",
)
bad(
    "bigram_probabilities", "counts", "negative counts", lambda: bigram_module.bigram_probabilities(-COUNTS), ValueError
)
bad("bigram_probabilities", "counts", "not square", lambda: bigram_module.bigram_probabilities(COUNTS[:2]), ValueError)
bad("bigram_probabilities", "counts", "1-D", lambda: bigram_module.bigram_probabilities(COUNTS[0]), ValueError)
bad("bigram_probabilities", "counts", "None", lambda: bigram_module.bigram_probabilities(None), TypeError)
bad(
    "bigram_probabilities",
    "smoothing",
    "negative",
    lambda: bigram_module.bigram_probabilities(COUNTS, -1),
    ValueError,
)
bad(
    "bigram_probabilities",
    "smoothing",
    "a string",
    lambda: bigram_module.bigram_probabilities(COUNTS, "1"),
    TypeError,
)
bad(
    "bigram_nll",
    "probabilities",
    "counts instead of probabilities",
    lambda: bigram_module.bigram_nll(COUNTS, IDS),
    ValueError,
    "counts",
    "bigram_probabilities(counts)",
)
bad(
    "bigram_nll",
    "probabilities",
    "probabilities doubled",
    lambda: bigram_module.bigram_nll(PROBS * 2 / 3, IDS),
    ValueError,
    "add up to 1",
)
bad(
    "bigram_nll",
    "probabilities",
    "a transposed table",
    lambda: bigram_module.bigram_nll(PROBS.T, IDS),
    ValueError,
    "add up to 1",
)
bad(
    "bigram_nll",
    "probabilities",
    "not square",
    lambda: bigram_module.bigram_nll(np.full((3, 4), 0.25), IDS),
    ValueError,
    "square",
)
bad(
    "bigram_nll",
    "probabilities",
    "negative probabilities",
    lambda: bigram_module.bigram_nll(PROBS - 0.2, IDS),
    ValueError,
    "logits",
)
bad(
    "bigram_nll",
    "probabilities",
    "a NaN",
    lambda: bigram_module.bigram_nll(np.where(PROBS == 0.1, np.nan, PROBS), IDS),
    ValueError,
    "NaN",
)
bad("bigram_nll", "ids", "a negative id", lambda: bigram_module.bigram_nll(PROBS, [-1, 0]), ValueError, "-1")
bad("bigram_nll", "ids", "an id of vocab_size", lambda: bigram_module.bigram_nll(PROBS, [0, 3]), ValueError)
bad("bigram_nll", "ids", "one id", lambda: bigram_module.bigram_nll(PROBS, [0]), ValueError, "at least 2")
bad("bigram_nll", "ids", "a string", lambda: bigram_module.bigram_nll(PROBS, "abc"), TypeError)
bad("bigram_nll", "probabilities", "swapped arguments", lambda: bigram_module.bigram_nll(IDS, PROBS), ValueError)
bad("heldout_bigram_nll", "smoothing", "negative", lambda: bigram_module.heldout_bigram_nll(-1), ValueError)
bad("heldout_bigram_nll", "smoothing", "a string", lambda: bigram_module.heldout_bigram_nll("1"), TypeError)
bad("heldout_bigram_nll", "smoothing", "a list", lambda: bigram_module.heldout_bigram_nll([1]), TypeError)

# --- text -------------------------------------------------------------------------------------------------------

bad("char_vocab", "text", "an empty string", lambda: text.char_vocab(""), ValueError)
bad("char_vocab", "text", "None", lambda: text.char_vocab(None), TypeError)
bad("char_vocab", "text", "a list of characters", lambda: text.char_vocab(["a", "b"]), TypeError)
for encoder in (text.encode, text.encode_array):
    name = encoder.__name__
    bad(name, "text", "ids", lambda e=encoder: e([1, 2], VOCAB), TypeError)
    bad(name, "vocab", "a string", lambda e=encoder: e("ab", "ab"), TypeError)
    bad(name, "vocab", "empty", lambda e=encoder: e("ab", []), ValueError)
    bad(name, "text", "swapped arguments", lambda e=encoder: e(VOCAB, "abc"), TypeError)
    bad(name, "text", "a character not in vocab", lambda e=encoder: e("ab!", VOCAB), KeyError, "'!'")
bad("decode", "ids", "a fractional id", lambda: text.decode([1.5], VOCAB), TypeError)
bad("decode", "ids", "a string of digits", lambda: text.decode("01", VOCAB), TypeError)
bad("decode", "ids", "a negative id", lambda: text.decode([-1], VOCAB), ValueError)
bad("decode", "ids", "an id of len(vocab)", lambda: text.decode([3], VOCAB), ValueError)
bad("decode", "ids", "a (1, T) tensor", lambda: text.decode(torch.tensor([[0, 1]]), VOCAB), ValueError, "[0]")
bad("decode", "vocab", "swapped arguments", lambda: text.decode(VOCAB, [0, 1]), ValueError)
bad("one_hot", "ids", "an id of vocab_size", lambda: text.one_hot([0, 3], 3), ValueError)
bad("one_hot", "ids", "no ids", lambda: text.one_hot([], 3), ValueError)
bad("one_hot", "ids", "fractional ids", lambda: text.one_hot([0.5], 3), TypeError)
bad("one_hot", "ids", "bools", lambda: text.one_hot([True, False], 2), TypeError)
bad("one_hot", "ids", "a string", lambda: text.one_hot("abc", 3), TypeError)
bad("one_hot", "vocab_size", "0", lambda: text.one_hot([0], 0), ValueError)
bad("one_hot", "vocab_size", "a float", lambda: text.one_hot([0], 2.0), TypeError)
bad("sliding_windows", "context", "0", lambda: text.sliding_windows([1, 2, 3], 0), ValueError)
bad("sliding_windows", "context", "as long as ids", lambda: text.sliding_windows([1, 2, 3], 3), ValueError)
bad("sliding_windows", "context", "a float", lambda: text.sliding_windows([1, 2, 3], 1.5), TypeError)
bad("sliding_windows", "ids", "a string", lambda: text.sliding_windows("abc", 1), TypeError)
bad("sliding_windows", "ids", "2-D", lambda: text.sliding_windows([[1, 2], [3, 4]], 1), ValueError)
bad("sliding_windows", "ids", "floats", lambda: text.sliding_windows([1.0, 2.0, 3.0], 1), TypeError)
CORPUS = torch.arange(50) % 7
bad("random_windows", "ids", "a list", lambda: text.random_windows(list(range(50)), 4, 2, gen()), TypeError)
bad("random_windows", "ids", "floats", lambda: text.random_windows(CORPUS.float(), 4, 2, gen()), TypeError)
bad("random_windows", "ids", "2-D", lambda: text.random_windows(CORPUS[None], 4, 2, gen()), ValueError)
bad("random_windows", "context", "0", lambda: text.random_windows(CORPUS, 0, 2, gen()), ValueError)
bad("random_windows", "ids", "shorter than context", lambda: text.random_windows(CORPUS, 60, 2, gen()), ValueError)
bad("random_windows", "batch_size", "0", lambda: text.random_windows(CORPUS, 4, 0, gen()), ValueError)
bad("random_windows", "batch_size", "a float", lambda: text.random_windows(CORPUS, 4, 2.0, gen()), TypeError)
bad("random_windows", "generator", "a seed", lambda: text.random_windows(CORPUS, 4, 2, 0), TypeError, "cpu_generator")

# --- sampling ---------------------------------------------------------------------------------------------------

P = torch.tensor([0.2, 0.5, 0.3])
bad(
    "sample_next", "probabilities", "logits", lambda: sampling.sample_next(torch.tensor([2.0, -1.0]), gen()), ValueError
)
bad("sample_next", "probabilities", "not adding up to 1", lambda: sampling.sample_next(P * 2 / 3, gen()), ValueError)
bad("sample_next", "probabilities", "2-D", lambda: sampling.sample_next(P[None], gen()), ValueError)
bad("sample_next", "probabilities", "empty", lambda: sampling.sample_next(torch.tensor([]), gen()), ValueError)
bad(
    "sample_next",
    "probabilities",
    "a NaN",
    lambda: sampling.sample_next(torch.tensor([float("nan"), 1.0]), gen()),
    ValueError,
)
bad("sample_next", "generator", "a seed", lambda: sampling.sample_next(P, 0), TypeError)
bad("sample_next", "generator", "None", lambda: sampling.sample_next(P, None), TypeError)
bad("sample_next", "probabilities", "swapped arguments", lambda: sampling.sample_next(gen(), P), TypeError)
for value, error in ((-1, ValueError), ("hot", TypeError), (None, TypeError), (float("nan"), ValueError)):
    bad("check_temperature", "temperature", repr(value), lambda v=value: sampling.check_temperature(v), error)
LOGITS = torch.tensor([[2.0, 0.5, -1.0]])
bad("sample_next_token", "logits", "1-D", lambda: sampling.sample_next_token(LOGITS[0]), ValueError, "logits[None]")
bad("sample_next_token", "logits", "a list", lambda: sampling.sample_next_token([[1.0, 2.0]]), TypeError)
bad("sample_next_token", "logits", "ids", lambda: sampling.sample_next_token(torch.ones(1, 3).long()), TypeError)
bad(
    "sample_next_token",
    "logits",
    "NaN",
    lambda: sampling.sample_next_token(torch.full((1, 3), float("nan"))),
    ValueError,
)
bad("sample_next_token", "temperature", "-1", lambda: sampling.sample_next_token(LOGITS, -1.0), ValueError)
bad("sample_next_token", "top_k", "0", lambda: sampling.sample_next_token(LOGITS, top_k=0), ValueError)
bad("sample_next_token", "top_k", "a float", lambda: sampling.sample_next_token(LOGITS, top_k=2.5), TypeError)
bad("sample_next_token", "generator", "a seed", lambda: sampling.sample_next_token(LOGITS, generator=0), TypeError)

# --- training ---------------------------------------------------------------------------------------------------


def _foreign_optimizer() -> object:
    model, _, inputs, targets = regression()
    other = torch.nn.Linear(3, 1)
    return training.train_step(
        model, torch.nn.functional.mse_loss, torch.optim.SGD(other.parameters(), 0.1), inputs, targets
    )


def _broadcast_targets() -> object:
    model, optimizer, inputs, targets = regression()
    return training.train_step(model, torch.nn.functional.mse_loss, optimizer, inputs, targets[:, 0])


bad("train_step", "optimizer", "made for another model", _foreign_optimizer, ValueError, "model.parameters()")
bad("train_step", "targets", "(8,) against predictions (8, 1)", _broadcast_targets, ValueError, "(8, 1)")
bad(
    "train_step",
    "loss_fn",
    "a string",
    lambda: (lambda m, o, x, y: training.train_step(m, "mse", o, x, y))(*regression()),
    TypeError,
)
bad(
    "train_step",
    "optimizer",
    "a string",
    lambda: (lambda m, o, x, y: training.train_step(m, torch.nn.functional.mse_loss, "sgd", x, y))(*regression()),
    TypeError,
)
bad(
    "train_step",
    "model",
    "a plain function",
    lambda: (lambda m, o, x, y: training.train_step(lambda v: v, torch.nn.functional.mse_loss, o, x, y))(*regression()),
    TypeError,
)
bad(
    "train_step",
    "model",
    "model and optimizer swapped",
    lambda: (lambda m, o, x, y: training.train_step(o, torch.nn.functional.mse_loss, m, x, y))(*regression()),
    TypeError,
)


def _train(**changes: object) -> Callable[[], object]:
    def run() -> object:
        model, optimizer, inputs, targets = regression()
        arguments = {
            "model": model,
            "next_batch": lambda: (inputs, targets),
            "loss_fn": torch.nn.functional.mse_loss,
            "optimizer": optimizer,
            "steps": 2,
            "progress": False,
        }
        arguments.update({key: value(model, inputs, targets) for key, value in changes.items()})
        return training.train(**arguments)

    return run


bad("train", "next_batch", "a batch, not a function", _train(next_batch=lambda m, x, y: (x, y)), TypeError)
bad("train", "steps", "0", _train(steps=lambda m, x, y: 0), ValueError)
bad("train", "steps", "a float", _train(steps=lambda m, x, y: 2.5), TypeError)
bad(
    "train",
    "eval_every",
    "evaluate without eval_every",
    _train(evaluate=lambda m, x, y: lambda: 1.0),
    ValueError,
)
bad("train", "evaluate", "a number", _train(evaluate=lambda m, x, y: 0.5, eval_every=lambda m, x, y: 1), TypeError)
bad(
    "train",
    "optimizer",
    "made for another model",
    _train(optimizer=lambda m, x, y: torch.optim.SGD(torch.nn.Linear(3, 1).parameters(), 0.1)),
    ValueError,
)
bad("train", "step_fn", "a string", _train(step_fn=lambda m, x, y: "train_step"), TypeError)
X, Y = torch.randn(6, 3), torch.arange(6)
bad("epoch_batches", "targets", "fewer targets", lambda: training.epoch_batches(X, Y[:4], 2, gen()), ValueError)
bad("epoch_batches", "batch_size", "0", lambda: training.epoch_batches(X, Y, 0, gen()), ValueError)
bad("epoch_batches", "batch_size", "a float", lambda: training.epoch_batches(X, Y, 2.5, gen()), TypeError)
bad("epoch_batches", "generator", "a seed", lambda: training.epoch_batches(X, Y, 2, 0), TypeError)
bad(
    "epoch_batches", "inputs", "lists", lambda: training.epoch_batches([[1.0]] * 6, list(range(6)), 2, gen()), TypeError
)
bad("epoch_batches", "inputs", "no examples", lambda: training.epoch_batches(X[:0], Y[:0], 2, gen()), ValueError)
bad("batches_per_epoch", "count", "0", lambda: training.batches_per_epoch(0, 4), ValueError)
bad("batches_per_epoch", "batch_size", "0", lambda: training.batches_per_epoch(10, 0), ValueError)
bad("batches_per_epoch", "count", "a float", lambda: training.batches_per_epoch(10.0, 4), TypeError)
bad("batches_per_epoch", "count", "a string", lambda: training.batches_per_epoch("10", 4), TypeError)

# --- gpt --------------------------------------------------------------------------------------------------------

for changes, parameter, error in (
    ({"vocab_size": 0}, "vocab_size", ValueError),
    ({"vocab_size": None}, "vocab_size", TypeError),
    ({"d_model": 30}, "d_model", ValueError),
    ({"context": 2.5}, "context", TypeError),
    ({"n_head": 0}, "n_head", ValueError),
    ({"dropout": 1.0}, "dropout", ValueError),
    ({"dropout": "0.1"}, "dropout", TypeError),
    ({"bias": "yes"}, "bias", TypeError),
):
    bad(
        "GPTConfig",
        parameter,
        repr(changes),
        lambda c=changes: gpt_module.GPTConfig(**{"vocab_size": 20, "n_head": 4, **c}),
        error,
        "GPTConfig",
    )
for part in (gpt_module.GPT, gpt_module.CausalSelfAttention, gpt_module.MLP, gpt_module.Block):
    name = part.__name__
    bad(name, "config", "a dict", lambda p=part: p(CONFIG.to_dict()), TypeError, "GPTConfig")
for part in (gpt_module.CausalSelfAttention, gpt_module.MLP, gpt_module.Block):
    name = part.__name__
    bad(name, "x", "a vector of the wrong width", lambda p=part: p(CONFIG)(torch.zeros(1, 3, 8)), ValueError, "16")
    bad(name, "x", "one sequence without a batch", lambda p=part: p(CONFIG)(torch.zeros(3, 16)), ValueError, "x[None]")
    bad(name, "x", "token ids", lambda p=part: p(CONFIG)(torch.zeros(1, 3, 16).long()), TypeError, ".float()")
    bad(name, "x", "a list", lambda p=part: p(CONFIG)([[[0.0] * 16]]), TypeError)
    bad(name, "x", "more tokens than context", lambda p=part: p(CONFIG)(torch.zeros(1, 9, 16)), ValueError, "context")
bad("GPT.forward", "ids", "floats", lambda: small_gpt()(torch.zeros(1, 3)), TypeError, ".long()")
bad("GPT.forward", "ids", "a list", lambda: small_gpt()([[1, 2]]), TypeError)
bad("GPT.forward", "ids", "1-D", lambda: small_gpt()(torch.zeros(3, dtype=torch.long)), ValueError, "ids[None]")
bad("GPT.forward", "ids", "too long", lambda: small_gpt()(torch.zeros(1, 9, dtype=torch.long)), ValueError, "8")
bad("GPT.forward", "ids", "an id of vocab_size", lambda: small_gpt()(torch.full((1, 3), 20)), ValueError, "19")
bad("GPT.forward", "ids", "a negative id", lambda: small_gpt()(torch.full((1, 3), -1)), ValueError)
IDS3 = torch.tensor([[1, 2, 3]])
bad("GPT.generate", "temperature", "-1", lambda: small_gpt().generate(IDS3, 2, temperature=-1.0), ValueError)
bad("GPT.generate", "top_k", "0", lambda: small_gpt().generate(IDS3, 2, top_k=0), ValueError)
bad("GPT.generate", "max_new_tokens", "-2", lambda: small_gpt().generate(IDS3, -2), ValueError)
bad("GPT.generate", "max_new_tokens", "a float", lambda: small_gpt().generate(IDS3, 2.5), TypeError)
bad("GPT.generate", "generator", "a seed", lambda: small_gpt().generate(IDS3, 2, generator=0), TypeError)
bad("GPT.generate", "ids", "an id of vocab_size", lambda: small_gpt().generate(IDS3 + 20, 2), ValueError)
bad("GPT.generate", "ids", "floats", lambda: small_gpt().generate(IDS3.float(), 2), TypeError)
bad("GPT.num_params", "include_position", "a string", lambda: small_gpt().num_params("no"), TypeError)
LOSS_LOGITS, LOSS_TARGETS = torch.zeros(2, 3, 5), torch.ones(2, 3, dtype=torch.long)
bad(
    "next_token_loss",
    "targets",
    "-100 targets",
    lambda: gpt_module.next_token_loss(LOSS_LOGITS, torch.full((2, 3), -100)),
    ValueError,
)
bad(
    "next_token_loss",
    "targets",
    "swapped arguments",
    lambda: gpt_module.next_token_loss(LOSS_TARGETS, LOSS_LOGITS),
    TypeError,
)
bad(
    "next_token_loss",
    "logits",
    "2-D logits",
    lambda: gpt_module.next_token_loss(LOSS_LOGITS[0], LOSS_TARGETS),
    ValueError,
)
bad(
    "next_token_loss",
    "targets",
    "float targets",
    lambda: gpt_module.next_token_loss(LOSS_LOGITS, LOSS_TARGETS.float()),
    TypeError,
)
bad(
    "next_token_loss",
    "targets",
    "an id of vocab_size",
    lambda: gpt_module.next_token_loss(LOSS_LOGITS, LOSS_TARGETS * 5),
    ValueError,
)
bad(
    "next_token_loss",
    "targets",
    "shifted by one too few",
    lambda: gpt_module.next_token_loss(LOSS_LOGITS, LOSS_TARGETS[:, :2]),
    ValueError,
)

# --- plotting ---------------------------------------------------------------------------------------------------

bad("new_axes", "title", "a number", lambda: plotting.new_axes(5, "x", "y"), TypeError)
bad("new_axes", "figsize", "one number", lambda: plotting.new_axes("t", "x", "y", figsize=5), TypeError)
bad("new_axes", "figsize", "three numbers", lambda: plotting.new_axes("t", "x", "y", figsize=(1, 2, 3)), ValueError)
bad("plot_losses", "train_steps", "a loss short", lambda: plotting.plot_losses([1, 2], [0.5]), ValueError)
bad("plot_losses", "train_steps", "strings", lambda: plotting.plot_losses(["a"], [0.5]), TypeError)
bad("plot_losses", "train_losses", "nothing", lambda: plotting.plot_losses([], []), ValueError)
bad("plot_losses", "train_steps", "None", lambda: plotting.plot_losses(None, [0.5]), TypeError)
bad("plot_losses", "train_steps", "a History", lambda: plotting.plot_losses(training.History()), TypeError)
bad("plot_losses", "train_losses", "2-D", lambda: plotting.plot_losses([1, 2], [[0.5, 0.4]]), ValueError)
bad("draw_network", "layer_sizes", "one layer", lambda: plotting.draw_network([2]), ValueError)
bad("draw_network", "layer_sizes", "a layer of 0", lambda: plotting.draw_network([2, 0, 1]), ValueError)
bad("draw_network", "layer_sizes", "a number", lambda: plotting.draw_network(3), TypeError)
bad("draw_network", "layer_sizes", "a float size", lambda: plotting.draw_network([2, 1.5]), TypeError)
bad(
    "draw_network",
    "weights",
    "a transposed matrix",
    lambda: plotting.draw_network([2, 3], weights=[np.ones((2, 3))]),
    ValueError,
    "(3, 2)",
)
bad(
    "draw_network",
    "node_labels",
    "too few",
    lambda: plotting.draw_network([2, 1], node_labels=[["a"], ["b"]]),
    ValueError,
)
W = np.ones((2, 2))
bad("plot_matrices", "matrices", "one matrix", lambda: plotting.plot_matrices(W, ["W"]), TypeError, "[matrix]")
bad("plot_matrices", "titles", "too many", lambda: plotting.plot_matrices([W], ["a", "b"]), ValueError)
bad("plot_matrices", "titles", "a string", lambda: plotting.plot_matrices([W], "W"), TypeError)
bad("plot_matrices", "matrices", "3-D", lambda: plotting.plot_matrices([np.ones((2, 2, 2))], ["a"]), ValueError)
bad("plot_matrices", "matrices", "empty", lambda: plotting.plot_matrices([], []), ValueError)
bad("plot_matrices", "operators", "too many", lambda: plotting.plot_matrices([W], ["W"], ["@"]), ValueError)
bad("plot_matrices", "decimals", "a float", lambda: plotting.plot_matrices([W], ["W"], decimals=1.5), TypeError)

# --- text_plots -------------------------------------------------------------------------------------------------

bad("visible", "char", "an id", lambda: text_plots.visible(5), TypeError)
bad("plot_vocab", "vocab", "empty", lambda: text_plots.plot_vocab([]), ValueError)
bad("plot_vocab", "vocab", "a number", lambda: text_plots.plot_vocab(5), TypeError)
bad("plot_vocab", "vocab", "ids", lambda: text_plots.plot_vocab([1, 2]), TypeError)
bad("plot_windows", "context", "0", lambda: text_plots.plot_windows("hello", 0, [0]), ValueError)
bad("plot_windows", "starts", "no room for the target", lambda: text_plots.plot_windows("hello", 2, [3]), ValueError)
bad("plot_windows", "starts", "a number", lambda: text_plots.plot_windows("hello", 2, 0), TypeError)
bad("plot_windows", "starts", "a float", lambda: text_plots.plot_windows("hello", 2, [1.5]), TypeError)
bad("plot_windows", "text", "empty", lambda: text_plots.plot_windows("", 2, [0]), ValueError)
bad("plot_windows", "text", "ids", lambda: text_plots.plot_windows([1, 2, 3, 4], 2, [0]), TypeError)
bad(
    "plot_char_matrix",
    "matrix",
    "the wrong shape",
    lambda: text_plots.plot_char_matrix(COUNTS[:2], VOCAB, VOCAB, "t"),
    ValueError,
)
bad("plot_char_matrix", "matrix", "1-D", lambda: text_plots.plot_char_matrix(COUNTS[0], VOCAB, VOCAB, "t"), ValueError)
bad(
    "plot_char_matrix",
    "matrix",
    "negative numbers on a log scale",
    lambda: text_plots.plot_char_matrix(-PROBS, VOCAB, VOCAB, "t", log_scale=True),
    ValueError,
    "log_scale",
)
bad("plot_char_matrix", "row_chars", "a number", lambda: text_plots.plot_char_matrix(COUNTS, 3, VOCAB, "t"), TypeError)
bad(
    "plot_distribution",
    "probabilities",
    "logits",
    lambda: text_plots.plot_distribution([2.0, -1.0, 0.5], VOCAB, "t"),
    ValueError,
    "softmax",
)
bad(
    "plot_distribution",
    "probabilities",
    "one per character missing",
    lambda: text_plots.plot_distribution([0.5, 0.5], VOCAB, "t"),
    ValueError,
)
bad("plot_distribution", "top", "0", lambda: text_plots.plot_distribution(PROBS[0], VOCAB, "t", top=0), ValueError)
bad(
    "plot_distribution",
    "drawn",
    "an id outside vocab",
    lambda: text_plots.plot_distribution(PROBS[0], VOCAB, "t", drawn=[0, 9]),
    ValueError,
)
bad(
    "plot_distribution",
    "drawn",
    "fractional ids",
    lambda: text_plots.plot_distribution(PROBS[0], VOCAB, "t", drawn=[0.5]),
    TypeError,
)
bad(
    "plot_distribution",
    "vocab",
    "swapped arguments",
    lambda: text_plots.plot_distribution(VOCAB, PROBS[0], "t"),
    TypeError,
)

# --- flowers and housing ----------------------------------------------------------------------------------------

for value, error in ((0, ValueError), (2.5, TypeError), ("10", TypeError)):
    bad("make_flowers", "n", repr(value), lambda v=value: flowers.make_flowers(v), error)
bad("make_flowers", "seed", "-1", lambda: flowers.make_flowers(10, seed=-1), ValueError)
bad("make_flowers", "seed", "a float", lambda: flowers.make_flowers(10, seed=1.5), TypeError)
bad(
    "train_heldout_split",
    "labels",
    "fewer labels",
    lambda: (lambda f, lab: flowers.train_heldout_split(f, lab[:5]))(*flowers_data()),
    ValueError,
)
bad(
    "train_heldout_split",
    "heldout_fraction",
    "a percentage",
    lambda: (lambda f, lab: flowers.train_heldout_split(f, lab, 20))(*flowers_data()),
    ValueError,
)
bad(
    "train_heldout_split",
    "heldout_fraction",
    "a string",
    lambda: (lambda f, lab: flowers.train_heldout_split(f, lab, "0.2"))(*flowers_data()),
    TypeError,
)
bad(
    "train_heldout_split",
    "seed",
    "-1",
    lambda: (lambda f, lab: flowers.train_heldout_split(f, lab, 0.2, seed=-1))(*flowers_data()),
    ValueError,
)
bad(
    "train_heldout_split",
    "features",
    "two columns",
    lambda: (lambda f, lab: flowers.train_heldout_split(f[:, :2], lab))(*flowers_data()),
    ValueError,
)
bad(
    "train_heldout_split",
    "labels",
    "a label of 2",
    lambda: (lambda f, lab: flowers.train_heldout_split(f, lab + 1))(*flowers_data()),
    ValueError,
)
bad("plot_flowers", "x", "4", lambda: (lambda f, lab: flowers.plot_flowers(f, lab, x=4))(*flowers_data()), ValueError)
bad(
    "plot_flowers",
    "x",
    "a float",
    lambda: (lambda f, lab: flowers.plot_flowers(f, lab, x=1.5))(*flowers_data()),
    TypeError,
)
bad(
    "plot_flowers",
    "features",
    "two columns",
    lambda: (lambda f, lab: flowers.plot_flowers(f[:, :2], lab))(*flowers_data()),
    ValueError,
)
bad(
    "plot_flowers",
    "labels",
    "fewer labels",
    lambda: (lambda f, lab: flowers.plot_flowers(f, lab[:3]))(*flowers_data()),
    ValueError,
)
bad("decision_map", "predict", "an array", lambda: flowers.decision_map(np.zeros(3), (0, 1), (0, 1)), TypeError)
bad(
    "decision_map",
    "x_range",
    "high before low",
    lambda: flowers.decision_map(probability_of_flower, (1, 0), (0, 1)),
    ValueError,
)
bad("decision_map", "x_range", "a number", lambda: flowers.decision_map(probability_of_flower, 5, (0, 1)), TypeError)
bad(
    "decision_map",
    "resolution",
    "1",
    lambda: flowers.decision_map(probability_of_flower, (0, 1), (0, 1), 1),
    ValueError,
)
bad(
    "decision_map",
    "predict",
    "two numbers per point",
    lambda: flowers.decision_map(lambda p: p, (0, 1), (0, 1)),
    ValueError,
)
POINTS, POINT_LABELS = np.array([[0.2, 0.3], [0.8, 0.9]]), np.array([0, 1])
bad(
    "plot_decision_boundary",
    "predict",
    "logits instead of probabilities",
    lambda: flowers.plot_decision_boundary(
        lambda p: 10 * (p[:, 0] - 0.5), POINTS, POINT_LABELS, x_range=(0, 1), y_range=(0, 1)
    ),
    ValueError,
    "sigmoid",
)
bad(
    "plot_decision_boundary",
    "points",
    "three columns",
    lambda: flowers.plot_decision_boundary(
        probability_of_flower, np.ones((2, 3)), POINT_LABELS, x_range=(0, 1), y_range=(0, 1)
    ),
    ValueError,
)
bad(
    "plot_decision_boundary",
    "labels",
    "fewer labels",
    lambda: flowers.plot_decision_boundary(probability_of_flower, POINTS, [0], x_range=(0, 1), y_range=(0, 1)),
    ValueError,
)
bad(
    "plot_decision_boundary",
    "labels",
    "a label of 2",
    lambda: flowers.plot_decision_boundary(probability_of_flower, POINTS, [0, 2], x_range=(0, 1), y_range=(0, 1)),
    ValueError,
)
for value, error in ((1, ValueError), (2.5, TypeError), ("100", TypeError)):
    bad("make_housing", "n_houses", repr(value), lambda v=value: housing.make_housing(v), error)
bad("make_housing", "seed", "-1", lambda: housing.make_housing(10, seed=-1), ValueError)
bad("make_housing", "seed", "None", lambda: housing.make_housing(10, seed=None), TypeError)

# --- tour -------------------------------------------------------------------------------------------------------

bad("TourVocab", "gpt2_ids", "empty", lambda: tour.TourVocab([]), ValueError)
bad("TourVocab", "gpt2_ids", "repeated ids", lambda: tour.TourVocab([5, 5]), ValueError, "distinct")
bad("TourVocab", "gpt2_ids", "an id outside GPT-2", lambda: tour.TourVocab([5, 50_257]), ValueError, "50256")
bad("TourVocab", "gpt2_ids", "a fractional id", lambda: tour.TourVocab([1.5]), TypeError)
bad("TourVocab", "gpt2_ids", "a string", lambda: tour.TourVocab("abc"), TypeError)
bad("TourVocab.from_text", "text", "None", lambda: tour.TourVocab.from_text(None), TypeError)
bad("TourVocab.from_text", "text", "empty", lambda: tour.TourVocab.from_text(""), ValueError)
bad("TourVocab.encode", "text", "an id", lambda: the_tour().vocab.encode(5), TypeError)
bad("TourVocab.decode", "ids", "a fractional id", lambda: the_tour().vocab.decode([1.5]), TypeError)
bad("TourVocab.decode", "ids", "a negative id", lambda: the_tour().vocab.decode([-1]), ValueError)
bad("TourVocab.decode", "ids", "a string of digits", lambda: the_tour().vocab.decode("12"), TypeError)
bad("TourVocab.decode", "ids", "a GPT-2 id", lambda: the_tour().vocab.decode([50_000]), ValueError)
bad("TourVocab.token_text", "compact_id", "-1", lambda: the_tour().vocab.token_text(-1), ValueError)
bad("TourVocab.token_text", "compact_id", "a float", lambda: the_tour().vocab.token_text(2.0), TypeError)
bad("TourVocab.to_gpt2", "ids", "a fractional id", lambda: the_tour().vocab.to_gpt2([0.5]), TypeError)


def _save(**changes: object) -> Callable[[], object]:
    def run() -> object:
        arguments = {"model": small_gpt(), "vocab": tour.TourVocab(list(range(20))), "meta": {}}
        arguments.update(changes)
        with tempfile.TemporaryDirectory() as folder:
            return tour.save_tour_model(Path(folder) / "model.pt", **arguments)

    return run


bad("save_tour_model", "model", "a string", _save(model="model"), TypeError)
bad("save_tour_model", "vocab", "another size", _save(vocab=tour.TourVocab([1, 2, 3])), ValueError, "20")
bad("save_tour_model", "meta", "None", _save(meta=None), TypeError)
bad("tour_model_from_bytes", "content", "garbage", lambda: tour.tour_model_from_bytes(b"not a model"), data.DataError)
bad(
    "tour_model_from_bytes",
    "content",
    "a path",
    lambda: tour.tour_model_from_bytes(str(data.data_dir() / tour.TOUR_MODEL_FILE)),
    TypeError,
)
bad(
    "tour_model_from_bytes",
    "content",
    "a truncated file",
    lambda: tour.tour_model_from_bytes((data.data_dir() / tour.TOUR_MODEL_FILE).read_bytes()[:5000]),
    data.DataError,
    "damaged",
)
bad("encode_prompt", "text", "empty", lambda: tour.encode_prompt(the_tour(), ""), ValueError)
bad("encode_prompt", "text", "a number", lambda: tour.encode_prompt(the_tour(), 5), TypeError)
bad("encode_prompt", "tour", "swapped arguments", lambda: tour.encode_prompt(PROMPT, the_tour()), TypeError)
bad(
    "encode_prompt",
    "Reword the prompt",
    "a token Shakespeare never uses",
    lambda: tour.encode_prompt(the_tour(), "Hello smartphone"),
    tour.OutOfVocabularyError,
    "smartphone",
)
bad("next_token_probabilities", "ids", "text", lambda: tour.next_token_probabilities(the_tour(), PROMPT), TypeError)
bad(
    "next_token_probabilities",
    "ids",
    "2-D",
    lambda: tour.next_token_probabilities(the_tour(), prompt_ids()[None]),
    ValueError,
)
bad(
    "next_token_probabilities",
    "ids",
    "floats",
    lambda: tour.next_token_probabilities(the_tour(), prompt_ids().float()),
    TypeError,
)
bad(
    "next_token_probabilities",
    "ids",
    "GPT-2 ids",
    lambda: tour.next_token_probabilities(the_tour(), torch.tensor([50_000])),
    ValueError,
)
bad(
    "next_token_probabilities",
    "temperature",
    "-1",
    lambda: tour.next_token_probabilities(the_tour(), prompt_ids(), -1),
    ValueError,
)
bad("top_tokens", "probabilities", "logits", lambda: tour.top_tokens(the_tour(), tour_logits()), ValueError)
bad("top_tokens", "k", "0", lambda: tour.top_tokens(the_tour(), tour_probs(), 0), ValueError)
bad("top_tokens", "k", "a float", lambda: tour.top_tokens(the_tour(), tour_probs(), 2.5), TypeError)
bad("top_tokens", "probabilities", "a slice", lambda: tour.top_tokens(the_tour(), tour_probs()[:10]), ValueError)
bad("top_tokens", "tour", "swapped arguments", lambda: tour.top_tokens(tour_probs(), the_tour()), TypeError)
bad("generate_steps", "n_tokens", "-1", lambda: tour.generate_steps(the_tour(), PROMPT, -1), ValueError)
bad("generate_steps", "n_tokens", "a float", lambda: tour.generate_steps(the_tour(), PROMPT, 2.5), TypeError)
bad("generate_steps", "temperature", "-1", lambda: tour.generate_steps(the_tour(), PROMPT, 2, -1), ValueError)
bad("generate_steps", "seed", "-1", lambda: tour.generate_steps(the_tour(), PROMPT, 2, seed=-1), ValueError)
bad("generate_steps", "k", "0", lambda: tour.generate_steps(the_tour(), PROMPT, 2, k=0), ValueError)
bad("generate_steps", "text", "ids as the prompt", lambda: tour.generate_steps(the_tour(), prompt_ids(), 2), TypeError)
bad("generate_text", "n_tokens", "-1", lambda: tour.generate_text(the_tour(), PROMPT, -1), ValueError)
bad("generate_text", "seed", "-1", lambda: tour.generate_text(the_tour(), PROMPT, 2, seed=-1), ValueError)
bad("generate_text", "seed", "a string", lambda: tour.generate_text(the_tour(), PROMPT, 2, seed="0"), TypeError)
bad("generate_text", "temperature", "a string", lambda: tour.generate_text(the_tour(), PROMPT, 2, "hot"), TypeError)
bad("plot_top_tokens", "top", "empty", lambda: tour.plot_top_tokens([], "t"), ValueError)
bad(
    "plot_top_tokens",
    "top",
    "the probabilities",
    lambda: tour.plot_top_tokens(torch.tensor([0.5, 0.5]), "t"),
    TypeError,
)
bad("plot_top_tokens", "probability", "above 1", lambda: tour.plot_top_tokens([("a", 1.5)], "t"), ValueError)
bad("plot_top_tokens", "top", "pairs swapped", lambda: tour.plot_top_tokens([(0.5, "a")], "t"), TypeError)
bad("plot_top_tokens", "xmax", "0", lambda: tour.plot_top_tokens([("a", 0.5)], "t", xmax=0), ValueError)
bad("plot_step_grid", "steps", "empty", lambda: tour.plot_step_grid([]), ValueError)
bad("plot_step_grid", "steps", "a string", lambda: tour.plot_step_grid("abc"), TypeError)
bad("plot_step_grid", "steps", "one step", lambda: tour.plot_step_grid(tour_steps()[0]), TypeError)
bad("plot_step_grid", "columns", "0", lambda: tour.plot_step_grid(tour_steps(), columns=0), ValueError)
bad("steps_html", "steps", "numbers", lambda: tour.steps_html([1, 2]), TypeError)
bad("steps_html", "max_height_px", "-1", lambda: tour.steps_html(tour_steps(), max_height_px=-1), ValueError)
bad("sample_html", "continuation", "ids", lambda: tour.sample_html(PROMPT, torch.tensor([1, 2])), TypeError)
bad("sample_html", "prompt", "None", lambda: tour.sample_html(None, "x"), TypeError)
bad(
    "temperature_widget",
    "temperature",
    "5, above the slider",
    lambda: tour.temperature_widget(the_tour(), PROMPT, 2, temperature=5),
    ValueError,
    "2",
)
bad(
    "temperature_widget",
    "temperature",
    "-1",
    lambda: tour.temperature_widget(the_tour(), PROMPT, 2, temperature=-1),
    ValueError,
)
bad("temperature_widget", "seed", "-1", lambda: tour.temperature_widget(the_tour(), PROMPT, 2, seed=-1), ValueError)
bad("temperature_widget", "n_tokens", "-1", lambda: tour.temperature_widget(the_tour(), PROMPT, -1), ValueError)
bad("temperature_widget", "text", "empty prompt", lambda: tour.temperature_widget(the_tour(), "", 2), ValueError)
bad(
    "train",
    "next_batch",
    "returns one tensor, not a pair",
    _train(next_batch=lambda m, x, y: lambda: x),
    TypeError,
    "(inputs, targets)",
)
bad(
    "decision_map",
    "predict",
    "returns NaN",
    lambda: flowers.decision_map(lambda p: np.full(len(p), np.nan), (0, 1), (0, 1)),
    ValueError,
    "NaN",
)


# --- chapter 09: the block's parts ------------------------------------------------------------------------------


def _ln_args(C: int = 4) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return torch.randn(3, C), torch.ones(C), torch.zeros(C)


def _mlp_args() -> list[torch.Tensor]:
    return [torch.randn(2, 4), torch.randn(4, 16), torch.zeros(16), torch.randn(16, 4), torch.zeros(4)]


def _mlp_with(index: int, value: object) -> Callable[[], object]:
    def call() -> object:
        args: list[object] = list(_mlp_args())
        args[index] = value
        return block.mlp(*args)

    return call


bad("gelu", "x", "a list", lambda: block.gelu([1.0, 2.0]), TypeError, "torch.tensor")
bad("gelu", "x", "integers", lambda: block.gelu(torch.arange(3)), TypeError, ".float()")
bad("gelu_tanh", "x", "a number", lambda: block.gelu_tanh(1.5), TypeError)
bad(
    "layer_norm",
    "weight",
    "the wrong width",
    lambda: block.layer_norm(torch.randn(3, 4), torch.ones(5), torch.zeros(4)),
    ValueError,
    "(4,)",
)
bad(
    "layer_norm",
    "bias",
    "the wrong width",
    lambda: block.layer_norm(torch.randn(3, 4), torch.ones(4), torch.zeros(3)),
    ValueError,
    "(4,)",
)
bad(
    "layer_norm",
    "weight",
    "a matrix",
    lambda: block.layer_norm(torch.randn(3, 4), torch.ones(3, 4), torch.zeros(4)),
    ValueError,
    "(4,)",
)
bad("layer_norm", "eps", "0", lambda: block.layer_norm(*_ln_args(), eps=0.0), ValueError, "above 0")
bad("layer_norm", "eps", "negative", lambda: block.layer_norm(*_ln_args(), eps=-1e-5), ValueError, "above 0")
bad(
    "layer_norm",
    "x",
    "a 0-d tensor",
    lambda: block.layer_norm(torch.tensor(1.0), torch.ones(1), torch.zeros(1)),
    ValueError,
    "0-d",
)
bad("mlp", "w_fc", "transposed, as nn.Linear stores it", _mlp_with(1, torch.randn(16, 4)), ValueError, "transposed")
bad("mlp", "b_fc", "the wrong width", _mlp_with(2, torch.zeros(4)), ValueError, "(16,)")
bad("mlp", "w_proj", "the wrong shape", _mlp_with(3, torch.randn(16, 5)), ValueError, "(16, 4)")
bad("mlp", "b_proj", "the wrong width", _mlp_with(4, torch.zeros(16)), ValueError, "(4,)")
bad("mlp", "w_fc", "a vector", _mlp_with(1, torch.randn(4)), ValueError, "2-D")
bad("mlp", "x", "float64, the weights float32", _mlp_with(0, torch.randn(2, 4).double()), TypeError, "one dtype")
bad("dropout", "p", "1", lambda: block.dropout(torch.ones(3), 1.0, True, gen()), ValueError, "below 1")
bad("dropout", "p", "negative", lambda: block.dropout(torch.ones(3), -0.1, True, gen()), ValueError, "at least 0")
bad("dropout", "p", "a percentage", lambda: block.dropout(torch.ones(3), 10, True, gen()), ValueError, "below 1")
bad(
    "dropout",
    "training",
    "a string",
    lambda: block.dropout(torch.ones(3), 0.1, "yes", gen()),
    TypeError,
    "True or False",
)
bad("dropout", "generator", "a seed", lambda: block.dropout(torch.ones(3), 0.1, True, 0), TypeError, "cpu_generator(0)")
bad("sinusoidal_encoding", "T", "0", lambda: block.sinusoidal_encoding(0, 8), ValueError, "at least 1")
bad("sinusoidal_encoding", "d", "0", lambda: block.sinusoidal_encoding(8, 0), ValueError, "at least 1")
bad("sinusoidal_encoding", "d", "a float", lambda: block.sinusoidal_encoding(8, 8.0), TypeError)
bad(
    "block_forward",
    "block",
    "a whole GPT",
    lambda: block.block_forward(small_gpt(), torch.randn(1, 4, 16)),
    TypeError,
    "model.h[0]",
)
bad(
    "block_forward",
    "x",
    "the wrong width",
    lambda: block.block_forward(small_gpt().h[0], torch.randn(1, 4, 8)),
    ValueError,
    "d_model",
)
bad(
    "block_forward",
    "x",
    "no batch dimension",
    lambda: block.block_forward(small_gpt().h[0], torch.randn(4, 16)),
    ValueError,
    "x[None]",
)
bad("draw_block", "norm", "a misspelling", lambda: block_plots.draw_block("prenorm"), ValueError, '"pre"')
# --- chapter 10: the trainer, the GPT training step and its schedule ----------------------------------------------
from course_utils import gpt_export, gpt_plots  # noqa: E402
from course_utils import trainer as trainer_module  # noqa: E402

X3 = torch.tensor([[1, 2, 3]])


def _sgd() -> torch.optim.Optimizer:
    return torch.optim.SGD(gpt_module.GPT(CONFIG).parameters(), lr=0.1)  # another model than small_gpt()


bad(
    "GPTConfig",
    "fast_attention",
    "a string",
    lambda: gpt_module.GPTConfig(vocab_size=20, fast_attention="yes"),
    TypeError,
)
bad("GPT.generate", "top_p", "1.5", lambda: small_gpt().generate(IDS3, 2, top_p=1.5), ValueError)
bad(
    "gpt_training_step",
    "optimizer",
    "another model's",
    lambda: training.gpt_training_step(small_gpt(), _sgd(), X3, X3),
    ValueError,
    "model.parameters()",
)
bad(
    "gpt_training_step",
    "x",
    "floats",
    lambda: (m := small_gpt(), training.gpt_training_step(m, torch.optim.SGD(m.parameters(), lr=0.1), X3.float(), X3)),
    TypeError,
)
bad(
    "gpt_training_step",
    "y",
    "another shape",
    lambda: (m := small_gpt(), training.gpt_training_step(m, torch.optim.SGD(m.parameters(), lr=0.1), X3, X3[:, :2])),
    ValueError,
    "same shape",
)
bad(
    "gpt_training_step",
    "clip",
    "0",
    lambda: (m := small_gpt(), training.gpt_training_step(m, torch.optim.SGD(m.parameters(), lr=0.1), X3, X3, clip=0)),
    ValueError,
)
bad("adamw_for_gpt", "lr", "negative", lambda: training.adamw_for_gpt(small_gpt(), -1e-3), ValueError)
bad("adamw_for_gpt", "betas", "one number", lambda: training.adamw_for_gpt(small_gpt(), 1e-3, betas=0.9), TypeError)
bad(
    "warmup_cosine_lr",
    "min_lr",
    "above peak_lr",
    lambda: training.warmup_cosine_lr(3, peak_lr=1e-3, min_lr=1e-2, warmup_steps=2, decay_steps=10),
    ValueError,
)
bad(
    "warmup_cosine_lr",
    "decay_steps",
    "before the warm-up ends",
    lambda: training.warmup_cosine_lr(3, peak_lr=1e-3, min_lr=0, warmup_steps=20, decay_steps=10),
    ValueError,
)
bad("heldout_windows", "context", "longer than the text", lambda: training.heldout_windows(X3[0], 5), ValueError, "5")
bad("mean_loss", "targets", "another shape", lambda: training.mean_loss(small_gpt(), X3, X3[:, :2]), ValueError)
bad(
    "TrainSettings",
    "d_model",
    "not a multiple of n_head",
    lambda: trainer_module.TrainSettings(d_model=130),
    ValueError,
)
bad("TrainSettings", "warmup_steps", "more than steps", lambda: trainer_module.TrainSettings(steps=10), ValueError)
bad("TrainSettings", "peak_lr", "0", lambda: trainer_module.TrainSettings(peak_lr=0), ValueError)
bad("CharTrainer", "settings", "a dict", lambda: trainer_module.CharTrainer({"steps": 10}), TypeError, "TrainSettings")
bad(
    "load_char_gpt",
    "path",
    "a missing file",
    lambda: trainer_module.load_char_gpt("/nonexistent/x.pt"),
    FileNotFoundError,
)
bad("load_char_gpt", "path", "a number", lambda: trainer_module.load_char_gpt(3), TypeError)
bad(
    "CharGPT.encode",
    "text",
    "a character it has no id for",
    lambda: trainer_module.load_char_gpt().encode("ROMEO€"),
    ValueError,
    "'€'",
)
bad(
    "to_transformers",
    "model",
    "no biases",
    lambda: gpt_export.to_transformers(
        gpt_module.GPT(gpt_module.GPTConfig(vocab_size=5, context=4, n_layer=1, n_head=1, d_model=4, bias=False))
    ),
    ValueError,
    "bias=True",
)
bad("trace_shapes", "ids", "a list", lambda: gpt_plots.trace_shapes(small_gpt(), [[1, 2]]), TypeError)


# --- chapter 11: flops, the KV cache, GPT-2's weights, speed, distributed -----------------------------------------

from course_utils import attention as attention_module  # noqa: E402
from course_utils import distributed, flops, gpt2_weights, speed  # noqa: E402

A100 = flops.PEAK_FLOPS["A100"]
bad("training_flops", "n_params", "a string", lambda: flops.training_flops("175e9", 300e9), TypeError, "quotes")
bad("training_flops", "n_tokens", "0", lambda: flops.training_flops(175e9, 0), ValueError, "above 0")
bad("flops_per_token", "n_layer", "a float", lambda: flops.flops_per_token(1e6, 2.5, 64, 32), TypeError)
bad("flops_per_token", "context", "0", lambda: flops.flops_per_token(1e6, 2, 0, 32), ValueError)
bad("gpu_years", "sustained_flops_per_second", "0", lambda: flops.gpu_years(1e20, 0), ValueError, "28e12")
bad("training_cost", "dollars_per_gpu_hour", "-1", lambda: flops.training_cost(1e20, 1e12, -1), ValueError)
bad("bytes_per_parameter", "precision", "int8", lambda: flops.bytes_per_parameter("int8"), ValueError, "bf16")
bad("bytes_per_parameter", "precision", "a dtype", lambda: flops.bytes_per_parameter(torch.bfloat16), TypeError)
bad("activation_bytes", "batch_size", "0", lambda: flops.activation_bytes(2, 64, 32, 2, 0), ValueError)
bad("training_memory_bytes", "n_params", "-5", lambda: flops.training_memory_bytes(-5, 2, 64, 32, 2, 1), ValueError)
bad("peak_flops", "device_name", "a device", lambda: flops.peak_flops(torch.device("cpu"), "bf16"), TypeError)
bad("peak_flops", "precision", "fp8", lambda: flops.peak_flops("NVIDIA H100", "fp8"), ValueError, "bfloat16")
bad("device_key", "device_name", "None", lambda: flops.device_key(None), TypeError, "get_device_name")
bad("cpu_peak_flops", "cores", "0", lambda: flops.cpu_peak_flops(cores=0), ValueError)
bad("cpu_peak_flops", "ghz", "a string", lambda: flops.cpu_peak_flops(ghz="3"), TypeError)
bad("mfu", "peaks", "a number", lambda: flops.mfu(1e5, 1e9, 312e12, "bfloat16"), TypeError, "by precision")
bad("mfu", "precision", "missing", lambda: flops.mfu(1e5, 1e9, flops.PEAK_FLOPS["T4"], "bfloat16"), KeyError, "has")
bad("mfu", "tokens_per_second", "negative", lambda: flops.mfu(-1, 1e9, A100, "bfloat16"), ValueError)
bad("mfu", "flops_per_token", "0", lambda: flops.mfu(1e5, 0, A100, "bfloat16"), ValueError)
bad("format_flops", "value", "a string", lambda: flops.format_flops("1e9"), TypeError)

QKV = torch.zeros(1, 2, 3, 4)
bad("cached_attention", "q", "a list", lambda: attention_module.cached_attention([[1.0]], QKV, QKV), TypeError)
bad(
    "cached_attention",
    "past_k",
    "without past_v",
    lambda: attention_module.cached_attention(QKV, QKV, QKV, past_k=QKV),
    ValueError,
    "past_v",
)
bad("GPTConfig", "gelu", "approx", lambda: gpt_module.GPTConfig(vocab_size=5, gelu="approx"), ValueError, "tanh")
bad("GPTConfig", "gelu", "a bool", lambda: gpt_module.GPTConfig(vocab_size=5, gelu=True), ValueError, "exact")
bad("KVCache", "model", "a config", lambda: gpt_module.KVCache(CONFIG), TypeError, "GPT")


def _cached_forward(ids: torch.Tensor, cache: object = None, train: bool = False) -> object:
    model = gpt_module.GPT(CONFIG).train(train)
    with torch.no_grad():
        return model(ids, kv_cache=gpt_module.KVCache(model) if cache is None else cache)


bad("GPT.forward", "kv_cache", "a list", lambda: _cached_forward(torch.zeros(1, 2, dtype=torch.long), []), TypeError)
bad(
    "GPT.forward",
    "kv_cache",
    "in training mode",
    lambda: _cached_forward(torch.zeros(1, 2, dtype=torch.long), train=True),
    ValueError,
    "model.eval()",
)
bad(
    "GPT.forward",
    "kv_cache",
    "another model's",
    lambda: _cached_forward(
        torch.zeros(1, 2, dtype=torch.long), gpt_module.KVCache(gpt_module.GPT(gpt_module.GPTConfig(vocab_size=7)))
    ),
    ValueError,
    "KVCache(model)",
)
bad("generate_cached", "model", "a config", lambda: gpt_module.generate_cached(CONFIG, IDS3, 2), TypeError)
bad("generate_cached", "max_new_tokens", "-1", lambda: gpt_module.generate_cached(small_gpt(), IDS3, -1), ValueError)
bad("generate_cached", "temperature", "-1", lambda: gpt_module.generate_cached(small_gpt(), IDS3, 2, -1.0), ValueError)
bad("generate_cached", "ids", "floats", lambda: gpt_module.generate_cached(small_gpt(), IDS3.float(), 2), TypeError)


def _tanh_gpt() -> gpt_module.GPT:
    return gpt_module.GPT(gpt_module.GPTConfig(vocab_size=20, context=8, n_layer=1, n_head=2, d_model=16, gelu="tanh"))


def _file_state(drop: str = "", extra: str = "") -> dict:
    state = {}
    for name, tensor in _tanh_gpt().state_dict().items():
        if name != "lm_head.weight" and name != drop:
            state["transformer." + name] = tensor.t() if name.endswith(gpt2_weights.CONV1D_WEIGHTS) else tensor
    if extra:
        state[extra] = torch.zeros(2)
    return state


bad("gpt2_to_course_state", "gpt2_state", "a list", lambda: gpt2_weights.gpt2_to_course_state([]), TypeError)
bad("load_gpt2_state", "model", "a config", lambda: gpt2_weights.load_gpt2_state(CONFIG, _file_state()), TypeError)
bad(
    "load_gpt2_state",
    "model",
    "the exact GELU",
    lambda: gpt2_weights.load_gpt2_state(gpt_module.GPT(CONFIG), _file_state()),
    ValueError,
    "gelu='tanh'",
)
bad(
    "load_gpt2_state",
    "gpt2_state",
    "a missing weight",
    lambda: gpt2_weights.load_gpt2_state(_tanh_gpt(), _file_state(drop="h.0.ln_2.weight")),
    ValueError,
    "missing",
    "h.0.ln_2.weight",
)
bad(
    "load_gpt2_state",
    "gpt2_state",
    "an unexpected name",
    lambda: gpt2_weights.load_gpt2_state(_tanh_gpt(), _file_state(extra="transformer.h.0.rotary.weight")),
    ValueError,
    "unexpected",
    "h.0.rotary.weight",
)
bad("load_gpt2_state", "gpt2_state", "a path", lambda: gpt2_weights.load_gpt2_state(_tanh_gpt(), "gpt2"), TypeError)
bad(
    "load_gpt2_state",
    "to_course_state",
    "a dict",
    lambda: gpt2_weights.load_gpt2_state(_tanh_gpt(), _file_state(), {}),
    TypeError,
)
bad("gpt2_config", "config", "a number", lambda: gpt2_weights.gpt2_config(12), TypeError, "config.json")
bad("gpt2_config", "config", "no n_head", lambda: gpt2_weights.gpt2_config({"vocab_size": 5}), ValueError, "n_head")
bad("config_from_state", "gpt2_state", "no wte", lambda: gpt2_weights.config_from_state({}), ValueError, "wte")
bad("find_gpt2", "source", "a missing folder", lambda: gpt2_weights.find_gpt2("/no/such/folder"), FileNotFoundError)
bad("find_gpt2", "download", "a string", lambda: gpt2_weights.find_gpt2(download="yes"), TypeError)
bad("find_gpt2", "source", "a number", lambda: gpt2_weights.find_gpt2(124), TypeError)

bad("Settings", "precision", "int8", lambda: speed.Settings(precision="int8"), ValueError)
bad("Settings", "precision", "tf32", lambda: speed.Settings(precision="tf32"), ValueError, "tf32=True")
bad("Settings", "compile", "a string", lambda: speed.Settings(compile="yes"), TypeError)
bad("check_precision", "precision", "bf16 on a CPU", lambda: speed.check_precision("bf16", "cpu"), ValueError)
bad("check_precision", "device", "a number", lambda: speed.check_precision("float32", 0), TypeError)
bad("padded_vocab_size", "vocab_size", "0", lambda: speed.padded_vocab_size(0), ValueError)
bad("padded_vocab_size", "multiple", "a float", lambda: speed.padded_vocab_size(65, 64.0), TypeError)
bad("compile_model", "model", "a config", lambda: speed.compile_model(CONFIG, "cpu"), TypeError)
bad("format_table", "measurements", "empty", lambda: speed.format_table([]), ValueError)
bad("format_table", "measurements", "a dict", lambda: speed.format_table({}), TypeError)
bad(
    "measure_training",
    "settings",
    "a dict",
    lambda: speed.measure_training(CONFIG, {}, "cpu", torch.zeros(100, dtype=torch.long), batch_size=2, steps=1),
    TypeError,
)
bad(
    "measure_training",
    "steps",
    "0",
    lambda: speed.measure_training(
        CONFIG, speed.Settings(), "cpu", torch.zeros(100, dtype=torch.long), batch_size=2, steps=0
    ),
    ValueError,
)
bad(
    "train_to_loss",
    "target",
    "0",
    lambda: speed.train_to_loss(
        CONFIG, speed.Settings(), "cpu", torch.zeros(100, dtype=torch.long), torch.zeros(100), target=0, budget_s=1
    ),
    ValueError,
)

ONE = distributed.DistributedRun(0, 0, 1, "none", torch.device("cpu"))
bad("start", "backend", "mpi", lambda: distributed.start("mpi"), ValueError, "gloo")
bad("wrap", "run", "a number", lambda: distributed.wrap(torch.nn.Linear(2, 2), 1), TypeError, "start()")
bad("shard", "batch", "a list", lambda: distributed.shard([1, 2], ONE), TypeError)
bad(
    "shard",
    "batch",
    "does not split",
    lambda: distributed.shard(torch.zeros(5, 2), distributed.DistributedRun(0, 0, 2, "gloo", torch.device("cpu"))),
    ValueError,
    "multiple of 2",
)


def _accumulated(micro: object, x: torch.Tensor | None = None) -> object:
    model = small_gpt()
    x = torch.zeros(4, 3, dtype=torch.long) if x is None else x
    return distributed.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.1), x, x, micro)


bad("accumulated_step", "micro_batch", "0", lambda: _accumulated(0), ValueError)
bad("accumulated_step", "micro_batch", "3 of 4 rows", lambda: _accumulated(3), ValueError, "must divide")
bad("accumulated_step", "x", "1-D", lambda: _accumulated(1, torch.zeros(4, dtype=torch.long)), ValueError, "(B, T)")
bad("mean_over_ranks", "value", "a string", lambda: distributed.mean_over_ranks("1", ONE), TypeError)
# --- chapter 12: the encoder-decoder, the dates, chat ------------------------------------------------------------


@functools.cache
def date_model() -> encdec.EncoderDecoder:
    torch.manual_seed(0)
    return encdec.EncoderDecoder(encdec.EncDecConfig(n_layer=1, n_head=2, d_model=16))


class _CharModel:
    """The shape of chapter 10's CharGPT, over a small untrained GPT."""

    def __init__(self) -> None:
        self.vocab = sorted(set("\n !',.?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz{}"))
        torch.manual_seed(0)
        config = gpt_module.GPTConfig(vocab_size=len(self.vocab), context=16, n_layer=1, n_head=2, d_model=16)
        self.model = gpt_module.GPT(config).eval()

    def encode(self, text: str) -> list[int]:
        return [self.vocab.index(c) for c in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.vocab[i] for i in ids)


bad("encode_source", "text", "empty", lambda: encdec.encode_source(""), ValueError)
bad("encode_source", "text", "an unknown character", lambda: encdec.encode_source("3 März 1999"), ValueError, "'ä'")
bad("encode_source", "text", "too long", lambda: encdec.encode_source("3" * 40), ValueError, "39")
bad("encode_source", "text", "token ids", lambda: encdec.encode_source([1, 2]), TypeError)
bad("date_pairs", "n", "0", lambda: encdec.date_pairs(0, "train", 0), ValueError)
bad("date_pairs", "split", "unknown", lambda: encdec.date_pairs(5, "test", 0), ValueError, "heldout")
bad("date_pairs", "seed", "-1", lambda: encdec.date_pairs(5, "train", -1), ValueError)
bad(
    "cross_attention_mask",
    "key_lengths",
    "an empty sequence",
    lambda: encdec.cross_attention_mask([0, 2], 2, 3),
    ValueError,
    "from 1 to T_k",
)
bad(
    "cross_attention_mask",
    "key_lengths",
    "longer than T_k",
    lambda: encdec.cross_attention_mask([4, 2], 2, 3),
    ValueError,
    "T_k = 3",
)
bad("cross_attention_mask", "T_q", "0", lambda: encdec.cross_attention_mask([2], 0, 3), ValueError)
bad(
    "cross_attention_mask",
    "key_lengths",
    "fractions",
    lambda: encdec.cross_attention_mask([2.5], 2, 3),
    TypeError,
    "real length of each sequence",
)
bad(
    "EncDecConfig", "d_model", "not a multiple of n_head", lambda: encdec.EncDecConfig(d_model=10), ValueError, "n_head"
)
bad("EncoderDecoder", "config", "a dict", lambda: encdec.EncoderDecoder({"d_model": 16}), TypeError, "EncDecConfig")
bad(
    "EncoderDecoder.encode",
    "source",
    "longer than the context",
    lambda: date_model().encode(torch.ones(1, 41, dtype=torch.long)),
    ValueError,
    "at most 40",
)
bad("EncoderDecoder.encode", "source", "a list", lambda: date_model().encode([[4, 5]]), TypeError, "tensor")
bad("translate", "text", "empty", lambda: encdec.translate(date_model(), ""), ValueError)
bad("translate", "model", "a string", lambda: encdec.translate("model", "3/3/99"), TypeError, "EncoderDecoder")
bad("beam_search", "beam_width", "0", lambda: encdec.beam_search(date_model(), "3/3/99", beam_width=0), ValueError)
bad("train_translator", "steps", "0", lambda: encdec.train_translator(date_model(), 0), ValueError)
bad("format_chat", "system", "empty", lambda: chat.format_chat("", [("user", "Hail")]), ValueError, "empty")
bad("format_chat", "turns", "a string", lambda: chat.format_chat("Be brief.", "Hail"), TypeError, "pairs")
bad("format_chat", "next_speaker", "system", lambda: chat.format_chat("Be brief.", [], "system"), ValueError, "'bot'")
bad("Chat", "char_model", "None", lambda: chat.Chat(None), TypeError, "load_char_gpt")
bad("Chat.reply", "message", "empty", lambda: chat.Chat(_CharModel()).reply("  "), ValueError, "empty")
bad(
    "Chat.reply",
    "message",
    "unknown characters",
    lambda: chat.Chat(_CharModel()).reply("Grüß dich"),
    ValueError,
    "does not know",
)
bad("continue_chat", "prompt", "empty", lambda: chat.continue_chat(_CharModel(), ""), ValueError)
bad("fine_tune", "steps", "0", lambda: chat.fine_tune(_CharModel(), "{user} Hail\n" * 10, 0), ValueError)
bad("heldout_loss", "text", "too short", lambda: chat.heldout_loss(_CharModel(), "Hail"), ValueError, "context")
bad("chat_widget", "chat", "a model", lambda: chat.chat_widget(_CharModel()), TypeError, "Chat(")
bad("progress", "folder", "a number", lambda: learner_progress.progress(3), TypeError, "path")
bad(
    "progress",
    "folder",
    "a folder that is not there",
    lambda: learner_progress.progress("no-such-folder-of-notebooks"),
    FileNotFoundError,
    "my-notebooks",
)
bad("grade_class", "submissions_dir", "a number", lambda: grade.grade_class(3, "out"), TypeError, "path")
bad(
    "grade_class",
    "submissions_dir",
    "a folder that is not there",
    lambda: grade.grade_class("no-such-class-folder", "out", echo=False),
    NotADirectoryError,
    "not a folder",
)
bad("grade_class", "jobs", "zero", lambda: grade.grade_class(".", "out", jobs=0), ValueError, "at least 1")
bad("source_mask", "source", "floats", lambda: encdec.source_mask(torch.zeros(2, 3)), TypeError, "token ids")
bad(
    "greedy_decode",
    "source",
    "text",
    lambda: encdec.greedy_decode(date_model(), "3/3/99", 5),
    TypeError,
    "source_tensor",
)
bad(
    "greedy_decode",
    "source",
    "a batch",
    lambda: encdec.greedy_decode(date_model(), torch.tensor([[3, 2]]), 5),
    ValueError,
    "1-D",
)
bad("greedy_decode_batch", "sources", "one text", lambda: encdec.greedy_decode_batch(date_model(), "3/3"), TypeError)
bad("greedy_decode_batch", "sources", "empty", lambda: encdec.greedy_decode_batch(date_model(), []), ValueError)
bad("exact_match", "pairs", "empty", lambda: encdec.exact_match(date_model(), []), ValueError, "non-empty")
bad("exact_match", "pairs", "a lone text", lambda: encdec.exact_match(date_model(), [("3/3/99",)]), TypeError)
bad(
    "translation_loss",
    "labels",
    "one position short",
    lambda: encdec.translation_loss(torch.zeros(2, 4, 71), torch.zeros(2, 3, dtype=torch.long)),
    ValueError,
    "match",
)
bad("format_chat", "turns", "a lone text", lambda: chat.format_chat("Be brief.", ["Hail"]), TypeError, "pair")
bad("format_chat", "turns", "a system turn", lambda: chat.format_chat("S", [("system", "Hi")]), ValueError, "'user'")
bad("Chat", "system", "unknown characters", lambda: chat.Chat(_CharModel(), system="Grüß"), ValueError, "'ß'")

# the trainer, data-parallel: a global batch that does not split, a run that is not start()'s
TINY_CORPUS_IDS = torch.tensor([0, 1, 2] * 200)
TINY_SETTINGS = dict(context=8, n_layer=1, n_head=2, d_model=16, batch_size=8, steps=4, warmup_steps=1)


def _char_trainer(**parallel: object) -> object:
    corpus = trainer_module.CharCorpus(["a", "b", "c"], TINY_CORPUS_IDS, TINY_CORPUS_IDS[:100])
    return trainer_module.CharTrainer(trainer_module.TrainSettings(**TINY_SETTINGS), corpus=corpus, **parallel)


THREE = distributed.DistributedRun(0, 0, 3, "gloo", torch.device("cpu"))
bad("CharTrainer", "batch_size", "8 over 3 processes", lambda: _char_trainer(run=THREE), ValueError, "multiple of 3")
bad(
    "CharTrainer",
    "micro_batch",
    "3 of 8 windows",
    lambda: _char_trainer(micro_batch=3),
    ValueError,
    "batch_size",
    "processes x micro_batch",
)
bad("CharTrainer", "micro_batch", "0", lambda: _char_trainer(micro_batch=0), ValueError)
bad("CharTrainer", "run", "a number", lambda: _char_trainer(run=2), TypeError, "start()")
bad("replica_spread", "run", "a number", lambda: distributed.replica_spread(torch.nn.Linear(2, 2), 2), TypeError)


# chapter 10's Muon-with-AdamW optimiser (the default run's) and the choice of optimiser
bad(
    "TrainSettings",
    "optimizer",
    "an optimiser the trainer does not know",
    lambda: trainer_module.TrainSettings(optimizer="sgd"),
    ValueError,
    "'muon'",
    "'adamw'",
)
bad("muon_for_gpt", "model", "a string", lambda: training.muon_for_gpt("gpt", 1e-3), TypeError, "torch.nn.Module")
bad("muon_for_gpt", "lr", "0", lambda: training.muon_for_gpt(torch.nn.Linear(2, 2), 0.0), ValueError, "lr")
bad(
    "muon_for_gpt",
    "model",
    "no linear layer (an embedding only)",
    lambda: training.muon_for_gpt(torch.nn.Embedding(5, 3), 1e-3),
    ValueError,
    "adamw_for_gpt",
)
bad(
    "MuonWithAdamW.load_state_dict",
    "state_dict",
    "a plain AdamW's state",
    lambda: training.muon_for_gpt(torch.nn.Linear(2, 2), 1e-3).load_state_dict(
        torch.optim.AdamW(torch.nn.Linear(2, 2).parameters()).state_dict()
    ),
    ValueError,
    "plain AdamW",
)

# chapter 11, the review: a peak that is unknown, swapped arguments, shapes that do not fit a cache, short ids
bad("mfu", "peaks", "a None peak", lambda: flops.mfu(1e5, 1e9, {"bfloat16": None}, "bfloat16"), TypeError, "unknown")
bad("mfu", "peaks", "a zero peak", lambda: flops.mfu(1e5, 1e9, {"bfloat16": 0.0}, "bfloat16"), ValueError, "above 0")
bad(
    "gpu_years",
    "sustained_flops_per_second",
    "swapped with flops",
    lambda: flops.gpu_years(28e12, 3.14e23),
    ValueError,
    "other way round",
)
QKV_LONGER = torch.zeros(1, 2, 5, 4)
bad(
    "cached_attention",
    "k",
    "longer than q, no cache",
    lambda: attention_module.cached_attention(QKV, QKV_LONGER, QKV_LONGER),
    ValueError,
    "past_k and past_v",
)
bad(
    "cached_attention",
    "past_k",
    "of another width",
    lambda: attention_module.cached_attention(QKV, QKV, QKV, torch.zeros(1, 2, 3, 5), torch.zeros(1, 2, 3, 5)),
    ValueError,
    "another model",
)
bad(
    "measure_training",
    "ids",
    "shorter than a window",
    lambda: speed.measure_training(CONFIG, speed.Settings(), "cpu", torch.zeros(5).long(), batch_size=2, steps=1),
    ValueError,
    "shorter context",
)
bad("build_model", "settings", "a dict", lambda: speed.build_model(CONFIG, {}, "cpu"), TypeError, "Settings")
bad("device_name", "device", "'gpu'", lambda: speed.device_name("gpu"), ValueError, "pick_device")
bad("newton_schulz", "matrix", "a vector", lambda: training.newton_schulz(torch.ones(3)), ValueError, "2-D")
bad("newton_schulz", "steps", "0", lambda: training.newton_schulz(torch.ones(3, 3), steps=0), ValueError, "steps")

# chapter 10 reviewed: Newton-Schulz on what is not one finite matrix, an optimiser named by other than its name
bad("newton_schulz", "matrix", "a list", lambda: training.newton_schulz([[1.0, 2.0]]), TypeError, "torch.tensor")
bad("newton_schulz", "matrix", "empty", lambda: training.newton_schulz(torch.ones(0, 3)), ValueError, "one row")
bad(
    "newton_schulz",
    "matrix",
    "with NaN",
    lambda: training.newton_schulz(torch.full((3, 3), float("nan"))),
    ValueError,
    "learning rate",
)
bad("newton_schulz", "matrix", "3-D", lambda: training.newton_schulz(torch.ones(2, 3, 3)), ValueError, "c_fc")
bad("newton_schulz", "steps", "2.5", lambda: training.newton_schulz(torch.ones(3, 3), steps=2.5), TypeError, "steps")
bad(
    "TrainSettings",
    "optimizer",
    "a list",
    lambda: trainer_module.TrainSettings(optimizer=["muon"]),
    ValueError,
    "'adamw'",
)
bad(
    "TrainSettings",
    "optimizer",
    "a class",
    lambda: trainer_module.TrainSettings(optimizer=torch.optim.AdamW),
    ValueError,
    "'muon'",
)
bad("muon_for_gpt", "betas", "one number", lambda: training.muon_for_gpt(small_gpt(), 1e-3, betas=(0.9,)), TypeError)
bad("muon_for_gpt", "weight_decay", "negative", lambda: training.muon_for_gpt(small_gpt(), 1e-3, -0.1), ValueError)
bad(
    "training_step",
    "optimizer",
    "Muon of another model",
    lambda: training.training_step(small_gpt(), training.muon_for_gpt(gpt_module.GPT(CONFIG), 1e-3), X3, X3),
    ValueError,
    "new optimizer",
)
