"""The course's attention against torch's scaled_dot_product_attention: time and peak memory by sequence length.

Run from the project root:

    python benchmarks/attention.py            # CPU, and the GPU too when there is one
    python benchmarks/attention.py --lengths 128 256 --repeats 3

It prints a Markdown table. The course's attention (``course_utils.attention``) builds the whole (T, T) table of
scores and weights, so its time and memory grow with T squared; SDPA on the CPU runs a fused ("flash") kernel
that works through the keys in blocks and never holds the table. Chapter 08 quotes these figures and chapter 11
builds on them.

Peak memory on the CPU is the rise of the process's peak resident memory (VmHWM in /proc/self/status, reset
before each run through /proc/self/clear_refs) above what it held before the call. The script restarts itself
with ``MALLOC_MMAP_THRESHOLD_=65536`` so that glibc gives every tensor over 64 KiB fresh pages and returns them
when it is freed; otherwise a tensor could reuse memory an earlier run freed and not show. On a GPU it is
``torch.cuda.max_memory_allocated`` above the memory allocated before the call.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere in the project

from course_utils.attention import attention_scores, attention_weights, causal_mask  # noqa: E402


def course_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Causal attention as chapter 08 writes it: the (T, T) scores, masked, softmax, times the values."""
    T = q.shape[-2]
    return attention_weights(attention_scores(q, k), causal_mask(T).to(q.device)) @ v


def torch_sdpa(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """torch's fused causal attention."""
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)


def _rss_peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def _rss_now_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _reset_rss_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(
    function: Callable[..., torch.Tensor], q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, repeats: int
) -> tuple[float, float]:
    """(fastest seconds per call, peak extra memory in MiB) of ``function(q, k, v)``."""
    cuda = q.device.type == "cuda"
    with torch.no_grad():
        function(q, k, v)  # warm up: first-call set-up is not what we measure
        if cuda:
            torch.cuda.synchronize()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            function(q, k, v)
            if cuda:
                torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
        gc.collect()
        if cuda:
            torch.cuda.reset_peak_memory_stats()
            before = torch.cuda.memory_allocated()
            out = function(q, k, v)
            torch.cuda.synchronize()
            peak = torch.cuda.max_memory_allocated() - before
        else:
            if not _reset_rss_peak():
                return min(times), float("nan")
            before = _rss_now_kib() * 1024
            out = function(q, k, v)
            peak = _rss_peak_kib() * 1024 - before
        del out
    return min(times), peak / 2**20


MMAP_THRESHOLD = "65536"


def main() -> None:
    if os.environ.get("MALLOC_MMAP_THRESHOLD_") != MMAP_THRESHOLD:
        # glibc reads this when the process starts, so set it and start again
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[128, 256, 512, 1024, 2048])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--d-head", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(
        f"causal attention, batch {args.batch}, {args.heads} heads of width {args.d_head}, float32, "
        f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads; fastest of {args.repeats} runs "
        f"(the one least disturbed by other processes)\n"
    )
    print("| device | T | (T, T) table MiB | course ms | SDPA ms | course/SDPA | course peak MiB | SDPA peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    generator = torch.Generator().manual_seed(0)
    for device in devices:
        for T in args.lengths:
            q, k, v = (
                torch.randn(args.batch, args.heads, T, args.d_head, generator=generator).to(device) for _ in range(3)
            )
            course = course_attention(q, k, v)
            torch.testing.assert_close(course, torch_sdpa(q, k, v), atol=1e-4, rtol=1e-4)  # same answer first
            del course
            weights_mib = args.batch * args.heads * T * T * 4 / 2**20  # one float32 (B, H, T, T) table
            course_s, course_mib = measure(course_attention, q, k, v, args.repeats)
            sdpa_s, sdpa_mib = measure(torch_sdpa, q, k, v, args.repeats)
            print(
                f"| {device} | {T} | {weights_mib:.1f} | {course_s * 1e3:.2f} | {sdpa_s * 1e3:.2f} | "
                f"{course_s / sdpa_s:.1f}x | {course_mib:.1f} | {sdpa_mib:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
