"""Train a character-level GPT on Shakespeare from the command line, with checkpoints and ``--resume``.

    python -m course_utils.trainer                       # the course's default run (minutes on a laptop CPU)
    python -m course_utils.trainer --steps 200 --out /tmp/try.pt       # a short try
    python -m course_utils.trainer --resume              # carry on from the checkpoint after an interruption
    python -m course_utils.trainer --preset nanogpt-cpu  # nanoGPT's "baby GPT" CPU recipe, for comparison
    python -m course_utils.trainer --micro-batch 8       # the same steps, 8 windows per forward pass
    torchrun --standalone --nproc_per_node 4 -m course_utils.trainer --batch-size 128   # 4 GPUs, data-parallel

Chapter 10 trains the same model with the same code in its notebook: :class:`CharTrainer` draws random windows
from the training part of the course's split (chapter 03), steps with
:func:`course_utils.training.gpt_training_step` (AdamW, gradient clipping, a warm-up then cosine learning rate)
and measures the held-out loss on the four held-out plays every so often. A checkpoint holds the model, the
optimiser's state, the step, the settings, the vocabulary and the random generators' states, so that a resumed
run draws the same batches and ends with the same weights as one that was never interrupted.

:func:`load_char_gpt` gives later chapters a trained model: the learner's own checkpoint when there is one
(``checkpoints/char_gpt.pt`` in the course folder, or ``$COURSE_CHECKPOINT_DIR/char_gpt.pt``), else the model the
course ships in ``data/char_gpt.pt`` (trained by this module's default run, float16, sha256-checked).

Data-parallel (chapter 11): started by ``torchrun --nproc_per_node N``, each of the N processes joins the group
with :func:`course_utils.distributed.start` (nccl on GPUs, one per process; gloo on CPUs), draws the same global
batch of ``batch_size`` windows from the same generator, trains on its own 1/N of it
(:func:`~course_utils.distributed.shard`) in micro-batches of ``--micro-batch`` windows
(:func:`~course_utils.distributed.accumulated_step`, DDP averaging the gradients), and so takes the step one process
would take on the whole batch. Rank 0 alone evaluates, shows the progress bar, prints and writes checkpoints.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
from tqdm.auto import tqdm

from course_utils import distributed, validate
from course_utils.data import DataError, data_path, shakespeare_split, shakespeare_text, verified_bytes
from course_utils.gpt import GPT, GPTConfig
from course_utils.text import char_vocab, encode_array, random_windows
from course_utils.training import (
    adamw_for_gpt,
    gpt_training_step,
    heldout_windows,
    mean_loss,
    muon_for_gpt,
    set_learning_rate,
    warmup_cosine_lr,
)

CHAR_GPT_FILE = "char_gpt.pt"
# sha256 of data/char_gpt.pt, written when `python -m course_utils.trainer --export data/char_gpt.pt` last made it
CHAR_GPT_SHA256 = "87eb9d53ccfb4a4fd36d34318141b3cd867259fe5f4037739da9b07a1bd5e383"
CHECKPOINT_DIR_ENV_VAR = "COURSE_CHECKPOINT_DIR"
CHECKPOINT_FORMAT = "course_utils.trainer/1"
HELDOUT_SAMPLE_CHUNKS = 25  # the held-out sample: 25 stretches of 4,000 characters spread over the held-out plays
HELDOUT_SAMPLE_CHUNK_CHARS = 4_000


@dataclass(frozen=True)
class TrainSettings:
    """Everything that defines a training run: the model's shape and the optimiser's schedule.

    The model: ``context``, ``n_layer``, ``n_head``, ``d_model``, ``dropout``, ``bias`` and ``fast_attention``
    (see :class:`~course_utils.gpt.GPTConfig`; the vocabulary is Shakespeare's characters). The run:
    ``batch_size`` windows per step for ``steps`` steps; the learning rate warms up over ``warmup_steps`` to
    ``peak_lr`` and decays on a cosine to ``min_lr`` at the last step; ``optimizer`` ``"muon"`` (Muon for the
    linear layers' matrices, AdamW for the rest: :func:`~course_utils.training.muon_for_gpt`) or ``"adamw"``
    (AdamW for every weight), with ``weight_decay`` on the 2-D weights and AdamW's betas ``(beta1, beta2)``;
    gradients clipped to norm ``clip``; the held-out loss every ``eval_every`` steps; ``seed`` for the weights
    and the batches. The defaults are the course's default run.
    """

    context: int = 64
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 128
    dropout: float = 0.0
    bias: bool = False
    fast_attention: bool = True
    batch_size: int = 16
    steps: int = 5000
    optimizer: str = "muon"
    peak_lr: float = 3e-3
    min_lr: float = 3e-4
    warmup_steps: int = 20
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.99
    clip: float = 1.0
    eval_every: int = 250
    seed: int = 1337

    def __post_init__(self) -> None:
        for name in ("batch_size", "steps", "eval_every"):
            object.__setattr__(self, name, validate.whole_number(getattr(self, name), f"{name}", minimum=1))
        for name in ("warmup_steps", "seed"):
            object.__setattr__(self, name, validate.whole_number(getattr(self, name), f"{name}", minimum=0))
        for name in ("peak_lr", "clip"):
            object.__setattr__(self, name, validate.real_number(getattr(self, name), name, above=0.0))
        for name in ("min_lr", "weight_decay"):
            object.__setattr__(self, name, validate.real_number(getattr(self, name), name, minimum=0.0))
        for name in ("beta1", "beta2"):
            object.__setattr__(self, name, validate.real_number(getattr(self, name), name, minimum=0.0, below=1.0))
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:  # a list is unhashable
            raise ValueError(
                f"optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}, got {self.optimizer!r}: 'muon' is "
                f"Muon for the matrices with AdamW for the rest (the default), 'adamw' is AdamW for every weight."
            )
        if self.min_lr > self.peak_lr:
            raise ValueError(f"min_lr ({self.min_lr}) must be at most peak_lr ({self.peak_lr}): the rate decays.")
        if self.warmup_steps >= self.steps:
            raise ValueError(
                f"warmup_steps ({self.warmup_steps}) must be fewer than steps ({self.steps}): lower it, such as "
                f"warmup_steps={max(0, self.steps // 10)}."
            )
        self.model_config(vocab_size=1)  # checks the model's sizes (d_model a multiple of n_head, ...) now

    def model_config(self, vocab_size: int) -> GPTConfig:
        """The :class:`GPTConfig` of the model these settings train, for a vocabulary of ``vocab_size`` tokens."""
        return GPTConfig(
            vocab_size=vocab_size,
            context=self.context,
            n_layer=self.n_layer,
            n_head=self.n_head,
            d_model=self.d_model,
            dropout=self.dropout,
            bias=self.bias,
            fast_attention=self.fast_attention,
        )

    def learning_rate(self, step: int) -> float:
        """The learning rate of step ``step`` (from 0): warm-up, then cosine decay to ``min_lr`` at the last step."""
        return warmup_cosine_lr(
            step, peak_lr=self.peak_lr, min_lr=self.min_lr, warmup_steps=self.warmup_steps, decay_steps=self.steps
        )

    def to_dict(self) -> dict:
        """The settings as a plain dict; ``TrainSettings(**d)`` rebuilds them."""
        return dataclasses.asdict(self)


OPTIMIZERS = {"muon": muon_for_gpt, "adamw": adamw_for_gpt}
"""The optimisers a run can use, by the name ``TrainSettings.optimizer`` gives."""

DEFAULT_SETTINGS = TrainSettings()
"""The course's default run (chapter 10 chose it by measurement with ``benchmarks/train_speed.py``)."""

NANOGPT_CPU_RECIPE = TrainSettings(
    context=64,
    n_layer=4,
    n_head=4,
    d_model=128,
    dropout=0.0,
    bias=False,  # nanoGPT's train.py default
    fast_attention=True,  # nanoGPT uses F.scaled_dot_product_attention whenever torch has it
    batch_size=12,
    steps=2000,
    optimizer="adamw",
    peak_lr=1e-3,
    min_lr=1e-4,
    warmup_steps=100,
    weight_decay=0.1,
    beta1=0.9,
    beta2=0.99,
    clip=1.0,
    eval_every=250,
    seed=1337,
)
"""nanoGPT's "baby GPT" on a CPU (its README): block 64, batch 12, 4 layers, 4 heads, 128 wide, no dropout,
AdamW at 1e-3 with betas (0.9, 0.99) and weight decay 0.1, 100 warm-up steps, cosine decay to 1e-4 over 2000."""

PRESETS = {"default": DEFAULT_SETTINGS, "nanogpt-cpu": NANOGPT_CPU_RECIPE}


# --------------------------------------------------------------------------------------------------------------
# The data: Shakespeare's characters, the course's split, and a fixed held-out sample


@dataclass(frozen=True)
class CharCorpus:
    """A character vocabulary and the training and held-out text as 1-D tensors of ids."""

    vocab: list[str]
    train_ids: torch.Tensor
    heldout_ids: torch.Tensor

    @classmethod
    def shakespeare(cls) -> CharCorpus:
        """The course's Shakespeare: every character of the works in the vocabulary, the course's one split."""
        vocab = char_vocab(shakespeare_text())
        train_text, heldout_text = shakespeare_split()
        return cls(
            vocab=vocab,
            train_ids=torch.from_numpy(encode_array(train_text, vocab)),
            heldout_ids=torch.from_numpy(encode_array(heldout_text, vocab)),
        )

    def heldout_sample(self, context: int) -> tuple[torch.Tensor, torch.Tensor]:
        """A fixed sample of the held-out text (25 stretches of 4,000 characters spread evenly over it), cut
        into windows of ``context``: a held-out loss that is quick to measure and the same for every run."""
        context = validate.whole_number(context, "context", minimum=1)
        size = min(HELDOUT_SAMPLE_CHUNK_CHARS, len(self.heldout_ids))
        stride = max(1, (len(self.heldout_ids) - size) // (HELDOUT_SAMPLE_CHUNKS - 1))
        chunks = [self.heldout_ids[i * stride : i * stride + size] for i in range(HELDOUT_SAMPLE_CHUNKS)]
        pairs = [heldout_windows(chunk, min(context, len(chunk) - 1)) for chunk in chunks if len(chunk) > 1]
        return torch.cat([x for x, _ in pairs]), torch.cat([y for _, y in pairs])


@dataclass
class TrainHistory:
    """What a run recorded: the training loss at every step, the held-out loss now and then, and the time."""

    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    learning_rates: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    eval_losses: list[float] = field(default_factory=list)
    seconds: float = 0.0  # training time, held-out evaluations excluded
    eval_seconds: float = 0.0


# --------------------------------------------------------------------------------------------------------------
# The trainer


class CharTrainer:
    """A character GPT being trained: the model, its optimiser, the batch generator and what it recorded.

    ``CharTrainer(settings)`` starts a fresh run on the course's Shakespeare; :meth:`train` runs it (all of it,
    or some steps at a time); :meth:`save` writes a checkpoint and :meth:`from_checkpoint` carries on from one.
    """

    def __init__(
        self,
        settings: TrainSettings = DEFAULT_SETTINGS,
        corpus: CharCorpus | None = None,
        device: str | torch.device = "cpu",
        *,
        run: distributed.DistributedRun | None = None,
        micro_batch: int | None = None,
    ) -> None:
        """``run``: this process's place in a data-parallel run (:func:`course_utils.distributed.start`; None: a
        single process), whose device is used in place of ``device``. ``micro_batch``: windows per forward pass
        in this process (gradient accumulation); None takes this process's whole share of the batch at once."""
        if not isinstance(settings, TrainSettings):
            raise TypeError(
                f"settings must be TrainSettings, got {validate.describe(settings)}: use TrainSettings(steps=...) "
                f"or DEFAULT_SETTINGS."
            )
        if corpus is None:
            corpus = CharCorpus.shakespeare()
        if not isinstance(corpus, CharCorpus):
            raise TypeError(f"corpus must be a CharCorpus, got {validate.describe(corpus)}.")
        if run is None:
            run = distributed.DistributedRun(0, 0, 1, "none", torch.device(device))
        if not isinstance(run, distributed.DistributedRun):
            raise TypeError(
                f"run must be what course_utils.distributed.start() returned, got {validate.describe(run)}."
            )
        if settings.batch_size % run.world_size:
            raise ValueError(
                f"batch_size ({settings.batch_size}) must split evenly over the {run.world_size} processes: make the "
                f"global batch a multiple of {run.world_size}, such as "
                f"{run.world_size * -(-settings.batch_size // run.world_size)}."
            )
        share = settings.batch_size // run.world_size
        micro_batch = share if micro_batch is None else validate.whole_number(micro_batch, "micro_batch", minimum=1)
        if share % micro_batch:
            raise ValueError(
                f"batch_size ({settings.batch_size}, the global batch) does not split into {run.world_size} "
                f"process(es) x micro_batch ({micro_batch}): each process has {share} windows, not a multiple of "
                f"{micro_batch}. Make batch_size a multiple of processes x micro_batch "
                f"({run.world_size * micro_batch}), or pick a micro_batch that divides {share}."
            )
        self.settings = settings
        self.corpus = corpus
        self.run = run
        self.micro_batch = micro_batch
        self.device = run.device
        # the ids are checked here, on the CPU, where they enter: nothing inside a step reads them back
        for name, ids in (("train_ids", corpus.train_ids), ("heldout_ids", corpus.heldout_ids)):
            validate.token_ids(ids.cpu(), f"corpus.{name}", vocab_size=len(corpus.vocab), check_range=True)
        self.train_ids = corpus.train_ids.long().to(self.device)
        self.config = settings.model_config(vocab_size=len(corpus.vocab))
        # the weights are drawn from the run's seed without touching the caller's global generator
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(settings.seed)
            self.model = GPT(self.config).to(self.device)
        # under DDP the gradients are averaged across processes; self.model stays the plain module (eval, saving)
        self.parallel_model = distributed.wrap(self.model, run)
        self.optimizer = OPTIMIZERS[settings.optimizer](
            self.model, settings.peak_lr, settings.weight_decay, (settings.beta1, settings.beta2)
        )
        self.generator = torch.Generator().manual_seed(settings.seed)  # CPU: the same batches on any device
        self.dropout_generator_state = torch.Generator().manual_seed(settings.seed + 1).get_state()
        self.step = 0
        self.history = TrainHistory()
        sample_x, sample_y = corpus.heldout_sample(settings.context)
        self.heldout_x, self.heldout_y = sample_x.to(self.device), sample_y.to(self.device)

    # one step and one evaluation ---------------------------------------------------------------------------

    def train_step(self) -> float:
        """One step: a batch of random training windows, the scheduled learning rate, and
        :func:`~course_utils.training.gpt_training_step` (with micro-batches or several processes:
        :func:`~course_utils.distributed.accumulated_step` on this process's share). Returns the batch's loss."""
        lr = self.settings.learning_rate(self.step)
        set_learning_rate(self.optimizer, lr)
        # every process draws the same global batch from the same generator, then keeps its own share of it
        x, y = random_windows(self.train_ids, self.settings.context, self.settings.batch_size, self.generator)
        x, y = distributed.shard(x, self.run), distributed.shard(y, self.run)
        self.model.train()
        with torch.random.fork_rng(devices=[]):
            if self.run.world_size == 1:
                # dropout draws from torch's global generator: give it the run's own state, so a resumed run
                # draws alike
                torch.set_rng_state(self.dropout_generator_state)
            else:
                # each process needs its own dropout masks, and a resumed run the same ones: seed from step and rank
                torch.manual_seed((self.settings.seed + 1) * 1_000_003 + self.step * 1_009 + self.run.rank)
            if self.micro_batch == len(x) and self.run.world_size == 1:
                loss = gpt_training_step(self.model, self.optimizer, x, y, clip=self.settings.clip)
            else:
                loss = distributed.accumulated_step(
                    self.parallel_model, self.optimizer, x, y, self.micro_batch, clip=self.settings.clip
                )
                loss = distributed.mean_over_ranks(loss, self.run)  # each process's share -> the global batch's
            if self.run.world_size == 1:
                self.dropout_generator_state = torch.get_rng_state()
        self.step += 1
        self.history.steps.append(self.step)
        self.history.losses.append(loss)
        self.history.learning_rates.append(lr)
        return loss

    def evaluate(self) -> float:
        """The held-out loss on the fixed sample of the held-out plays (nats per character)."""
        return mean_loss(self.model, self.heldout_x, self.heldout_y, batch_size=128)

    def heldout_loss(self) -> float:
        """The held-out loss over every character of the held-out plays (slower than :meth:`evaluate`)."""
        x, y = heldout_windows(self.corpus.heldout_ids, self.settings.context)
        return mean_loss(self.model, x.to(self.device), y.to(self.device), batch_size=128)

    @property
    def done(self) -> bool:
        """Whether the run has taken all its steps."""
        return self.step >= self.settings.steps

    def train(
        self,
        steps: int | None = None,
        *,
        progress: bool = True,
        checkpoint: str | Path | None = None,
        on_eval: Callable[[CharTrainer], None] | None = None,
    ) -> TrainHistory:
        """Take ``steps`` more steps (all that are left if None), measuring the held-out loss every
        ``eval_every`` steps and at the end of the run; save a checkpoint to ``checkpoint`` (if given) at each
        measurement and when interrupted; call ``on_eval(self)`` after each measurement (a live plot). In a
        data-parallel run, every process calls this; rank 0 alone measures, shows the bar, saves and calls
        ``on_eval``."""
        left = self.settings.steps - self.step
        steps = left if steps is None else validate.whole_number(steps, "steps", minimum=0, maximum=left)
        if not isinstance(progress, bool):
            raise TypeError(f"progress must be True or False, got {validate.describe(progress)}.")
        if on_eval is not None:
            validate.function(on_eval, "on_eval", hint="It takes the trainer and returns nothing.")
        tokens_per_step = self.settings.batch_size * self.settings.context
        main = self.run.is_main
        bar = tqdm(total=steps, desc="training", unit="step", disable=not (progress and main))
        try:
            for _ in range(steps):
                start = time.perf_counter()
                loss = self.train_step()
                elapsed = time.perf_counter() - start
                self.history.seconds += elapsed
                bar.update(1)
                bar.set_postfix(loss=f"{loss:.3f}", tok_s=f"{tokens_per_step / max(elapsed, 1e-9):,.0f}")
                if main and (self.step % self.settings.eval_every == 0 or self.done):
                    start = time.perf_counter()
                    self.history.eval_steps.append(self.step)
                    self.history.eval_losses.append(self.evaluate())
                    self.history.eval_seconds += time.perf_counter() - start
                    bar.set_postfix(loss=f"{loss:.3f}", held_out=f"{self.history.eval_losses[-1]:.3f}")
                    if checkpoint is not None:
                        self.save(checkpoint)
                    if on_eval is not None:
                        on_eval(self)
        except KeyboardInterrupt:
            if checkpoint is not None and main:
                self.save(checkpoint)
                print(f"\nInterrupted at step {self.step}: saved {checkpoint}; carry on with --resume.")
            raise
        finally:
            bar.close()
            self.model.eval()
        return self.history

    # checkpoints --------------------------------------------------------------------------------------------

    def checkpoint(self) -> dict:
        """Everything needed to carry on: settings, vocabulary, weights, optimiser, step, generators, history."""
        return {
            "format": CHECKPOINT_FORMAT,
            "settings": self.settings.to_dict(),
            "config": self.config.to_dict(),
            "vocab": list(self.corpus.vocab),
            "weights": {name: t.detach().cpu() for name, t in self.model.state_dict().items()},
            "optimizer": _to_cpu(self.optimizer.state_dict()),
            "step": self.step,
            "generator_state": self.generator.get_state(),
            "dropout_generator_state": self.dropout_generator_state,
            "history": dataclasses.asdict(self.history),
            # where the recorded seconds were spent, for chapter 11's operations per second and MFU
            "device": self.device.type,
            "device_name": torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else None,
            "cpu_threads": torch.get_num_threads(),
            "processes": self.run.world_size,
        }

    def save(self, path: str | Path) -> Path:
        """Write :meth:`checkpoint` to ``path`` (through a temporary file, so an interruption never leaves half a
        checkpoint), and return the path."""
        path = _path(path, "path")
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        torch.save(self.checkpoint(), temporary)
        temporary.replace(path)
        return path

    @classmethod
    def from_checkpoint(
        cls,
        path: str | Path,
        settings: TrainSettings | None = None,
        corpus: CharCorpus | None = None,
        device: str | torch.device = "cpu",
        *,
        run: distributed.DistributedRun | None = None,
        micro_batch: int | None = None,
    ) -> CharTrainer:
        """Carry on the run saved in ``path``. ``settings``, if given, must be the checkpoint's own (a
        checkpoint from another config is refused with the settings that differ); None takes the checkpoint's.
        ``run`` and ``micro_batch``: as for :class:`CharTrainer` (a run may resume on another number of
        processes: the batches are global)."""
        bundle = _read_checkpoint(_path(path, "path").read_bytes(), str(path))
        if "optimizer" not in bundle:
            raise ValueError(
                f"{path} holds a model exported for sharing (no optimiser state), not a training checkpoint: "
                f"it cannot be resumed. Start a new run, or load it with load_char_gpt({str(path)!r})."
            )
        # checkpoints from before the optimiser could be chosen were all AdamW's
        saved = TrainSettings(**{"optimizer": "adamw", **bundle["settings"]})
        if settings is not None:
            if not isinstance(settings, TrainSettings):
                raise TypeError(f"settings must be TrainSettings or None, got {validate.describe(settings)}.")
            differ = [
                f"{name}: checkpoint {getattr(saved, name)!r}, asked {getattr(settings, name)!r}"
                for name in saved.to_dict()
                if getattr(saved, name) != getattr(settings, name)
            ]
            if differ:
                raise ValueError(
                    f"The checkpoint {path} was made with other settings ({'; '.join(differ)}): a run can only be "
                    f"resumed as it started. Resume without those options (the checkpoint's settings are used), or "
                    f"start a new run with a new --out."
                )
        trainer = cls(saved, corpus=corpus, device=device, run=run, micro_batch=micro_batch)
        if bundle["vocab"] != trainer.corpus.vocab:
            raise ValueError(f"The checkpoint {path} was trained on another vocabulary than this corpus's.")
        trainer.model.load_state_dict(bundle["weights"])
        trainer.optimizer.load_state_dict(bundle["optimizer"])
        trainer.step = bundle["step"]
        trainer.generator.set_state(bundle["generator_state"])
        trainer.dropout_generator_state = bundle["dropout_generator_state"]
        trainer.history = TrainHistory(**bundle["history"])
        return trainer

    def export(self, path: str | Path, meta: dict) -> bytes:
        """Save the trained model for sharing: float16 weights (tied embedding once), config, vocabulary and
        ``meta`` (how it was trained), without the optimiser. Returns the file's bytes."""
        if not isinstance(meta, dict):
            raise TypeError(f"meta must be a dict of what the run recorded, got {validate.describe(meta)}.")
        weights = {name: t.detach().cpu().half() for name, t in self.model.state_dict().items()}
        del weights["lm_head.weight"]  # the same matrix as wte.weight: stored once, tied again on loading
        bundle = {
            "format": CHECKPOINT_FORMAT,
            "config": self.config.to_dict(),
            "vocab": list(self.corpus.vocab),
            "weights": weights,
            "meta": meta,
        }
        buffer = io.BytesIO()
        torch.save(bundle, buffer)
        content = buffer.getvalue()
        _path(path, "path").write_bytes(content)
        return content


def _to_cpu(value: object) -> object:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {key: _to_cpu(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_cpu(item) for item in value]
    return value


def _path(value: object, name: str) -> Path:
    if not isinstance(value, str | Path) or not str(value):
        raise TypeError(f"{name} must be a file path (a str or pathlib.Path), got {validate.describe(value)}.")
    return Path(value).expanduser()


def _read_checkpoint(content: bytes, where: str) -> dict:
    try:
        bundle = torch.load(io.BytesIO(content), map_location="cpu", weights_only=True)
        ok = isinstance(bundle, dict) and bundle.get("format") == CHECKPOINT_FORMAT
    except Exception as error:  # noqa: BLE001 - whatever breaks, the file is not a checkpoint
        raise DataError(
            f"{where} is not a checkpoint of course_utils.trainer (reading it failed with {type(error).__name__}): "
            f"it is damaged or another kind of file."
        ) from None
    if not ok:
        raise DataError(f"{where} is not a checkpoint of course_utils.trainer (it has no {CHECKPOINT_FORMAT!r} tag).")
    return bundle


# --------------------------------------------------------------------------------------------------------------
# A trained model for later chapters


@dataclass
class CharGPT:
    """A trained character GPT: ``model`` (eval mode, CPU), its ``vocab`` (characters; id i is vocab[i]) and
    ``meta`` (how it was trained: command, seed, time, held-out loss, ...)."""

    model: GPT
    vocab: list[str]
    meta: dict

    def encode(self, text: str) -> list[int]:
        """Text -> ids, one per character; a character the model has no id for raises a ValueError naming it."""
        validate.text(text, "text", allow_empty=True)
        index = {char: i for i, char in enumerate(self.vocab)}
        unknown = sorted({char for char in text if char not in index})
        if unknown:
            raise ValueError(
                f"text holds the character(s) {', '.join(map(repr, unknown))}, which the model has no id for: it "
                f"knows only the {len(self.vocab)} characters of Shakespeare's works. Remove or replace them."
            )
        return [index[char] for char in text]

    def decode(self, ids: Sequence[int] | torch.Tensor) -> str:
        """Ids -> text."""
        ids = validate.token_ids(ids, "ids", vocab_size=len(self.vocab), check_range=True)
        return "".join(self.vocab[i] for i in ids.tolist())

    def generate(
        self,
        prompt: str,
        max_new_tokens: int = 500,
        temperature: float = 0.8,
        top_k: int | None = None,
        top_p: float | None = None,
        seed: int = 0,
    ) -> str:
        """The prompt followed by ``max_new_tokens`` characters the model writes (seeded: the same text each time)."""
        ids = torch.tensor(self.encode(validate.text(prompt, "prompt")), dtype=torch.long)
        seed = validate.whole_number(seed, "seed", minimum=0)
        generator = torch.Generator().manual_seed(seed)
        out = self.model.generate(ids, max_new_tokens, temperature, top_k, generator=generator, top_p=top_p)
        return self.decode(out)


def checkpoint_dir() -> Path:
    """Where the trainer saves the learner's checkpoint: ``$COURSE_CHECKPOINT_DIR`` if set, else
    ``checkpoints/`` in the course folder."""
    override = os.environ.get(CHECKPOINT_DIR_ENV_VAR, "").strip()
    if override:
        return Path(os.path.expandvars(override)).expanduser()
    return Path(__file__).resolve().parent.parent / "checkpoints"


def default_checkpoint() -> Path:
    """The learner's own checkpoint, ``checkpoint_dir() / "char_gpt.pt"`` (it may not exist)."""
    return checkpoint_dir() / CHAR_GPT_FILE


def char_gpt_from_bytes(content: bytes, where: str = "the file") -> CharGPT:
    """Rebuild a :class:`CharGPT` (float32, eval mode, CPU) from a training checkpoint or an exported model."""
    if not isinstance(content, bytes | bytearray):
        raise TypeError(f"content must be the bytes of a saved model, got {validate.describe(content)}.")
    bundle = _read_checkpoint(bytes(content), where)
    try:
        model = GPT(GPTConfig(**bundle["config"]))
        weights = {name: t.float() for name, t in bundle["weights"].items()}
        weights.setdefault("lm_head.weight", weights["wte.weight"])
        model.load_state_dict(weights)
        model.lm_head.weight = model.wte.weight  # tied again
        vocab = list(bundle["vocab"])
    except Exception as error:  # noqa: BLE001
        raise DataError(f"{where} is a damaged checkpoint ({type(error).__name__}: {error}).") from None
    meta = dict(bundle.get("meta", {}))
    if "meta" not in bundle:  # a training checkpoint: say where it stands, with the keys an export records
        history, settings = bundle["history"], bundle["settings"]
        meta = {
            "source": "training checkpoint",
            "step": bundle["step"],
            "steps": bundle["step"],  # the steps done, as an exported model's record counts them
            "planned_steps": settings["steps"],
            "settings": dict(settings),
            "seed": settings["seed"],
            "tokens_seen": bundle["step"] * settings["batch_size"] * settings["context"],
            "training_seconds": round(history["seconds"], 1),
            "heldout_sample_loss": history["eval_losses"][-1] if history["eval_losses"] else None,
            # checkpoints written before these were recorded have None
            "device": bundle.get("device"),
            "device_name": bundle.get("device_name"),
            "cpu_threads": bundle.get("cpu_threads"),
            "processes": bundle.get("processes"),
        }
    model.eval()
    return CharGPT(model=model, vocab=vocab, meta=meta)


def load_char_gpt(path: str | Path | None = None) -> CharGPT:
    """A trained character GPT for later chapters.

    ``path`` None: the learner's own checkpoint (:func:`default_checkpoint`, written by
    ``python -m course_utils.trainer``) if there is one, else the model the course ships in ``data/char_gpt.pt``
    (its sha256 checked). A path: that checkpoint or exported model.
    """
    if path is None:
        own = default_checkpoint()
        if own.is_file():
            return char_gpt_from_bytes(own.read_bytes(), str(own))
        return load_committed_char_gpt()
    path = _path(path, "path")
    if not path.is_file():
        raise FileNotFoundError(
            f"path: there is no checkpoint at {path}. Train one with `python -m course_utils.trainer --out {path}`, "
            f"or call load_char_gpt() for the course's own model."
        )
    return char_gpt_from_bytes(path.read_bytes(), str(path))


def load_committed_char_gpt() -> CharGPT:
    """The character GPT the course ships in ``data/char_gpt.pt``, after checking the file's sha256."""
    content = verified_bytes(CHAR_GPT_FILE, CHAR_GPT_SHA256, rebuild=EXPORT_COMMAND)
    return char_gpt_from_bytes(content, str(data_path(CHAR_GPT_FILE)))


EXPORT_COMMAND = "python -m course_utils.trainer --out /tmp/char_gpt_run.pt --export data/char_gpt.pt"


# --------------------------------------------------------------------------------------------------------------
# The command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.trainer",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default", help="the settings to start from")
    for item in dataclasses.fields(TrainSettings):
        kind = {"int": int, "float": float, "bool": _boolean, "str": str}[str(item.type)]
        parser.add_argument(
            f"--{item.name.replace('_', '-')}",
            type=kind,
            default=None,
            choices=sorted(OPTIMIZERS) if item.name == "optimizer" else None,
            help=f"override the preset's {item.name}",
        )
    parser.add_argument("--out", type=Path, default=None, help="the checkpoint to write (default: checkpoints/)")
    parser.add_argument("--resume", action="store_true", help="carry on from the checkpoint at --out")
    parser.add_argument("--export", type=Path, default=None, help="also write a float16 model for sharing here")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for torch (default: torch's choice)")
    parser.add_argument(
        "--device", default=None, help="cpu (the default), cuda or mps; under torchrun the backend decides"
    )
    parser.add_argument(
        "--micro-batch",
        type=int,
        default=None,
        help="windows per forward pass in each process, gradients accumulated over the rest (default: all at once)",
    )
    parser.add_argument(
        "--backend",
        choices=distributed.BACKENDS,
        default=None,
        help="under torchrun: nccl (one GPU per process) or gloo (CPU); default nccl when there are GPUs",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def main(argv: Sequence[str] | None = None) -> CharTrainer:
    """Run the command line (``argv``: the arguments, ``sys.argv[1:]`` if None) and return the trainer."""
    args = _parser().parse_args(argv)
    overrides = {
        item.name: getattr(args, item.name)
        for item in dataclasses.fields(TrainSettings)
        if getattr(args, item.name) is not None
    }
    if args.threads is not None:
        torch.set_num_threads(validate.whole_number(args.threads, "--threads", minimum=1))
    out = args.out if args.out is not None else default_checkpoint()
    if args.backend is not None and not distributed.launched_by_torchrun():
        raise SystemExit(
            f"--backend {args.backend} chooses how several processes talk, and this is one process: start it with "
            f"`torchrun --standalone --nproc_per_node N -m course_utils.trainer ...`, or leave out --backend."
        )
    # evaluation and checkpoints on rank 0 keep the others waiting at their next all-reduce: allow 30 minutes
    run = distributed.start(args.backend, timeout_s=1800.0) if distributed.launched_by_torchrun() else None
    try:
        trainer = _train_from_args(args, argv, overrides, out, run)
        if run is not None:
            # Release DistributedDataParallel (its reducer holds the process group and gloo's pending work) while
            # Python is fully alive: left to the interpreter's last clean-up, gloo's threads can die with
            # "terminate called without an active exception" (rank 0 aborted so in CI, twice). Then leave together.
            trainer.parallel_model = trainer.model
            gc.collect()
            torch.distributed.barrier()
        return trainer
    finally:
        distributed.finish()


def _train_from_args(
    args: argparse.Namespace,
    argv: Sequence[str] | None,
    overrides: dict,
    out: Path,
    run: distributed.DistributedRun | None,
) -> CharTrainer:
    if run is None:
        device = args.device or "cpu"
    elif args.device is not None and torch.device(args.device).type != run.device.type:
        raise SystemExit(
            f"--device {args.device}: under torchrun each process's device follows the backend ({run.backend} runs "
            f"on {run.device.type}). Leave out --device, or pick --backend nccl for GPUs, gloo for CPUs."
        )
    else:
        device = run.device
    say = print if run is None or run.is_main else lambda *_: None
    parallel = {"run": run, "micro_batch": args.micro_batch}
    if args.resume:
        if not out.is_file():
            raise SystemExit(f"--resume: there is no checkpoint at {out} to carry on from (name it with --out).")
        explicit = overrides or args.preset != "default"
        wanted = dataclasses.replace(PRESETS[args.preset], **overrides) if explicit else None
        try:
            trainer = CharTrainer.from_checkpoint(out, settings=wanted, device=device, **parallel)
        except ValueError as error:
            raise SystemExit(str(error)) from None
        say(f"Resuming {out} at step {trainer.step} of {trainer.settings.steps}.")
    else:
        settings = dataclasses.replace(PRESETS[args.preset], **overrides)
        try:
            trainer = CharTrainer(settings, device=device, **parallel)
        except ValueError as error:
            raise SystemExit(str(error)) from None
    config = trainer.config
    say(
        f"{trainer.model.num_params():,} parameters ({config.n_layer} layers, {config.n_head} heads, "
        f"{config.d_model} wide, context {config.context}); {torch.get_num_threads()} CPU threads; "
        f"checkpoint {out}"
    )
    world = trainer.run.world_size
    say(
        f"{world} process(es) ({trainer.run.backend if world > 1 else 'no group'}, {trainer.device}): each takes "
        f"{trainer.settings.batch_size // world} of the {trainer.settings.batch_size} windows of a step, "
        f"{trainer.micro_batch} per forward pass"
    )
    trainer.train(progress=not args.no_progress, checkpoint=out)
    spread = distributed.replica_spread(trainer.model, trainer.run)
    if world > 1:
        say(f"the {world} copies of the weights differ by at most {spread:g} (sums of each tensor)")
    if not trainer.run.is_main:
        return trainer
    history = trainer.history
    print(f"trained to step {trainer.step} in {history.seconds:.0f} s (+{history.eval_seconds:.0f} s of evaluation)")
    for step, loss in zip(history.eval_steps, history.eval_losses, strict=True):
        print(f"  step {step:5d}: held-out loss {loss:.3f} (the fixed 100,000-character sample)")
    if args.export is not None:
        export(trainer, args.export, argv if argv is not None else sys.argv[1:])
    return trainer


def export(trainer: CharTrainer, path: Path, argv: Sequence[str], note: str = "") -> None:
    """Export ``trainer``'s model as float16 with its record (``note``: anything else to say about the run), and
    print the held-out loss, size and sha256."""
    meta = {
        "note": note,
        "command": "python -m course_utils.trainer " + " ".join(argv),
        "settings": trainer.settings.to_dict(),
        "seed": trainer.settings.seed,
        "steps": trainer.step,
        "tokens_seen": trainer.step * trainer.settings.batch_size * trainer.settings.context,
        "training_seconds": round(trainer.history.seconds, 1),
        "device": trainer.device.type,
        "device_name": torch.cuda.get_device_name(trainer.device) if trainer.device.type == "cuda" else None,
        "cpu_threads": torch.get_num_threads(),
        "processes": trainer.run.world_size,
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "torch_version": str(torch.__version__),
        "heldout_sample_losses": dict(zip(trainer.history.eval_steps, trainer.history.eval_losses, strict=True)),
    }
    trainer.export(path, meta)
    # the held-out loss of the weights as shipped (float16), over every character of the held-out plays
    shipped = char_gpt_from_bytes(path.read_bytes(), str(path))
    x, y = heldout_windows(trainer.corpus.heldout_ids, shipped.model.config.context)
    meta["heldout_loss"] = round(mean_loss(shipped.model, x, y, batch_size=128), 4)
    content = trainer.export(path, meta)
    print(
        f"held-out loss of the float16 model over all {len(trainer.corpus.heldout_ids):,} held-out characters: "
        f"{meta['heldout_loss']:.4f}"
    )
    print(f"saved {path}: {len(content):,} bytes, sha256 {hashlib.sha256(content).hexdigest()}")
    print("--- a sample at temperature 0.8 ---")
    print(char_gpt_from_bytes(content).generate("ROMEO.\n", 300, temperature=0.8, seed=0))


if __name__ == "__main__":
    main()
