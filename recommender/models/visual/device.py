"""Where the visual model trains: CUDA with bf16 autocast when torch sees a GPU, the CPU otherwise."""
from __future__ import annotations

import contextlib

import numpy as np
import torch


def pick_device(prefer: str | None = None) -> torch.device:
    if prefer:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast(device: torch.device):
    """Mixed precision on the GPU; on the CPU bf16 autocast is slower than float32 on small convs."""
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def seed_everything(seed: int) -> tuple[np.random.Generator, torch.Generator]:
    """One seed for torch's global state, plus the numpy and torch generators the loops draw from."""
    torch.manual_seed(seed)
    generator = torch.Generator()
    generator.manual_seed(seed)
    return np.random.default_rng(seed), generator
