"""Chapter 12's date translator, trained exactly as the notebook's full run trains it: time and accuracy.

Run from the project root:

    python benchmarks/date_translator.py              # the notebook's full run
    python benchmarks/date_translator.py --threads 2 --steps 2000

It prints the load average before and after (other work on the machine slows training), the seconds the
training took, the CPU seconds, and the exact-match accuracy on 2,000 held-out dates in the training formats,
on 500 dates in the format never seen in training and on 500 dates of the years never seen. The chapter's target:
at least 99% on the held-out dates, in at most 3 minutes of training on 2 CPU cores. The last line is
``seconds <s> heldout <accuracy>``.
"""

from __future__ import annotations

import argparse
import os
import time

import torch

from course_utils import encdec
from course_utils.seeding import seed_everything

# The notebook's full run (notebooks/src/12_encoder_decoder_and_chat.py, section 12.5) uses these.
STEPS, BATCH_SIZE, LR, N_PAIRS = 2000, 128, 3e-3, 60_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch threads {args.threads}; load average before {os.getloadavg()}")
    seed_everything(0)
    model = encdec.EncoderDecoder(encdec.EncDecConfig(n_layer=2, n_head=4, d_model=64))
    cpu = time.process_time()
    run = encdec.train_translator(model, args.steps, batch_size=BATCH_SIZE, lr=LR, seed=0, n_pairs=N_PAIRS)
    cpu = time.process_time() - cpu
    scores = {
        split: encdec.exact_match(model, encdec.date_pairs(n, split, seed=1))
        for split, n in (("heldout", 2000), ("unseen_format", 500), ("unseen_years", 500))
    }
    print(f"load average after {os.getloadavg()}")
    print(f"training: {run.seconds:.1f} s ({cpu:.1f} CPU s, {args.steps} steps)")
    for split, score in scores.items():
        print(f"{split:14} {score:.2%}")
    print(f"seconds {run.seconds:.1f} heldout {scores['heldout']:.4f}")


if __name__ == "__main__":
    main()
