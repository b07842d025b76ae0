"""What makes chapter 10's training fast on a CPU: one change at a time, characters to a held-out loss.

Run from the project root:

    python benchmarks/cpu_levers.py                        # every variant (about 20 minutes on one thread)
    python benchmarks/cpu_levers.py --only default adamw   # some of them

Each variant is the course's default run (``DEFAULT_SETTINGS``) with one thing changed, or nanoGPT's CPU recipe
(``NANOGPT_CPU_RECIPE``), all from the same seed on the course's split. Each trains until its held-out loss, on
the fixed 100,000-character sample, reaches ``--target`` (default 1.877: the recipe's final loss in
``benchmarks/train_speed.py``), or its run ends, or it has seen ``--max-tokens`` characters; the loss is measured
every ``--eval-tokens`` characters, so a count is the end of the stretch in which the target was reached.

It prints, for each, the training characters and seconds to the target (seconds depend on the machine and its
load; characters do not) and characters per second. Chapter 10's section 10.11 explains the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere in the project

from course_utils.trainer import DEFAULT_SETTINGS, NANOGPT_CPU_RECIPE, CharCorpus, CharTrainer  # noqa: E402

DEFAULT = DEFAULT_SETTINGS
VARIANTS = {
    "recipe": ("nanoGPT's CPU recipe: AdamW at 1e-3, 12 windows of 64", NANOGPT_CPU_RECIPE),
    "first-default": (
        "AdamW at 3e-3, 32 windows of 128, 100 warm-up steps (the course's first default)",
        dataclasses.replace(DEFAULT, optimizer="adamw", batch_size=32, context=128, steps=2500, warmup_steps=100),
    ),
    "adamw": (
        "AdamW at 3e-3, 16 windows of 64 (the default with AdamW)",
        dataclasses.replace(DEFAULT, optimizer="adamw"),
    ),
    "adamw-1e-2": (
        "AdamW at 1e-2, 16 windows of 64",
        dataclasses.replace(DEFAULT, optimizer="adamw", peak_lr=1e-2, min_lr=1e-3),
    ),
    "adamw-96-wide": (
        "AdamW at 3e-3, 16 windows of 64, 96 wide",
        dataclasses.replace(DEFAULT, optimizer="adamw", d_model=96),
    ),
    "default": ("Muon and AdamW at 3e-3, 16 windows of 64 (the course's default)", DEFAULT),
    "muon-6e-3": ("Muon and AdamW at 6e-3, 16 windows of 64", dataclasses.replace(DEFAULT, peak_lr=6e-3, min_lr=6e-4)),
    "muon-32": (
        "Muon and AdamW at 3e-3, 32 windows of 64",
        dataclasses.replace(DEFAULT, batch_size=32, steps=DEFAULT.steps // 2),
    ),
}


def characters_to(settings, corpus, target: float, eval_tokens: int, max_tokens: int) -> tuple[int, float, float]:
    """Train ``settings`` until the held-out loss reaches ``target``: (characters, seconds, last held-out loss)."""
    trainer = CharTrainer(settings, corpus=corpus)
    per_step = settings.batch_size * settings.context
    tokens, seconds, next_eval, loss = 0, 0.0, eval_tokens, float("nan")
    while not trainer.done and tokens < max_tokens:
        start = time.perf_counter()
        trainer.train_step()
        seconds += time.perf_counter() - start
        tokens += per_step
        if tokens >= next_eval or trainer.done:
            next_eval += eval_tokens
            loss = trainer.evaluate()
            if loss <= target:
                break
    return tokens, seconds, loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=sorted(VARIANTS), default=None, help="the variants to run")
    parser.add_argument("--target", type=float, default=1.877, help="the held-out loss to reach")
    parser.add_argument("--eval-tokens", type=int, default=100_000, help="training characters between evaluations")
    parser.add_argument("--max-tokens", type=int, default=2_500_000, help="give up after this many characters")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch (default 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), load average {os.getloadavg()[0]:.1f}")
    corpus = CharCorpus.shakespeare()
    print(f"| variant | characters to {args.target:g} | seconds | characters/s | last held-out loss |")
    print("|---|---:|---:|---:|---:|")
    for key in args.only or VARIANTS:
        label, settings = VARIANTS[key]
        tokens, seconds, loss = characters_to(settings, corpus, args.target, args.eval_tokens, args.max_tokens)
        reached = f"{tokens / 1e6:.1f} million" if loss <= args.target else f"not reached in {tokens / 1e6:.1f} million"
        print(f"| {label} | {reached} | {seconds:.0f} | {tokens / seconds:,.0f} | {loss:.3f} |", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
