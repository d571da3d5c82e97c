"""The image network: a small CNN in the shape of DVBPR's CNN-F (a wide strided first convolution,
then narrower 3x3 ones), cut down to the 96x64 photos the catalog stores so that it trains on two
CPU cores. Photos arrive as uint8 (N, H, W, 3) rows of `catalog.images`."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def _block(c_in: int, c_out: int, kernel: int, stride: int = 1, pool: bool = False) -> nn.Sequential:
    layers = [
        nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    ]
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


class VisualCNN(nn.Module):
    """Photo -> `dim`-dimensional feature vector (before any task head)."""

    def __init__(self, dim: int = 256, width: int = 32):
        super().__init__()
        self.dim = dim
        self.features = nn.Sequential(
            _block(3, width, 5, stride=2),  # 96x64 -> 48x32
            _block(width, 2 * width, 3, pool=True),  # -> 24x16
            _block(2 * width, 4 * width, 3, pool=True),  # -> 12x8
            _block(4 * width, 4 * width, 3, pool=True),  # -> 6x4
            _block(4 * width, 8 * width, 3),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.project = nn.Sequential(nn.Linear(8 * width, dim), nn.ReLU(inplace=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.project(self.features(x))


def to_input(photos: np.ndarray | torch.Tensor, device: torch.device, size: tuple[int, int] | None = None) -> torch.Tensor:
    """uint8 (N, H, W, 3) -> float (N, 3, h, w) centred on 0, resized to `size` when given."""
    x = torch.as_tensor(np.asarray(photos)).to(device, non_blocking=True)
    x = x.permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    if size is not None and tuple(x.shape[-2:]) != tuple(size):
        x = F.interpolate(x, size=size, mode="area")
    return x.contiguous()


def augment(x: torch.Tensor, generator: torch.Generator, shift: int = 4) -> torch.Tensor:
    """Random horizontal flip and a small random shift per photo: garments are photographed
    centred but not always at the same place, and a flipped shirt is the same shirt."""
    n, _, h, w = x.shape
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip.to(x.device)[:, None, None, None], x.flip(3), x)
    if shift <= 0:
        return x
    padded = F.pad(x, (shift, shift, shift, shift), mode="replicate")
    dy = torch.randint(0, 2 * shift + 1, (n,), generator=generator).tolist()
    dx = torch.randint(0, 2 * shift + 1, (n,), generator=generator).tolist()
    return torch.stack([padded[i, :, dy[i] : dy[i] + h, dx[i] : dx[i] + w] for i in range(n)])
