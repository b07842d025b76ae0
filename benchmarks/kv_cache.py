"""Generation with and without a KV cache: the same tokens, and how much faster the cache is.

Run from the project root:

    python benchmarks/kv_cache.py                   # 500 new tokens each, on the CPU (several minutes)
    python benchmarks/kv_cache.py --tokens 100      # shorter
    python benchmarks/kv_cache.py --models gpt2     # one of the two models (chapter10 or gpt2)

For two models it generates ``--tokens`` tokens greedily from the same prompt, first with ``GPT.generate``
(every step reads the whole text again) and then with ``course_utils.gpt.generate_cached`` (every step reads
one new token and reuses the cached keys and values), checks that the tokens are the same, and prints both
times and a last line ``<model>: speed-up <N>x``. The models: the chapter 10 Shakespeare model
(``course_utils.trainer.load_char_gpt``; the tour model of chapter 00 where chapter 10's is not there), and a
GPT of GPT-2 small's shape (12 layers, 12 heads, width 768, context 1024, 50,257 tokens) with random weights.

The chapter 10 model's context is shorter than 500 tokens: once the text is longer than its context, each step
must read the whole window again with or without the cache (every position changes as the window slides), so
its speed-up is smaller. GPT-2's context holds the prompt and all 500 tokens.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere in the project

from course_utils.gpt import GPT, GPTConfig, generate_cached  # noqa: E402

GPT2_SMALL = GPTConfig(vocab_size=50257, context=1024, n_layer=12, n_head=12, d_model=768, gelu="tanh")


def chapter10_model() -> tuple[str, GPT]:
    """Chapter 10's Shakespeare model, or chapter 00's tour model where chapter 10's loader is not there."""
    try:
        from course_utils.trainer import load_char_gpt
    except ImportError:
        from course_utils.tour import load_tour_model

        print("(chapter 10's load_char_gpt is not in this checkout: the tour model of chapter 00 stands in)")
        return "the tour model", load_tour_model().model
    return "the chapter 10 Shakespeare model", load_char_gpt().model


def gpt2_shaped() -> tuple[str, GPT]:
    torch.manual_seed(0)
    return "GPT-2 small's shape (random weights)", GPT(GPT2_SMALL).eval()


def time_both(name: str, model: GPT, tokens: int) -> float:
    model.eval()
    prompt = torch.randint(model.config.vocab_size, (1, 8), generator=torch.Generator().manual_seed(0))
    print(f"{name}: {model.num_params():,} weights, context {model.config.context}, {tokens} new tokens", flush=True)
    # a few untimed tokens each way first: the first calls pay one-time costs (lazy imports inside torch,
    # allocations) that would otherwise land on whichever generation runs first
    model.generate(prompt, 2, temperature=0)
    generate_cached(model, prompt, 2, temperature=0)
    start = time.perf_counter()
    plain = model.generate(prompt, tokens, temperature=0)
    plain_s = time.perf_counter() - start
    print(f"  without the cache: {plain_s:.1f} s ({tokens / plain_s:.1f} tokens/s)", flush=True)
    start = time.perf_counter()
    cached = generate_cached(model, prompt, tokens, temperature=0)
    cached_s = time.perf_counter() - start
    print(f"  with the cache:    {cached_s:.1f} s ({tokens / cached_s:.1f} tokens/s)", flush=True)
    same = torch.equal(plain, cached)
    print(f"  same tokens: {same}", flush=True)
    if not same:
        raise SystemExit(f"{name}: the cached generation gave other tokens")
    speed_up = plain_s / cached_s
    print(f"{name}: speed-up {speed_up:.1f}x", flush=True)
    return speed_up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=500, help="new tokens per generation (default 500)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads for torch (default: torch's choice)")
    parser.add_argument(
        "--models", choices=("both", "chapter10", "gpt2"), default="both", help="which models to time (default both)"
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)  # on a busy machine one thread each avoids threads waiting on each other
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {load:.2f}", flush=True)
    with torch.no_grad():
        makers = {"chapter10": [chapter10_model], "gpt2": [gpt2_shaped], "both": [chapter10_model, gpt2_shaped]}
        for make in makers[args.models]:
            time_both(*make(), args.tokens)


if __name__ == "__main__":
    main()
