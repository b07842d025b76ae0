"""Train the small GPT that chapter 00 tours, and save it to data/tour_model.pt.

    python tools/train_tour_model.py            # the committed run: about half an hour on one CPU core
    python tools/train_tour_model.py --steps 20 --out /tmp/try.pt   # a quick try

The model is the course's reference GPT (course_utils/gpt.py) over the GPT-2 tokens that occur in Shakespeare,
trained with the course's own loop (course_utils/training.py) on random windows (course_utils/text.py) of the
training part of the course's split; its loss is measured on the held-out plays, which it never trains on.
After a run, put the sha256 it prints into TOUR_MODEL_SHA256 in course_utils/tour.py.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_utils.data import data_dir, shakespeare_split, shakespeare_text  # noqa: E402
from course_utils.gpt import GPT, GPTConfig, next_token_loss  # noqa: E402
from course_utils.seeding import seed_everything  # noqa: E402
from course_utils.text import random_windows  # noqa: E402
from course_utils.tour import TourModel, TourVocab, save_tour_model, tour_model_from_bytes  # noqa: E402
from course_utils.training import train, train_step  # noqa: E402

# --- the run's settings ------------------------------------------------------------------------------------
SEED = 1337
CONTEXT = 128
N_LAYER = 4
N_HEAD = 4
D_MODEL = 96  # the embedding (~19,400 tokens x 96) is most of the weights: 96 keeps the file under 5 MB
DROPOUT = 0.0  # under 2 passes over the text: too few to overfit
BATCH_SIZE = 16
STEPS = 1000
PEAK_LR = 4e-3  # a small model on a short run learns fastest with a large step
WARMUP_STEPS = 50
MIN_LR = 4e-4
WEIGHT_DECAY = 0.1
EVAL_EVERY = 300
EVAL_BATCHES = 4  # held-out windows per progress report; the final report reads the whole held-out text
SAMPLE_PROMPT = "ROMEO.\n"
MAX_FILE_BYTES = 5_000_000
CPU_THREADS = 1  # on a busy 2-core machine one thread ran faster than two


def learning_rate(step: int, steps: int) -> float:
    """Linear warm-up to PEAK_LR, then a cosine decay to MIN_LR at the last step."""
    if step < WARMUP_STEPS:
        return PEAK_LR * (step + 1) / WARMUP_STEPS
    progress = (step - WARMUP_STEPS) / max(1, steps - WARMUP_STEPS)
    return MIN_LR + 0.5 * (PEAK_LR - MIN_LR) * (1 + math.cos(math.pi * progress))


@torch.no_grad()
def heldout_loss(model: GPT, ids: torch.Tensor, batch_size: int = 64) -> float:
    """The mean next-token loss over the whole of ``ids``, cut into windows that do not overlap."""
    model.eval()
    context = model.config.context
    n_windows = (len(ids) - 1) // context
    inputs = ids[: n_windows * context].view(n_windows, context)
    targets = ids[1 : n_windows * context + 1].view(n_windows, context)
    total = 0.0
    for start in range(0, n_windows, batch_size):
        logits = model(inputs[start : start + batch_size])
        total += next_token_loss(logits, targets[start : start + batch_size]).item() * len(logits)
    return total / n_windows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--out", type=Path, default=data_dir() / "tour_model.pt")
    args = parser.parse_args()

    torch.set_num_threads(CPU_THREADS)
    generator = seed_everything(SEED)
    train_text, heldout_text = shakespeare_split()
    # every token of the corpus gets an id, the held-out plays' too, so that their loss can be measured
    vocab = TourVocab.from_text(shakespeare_text())
    train_ids = torch.tensor(vocab.encode(train_text))
    heldout_ids = torch.tensor(vocab.encode(heldout_text))
    print(f"{len(vocab):,} tokens in the vocabulary; {len(train_ids):,} training and {len(heldout_ids):,} held-out")

    config = GPTConfig(
        vocab_size=len(vocab), context=CONTEXT, n_layer=N_LAYER, n_head=N_HEAD, d_model=D_MODEL, dropout=DROPOUT
    )
    model = GPT(config)
    print(f"{model.num_params():,} parameters; {torch.get_num_threads()} CPU threads")
    # decay the 2-D weights only (the matrices and the embeddings), not biases or layer norms' scales (as nanoGPT does)
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}],
        lr=PEAK_LR,
        betas=(0.9, 0.95),
    )
    eval_generator = torch.Generator().manual_seed(SEED + 1)
    eval_batches = [random_windows(heldout_ids, CONTEXT, BATCH_SIZE, eval_generator) for _ in range(EVAL_BATCHES)]
    step_count = 0

    def scheduled_step(model, loss_fn, optimizer, inputs, targets) -> float:
        nonlocal step_count
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step_count, args.steps)
        step_count += 1
        return train_step(model, loss_fn, optimizer, inputs, targets)

    def evaluate() -> float:
        return sum(next_token_loss(model(x), y).item() for x, y in eval_batches) / len(eval_batches)

    history = train(
        model,
        lambda: random_windows(train_ids, CONTEXT, BATCH_SIZE, generator),
        next_token_loss,
        optimizer,
        args.steps,
        evaluate=evaluate,
        eval_every=EVAL_EVERY,
        step_fn=scheduled_step,
    )
    print(f"trained {args.steps} steps in {history.seconds:.0f} s")
    for step, loss in zip(history.eval_steps, history.eval_losses, strict=True):
        print(f"  step {step:5d}: held-out loss {loss:.3f} (on {EVAL_BATCHES} batches)")

    meta = {
        "seed": SEED,
        "steps": args.steps,
        "batch_size": BATCH_SIZE,
        "tokens_seen": args.steps * BATCH_SIZE * CONTEXT,
        "training_seconds": round(history.seconds, 1),
        "cpu_threads": torch.get_num_threads(),
        "torch_version": str(torch.__version__),
        "final_train_loss": round(sum(history.losses[-50:]) / len(history.losses[-50:]), 4),
        "script": "tools/train_tour_model.py",
    }
    save_tour_model(args.out, model, vocab, meta)
    # the held-out loss of the weights as saved (float16), over every held-out token
    saved = tour_model_from_bytes(args.out.read_bytes())
    meta["heldout_loss"] = round(heldout_loss(saved.model, heldout_ids), 4)
    save_tour_model(args.out, saved.model, vocab, meta)
    content = args.out.read_bytes()
    check = tour_model_from_bytes(content)
    assert torch.equal(check.model.wte.weight, saved.model.wte.weight), "saving twice must not change the weights"

    print(f"held-out loss over all {len(heldout_ids):,} held-out tokens: {meta['heldout_loss']:.4f}")
    print(f"saved {args.out}: {len(content):,} bytes, sha256 {hashlib.sha256(content).hexdigest()}")
    if len(content) > MAX_FILE_BYTES:
        print(f"WARNING: the file is over {MAX_FILE_BYTES:,} bytes")
    sample(check)


def sample(tour: TourModel) -> None:
    """Print 200 tokens that the saved model writes after SAMPLE_PROMPT (temperature 0.8, top 50, seed 0)."""
    prompt = torch.tensor(tour.vocab.encode(SAMPLE_PROMPT))
    out = tour.model.generate(prompt, 200, temperature=0.8, top_k=50, generator=torch.Generator().manual_seed(0))
    print("--- a sample at temperature 0.8 ---")
    print(tour.vocab.decode(out))


if __name__ == "__main__":
    main()
