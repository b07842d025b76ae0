"""The committed data loads offline, matches its checksums, and a missing or corrupt file says what to do."""

from __future__ import annotations

import lzma
import shutil
import subprocess
from pathlib import Path

import pytest

from course_utils import data
from course_utils.data import DataError

VARIED_TEXT = (
    "To be, or not to be: that is the question.\n"
    "  Whether 'tis nobler in the mind — to suffer 1,234 slings & arrows?! "
    "ünïcödé, 日本語, emoji 🙂, tabs\tand\r\nnewlines. I'll we've they're DON'T <|endoftext|>"
)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of data/ that a test may damage; the loaders' caches are cleared around it."""
    for name in (data.SHAKESPEARE_FILE, data.GPT2_RANKS_FILE):
        shutil.copy(data.data_path(name), tmp_path / name)
    monkeypatch.setenv(data.DATA_DIR_ENV_VAR, str(tmp_path))
    data.shakespeare_text.cache_clear()
    data.gpt2_tokenizer.cache_clear()
    data._gpt2_ranks_in.cache_clear()
    yield tmp_path
    data.shakespeare_text.cache_clear()
    data.gpt2_tokenizer.cache_clear()
    data._gpt2_ranks_in.cache_clear()


def test_shakespeare_text():
    text = data.shakespeare_text()
    assert len(text) == data.SHAKESPEARE_CHARS
    assert "\r" not in text
    assert "To be, or not to be" in text
    assert text.startswith("ALL'S WELL THAT ENDS WELL")


def test_split_is_at_a_work_boundary_and_about_ten_percent():
    train, heldout = data.shakespeare_split()
    assert train + heldout == data.shakespeare_text()
    assert heldout.startswith(data.HELDOUT_FIRST_LINE)
    assert train.endswith("\n\n")
    assert 0.09 < len(heldout) / len(train + heldout) < 0.12


def test_gpt2_known_ids():
    encoding = data.gpt2_tokenizer()
    assert encoding.n_vocab == data.GPT2_VOCAB_SIZE == 50_257
    assert encoding.encode("hello world") == [31373, 995]
    assert encoding.encode(data.END_OF_TEXT, allowed_special="all") == [50256]
    assert encoding.eot_token == 50256


def test_gpt2_round_trips_varied_text():
    encoding = data.gpt2_tokenizer()
    ids = encoding.encode(VARIED_TEXT, disallowed_special=())
    assert encoding.decode(ids) == VARIED_TEXT
    assert len(ids) < len(VARIED_TEXT.encode("utf-8"))  # merges happened


def test_missing_file_says_how_to_restore(data_copy: Path):
    (data_copy / data.SHAKESPEARE_FILE).unlink()
    with pytest.raises(DataError, match="missing.*git checkout -- data/shakespeare.txt.xz"):
        data.shakespeare_text()


def test_corrupt_compressed_file(data_copy: Path):
    (data_copy / data.SHAKESPEARE_FILE).write_bytes(b"not xz at all")
    with pytest.raises(DataError, match="cannot be decompressed"):
        data.shakespeare_text()


def test_edited_text_fails_its_checksum(data_copy: Path):
    (data_copy / data.SHAKESPEARE_FILE).write_bytes(lzma.compress(b"Exit, pursued by a bear."))
    with pytest.raises(DataError, match="corrupt: its sha256"):
        data.shakespeare_text()


def test_truncated_ranks_fail_their_checksum(data_copy: Path):
    path = data_copy / data.GPT2_RANKS_FILE
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DataError, match="gpt2.tiktoken is corrupt"):
        data.gpt2_tokenizer()


def test_data_readme_records_the_checksums():
    readme = (Path(data.__file__).resolve().parent.parent / "data" / "README.md").read_text()
    from course_utils.tour import TOUR_MODEL_SHA256

    for checksum in (data.SHAKESPEARE_SHA256, data.GPT2_RANKS_SHA256, TOUR_MODEL_SHA256):
        assert checksum in readme


@pytest.mark.parametrize("name", [data.SHAKESPEARE_FILE, data.GPT2_RANKS_FILE, "tour_model.pt"])
def test_checksummed_files_are_binary_to_git(name):
    """No line-ending conversion on any checkout, so the sha256 holds on Windows too."""
    root = Path(data.__file__).resolve().parent.parent
    attributes = subprocess.run(
        ["git", "check-attr", "text", "diff", "--", f"data/{name}"], cwd=root, capture_output=True, text=True
    )
    if attributes.returncode != 0:
        pytest.skip("not a git checkout")
    assert attributes.stdout.splitlines() == [f"data/{name}: text: unset", f"data/{name}: diff: unset"]
