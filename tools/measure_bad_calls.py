"""How many of the plausible bad calls in ``tests/bad_calls.py`` course_utils refuses clearly; prints the figures.

A call is *clear* when it raises from inside ``course_utils`` with the wrong parameter's name in the message,
*unclear* when it raises from numpy, torch or Python or does not name the parameter, and *silent* when it returns
(a wrong answer, or a clamp, without a word). Run it from the repository root::

    PYTHONPATH=. python tools/measure_bad_calls.py [--list]

It imports only public names, so a copy of ``tests/bad_calls.py`` also measures an older ``course_utils``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections import Counter
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402

import course_utils  # noqa: E402

COURSE_UTILS = Path(course_utils.__file__).resolve().parent


def outcome(bad_call) -> tuple[str, str]:
    """("clear" | "unclear" | "silent", what happened)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bad_call.call()
    except Exception as error:  # noqa: BLE001 - every exception is an outcome to count
        frames = traceback.extract_tb(error.__traceback__)
        inside = bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(COURSE_UTILS)
        message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        if inside and bad_call.parameter in str(error):
            return "clear", message
        return "unclear", message + ("" if inside else f" (raised in {Path(frames[-1].filename).name})")
    finally:
        plt.close("all")
    return "silent", "returned without an error"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every call that is not clear")
    arguments = parser.parse_args()
    sys.path.insert(0, str(Path.cwd()))
    from tests.bad_calls import BAD_CALLS

    counts: Counter[str] = Counter()
    for bad_call in BAD_CALLS:
        kind, what = outcome(bad_call)
        counts[kind] += 1
        if arguments.list and kind != "clear":
            print(f"{kind:8} {bad_call.id}: {what[:160]}")
    total = len(BAD_CALLS)
    functions = len({bad_call.function for bad_call in BAD_CALLS})
    print(f"{total} bad calls to {functions} public functions, classes and methods of course_utils ({COURSE_UTILS}):")
    for kind in ("clear", "unclear", "silent"):
        print(f"  {kind:8} {counts[kind]:4}  {counts[kind] / total:6.1%}")


if __name__ == "__main__":
    main()
