"""The same GPT, fast, on a GPU: the speed table of chapter 11, then the time to a held-out loss of 1.47.

Run from the project root on a machine with an NVIDIA GPU (it works on a CPU too, slowly; ``--quick`` shrinks
everything to a smoke test of a few seconds):

    python benchmarks/gpu.py                 # at most about 6 minutes
    python benchmarks/gpu.py --quick         # a few seconds, any device

It imports only the model, data and training parts of ``course_utils`` (``gpt``, ``flops``, ``speed``,
``data``, ``text``: torch and numpy, nothing else), so it runs in a GPU machine's own Python with no Jupyter,
gensim or network. It prints each result as it comes:

1. the speed table: nanoGPT's Shakespeare shape of GPT (6 layers, 6 heads, width 384, context 256, batch 64) on
   Shakespeare's characters, with each setting of ``course_utils.speed`` switched on alone, then all together,
   about 30 timed steps each after 3 untimed ones (the compile's warm-up is reported in its own column);
2. the time to a held-out loss of 1.47 on the course's split (the last four works held out) for the course's
   fastest configuration (every speed-up, no dropout), and then, if time remains, for nanoGPT's
   ``train_shakespeare_char`` configuration (the same shape with dropout 0.2); where 1.47 is not reached in the
   time given, the best held-out loss reached.
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

from course_utils import speed  # noqa: E402
from course_utils.data import shakespeare_split  # noqa: E402
from course_utils.gpt import GPTConfig  # noqa: E402
from course_utils.text import char_vocab, encode  # noqa: E402

TARGET = 1.47


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny model and a few steps: a smoke test")
    parser.add_argument("--budget", type=float, default=330.0, help="seconds for the whole run (default 330)")
    args = parser.parse_args()
    began = time.perf_counter()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"device: {speed.device_name(device)}; torch {torch.__version__}; load average {load:.2f}", flush=True)
    if device.type == "cuda":
        capability = ".".join(map(str, torch.cuda.get_device_capability(device)))
        print(f"compute capability {capability}; default precision {speed.default_precision(device)}", flush=True)

    train_text, heldout_text = shakespeare_split()
    vocab = char_vocab(train_text + heldout_text)
    train_ids = torch.tensor(encode(train_text, vocab))
    heldout_ids = torch.tensor(encode(heldout_text, vocab))
    print(f"Shakespeare: {len(train_ids):,} training and {len(heldout_ids):,} held-out characters", flush=True)

    if args.quick:
        shape = GPTConfig(vocab_size=len(vocab), context=32, n_layer=1, n_head=2, d_model=32)
        batch, steps, warmup, eval_every = 4, 3, 1, 50
    else:
        shape = GPTConfig(vocab_size=len(vocab), context=256, n_layer=6, n_head=6, d_model=384)
        batch, steps, warmup, eval_every = 64, 30, 3, 250

    print("\n1. the speed table", flush=True)
    measured = []
    for settings in speed.one_at_a_time(device):
        result = speed.measure_training(
            shape, settings, device, train_ids, batch_size=batch, steps=steps, warmup=warmup
        )
        measured.append(result)
        mfu = "unknown" if result.mfu is None else f"{100 * result.mfu:.1f}%"
        memory = "n/a" if result.peak_memory_bytes is None else f"{result.peak_memory_bytes / 2**20:,.0f} MiB"
        print(
            f"  {settings.label():45} {result.tokens_per_second:>12,.0f} tokens/s  MFU {mfu:>7}  peak {memory:>10}"
            f"  warm-up {result.warmup_seconds:.1f} s  {result.note}",
            flush=True,
        )
    for reason in speed.skipped_on(device):
        print(f"  not measured here: {reason}", flush=True)
    print("\n" + speed.format_table(measured), flush=True)

    fastest = speed.one_at_a_time(device)[-1]
    runs = [
        ("the course's fastest configuration (dropout 0)", shape),
        ("nanoGPT's train_shakespeare_char (dropout 0.2)", dataclasses.replace(shape, dropout=0.2)),
    ]
    for index, (name, config) in enumerate(runs, start=2):
        left = args.budget - (time.perf_counter() - began)
        if left < 20:
            print(f"\n{index}. {name}: skipped, {left:.0f} s of the budget left", flush=True)
            continue
        budget = left if index == len(runs) + 1 else left * 0.6
        print(f"\n{index}. time to a held-out loss of {TARGET} for {name}, within {budget:.0f} s", flush=True)
        result = speed.train_to_loss(
            config, fastest, device, train_ids, heldout_ids, target=TARGET, budget_s=budget,
            batch_size=batch, eval_every=eval_every,
        )  # fmt: skip
        if result.reached:
            print(f"  reached {TARGET} after {result.steps} steps in {result.seconds:.0f} s", flush=True)
        else:
            print(
                f"  not reached in {result.seconds:.0f} s ({result.steps} steps): best held-out loss "
                f"{result.best_loss:.4f}",
                flush=True,
            )
        if result.note:
            print(f"  note: {result.note}", flush=True)
    print(f"\nfinished in {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
