"""The CNN with a discrete (top-B, attacked) latent layer of the paper's Sec. 5.2.

``images -> features (2 conv + max-pool, 2 linear, ReLU) -> z [N, m]
-> discrete layer -> y in {0, 1}^m -> linear classifier -> logits``.

The discrete layer is ``bigrad.torch.TopK(k=B, q=Q)``: the paper's
``min_{x in Q} max_{y in B} <z + x, y>`` (Eq. 13), computed as in its
simulation: the attacker obscures the ``Q`` largest features and ``y`` keeps
the ranks ``Q .. B-1``. Without the layer (``budget=0``) the classifier reads
``z`` itself (the vanilla CNN).
"""
from __future__ import annotations

import copy

import torch
from torch import nn

from bigrad.torch import TopK

__all__ = ["DiscreteCNN", "with_discrete_layer"]


class DiscreteCNN(nn.Module):
    """CNN, optional attacked top-``budget`` layer, linear classifier.

    ``forward(images [N, C, H, W]) -> logits [N, n_classes]``.

    Args:
        shape: ``(C, H, W)`` of an image (``H``, ``W`` divisible by 4).
        n_classes: number of classes.
        channels: output channels of the two 3x3 convolutions.
        hidden: width of the first linear layer.
        m: feature size ``m`` (the discrete layer's dimension).
        budget: ``B``, features kept by the discrete layer; 0 = no discrete layer (vanilla CNN).
        attack: ``Q``, features the attacker obscures (``0 <= Q < B``).
        method: gradient estimator of the discrete layer (``"bb"``, ``"pt"``, ...; see ``bigrad.torch.TopK``).
        lam: BB interpolation step.
    """

    def __init__(self, shape, n_classes: int, *, channels=(16, 32), hidden: int = 256, m: int = 512,
                 budget: int = 0, attack: int = 0, method: str = "bb", lam: float = 10.0):
        super().__init__()
        c, h, w = shape
        if h % 4 or w % 4:
            raise ValueError(f"image height and width must be divisible by 4, got shape {tuple(shape)}")
        c1, c2 = channels
        self.features = nn.Sequential(
            nn.Conv2d(c, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(c2 * (h // 4) * (w // 4), hidden), nn.ReLU(),
            nn.Linear(hidden, m), nn.ReLU(),
        )
        self.discrete = TopK(budget, attack, method=method, lam=lam) if budget else None
        self.classifier = nn.Linear(m, n_classes)

    def latent(self, images: torch.Tensor) -> torch.Tensor:
        """Classifier input: ``y`` ``[N, m]`` (0/1) with the discrete layer, else ``z``."""
        z = self.features(images)
        if self.discrete is None:
            return z
        out = self.discrete(z)
        return out[0] if self.discrete.q else out

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.latent(images))


def with_discrete_layer(model: DiscreteCNN, budget: int, attack: int, method: str = "bb",
                        lam: float = 10.0) -> DiscreteCNN:
    """A copy of a trained ``model`` with the attacked top-``budget`` layer inserted (the paper's CNN*).

    Nothing is retrained: the classifier keeps its weights and now reads the
    0/1 features ``y`` instead of ``z`` (its argmax mostly survives, since the
    largest features carry most of ``W z``).
    """
    out = copy.deepcopy(model)
    out.discrete = TopK(budget, attack, method=method, lam=lam)
    return out
