"""Data-parallel training on the CPU: torchrun with 2 gloo processes against one process on the same global batch.

``python -m course_utils.distributed`` trains a small GPT for 4 steps on a global batch of 8 windows, each rank
taking 4 of them in micro-batches of 2 (gradient accumulation). Run by ``torchrun --standalone --nproc_per_node
2`` (``OMP_NUM_THREADS=1``, under a timeout) and by a single process, the two ranks must end with equal weights,
and their losses must match the single process's to 1e-5 (the sums are the same up to float32 rounding order).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from course_utils import distributed

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 180


def _run(out: Path, processes: int) -> subprocess.CompletedProcess:
    env = os.environ | {"OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)
    demo = ["-m", "course_utils.distributed", "--steps", "4", "--global-batch", "8", "--micro-batch", "2"]
    if processes > 1:
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}"]
        command += [*demo, "--backend", "gloo", "--out", str(out)]
    else:
        command = [sys.executable, *demo, "--out", str(out)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    single, parallel = tmp_path_factory.mktemp("single"), tmp_path_factory.mktemp("ddp")
    for folder, processes in ((single, 1), (parallel, 2)):
        done = _run(folder, processes)
        assert done.returncode == 0, f"{processes} process(es) failed:\n{done.stdout}\n{done.stderr[-3000:]}"
    read = lambda folder, rank: json.loads((folder / f"rank{rank}.json").read_text())  # noqa: E731
    return read(single, 0), read(parallel, 0), read(parallel, 1)


def test_both_ranks_end_with_the_same_weights(results):
    _, rank0, rank1 = results
    assert rank0["world_size"] == rank1["world_size"] == 2
    assert rank0["weights"] == rank1["weights"] and rank0["checksum"] == rank1["checksum"]


def test_two_processes_match_one_on_the_same_global_batch(results):
    single, rank0, _ = results
    assert single["world_size"] == 1
    torch.testing.assert_close(torch.tensor(rank0["losses"]), torch.tensor(single["losses"]), atol=1e-5, rtol=1e-5)
    for name, values in single["weights"].items():
        torch.testing.assert_close(torch.tensor(rank0["weights"][name]), torch.tensor(values), atol=1e-5, rtol=1e-4)
    assert single["losses"][-1] < single["losses"][0]  # it trained


def test_a_world_of_one_without_torchrun(monkeypatch):
    for name in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(name, raising=False)
    run = distributed.start()
    assert (run.rank, run.world_size, run.is_main) == (0, 1, True)
    model = torch.nn.Linear(2, 2)
    assert distributed.wrap(model, run) is model
    assert torch.equal(distributed.shard(torch.arange(6), run), torch.arange(6))


def test_nccl_with_more_processes_than_gpus_is_refused(monkeypatch):
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "1")
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "4")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(RuntimeError, match="started 4 processes on this machine but it has 2 GPU"):
        distributed.start("nccl")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="use backend='gloo'"):
        distributed.start("nccl")


def test_a_batch_that_does_not_split_is_refused():
    run = distributed.DistributedRun(0, 0, 3, "gloo", torch.device("cpu"))
    with pytest.raises(ValueError, match="multiple of 3"):
        distributed.shard(torch.zeros(8, 4), run)


def test_accumulation_gives_the_step_of_the_whole_batch():
    torch.manual_seed(0)
    from course_utils.gpt import GPT, GPTConfig

    config = GPTConfig(vocab_size=20, context=8, n_layer=1, n_head=2, d_model=16)
    x = torch.randint(20, (6, 8), generator=torch.Generator().manual_seed(0))
    y = torch.randint(20, (6, 8), generator=torch.Generator().manual_seed(1))
    models = []
    for micro in (6, 2, 1):
        torch.manual_seed(0)
        model = GPT(config)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss = distributed.accumulated_step(model, optimizer, x, y, micro)
        models.append((loss, model))
    for loss, model in models[1:]:
        assert loss == pytest.approx(models[0][0], rel=1e-5)
        for a, b in zip(model.parameters(), models[0][1].parameters(), strict=True):
            torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-5)
    with pytest.raises(ValueError, match="must divide"):
        distributed.accumulated_step(models[0][1], torch.optim.SGD(models[0][1].parameters(), lr=0.1), x, y, 4)


# --- the chapter 10 trainer itself under torchrun -----------------------------------------------------------------
# A tiny model for 4 steps on a global batch of 8 windows, without dropout (each process draws its own dropout
# masks, which no single process draws): one process on the whole batch, and 2 gloo processes taking 4 windows
# each in micro-batches of 2. Rank 0 writes the checkpoint; the two runs' losses and weights must agree to 1e-5.

TRAINER_ARGS = ["--context", "16", "--n-layer", "1", "--n-head", "2", "--d-model", "16", "--dropout", "0"]
TRAINER_ARGS += ["--batch-size", "8", "--steps", "4", "--warmup-steps", "1", "--eval-every", "2", "--no-progress"]


def _trainer(out: Path, processes: int, *extra: str) -> subprocess.CompletedProcess:
    env = os.environ | {"OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)
    command = [sys.executable]
    if processes > 1:
        command += ["-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}"]
    command += ["-m", "course_utils.trainer", "--out", str(out), *extra]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert done.returncode == 0, f"{processes} process(es) failed:\n{done.stdout}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def trainer_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trainer")
    single = _trainer(folder / "single.pt", 1, *TRAINER_ARGS)
    parallel = _trainer(folder / "ddp.pt", 2, *TRAINER_ARGS, "--micro-batch", "2", "--backend", "gloo")
    read = lambda name: torch.load(folder / name, weights_only=True)  # noqa: E731
    return folder, (single, read("single.pt")), (parallel, read("ddp.pt"))


def _assert_same_run(a: dict, b: dict) -> None:
    assert a["step"] == b["step"] == 4
    torch.testing.assert_close(
        torch.tensor(b["history"]["losses"]), torch.tensor(a["history"]["losses"]), atol=1e-5, rtol=1e-5
    )
    torch.testing.assert_close(
        torch.tensor(b["history"]["eval_losses"]), torch.tensor(a["history"]["eval_losses"]), atol=1e-5, rtol=1e-5
    )
    for name, weights in a["weights"].items():
        torch.testing.assert_close(b["weights"][name], weights, atol=1e-5, rtol=1e-4)


def test_the_trainer_under_torchrun_matches_one_process_on_the_same_global_batch(trainer_runs):
    _, (single, one), (parallel, two) = trainer_runs
    assert "1 process(es) (no group, cpu): each takes 8 of the 8 windows of a step, 8 per forward pass" in single.stdout
    assert "2 process(es) (gloo, cpu): each takes 4 of the 8 windows of a step, 2 per forward pass" in parallel.stdout
    _assert_same_run(one, two)
    assert one["history"]["losses"][-1] < one["history"]["losses"][0]  # it trained
    # rank 0 alone prints and evaluates: one report, not two
    assert parallel.stdout.count("trained to step 4") == 1 and parallel.stdout.count("held-out loss") == 2


def test_the_ranks_of_the_trainer_end_with_equal_weights(trainer_runs):
    _, _, (parallel, _) = trainer_runs
    # every rank's sum and sum of squares of every weight tensor, all-reduced (course_utils.distributed.replica_spread)
    assert "the 2 copies of the weights differ by at most 0 (sums of each tensor)" in parallel.stdout


def test_a_run_resumed_under_torchrun_ends_where_the_uninterrupted_one_does(trainer_runs):
    from course_utils import trainer as trainer_module

    folder, (_, one), _ = trainer_runs
    # the checkpoint a single process saves at step 2 of the same command, then 2 processes carry on from it
    settings = trainer_module.TrainSettings(**one["settings"])
    halfway = trainer_module.CharTrainer(settings)
    halfway.train(2, progress=False)
    halfway.save(folder / "resumed.pt")
    resumed = _trainer(folder / "resumed.pt", 2, "--resume", "--micro-batch", "1", "--no-progress")
    assert "Resuming" in resumed.stdout and resumed.stdout.count("Resuming") == 1
    _assert_same_run(one, torch.load(folder / "resumed.pt", weights_only=True))


def test_the_trainer_refuses_nccl_without_a_gpu_each_and_a_batch_that_does_not_split(monkeypatch):
    from course_utils import trainer as trainer_module

    for name, value in (("RANK", "0"), ("WORLD_SIZE", "2"), ("LOCAL_RANK", "0"), ("LOCAL_WORLD_SIZE", "2")):
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(RuntimeError, match="started 2 processes on this machine but it has 1 GPU"):
        trainer_module.main(["--backend", "nccl", "--steps", "4", "--warmup-steps", "1"])
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"):
        monkeypatch.delenv(name)
    with pytest.raises(SystemExit, match=r"batch_size \(8, the global batch\) does not split into 1 process"):
        trainer_module.main([*TRAINER_ARGS, "--micro-batch", "3"])
    with pytest.raises(SystemExit, match="this is one process: start it with `torchrun"):
        trainer_module.main([*TRAINER_ARGS, "--backend", "gloo"])
