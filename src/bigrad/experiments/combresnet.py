"""The paper's network for real Warcraft maps: the truncated ResNet18 of blackbox-backprop ("CombResNet").

ResNet18's stem and first stage (conv1 7x7 stride 2, batch norm, ReLU, max pool
3x3 stride 2, layer1 = two 64-channel basic blocks), then an adaptive max pool
to the ``H x W`` grid of cells. blackbox-backprop averages the 64 channels
into one cost per cell; here a 1x1 convolution gives ``outputs`` maps per cell
(the path costs ``z`` and the interdiction costs ``w``). Written with torch
alone (torchvision is not a dependency), with torchvision's layer shapes and
initialisation (Kaiming normal, fan-out, for the convolutions).
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["CombResNet"]


class _BasicBlock(nn.Module):
    """ResNet's basic block with 64 channels in and out (stride 1: no downsampling)."""

    def __init__(self, channels: int = 64) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + x)


class CombResNet(nn.Module):
    """Images ``[B, 3, H*P, W*P]`` -> ``[B, outputs, H, W]`` (one value per cell and output)."""

    def __init__(self, grid: tuple[int, int], outputs: int = 2, in_channels: int = 3) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
        )
        self.layer1 = nn.Sequential(_BasicBlock(), _BasicBlock())
        self.pool = nn.AdaptiveMaxPool2d(grid)
        self.head = nn.Conv2d(64, outputs, kernel_size=1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d) and m is not self.head:
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.layer1(self.stem(images))))
