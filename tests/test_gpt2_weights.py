"""GPT-2's weights in the course's GPT, tested offline on a small random GPT2LMHeadModel saved as Hugging Face does.

No download and no full-size file: a GPT-2 of 2 layers, width 48 and 101 tokens is made by ``transformers``, its
weights drawn large (std 0.3, so that a wrong layout changes the logits by far more than 1e-4), saved with
``save_pretrained`` to a temporary folder, and loaded back with ``course_utils.gpt2_weights``.
"""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file, save_file

from course_utils.gpt import GPT
from course_utils.gpt2_weights import (
    GPT2LoadError,
    config_from_state,
    find_gpt2,
    gpt2_config,
    gpt2_to_course_state,
    load_gpt2,
    load_gpt2_state,
    read_gpt2_state,
)

transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """(folder, the Hugging Face model): a small random GPT-2 saved with save_pretrained."""
    transformers.logging.set_verbosity_error()
    config = transformers.GPT2Config(
        vocab_size=101, n_positions=32, n_embd=48, n_layer=2, n_head=4, bos_token_id=0, eos_token_id=0
    )
    torch.manual_seed(0)
    hf = transformers.GPT2LMHeadModel(config).eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in hf.parameters():  # the tied lm_head is wte: drawn once
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.3)
    folder = tmp_path_factory.mktemp("gpt2")
    hf.save_pretrained(folder)
    return folder, hf


def _ids(*shape: int) -> torch.Tensor:
    return torch.randint(101, shape, generator=torch.Generator().manual_seed(1))


def test_the_loaded_model_gives_hugging_faces_logits(saved):
    folder, hf = saved
    model = load_gpt2(folder)
    ids = _ids(2, 20)
    with torch.no_grad():
        want = hf(ids).logits
        got = model(ids)
    assert want.abs().max() > 1.0  # logits far from zero: a wrong weight shows
    torch.testing.assert_close(got, want, atol=1e-4, rtol=1e-4)


def test_the_loaded_model_writes_the_same_twenty_greedy_tokens(saved):
    folder, hf = saved
    model = load_gpt2(folder)
    prompt = _ids(1, 5)
    mask = torch.ones_like(prompt)
    want = hf.generate(prompt, max_new_tokens=20, do_sample=False, pad_token_id=0, attention_mask=mask)
    assert torch.equal(model.generate(prompt, 20, temperature=0), want)


def test_the_file_is_what_the_loader_expects(saved):
    folder, _ = saved
    state = load_file(str(folder / "model.safetensors"))
    assert "transformer.h.1.attn.c_proj.weight" in state and "lm_head.weight" not in state  # tied: stored once
    assert state["transformer.h.0.attn.c_proj.weight"].shape == (48, 48)  # square: fits untransposed
    assert state["transformer.h.0.mlp.c_fc.weight"].shape == (48, 192)  # Conv1D: (in, out)


def test_the_mapping_transposes_renames_and_ties(saved):
    folder, _ = saved
    state = read_gpt2_state(folder)
    mapped = gpt2_to_course_state(state)
    assert set(mapped) == set(GPT(config_from_state(state)).state_dict())
    assert torch.equal(mapped["h.0.attn.c_proj.weight"], state["transformer.h.0.attn.c_proj.weight"].t())
    assert mapped["lm_head.weight"] is mapped["wte.weight"]


def test_openais_file_layout_without_the_prefix_and_with_mask_buffers_loads_too(saved, tmp_path):
    folder, hf = saved
    state = {name.removeprefix("transformer."): t.clone() for name, t in read_gpt2_state(folder).items()}
    for layer in range(2):
        state[f"h.{layer}.attn.bias"] = torch.tril(torch.ones(1, 1, 32, 32))  # as in OpenAI's gpt2 upload
    save_file(state, str(tmp_path / "model.safetensors"))
    model = load_gpt2(tmp_path / "model.safetensors")  # no config.json: the config is read from the shapes
    assert model.config.n_head == 1  # width 48 // 64 heads of 64 rounds down to 1: the shapes cannot tell
    model = load_gpt2_state(GPT(gpt2_config(folder / "config.json")), read_gpt2_state(tmp_path))
    ids = _ids(1, 9)
    with torch.no_grad():
        torch.testing.assert_close(model(ids), hf(ids).logits, atol=1e-4, rtol=1e-4)


def _without_transpose(of: str):
    def mapping(gpt2_state):
        state = gpt2_to_course_state(gpt2_state)
        for name in state:
            if name.endswith(of):
                state[name] = state[name].t()  # undo the transpose of this one
        return state

    return mapping


def test_a_square_matrix_loaded_without_its_transpose_is_named(saved):
    folder, hf = saved
    state = read_gpt2_state(folder)
    model = GPT(gpt2_config(folder / "config.json"))
    with pytest.raises(GPT2LoadError, match=r"h\.0\.attn\.c_proj\.weight was loaded without its transpose"):
        load_gpt2_state(model, state, _without_transpose("attn.c_proj.weight"))
    # and it matters: the logits are wrong by far more than the tolerance
    ids = _ids(1, 10)
    with torch.no_grad():
        assert (model(ids) - hf(ids).logits).abs().max() > 0.1


def test_a_non_square_matrix_without_its_transpose_is_named_by_its_shape(saved):
    folder, _ = saved
    model = GPT(gpt2_config(folder / "config.json"))
    with pytest.raises(GPT2LoadError, match=r"mlp\.c_fc\.weight has shape \(48, 192\).*transpose"):
        load_gpt2_state(model, read_gpt2_state(folder), _without_transpose("mlp.c_fc.weight"))


def test_the_exact_gelu_is_refused_and_would_be_wrong(saved):
    folder, hf = saved
    exact = gpt2_config(folder / "config.json").to_dict() | {"gelu": "exact"}
    model = GPT(type(gpt2_config(folder / "config.json"))(**exact))
    with pytest.raises(GPT2LoadError, match="gelu='tanh'"):
        load_gpt2_state(model, read_gpt2_state(folder))
    model.load_state_dict(gpt2_to_course_state(read_gpt2_state(folder)))  # load it anyway, unchecked
    ids = _ids(1, 10)
    with torch.no_grad():
        difference = (model(ids) - hf(ids).logits).abs().max()
    assert difference > 1e-4  # the two GELUs differ by up to about 1e-3: past the 1e-4 the loader is held to


def test_a_copied_unembedding_is_named(saved):
    folder, _ = saved
    model = GPT(gpt2_config(folder / "config.json"))
    model.lm_head.weight = torch.nn.Parameter(model.wte.weight.detach().clone())  # untied
    with pytest.raises(GPT2LoadError, match="copy of wte.weight, not the same tensor"):
        load_gpt2_state(model, read_gpt2_state(folder))


def test_missing_and_unexpected_names_are_listed(saved):
    folder, _ = saved
    state = read_gpt2_state(folder)
    del state["transformer.h.1.ln_2.weight"]
    state["transformer.h.1.attn.rotary.weight"] = torch.zeros(3)
    model = GPT(gpt2_config(folder / "config.json"))
    with pytest.raises(GPT2LoadError, match=r"missing .*h\.1\.ln_2\.weight.*unexpected .*h\.1\.attn\.rotary\.weight"):
        load_gpt2_state(model, state)
    with pytest.raises(GPT2LoadError, match="'transformer.' prefix"):
        load_gpt2_state(model, read_gpt2_state(folder), lambda s: s | {"lm_head.weight": s["transformer.wte.weight"]})


def test_weights_are_found_in_a_hugging_face_cache_and_never_downloaded_unasked(saved, tmp_path):
    folder, _ = saved
    with pytest.raises(FileNotFoundError, match="download=True"):
        find_gpt2(cache_dir=tmp_path)
    snapshot = tmp_path / "models--openai-community--gpt2" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "model.safetensors").write_bytes((folder / "model.safetensors").read_bytes())
    (snapshot / "config.json").write_text(json.dumps(json.loads((folder / "config.json").read_text())))
    (tmp_path / "models--openai-community--gpt2" / "refs").mkdir()
    (tmp_path / "models--openai-community--gpt2" / "refs" / "main").write_text("abc123")
    assert find_gpt2(cache_dir=tmp_path) == snapshot / "model.safetensors"
    assert load_gpt2(cache_dir=tmp_path).config.n_head == 4  # config.json beside the weights


def test_bad_sources_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="model.safetensors"):
        find_gpt2(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(GPT2LoadError, match="not a readable safetensors file"):
        read_gpt2_state(tmp_path)
    with pytest.raises(ValueError, match="activation_function"):
        sizes = {"vocab_size": 5, "n_positions": 8, "n_layer": 1, "n_head": 1, "n_embd": 8}
        gpt2_config(sizes | {"activation_function": "relu"})


def test_a_failed_download_says_what_to_do(tmp_path, monkeypatch):
    import huggingface_hub

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", offline)
    with pytest.raises(FileNotFoundError, match="Check the network connection"):
        find_gpt2(cache_dir=tmp_path, download=True)
