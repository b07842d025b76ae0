"""One call that makes a run repeatable."""

from __future__ import annotations

import random

import numpy as np
import torch

from course_utils import validate
from course_utils.device import cpu_generator


def seed_everything(seed: int = 0) -> torch.Generator:
    """Seed Python's ``random``, numpy and torch with ``seed``, and return a seeded CPU generator.

    Pass the returned generator to anything that draws random numbers (``torch.randn(..., generator=g)``,
    sampling) so that the same seed draws the same numbers on any device.
    """
    # numpy accepts seeds from 0 to 2**32 - 1 only: check before any generator is seeded
    seed = validate.whole_number(seed, "seed", minimum=0, maximum=2**32 - 1)
    generator = cpu_generator(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return generator
