"""The course's default training against nanoGPT's CPU recipe, side by side: wall time to each held-out loss.

Run from the project root:

    python benchmarks/train_speed.py                  # both runs to their end
    python benchmarks/train_speed.py --max-seconds 300  # stop the course's run after 300 s of training
    python benchmarks/train_speed.py --until-decided    # stop the course's run once the ratio is known

nanoGPT's README trains a "baby GPT" on a CPU (block 64, batch 12, 4 layers, 4 heads, 128 wide, no dropout, AdamW
at 1e-3 with betas 0.9 and 0.99 and weight decay 0.1, 100 warm-up steps, cosine decay to 1e-4 over 2000 steps,
clipping at 1). This script trains that recipe with the course's code (``NANOGPT_CPU_RECIPE`` in
``course_utils/trainer.py``: nanoGPT's defaults ``bias=False`` and ``F.scaled_dot_product_attention`` included)
and the course's default run (``DEFAULT_SETTINGS``), both on the course's split, in one process and side by side:
at each turn the run that has used less training time takes the next step, so a machine that gets busier or
quieter slows or speeds both alike. Both are evaluated on the same fixed sample of the held-out plays (25
stretches of 4,000 characters; 99,200 characters predicted) every ``--eval-tokens`` training tokens; evaluation
time is left out of the wall time and reported apart.

It prints, for each run, the training wall time at which the held-out loss first reached 2.0, 1.9, the recipe's
final loss and lower thresholds (measured at the evaluations, so a time is the end of the stretch in which the
threshold was crossed), tokens per second and the process's peak memory. Its last line is
``ratio <course time / recipe time>`` to the recipe's final held-out loss.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere in the project

from course_utils.trainer import DEFAULT_SETTINGS, NANOGPT_CPU_RECIPE, CharCorpus, CharTrainer  # noqa: E402

THRESHOLDS = (2.0, 1.9, 1.8, 1.75, 1.7, 1.65, 1.6)


class Race:
    """One run in the race: its trainer, training seconds, tokens, and (seconds, held-out loss) at each evaluation."""

    def __init__(self, name: str, trainer: CharTrainer, eval_tokens: int) -> None:
        self.name, self.trainer, self.eval_tokens = name, trainer, eval_tokens
        self.seconds = self.eval_seconds = 0.0
        self.tokens = 0
        self.next_eval = eval_tokens
        self.curve: list[tuple[float, int, float]] = []

    def step(self) -> None:
        start = time.perf_counter()
        self.trainer.train_step()
        self.seconds += time.perf_counter() - start
        self.tokens += self.trainer.settings.batch_size * self.trainer.settings.context
        if self.tokens >= self.next_eval or self.trainer.done:
            self.next_eval += self.eval_tokens
            start = time.perf_counter()
            loss = self.trainer.evaluate()
            self.eval_seconds += time.perf_counter() - start
            self.curve.append((self.seconds, self.tokens, loss))
            print(
                f"  {self.name:>7}: step {self.trainer.step:5d}, {self.seconds:7.1f} s, {self.tokens:>10,} tokens, "
                f"held-out {loss:.3f}  (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )

    def time_to(self, threshold: float) -> float | None:
        return next((seconds for seconds, _, loss in self.curve if loss <= threshold), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-tokens", type=int, default=200_000, help="training tokens between evaluations")
    parser.add_argument("--max-seconds", type=float, default=None, help="stop the course's run after this long")
    parser.add_argument(
        "--until-decided",
        action="store_true",
        help="stop the course's run once the recipe has finished and the course has reached its final loss",
    )
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, {os.cpu_count()} CPUs")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    corpus = CharCorpus.shakespeare()
    recipe = Race("recipe", CharTrainer(NANOGPT_CPU_RECIPE, corpus=corpus), args.eval_tokens)
    course = Race("course", CharTrainer(DEFAULT_SETTINGS, corpus=corpus), args.eval_tokens)
    for race in (recipe, course):
        s = race.trainer.settings
        print(
            f"{race.name}: {race.trainer.model.num_params():,} parameters, {s.n_layer} layers x {s.d_model} wide, "
            f"context {s.context}, batch {s.batch_size}, {s.steps} steps, lr {s.peak_lr:g} -> {s.min_lr:g}, "
            f"bias {s.bias}, fused attention {s.fast_attention}"
        )

    def course_running() -> bool:
        if course.trainer.done or (args.max_seconds is not None and course.seconds >= args.max_seconds):
            return False
        # the ratio is known once the recipe has finished and the course has reached the recipe's final loss
        return not (args.until_decided and recipe.trainer.done and course.time_to(recipe.curve[-1][2]) is not None)

    while not recipe.trainer.done or course_running():
        # side by side: the run that has trained for less time goes next
        if recipe.trainer.done or (course_running() and course.seconds <= recipe.seconds):
            course.step()
        else:
            recipe.step()

    final = recipe.curve[-1][2]
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"peak memory of the process (both runs): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("| run | tokens/s | eval s | " + " | ".join(f"to {t:g}" for t in (*THRESHOLDS[:2], final, *THRESHOLDS[2:])))
    for race in (recipe, course):
        times = [race.time_to(t) for t in (*THRESHOLDS[:2], final, *THRESHOLDS[2:])]
        cells = " | ".join("-" if t is None else f"{t:.0f} s" for t in times)
        print(f"| {race.name} | {race.tokens / race.seconds:,.0f} | {race.eval_seconds:.0f} | {cells} |")
    print(f"recipe's final held-out loss: {final:.3f} after {recipe.seconds:.0f} s of training")
    course_time = course.time_to(final)
    if course_time is None:
        print(f"the course's run did not reach {final:.3f} (in {course.seconds:.0f} s)")
        print("ratio nan")
        return
    print(f"ratio {course_time / recipe.time_to(final):.2f}")


if __name__ == "__main__":
    main()
