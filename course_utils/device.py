"""Choosing where tensors live (cuda, then mps, then cpu) and drawing random numbers the same way on all of them."""

from __future__ import annotations

import os

import torch

from course_utils import validate

DEVICE_ENV_VAR = "COURSE_DEVICE"
_KNOWN = ("cuda", "mps", "cpu")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(verbose: bool = True) -> torch.device:
    """Return the best device here: cuda, then mps, then cpu; ``COURSE_DEVICE`` forces one.

    With ``verbose`` it prints which device it picked and why, so that a learner knows what runs their code.
    Apple's mps backend has no float64: the course keeps every tensor float32, which works everywhere.
    """
    if not isinstance(verbose, bool):
        raise TypeError(f"verbose must be True or False, got {validate.describe(verbose)}.")
    forced = os.environ.get(DEVICE_ENV_VAR, "").strip().lower()
    if forced:
        if forced not in _KNOWN:
            raise ValueError(f"{DEVICE_ENV_VAR}={forced!r}: choose one of {', '.join(_KNOWN)}, or unset it.")
        available = {"cuda": torch.cuda.is_available(), "mps": _mps_available(), "cpu": True}[forced]
        if not available:
            raise RuntimeError(
                f"{DEVICE_ENV_VAR}={forced} but this machine has no working {forced} device: "
                f"unset {DEVICE_ENV_VAR} to let the course choose."
            )
        device, why = torch.device(forced), f"forced by {DEVICE_ENV_VAR}"
    elif torch.cuda.is_available():
        device, why = torch.device("cuda"), f"an NVIDIA GPU is available ({torch.cuda.get_device_name(0)})"
    elif _mps_available():
        device, why = torch.device("mps"), "an Apple GPU is available (float32 only)"
    else:
        device, why = torch.device("cpu"), "no GPU found; everything in the course runs on a CPU"
    if verbose:
        print(f"Using device '{device.type}': {why}.")
    return device


def cpu_generator(seed: int) -> torch.Generator:
    """A CPU random generator seeded with ``seed``.

    Draw random numbers on the CPU and then move them to the device: the same seed then gives the same
    numbers on a laptop CPU, an Apple GPU and an NVIDIA GPU.
    """
    # torch takes seeds from -2**63 to 2**64 - 1; the course's seeds are whole numbers from 0
    seed = validate.whole_number(seed, "seed", minimum=0, maximum=2**64 - 1)
    return torch.Generator(device="cpu").manual_seed(seed)
