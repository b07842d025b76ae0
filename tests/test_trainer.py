"""The command-line trainer: it trains, resumes to the very same weights, refuses another config's checkpoint,
exports a small model and loads the learner's own checkpoint before the course's."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from course_utils import trainer as trainer_module
from course_utils.data import DataError
from course_utils.trainer import CharCorpus, CharTrainer, TrainSettings, char_gpt_from_bytes, load_char_gpt
from course_utils.training import (
    MuonWithAdamW,
    adamw_for_gpt,
    gpt_training_step,
    muon_for_gpt,
    set_learning_rate,
    warmup_cosine_lr,
)

TEXT = "ROMEO. But soft, what light through yonder window breaks?\nJULIET. O Romeo, Romeo!\n" * 40
TINY = TrainSettings(
    context=16, n_layer=1, n_head=2, d_model=16, dropout=0.1, batch_size=4, steps=12, warmup_steps=3, eval_every=4
)


@pytest.fixture(scope="module")
def corpus() -> CharCorpus:
    vocab = sorted(set(TEXT))
    ids = torch.tensor([vocab.index(c) for c in TEXT])
    return CharCorpus(vocab=vocab, train_ids=ids[:2500], heldout_ids=ids[2500:])


@pytest.mark.parametrize("optimizer", ["muon", "adamw"])
def test_a_resumed_run_ends_with_the_same_losses_and_weights_as_an_uninterrupted_one(corpus, tmp_path, optimizer):
    settings = dataclasses.replace(TINY, optimizer=optimizer)
    whole = CharTrainer(settings, corpus=corpus)
    whole.train(progress=False)
    first = CharTrainer(settings, corpus=corpus)
    first.train(5, progress=False, checkpoint=tmp_path / "run.pt")  # step 5 is no evaluation step: saved on demand
    first.save(tmp_path / "run.pt")
    resumed = CharTrainer.from_checkpoint(tmp_path / "run.pt", corpus=corpus)
    assert resumed.step == 5 and resumed.settings.optimizer == optimizer
    resumed.train(progress=False)
    assert resumed.history.losses == whole.history.losses  # dropout is on: its random draws resume too
    assert resumed.history.eval_losses == whole.history.eval_losses
    for (name, a), b in zip(whole.model.state_dict().items(), resumed.model.state_dict().values(), strict=True):
        assert torch.equal(a, b), name


def test_the_same_seed_gives_the_same_run_and_leaves_the_global_generator_alone(corpus):
    torch.manual_seed(5)
    before = torch.rand(1)
    torch.manual_seed(5)
    a = CharTrainer(TINY, corpus=corpus)
    a.train(3, progress=False)
    assert torch.equal(torch.rand(1), before)
    b = CharTrainer(TINY, corpus=corpus)
    b.train(3, progress=False)
    c = CharTrainer(dataclasses.replace(TINY, seed=1), corpus=corpus)
    c.train(3, progress=False)
    assert a.history.losses == b.history.losses != c.history.losses


def test_a_checkpoint_from_another_config_is_refused_naming_what_differs(corpus, tmp_path):
    run = CharTrainer(TINY, corpus=corpus)
    run.train(4, progress=False, checkpoint=tmp_path / "run.pt")
    with pytest.raises(ValueError, match=r"d_model: checkpoint 16, asked 32.*resumed as it started"):
        CharTrainer.from_checkpoint(tmp_path / "run.pt", dataclasses.replace(TINY, d_model=32), corpus=corpus)
    other_vocab = CharCorpus(corpus.vocab[:-1] + ["~"], corpus.train_ids, corpus.heldout_ids)
    with pytest.raises(ValueError, match="another vocabulary"):
        CharTrainer.from_checkpoint(tmp_path / "run.pt", corpus=other_vocab)


def test_the_command_line_trains_saves_resumes_and_refuses_a_changed_config(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(trainer_module.CharCorpus, "shakespeare", classmethod(lambda cls: _tiny_corpus()))
    out = tmp_path / "cli.pt"
    common = ["--context", "16", "--n-layer", "1", "--n-head", "2", "--d-model", "16", "--batch-size", "4"]
    common += ["--warmup-steps", "2", "--eval-every", "3", "--out", str(out), "--no-progress"]
    whole = trainer_module.main([*common, "--steps", "6", "--out", str(tmp_path / "whole.pt")])
    interrupted = trainer_module.main([*common, "--steps", "6", "--eval-every", "3"])
    assert interrupted.step == 6
    # interrupt by hand: the checkpoint of step 3, then the same command with --resume and nothing else
    halfway = CharTrainer(dataclasses.replace(interrupted.settings), corpus=_tiny_corpus())
    halfway.train(3, progress=False)
    halfway.save(out)
    capsys.readouterr()
    resumed = trainer_module.main(["--resume", "--out", str(out), "--no-progress"])
    assert "Resuming" in capsys.readouterr().out and resumed.step == 6
    assert resumed.history.losses == whole.history.losses == interrupted.history.losses
    with pytest.raises(SystemExit, match="n_layer: checkpoint 1, asked 2"):
        trainer_module.main([*common, "--steps", "6", "--n-layer", "2", "--resume"])
    with pytest.raises(SystemExit, match="no checkpoint"):
        trainer_module.main(["--resume", "--out", str(tmp_path / "none.pt")])


def _tiny_corpus() -> CharCorpus:
    vocab = sorted(set(TEXT))
    ids = torch.tensor([vocab.index(c) for c in TEXT])
    return CharCorpus(vocab=vocab, train_ids=ids[:2500], heldout_ids=ids[2500:])


def test_export_is_float16_loads_back_and_the_learners_checkpoint_comes_first(corpus, tmp_path, monkeypatch):
    run = CharTrainer(TINY, corpus=corpus)
    run.train(progress=False)
    content = run.export(tmp_path / "small.pt", {"seed": TINY.seed, "heldout_loss": 2.0})
    loaded = char_gpt_from_bytes(content)
    assert loaded.meta["heldout_loss"] == 2.0 and loaded.vocab == corpus.vocab
    assert loaded.model.lm_head.weight is loaded.model.wte.weight
    assert torch.equal(loaded.model.wte.weight, run.model.wte.weight.half().float())
    assert loaded.decode(loaded.encode("ROMEO")) == "ROMEO"
    with pytest.raises(ValueError, match="'Z'"):
        loaded.encode("ZOO")
    text = loaded.generate("ROMEO", 20, seed=3)
    assert text.startswith("ROMEO") and len(text) == 25 and text == loaded.generate("ROMEO", 20, seed=3)
    # the learner's own checkpoint, when there is one, before the course's model
    monkeypatch.setenv(trainer_module.CHECKPOINT_DIR_ENV_VAR, str(tmp_path))
    run.save(tmp_path / trainer_module.CHAR_GPT_FILE)
    own = load_char_gpt()
    assert own.meta["source"] == "training checkpoint" and own.meta["step"] == TINY.steps
    # the record chapter 11 reads for 6ND and MFU, with the keys an exported model's record has
    assert own.meta["steps"] == TINY.steps and own.meta["settings"] == TINY.to_dict()
    assert own.meta["tokens_seen"] == TINY.steps * TINY.batch_size * TINY.context
    assert own.meta["training_seconds"] > 0 and own.meta["device"] == "cpu" and own.meta["processes"] == 1
    assert own.meta["cpu_threads"] == torch.get_num_threads() and own.meta["device_name"] is None
    # a checkpoint saved before the device was recorded still loads: those keys are None (chapter 11: "unknown")
    bundle = torch.load(tmp_path / trainer_module.CHAR_GPT_FILE, weights_only=False)
    for key in ("device", "device_name", "cpu_threads", "processes"):
        del bundle[key]
    torch.save(bundle, tmp_path / "older.pt")
    older = load_char_gpt(tmp_path / "older.pt").meta
    assert older["cpu_threads"] is None and older["device"] is None and older["tokens_seen"] == own.meta["tokens_seen"]
    assert torch.equal(own.model.wte.weight, run.model.wte.weight)
    with pytest.raises(ValueError, match="not a training checkpoint"):
        CharTrainer.from_checkpoint(tmp_path / "small.pt", corpus=corpus)


def test_an_exported_record_says_where_the_seconds_were_spent(corpus, tmp_path, capsys):
    run = CharTrainer(TINY, corpus=corpus)
    run.train(progress=False)
    trainer_module.export(run, tmp_path / "shared.pt", ["--steps", str(TINY.steps)])
    meta = char_gpt_from_bytes((tmp_path / "shared.pt").read_bytes()).meta
    assert meta["steps"] == TINY.steps and meta["tokens_seen"] == TINY.steps * TINY.batch_size * TINY.context
    assert meta["device"] == "cpu" and meta["processes"] == 1 and meta["cpu_threads"] == torch.get_num_threads()
    assert meta["training_seconds"] > 0 and meta["settings"] == TINY.to_dict()
    assert "sha256" in capsys.readouterr().out


def test_a_damaged_or_missing_file_is_refused_clearly(tmp_path):
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(DataError, match="not a checkpoint"):
        load_char_gpt(tmp_path / "bad.pt")
    with pytest.raises(FileNotFoundError, match="course_utils.trainer"):
        load_char_gpt(tmp_path / "none.pt")


def test_the_committed_model_loads_checked_and_beats_the_bigram(monkeypatch, tmp_path):
    monkeypatch.setenv(trainer_module.CHECKPOINT_DIR_ENV_VAR, str(tmp_path))  # no learner's checkpoint here
    shipped = load_char_gpt()
    assert shipped.meta["heldout_loss"] < 2.54  # chapter 03's bigram, held out
    assert shipped.model.config == TrainSettings().model_config(len(shipped.vocab))
    assert not shipped.model.training
    path = trainer_module.data_path(trainer_module.CHAR_GPT_FILE)
    assert path.stat().st_size < 10_000_000
    damaged = tmp_path / "data"
    damaged.mkdir()
    (damaged / trainer_module.CHAR_GPT_FILE).write_bytes(path.read_bytes()[:-10])
    monkeypatch.setenv("COURSE_DATA_DIR", str(damaged))
    with pytest.raises(DataError, match="sha256"):
        load_char_gpt()


def test_the_schedule_warms_up_then_decays_on_a_cosine():
    lrs = [warmup_cosine_lr(s, peak_lr=1.0, min_lr=0.1, warmup_steps=10, decay_steps=110) for s in range(120)]
    assert lrs[0] == pytest.approx(1 / 11) and lrs[9] == pytest.approx(10 / 11)
    assert lrs[10] == pytest.approx(1.0) and lrs[60] == pytest.approx(0.55) and lrs[110] == lrs[119] == 0.1
    assert all(a >= b for a, b in zip(lrs[10:], lrs[11:], strict=False))


def test_adamw_decays_only_the_matrices_and_the_step_clips_the_gradient():
    model = torch.nn.Sequential(torch.nn.Embedding(5, 4), torch.nn.LayerNorm(4), torch.nn.Linear(4, 5))
    optimizer = adamw_for_gpt(model, 1e-3)
    decay, no_decay = optimizer.param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert {p.ndim for p in decay["params"]} == {2} and {p.ndim for p in no_decay["params"]} == {1}
    sgd = torch.optim.SGD(model.parameters(), lr=1.0)
    before = [p.detach().clone() for p in model.parameters()]
    x = torch.tensor([[0, 1, 2]])
    loss = gpt_training_step(model, sgd, x, torch.tensor([[1, 2, 3]]), clip=0.01)
    moved = torch.cat([(p.detach() - b).flatten() for p, b in zip(model.parameters(), before, strict=True)])
    assert loss > 0 and moved.norm().item() == pytest.approx(0.01, rel=1e-4)  # lr 1 x a gradient clipped to 0.01


def test_muon_takes_the_linear_layers_matrices_and_adamw_the_rest_each_weight_once():
    model = TINY.model_config(vocab_size=11)
    from course_utils.gpt import GPT

    gpt = GPT(model)
    optimizer = muon_for_gpt(gpt, 2e-3)
    assert isinstance(optimizer, MuonWithAdamW) and isinstance(optimizer, torch.optim.Optimizer)
    muon_ids = {id(p) for group in optimizer.muon.param_groups for p in group["params"]}
    adamw_ids = {id(p) for group in optimizer.adamw.param_groups for p in group["params"]}
    linear_ids = {id(m.weight) for m in gpt.modules() if isinstance(m, torch.nn.Linear)} - {id(gpt.wte.weight)}
    assert muon_ids == linear_ids and not muon_ids & adamw_ids
    assert muon_ids | adamw_ids == {id(p) for p in gpt.parameters()}  # the tied embedding once, in AdamW
    assert id(gpt.wte.weight) in adamw_ids
    decayed, not_decayed = optimizer.adamw.param_groups
    assert all(p.ndim == 2 for p in decayed["params"]) and all(p.ndim == 1 for p in not_decayed["params"])
    # one learning rate reaches both optimisers, before and after a state is loaded
    set_learning_rate(optimizer, 1e-4)
    assert {g["lr"] for g in optimizer.muon.param_groups + optimizer.adamw.param_groups} == {1e-4}
    x = torch.randint(0, 11, (2, 8))
    gpt_training_step(gpt, optimizer, x, x)
    optimizer.load_state_dict(optimizer.state_dict())
    set_learning_rate(optimizer, 5e-5)
    assert {g["lr"] for g in optimizer.muon.param_groups + optimizer.adamw.param_groups} == {5e-5}
    with pytest.raises(ValueError, match="plain AdamW"):
        optimizer.load_state_dict(adamw_for_gpt(gpt, 1e-3).state_dict())


def test_muon_moves_every_weight_and_lowers_the_loss(corpus):
    run = CharTrainer(dataclasses.replace(TINY, dropout=0.0, steps=30, optimizer="muon"), corpus=corpus)
    before = {name: p.detach().clone() for name, p in run.model.named_parameters()}
    first = run.evaluate()
    run.train(progress=False)
    assert all(not torch.equal(before[name], p) for name, p in run.model.named_parameters()), "a weight did not move"
    assert run.evaluate() < first - 0.2


def test_an_old_checkpoint_without_an_optimizer_setting_resumes_as_adamw(corpus, tmp_path):
    run = CharTrainer(dataclasses.replace(TINY, optimizer="adamw"), corpus=corpus)
    run.train(4, progress=False)
    bundle = run.checkpoint()
    del bundle["settings"]["optimizer"]  # as saved before the optimiser could be chosen
    torch.save(bundle, tmp_path / "old.pt")
    resumed = CharTrainer.from_checkpoint(tmp_path / "old.pt", corpus=corpus)
    assert resumed.settings.optimizer == "adamw" and resumed.step == 4


def test_newton_schulz_is_the_step_torch_muon_takes_and_evens_out_the_stretches():
    from torch.optim._muon import _zeropower_via_newtonschulz  # torch's own (bfloat16), for comparison

    from course_utils.training import newton_schulz

    generator = torch.Generator().manual_seed(0)
    for shape in [(512, 128), (128, 512), (128, 128)]:
        lopsided = torch.randn(shape, generator=generator) @ torch.diag(torch.logspace(0, -2, shape[1]))
        ours = newton_schulz(lopsided)
        assert ours.shape == lopsided.shape
        torch_step = _zeropower_via_newtonschulz(lopsided, (3.4445, -4.7750, 2.0315), 5, 1e-7).float()
        assert (ours - torch_step).abs().max() < 0.02  # bfloat16 against float32
        stretches = torch.linalg.svdvals(ours)
        assert stretches.max() < 1.3 and stretches[: min(shape) // 2].min() > 0.6  # the larger half all near 1
