"""Every plausible bad call of ``tests/bad_calls.py`` raises from ``course_utils`` itself, with the exception and the
words (the parameter's name among them) that it lists."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

import course_utils
from tests.bad_calls import BAD_CALLS

COURSE_UTILS = Path(course_utils.__file__).resolve().parent


def raised_by_course_utils(error: BaseException) -> bool:
    """Whether the innermost frame of ``error``'s traceback is in ``course_utils`` (not numpy, torch or Python)."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(COURSE_UTILS)


def test_every_kind_of_public_function_is_covered():
    assert len({bad_call.function for bad_call in BAD_CALLS}) >= 70
    assert len({bad_call.id for bad_call in BAD_CALLS}) == len(BAD_CALLS), "two bad calls share an id"


@pytest.mark.parametrize("bad_call", BAD_CALLS, ids=lambda bad_call: bad_call.id)
def test_a_bad_call_says_what_was_wrong(bad_call):
    with pytest.raises(bad_call.error) as caught:
        bad_call.call()
    message = str(caught.value)
    missing = [word for word in bad_call.words if word not in message]
    assert not missing, f"the message lacks {missing}: {message}"
    assert raised_by_course_utils(caught.value), f"raised outside course_utils: {message}"
